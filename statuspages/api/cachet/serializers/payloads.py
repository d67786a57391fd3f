"""Cachet's request bodies (cachet-v3-openapi.json's ``*RequestData`` schemas), checked as
its Laravel rules check them (cachethq/core src/Data/Requests) and translated into our
values: integer statuses through ``enums``, component and group ids (their ``number``)
into rows. What cannot be translated is refused with a 422 naming the field.
"""

from __future__ import annotations

from django.db.models import Model
from django.utils import timezone
from rest_framework import serializers

from statuspages.models import Component, ComponentGroup, IncidentTemplate

from .. import enums
from ..query import moment

#: ResourceOrderColumnEnum and ResourceOrderDirectionEnum: accepted, not kept (a group's
#: components keep the page's order)
ORDER_COLUMNS = ["id", "last_updated", "name", "manual", "status"]
ORDER_DIRECTIONS = ["asc", "desc"]
#: how far ahead of our clock a client's "now" may be
CLOCK_SKEW_SECONDS = 60


def _attribute(field: serializers.Field) -> str:
    return field.field_name.replace("_", " ")


class CachetEnumField(serializers.IntegerField):
    """One of Cachet's integer enums, translated into our value; Cachet's values we have
    no counterpart for are refused as invalid (Laravel's ``Rule::enum``)."""

    def __init__(self, table: dict, *, accepted=None, **kwargs):
        self.table = {cachet: ours for ours, cachet in table.items()}
        self.accepted = set(self.table if accepted is None else accepted)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("invalid_choice")
        value = super().to_internal_value(data)
        if value not in self.accepted:
            self.fail("invalid_choice")
        return self.table[value]

    def fail(self, key, **kwargs):
        if key in ("required", "null"):
            super().fail(key, **kwargs)
        # Laravel's wording; the code lets the error body name the field the same way.
        raise serializers.ValidationError(f"The selected {_attribute(self)} is invalid.", code="invalid_choice")


def component_status_field(**kwargs) -> CachetEnumField:
    """ComponentStatusEnum: 5 (unknown) and 6 (under maintenance: a schedule in progress
    says so) cannot be set."""
    return CachetEnumField(enums.COMPONENT_STATUSES, accepted=enums.SETTABLE_COMPONENT_STATUSES, **kwargs)


def incident_status_field(**kwargs) -> CachetEnumField:
    """IncidentStatusEnum: 0 (unknown, "Reported") cannot be set."""
    return CachetEnumField(enums.INCIDENT_STATUSES, **kwargs)


class CachetDateTimeField(serializers.Field):
    """A date-time as Laravel's ``date`` rule takes it (``2023-11-07 05:31:56``, ISO 8601,
    a date); UTC unless it says otherwise."""

    def to_internal_value(self, data):
        parsed = moment(data)
        if parsed is None:
            raise serializers.ValidationError(f"The {_attribute(self)} field must be a valid date.", code="date")
        return parsed


