"""``Alert Routes V2`` CRUD, gated by manage_settings like the sources they read from."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from alerts import selectors, services
from alerts.api.v2.route_shapes import (
    AlertRoutesCreatePayloadV2Serializer,
    AlertRoutesCreateResultV2Serializer,
    AlertRouteSlimV2Serializer,
    AlertRoutesListResultV2Serializer,
    AlertRoutesShowResultV2Serializer,
    AlertRoutesUpdatePayloadV2Serializer,
    AlertRoutesUpdateResultV2Serializer,
    AlertRouteV2Serializer,
    route_fields,
    route_sources,
)
from core.api import roles
from core.api.base import ApiViewSet

TAG = "Alert Routes V2"


class AlertRouteV2ViewSet(ApiViewSet):
    roles = roles.action_roles("alert_routes", "list", "retrieve", "create", "update", "destroy")

    def _show(self, pk):
        return self.get_or_404(selectors.routes(), pk, "alert route")

    @extend_schema(operation_id="Alert Routes V2#List", tags=[TAG], responses={200: AlertRoutesListResultV2Serializer})
    def list(self, request):
        rows, meta = self.paginate(selectors.routes_slim(), newest_first=False)
        return Response({"alert_routes": AlertRouteSlimV2Serializer(rows, many=True).data, "pagination_meta": meta})

    @extend_schema(operation_id="Alert Routes V2#Show", tags=[TAG], responses={200: AlertRoutesShowResultV2Serializer})
    def retrieve(self, request, pk):
        return Response({"alert_route": AlertRouteV2Serializer(self._show(pk)).data})

    @extend_schema(
        operation_id="Alert Routes V2#Create",
        tags=[TAG],
        request=AlertRoutesCreatePayloadV2Serializer,
        responses={201: AlertRoutesCreateResultV2Serializer},
    )
    def create(self, request):
        data = self.parse(AlertRoutesCreatePayloadV2Serializer)
        route = services.create_alert_route(name=data["name"], sources=route_sources(data), **route_fields(data))
        return Response({"alert_route": AlertRouteV2Serializer(self._show(route.pk)).data}, status=201)

    @extend_schema(
        operation_id="Alert Routes V2#Update",
        tags=[TAG],
        request=AlertRoutesUpdatePayloadV2Serializer,
        responses={200: AlertRoutesUpdateResultV2Serializer},
    )
    def update(self, request, pk):
        route = self._show(pk)
        data = self.parse(AlertRoutesUpdatePayloadV2Serializer)
        route = services.update_alert_route(
            route=route, name=data["name"], version=data["version"], sources=route_sources(data), **route_fields(data)
        )
        return Response({"alert_route": AlertRouteV2Serializer(self._show(route.pk)).data})

    @extend_schema(operation_id="Alert Routes V2#Delete", tags=[TAG], responses={204: None})
    def destroy(self, request, pk):
        services.delete_alert_route(route=self._show(pk))
        return Response(status=204)


urlpatterns = [
    path("v2/alert_routes", AlertRouteV2ViewSet.as_view({"get": "list", "post": "create"}), name="alert-routes-v2"),
    path(
        "v2/alert_routes/<str:pk>",
        AlertRouteV2ViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}),
        name="alert-route-v2",
    ),
]
