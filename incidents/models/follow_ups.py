"""What must be done after an incident (incident.io's follow-ups): a title, a status, an
assignee among the staff, a priority, labels, and a link to an issue in another tracker
(kept as a reference; nothing is sent there)."""

from django.conf import settings
from django.db import models

from core.models.api_keys import ApiKey
from core.models.base import ActorMixin, TimestampedModel
from core.text import multi_line, single_line

from .incidents import ExternalIssueProvider, Incident
from .visibility import IncidentLinkedQuerySet


class FollowUpStatus(models.TextChoices):
    OUTSTANDING = "outstanding"
    COMPLETED = "completed"
    NOT_DOING = "not_doing"
    DELETED = "deleted"


class FollowUpPriority(TimestampedModel):
    """A priority a follow-up may have (incident.io's follow-up priority options)."""

    name = models.CharField(max_length=255, unique=True, validators=[single_line])
    description = models.TextField(blank=True, validators=[multi_line])
    rank = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["rank", "id"]
        verbose_name_plural = "follow-up priorities"

    def __str__(self):
        return self.name


class FollowUp(TimestampedModel, ActorMixin):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="follow_ups")
    title = models.CharField(max_length=255, validators=[single_line])
    description = models.TextField(blank=True, help_text="Markdown", validators=[multi_line])
    status = models.CharField(max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.OUTSTANDING)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        limit_choices_to={"is_staff": True},
    )
    priority = models.ForeignKey(FollowUpPriority, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    labels = models.JSONField(default=list, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    external_issue_provider = models.CharField(max_length=20, choices=ExternalIssueProvider.choices, blank=True)
    external_issue_name = models.CharField(max_length=255, blank=True, validators=[single_line])
    external_issue_url = models.URLField(max_length=500, blank=True)
    #: who created it
    actor_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = IncidentLinkedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.title
