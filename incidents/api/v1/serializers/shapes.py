"""Response shapes of incident.io's v1 dialect shared by several endpoints. Each class is
named after the contract component it renders (drf-spectacular drops "Serializer"), and
renders it, inside incidents too (``IncidentParts``). People and actors are built as plain
dicts (``incidents.api.actors``) and documented with incident.io's schemas."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.models import ApiRole
from incidents.api.actors import actor_shape
from incidents.api.openapi import vendor_component


class SeverityV1Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(max_length=50)
    description = serializers.CharField()
    rank = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class IncidentStatusV1Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    category = serializers.CharField()
    rank = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class IncidentTypeV1Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    is_default = serializers.BooleanField()
    private_incidents_only = serializers.BooleanField()
    create_in_triage = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class IncidentRoleV1Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    shortform = serializers.CharField()
    description = serializers.CharField()
    instructions = serializers.CharField()
    role_type = serializers.CharField()
    required = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class CustomFieldOptionV1Serializer(serializers.Serializer):
    id = serializers.CharField()
    custom_field_id = serializers.CharField()
    value = serializers.CharField()
    sort_key = serializers.IntegerField()


class CustomFieldTypeInfoV1Serializer(serializers.Serializer):
    """A custom field with its options (prefetched), as embedded in incidents."""

    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    field_type = serializers.CharField()
    options = CustomFieldOptionV1Serializer(many=True, source="options.all")


# CustomFieldV1 speaks of `required` (deprecated) and `required_v2`; we store one value,
# under the old names, and only "before closure" is spelled differently.
REQUIRED_V2_FROM_REQUIRED = {"before_closure": "before_resolution"}


class CustomFieldV1Serializer(serializers.Serializer):
    """Renders a CustomField whose ``options`` were prefetched."""

    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    field_type = serializers.CharField()
    required = serializers.CharField()
    required_v2 = serializers.SerializerMethodField()
    show_before_creation = serializers.BooleanField()
    show_before_closure = serializers.BooleanField()
    show_before_update = serializers.BooleanField()
    show_in_announcement_post = serializers.BooleanField()
    options = CustomFieldOptionV1Serializer(many=True, source="options.all")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_required_v2(self, field) -> str:
        return REQUIRED_V2_FROM_REQUIRED.get(field.required, field.required)


class APIKeyRoleV1Serializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=ApiRole.values)
    description = serializers.CharField()


class APIKeyTeamRoleV1Serializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()


# Renders an ApiKey loaded with its creator (select_related on both creator columns).
class APIKeyV1Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    comments = serializers.CharField(required=False)
    roles = serializers.SerializerMethodField()
    team_ids = serializers.SerializerMethodField()
    team_roles = serializers.SerializerMethodField()
    creator = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(required=False)
    token_last_issued_at = serializers.DateTimeField()

    @extend_schema_field(APIKeyRoleV1Serializer(many=True))
    def get_roles(self, key) -> list[dict]:
        labels = dict(ApiRole.choices)
        return [{"name": name, "description": labels.get(name, name)} for name in key.roles]

    # This tracker has no teams: keys are never scoped to one.
    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_team_ids(self, key) -> list[str]:
        return []

    @extend_schema_field(APIKeyTeamRoleV1Serializer(many=True))
    def get_team_roles(self, key) -> list[dict]:
        return []

    # ActorV1 is an object, never null: a key created by a command has no known creator.
    @extend_schema_field(vendor_component("ActorV1"))
    def get_creator(self, key) -> dict:
        return actor_shape(key.created_by)

    def to_representation(self, key):
        data = super().to_representation(key)
        if not key.comments:
            data.pop("comments")
        if key.last_used_at is None:
            data.pop("last_used_at")
        return data


class PaginationMetaResultV1Serializer(serializers.Serializer):
    after = serializers.CharField(required=False)
    page_size = serializers.IntegerField()
