"""``Alert Routes V3``: the same routes as V2, in V3's shape (grouping in
``grouping_config.default`` with its window type, the incident template inside
``incident_config``, binding values without labels). Parsed into V2's shape and
rendered from it, so the two versions share one set of rules."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from alerts import selectors, services
from alerts.api.v2.route_shapes import AlertRouteSlimV2Serializer, AlertRouteV2Serializer, route_fields, route_sources
from alerts.models import WindowType
from core.api import roles
from core.api.base import ApiViewSet
from core.exceptions import DomainError

TAG = "Alert Routes V3"


class AlertRoutesCreatePayloadV3Serializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    enabled = serializers.BooleanField()
    is_private = serializers.BooleanField()
    condition_groups = serializers.ListField(child=serializers.DictField())
    alert_sources = serializers.ListField(child=serializers.DictField())
    grouping_config = serializers.DictField()
    incident_config = serializers.DictField()
    message_config = serializers.DictField()
    expressions = serializers.ListField(child=serializers.DictField())
    escalation_config = serializers.DictField()
    owning_team_ids = serializers.ListField(child=serializers.CharField(), required=False)


class AlertRoutesUpdatePayloadV3Serializer(AlertRoutesCreatePayloadV3Serializer):
    version = serializers.IntegerField(help_text="One more than the route's version, else the update is refused")


def _as_v2(data: dict) -> dict:
    grouping = data["grouping_config"].get("default") or {}
    window_type = grouping.get("window_type") or WindowType.ROLLING
    if window_type not in WindowType.values:
        raise DomainError("invalid_value", "window_type is rolling or fixed", field="grouping_config.default.window_type")
    incident = data["incident_config"]
    v2 = {
        **data,
        "incident_config": {
            "enabled": bool(incident.get("enabled")),
            "auto_decline_enabled": bool(incident.get("auto_decline_enabled")),
            "condition_groups": incident.get("condition_groups") or [],
            "grouping_keys": grouping.get("grouping_keys") or [],
            "grouping_window_seconds": grouping.get("window_seconds", 0) if grouping.get("enabled") else 0,
        },
        "incident_template": incident.get("template") or {},
        "channel_config": [],
    }
    fields = route_fields(v2)
    fields["window_type"] = window_type
    fields["extras"]["message_config"] = data["message_config"]
    return fields


def _unlabelled(binding: dict) -> dict:
    """A binding as V3 renders it: its values without labels."""
    body = {}
    if "value" in binding:
        body["value"] = {k: v for k, v in binding["value"].items() if k != "label"}
    if "array_value" in binding:
        body["array_value"] = [{k: v for k, v in item.items() if k != "label"} for item in binding["array_value"]]
    return body


def _conditions(groups: list) -> list:
    return [
        {"conditions": [{**c, "param_bindings": [_unlabelled(b) for b in c["param_bindings"]]} for c in group["conditions"]]}
        for group in groups
    ]


def render_v3(route) -> dict:
    v2 = AlertRouteV2Serializer(route).data
    template = {
        name: ({**part, "binding": _unlabelled(part["binding"])} if isinstance(part, dict) and "binding" in part else part)
        for name, part in v2["incident_template"].items()
    }
    extras = route.extras or {}
    body = {
        "id": v2["id"],
        "name": v2["name"],
        "enabled": v2["enabled"],
        "is_private": v2["is_private"],
        "version": v2["version"],
        "created_at": v2["created_at"],
        "updated_at": v2["updated_at"],
        "owning_team_ids": v2["owning_team_ids"],
        "alert_sources": [{**s, "condition_groups": _conditions(s["condition_groups"])} for s in v2["alert_sources"]],
        "condition_groups": _conditions(v2["condition_groups"]),
        "expressions": v2["expressions"],
        "escalation_config": v2["escalation_config"],
        "grouping_config": {
            "default": {
                "enabled": route.grouping_window_seconds > 0,
                "grouping_keys": [{"reference": k} for k in route.grouping_keys],
                "window_seconds": route.grouping_window_seconds,
                "window_type": route.window_type,
            }
        },
        "incident_config": {
            "enabled": route.incident_enabled,
            "auto_decline_enabled": route.auto_decline_enabled,
            "condition_groups": _conditions(v2["incident_config"]["condition_groups"]),
            "template": template,
        },
        "message_config": extras.get("message_config") or {"destinations": []},
    }
    return body


class AlertRouteV3Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    grouping_config = serializers.DictField()
    incident_config = serializers.DictField()

    def to_representation(self, route):
        return render_v3(route)


class AlertRoutesListResultV3Serializer(serializers.Serializer):
    alert_routes = AlertRouteSlimV2Serializer(many=True)
    pagination_meta = serializers.DictField()


class AlertRouteResultV3Serializer(serializers.Serializer):
    alert_route = AlertRouteV3Serializer()


class AlertRouteV3ViewSet(ApiViewSet):
    roles = roles.action_roles("alert_routes", "list", "retrieve", "create", "update", "destroy")

    def _show(self, pk):
        return self.get_or_404(selectors.routes(), pk, "alert route")

    @extend_schema(operation_id="Alert Routes V3#List", tags=[TAG], responses={200: AlertRoutesListResultV3Serializer})
    def list(self, request):
        rows, meta = self.paginate(selectors.routes_slim(), newest_first=False)
        return Response({"alert_routes": AlertRouteSlimV2Serializer(rows, many=True).data, "pagination_meta": meta})

    @extend_schema(operation_id="Alert Routes V3#Show", tags=[TAG], responses={200: AlertRouteResultV3Serializer})
    def retrieve(self, request, pk):
        return Response({"alert_route": render_v3(self._show(pk))})

    @extend_schema(
        operation_id="Alert Routes V3#Create",
        tags=[TAG],
        request=AlertRoutesCreatePayloadV3Serializer,
        responses={201: AlertRouteResultV3Serializer},
    )
    def create(self, request):
        data = self.parse(AlertRoutesCreatePayloadV3Serializer)
        route = services.create_alert_route(name=data["name"], sources=route_sources(data), **_as_v2(data))
        return Response({"alert_route": render_v3(self._show(route.pk))}, status=201)

    @extend_schema(
        operation_id="Alert Routes V3#Update",
        tags=[TAG],
        request=AlertRoutesUpdatePayloadV3Serializer,
        responses={200: AlertRouteResultV3Serializer},
    )
    def update(self, request, pk):
        route = self._show(pk)
        data = self.parse(AlertRoutesUpdatePayloadV3Serializer)
        route = services.update_alert_route(
            route=route, name=data["name"], version=data["version"], sources=route_sources(data), **_as_v2(data)
        )
        return Response({"alert_route": render_v3(self._show(route.pk))})

    @extend_schema(operation_id="Alert Routes V3#Delete", tags=[TAG], responses={204: None})
    def destroy(self, request, pk):
        services.delete_alert_route(route=self._show(pk))
        return Response(status=204)


urlpatterns = [
    path("v3/alert_routes", AlertRouteV3ViewSet.as_view({"get": "list", "post": "create"}), name="alert-routes-v3"),
    path(
        "v3/alert_routes/<str:pk>",
        AlertRouteV3ViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}),
        name="alert-route-v3",
    ),
]
