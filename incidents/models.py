"""The incident domain, modelled on incident.io's concepts so the API can expose them as-is.

Every table but Django's users is keyed by a ULID: 26 characters, time-ordered, which the
API hands out as ids and pages through as a cursor. Writes go through ``services.py``.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from ulid import ULID


def new_ulid() -> str:
    return str(ULID())


class UlidModel(models.Model):
    id = models.CharField(primary_key=True, max_length=26, default=new_ulid, editable=False)

    class Meta:
        abstract = True


class TimestampedModel(UlidModel):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


# --- configuration ----------------------------------------------------------------------------


class Severity(TimestampedModel):
    name = models.CharField(max_length=50, unique=True)
    description = models.TextField(blank=True)
    rank = models.PositiveIntegerField(default=0, help_text="Higher is more severe.")

    class Meta:
        ordering = ["rank", "id"]
        verbose_name_plural = "severities"

    def __str__(self):
        return self.name


class StatusCategory(models.TextChoices):
    TRIAGE = "triage"
    DECLINED = "declined"
    MERGED = "merged"
    CANCELED = "canceled"
    LIVE = "live"
    LEARNING = "learning"
    CLOSED = "closed"
    PAUSED = "paused"


class IncidentStatus(TimestampedModel):
    name = models.CharField(max_length=50, unique=True)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=16, choices=StatusCategory.choices)
    rank = models.PositiveIntegerField(default=0, help_text="Order within the lifecycle.")

    class Meta:
        ordering = ["rank", "id"]
        verbose_name_plural = "incident statuses"

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.category in (StatusCategory.TRIAGE, StatusCategory.LIVE, StatusCategory.PAUSED)


class CreateInTriage(models.TextChoices):
    ALWAYS = "always"
    OPTIONAL = "optional"


class IncidentType(TimestampedModel):
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)
    private_incidents_only = models.BooleanField(default=False)
    create_in_triage = models.CharField(
        max_length=10, choices=CreateInTriage.choices, default=CreateInTriage.OPTIONAL
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            # At most one default type, so "the default" is never ambiguous.
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_incident_type"
            )
        ]

    def __str__(self):
        return self.name


class RoleType(models.TextChoices):
    LEAD = "lead"
    REPORTER = "reporter"
    CUSTOM = "custom"


class IncidentRole(TimestampedModel):
    name = models.CharField(max_length=100, unique=True)
    shortform = models.CharField(max_length=50)
    description = models.TextField()
    instructions = models.TextField(blank=True)
    role_type = models.CharField(max_length=10, choices=RoleType.choices, default=RoleType.CUSTOM)
    required = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # The lead and the reporter are singletons the lifecycle relies on.
            models.UniqueConstraint(
                fields=["role_type"], condition=~Q(role_type="custom"), name="one_lead_one_reporter_role"
            )
        ]

    def __str__(self):
        return self.name


class FieldType(models.TextChoices):
    SINGLE_SELECT = "single_select"
    MULTI_SELECT = "multi_select"
    TEXT = "text"
    LINK = "link"
    NUMERIC = "numeric"


class FieldRequired(models.TextChoices):
    NEVER = "never"
    BEFORE_CLOSURE = "before_closure"
    ALWAYS = "always"


class CustomField(TimestampedModel):
    name = models.CharField(max_length=50, unique=True)
    description = models.TextField(blank=True)
    field_type = models.CharField(max_length=16, choices=FieldType.choices)
    required = models.CharField(max_length=16, choices=FieldRequired.choices, default=FieldRequired.NEVER)
    show_before_creation = models.BooleanField(default=True)
    show_before_closure = models.BooleanField(default=True)
    show_before_update = models.BooleanField(default=True)
    show_in_announcement_post = models.BooleanField(default=False)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    @property
    def is_select(self) -> bool:
        return self.field_type in (FieldType.SINGLE_SELECT, FieldType.MULTI_SELECT)


class CustomFieldOption(UlidModel):
    custom_field = models.ForeignKey(CustomField, on_delete=models.CASCADE, related_name="options")
    value = models.CharField(max_length=255)
    sort_key = models.IntegerField(default=1000)

    class Meta:
        ordering = ["sort_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["custom_field", "value"], name="unique_option_value_per_field")
        ]

    def __str__(self):
        return self.value


class IncidentTimestamp(UlidModel):
    """A named moment in an incident's life ("Reported at", "Resolved at", ...).

    ``slug`` marks the ones the lifecycle sets by itself; staff may add more.
    """

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=50, unique=True, null=True, blank=True)
    rank = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["rank", "id"]

    def __str__(self):
        return self.name


# --- API keys ---------------------------------------------------------------------------------


class ApiRole(models.TextChoices):
    """incident.io's API key roles. The first group gates this tracker's endpoints; the
    rest are accepted and stored so keys round-trip with incident.io's names."""

    VIEWER = "viewer", "View data, like incidents and settings"
    INCIDENT_CREATOR = "incident_creator", "Create incidents and post updates"
    INCIDENT_EDITOR = "incident_editor", "Edit existing incidents"
    MANAGE_SETTINGS = "manage_settings", "Manage severities, types, statuses, roles and custom fields"
    GLOBAL_ACCESS = "global_access", "Everything, including private incidents (the only role that sees them)"
    STATUS_PAGE_PUBLISHER = "status_page_publisher", "Publish incidents to status pages"
    STATUS_PAGE_VIEWER = "status_page_viewer", "View status pages"
    API_KEYS_MANAGE = "api_keys_manage", "Create, rotate and delete API keys"
    INCIDENT_WORKLOAD_PRIVATE_VIEWER = "incident_workload_private_viewer", "View private incidents"
    GLOSSARY_ENTRIES_MANAGE = "glossary_entries_manage", "Manage glossary entries"
    CATALOG_VIEWER = "catalog_viewer", "View catalog data"
    CATALOG_EDITOR = "catalog_editor", "Edit catalog data"
    INCIDENT_MEMBERSHIPS_EDITOR = "incident_memberships_editor", "Manage incident memberships"
    SCHEDULES_EDITOR = "schedules_editor", "Edit schedules"
    SCHEDULES_READER = "schedules_reader", "Read schedules"
    SCHEDULE_OVERRIDES_EDITOR = "schedule_overrides_editor", "Edit schedule overrides"
    WORKFLOWS_EDITOR = "workflows_editor", "Edit workflows"
    WORKFLOWS_VIEWER = "workflows_viewer", "View workflows"
    PRIVATE_WORKFLOWS_EDITOR = "private_workflows_editor", "Edit private workflows"
    PRIVATE_ESCALATION_WORKFLOWS_EDITOR = "private_escalation_workflows_editor", "Edit private escalation workflows"
    ON_CALL_EDITOR = "on_call_editor", "Edit on-call configuration"
    ON_CALL_VIEWER = "on_call_viewer", "View on-call configuration"
    ESCALATION_CREATOR = "escalation_creator", "Create escalations"
    POST_INCIDENT_FLOW_OPT_OUT = "post_incident_flow_opt_out", "Opt incidents out of the post-incident flow"
    SECURITY_SETTINGS_EDITOR = "security_settings_editor", "Edit security settings"
    INVESTIGATION_DOWNLOAD = "investigation_download", "Download investigations"
    TEAM_MEMBERSHIPS_MANAGE = "team_memberships_manage", "Manage team memberships"
    POSTMORTEMS_MANAGE = "postmortems_manage", "Manage postmortems"
    NOTIFICATION_METHODS_MANAGE = "notification_methods_manage", "Manage notification methods"
    NOTIFICATION_METHODS_UNREDACTED_VIEWER = "notification_methods_unredacted_viewer", "View notification methods unredacted"
    INCIDENT_WORKLOAD_VIEWER = "incident_workload_viewer", "View incident workload"
    ACT_ON_BEHALF_OF_USERS = "act_on_behalf_of_users", "Act on behalf of users"
    SECRETS_MANAGE = "secrets_manage", "Manage secrets"
    SECRETS_USE = "secrets_use", "Use secrets"
    CALL_TRANSCRIPTS_VIEWER = "call_transcripts_viewer", "View call transcripts"
    HEARTBEATS_PING = "heartbeats_ping", "Ping heartbeats"
    TELEMETRY_QUERY_RESTRICTED = "telemetry_query_restricted", "Query restricted telemetry"
    TELEMETRY_DATA_SOURCE_UPDATE = "telemetry_data_source_update", "Update telemetry data sources"
    POLICIES_VIEWER = "policies_viewer", "View policies"
    POLICY_FINDINGS_MANAGE = "policy_findings_manage", "Manage policy findings"
    PAY_REPORTS_VIEWER = "pay_reports_viewer", "View pay reports"
    PAY_REPORTS_EDITOR = "pay_reports_editor", "Edit pay reports"
    PAY_CONFIGS_VIEWER = "pay_configs_viewer", "View pay configurations"
    PAY_CONFIGS_EDITOR = "pay_configs_editor", "Edit pay configurations"
    INVESTIGATIONS_EDITOR = "investigations_editor", "Edit investigations"
    TELEMETRY_VIEWER = "telemetry_viewer", "View telemetry"
    DOCUMENTS_VIEWER = "documents_viewer", "View documents"


