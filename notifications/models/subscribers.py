"""Who follows a status page, and what each of them was sent.

A ``Subscriber`` is one address on one page: every component, or a chosen set. Only a
confirmed, unsuppressed subscriber is notified (double opt-in; bounces, complaints and
unsubscribes suppress). A ``Delivery`` is one email about one published update to one
subscriber: unique per (update, subscriber) in the database, it is what makes sending
exactly once: a batch claims queued rows by a conditional update and marks each one sent
as soon as the SMTP server accepts it.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.models import TimestampedModel
from incidents.models import published_about
from statuspages.models import (
    Component,
    MaintenanceUpdate,
    PageIncidentUpdate,
    StatusPage,
)


class Source(models.TextChoices):
    """How an address came to the page."""

    FORM = "form", "Public subscribe form"
    API = "api", "API"
    ADMIN = "admin", "Admin"
    IMPORT = "import", "CSV import"


class Suppression(models.TextChoices):
    """Why an address gets nothing any more (blank: it is not suppressed)."""

    NONE = "", "Not suppressed"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    BOUNCED = "bounced", "Hard bounces"
    COMPLAINED = "complained", "Complaint"


class Subscriber(TimestampedModel):
    status_page = models.ForeignKey(StatusPage, on_delete=models.CASCADE, related_name="subscribers")
    #: stored lower-cased: one row per address and page whatever its spelling
    email = models.EmailField(max_length=254)
    all_components = models.BooleanField(default=True, help_text="Off: only the components chosen below")
    components = models.ManyToManyField(Component, blank=True, related_name="subscribers")
    confirmed_at = models.DateTimeField(null=True, blank=True, help_text="Blank: the address has not confirmed yet")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.ADMIN)
    suppression = models.CharField(max_length=16, choices=Suppression.choices, default=Suppression.NONE, blank=True)
    suppressed_at = models.DateTimeField(null=True, blank=True)
    hard_bounces = models.PositiveIntegerField(default=0)
    #: when a confirmation email was last asked for (a bulk call's re-send reads it)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: the state confirmation links are bound to: bumped whenever the address is
    #: suppressed, so a link sent before it left (or bounced) confirms nothing
    link_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["status_page", "email"], name="one_subscriber_per_address_per_page"),
        ]
        indexes = [
            # The fan-out's keyset walk: confirmed, unsuppressed subscribers of a page by id.
            models.Index(
                fields=["status_page", "id"],
                condition=Q(confirmed_at__isnull=False, suppression=""),
                name="subscriber_notifiable_idx",
            ),
            # The admin's search by address prefix (LIKE 'x%'): pattern ops let PostgreSQL
            # use the index whatever the database's collation (equality too).
            models.Index(fields=["email"], name="subscriber_email_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_notifiable(self) -> bool:
        return self.confirmed_at is not None and not self.suppression


class DeliveryState(models.TextChoices):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    #: not sent, on purpose: the address was suppressed or unsubscribed after the fan-out began
    SKIPPED = "skipped"


class OutboxRow(models.Model):
    """What every outbox row of work owed (a confirmation email, a webhook delivery)
    keeps: its state, its attempts, and the claim a task takes by a conditional update
    (``claim_token`` until ``claimed_until``) so two workers never send one row. A claim
    that ran out may be taken again; on a queued row, ``claimed_until`` is when it may be
    claimed next (a temporary failure's backoff, a receiver's Retry-After). The sweep
    re-enqueues rows the broker lost."""

    state = models.CharField(max_length=8, choices=DeliveryState.choices, default=DeliveryState.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Delivery(models.Model):
    """One email about one update to one subscriber. Exactly one of ``incident_update``
    and ``maintenance_update`` is set."""

    id = models.BigAutoField(primary_key=True)
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    incident_update = models.ForeignKey(
        PageIncidentUpdate, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    maintenance_update = models.ForeignKey(
        MaintenanceUpdate, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    state = models.CharField(max_length=8, choices=DeliveryState.choices, default=DeliveryState.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    #: a claimed row whose claim ran out (its worker died) may be claimed again; on a queued
    #: row waiting out a temporary failure's backoff, the time it may be claimed again
    claimed_until = models.DateTimeField(null=True, blank=True)
    #: who holds the claim: the batch that set it reads back exactly the rows it won
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    error = models.TextField(blank=True, help_text="Why the last attempt failed")
    message_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = published_about("incident_update__page_incident__incident__")

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.CheckConstraint(
                condition=Q(incident_update__isnull=False, maintenance_update__isnull=True)
                | Q(incident_update__isnull=True, maintenance_update__isnull=False),
                name="delivery_is_about_one_update",
            ),
            models.UniqueConstraint(
                fields=["incident_update", "subscriber"],
                condition=Q(incident_update__isnull=False),
                name="one_delivery_per_incident_update_and_subscriber",
            ),
            models.UniqueConstraint(
                fields=["maintenance_update", "subscriber"],
                condition=Q(maintenance_update__isnull=False),
                name="one_delivery_per_maintenance_update_and_subscriber",
            ),
            models.CheckConstraint(condition=~Q(state="sent", sent_at=None), name="sent_delivery_has_sent_at"),
        ]
        indexes = [
            models.Index(fields=["incident_update", "state"], name="delivery_incident_state_idx"),
            models.Index(fields=["maintenance_update", "state"], name="delivery_maint_state_idx"),
            # The sweep's look for rows nobody is working on: only unfinished rows are indexed,
            # so it stays small however many deliveries were sent.
            models.Index(
                fields=["claimed_until", "created_at"],
                condition=Q(state__in=["queued", "sending"]),
                name="delivery_pending_idx",
            ),
        ]

    def __str__(self):
        return f"{self.subscriber} ({self.state})"

    @property
    def update(self):
        return self.incident_update if self.incident_update_id else self.maintenance_update


class Confirmation(OutboxRow):
    """A confirmation (or reminder) email owed to a subscriber: the outbox row, written in
    the transaction that asked for it. Its task (enqueued on commit, best effort) claims
    it by a conditional update and marks it sent once the SMTP server accepts it; the
    sweep re-enqueues rows the broker lost. At most one is pending per subscriber, so
    asking again while one waits (the broker down) sends one email, not two."""

    id = models.BigAutoField(primary_key=True)
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="confirmations")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber"], condition=Q(state__in=["queued", "sending"]), name="one_pending_confirmation_per_subscriber"
            ),
            models.CheckConstraint(condition=~Q(state="sent", sent_at=None), name="sent_confirmation_has_sent_at"),
        ]
        indexes = [
            models.Index(
                fields=["claimed_until", "created_at"],
                condition=Q(state__in=["queued", "sending"]),
                name="confirmation_pending_idx",
            ),
        ]

    def __str__(self):
        return f"confirmation to {self.subscriber_id} ({self.state})"


class NotifiedIncidentUpdate(PageIncidentUpdate):
    """An incident update seen from its emails (the admin's delivery counts and retries)."""

    class Meta:
        proxy = True
        verbose_name = "notified incident update"


class NotifiedMaintenanceUpdate(MaintenanceUpdate):
    """A maintenance update seen from its emails."""

    class Meta:
        proxy = True
        verbose_name = "notified maintenance update"
