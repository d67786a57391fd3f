"""Incident Timeline Items V2: payloads parsed by serializers, answers built as plain
dicts in incident.io's IncidentTimelineItemV2 shape (documented with its component)."""

from rest_framework import serializers

from incidents.api.actors import actor_shape
from incidents.api.rendering import iso
from incidents.models import TimelineItem


def render_timeline_item_v2(item: TimelineItem) -> dict:
    """IncidentTimelineItemV2; ``item`` comes with its actor selected."""
    shape = {
        "id": item.pk,
        "incident_id": item.incident_id,
        "title": item.title,
        "timestamp": iso(item.occurred_at),
        "creator": actor_shape(item.actor),
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
    }
    if item.description:
        shape["description"] = item.description
    return shape


class IncidentTimelineItemsCreatePayloadV2Serializer(serializers.Serializer):
    incident_id = serializers.CharField(max_length=50)
    title = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    timestamp = serializers.DateTimeField(source="occurred_at")
    idempotency_key = serializers.CharField(max_length=255)


class IncidentTimelineItemsUpdatePayloadV2Serializer(serializers.Serializer):
    title = serializers.CharField(max_length=255, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    timestamp = serializers.DateTimeField(source="occurred_at", required=False)


class IncidentTimelineItemsListQueryV2Serializer(serializers.Serializer):
    incident_id = serializers.CharField(max_length=50)
