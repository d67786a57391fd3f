"""Signed webhooks to other systems, in incident.io's event shapes.

A ``WebhookEndpoint`` is a URL staff registered, the event types it wants (none listed:
every type it may receive) and the secret its deliveries are signed with (Standard
Webhooks). A ``WebhookMessage`` is one event, its body rendered once when the incident
changed: every endpoint and every retry gets the same bytes and the same ``webhook-id``.
A ``WebhookDelivery`` is one message owed to one endpoint (unique per pair: the outbox
row, written in the transaction that changed the incident), and each try at it is a
``WebhookAttempt``, the endpoint's attempt log.
"""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.models import TimestampedModel

from .subscribers import OutboxRow

#: the event types we send (incident.io's names); ``private_*`` only to endpoints allowed them
EVENT_TYPES = (
    "public_incident.incident_created_v2",
    "public_incident.incident_updated_v2",
    "public_incident.incident_status_updated_v2",
    "public_incident.follow_up_created_v2",
    "public_incident.follow_up_updated_v2",
    "private_incident.incident_created_v2",
    "private_incident.incident_updated_v2",
    "private_incident.follow_up_created_v2",
    "private_incident.follow_up_updated_v2",
)


class EndpointKind(models.TextChoices):
    """What an endpoint receives: incident.io's signed events, or a chat message in a
    chat service's incoming-webhook shape (``notifications.chat``)."""

    WEBHOOK = "webhook", "Webhook (incident.io events)"
    SLACK = "slack", "Slack"
    MATTERMOST = "mattermost", "Mattermost"
    TEAMS = "teams", "Microsoft Teams (Workflows)"
    DISCORD = "discord", "Discord"
    JSON = "json", "Generic JSON"


class ChatEvent(models.TextChoices):
    """What a chat destination may ask to hear about; one change of an incident is one
    message, headed by the first of these (in this order) the destination wants."""

    DECLARED = "declared", "Incident declared"
    RESOLVED = "resolved", "Incident resolved"
    STATUS_CHANGED = "status_changed", "Status changed"
    SEVERITY_CHANGED = "severity_changed", "Severity changed"
    UPDATE_POSTED = "update_posted", "Update posted"
    FOLLOW_UP_CREATED = "follow_up_created", "Follow-up created"


class WebhookEndpoint(TimestampedModel):
    kind = models.CharField(max_length=12, choices=EndpointKind.choices, default=EndpointKind.WEBHOOK)
    url = models.URLField(max_length=2000, verbose_name="URL", validators=[URLValidator(schemes=["http", "https"])])
    description = models.CharField(max_length=255, blank=True)
    #: incident.io's event type names; empty: every type the endpoint may receive
    event_types = models.JSONField(default=list, blank=True, help_text="Empty: every event type")
    private_events = models.BooleanField(
        default=False, help_text="Also send private_incident.* events (they carry only the incident's id)"
    )
    enabled = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=255, blank=True, editable=False)
    #: ``whsec_<base64>``; kept as it is, since signing needs it (docs/webhooks.md says why)
    secret = models.CharField(max_length=100, editable=False)
    #: the secret before the last rotation, still signing (a second signature) until
    #: ``previous_secret_expires_at``
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: who is emailed when the endpoint is disabled for failing (a staff user, addresses)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        limit_choices_to={"is_staff": True},
    )
    owner_emails = models.TextField(blank=True, help_text="More addresses to email when it is disabled, one a line")
    #: failed attempts since the last success, and when the first of them was
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    failing_since = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "webhook endpoint"

    def __str__(self):
        return self.description or self.url

    @property
    def is_chat(self) -> bool:
        return self.kind != EndpointKind.WEBHOOK

    def owner_addresses(self) -> list[str]:
        addresses = [line.strip() for line in self.owner_emails.splitlines() if line.strip()]
        if self.owner_id and self.owner.email:
            addresses.insert(0, self.owner.email)
        return list(dict.fromkeys(addresses))

    def wants(self, event_type: str) -> bool:
        """incident.io's event types for a webhook; ``ChatEvent`` values for a chat destination."""
        if event_type.startswith("private_") and not self.private_events:
            return False
        return not self.event_types or event_type in self.event_types

    def signing_secrets(self, now=None) -> list[str]:
        """The secrets a delivery is signed with now: the current one, and the previous
        one during its grace period."""
        now = now or timezone.now()
        secrets = [self.secret]
        if self.previous_secret and self.previous_secret_expires_at and self.previous_secret_expires_at > now:
            secrets.append(self.previous_secret)
        return secrets


class ChatDestination(WebhookEndpoint):
    """A chat destination is an endpoint of a chat kind; its own admin screen."""

    class Meta:
        proxy = True
        verbose_name = "chat destination"


class WebhookMessage(models.Model):
    id = models.BigAutoField(primary_key=True)
    #: the endpoint kind the body is shaped for (a Slack message goes to Slack endpoints)
    kind = models.CharField(max_length=12, choices=EndpointKind.choices, default=EndpointKind.WEBHOOK)
    #: the ``webhook-id`` header: the receiver's idempotency key, the same on every retry
    msg_id = models.CharField(max_length=40, unique=True)
    event_type = models.CharField(max_length=64)
    #: the exact bytes signed and sent
    body = models.TextField()
    incident_id = models.CharField(max_length=26, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "webhook message"

    def __str__(self):
        return f"{self.event_type} {self.msg_id}"


class WebhookDelivery(OutboxRow):
    id = models.BigAutoField(primary_key=True)
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    message = models.ForeignKey(WebhookMessage, on_delete=models.CASCADE, related_name="deliveries")

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "message"], name="one_webhook_delivery_per_endpoint_and_message"),
            models.CheckConstraint(condition=~Q(state="sent", sent_at=None), name="sent_webhook_delivery_has_sent_at"),
        ]
        indexes = [
            models.Index(
                fields=["claimed_until", "created_at"],
                condition=Q(state__in=["queued", "sending"]),
                name="webhook_delivery_pending_idx",
            ),
        ]

    def __str__(self):
        return f"{self.message} to {self.endpoint_id} ({self.state})"


class WebhookAttempt(models.Model):
    """One POST of a delivery: what the endpoint answered (or why nothing did)."""

    id = models.BigAutoField(primary_key=True)
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="attempts")
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    created_at = models.DateTimeField(default=timezone.now)
    succeeded = models.BooleanField(default=False)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    #: the first bytes of the answer
    response = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["endpoint", "created_at"], name="webhook_attempt_endpoint_idx")]

    def __str__(self):
        return f"{self.status_code or self.error} ({self.duration_ms} ms)"