class ApiKey(UlidModel):
    """A scoped API key. Only a SHA-256 of the token is kept; the token is shown once."""

    TOKEN_PREFIX = "inc_"

    name = models.CharField(max_length=200)
    comments = models.TextField(blank=True, max_length=5000)
    roles = models.JSONField(default=list, help_text="incident.io role names")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(max_length=12, editable=False, help_text="The token's last characters")
    created_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_api_key = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    token_last_issued_at = models.DateTimeField()
    # The token a rotation replaced, kept working until the end of its grace period.
    previous_token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    previous_token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "API key"

    def __str__(self):
        return self.name

    @property
    def created_by(self):
        return self.created_by_user if self.created_by_user_id else self.created_by_api_key

    @staticmethod
    def hash_token(token: str) -> str:
        # Tokens are 256 random bits: a plain digest is enough and keeps lookups O(1).
        return hashlib.sha256(token.encode()).hexdigest()

    def accepts(self, token_hash: str, now) -> bool:
        """Whether the token hashed as ``token_hash`` opens this key at ``now``: its
        current token, or the one its last rotation replaced, until that one's grace
        period ends."""
        if token_hash == self.token_hash:
            return True
        return (
            token_hash == self.previous_token_hash
            and self.previous_token_expires_at is not None
            and now < self.previous_token_expires_at
        )

    def has_role(self, *roles: str) -> bool:
        return ApiRole.GLOBAL_ACCESS in self.roles or any(r in self.roles for r in roles)

    @property
    def sees_private_incidents(self) -> bool:
        return self.has_role(ApiRole.GLOBAL_ACCESS)


