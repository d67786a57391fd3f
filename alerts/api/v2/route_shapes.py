"""incident.io's alert route shapes (``Alert Routes V2``): the payload parsed into a
route's fields, a route rendered as ``AlertRouteV2``.

What the shape carries that this tracker does not act on (expressions, escalation,
channels, the message template, owning teams, custom fields) is kept as given and
rendered back, so a client's round trip loses nothing."""

from rest_framework import serializers

from alerts.models import AlertRoute, AlertSource
from core.exceptions import DomainError
from incidents.api.v2.serializers.shapes import PaginationMetaResultV2Serializer
from incidents.models import IncidentType, Severity

#: operation -> the label incident.io shows for it
OPERATION_LABELS = {
    "is": "is",
    "one_of": "is one of",
    "is_not": "is not",
    "not_one_of": "is not one of",
    "contains": "contains",
    "does_not_contain": "does not contain",
    "starts_with": "starts with",
    "is_set": "is set",
    "is_blank": "is blank",
}
SEVERITY_FROM_ALERT = "alert.severity"


class AlertRoutesCreatePayloadV2Serializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    enabled = serializers.BooleanField()
    is_private = serializers.BooleanField()
    condition_groups = serializers.ListField(child=serializers.DictField())
    alert_sources = serializers.ListField(child=serializers.DictField())
    incident_config = serializers.DictField()
    incident_template = serializers.DictField()
    expressions = serializers.ListField(child=serializers.DictField())
    escalation_config = serializers.DictField()
    channel_config = serializers.ListField(child=serializers.DictField())
    message_template = serializers.DictField(required=False)
    owning_team_ids = serializers.ListField(child=serializers.CharField(), required=False)


class AlertRoutesUpdatePayloadV2Serializer(AlertRoutesCreatePayloadV2Serializer):
    version = serializers.IntegerField(help_text="One more than the route's version, else the update is refused")


def _value(binding) -> dict:
    """The single value of a binding payload (``{"value": {"literal": ...}}``), or {}."""
    return (binding or {}).get("value") or {} if isinstance(binding, dict) else {}


def _template_text(bound) -> str:
    value = _value((bound or {}).get("binding"))
    if value.get("reference"):
        return "{{ " + value["reference"] + " }}"
    return str(value.get("literal", ""))


def route_fields(data: dict) -> dict:
    """A route's fields from incident.io's payload; DomainError names what is wrong."""
    config, template = data["incident_config"], data["incident_template"]
    severity_binding = template.get("severity") or {}
    severity_value = _value(severity_binding.get("binding"))
    severity = None
    if severity_value.get("literal"):
        severity = Severity.objects.filter(pk=severity_value["literal"]).first()
        if severity is None:
            raise DomainError("not_found", "No severity with that id", field="incident_template.severity")
    incident_type = None
    type_id = _value((template.get("incident_type") or {}).get("binding")).get("literal")
    if type_id:
        incident_type = IncidentType.objects.filter(pk=type_id).first()
        if incident_type is None:
            raise DomainError("not_found", "No incident type with that id", field="incident_template.incident_type")
    triage = _value((template.get("start_in_triage") or {}).get("binding")).get("literal")
    keys = config.get("grouping_keys") or []
    if not all(isinstance(k, dict) and k.get("reference") for k in keys):
        raise DomainError("invalid_value", 'Grouping keys are {"reference": "alert.title"}', field="incident_config.grouping_keys")
    window = config.get("grouping_window_seconds", 0)
    if not isinstance(window, int):
        raise DomainError("invalid_value", "The grouping window is a whole number of seconds", field="incident_config")
    kept_template = {k: template[k] for k in ("custom_fields", "incident_mode", "workspace", "membership_teams") if k in template}
    return {
        "enabled": data["enabled"],
        "is_private": data["is_private"],
        "condition_groups": data["condition_groups"],
        "incident_enabled": bool(config.get("enabled")),
        "auto_decline_enabled": bool(config.get("auto_decline_enabled")),
        "incident_condition_groups": config.get("condition_groups") or [],
        "grouping_keys": [k["reference"] for k in keys],
        "grouping_window_seconds": window,
        "incident_type": incident_type,
        "severity": severity,
        "severity_merge": severity_binding.get("merge_strategy") or "first-wins",
        "start_in_triage": str(triage).lower() != "false" if triage is not None else True,
        "name_template": _template_text(template.get("name")) or "{{ alert.title }}",
        "summary_template": _template_text(template.get("summary")),
        "extras": {
            "expressions": data["expressions"],
            "escalation_config": data["escalation_config"],
            "channel_config": data["channel_config"],
            "message_template": data.get("message_template"),
            "owning_team_ids": data.get("owning_team_ids") or [],
            "defer_time_seconds": config.get("defer_time_seconds", 0),
            "auto_relate_grouped_alerts": bool(config.get("auto_relate_grouped_alerts")),
            "template": kept_template,
        },
    }


