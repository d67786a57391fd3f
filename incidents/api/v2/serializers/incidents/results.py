"""Response shapes of v2 incidents and incident updates. Each keeps its declared fields, so
our OpenAPI document describes it, and renders with plain dict building (``rendering``)."""

from __future__ import annotations

from rest_framework import serializers

from incidents.api.rendering import IncidentParts, iso, parts_from
from incidents.api.v2.serializers.incidents.rendering import render_incident_v2
from incidents.api.v2.serializers.shapes import (
    ActorV2Serializer,
    CustomFieldOptionV2Serializer,
    CustomFieldTypeInfoV2Serializer,
    EmbeddedIncidentRoleV2Serializer,
    IncidentStatusV2Serializer,
    IncidentTimestampV2Serializer,
    IncidentTypeV2Serializer,
    PaginationMetaResultV2Serializer,
    SeverityV2Serializer,
    UserV2Serializer,
)
from incidents.models import ExternalIssueProvider, Mode, Visibility


class CustomFieldValueV2Serializer(serializers.Serializer):
    value_option = CustomFieldOptionV2Serializer(required=False)
    value_text = serializers.CharField(required=False)
    value_link = serializers.CharField(required=False)
    value_numeric = serializers.CharField(required=False)


class CustomFieldEntryV2Serializer(serializers.Serializer):
    custom_field = CustomFieldTypeInfoV2Serializer()
    values = CustomFieldValueV2Serializer(many=True)


class IncidentRoleAssignmentV2Serializer(serializers.Serializer):
    role = EmbeddedIncidentRoleV2Serializer()
    assignee = UserV2Serializer(required=False)


class IncidentTimestampValueV2Serializer(serializers.Serializer):
    value = serializers.DateTimeField(required=False)


class IncidentTimestampWithValueV2Serializer(serializers.Serializer):
    incident_timestamp = IncidentTimestampV2Serializer()
    value = IncidentTimestampValueV2Serializer(required=False)


class ExternalIssueReferenceV2Serializer(serializers.Serializer):
    provider = serializers.ChoiceField(choices=ExternalIssueProvider.values)
    issue_name = serializers.CharField()
    issue_permalink = serializers.CharField()


class IncidentV2Serializer(serializers.Serializer):
    """Renders an incident read through ``selectors.incidents_visible_to``; the context's
    ``parts`` carries the request's configuration."""

    id = serializers.CharField()
    reference = serializers.CharField()
    name = serializers.CharField()
    summary = serializers.CharField(required=False)
    incident_status = IncidentStatusV2Serializer()
    severity = SeverityV2Serializer(required=False)
    incident_type = IncidentTypeV2Serializer(required=False)
    mode = serializers.ChoiceField(choices=Mode.values)
    visibility = serializers.ChoiceField(choices=Visibility.values)
    creator = ActorV2Serializer()
    incident_role_assignments = IncidentRoleAssignmentV2Serializer(many=True)
    custom_field_entries = CustomFieldEntryV2Serializer(many=True)
    incident_timestamp_values = IncidentTimestampWithValueV2Serializer(many=True, required=False)
    external_issue_reference = ExternalIssueReferenceV2Serializer(required=False)
    call_url = serializers.CharField(required=False)
    permalink = serializers.CharField(required=False)
    postmortem_document_url = serializers.CharField(required=False)
    postmortem_document_ids = serializers.ListField(child=serializers.CharField(), required=False)
    slack_team_id = serializers.CharField()
    slack_channel_id = serializers.CharField()
    team_ids = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    last_activity_at = serializers.DateTimeField()

    def to_representation(self, incident):
        return render_incident_v2(incident, parts_from(self.context))


class PaginationMetaResultWithTotalV2Serializer(serializers.Serializer):
    # total_record_count is optional and left out: counting every matching row would make
    # a page's latency grow with the table.
    after = serializers.CharField(required=False)
    page_size = serializers.IntegerField()


class IncidentsListResultV2Serializer(serializers.Serializer):
    incidents = IncidentV2Serializer(many=True)
    pagination_meta = PaginationMetaResultWithTotalV2Serializer(required=False)


class IncidentsShowResultV2Serializer(serializers.Serializer):
    incident = IncidentV2Serializer()


class IncidentsCreateResultV2Serializer(IncidentsShowResultV2Serializer):
    pass


class IncidentsEditResultV2Serializer(IncidentsShowResultV2Serializer):
    pass


class PostmortemDocumentV1Serializer(serializers.Serializer):
    """The postmortem imported into an incident. We keep one document per incident, in
    the app, whose page is the incident's."""

    id = serializers.CharField()
    incident_id = serializers.CharField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=["in_progress", "in_review", "completed"])
    type = serializers.ChoiceField(choices=["in_app", "external"])
    document_url = serializers.CharField()
    exported_urls = serializers.ListField(child=serializers.CharField())
    editors = UserV2Serializer(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.CharField()

    def to_representation(self, incident):
        imported_at = iso(incident.postmortem_imported_at)
        return {
            "id": incident.postmortem_document_id,
            "incident_id": incident.pk,
            "title": incident.postmortem_title,
            # Imported markdown is a finished document held here, not a draft elsewhere.
            "status": "completed",
            "type": "in_app",
            "document_url": incident.permalink,
            "exported_urls": [],
            "editors": [],
            "created_at": imported_at,
            "updated_at": imported_at,
        }


class IncidentsImportPostmortemDocumentResultV2Serializer(serializers.Serializer):
    postmortem_document = PostmortemDocumentV1Serializer()


class IncidentUpdateV2Serializer(serializers.Serializer):
    id = serializers.CharField()
    incident_id = serializers.CharField()
    message = serializers.CharField(required=False)
    new_incident_status = IncidentStatusV2Serializer()
    new_severity = SeverityV2Serializer(required=False)
    updater = ActorV2Serializer()
    created_at = serializers.DateTimeField()

    def to_representation(self, update):
        parts = self.context.get("parts")
        if parts is None:
            parts = self.context["parts"] = IncidentParts()
        data = {
            "id": update.pk,
            "incident_id": update.incident_id,
            "message": update.message,
            "new_incident_status": parts.once(IncidentStatusV2Serializer, update.new_status),
            "updater": parts.actor(update.actor),
            "created_at": iso(update.created_at, parts.tz),
        }
        if update.new_severity_id:
            data["new_severity"] = parts.once(SeverityV2Serializer, update.new_severity)
        return data


class IncidentUpdatesListResultV2Serializer(serializers.Serializer):
    incident_updates = IncidentUpdateV2Serializer(many=True)
    pagination_meta = PaginationMetaResultV2Serializer(required=False)


class IncidentUpdatesCreateResultV2Serializer(serializers.Serializer):
    incident_update = IncidentUpdateV2Serializer()
