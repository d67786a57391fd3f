"""Response shapes of incident.io's v2 dialect shared by several endpoints."""

from rest_framework import serializers

from incidents.api.actors import actor_shape
from incidents.api.v1.serializers.shapes import (
    APIKeyActorV1Serializer,
    IncidentStatusV1Serializer,
    IncidentTypeV1Serializer,
    SeverityV1Serializer,
    UserV1Serializer,
)


# The same documents as v1's under incident.io's v2 names (drf-spectacular names each
# component after its class).


class SeverityV2Serializer(SeverityV1Serializer):
    pass


class IncidentStatusV2Serializer(IncidentStatusV1Serializer):
    pass


class IncidentTypeV2Serializer(IncidentTypeV1Serializer):
    pass


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


class UserV2Serializer(UserV1Serializer):
    slack_user_id = serializers.CharField(required=False)


class APIKeyActorV2Serializer(APIKeyActorV1Serializer):
    pass


class ActorV2Serializer(serializers.Serializer):
    # Not a subclass of ActorV1Serializer: its docstring would become this component's
    # description in the generated document.
    api_key = APIKeyActorV2Serializer(required=False)
    user = UserV2Serializer(required=False)

    def to_representation(self, actor):
        return actor_shape(actor)


class PaginationMetaResultV2Serializer(serializers.Serializer):
    """``pagination_meta`` of v2 lists: ``after`` is the cursor of the next page, absent on the last."""

    after = serializers.CharField(required=False)
    page_size = serializers.IntegerField()
