"""What a page tells its readers about incidents: status page incidents (written for the
public, optionally linked to an internal incident), their updates with the component
statuses each one set, and the impacts on components those statuses add up to."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import ActorMixin, ApiKey, TimestampedModel, UlidModel
from incidents.models import Incident, published_about

from . import limits
from .pages import Component, StatusPage


class IncidentStatus(models.TextChoices):
    """incident.io's names, which Statuspage's JSON uses too."""

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"


class ComponentStatus(models.TextChoices):
    """What an update says of a component. ``operational`` ends an impact."""

    OPERATIONAL = "operational"
    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    FULL_OUTAGE = "full_outage"


class ImpactLevel(models.TextChoices):
    """How badly an impact hurts a component: a component status other than operational."""

    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    FULL_OUTAGE = "full_outage"


class Severity(models.TextChoices):
    """Checkly's severities (statuspages/api/checkly): derived from the worst impact unless set."""

    MINOR = "minor"
    MEDIUM = "medium"
    MAJOR = "major"
    CRITICAL = "critical"


class Visibility(models.IntegerChoices):
    """Who sees a status page incident (Cachet's values)."""

    PUBLIC = 1, "Everyone"
    STAFF = 0, "Logged-in staff only"
    HIDDEN = 2, "Nobody (kept for the record)"


class ActorFields(ActorMixin):
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        abstract = True


class PageIncident(TimestampedModel, ActorFields):
    """An incident as a page shows it. Its name and messages are written for the public:
    nothing of a linked internal incident is shown, private or not."""

    status_page = models.ForeignKey(StatusPage, on_delete=models.CASCADE, related_name="incidents")
    name = models.CharField(max_length=255, validators=limits.name_validators(limits.INCIDENT_NAME))
    status = models.CharField(max_length=16, choices=IncidentStatus.choices, default=IncidentStatus.INVESTIGATING)
    severity = models.CharField(max_length=8, choices=Severity.choices, blank=True, help_text="Blank: from its worst impact")
    visibility = models.IntegerField(choices=Visibility.choices, default=Visibility.PUBLIC)
    stickied = models.BooleanField(default=False, help_text="Kept at the top of the page")
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="page_incidents",
        help_text="The internal incident this is about (never shown)",
    )
    published_at = models.DateTimeField(db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=255, blank=True, editable=False)
    number = models.PositiveBigIntegerField(unique=True, editable=False)

    objects = published_about("incident__")

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status_page", "-published_at"], name="page_incident_history_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["actor_api_key", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="unique_page_incident_idempotency_key",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_resolved(self) -> bool:
        return self.status == IncidentStatus.RESOLVED


class PageIncidentUpdate(TimestampedModel, ActorFields):
    """An entry on a page incident's timeline."""

    page_incident = models.ForeignKey(PageIncident, on_delete=models.CASCADE, related_name="updates")
    message = models.TextField(help_text="Markdown", validators=limits.text_validators(limits.MESSAGE))
    status = models.CharField(max_length=16, choices=IncidentStatus.choices)
    published_at = models.DateTimeField()
    notify_subscribers = models.BooleanField(default=False)
    #: set once subscribers' emails were queued (notifications picks up the others)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    number = models.PositiveBigIntegerField(unique=True, editable=False)

    objects = published_about("page_incident__incident__")

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self):
        return f"{self.page_incident}: {self.status}"


class UpdateComponentStatus(UlidModel):
    """What one update said of one component."""

    update = models.ForeignKey(PageIncidentUpdate, on_delete=models.CASCADE, related_name="component_statuses")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=24, choices=ComponentStatus.choices)

    objects = published_about("update__page_incident__incident__")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["update", "component"], name="one_status_per_component_per_update")]


class ComponentImpact(UlidModel):
    """A period a component was hurt: opened by an update (or, without an incident, by
    setting a component's status by hand, as Cachet can), closed by a later one. A
    component's status is the worst of its open impacts; its availability is computed
    from all of them."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="impacts")
    page_incident = models.ForeignKey(PageIncident, null=True, blank=True, on_delete=models.CASCADE, related_name="impacts")
    level = models.CharField(max_length=24, choices=ImpactLevel.choices)
    start_at = models.DateTimeField()
    end_at = models.DateTimeField(null=True, blank=True)

    objects = published_about("page_incident__incident__")

    class Meta:
        ordering = ["start_at", "id"]
        indexes = [
            models.Index(fields=["component", "end_at"], name="impact_open_idx"),
            models.Index(fields=["component", "start_at"], name="impact_history_idx"),
        ]
        constraints = [
            # One open impact per component and incident: an update replaces it.
            models.UniqueConstraint(
                fields=["component", "page_incident"], condition=Q(end_at__isnull=True), name="one_open_impact_per_incident"
            ),
            models.UniqueConstraint(
                fields=["component"], condition=Q(end_at__isnull=True, page_incident__isnull=True), name="one_open_manual_impact"
            ),
        ]


class IncidentTemplate(TimestampedModel):
    """A reusable message for incidents (Cachet's incident templates)."""

    class Engine(models.TextChoices):
        TWIG = "twig"
        BLADE = "blade"

    name = models.CharField(max_length=255, validators=limits.name_validators(limits.NAME))
    slug = models.SlugField(max_length=255, unique=True)
    template = models.TextField(validators=limits.text_validators(limits.DESCRIPTION))
    engine = models.CharField(max_length=8, choices=Engine.choices, default=Engine.TWIG)
    number = models.PositiveBigIntegerField(unique=True, editable=False)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name
