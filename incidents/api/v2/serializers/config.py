"""Request payloads of v2 configuration endpoints (incident roles, custom fields), and the
result envelopes our own OpenAPI document names. Records use the shared v2 shapes."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incidents.api.v2.serializers.shapes import (
    CustomFieldV2Serializer,
    IncidentRoleV2Serializer,
    IncidentTimestampV2Serializer,
)
from incidents.models import FieldType

# --- incident roles ---------------------------------------------------------------------------


class IncidentRolesCreatePayloadV2Serializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField()
    instructions = serializers.CharField(allow_blank=True)
    shortform = serializers.CharField(max_length=50)


class IncidentRolesUpdatePayloadV2Serializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField()
    instructions = serializers.CharField(allow_blank=True)
    shortform = serializers.CharField(max_length=50)


class IncidentRolesListResultV2Serializer(serializers.Serializer):
    incident_roles = IncidentRoleV2Serializer(many=True)


class IncidentRolesShowResultV2Serializer(serializers.Serializer):
    incident_role = IncidentRoleV2Serializer()


class IncidentRolesCreateResultV2Serializer(IncidentRolesShowResultV2Serializer):
    pass


class IncidentRolesUpdateResultV2Serializer(IncidentRolesShowResultV2Serializer):
    pass


# --- custom fields ----------------------------------------------------------------------------


class CustomFieldFilterByOptionsV2Serializer(serializers.Serializer):
    catalog_attribute_id = serializers.CharField()
    custom_field_id = serializers.CharField()


class CustomFieldFixedFilterOptionsV2Serializer(serializers.Serializer):
    catalog_attribute_id = serializers.CharField()
    values = serializers.ListField(child=serializers.CharField())


class UnsupportedCatalogField(serializers.JSONField):
    """A catalog setting of Custom Fields V2. There is no catalog here: absent (or null)
    is accepted and ignored, any value is refused, naming the field."""

    message = "Catalog-backed custom fields are not supported: this tracker has no catalog"

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_null=True, write_only=True, **kwargs)

    def to_internal_value(self, data):
        if data == "":
            return None
        raise serializers.ValidationError(self.message, code="not_supported")


@extend_schema_field(OpenApiTypes.STR)
class UnsupportedCatalogIdField(UnsupportedCatalogField):
    pass


@extend_schema_field(CustomFieldFilterByOptionsV2Serializer)
class UnsupportedFilterByField(UnsupportedCatalogField):
    pass


@extend_schema_field(CustomFieldFixedFilterOptionsV2Serializer)
class UnsupportedFixedFilterField(UnsupportedCatalogField):
    pass


CATALOG_FIELDS = (
    "catalog_type_id",
    "filter_by",
    "fixed_filter",
    "group_by_catalog_attribute_id",
    "helptext_catalog_attribute_id",
)


def drop_catalog_fields(attrs: dict) -> dict:
    for name in CATALOG_FIELDS:
        attrs.pop(name, None)
    return attrs


class CustomFieldsCreatePayloadV2Serializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    description = serializers.CharField(allow_blank=True)
    field_type = serializers.ChoiceField(choices=FieldType.values)
    catalog_type_id = UnsupportedCatalogIdField()
    filter_by = UnsupportedFilterByField()
    fixed_filter = UnsupportedFixedFilterField()
    group_by_catalog_attribute_id = UnsupportedCatalogIdField()
    helptext_catalog_attribute_id = UnsupportedCatalogIdField()

    def validate(self, attrs):
        return drop_catalog_fields(attrs)


class CustomFieldsUpdatePayloadV2Serializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    description = serializers.CharField(allow_blank=True)
    filter_by = UnsupportedFilterByField()
    fixed_filter = UnsupportedFixedFilterField()
    group_by_catalog_attribute_id = UnsupportedCatalogIdField()
    helptext_catalog_attribute_id = UnsupportedCatalogIdField()

    def validate(self, attrs):
        return drop_catalog_fields(attrs)


class CustomFieldsListResultV2Serializer(serializers.Serializer):
    custom_fields = CustomFieldV2Serializer(many=True)


class CustomFieldsShowResultV2Serializer(serializers.Serializer):
    custom_field = CustomFieldV2Serializer()


class CustomFieldsCreateResultV2Serializer(CustomFieldsShowResultV2Serializer):
    pass


class CustomFieldsUpdateResultV2Serializer(CustomFieldsShowResultV2Serializer):
    pass


# --- incident timestamps ----------------------------------------------------------------------


class IncidentTimestampsListResultV2Serializer(serializers.Serializer):
    incident_timestamps = IncidentTimestampV2Serializer(many=True)


class IncidentTimestampsShowResultV2Serializer(serializers.Serializer):
    incident_timestamp = IncidentTimestampV2Serializer()
