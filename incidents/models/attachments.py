"""What else an incident touches: resources in other systems attached to it (incident.io's
incident attachments: a pull request, a PagerDuty incident, a Jira issue, any link), and
other incidents related to it."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from core.models.api_keys import ApiKey
from core.models.base import ActorMixin, TimestampedModel
from core.text import single_line

from .incidents import Incident
from .visibility import IncidentLinkedQuerySet, visible_to


class ResourceType(models.TextChoices):
    """incident.io's ExternalResourceV1 resource types."""

    PAGER_DUTY_INCIDENT = "pager_duty_incident", "PagerDuty incident"
    OPSGENIE_ALERT = "opsgenie_alert", "Opsgenie alert"
    DATADOG_MONITOR_ALERT = "datadog_monitor_alert", "Datadog monitor alert"
    GITHUB_PULL_REQUEST = "github_pull_request", "GitHub pull request"
    GITLAB_MERGE_REQUEST = "gitlab_merge_request", "GitLab merge request"
    SENTRY_ISSUE = "sentry_issue", "Sentry issue"
    JIRA_ISSUE = "jira_issue", "Jira issue"
    JSM_ALERT = "jsm_alert", "Jira Service Management alert"
    ATLASSIAN_STATUSPAGE_INCIDENT = "atlassian_statuspage_incident", "Atlassian Statuspage incident"
    ZENDESK_TICKET = "zendesk_ticket", "Zendesk ticket"
    GOOGLE_CALENDAR_EVENT = "google_calendar_event", "Google Calendar event"
    OUTLOOK_CALENDAR_EVENT = "outlook_calendar_event", "Outlook Calendar event"
    SLACK_FILE = "slack_file", "Slack file"
    SALESFORCE_CASE = "salesforce_case", "Salesforce case"
    PYLON_ISSUE = "pylon_issue", "Pylon issue"
    ARBITRARY_URL = "arbitrary_url", "Link"
    SCRUBBED = "scrubbed", "Scrubbed"
    STATUSPAGE_INCIDENT = "statuspage_incident", "Status page incident"


class IncidentAttachment(TimestampedModel, ActorMixin):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="attachments")
    resource_type = models.CharField(max_length=40, choices=ResourceType.choices)
    #: the resource's id in its system
    external_id = models.CharField(max_length=500, validators=[single_line])
    title = models.CharField(max_length=255, validators=[single_line])
    permalink = models.URLField(max_length=1000)
    #: a shortcode without colons, for arbitrary links only (incident.io's rule)
    emoji = models.CharField(max_length=50, blank=True, validators=[single_line])
    #: who attached it
    actor_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = IncidentLinkedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # Attaching a resource twice (a retry, two responders at once) keeps one row.
            models.UniqueConstraint(fields=["incident", "resource_type", "external_id"], name="unique_incident_attachment"),
        ]
        indexes = [models.Index(fields=["resource_type", "external_id"], name="attachment_resource_idx")]

    def __str__(self):
        return self.title


class RelationshipQuerySet(IncidentLinkedQuerySet):
    """A relationship names two incidents: it is seen by whoever may see both."""

    def visible_rows(self, viewer):
        return self.filter(visible_to(viewer, via="incident__")).filter(visible_to(viewer, via="related__"))

    def of(self, incident):
        """The relationships of ``incident``, whichever side it was recorded on."""
        return self.filter(Q(incident=incident) | Q(related=incident))


class IncidentRelationship(TimestampedModel):
    """Two related incidents, recorded once: each shows the other. ``incident`` is the
    lower id of the two, so a pair has one row whichever side relates it."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    related = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    actor_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "related"], name="unique_incident_relationship"),
            models.CheckConstraint(condition=Q(incident__lt=F("related")), name="incident_relationship_ordered"),
        ]

    def other(self, incident_id: str) -> Incident:
        return self.related if self.incident_id == incident_id else self.incident

    def __str__(self):
        return f"{self.incident_id} ↔ {self.related_id}"
