"""Request payloads of v2 incidents and incident updates. Each validates its body and
resolves its ids (``incidents.api.resolve``); ``validated_data`` holds a service's
keyword arguments."""

from __future__ import annotations

from rest_framework import serializers

from core.text import DOCUMENT_MAX
from incidents.api.resolve import PayloadResolver
from incidents.models import ExternalIssueProvider, IncidentStatus, Mode, Visibility

# --- request payloads -------------------------------------------------------------------------


class UserReferencePayloadV2Serializer(serializers.Serializer):
    id = serializers.CharField(required=False)
    email = serializers.CharField(required=False)
    slack_user_id = serializers.CharField(required=False)


class IncidentRoleAssignmentPayloadV2Serializer(serializers.Serializer):
    incident_role_id = serializers.CharField()
    assignee = UserReferencePayloadV2Serializer(required=False)


class CustomFieldValuePayloadV2Serializer(serializers.Serializer):
    id = serializers.CharField(required=False)
    value_option_id = serializers.CharField(required=False, allow_blank=True)
    value_text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    value_link = serializers.CharField(required=False, allow_blank=True, max_length=1000)  # the column's
    value_numeric = serializers.CharField(required=False, allow_blank=True)
    value_catalog_entry_id = serializers.CharField(required=False, allow_blank=True)
    value_timestamp = serializers.CharField(required=False, allow_blank=True)


class CustomFieldEntryPayloadV2Serializer(serializers.Serializer):
    custom_field_id = serializers.CharField()
    values = CustomFieldValuePayloadV2Serializer(many=True)


class IncidentTimestampValuePayloadV2Serializer(serializers.Serializer):
    incident_timestamp_id = serializers.CharField()
    value = serializers.DateTimeField(required=False, allow_null=True)


class RetrospectiveIncidentOptionsV2Serializer(serializers.Serializer):
    postmortem_document_url = serializers.URLField(required=False, allow_blank=True)
    slack_channel_id = serializers.CharField(required=False, allow_blank=True)
    external_id = serializers.IntegerField(required=False)


class IncidentsCreatePayloadV2Serializer(serializers.Serializer):
    """Validates a declaration and resolves its ids (against the context's ``config`` when
    the view passes one); ``validated_data`` holds the keyword arguments of
    ``services.declare_incident``."""

    idempotency_key = serializers.CharField(max_length=255)
    visibility = serializers.ChoiceField(choices=Visibility.values)
    name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    summary = serializers.CharField(required=False, allow_blank=True)
    mode = serializers.ChoiceField(choices=Mode.values, required=False)
    incident_status_id = serializers.CharField(required=False)
    severity_id = serializers.CharField(required=False)
    incident_type_id = serializers.CharField(required=False)
    custom_field_entries = CustomFieldEntryPayloadV2Serializer(many=True, required=False)
    incident_role_assignments = IncidentRoleAssignmentPayloadV2Serializer(many=True, required=False)
    incident_timestamp_values = IncidentTimestampValuePayloadV2Serializer(many=True, required=False)
    retrospective_incident_options = RetrospectiveIncidentOptionsV2Serializer(required=False)
    # Accepted for compatibility; there is no Slack workspace to create a channel in.
    slack_team_id = serializers.CharField(required=False, allow_blank=True)
    slack_channel_name_override = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        resolver = PayloadResolver(config=self.context.get("config"))
        declaration = {
            "idempotency_key": attrs["idempotency_key"],
            "visibility": attrs["visibility"],
            "name": attrs.get("name", ""),
            "summary": attrs.get("summary", ""),
            "mode": attrs.get("mode", Mode.STANDARD),
            "status": resolver.status(attrs.get("incident_status_id")),
            "severity": resolver.severity(attrs.get("severity_id")),
            "incident_type": resolver.incident_type(attrs.get("incident_type_id")),
            "custom_field_values": resolver.custom_field_values(attrs.get("custom_field_entries", [])),
            "role_assignments": resolver.role_assignments(attrs.get("incident_role_assignments", [])),
            "timestamp_values": resolver.timestamp_values(attrs.get("incident_timestamp_values", [])),
            "postmortem_document_url": attrs.get("retrospective_incident_options", {}).get("postmortem_document_url", ""),
        }
        resolver.raise_if_any()
        return declaration


