"""Response shapes of incident.io's v2 dialect shared by several endpoints, each rendered
by its serializer (inside incidents too: ``IncidentParts``). People and actors are built
as plain dicts (``incidents.api.actors``) and documented with incident.io's schemas."""

from rest_framework import serializers


class SeverityV2Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(max_length=50)
    description = serializers.CharField()
    rank = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class IncidentStatusV2Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    category = serializers.CharField()
    rank = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class IncidentTypeV2Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    is_default = serializers.BooleanField()
    private_incidents_only = serializers.BooleanField()
    create_in_triage = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class IncidentRoleV2Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    shortform = serializers.CharField()
    description = serializers.CharField()
    instructions = serializers.CharField()
    role_type = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class EmbeddedIncidentRoleV2Serializer(IncidentRoleV2Serializer):
    required = serializers.BooleanField()


class CustomFieldOptionV2Serializer(serializers.Serializer):
    id = serializers.CharField()
    custom_field_id = serializers.CharField()
    value = serializers.CharField()
    sort_key = serializers.IntegerField()


class CustomFieldV2Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    field_type = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class CustomFieldTypeInfoV2Serializer(serializers.Serializer):
    """A custom field with its options (prefetched), as embedded in incidents."""

    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    field_type = serializers.CharField()
    options = CustomFieldOptionV2Serializer(many=True, source="options.all")


class IncidentTimestampV2Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    rank = serializers.IntegerField()


class PaginationMetaResultV2Serializer(serializers.Serializer):
    """``pagination_meta`` of v2 lists: ``after`` is the cursor of the next page, absent on the last."""

    after = serializers.CharField(required=False)
    page_size = serializers.IntegerField()
