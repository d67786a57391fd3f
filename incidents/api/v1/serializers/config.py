"""Request payloads of v1 configuration endpoints (severities, statuses, roles, fields,
options). Responses use the shared shapes."""

from rest_framework import serializers


class SeveritiesCreatePayloadV1Serializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    description = serializers.CharField(allow_blank=True)
    rank = serializers.IntegerField(required=False, min_value=0)


class SeveritiesUpdatePayloadV1Serializer(SeveritiesCreatePayloadV1Serializer):
    pass
