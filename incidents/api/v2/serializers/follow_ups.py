"""Follow-ups V2: payloads parsed by serializers, answers built as plain dicts in
incident.io's FollowUpV2 shape (documented with its component, ``incidents.api.openapi``)."""

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.numbers import whole_number
from incidents.api.actors import actor_shape, user_shape
from incidents.api.rendering import iso
from incidents.api.v2.serializers.users import MAX_USER_ID
from incidents.models import ExternalIssueProvider, FollowUp, FollowUpPriority, FollowUpStatus

#: the providers incident.io's ExternalIssueReferenceV2 names
PROVIDERS = ["asana", "azure_devops", "click_up", "linear", "jira", "jira_server", "github", "gitlab", "service_now", "shortcut"]


def render_follow_up_v2(follow_up: FollowUp) -> dict:
    """FollowUpV2; ``follow_up`` comes with its assignee, priority and actor selected."""
    shape = {
        "id": follow_up.pk,
        "incident_id": follow_up.incident_id,
        "creator": actor_shape(follow_up.actor),
        "title": follow_up.title,
        "description": follow_up.description,
        "status": follow_up.status,
        "labels": list(follow_up.labels),
        "created_at": iso(follow_up.created_at),
        "updated_at": iso(follow_up.updated_at),
    }
    if follow_up.assignee_id:
        shape["assignee"] = user_shape(follow_up.assignee)
    if follow_up.priority_id:
        priority = follow_up.priority
        shape["priority"] = {
            "id": priority.pk, "name": priority.name, "description": priority.description, "rank": priority.rank,
        }
    if follow_up.completed_at:
        shape["completed_at"] = iso(follow_up.completed_at)
    if follow_up.external_issue_url:
        shape["external_issue_reference"] = {
            "provider": follow_up.external_issue_provider,
            "issue_name": follow_up.external_issue_name,
            "issue_permalink": follow_up.external_issue_url,
        }
    return shape


@extend_schema_field(OpenApiTypes.STR)
class _IdField(serializers.Field):
    """An id naming a row, parsed into that row (documented as a string)."""

    def text(self, data) -> str:
        if not isinstance(data, str) or len(data) > 100:
            raise serializers.ValidationError("Must be an id")
        return data


class _UserField(_IdField):
    def to_internal_value(self, data):
        user_id = whole_number(self.text(data), MAX_USER_ID)
        user = get_user_model().objects.filter(pk=user_id, is_staff=True, is_active=True).first() if user_id else None
        if user is None:
            raise serializers.ValidationError("No active staff user with this id")
        return user


class _PriorityField(_IdField):
    def to_internal_value(self, data):
        priority = FollowUpPriority.objects.filter(pk=self.text(data)).first()
        if priority is None:
            raise serializers.ValidationError("No follow-up priority with this id")
        return priority


class _FollowUpFields(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True)
    assignee_id = _UserField(required=False, allow_null=True, source="assignee")
    follow_up_priority_option_id = _PriorityField(required=False, allow_null=True, source="priority")
    labels = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=50)


class FollowUpsCreatePayloadV2Serializer(_FollowUpFields):
    incident_id = serializers.CharField(max_length=50)


class FollowUpsUpdatePayloadV2Serializer(_FollowUpFields):
    status = serializers.ChoiceField(choices=FollowUpStatus.values)


class FollowUpsListQueryV2Serializer(serializers.Serializer):
    incident_id = serializers.CharField(required=False, max_length=50)
    incident_mode = serializers.ChoiceField(
        choices=["standard", "retrospective", "test", "tutorial", "stream"], required=False
    )
    assignee_team_id = serializers.CharField(required=False, max_length=50)


class FollowUpsCreatePayloadV3Serializer(FollowUpsCreatePayloadV2Serializer):
    """V3's create takes what V2's does."""


class FollowUpsListQueryV3Serializer(FollowUpsListQueryV2Serializer):
    """V3's list adds paging (``page_size``, ``after``) and ``created_at`` / ``updated_at``
    bounds (``[gte]``, ``[lte]``, ``[date_range]``: ``incidents.api.filters.date_bounds``)."""


class FollowUpsConnectExternalIssuePayloadV2Serializer(serializers.Serializer):
    provider = serializers.ChoiceField(choices=PROVIDERS)
    url = serializers.CharField(max_length=500)


class _NothingField(_IdField):
    """An id of something this tracker has none of (teams, follow-up categories): any
    value is refused, naming the field, rather than dropped."""

    def __init__(self, what: str, **kwargs):
        self.what = what
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        self.text(data)
        raise serializers.ValidationError(f"No {self.what} with this id (there are none here)")


class FollowUpsUpdatePayloadV3Serializer(FollowUpsUpdatePayloadV2Serializer):
    assignee_team_id = _NothingField("team", required=False, allow_null=True)
    follow_up_category_id = _NothingField("follow-up category", required=False, allow_null=True)

    def validate(self, attrs):
        # Both are refused when set; null means "none", which is what every follow-up has.
        attrs.pop("assignee_team_id", None)
        attrs.pop("follow_up_category_id", None)
        return attrs


class FollowUpsConnectExternalIssuePayloadV3Serializer(FollowUpsConnectExternalIssuePayloadV2Serializer):
    """V3 names a few more providers than V2, all of which a reference here stores."""

    provider = serializers.ChoiceField(choices=ExternalIssueProvider.values)


class FollowUpsCreateFromLinkPayloadV3Serializer(serializers.Serializer):
    incident_id = serializers.CharField(max_length=50)
    url = serializers.CharField(max_length=500)
