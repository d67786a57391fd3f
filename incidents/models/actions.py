"""What is being done during an incident (incident.io's actions): a description, a
status, and an assignee among the staff. Follow-ups are what must be done after it."""

from django.conf import settings
from django.db import models

from core.models.api_keys import ApiKey
from core.models.base import ActorMixin, TimestampedModel
from core.text import multi_line

from .incidents import Incident
from .visibility import IncidentLinkedQuerySet


class ActionStatus(models.TextChoices):
    OUTSTANDING = "outstanding"
    COMPLETED = "completed"
    NOT_DOING = "not_doing"
    DELETED = "deleted"


class Action(TimestampedModel, ActorMixin):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(validators=[multi_line])
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OUTSTANDING)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        limit_choices_to={"is_staff": True},
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    #: who created it
    actor_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = IncidentLinkedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.description[:80]
