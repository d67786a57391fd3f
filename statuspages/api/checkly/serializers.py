"""Checkly's shapes, named after the contract's components. Output serializers read our
models (and ``reads.IncidentView``); input serializers parse requests into what the
services take: the services and cards a body names are resolved into our components and
groups here (an unknown one is refused, naming it), and the views hand the result on."""

from datetime import UTC

from rest_framework import serializers

from statuspages.models import Component, ComponentGroup
from statuspages.services import GroupLayout

from . import reads
from .ids import account_id, guid, pk_from_guid
from .mapping import SEVERITIES, STATUSES, checkly_severity, checkly_status

THEMES = ["LIGHT", "DARK", "AUTO"]


class GuidField(serializers.Field):
    """One of our ids as a GUID; read back from a GUID or a ULID."""

    default_error_messages = {"invalid": "must be an id (a GUID)"}

    def to_representation(self, value):
        return guid(value)

    def to_internal_value(self, data):
        pk = pk_from_guid(data)
        if pk is None:
            self.fail("invalid")
        return pk


class DayField(serializers.Field):
    """A timestamp as the contract types ``created_at`` and ``updated_at``: ``format: date``
    (the day, in UTC)."""

    def to_representation(self, value):
        return value.astimezone(UTC).date().isoformat()


class Constant(serializers.Field):
    """A value the same for every row: what Checkly has and we do not."""

    def __init__(self, value, **kwargs):
        self.value = value
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, row):
        return self.value


class AccountIdField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return account_id()


# --- output -----------------------------------------------------------------------------------


class StatusPageV2ServiceSerializer(serializers.Serializer):
    """A service: one of our components."""

    name = serializers.CharField()
    id = GuidField(source="pk")
    accountId = AccountIdField()
    created_at = DayField()
    updated_at = DayField()


class StatusPageV2CardSerializer(serializers.Serializer):
    """A card: one of the page's component groups, with the components placed in it."""

    id = GuidField(source="pk")
    name = serializers.CharField()
    services = serializers.SerializerMethodField()
    created_at = DayField()
    updated_at = DayField()

    def get_services(self, group):
        return StatusPageV2ServiceSerializer([placement.component for placement in group.ordered_placements], many=True).data


class StatusPageV2WithIdReadSerializer(serializers.Serializer):
    """A page (the shape of StatusPageV2WithIdRead, StatusPageV2WithId and the list's
    StatusPageV2Read alike). Read from ``reads.pages_with_cards()``."""

    name = serializers.CharField()
    description = serializers.SerializerMethodField()
    url = serializers.CharField(source="slug")
    # We serve pages at /status/<slug>/ only, with one colour and one logo.
    customDomain = Constant(None)
    themeColors = Constant(None)
    logo = serializers.SerializerMethodField()
    logoDark = Constant(None)
    redirectTo = Constant(None)
    favicon = Constant(None)
    defaultTheme = Constant("AUTO")
    cards = StatusPageV2CardSerializer(many=True)
    version = Constant(None)
    id = GuidField(source="pk")
    accountId = AccountIdField()
    created_at = DayField()
    updated_at = DayField()
    isPrivate = serializers.SerializerMethodField()
    whiteLabel = Constant(False)

    def get_description(self, page):
        return page.description or None

    def get_logo(self, page):
        return page.logo_url or None

    def get_isPrivate(self, page):
        return not page.is_public


class StatusPageV2IncidentUpdateSerializer(serializers.Serializer):
    """An incident update (StatusPageV2IncidentUpdate and ...WithId alike)."""

    id = GuidField(source="pk")
    description = serializers.CharField(source="message")
    status = serializers.SerializerMethodField()
    publicIncidentUpdateDate = serializers.DateTimeField(source="published_at")
    notifySubscribers = serializers.BooleanField(source="notify_subscribers")
    created_at = DayField()

    def get_status(self, update):
        return checkly_status(update.status)


class StatusPageV2IncidentSerializer(serializers.Serializer):
    """An incident, read from a ``reads.IncidentView``."""

    name = serializers.CharField(source="incident.name")
    severity = serializers.SerializerMethodField()
    id = GuidField(source="incident.pk")
    services = StatusPageV2ServiceSerializer(many=True)
    incidentUpdates = StatusPageV2IncidentUpdateSerializer(source="updates", many=True)
    lastUpdateStatus = serializers.SerializerMethodField()
    duration = serializers.IntegerField(allow_null=True)
    created_at = DayField(source="incident.created_at")
    updated_at = DayField(source="incident.updated_at")

    def get_severity(self, view):
        return checkly_severity(view.severity)

    def get_lastUpdateStatus(self, view):
        return checkly_status(view.incident.status)


# --- input ------------------------------------------------------------------------------------


