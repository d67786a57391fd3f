"""Incident Attachments V1 and Incident Relationships V1: payloads parsed by serializers,
answers built as plain dicts in incident.io's shapes (documented with its components)."""

from rest_framework import serializers

from incidents.models import IncidentAttachment, IncidentRelationship, ResourceType


def render_attachment_v1(attachment: IncidentAttachment) -> dict:
    """IncidentAttachmentV1."""
    return {
        "id": attachment.pk,
        "incident_id": attachment.incident_id,
        "resource": {
            "external_id": attachment.external_id,
            "permalink": attachment.permalink,
            "resource_type": attachment.resource_type,
            "title": attachment.title,
        },
    }


def render_relationship_v1(relationship: IncidentRelationship, incident_id: str) -> dict:
    """IncidentRelationshipV1 as seen from ``incident_id``: the other incident; the
    relationship comes with both incidents selected."""
    other = relationship.other(incident_id)
    return {"id": relationship.pk, "incident": {"id": other.pk, "name": other.name, "external_id": other.reference_number}}


class _ResourcePayload(serializers.Serializer):
    resource_type = serializers.ChoiceField(choices=ResourceType.values)
    external_id = serializers.CharField(required=False, max_length=500, default="")
    url = serializers.CharField(required=False, max_length=1000, default="")
    title = serializers.CharField(required=False, max_length=255, allow_blank=True, default="")
    emoji = serializers.CharField(required=False, max_length=50, allow_blank=True, default="")


class IncidentAttachmentsCreatePayloadV1Serializer(serializers.Serializer):
    incident_id = serializers.CharField(max_length=50)
    resource = _ResourcePayload()


class IncidentAttachmentsListQueryV1Serializer(serializers.Serializer):
    incident_id = serializers.CharField(required=False, max_length=50)
    external_id = serializers.CharField(required=False, max_length=500)
    resource_type = serializers.ChoiceField(choices=ResourceType.values, required=False)

    def validate(self, attrs):
        # incident.io: an incident, or a resource (its type and id).
        if not attrs.get("incident_id") and not (attrs.get("external_id") and attrs.get("resource_type")):
            raise serializers.ValidationError({"incident_id": ["Name an incident, or a resource_type and external_id"]})
        return attrs


class IncidentRelationshipsListQueryV1Serializer(serializers.Serializer):
    incident_id = serializers.CharField(max_length=50)
