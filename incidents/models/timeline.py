"""What happened when, noted by responders (incident.io's timeline items): a title, a
description, and the moment it happened, which may be before it was noted. The incident
page's timeline shows them between the updates, in the order things happened."""

from django.conf import settings
from django.db import models

from core.models.api_keys import ApiKey
from core.models.base import ActorMixin, TimestampedModel
from core.text import multi_line, single_line

from .incidents import Incident
from .visibility import IncidentLinkedQuerySet


class TimelineItem(TimestampedModel, ActorMixin):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline_items")
    title = models.CharField(max_length=255, validators=[single_line])
    description = models.TextField(blank=True, help_text="Markdown", validators=[multi_line])
    #: when it happened (incident.io's ``timestamp``): back-datable
    occurred_at = models.DateTimeField()
    #: a client's key for its request: a retry for the same incident answers the first item
    idempotency_key = models.CharField(max_length=255, editable=False)
    #: who noted it
    actor_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = IncidentLinkedQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_at", "id"]
        constraints = [
            # Two retries racing each other insert once; the loser answers with the winner's item.
            models.UniqueConstraint(fields=["incident", "idempotency_key"], name="unique_timeline_item_idempotency_key"),
        ]
        indexes = [models.Index(fields=["incident", "occurred_at"], name="timeline_item_incident_at")]

    def __str__(self):
        return self.title
