"""API keys: incident.io's role names, and the scoped keys the API authenticates."""

import hashlib

from django.conf import settings
from django.db import models

from core.models.base import UlidModel


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
        # The table it had when API keys were part of the incidents app.
        db_table = "incidents_apikey"
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