def route_sources(data: dict) -> list[tuple[AlertSource, list]]:
    wanted = data["alert_sources"]
    ids = [str(item.get("alert_source_id", "")) for item in wanted]
    found = AlertSource.objects.in_bulk(ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise DomainError("not_found", f"No alert source with id {missing[0]}", field="alert_sources")
    return [(found[i], item.get("condition_groups") or []) for i, item in zip(ids, wanted, strict=True)]


def _binding_value(value: dict) -> dict:
    label = value.get("literal") or value.get("reference") or ""
    return {"label": label, **{k: v for k, v in value.items() if k in ("literal", "reference")}}


def _binding(binding: dict) -> dict:
    body = {}
    if binding.get("value"):
        body["value"] = _binding_value(binding["value"])
    if binding.get("array_value") is not None:
        body["array_value"] = [_binding_value(v) for v in binding["array_value"]]
    return body


def condition_groups(groups: list) -> list:
    """Stored condition groups as ``ConditionGroupV2`` renders them (labels added)."""
    return [
        {
            "conditions": [
                {
                    "subject": {"label": c["subject"], "reference": c["subject"]},
                    "operation": {"label": OPERATION_LABELS.get(c["operation"], c["operation"]), "value": c["operation"]},
                    "param_bindings": [_binding(b) for b in c.get("param_bindings") or ()],
                }
                for c in group["conditions"]
            ]
        }
        for group in groups
    ]


def _text_binding(text: str) -> dict:
    inner = text.strip()
    if inner.startswith("{{") and inner.endswith("}}") and inner.count("{{") == 1:
        reference = inner[2:-2].strip()
        return {"value": {"label": reference, "reference": reference}}
    return {"value": {"label": text, "literal": text}}


class AlertRouteV2Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    enabled = serializers.BooleanField()
    is_private = serializers.BooleanField()
    version = serializers.IntegerField()
    condition_groups = serializers.ListField(child=serializers.DictField())
    alert_sources = serializers.ListField(child=serializers.DictField())
    incident_config = serializers.DictField()
    incident_template = serializers.DictField()
    expressions = serializers.ListField(child=serializers.DictField())
    escalation_config = serializers.DictField()
    channel_config = serializers.ListField(child=serializers.DictField())
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def to_representation(self, route: AlertRoute):
        extras = route.extras or {}
        template = {
            "name": {"autogenerated": False, "binding": _text_binding(route.name_template)},
            "start_in_triage": {"binding": {"value": {"label": str(route.start_in_triage).lower(), "literal": str(route.start_in_triage).lower()}}},
            **extras.get("template", {}),
        }
        if route.summary_template:
            template["summary"] = {"autogenerated": False, "binding": _text_binding(route.summary_template)}
        if route.severity_id:
            value = {"label": route.severity.name, "literal": route.severity_id}
            template["severity"] = {"merge_strategy": route.severity_merge, "binding": {"value": value}}
        else:
            template["severity"] = {"merge_strategy": route.severity_merge}
        if route.incident_type_id:
            template["incident_type"] = {"binding": {"value": {"label": route.incident_type.name, "literal": route.incident_type_id}}}
        field = serializers.DateTimeField()
        body = {
            "id": route.pk,
            "name": route.name,
            "enabled": route.enabled,
            "is_private": route.is_private,
            "version": route.version,
            "condition_groups": condition_groups(route.condition_groups),
            "alert_sources": [
                {"alert_source_id": s.source_id, "condition_groups": condition_groups(s.condition_groups)}
                for s in route.route_sources.all()
            ],
            "incident_config": {
                "enabled": route.incident_enabled,
                "auto_decline_enabled": route.auto_decline_enabled,
                "auto_relate_grouped_alerts": extras.get("auto_relate_grouped_alerts", False),
                "condition_groups": condition_groups(route.incident_condition_groups),
                "grouping_keys": [{"reference": k} for k in route.grouping_keys],
                "grouping_window_seconds": route.grouping_window_seconds,
                "defer_time_seconds": extras.get("defer_time_seconds", 0),
            },
            "incident_template": template,
            "expressions": extras.get("expressions", []),
            "escalation_config": extras.get("escalation_config") or {"auto_cancel_escalations": False, "escalation_targets": []},
            "channel_config": extras.get("channel_config", []),
            "owning_team_ids": extras.get("owning_team_ids", []),
            "created_at": field.to_representation(route.created_at),
            "updated_at": field.to_representation(route.updated_at),
        }
        if extras.get("message_template"):
            body["message_template"] = extras["message_template"]
        return body


class AlertRouteSlimV2Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    enabled = serializers.BooleanField()


class AlertRoutesListResultV2Serializer(serializers.Serializer):
    alert_routes = AlertRouteSlimV2Serializer(many=True)
    pagination_meta = PaginationMetaResultV2Serializer()


class AlertRoutesShowResultV2Serializer(serializers.Serializer):
    alert_route = AlertRouteV2Serializer()


class AlertRoutesCreateResultV2Serializer(serializers.Serializer):
    alert_route = AlertRouteV2Serializer()


class AlertRoutesUpdateResultV2Serializer(serializers.Serializer):
    alert_route = AlertRouteV2Serializer()
