"""Incidents in incident.io's v1 dialect.

v1 predates configurable statuses: an incident's ``status`` is one of six names and its
``mode`` is real or test. We map our statuses onto those names (by name when one matches,
else by category) and back. ``render_incident_v1`` builds IncidentV1 as plain dicts, from
the pieces it shares with v2 (``incidents.api.rendering``): it is the shape's only
definition, documented with incident.io's component (``incidents.api.openapi``).
"""

from __future__ import annotations

from django.db.models import Case, Q, Value, When
from rest_framework import serializers

from incidents.api.rendering import IncidentParts, iso
from incidents.api.resolve import PayloadResolver
from incidents.api.v1.serializers.shapes import (
    CustomFieldOptionV1Serializer,
    CustomFieldTypeInfoV1Serializer,
    IncidentRoleV1Serializer,
    IncidentTypeV1Serializer,
    SeverityV1Serializer,
)
from incidents.models import Incident, IncidentStatus, Mode, StatusCategory, Visibility

V1_STATUSES = ("triage", "investigating", "fixing", "monitoring", "closed", "declined")

# The v1 name an incident shows when its status's own name is not one of V1_STATUSES.
V1_STATUS_FOR_CATEGORY = {
    StatusCategory.TRIAGE: "triage",
    StatusCategory.LIVE: "investigating",
    StatusCategory.PAUSED: "investigating",
    StatusCategory.LEARNING: "closed",
    StatusCategory.CLOSED: "closed",
    StatusCategory.DECLINED: "declined",
    StatusCategory.CANCELED: "declined",
    StatusCategory.MERGED: "declined",
}

# The category a v1 status name is declared in when no status carries that name.
CATEGORY_FOR_V1_STATUS = {
    "triage": StatusCategory.TRIAGE,
    "investigating": StatusCategory.LIVE,
    "fixing": StatusCategory.LIVE,
    "monitoring": StatusCategory.LIVE,
    "closed": StatusCategory.CLOSED,
    "declined": StatusCategory.DECLINED,
}

V1_MODE = {Mode.STANDARD: "real", Mode.RETROSPECTIVE: "real", Mode.TEST: "test", Mode.TUTORIAL: "tutorial"}
# v1 declares real or test incidents only.
MODE_FOR_V1 = {"real": Mode.STANDARD, "test": Mode.TEST}
V1_CREATE_MODES = tuple(MODE_FOR_V1)


def v1_status(status: IncidentStatus) -> str:
    name = status.name.lower()
    return name if name in V1_STATUSES else V1_STATUS_FOR_CATEGORY[status.category]


def status_for_v1(name: str) -> IncidentStatus | None:
    """The status a v1 status name declares into: the one of that name (any case), else the
    first of the matching category (one query: named statuses sort first)."""
    named = Q(name__iexact=name)
    return (
        IncidentStatus.objects.filter(named | Q(category=CATEGORY_FOR_V1_STATUS[name]))
        .annotate(by_name=Case(When(named, then=Value(0)), default=Value(1)))
        .order_by("by_name", "rank", "id")
        .first()
    )


def render_incident_v1(incident: Incident, parts: IncidentParts) -> dict:
    """IncidentV1 of an incident read through ``selectors.with_details``."""
    values_set = parts.timestamp_values(incident)
    timestamps = []
    for timestamp, _ in parts.timestamps():
        value = values_set.get(timestamp.pk)
        timestamps.append({"name": timestamp.name, "last_occurred_at": iso(value, parts.tz)} if value is not None else {"name": timestamp.name})
    data = {
        "id": incident.pk,
        "reference": f"INC-{incident.reference_number}",
        "name": incident.name,
        "status": v1_status(incident.status),
        "mode": V1_MODE[incident.mode],
        "visibility": incident.visibility,
        "creator": parts.actor(incident.creator),
        "incident_role_assignments": parts.role_assignments(incident, IncidentRoleV1Serializer),
        "custom_field_entries": parts.custom_field_entries(
            incident, CustomFieldTypeInfoV1Serializer, CustomFieldOptionV1Serializer
        ),
        "timestamps": timestamps,
        "permalink": incident.permalink,
        # We run no Slack workspace: the contract requires these, so they are empty.
        "slack_team_id": "",
        "slack_channel_id": "",
        "created_at": iso(incident.created_at, parts.tz),
        "updated_at": iso(incident.updated_at, parts.tz),
    }
    if incident.summary:
        data["summary"] = incident.summary
    if incident.call_url:
        data["call_url"] = incident.call_url
    if incident.severity_id:
        data["severity"] = parts.once(SeverityV1Serializer, incident.severity)
    if incident.incident_type_id:
        data["incident_type"] = parts.once(IncidentTypeV1Serializer, incident.incident_type)
    if incident.postmortem_document_url:
        data["postmortem_document_url"] = incident.postmortem_document_url
    return data