class IncidentEditPayloadV2Serializer(serializers.Serializer):
    """The fields to change; ``validated_data`` holds the keyword arguments of
    ``services.edit_incident`` for what was sent (omitted fields stay as they are)."""

    name = serializers.CharField(required=False, max_length=255)
    summary = serializers.CharField(required=False, allow_blank=True)
    call_url = serializers.URLField(required=False, allow_blank=True, max_length=500)
    incident_status_id = serializers.CharField(required=False)
    severity_id = serializers.CharField(required=False)
    custom_field_entries = CustomFieldEntryPayloadV2Serializer(many=True, required=False)
    incident_role_assignments = IncidentRoleAssignmentPayloadV2Serializer(many=True, required=False)
    incident_timestamp_values = IncidentTimestampValuePayloadV2Serializer(many=True, required=False)
    slack_channel_name_override = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        resolver = PayloadResolver()
        changes = {key: attrs[key] for key in ("name", "summary", "call_url") if key in attrs}
        if "incident_status_id" in attrs:
            changes["status"] = resolver.status(attrs["incident_status_id"])
        if "severity_id" in attrs:
            changes["severity"] = resolver.severity(attrs["severity_id"])
        if "custom_field_entries" in attrs:
            changes["custom_field_values"] = resolver.custom_field_values(attrs["custom_field_entries"])
        if "incident_role_assignments" in attrs:
            changes["role_assignments"] = resolver.role_assignments(attrs["incident_role_assignments"], reporter_allowed=False)
        if "incident_timestamp_values" in attrs:
            changes["timestamp_values"] = resolver.timestamp_values(attrs["incident_timestamp_values"])
        resolver.raise_if_any()
        return changes


class IncidentsEditPayloadV2Serializer(serializers.Serializer):
    incident = IncidentEditPayloadV2Serializer()
    # Accepted for compatibility; there is no Slack channel to notify.
    notify_incident_channel = serializers.BooleanField()


class IncidentsConnectExternalIssuePayloadV2Serializer(serializers.Serializer):
    provider = serializers.ChoiceField(choices=ExternalIssueProvider.values)
    url = serializers.CharField(max_length=500)
    # Ticket templates are incident.io's; the issue is linked as it is.
    issue_template_id = serializers.CharField()
    replace = serializers.BooleanField(required=False, default=False)


class IncidentsImportPostmortemDocumentPayloadV2Serializer(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    content = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=DOCUMENT_MAX)


class IncidentUpdatesCreatePayloadV2Serializer(serializers.Serializer):
    """Resolves the incident (among ``incidents``, those the key may see: the view passes
    them in the context), the new status and severity;
    ``validated_data`` holds the keyword arguments of ``services.post_incident_update``."""

    incident_id = serializers.CharField()
    idempotency_key = serializers.CharField(max_length=255)
    message = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    to_incident_status_id = serializers.CharField(required=False)
    to_severity_id = serializers.CharField(required=False)

    def validate(self, attrs):
        resolver = PayloadResolver()
        # A private incident the key may not see is as unknown as a missing one.
        incident = self.context["incidents"].filter(pk=attrs["incident_id"]).first()
        if incident is None:
            resolver.error("incident_id", f"No incident with id {attrs['incident_id']}")
        update = {
            "incident": incident,
            "idempotency_key": attrs["idempotency_key"],
            "message": attrs.get("message", ""),
            "new_status": resolver.one(IncidentStatus, attrs.get("to_incident_status_id"), "to_incident_status_id", "incident status"),
            "new_severity": resolver.severity(attrs.get("to_severity_id"), "to_severity_id"),
        }
        resolver.raise_if_any()
        return update
