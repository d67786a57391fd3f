"""Scheduled maintenance: a window on one page, the components it affects, and its
updates. With ``automate`` on, it starts and completes by itself at its window's edges
(``statuspages.tasks``)."""

from django.db import models
from django.db.models import Q

from core.models import TimestampedModel

from . import limits
from .incidents import ActorFields
from .pages import Component, StatusPage


class MaintenanceStatus(models.TextChoices):
    """incident.io's names."""

    SCHEDULED = "maintenance_scheduled"
    IN_PROGRESS = "maintenance_in_progress"
    COMPLETE = "maintenance_complete"


class Maintenance(TimestampedModel, ActorFields):
    status_page = models.ForeignKey(StatusPage, on_delete=models.CASCADE, related_name="maintenances")
    name = models.CharField(max_length=255, validators=limits.name_validators(limits.MAINTENANCE_NAME))
    status = models.CharField(max_length=24, choices=MaintenanceStatus.choices, default=MaintenanceStatus.SCHEDULED)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    automate = models.BooleanField(default=True, help_text="Start and complete at the window's edges by itself")
    components = models.ManyToManyField(Component, blank=True, related_name="maintenances")
    published_at = models.DateTimeField()
    #: when it really started and completed (the window says when it was meant to)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=255, blank=True, editable=False)
    number = models.PositiveBigIntegerField(unique=True, editable=False)

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["status", "starts_at"], name="maintenance_due_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="maintenance_window_ends_after_start"),
            models.UniqueConstraint(
                fields=["actor_api_key", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="unique_maintenance_idempotency_key",
            ),
        ]

    def __str__(self):
        return self.name


class MaintenanceUpdate(TimestampedModel, ActorFields):
    maintenance = models.ForeignKey(Maintenance, on_delete=models.CASCADE, related_name="updates")
    message = models.TextField(blank=True, help_text="Markdown", validators=limits.text_validators(limits.MESSAGE))
    status = models.CharField(max_length=24, choices=MaintenanceStatus.choices)
    published_at = models.DateTimeField()
    notify_subscribers = models.BooleanField(default=False)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    number = models.PositiveBigIntegerField(unique=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return f"{self.maintenance}: {self.status}"
