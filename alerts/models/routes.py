"""Routes into incidents: which alerts a route takes (by source and by conditions on the
alert's fields), how it groups them (grouping keys within a rolling or fixed window) and
what it does with a group (declare an incident, attach later alerts to it, and act when
every alert of the incident has resolved).

Conditions are incident.io's shape, kept as given: a list of condition groups (any one
must hold; an empty list always holds), each a list of conditions that must all hold,
each ``{"subject": "alert.metadata.labels.team", "operation": "one_of",
"param_bindings": [{"array_value": [{"literal": "payments"}]}]}``.
"""

from django.db import models
from django.db.models import Q

from alerts.models.alerts import Alert, AlertSource
from core.models.base import TimestampedModel, UlidModel
from incidents.models import Incident, IncidentType, Severity
from incidents.models.visibility import IncidentLinkedQuerySet
from statuspages.models import Component, ImpactLevel, PageIncident, StatusPage


class WindowType(models.TextChoices):
    ROLLING = "rolling", "Rolling: each new alert keeps the group open for another window"
    FIXED = "fixed", "Fixed: the group closes a window after its first alert"


class WhenResolved(models.TextChoices):
    NOTHING = "nothing", "Do nothing"
    POST_UPDATE = "post_update", "Post an update saying every alert has resolved"
    RESOLVE = "resolve", "Resolve (close) the incident"


class SeverityMerge(models.TextChoices):
    FIRST_WINS = "first-wins", "The first alert's severity stays"
    MAX = "max", "A later, more severe alert raises the incident's severity"


class AlertRoute(TimestampedModel):
    name = models.CharField(max_length=200)
    enabled = models.BooleanField(default=True, help_text="A disabled route takes no alerts")
    is_private = models.BooleanField(default=False, help_text="Incidents this route declares are private")
    #: moves on every change (incident.io's ``version``)
    version = models.PositiveIntegerField(default=1)
    condition_groups = models.JSONField(
        default=list, blank=True, help_text="Which alerts this route takes, whatever their source (empty: every alert)"
    )
    incident_enabled = models.BooleanField(
        default=True, help_text="Declare incidents for this route's alerts (off: the route only groups them)"
    )
    incident_condition_groups = models.JSONField(
        default=list, blank=True, help_text="Which of the route's alerts may declare an incident (empty: all)"
    )
    grouping_keys = models.JSONField(
        default=list,
        blank=True,
        help_text='Alerts with the same values here share an incident, e.g. ["alert.metadata.labels.service"] '
        "(empty: every alert of the route groups together)",
    )
    grouping_window_seconds = models.PositiveIntegerField(
        default=0, help_text="How long a group takes new alerts (0: no grouping, each alert its own incident)"
    )
    window_type = models.CharField(max_length=10, choices=WindowType.choices, default=WindowType.ROLLING)
    incident_type = models.ForeignKey(IncidentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    severity = models.ForeignKey(
        Severity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A fixed severity; without one, the alert's severity names one (by name, case aside)",
    )
    severity_merge = models.CharField(max_length=12, choices=SeverityMerge.choices, default=SeverityMerge.FIRST_WINS)
    start_in_triage = models.BooleanField(default=True, help_text="Declared incidents start in triage")
    name_template = models.CharField(
        max_length=500,
        default="{{ alert.title }}",
        help_text="The incident's name: text with {{ alert.title }}, {{ alert.metadata.labels.instance }} and the like",
    )
    summary_template = models.TextField(blank=True, help_text="The incident's summary, with the same placeholders")
    auto_decline_enabled = models.BooleanField(
        default=False, help_text="Decline the incident when every alert resolves while it is still in triage"
    )
    when_resolved = models.CharField(
        max_length=12,
        choices=WhenResolved.choices,
        default=WhenResolved.NOTHING,
        help_text="What happens to an accepted incident when every alert of it has resolved",
    )
    # Components: what the public sees. Only these words and levels reach the page;
    # nothing of the alerts themselves does.
    status_page = models.ForeignKey(
        StatusPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Publish on this page while a group's alerts fire (leave empty to publish nothing)",
    )
    components = models.ManyToManyField(
        Component, blank=True, related_name="+", help_text="The page's components these alerts concern"
    )
    component_status = models.CharField(
        max_length=30, choices=ImpactLevel.choices, default=ImpactLevel.PARTIAL_OUTAGE, help_text="Their status while the alerts fire"
    )
    public_name = models.CharField(max_length=200, default="Service disruption", help_text="The page incident's name")
    public_message = models.TextField(
        default="We are investigating a problem affecting this service.", help_text="Its first update"
    )
    public_resolved_message = models.TextField(
        default="This problem has been resolved.", help_text="Its last update, when every alert has resolved"
    )
    notify_subscribers = models.BooleanField(default=False, help_text="Email the page's subscribers on both updates")
    #: what incident.io's shape carries that this tracker keeps but does not act on
    #: (expressions, escalation, channels, the message template, owning teams)
    extras = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.name


class AlertRouteSource(UlidModel):
    route = models.ForeignKey(AlertRoute, on_delete=models.CASCADE, related_name="route_sources")
    source = models.ForeignKey(AlertSource, on_delete=models.CASCADE, related_name="route_sources")
    condition_groups = models.JSONField(default=list, blank=True, help_text="Which of this source's alerts (empty: all)")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["route", "source"], name="alert_route_source_once")]

    def __str__(self):
        return f"{self.route} ← {self.source}"


class AlertGroup(UlidModel):
    """A route's alerts that share grouping values, while its window is open. The row is
    the lock two events for one group queue on, and the partial unique index forbids a
    second open group for the same values (two concurrent first alerts cannot both open
    one, so they cannot declare two incidents)."""

    route = models.ForeignKey(AlertRoute, on_delete=models.CASCADE, related_name="groups")
    #: a digest of the grouping values (``values``), so the index stays small
    key = models.CharField(max_length=64)
    values = models.JSONField(default=dict, blank=True)
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    #: what the route published on its status page for this group
    page_incident = models.ForeignKey(PageIncident, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    alerts = models.ManyToManyField(Alert, blank=True, related_name="alert_groups")
    is_open = models.BooleanField(default=True)
    opened_at = models.DateTimeField()
    last_alert_at = models.DateTimeField()

    #: seen with its incident; a group that declared none has nothing to show a reader
    objects = IncidentLinkedQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["route", "key"], condition=Q(is_open=True), name="alert_groups_one_open_per_key")
        ]

    def __str__(self):
        return f"{self.route}: {self.values}"


class IncidentAlert(UlidModel):
    """An alert attached to an incident (incident.io's ``IncidentAlertV2``); seen only by
    those who may see the incident."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="incident_alerts")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+")
    route = models.ForeignKey(AlertRoute, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    group = models.ForeignKey(AlertGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="incident_alerts")
    created_at = models.DateTimeField()

    objects = IncidentLinkedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["alert", "incident"], name="incident_alert_once")]
        indexes = [models.Index(fields=["incident", "-created_at"], name="incident_alerts_newest")]

    def __str__(self):
        return f"{self.alert} → {self.incident}"
