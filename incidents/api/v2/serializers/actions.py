"""Actions V2 and V3: payloads parsed by serializers, answers built as plain dicts in
incident.io's ActionV2 shape (ActionV3 is the same), documented with its components."""

from rest_framework import serializers

from incidents.api.actors import actor_shape, user_shape
from incidents.api.rendering import iso
from incidents.api.v2.serializers.follow_ups import _UserField
from incidents.models import Action, ActionStatus

INCIDENT_MODES = ["standard", "retrospective", "test", "tutorial", "stream"]


def render_action_v2(action: Action) -> dict:
    """ActionV2 / ActionV3; ``action`` comes with its assignee and actor selected."""
    shape = {
        "id": action.pk,
        "incident_id": action.incident_id,
        "creator": actor_shape(action.actor),
        "description": action.description,
        "status": action.status,
        "created_at": iso(action.created_at),
        "updated_at": iso(action.updated_at),
    }
    if action.assignee_id:
        shape["assignee"] = user_shape(action.assignee)
    if action.completed_at:
        shape["completed_at"] = iso(action.completed_at)
    return shape


class ActionsCreatePayloadV2Serializer(serializers.Serializer):
    incident_id = serializers.CharField(max_length=50)
    description = serializers.CharField()
    assignee_id = _UserField(required=False, allow_null=True, source="assignee")


class ActionsUpdatePayloadV2Serializer(serializers.Serializer):
    description = serializers.CharField()
    status = serializers.ChoiceField(choices=ActionStatus.values)
    assignee_id = _UserField(required=False, allow_null=True, source="assignee")


class ActionsListQueryV2Serializer(serializers.Serializer):
    incident_id = serializers.CharField(required=False, max_length=50)
    incident_mode = serializers.ChoiceField(choices=INCIDENT_MODES, required=False)


class ActionsCreatePayloadV3Serializer(ActionsCreatePayloadV2Serializer):
    """V3's create takes what V2's does."""


class ActionsUpdatePayloadV3Serializer(ActionsUpdatePayloadV2Serializer):
    """V3's update takes what V2's does."""


class ActionsListQueryV3Serializer(ActionsListQueryV2Serializer):
    """V3's list adds paging (``page_size``, ``after``) and ``created_at`` / ``updated_at``
    bounds (``incidents.api.filters.date_bounds``)."""
