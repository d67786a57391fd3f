"""``Alerts V2``: list (incident.io's filters, newest first), show, resolve, and the
alerts attached to incidents (``ListIncidentAlerts``: only those of incidents the key may
see, narrowed by the incidents' one rule)."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from alerts import selectors, services
from alerts.api.v2.filters import alert_filter
from alerts.api.v2.serializers import (
    AlertsListIncidentAlertsResultV2Serializer,
    AlertsListResultV2Serializer,
    AlertsResolveResultV2Serializer,
    AlertsShowResultV2Serializer,
    AlertV2Serializer,
    IncidentAlertV2Serializer,
)
from core.api import roles
from core.api.base import ApiViewSet

TAG = "Alerts V2"
#: the contract's page_size maximum for this list
MAX_PAGE_SIZE = 50


class AlertV2ViewSet(ApiViewSet):
    roles = roles.action_roles("alerts", "list", "retrieve", "resolve")

    @extend_schema(operation_id="Alerts V2#List", tags=[TAG], responses={200: AlertsListResultV2Serializer})
    def list(self, request):
        rows, meta = self.paginate(selectors.alerts().filter(alert_filter(request.query_params)), maximum=MAX_PAGE_SIZE)
        return Response({"alerts": AlertV2Serializer(rows, many=True).data, "pagination_meta": meta})

    @extend_schema(operation_id="Alerts V2#Show", tags=[TAG], responses={200: AlertsShowResultV2Serializer})
    def retrieve(self, request, pk):
        alert = self.get_or_404(selectors.alerts(), pk, "alert")
        return Response({"alert": AlertV2Serializer(alert).data})

    @extend_schema(operation_id="Alerts V2#Resolve", tags=[TAG], request=None, responses={200: AlertsResolveResultV2Serializer})
    def resolve(self, request, pk):
        alert = services.resolve_alert(alert=self.get_or_404(selectors.alerts(), pk, "alert"))
        return Response({"alert": AlertV2Serializer(alert).data})


class IncidentAlertV2ViewSet(ApiViewSet):
    roles = roles.action_roles("alerts", "list")

    @extend_schema(
        operation_id="Alerts V2#ListIncidentAlerts",
        tags=[TAG],
        parameters=[
            OpenApiParameter("alert_id", str, description="Only this alert's incidents"),
            OpenApiParameter("incident_id", str, description="Only this incident's alerts"),
        ],
        responses={200: AlertsListIncidentAlertsResultV2Serializer},
    )
    def list(self, request):
        rows = self.restrict(selectors.incident_alerts())
        for parameter, column in (("alert_id", "alert_id"), ("incident_id", "incident_id")):
            if request.query_params.get(parameter):
                rows = rows.filter(**{column: request.query_params[parameter]})
        page, meta = self.paginate(rows, maximum=MAX_PAGE_SIZE)
        return Response({"incident_alerts": IncidentAlertV2Serializer(page, many=True).data, "pagination_meta": meta})


urlpatterns = [
    path("v2/incident_alerts", IncidentAlertV2ViewSet.as_view({"get": "list"}), name="incident-alerts-v2"),
    path("v2/alerts", AlertV2ViewSet.as_view({"get": "list"}), name="alerts-v2"),
    path("v2/alerts/<str:pk>", AlertV2ViewSet.as_view({"get": "retrieve"}), name="alert-v2"),
    path("v2/alerts/<str:pk>/actions/resolve", AlertV2ViewSet.as_view({"post": "resolve"}), name="alert-v2-resolve"),
]
