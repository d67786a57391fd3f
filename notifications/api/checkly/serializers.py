"""Checkly's subscription shapes, named after the contract's components."""

from rest_framework import serializers

from statuspages.api.checkly.serializers import Constant, DayField, GuidField

EMAIL = "EMAIL"


class SubscriptionSerializer(serializers.Serializer):
    """``Subscription``: read from a row of ``values()`` (the list may hold 100,000)."""

    id = GuidField()
    type = Constant(EMAIL)
    address = serializers.CharField(source="email")
    status = serializers.SerializerMethodField()
    created_at = DayField()
    updated_at = DayField()

    def get_status(self, row) -> str:
        return "VERIFIED" if row["confirmed_at"] else "PENDING"


class BulkCreateSubscriptionsPayloadSerializer(serializers.Serializer):
    """``BulkCreateSubscriptionsPayload``. Checkly caps ``subscriptions`` at 100; we take
    any number (docs/dialects/checkly.md), so each item is checked by one plain loop
    rather than a nested serializer per item: 100,000 items parse in well under a second.
    ``validated_data["subscriptions"]`` is the list of addresses."""

    subscriptions = serializers.ListField(allow_empty=False)
    autoVerify = serializers.BooleanField(default=False)

    def validate_subscriptions(self, items: list) -> list[str]:
        emails = []
        for position, item in enumerate(items):
            if not isinstance(item, dict):
                raise serializers.ValidationError(f"item {position} must be an object with type and config")
            if item.get("type") != EMAIL:
                raise serializers.ValidationError(f"item {position}: type must be {EMAIL}")
            config = item.get("config")
            if not isinstance(config, str) or not config.strip():
                raise serializers.ValidationError(f"item {position}: config must be an email address")
            emails.append(config)
        return emails


class BulkCreateSubscriptionsResponseSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    skipped = serializers.IntegerField()
    status = serializers.CharField()
