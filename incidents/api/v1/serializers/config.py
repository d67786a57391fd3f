"""Request payloads of v1 configuration endpoints (severities, statuses, roles, fields,
options), and the result envelopes our own OpenAPI document names. The records inside
the envelopes use the shared shapes."""

from rest_framework import serializers

from incidents.api.v1.serializers.shapes import (
    REQUIRED_V2_FROM_REQUIRED,
    CustomFieldOptionV1Serializer,
    CustomFieldV1Serializer,
    IncidentRoleV1Serializer,
    IncidentStatusV1Serializer,
    IncidentTypeV1Serializer,
    PaginationMetaResultV1Serializer,
    SeverityV1Serializer,
)
from incidents.models import CustomField, FieldRequired, FieldType


class SeveritiesCreatePayloadV1Serializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    description = serializers.CharField(allow_blank=True)
    rank = serializers.IntegerField(required=False, min_value=0)


class SeveritiesUpdatePayloadV1Serializer(SeveritiesCreatePayloadV1Serializer):
    pass


class SeveritiesListResultV1Serializer(serializers.Serializer):
    severities = SeverityV1Serializer(many=True)


class SeveritiesShowResultV1Serializer(serializers.Serializer):
    severity = SeverityV1Serializer()


class SeveritiesCreateResultV1Serializer(SeveritiesShowResultV1Serializer):
    pass


class SeveritiesUpdateResultV1Serializer(SeveritiesShowResultV1Serializer):
    pass


# --- incident statuses ------------------------------------------------------------------------


class IncidentStatusesCreatePayloadV1Serializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    description = serializers.CharField(allow_blank=True)
    # Only these three can be created: triage, declined, merged, canceled and paused are
    # incident.io's built-in statuses.
    category = serializers.ChoiceField(choices=["live", "learning", "closed"])
    rank = serializers.IntegerField(required=False, min_value=0)


class IncidentStatusesUpdatePayloadV1Serializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    description = serializers.CharField(allow_blank=True)
    rank = serializers.IntegerField(required=False, min_value=0)


class IncidentStatusesListResultV1Serializer(serializers.Serializer):
    incident_statuses = IncidentStatusV1Serializer(many=True)


class IncidentStatusesShowResultV1Serializer(serializers.Serializer):
    incident_status = IncidentStatusV1Serializer()


class IncidentStatusesCreateResultV1Serializer(IncidentStatusesShowResultV1Serializer):
    pass


class IncidentStatusesUpdateResultV1Serializer(IncidentStatusesShowResultV1Serializer):
    pass


# --- incident types ---------------------------------------------------------------------------


class IncidentTypesListResultV1Serializer(serializers.Serializer):
    incident_types = IncidentTypeV1Serializer(many=True)


class IncidentTypesShowResultV1Serializer(serializers.Serializer):
    incident_type = IncidentTypeV1Serializer()


# --- incident roles ---------------------------------------------------------------------------


class IncidentRolesCreatePayloadV1Serializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField()
    instructions = serializers.CharField(allow_blank=True)
    shortform = serializers.CharField(max_length=50)
    required = serializers.BooleanField()


class IncidentRolesUpdatePayloadV1Serializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField()
    instructions = serializers.CharField(allow_blank=True)
    shortform = serializers.CharField(max_length=50)
    required = serializers.BooleanField(required=False)


class IncidentRolesListResultV1Serializer(serializers.Serializer):
    incident_roles = IncidentRoleV1Serializer(many=True)


class IncidentRolesShowResultV1Serializer(serializers.Serializer):
    incident_role = IncidentRoleV1Serializer()


class IncidentRolesCreateResultV1Serializer(IncidentRolesShowResultV1Serializer):
    pass


class IncidentRolesUpdateResultV1Serializer(IncidentRolesShowResultV1Serializer):
    pass


# --- custom fields ----------------------------------------------------------------------------

