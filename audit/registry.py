"""What the audit log tracks, and what each model is called in incident.io's audit records
(``AuditLogTargetV2.type``; a name of our own where incident.io has none).

Each tracked model lists the fields its entries leave out (bookkeeping that changes on
its own, like ``updated_at``) and the ones they mask (secrets and their hashes: an entry
says that a secret changed, never what it is), and the path from a row to the incident it
belongs to, which decides who may read the entry (``audit.models.AuditEntryQuerySet``).
"""

from __future__ import annotations

from dataclasses import dataclass

from auditlog.registry import auditlog
from django.apps import apps


@dataclass(frozen=True)
class Tracked:
    #: incident.io's target type, or ours
    type: str
    exclude: tuple[str, ...] = ()
    mask: tuple[str, ...] = ()
    #: dotted path from a row to its incident's id ("incident_id", "page_incident.incident_id")
    incident: str = ""


_BOOKKEEPING = ("updated_at",)

TRACKED: dict[str, Tracked] = {
    "core.ApiKey": Tracked("api_key", exclude=("last_used_at",), mask=("token_hash", "previous_token_hash")),
    # incidents and their configuration
    "incidents.Severity": Tracked("severity"),
    "incidents.IncidentStatus": Tracked("incident_status"),
    "incidents.IncidentType": Tracked("incident_type"),
    "incidents.IncidentRole": Tracked("incident_role"),
    "incidents.CustomField": Tracked("custom_field"),
    "incidents.CustomFieldOption": Tracked("custom_field_option"),
    "incidents.IncidentTimestamp": Tracked("incident_timestamp"),
    "incidents.FollowUpPriority": Tracked("follow_up_priority"),
    "incidents.Incident": Tracked("incident", exclude=("last_activity_at",), incident="pk"),
    "incidents.IncidentUpdate": Tracked("incident_update", incident="incident_id"),
    "incidents.IncidentRoleAssignment": Tracked("incident_role_assignment", incident="incident_id"),
    "incidents.CustomFieldValue": Tracked("custom_field_value", incident="incident_id"),
    "incidents.IncidentTimestampValue": Tracked("incident_timestamp_value", incident="incident_id"),
    "incidents.IncidentMembership": Tracked("private_incident_membership", incident="incident_id"),
    "incidents.FollowUp": Tracked("follow_up", incident="incident_id"),
    "incidents.Action": Tracked("action", incident="incident_id"),
    "incidents.TimelineItem": Tracked("incident_timeline_item", incident="incident_id"),
    "incidents.IncidentAttachment": Tracked("incident_attachment", incident="incident_id"),
    "incidents.IncidentRelationship": Tracked("incident_relationship", incident="incident_id"),
    # status pages
    "statuspages.StatusPage": Tracked("status_page"),
    "statuspages.Component": Tracked("status_page_component"),
    "statuspages.ComponentGroup": Tracked("status_page_component_group"),
    "statuspages.PageComponent": Tracked("status_page_component_placement"),
    "statuspages.IncidentTemplate": Tracked("status_page_template"),
    "statuspages.PageIncident": Tracked("status_page_incident", incident="incident_id"),
    "statuspages.PageIncidentUpdate": Tracked("status_page_incident_update", incident="page_incident.incident_id"),
    "statuspages.UpdateComponentStatus": Tracked("status_page_component_status", incident="update.page_incident.incident_id"),
    "statuspages.ComponentImpact": Tracked("status_page_component_impact", incident="page_incident.incident_id"),
    "statuspages.Maintenance": Tracked("maintenance_window"),
    "statuspages.MaintenanceUpdate": Tracked("maintenance_window_update"),
    "notifications.NotifiedIncidentUpdate": Tracked("status_page_incident_update", incident="page_incident.incident_id"),
    "notifications.NotifiedMaintenanceUpdate": Tracked("maintenance_window_update"),
    # subscribers' state, outbound webhooks, alert sources
    "notifications.Subscriber": Tracked("status_page_subscriber", exclude=("confirmation_sent_at",)),
    # the failure count moves with every failed delivery: the disabling it leads to is the change
    "notifications.WebhookEndpoint": Tracked("webhook_endpoint", exclude=("consecutive_failures", "failing_since"),
                                             mask=("secret", "previous_secret")),
    "alerts.AlertSource": Tracked("alert_source", mask=("secret_hash", "signing_secret")),
    "alerts.AlertRoute": Tracked("alert_route"),
}

#: the same, by model class (filled by register_all)
BY_MODEL: dict[type, Tracked] = {}


def register_all() -> None:
    for label, tracked in TRACKED.items():
        model = apps.get_model(label)
        BY_MODEL[model] = tracked
        # The row's own columns only: a new row's entry lists no reverse relations.
        left_out = {*_BOOKKEEPING, *tracked.exclude}
        include = [field.name for field in model._meta.concrete_fields if field.name not in left_out]
        exclude = [field.name for field in model._meta.concrete_fields if field.name in left_out]
        auditlog.register(model, include_fields=include, exclude_fields=exclude, mask_fields=list(tracked.mask))


def tracked(model) -> Tracked | None:
    return BY_MODEL.get(model)


def incident_id_of(instance) -> str | None:
    """The id of the incident ``instance`` belongs to (None for none): reads attributes
    the row has loaded, or one foreign key away."""
    spec = BY_MODEL.get(type(instance))
    if spec is None or not spec.incident:
        return None
    value = instance
    for part in spec.incident.split("."):
        if value is None:
            return None
        value = getattr(value, part, None)
    return value
