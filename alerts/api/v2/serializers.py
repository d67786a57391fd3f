"""incident.io's alert shapes: payloads parsed, results rendered (names are the
contract's components, without the ``Serializer`` suffix)."""

from rest_framework import serializers

from alerts.models import AlertStatus


class AlertEventsCreateHTTPPayloadV2Serializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=False, trim_whitespace=True, max_length=10000)
    status = serializers.ChoiceField(choices=AlertStatus.choices)
    deduplication_key = serializers.CharField(required=False, allow_blank=True, max_length=255)
    description = serializers.CharField(required=False, allow_blank=True, max_length=100000, trim_whitespace=False)
    source_url = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    metadata = serializers.DictField(required=False)


class AlertEventsCreateHTTPResultV2Serializer(serializers.Serializer):
    status = serializers.CharField()
    message = serializers.CharField()
    deduplication_key = serializers.CharField()