REQUIRED_FROM_REQUIRED_V2 = {v2: v1 for v1, v2 in REQUIRED_V2_FROM_REQUIRED.items()}


def resolve_required(attrs: dict) -> dict:
    """Fold ``required_v2`` into the stored ``required`` value; the two must agree when
    a client sends both."""
    required_v2 = attrs.pop("required_v2", None)
    if required_v2 is not None:
        required = REQUIRED_FROM_REQUIRED_V2.get(required_v2, required_v2)
        if attrs.get("required") not in (None, required):
            raise serializers.ValidationError(
                {"required_v2": [f"{required_v2} contradicts required={attrs['required']}; send one of the two"]}
            )
        attrs["required"] = required
    return attrs


class CustomFieldsCreatePayloadV1Serializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    description = serializers.CharField(allow_blank=True)
    field_type = serializers.ChoiceField(choices=FieldType.values)
    required = serializers.ChoiceField(choices=FieldRequired.values, required=False)
    required_v2 = serializers.ChoiceField(choices=["never", "before_resolution", "always"], required=False)
    show_before_creation = serializers.BooleanField()
    show_before_closure = serializers.BooleanField()
    show_before_update = serializers.BooleanField()
    show_in_announcement_post = serializers.BooleanField(required=False)

    def validate(self, attrs):
        return resolve_required(attrs)


class CustomFieldsUpdatePayloadV1Serializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    description = serializers.CharField(allow_blank=True)
    required = serializers.ChoiceField(choices=FieldRequired.values, required=False)
    required_v2 = serializers.ChoiceField(choices=["never", "before_resolution", "always"], required=False)
    show_before_creation = serializers.BooleanField()
    show_before_closure = serializers.BooleanField()
    show_before_update = serializers.BooleanField()
    show_in_announcement_post = serializers.BooleanField(required=False)

    def validate(self, attrs):
        return resolve_required(attrs)


class CustomFieldsListResultV1Serializer(serializers.Serializer):
    custom_fields = CustomFieldV1Serializer(many=True)


class CustomFieldsShowResultV1Serializer(serializers.Serializer):
    custom_field = CustomFieldV1Serializer()


class CustomFieldsCreateResultV1Serializer(CustomFieldsShowResultV1Serializer):
    pass


class CustomFieldsUpdateResultV1Serializer(CustomFieldsShowResultV1Serializer):
    pass


# --- custom field options ---------------------------------------------------------------------


def custom_field_reference():
    """A ``custom_field_id`` in a request: an unknown id is a 422 naming the field."""
    return serializers.PrimaryKeyRelatedField(
        queryset=CustomField.objects.all(),
        source="custom_field",
        error_messages={"does_not_exist": "No custom field with id {pk_value}"},
    )


class CustomFieldOptionsListParamsV1Serializer(serializers.Serializer):
    """Query parameters of Custom Field Options V1#List."""

    custom_field_id = custom_field_reference()
    page_size = serializers.IntegerField(required=False, min_value=1)
    after = serializers.CharField(required=False)


class CustomFieldOptionsCreatePayloadV1Serializer(serializers.Serializer):
    custom_field_id = custom_field_reference()
    value = serializers.CharField(max_length=255)
    sort_key = serializers.IntegerField(required=False)


class CustomFieldOptionsUpdatePayloadV1Serializer(serializers.Serializer):
    value = serializers.CharField(max_length=255)
    sort_key = serializers.IntegerField()


class CustomFieldOptionsListResultV1Serializer(serializers.Serializer):
    custom_field_options = CustomFieldOptionV1Serializer(many=True)
    pagination_meta = PaginationMetaResultV1Serializer()


class CustomFieldOptionsShowResultV1Serializer(serializers.Serializer):
    custom_field_option = CustomFieldOptionV1Serializer()


class CustomFieldOptionsCreateResultV1Serializer(CustomFieldOptionsShowResultV1Serializer):
    pass


class CustomFieldOptionsUpdateResultV1Serializer(CustomFieldOptionsShowResultV1Serializer):
    pass
