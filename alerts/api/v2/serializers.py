"""incident.io's alert shapes: payloads parsed, results rendered (names are the
contract's components, without the ``Serializer`` suffix)."""

from rest_framework import serializers

from alerts.api.links import events_url
from alerts.models import AlertStatus, SourceType
from incidents.api.v2.serializers.shapes import PaginationMetaResultV2Serializer


class AlertEventsCreateHTTPPayloadV2Serializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=False, trim_whitespace=True, max_length=10000)
    status = serializers.ChoiceField(choices=AlertStatus.choices)
    deduplication_key = serializers.CharField(required=False, allow_blank=True, max_length=255)
    description = serializers.CharField(required=False, allow_blank=True, max_length=100000, trim_whitespace=False)
    source_url = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    metadata = serializers.DictField(required=False)


class AlertEventsCreateHTTPResultV2Serializer(serializers.Serializer):
    status = serializers.CharField()
    message = serializers.CharField()
    deduplication_key = serializers.CharField()


# --- alerts -------------------------------------------------------------------------------


class AlertV2Serializer(serializers.Serializer):
    id = serializers.CharField()
    alert_source_id = serializers.CharField(source="source_id")
    deduplication_key = serializers.CharField(source="dedup_key")
    status = serializers.ChoiceField(choices=AlertStatus.choices)
    title = serializers.CharField()
    description = serializers.CharField(required=False)
    source_url = serializers.CharField(required=False)
    attributes = serializers.ListField(child=serializers.DictField(), help_text="Attribute values (none yet)")
    alert_group_ids = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(required=False)

    def to_representation(self, alert):
        # Built as a plain dict (lists render one per row); optional fields absent, not
        # null, as incident.io's document types them.
        field = serializers.DateTimeField()
        body = {
            "id": alert.pk,
            "alert_source_id": alert.source_id,
            "deduplication_key": alert.dedup_key,
            "status": alert.status,
            "title": alert.title,
            "attributes": [],
            "alert_group_ids": [group.pk for group in alert.alert_groups.all()],
            "created_at": field.to_representation(alert.created_at),
            "updated_at": field.to_representation(alert.updated_at),
        }
        if alert.description:
            body["description"] = alert.description
        if alert.source_url:
            body["source_url"] = alert.source_url
        if alert.resolved_at:
            body["resolved_at"] = field.to_representation(alert.resolved_at)
        return body


class AlertsListResultV2Serializer(serializers.Serializer):
    alerts = AlertV2Serializer(many=True)
    pagination_meta = PaginationMetaResultV2Serializer()


class AlertsShowResultV2Serializer(serializers.Serializer):
    alert = AlertV2Serializer()


class AlertsResolveResultV2Serializer(serializers.Serializer):
    alert = AlertV2Serializer()


# --- alert sources ------------------------------------------------------------------------


class EngineParamBindingValuePayloadV2Serializer(serializers.Serializer):
    literal = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=200)


class AlertTemplatePayloadV2Serializer(serializers.Serializer):
    """incident.io's template: this tracker reads ``title`` and ``description``; the
    expressions, attributes and team visibility it does not have are accepted empty."""

    title = EngineParamBindingValuePayloadV2Serializer()
    description = EngineParamBindingValuePayloadV2Serializer()
    expressions = serializers.ListField(child=serializers.DictField(), max_length=0)
    attributes = serializers.ListField(child=serializers.DictField(), max_length=0)
    is_private = serializers.BooleanField(required=False)
    visible_to_teams = serializers.DictField(required=False)


class AlertSourceHTTPCustomOptionsV2Serializer(serializers.Serializer):
    deduplication_key_path = serializers.CharField(allow_blank=True, max_length=200)
    transform_expression = serializers.CharField(allow_blank=True, max_length=0, required=False)


class AlertSourceHeartbeatOptionsPayloadV2Serializer(serializers.Serializer):
    interval_seconds = serializers.IntegerField()
    grace_period_seconds = serializers.IntegerField(required=False)
    failure_threshold = serializers.IntegerField(required=False)