# --- incidents --------------------------------------------------------------------------------


class Mode(models.TextChoices):
    STANDARD = "standard"
    RETROSPECTIVE = "retrospective"
    TEST = "test"
    TUTORIAL = "tutorial"


class Visibility(models.TextChoices):
    PUBLIC = "public"
    PRIVATE = "private"


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


class ActorMixin(models.Model):
    """Who did something: a staff user or an API key (never both)."""

    class Meta:
        abstract = True

    @property
    def actor(self):
        return self.actor_user if self.actor_user_id else self.actor_api_key


class Incident(TimestampedModel):
    reference_number = models.PositiveIntegerField(unique=True, editable=False)
    name = models.CharField(max_length=255)
    summary = models.TextField(blank=True, help_text="Markdown")
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
    postmortem_title = models.CharField(max_length=255, blank=True)
    postmortem_content = models.TextField(blank=True, help_text="Markdown")
    postmortem_document_id = models.CharField(max_length=26, blank=True, editable=False)
    postmortem_imported_at = models.DateTimeField(null=True, blank=True, editable=False)
    external_issue_provider = models.CharField(max_length=20, choices=ExternalIssueProvider.choices, blank=True)
    external_issue_name = models.CharField(max_length=255, blank=True)
    external_issue_url = models.URLField(max_length=500, blank=True)
    last_activity_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "id"], name="incident_status_id_idx"),
            models.Index(fields=["visibility", "id"], name="incident_visibility_id_idx"),
            models.Index(fields=["created_at"], name="incident_created_at_idx"),
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
    value_text = models.TextField(blank=True)
    value_link = models.URLField(max_length=1000, blank=True)
    value_numeric = models.CharField(max_length=64, blank=True)

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
    message = models.TextField(blank=True, help_text="Markdown")
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