# --- request payloads -------------------------------------------------------------------------


class UserReferencePayloadV1Serializer(serializers.Serializer):
    id = serializers.CharField(required=False)
    email = serializers.CharField(required=False)
    slack_user_id = serializers.CharField(required=False)


class IncidentRoleAssignmentPayloadV1Serializer(serializers.Serializer):
    incident_role_id = serializers.CharField()
    assignee = UserReferencePayloadV1Serializer()


class CustomFieldValuePayloadV1Serializer(serializers.Serializer):
    id = serializers.CharField(required=False)
    value_option_id = serializers.CharField(required=False, allow_blank=True)
    value_text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    value_link = serializers.CharField(required=False, allow_blank=True, max_length=1000)  # the column's
    value_numeric = serializers.CharField(required=False, allow_blank=True)
    value_catalog_entry_id = serializers.CharField(required=False, allow_blank=True)
    value_timestamp = serializers.CharField(required=False, allow_blank=True)


class CustomFieldEntryPayloadV1Serializer(serializers.Serializer):
    custom_field_id = serializers.CharField()
    values = CustomFieldValuePayloadV1Serializer(many=True)


class IncidentsCreatePayloadV1Serializer(serializers.Serializer):
    """Validates a v1 declaration and resolves its ids (against the context's ``config``
    when the view passes one); ``validated_data`` holds the keyword arguments of
    ``services.declare_incident``."""

    idempotency_key = serializers.CharField(max_length=255)
    visibility = serializers.ChoiceField(choices=Visibility.values)
    name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    summary = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=V1_STATUSES, required=False)
    mode = serializers.ChoiceField(choices=V1_CREATE_MODES, required=False)
    severity_id = serializers.CharField(required=False)
    incident_type_id = serializers.CharField(required=False)
    custom_field_entries = CustomFieldEntryPayloadV1Serializer(many=True, required=False)
    incident_role_assignments = IncidentRoleAssignmentPayloadV1Serializer(many=True, required=False)
    # Accepted for compatibility; there is no Slack workspace here.
    slack_team_id = serializers.CharField(required=False, allow_blank=True)
    source_message_channel_id = serializers.CharField(required=False, allow_blank=True)
    source_message_timestamp = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        resolver = PayloadResolver(config=self.context.get("config"))
        status = None
        if attrs.get("status"):
            status = status_for_v1(attrs["status"])
            if status is None:
                resolver.error("status", f"No incident status matches {attrs['status']}")
        declaration = {
            "idempotency_key": attrs["idempotency_key"],
            "visibility": attrs["visibility"],
            "name": attrs.get("name", ""),
            "summary": attrs.get("summary", ""),
            "mode": MODE_FOR_V1[attrs.get("mode", "real")],
            "status": status,
            "severity": resolver.severity(attrs.get("severity_id")),
            "incident_type": resolver.incident_type(attrs.get("incident_type_id")),
            "custom_field_values": resolver.custom_field_values(attrs.get("custom_field_entries", [])),
            "role_assignments": resolver.role_assignments(attrs.get("incident_role_assignments", [])),
        }
        resolver.raise_if_any()
        return declaration
