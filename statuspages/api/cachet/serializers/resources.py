"""Cachet's resource objects, in JSON:API's shape (timacdonald/json-api, which Cachet
uses): ``{"id": "<number>", "type", "attributes": {...}, "relationships": {...}}``, the
relationships only as the request includes them (``include=``), with the related
resources in the document's ``included``.

Every serializer reads only what ``statuspages.api.cachet.reads`` loaded: the site
annotations (``site_position``, ``first_message``...) and what it attached for the
includes (``cachet_status``, ``cachet_group``, ``cachet_components``, ``cachet_updates``...).
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import timezone
from rest_framework import serializers
from ulid import ULID

from statuspages.models import MaintenanceUpdate

from .. import enums

# Carbon's diffForHumans units, largest first.
_UNITS = [
    ("year", 365 * 86_400),
    ("month", 30 * 86_400),
    ("week", 7 * 86_400),
    ("day", 86_400),
    ("hour", 3_600),
    ("minute", 60),
    ("second", 1),
]


def human(moment: datetime, now: datetime | None = None) -> str:
    """How long ago (or ahead) ``moment`` is, as Carbon's ``diffForHumans()`` says it:
    ``3 hours ago``, ``2 days from now``."""
    seconds = ((now or timezone.now()) - moment).total_seconds()
    ago = seconds >= 0
    seconds = abs(seconds)
    for unit, size in _UNITS:
        if seconds >= size or unit == "second":
            count = max(int(seconds // size), 1)
            return f"{count} {unit}{'s' if count > 1 else ''} {'ago' if ago else 'from now'}"
    raise AssertionError("unreachable")


def moment(value: datetime | None) -> dict:
    """Cachet's ``{"human", "string"}`` of a time, the string as Carbon's
    ``toDateTimeString()`` (UTC, no offset). The document types both as strings, never
    null: a missing time is two empty strings."""
    if value is None:
        return {"human": "", "string": ""}
    return {"human": human(value), "string": value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")}


def identifier(type_name: str, obj) -> dict:
    return {"type": type_name, "id": str(obj.number)}


class MomentField(serializers.ReadOnlyField):
    def to_representation(self, value):
        return moment(value)


class NullIfBlankField(serializers.ReadOnlyField):
    """Cachet stores an absent description or link as null; we store a blank."""

    def to_representation(self, value):
        return value or None


class ResourceSerializer(serializers.BaseSerializer):
    """One resource object; ``attributes_class`` renders its attributes and
    ``relationships()`` the relationships the request includes."""

    type_name = ""
    attributes_class: type[serializers.Serializer]

    def to_representation(self, obj):
        body = {"id": str(obj.number), "type": self.type_name, "attributes": self.attributes_class(obj, context=self.context).data}
        include = self.context.get("include", set())
        relationships = {name: {"data": data} for name, data in self.relationships(obj, include)}
        if relationships:
            body["relationships"] = relationships
        return body

    def relationships(self, obj, include: set[str]):
        return ()


# --- components -------------------------------------------------------------------------------


class ComponentAttributesSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="number")
    name = serializers.CharField()
    description = NullIfBlankField()
    link = NullIfBlankField()
    #: its position on the site page (null when the site does not show it)
    order = serializers.IntegerField(source="site_position", allow_null=True)
    status = serializers.SerializerMethodField()
    enabled = serializers.BooleanField()
    meta = serializers.SerializerMethodField()
    created = MomentField(source="created_at")
    updated = MomentField(source="updated_at")

    def get_status(self, component) -> dict:
        return enums.labelled(enums.COMPONENT_STATUS_LABELS, enums.to_cachet(enums.COMPONENT_STATUSES, component.cachet_status))

    def get_meta(self, component) -> None:
        return None  # Cachet's key/value metadata: we keep none


class ComponentSerializer(ResourceSerializer):
    """Cachet's ``Component``."""

    type_name = "components"
    attributes_class = ComponentAttributesSerializer

    def relationships(self, component, include):
        if "group" in include:
            group = component.cachet_group
            yield "group", identifier("componentGroups", group) if group else None
        if "incidents" in include:
            yield "incidents", [identifier("incidents", incident) for incident in component.cachet_incidents]


# --- component groups -------------------------------------------------------------------------


class ComponentGroupAttributesSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="number")
    name = serializers.CharField()
    order = serializers.IntegerField(source="position")
    order_column = serializers.SerializerMethodField()
    order_direction = serializers.SerializerMethodField()
    collapsed = serializers.SerializerMethodField()
    visible = serializers.SerializerMethodField()
    created = MomentField(source="created_at")
    updated = MomentField(source="updated_at")

    def get_order_column(self, group) -> None:
        return None  # a group's components keep the page's order here

    def get_order_direction(self, group) -> None:
        return None

    def get_collapsed(self, group) -> int:
        return enums.GROUP_COLLAPSED[group.collapsed]

    def get_visible(self, group) -> int:
        return enums.GROUP_VISIBILITY[group.hidden]


class ComponentGroupSerializer(ResourceSerializer):
    """Cachet's ``ComponentGroup``."""

    type_name = "componentGroups"
    attributes_class = ComponentGroupAttributesSerializer

    def relationships(self, group, include):
        if "components" in include:
            yield "components", [identifier("components", component) for component in group.cachet_components]


# --- incidents --------------------------------------------------------------------------------


class IncidentAttributesSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="number")
    guid = serializers.SerializerMethodField()
    name = serializers.CharField()
    #: the message of its first update (Cachet keeps it on the incident)
    message = serializers.SerializerMethodField()
    visible = serializers.SerializerMethodField()
    stickied = serializers.BooleanField()
    notifications = serializers.SerializerMethodField()
    components_count = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    occurred = MomentField(source="published_at")
    created = MomentField(source="created_at")
    updated = MomentField(source="updated_at")

    def get_guid(self, incident) -> str:
        return str(ULID.from_str(incident.pk).to_uuid())

    def get_message(self, incident) -> str:
        return incident.first_message or ""

    def get_visible(self, incident) -> int:
        return enums.to_cachet(enums.INCIDENT_VISIBILITY, incident.visibility)

    def get_notifications(self, incident) -> int:
        return int(bool(incident.first_notified))

    def get_components_count(self, incident) -> str:
        # The document types the count as a string.
        return str(incident.components_count)

    def get_status(self, incident) -> dict:
        return enums.labelled(enums.INCIDENT_STATUS_LABELS, enums.to_cachet(enums.INCIDENT_STATUSES, incident.status))

    def get_fields(self):
        fields = super().get_fields()
        if not hasattr(self.instance, "components_count"):
            fields.pop("components_count")  # only with include=componentsCount, as Cachet
        return fields


def user_identifier(user) -> dict | None:
    return {"type": "users", "id": str(user.pk)} if user is not None else None


def user_resource(user) -> dict:
    """Cachet's ``User``: its id, nothing more."""
    return {"id": str(user.pk), "type": "users", "attributes": {"id": str(user.pk)}}


class IncidentSerializer(ResourceSerializer):
    """Cachet's ``Incident``."""

    type_name = "incidents"
    attributes_class = IncidentAttributesSerializer

    def relationships(self, incident, include):
        if "components" in include:
            yield "components", [identifier("components", component) for component in incident.cachet_components]
        if "updates" in include:
            yield "updates", [identifier("updates", update) for update in incident.cachet_updates]
        if "user" in include:
            yield "user", user_identifier(incident.actor_user)


# --- updates ----------------------------------------------------------------------------------


class UpdateAttributesSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="number")
    updateable_id = serializers.SerializerMethodField()
    updateable_type = serializers.SerializerMethodField()
    message = serializers.CharField()
    status = serializers.SerializerMethodField()
    created = MomentField(source="published_at")
    updated = MomentField(source="updated_at")

    def get_updateable_id(self, update) -> int:
        return parent_of(update).number

    def get_updateable_type(self, update) -> str:
        return "schedule" if isinstance(update, MaintenanceUpdate) else "incident"

    def get_status(self, update) -> dict:
        return enums.labelled(enums.INCIDENT_STATUS_LABELS, enums.to_cachet(enums.INCIDENT_STATUSES, update.status))

    def get_fields(self):
        fields = super().get_fields()
        if isinstance(self.instance, MaintenanceUpdate):
            fields.pop("status")  # Cachet shows a status on incident updates only
        return fields


def parent_of(update):
    return update.maintenance if isinstance(update, MaintenanceUpdate) else update.page_incident


class UpdateSerializer(ResourceSerializer):
    """Cachet's ``Update``, of an incident or of a schedule."""

    type_name = "updates"
    attributes_class = UpdateAttributesSerializer

    def relationships(self, update, include):
        if "incident" in include and not isinstance(update, MaintenanceUpdate):
            yield "incident", identifier("incidents", update.page_incident)
        if "schedule" in include and isinstance(update, MaintenanceUpdate):
            yield "schedule", identifier("schedules", update.maintenance)


# --- incident templates -----------------------------------------------------------------------


class IncidentTemplateAttributesSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="number")
    name = serializers.CharField()
    slug = serializers.CharField()
    template = serializers.CharField()
    engine = serializers.CharField()
    created = MomentField(source="created_at")
    updated = MomentField(source="updated_at")


class IncidentTemplateSerializer(ResourceSerializer):
    """Cachet's ``IncidentTemplate``."""

    type_name = "incidentTemplates"
    attributes_class = IncidentTemplateAttributesSerializer


# --- schedules --------------------------------------------------------------------------------


class ScheduleAttributesSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="number")
    name = serializers.CharField()
    #: the message of its first update (Cachet keeps it on the schedule)
    message = serializers.CharField(source="first_message", allow_null=True)
    status = serializers.SerializerMethodField()
    scheduled = MomentField(source="starts_at")
    #: the window's end, which Cachet calls its completion
    completed = MomentField(source="ends_at")
    created = MomentField(source="created_at")
    updated = MomentField(source="updated_at")

    def get_status(self, maintenance) -> dict:
        return enums.labelled(enums.SCHEDULE_STATUS_LABELS, enums.to_cachet(enums.SCHEDULE_STATUSES, maintenance.status))


class ScheduleSerializer(ResourceSerializer):
    """Cachet's ``Schedule`` (our maintenance)."""

    type_name = "schedules"
    attributes_class = ScheduleAttributesSerializer

    def relationships(self, maintenance, include):
        if "components" in include:
            yield "components", [identifier("components", component) for component in maintenance.cachet_components]
        if "updates" in include:
            yield "updates", [identifier("updates", update) for update in maintenance.cachet_updates]