def services_named(ids: list[str], field: str) -> dict[str, Component]:
    """The components of these service ids (1 query); the first unknown one is refused."""
    found = Component.objects.in_bulk(set(ids))
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise serializers.ValidationError({field: [f"No service with id {missing[0]}"]})
    return found


class CreateOrUpdateServiceSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)


class StatusPageV2CardServiceRefSerializer(serializers.Serializer):
    id = GuidField()


class StatusPageV2CardUpdateSerializer(serializers.Serializer):
    # A card's id keeps an existing group of the page (renamed, moved); without one, or
    # with another page's, the card is a new group.
    id = GuidField(required=False, allow_null=True)
    statusPageId = GuidField(required=False, allow_null=True)
    name = serializers.CharField(max_length=255)
    services = StatusPageV2CardServiceRefSerializer(many=True, required=False, default=list)


class StatusPageV2PublicApiUpdateSerializer(serializers.Serializer):
    """A page to create, or the whole of a page to replace (cards included)."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=500, required=False, allow_null=True, allow_blank=True)
    url = serializers.CharField(max_length=100)
    # Accepted and ignored: what we do not store (docs/dialects/checkly.md).
    customDomain = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    themeColors = serializers.JSONField(required=False, allow_null=True)
    logo = serializers.URLField(max_length=500, required=False, allow_null=True, allow_blank=True)
    logoDark = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    redirectTo = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    favicon = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    defaultTheme = serializers.ChoiceField(THEMES, required=False)
    version = serializers.FloatField(required=False, allow_null=True)
    isPrivate = serializers.BooleanField(required=False)
    cards = StatusPageV2CardUpdateSerializer(many=True)

    def validate_url(self, value):
        # x-convert: {case: lower}
        return value.lower()

    def validate(self, attrs):
        """-> ``services.save_status_page``: our page's fields (an optional field left out
        keeps its value; what we do not store is listed in docs/dialects/checkly.md) and its
        structure, a card's id keeping one of the page's groups (``context["page"]``)."""
        fields = {"name": attrs["name"].strip(), "slug": attrs["url"]}
        if "description" in attrs:
            fields["description"] = attrs["description"] or ""
        if "logo" in attrs:
            fields["logo_url"] = attrs["logo"] or ""
        if "isPrivate" in attrs:
            fields["is_public"] = not attrs["isPrivate"]
        cards = attrs["cards"]
        components = services_named([service["id"] for card in cards for service in card["services"]], "cards")
        page, groups = self.context.get("page"), {}
        if page is not None:
            ids = [card["id"] for card in cards if card.get("id")]
            groups = {group.pk: group for group in ComponentGroup.objects.filter(status_page=page, pk__in=ids)}
        layout = [
            GroupLayout(
                name=card["name"],
                components=[components[service["id"]] for service in card["services"]],
                group=groups.get(card.get("id")),
            )
            for card in cards
        ]
        return {**fields, "groups": layout}


class IncidentServiceRefSerializer(serializers.Serializer):
    """A service an incident names: only its id is read."""

    id = GuidField()
    name = serializers.CharField(required=False)


class IncidentUpdatePayloadSerializer(serializers.Serializer):
    """StatusPageV2IncidentUpdate as a request body."""

    description = serializers.CharField()
    status = serializers.ChoiceField(list(STATUSES), required=False)
    publicIncidentUpdateDate = serializers.DateTimeField(required=False)
    notifySubscribers = serializers.BooleanField(required=False, default=False)

    def validate_status(self, value):
        return STATUSES[value]


class StatusPageV2IncidentCommonSerializer(serializers.Serializer):
    """An incident's name, severity and services (what updating one replaces)."""

    name = serializers.CharField(max_length=255)
    severity = serializers.ChoiceField(list(SEVERITIES))
    services = IncidentServiceRefSerializer(many=True, allow_empty=False)

    def validate_severity(self, value):
        return SEVERITIES[value]

    def validate(self, attrs):
        """The services named, in the body's order, once each, as our components."""
        ids = list(dict.fromkeys(ref["id"] for ref in attrs["services"]))
        found = services_named(ids, "services")
        return {**attrs, "services": [found[pk] for pk in ids]}


class CreateStatusPageV2IncidentSerializer(StatusPageV2IncidentCommonSerializer):
    incidentUpdates = IncidentUpdatePayloadSerializer(many=True)

    def validate_incidentUpdates(self, value):
        # x-constraint: {length: 1}: an incident starts with exactly one update.
        if len(value) != 1:
            raise serializers.ValidationError("must hold exactly one update")
        return value

    def validate(self, attrs):
        """Checkly's incidents name services, not a page: one goes on the page that shows
        all of them (``reads.page_showing``)."""
        attrs = super().validate(attrs)
        attrs["status_page"] = reads.page_showing(attrs["services"])
        if attrs["status_page"] is None:
            names = ", ".join(component.name for component in attrs["services"])
            raise serializers.ValidationError({"services": [f"No status page shows all of these services: {names}"]})
        return attrs
