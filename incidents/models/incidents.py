"""Incidents and what hangs off them: role assignments, custom field values, timestamp
values, the timeline of updates; with their modes, visibilities and reference counter."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from core.models.api_keys import ApiKey
from core.models.base import ActorMixin, TimestampedModel, UlidModel
from core.text import multi_line, single_line

from .configuration import (
    CustomField,
    CustomFieldOption,
    IncidentRole,
    IncidentStatus,
    IncidentTimestamp,
    IncidentType,
    Severity,
)
from .visibility import IncidentLinkedQuerySet, IncidentQuerySet, Visibility


class Mode(models.TextChoices):
    STANDARD = "standard"
    RETROSPECTIVE = "retrospective"
    TEST = "test"
    TUTORIAL = "tutorial"


class ExternalIssueProvider(models.TextChoices):
    ASANA = "asana"
    AZURE_DEVOPS = "azure_devops"
    CLICK_UP = "click_up"
    FRESHSERVICE = "freshservice"
    LINEAR = "linear"
    JIRA = "jira"
    SALESFORCE = "salesforce"
    JIRA_SERVER = "jira_server"
    GITHUB = "github"
    GITLAB = "gitlab"
    SERVICE_NOW = "service_now"
    SHORTCUT = "shortcut"
    NOTION = "notion"


class Counter(models.Model):
    """Named monotonic counters; incrementing one row-locks it until commit (no gaps race)."""

    name = models.CharField(primary_key=True, max_length=50)
    value = models.BigIntegerField(default=0)


class Incident(TimestampedModel):
    reference_number = models.PositiveIntegerField(unique=True, editable=False)
    name = models.CharField(max_length=255, validators=[single_line])
    summary = models.TextField(blank=True, help_text="Markdown", validators=[multi_line])
    status = models.ForeignKey(IncidentStatus, on_delete=models.PROTECT, related_name="+")
    severity = models.ForeignKey(Severity, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    incident_type = models.ForeignKey(
        IncidentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.STANDARD)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    creator_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    creator_api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    idempotency_key = models.CharField(max_length=255, blank=True, editable=False)
    call_url = models.URLField(max_length=500, blank=True)
    postmortem_document_url = models.URLField(max_length=500, blank=True)
    postmortem_title = models.CharField(max_length=255, blank=True, validators=[single_line])
    postmortem_content = models.TextField(blank=True, help_text="Markdown", validators=[multi_line])
    postmortem_document_id = models.CharField(max_length=26, blank=True, editable=False)
    postmortem_imported_at = models.DateTimeField(null=True, blank=True, editable=False)
    external_issue_provider = models.CharField(max_length=20, choices=ExternalIssueProvider.choices, blank=True)
    external_issue_name = models.CharField(max_length=255, blank=True, validators=[single_line])
    external_issue_url = models.URLField(max_length=500, blank=True)
    last_activity_at = models.DateTimeField(auto_now_add=True)
    # Whether the status is in an active category (triage, live, paused): the staff list
    # shows active incidents first, and sorting on the status's category (another table)
    # would sort the whole table on every page view. Kept by the services, on a status
    # change and when a status changes category.
    is_active = models.BooleanField(db_default=True, editable=False)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        permissions = [("manage_private_incidents", "Can see and manage every private incident")]
        indexes = [
            # The staff list's order: active first, newest first (read in index order).
            models.Index(F("is_active").desc(), F("reference_number").desc(), name="incident_active_first_idx"),
            models.Index(fields=["status", "id"], name="incident_status_id_idx"),
            models.Index(fields=["visibility", "id"], name="incident_visibility_id_idx"),
            models.Index(fields=["created_at"], name="incident_created_at_idx"),
            # The admin's search by name also reads a trigram index on UPPER(name), on
            # PostgreSQL only: see migration 0005_incident_name_trgm.
        ]
        constraints = [
            # Two concurrent creates with one idempotency key: the second insert fails and
            # the API answers with the first incident instead of declaring a duplicate.
            models.UniqueConstraint(
                fields=["creator_api_key", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="unique_incident_idempotency_key",
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.name}"

    @property
    def reference(self) -> str:
        return f"INC-{self.reference_number}"

    @property
    def creator(self):
        return self.creator_user if self.creator_user_id else self.creator_api_key

    @property
    def is_private(self) -> bool:
        return self.visibility == Visibility.PRIVATE

    @property
    def permalink(self) -> str:
        return f"{settings.SITE_URL}/admin/incidents/incident/{self.pk}/change/"


class IncidentRoleAssignment(UlidModel):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.ForeignKey(IncidentRole, on_delete=models.CASCADE, related_name="assignments")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    assigned_at = models.DateTimeField(auto_now=True)

    objects = IncidentLinkedQuerySet.as_manager()

    class Meta:
        ordering = ["role__created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["incident", "role"], name="one_assignee_per_role")]

    def __str__(self):
        return f"{self.role}: {self.assignee}"


class CustomFieldValue(UlidModel):
    """One value of a custom field on an incident; a multi-select has one row per option."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="custom_field_values")
    custom_field = models.ForeignKey(CustomField, on_delete=models.CASCADE, related_name="values")
    value_option = models.ForeignKey(
        CustomFieldOption, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    value_text = models.TextField(blank=True, validators=[multi_line])
    value_link = models.URLField(max_length=1000, blank=True)
    value_numeric = models.CharField(max_length=64, blank=True)

    objects = IncidentLinkedQuerySet.as_manager()

    class Meta:
        ordering = ["custom_field__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "custom_field", "value_option"],
                condition=Q(value_option__isnull=False),
                name="unique_option_per_incident_field",
            ),
            models.UniqueConstraint(
                fields=["incident", "custom_field"],
                condition=Q(value_option__isnull=True),
                name="one_scalar_value_per_incident_field",
            ),
        ]

    def __str__(self):
        return f"{self.custom_field}: {self.display_value}"

    @property
    def display_value(self) -> str:
        if self.value_option_id:
            return self.value_option.value
        return self.value_text or self.value_link or self.value_numeric


class IncidentTimestampValue(UlidModel):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timestamp_values")
    timestamp = models.ForeignKey(IncidentTimestamp, on_delete=models.CASCADE, related_name="values")
    value = models.DateTimeField()

    objects = IncidentLinkedQuerySet.as_manager()

    class Meta:
        ordering = ["timestamp__rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "timestamp"], name="one_value_per_incident_timestamp")
        ]

    def __str__(self):
        return f"{self.timestamp}: {self.value:%Y-%m-%d %H:%M}"


class IncidentUpdate(TimestampedModel, ActorMixin):
    """An entry on the incident's timeline: a message, and any status or severity change."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="updates")
    message = models.TextField(blank=True, help_text="Markdown", validators=[multi_line])
    new_status = models.ForeignKey(IncidentStatus, on_delete=models.PROTECT, related_name="+")
    previous_status = models.ForeignKey(
        IncidentStatus, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_severity = models.ForeignKey(Severity, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    previous_severity = models.ForeignKey(
        Severity, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    idempotency_key = models.CharField(max_length=255, blank=True, editable=False)

    objects = IncidentLinkedQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["actor_api_key", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="unique_update_idempotency_key",
            ),
        ]

    def __str__(self):
        return f"{self.incident.reference} → {self.new_status}"
