"""Alert sources, the alerts they raise and the raw events that raised them.

An alert is one per (source, deduplication key) while it fires: the partial unique
index ``alerts_one_firing_per_key`` both forbids a second firing row (two concurrent
events for a new key cannot both insert) and makes the event path's lookup one probe of
a small index (only firing rows are in it, however many resolved ones pile up).
"""

from django.db import models
from django.db.models import Q

from core.models.base import TimestampedModel, UlidModel


class SourceType(models.TextChoices):
    """incident.io's ``source_type`` values for the kinds this tracker takes in: each has
    its events URL (``alerts/api/v2/events.py``)."""

    HTTP = "http", "HTTP (incident.io's shape)"
    ALERTMANAGER = "alertmanager", "Prometheus Alertmanager"
    GRAFANA = "grafana", "Grafana"
    PAGER_DUTY = "pager_duty", "PagerDuty Events v2"
    HEARTBEAT = "heartbeat", "Heartbeat (pings expected on an interval)"


class AlertStatus(models.TextChoices):
    FIRING = "firing", "Firing"
    RESOLVED = "resolved", "Resolved"


class AlertSource(TimestampedModel):
    """Where alerts come from, the secret that admits its events (only a SHA-256 is kept;
    the secret is shown once, on create and on rotate) and how its payloads map onto an
    alert: each binding is ``{"reference": "<dotted path>"}`` into the payload or
    ``{"literal": "<text>"}``."""

    name = models.CharField(max_length=200)
    source_type = models.CharField(max_length=20, choices=SourceType.choices)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    secret_hint = models.CharField(max_length=12, editable=False, help_text="The secret's last characters")
    title_binding = models.JSONField(
        default=dict, blank=True, help_text='{"reference": "annotations.summary"} or {"literal": "Disk full"}'
    )
    description_binding = models.JSONField(default=dict, blank=True, help_text='{"reference": "annotations.description"}')
    dedup_key_path = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where the deduplication key is when the event names none (a dotted path, e.g. metadata.alert_id)",
    )
    severity_path = models.CharField(
        max_length=200, blank=True, help_text="Where the severity is (a dotted path, e.g. labels.severity)"
    )
    disabled = models.BooleanField(default=False, help_text="A disabled source refuses its events (403)")
    # Kept as written, unlike the secret: checking an HMAC needs the key itself.
    signing_secret = models.CharField(
        max_length=200,
        blank=True,
        help_text="Grafana only: the contact point's HMAC signature secret, when it signs its requests",
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.name


class Alert(UlidModel):
    source = models.ForeignKey(AlertSource, on_delete=models.CASCADE, related_name="alerts")
    dedup_key = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=AlertStatus.choices, default=AlertStatus.FIRING)
    title = models.CharField(max_length=1000)
    description = models.TextField(blank=True, max_length=10000)
    source_url = models.CharField(max_length=2000, blank=True)
    severity = models.CharField(max_length=100, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    #: events folded into this alert (the first included)
    event_count = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Two events for a new key racing each other: the second insert fails here
            # and folds into the first's row instead of making a duplicate.
            models.UniqueConstraint(
                fields=["source", "dedup_key"], condition=Q(status="firing"), name="alerts_one_firing_per_key"
            ),
        ]
        indexes = [
            # The admin's list: firing first, then the most recently seen.
            models.Index(fields=["status", "-last_seen_at"], name="alerts_by_status_seen"),
            # The API's filter on deduplication_key, whatever the status.
            models.Index(fields=["dedup_key"], name="alerts_by_dedup_key"),
        ]

    def __str__(self):
        return self.title


class AlertEvent(UlidModel):
    """One event as it arrived (its body cut at ``ALERTS_PAYLOAD_MAX_KB``), kept for
    ``ALERTS_EVENT_RETENTION_DAYS``. An event that resolves an unknown key has no alert.
    Identical payloads in a row for one alert are one row with a ``repeat_count``."""

    source = models.ForeignKey(AlertSource, on_delete=models.CASCADE, related_name="events")
    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=10, choices=AlertStatus.choices)
    dedup_key = models.CharField(max_length=255)
    received_at = models.DateTimeField(db_index=True)
    body = models.TextField(blank=True)
    truncated = models.BooleanField(default=False)
    #: SHA-256 of ``body``: an identical payload repeating is counted on this row
    #: (alerts/services/raw.py) rather than stored again
    body_hash = models.CharField(max_length=64, blank=True, editable=False)
    repeat_count = models.PositiveIntegerField(default=1)
    #: when the last identical repeat arrived (null: none did)
    last_received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["alert", "-received_at"], name="alert_events_newest")]

    def __str__(self):
        return f"{self.status} {self.dedup_key}"


class Heartbeat(models.Model):
    """A heartbeat source's schedule (incident.io's ``heartbeat_options``) and state.

    ``due_at`` is when the source is late: the last ping (or the schedule's start) plus
    ``interval_seconds * failure_threshold + grace_period_seconds``. Storing it, rather
    than computing it in SQL, keeps the beat's check one probe of ``heartbeats_due``
    on any database."""

    source = models.OneToOneField(AlertSource, primary_key=True, on_delete=models.CASCADE, related_name="heartbeat")
    interval_seconds = models.PositiveIntegerField(default=60, help_text="How often a ping is expected, in seconds")
    grace_period_seconds = models.PositiveIntegerField(
        default=0, help_text="How long past a missed ping before it counts as missed, in seconds"
    )
    failure_threshold = models.PositiveIntegerField(default=1, help_text="Missed pings in a row before the alert fires")
    last_ping_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField()
    #: set by the check when it fires the alert, cleared by the ping that resolves it
    failing = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["failing", "due_at"], name="heartbeats_due")]

    def __str__(self):
        return f"heartbeat of {self.source_id}"
