"""Response shapes of incident.io's v1 dialect shared by several endpoints. Each class is
named after the contract component it renders (drf-spectacular drops "Serializer")."""

from rest_framework import serializers

from incidents.api.actors import actor_shape, user_shape


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


class CustomFieldV1Serializer(serializers.Serializer):
    """Renders a CustomField whose ``options`` were prefetched."""

    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    field_type = serializers.CharField()
    required = serializers.CharField()
    show_before_creation = serializers.BooleanField()
    show_before_closure = serializers.BooleanField()
    show_before_update = serializers.BooleanField()
    show_in_announcement_post = serializers.BooleanField()
    options = CustomFieldOptionV1Serializer(many=True, source="options.all")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class UserV1Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    email = serializers.CharField(required=False)
    role = serializers.ChoiceField(choices=["viewer", "responder", "administrator", "owner", "unset"])

    def to_representation(self, user):
        return user_shape(user)


class APIKeyActorV1Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class ActorV1Serializer(serializers.Serializer):
    """The user or API key behind an action; render with the actor object itself."""

    api_key = APIKeyActorV1Serializer(required=False)
    user = UserV1Serializer(required=False)

    def to_representation(self, actor):
        return actor_shape(actor)


class APIKeyRoleV1Serializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()


class APIKeyV1Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    comments = serializers.CharField(required=False)
    roles = serializers.SerializerMethodField()
    team_ids = serializers.SerializerMethodField()
    team_roles = serializers.SerializerMethodField()
    creator = ActorV1Serializer(source="created_by")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(required=False)
    token_last_issued_at = serializers.DateTimeField()

    def get_roles(self, key) -> list[dict]:
        from incidents.models import ApiRole

        labels = dict(ApiRole.choices)
        return [{"name": name, "description": labels.get(name, name)} for name in key.roles]

    def get_team_ids(self, key) -> list[str]:
        return []

    def get_team_roles(self, key) -> list[dict]:
        return []

    def to_representation(self, key):
        data = super().to_representation(key)
        if not key.comments:
            data.pop("comments")
        if key.last_used_at is None:
            data.pop("last_used_at")
        return data