class TemplateVarsField(serializers.Field):
    """``template_vars``: the document says a list of strings, Cachet's code takes a
    key/value map; both are accepted (a list's items are ``{{ 0 }}``, ``{{ 1 }}``...)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            return {str(key): value for key, value in data.items()}
        if isinstance(data, list):
            return {str(index): value for index, value in enumerate(data)}
        raise serializers.ValidationError(f"The {_attribute(self)} field must be an array.", code="array")


def rows_by_number(model: type[Model], numbers, field: str, queryset=None) -> dict[int, Model]:
    """The rows of ``model`` with these Cachet ids, refusing unknown ones as Laravel's
    ``exists`` rule does."""
    numbers = list(numbers)
    found = {row.number: row for row in (queryset if queryset is not None else model.objects).filter(number__in=numbers)}
    missing = [n for n in numbers if n not in found]
    if missing:
        raise serializers.ValidationError({field: [f"The selected {field.replace('_', ' ')} is invalid."]}, code="invalid_choice")
    return found


class ComponentStatusRequestDataSerializer(serializers.Serializer):
    """IncidentComponentRequestData and ScheduleComponentRequestData: ``{id, status}``."""

    id = serializers.IntegerField(min_value=0)
    status = component_status_field()


def _component_statuses(data: dict) -> dict[Component, str]:
    """``components`` and ``component_id`` + ``component_status`` as one map of our
    components to our statuses (the single one wins, as Cachet puts it last)."""
    entries = [(item["id"], item["status"]) for item in data.get("components") or []]
    numbers = [number for number, _ in entries]
    if len(set(numbers)) != len(numbers):
        raise serializers.ValidationError({"components": ["The components field has a duplicate value."]}, code="distinct")
    if data.get("component_id") is not None:
        if data.get("component_status") is None:
            raise serializers.ValidationError(
                {"component_status": ["The component status field is required when component id is present."]}, code="required_with"
            )
        found = rows_by_number(Component, [data["component_id"]], "component_id")
        single = {found[data["component_id"]]: data["component_status"]}
    else:
        single = {}
    found = rows_by_number(Component, numbers, "components")
    statuses = {found[number]: status for number, status in entries}
    statuses.update(single)
    return statuses


def _not_ahead(field: str, value):
    """A time an incident happened may be now (give or take a clock), not later."""
    if value is None:
        return None
    now = timezone.now()
    if (value - now).total_seconds() > CLOCK_SKEW_SECONDS:
        raise serializers.ValidationError({field: [f"The {field.replace('_', ' ')} field must be a date before or equal to now."]}, code="before_or_equal")
    return min(value, now)


# --- components -------------------------------------------------------------------------------


class CreateComponentRequestDataSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    description = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    status = component_status_field(allow_null=True, required=False)
    link = serializers.URLField(allow_blank=True, allow_null=True, required=False)
    order = serializers.IntegerField(min_value=0, allow_null=True, required=False)
    enabled = serializers.BooleanField(default=True)
    component_group_id = serializers.IntegerField(min_value=0, allow_null=True, required=False)

    def validate(self, data):
        number = data.pop("component_group_id", None)
        if number is not None:
            site = self.context["site"]
            queryset = ComponentGroup.objects.filter(status_page=site) if site else ComponentGroup.objects.none()
            data["group"] = rows_by_number(ComponentGroup, [number], "component_group_id", queryset)[number]
        return data


class UpdateComponentRequestDataSerializer(CreateComponentRequestDataSerializer):
    # Every field optional; null leaves a field as it is (Laravel drops nulls).
    name = serializers.CharField(max_length=255, allow_null=True, required=False)
    enabled = serializers.BooleanField(allow_null=True, required=False)


# --- component groups -------------------------------------------------------------------------


class CreateComponentGroupRequestDataSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    order = serializers.IntegerField(min_value=0, allow_null=True, required=False)
    visible = serializers.BooleanField(allow_null=True, required=False)
    collapsed = CachetEnumField(enums.GROUP_COLLAPSED, allow_null=True, required=False)
    order_column = serializers.ChoiceField(ORDER_COLUMNS, allow_null=True, required=False)
    order_direction = serializers.ChoiceField(ORDER_DIRECTIONS, allow_null=True, required=False)
    components = serializers.ListField(child=serializers.IntegerField(min_value=0), allow_null=True, required=False)

    def validate(self, data):
        data.pop("order_column", None)
        data.pop("order_direction", None)
        numbers = data.pop("components", None) or []
        found = rows_by_number(Component, numbers, "components")
        data["components"] = [found[number] for number in numbers]
        return data


class UpdateComponentGroupRequestDataSerializer(CreateComponentGroupRequestDataSerializer):
    name = serializers.CharField(max_length=255, allow_null=True, required=False)


# --- incidents --------------------------------------------------------------------------------


class CreateIncidentRequestDataSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    status = incident_status_field()
    message = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    template = serializers.CharField(allow_null=True, required=False)
    visible = serializers.BooleanField(default=False)
    stickied = serializers.BooleanField(default=False)
    notifications = serializers.BooleanField(default=False)
    occurred_at = CachetDateTimeField(allow_null=True, required=False)
    template_vars = TemplateVarsField(required=False)
    component_id = serializers.IntegerField(allow_null=True, required=False)
    component_status = component_status_field(allow_null=True, required=False)
    components = ComponentStatusRequestDataSerializer(many=True, allow_null=True, required=False)

    def validate(self, data):
        if not data.get("message") and not data.get("template"):
            raise serializers.ValidationError({"message": ["The message field is required when template is not present."]}, code="required_without")
        if data.get("template"):
            template = IncidentTemplate.objects.filter(slug=data["template"]).first()
            if template is None:
                raise serializers.ValidationError({"template": ["The selected template is invalid."]}, code="invalid_choice")
            data["template"] = template
        data["occurred_at"] = _not_ahead("occurred_at", data.get("occurred_at"))
        data["component_statuses"] = _component_statuses(data)
        return data


class UpdateIncidentRequestDataSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255, required=False)
    message = serializers.CharField(allow_blank=True, allow_null=True, required=False)
    status = incident_status_field(allow_null=True, required=False)
    visible = serializers.BooleanField(allow_null=True, required=False)
    stickied = serializers.BooleanField(allow_null=True, required=False)
    notifications = serializers.BooleanField(allow_null=True, required=False)
    occurred_at = CachetDateTimeField(allow_null=True, required=False)

    def validate(self, data):
        return {name: value for name, value in data.items() if value is not None}


# --- incident updates -------------------------------------------------------------------------


class CreateIncidentUpdateRequestDataSerializer(serializers.Serializer):
    status = incident_status_field()
    message = serializers.CharField()
    # Not in Cachet's document: an update may move components too, as incidents do.
    component_id = serializers.IntegerField(allow_null=True, required=False)
    component_status = component_status_field(allow_null=True, required=False)
    components = ComponentStatusRequestDataSerializer(many=True, allow_null=True, required=False)

    def validate(self, data):
        data["component_statuses"] = _component_statuses(data)
        return data


class EditIncidentUpdateRequestDataSerializer(serializers.Serializer):
    status = incident_status_field(allow_null=True, required=False)
    message = serializers.CharField(allow_null=True, required=False)


# --- incident templates -----------------------------------------------------------------------


class CreateIncidentTemplateRequestDataSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    template = serializers.CharField()
    slug = serializers.SlugField(max_length=255, required=False)
    # Blade compiles to PHP: Cachet offers it only when an installation enables it; we
    # render Twig's {{ variables }} only.
    engine = serializers.ChoiceField([IncidentTemplate.Engine.TWIG], allow_null=True, required=False)


class UpdateIncidentTemplateRequestDataSerializer(CreateIncidentTemplateRequestDataSerializer):
    name = serializers.CharField(max_length=255, allow_null=True, required=False)
    template = serializers.CharField(allow_null=True, required=False)


# --- schedules --------------------------------------------------------------------------------


class ScheduleComponentRequestDataSerializer(serializers.Serializer):
    """ScheduleComponentRequestData: a component the window affects. Cachet keeps a status
    for it; ours is under maintenance while the window is in progress, whatever is said."""

    id = serializers.IntegerField(min_value=0)
    status = serializers.ChoiceField(sorted(enums.COMPONENT_STATUS_LABELS))


class CreateScheduleRequestDataSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    message = serializers.CharField()
    scheduled_at = CachetDateTimeField()
    completed_at = CachetDateTimeField(allow_null=True, required=False)
    notifications = serializers.BooleanField(default=False)
    components = ScheduleComponentRequestDataSerializer(many=True, allow_null=True, required=False)

    def validate(self, data):
        if data.get("completed_at") is None and not self.partial:
            # Cachet leaves a schedule open-ended without one; our maintenance windows end.
            raise serializers.ValidationError(
                {"completed_at": ["The completed at field is required here: a maintenance window needs an end."]},
                code="window_end_required",
            )
        if data.get("components") is not None:
            numbers = [item["id"] for item in data["components"]]
            found = rows_by_number(Component, numbers, "components")
            data["components"] = [found[number] for number in numbers]
        return data


class UpdateScheduleRequestDataSerializer(CreateScheduleRequestDataSerializer):
    name = serializers.CharField(max_length=255, allow_null=True, required=False)
    message = serializers.CharField(allow_null=True, required=False)
    scheduled_at = CachetDateTimeField(allow_null=True, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)

    def validate(self, data):
        return {name: value for name, value in super().validate(data).items() if value is not None}


class CreateScheduleUpdateRequestDataSerializer(serializers.Serializer):
    message = serializers.CharField()


class EditScheduleUpdateRequestDataSerializer(serializers.Serializer):
    message = serializers.CharField(allow_null=True, required=False)