class AlertSourcesCreatePayloadV2Serializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    source_type = serializers.CharField(max_length=50)
    template = AlertTemplatePayloadV2Serializer()
    http_custom_options = AlertSourceHTTPCustomOptionsV2Serializer(required=False)
    heartbeat_options = AlertSourceHeartbeatOptionsPayloadV2Serializer(required=False)


class AlertSourcesUpdatePayloadV2Serializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    template = AlertTemplatePayloadV2Serializer()
    http_custom_options = AlertSourceHTTPCustomOptionsV2Serializer(required=False)
    heartbeat_options = AlertSourceHeartbeatOptionsPayloadV2Serializer(required=False)
    disabled = serializers.BooleanField(required=False)


def binding(value: dict, fallback_label: str) -> dict:
    """A stored binding as incident.io renders one: ``label`` always, and what it holds."""
    return {"label": value.get("literal") or value.get("reference") or fallback_label, **value}


class AlertSourceV2Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    source_type = serializers.CharField()
    template = serializers.DictField()
    alert_events_url = serializers.CharField()
    secret_token = serializers.CharField(required=False, help_text="Only when the source is created")
    http_custom_options = serializers.DictField(required=False)
    heartbeat_options = serializers.DictField(required=False)

    def to_representation(self, source):
        body = {
            "id": source.pk,
            "name": source.name,
            "source_type": source.source_type,
            "alert_events_url": events_url(source),
            "template": {
                "title": binding(source.title_binding, "Title"),
                "description": binding(source.description_binding, "Description"),
                "expressions": [],
                "attributes": [],
                "is_private": False,
            },
        }
        if source.dedup_key_path:
            body["http_custom_options"] = {"deduplication_key_path": source.dedup_key_path, "transform_expression": ""}
        if source.source_type == SourceType.HEARTBEAT:
            heartbeat = source.heartbeat  # joined by selectors.sources()
            body["heartbeat_options"] = {
                "interval_seconds": heartbeat.interval_seconds,
                "grace_period_seconds": heartbeat.grace_period_seconds,
                "failure_threshold": heartbeat.failure_threshold,
                "ping_url": events_url(source),
            }
        secret = self.context.get("secret")
        if secret:
            body["secret_token"] = secret
        return body


class AlertSourcesListResultV2Serializer(serializers.Serializer):
    alert_sources = AlertSourceV2Serializer(many=True)


class AlertSourcesShowResultV2Serializer(serializers.Serializer):
    alert_source = AlertSourceV2Serializer()


class AlertSourcesCreateResultV2Serializer(serializers.Serializer):
    alert_source = AlertSourceV2Serializer()


class AlertSourcesUpdateResultV2Serializer(serializers.Serializer):
    alert_source = AlertSourceV2Serializer()


# --- incident alerts ------------------------------------------------------------------------

#: our status categories as IncidentSlimV2 names them (live is "active", learning is "post-incident")
STATUS_CATEGORY = {"live": "active", "learning": "post-incident"}


def incident_slim(incident) -> dict:
    body = {
        "id": incident.pk,
        "external_id": incident.reference_number,
        "name": incident.name,
        "reference": incident.reference,
        "visibility": incident.visibility,
        "status_category": STATUS_CATEGORY.get(incident.status.category, incident.status.category),
    }
    if incident.summary:
        body["summary"] = incident.summary
    return body


class IncidentAlertV2Serializer(serializers.Serializer):
    id = serializers.CharField()
    alert = AlertV2Serializer()
    alert_route_id = serializers.CharField(required=False)
    incident = serializers.DictField()

    def to_representation(self, link):
        alert = AlertV2Serializer(link.alert).data
        alert.pop("attributes", None)  # AlertSlimV2 has none
        body = {"id": link.pk, "alert": alert, "incident": incident_slim(link.incident)}
        if link.route_id:
            body["alert_route_id"] = link.route_id
        return body


class AlertsListIncidentAlertsResultV2Serializer(serializers.Serializer):
    incident_alerts = IncidentAlertV2Serializer(many=True)
    pagination_meta = PaginationMetaResultV2Serializer()
