"""How v2 renders incidents, incident updates and postmortem documents: plain dicts, from
the pieces both dialects share (``incidents.api.rendering``). These functions are the
shapes' only definition; the views document them with incident.io's components
(``incidents.api.openapi``), and the configuration inside them is rendered by the v2
serializers named here."""

from __future__ import annotations

from incidents.api.rendering import IncidentParts, iso
from incidents.api.v2.serializers.shapes import (
    CustomFieldOptionV2Serializer,
    CustomFieldTypeInfoV2Serializer,
    EmbeddedIncidentRoleV2Serializer,
    IncidentStatusV2Serializer,
    IncidentTimestampV2Serializer,
    IncidentTypeV2Serializer,
    SeverityV2Serializer,
)
from incidents.models import Incident, IncidentUpdate


def render_incident_v2(incident: Incident, parts: IncidentParts) -> dict:
    """IncidentV2 of an incident read through ``selectors.with_details``."""
    values_set = parts.timestamp_values(incident)
    timestamp_values = []
    for timestamp, shape in parts.timestamps(IncidentTimestampV2Serializer):
        value = values_set.get(timestamp.pk)
        timestamp_values.append(
            {"incident_timestamp": shape, "value": {"value": iso(value, parts.tz)}}
            if value is not None
            else {"incident_timestamp": shape}
        )
    data = {
        "id": incident.pk,
        "reference": f"INC-{incident.reference_number}",
        "name": incident.name,
        "incident_status": parts.once(IncidentStatusV2Serializer, incident.status),
        "mode": incident.mode,
        "visibility": incident.visibility,
        "creator": parts.actor(incident.creator),
        "incident_role_assignments": parts.role_assignments(incident, EmbeddedIncidentRoleV2Serializer),
        "custom_field_entries": parts.custom_field_entries(
            incident, CustomFieldTypeInfoV2Serializer, CustomFieldOptionV2Serializer
        ),
        "incident_timestamp_values": timestamp_values,
        "permalink": incident.permalink,
        # We run no Slack workspace: the contract requires these, so they are empty.
        "slack_team_id": "",
        "slack_channel_id": "",
        "team_ids": [],
        "postmortem_document_ids": [incident.postmortem_document_id] if incident.postmortem_document_id else [],
        "created_at": iso(incident.created_at, parts.tz),
        "updated_at": iso(incident.updated_at, parts.tz),
        "last_activity_at": iso(incident.last_activity_at, parts.tz),
    }
    if incident.summary:
        data["summary"] = incident.summary
    if incident.call_url:
        data["call_url"] = incident.call_url
    if incident.severity_id:
        data["severity"] = parts.once(SeverityV2Serializer, incident.severity)
    if incident.incident_type_id:
        data["incident_type"] = parts.once(IncidentTypeV2Serializer, incident.incident_type)
    if incident.postmortem_document_url:
        data["postmortem_document_url"] = incident.postmortem_document_url
    if incident.external_issue_url:
        data["external_issue_reference"] = {
            "provider": incident.external_issue_provider,
            "issue_name": incident.external_issue_name,
            "issue_permalink": incident.external_issue_url,
        }
    return data


def render_incident_update_v2(update: IncidentUpdate, parts: IncidentParts) -> dict:
    """IncidentUpdateV2 of an update read through ``selectors.incident_updates``."""
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


def render_postmortem_document_v1(incident: Incident) -> dict:
    """PostmortemDocumentV1 of the postmortem imported into ``incident``. We keep one
    document per incident, in the app, whose page is the incident's."""
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
