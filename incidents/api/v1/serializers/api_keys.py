"""Request payloads and results of the API Keys V1 endpoints."""

from rest_framework import serializers

from core.models import ApiRole
from incidents.api.v1.serializers.shapes import APIKeyV1Serializer, PaginationMetaResultV1Serializer

ROLE_NAMES = ApiRole.values

# The contract's team-level roles. We have no teams, so a key never holds one; the names are
# still checked, so a typo is reported as such rather than as "teams are not supported".
TEAM_ROLE_NAMES = [
    "catalog_editor",
    "schedules_editor",
    "schedules_reader",
    "schedule_overrides_editor",
    "on_call_editor",
    "escalation_creator",
    "api_keys_manage",
    "workflows_editor",
    "private_workflows_editor",
    "secrets_manage",
    "secrets_use",
    "heartbeats_ping",
    "telemetry_query_restricted",
    "telemetry_data_source_update",
]

NO_TEAMS = "This tracker has no teams: pass an empty list"


class APIKeysCreatePayloadV1Serializer(serializers.Serializer):
    name = serializers.CharField(min_length=1, max_length=200)
    comments = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    role_names = serializers.ListField(child=serializers.ChoiceField(choices=ROLE_NAMES))
    team_ids = serializers.ListField(child=serializers.CharField())
    team_role_names = serializers.ListField(child=serializers.ChoiceField(choices=TEAM_ROLE_NAMES))

    def validate_team_ids(self, value):
        if value:
            raise serializers.ValidationError(NO_TEAMS, code="not_supported")
        return value

    def validate_team_role_names(self, value):
        if value:
            raise serializers.ValidationError(NO_TEAMS, code="not_supported")
        return value


class APIKeysUpdatePayloadV1Serializer(APIKeysCreatePayloadV1Serializer):
    pass


class APIKeysRotatePayloadV1Serializer(serializers.Serializer):
    # How long the old token keeps working (incidents.services.rotate_api_key).
    grace_period_minutes = serializers.IntegerField(min_value=0, max_value=60, default=30)


class APIKeysListResultV1Serializer(serializers.Serializer):
    api_keys = APIKeyV1Serializer(many=True)
    pagination_meta = PaginationMetaResultV1Serializer()


class APIKeysShowResultV1Serializer(serializers.Serializer):
    api_key = APIKeyV1Serializer()


class APIKeysUpdateResultV1Serializer(serializers.Serializer):
    api_key = APIKeyV1Serializer()


class APIKeysCreateResultV1Serializer(serializers.Serializer):
    api_key = APIKeyV1Serializer()
    token = serializers.CharField(help_text="The bearer token: the only time it is shown")


class APIKeysRotateResultV1Serializer(serializers.Serializer):
    api_key = APIKeyV1Serializer()
    token = serializers.CharField(help_text="The new bearer token: the only time it is shown")
