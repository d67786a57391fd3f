"""``Alerts V2``: list (incident.io's filters, newest first), show, resolve."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from alerts import selectors, services
from alerts.api.v2.filters import alert_filter
from alerts.api.v2.serializers import (
    AlertsListResultV2Serializer,
    AlertsResolveResultV2Serializer,
    AlertsShowResultV2Serializer,
    AlertV2Serializer,
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


urlpatterns = [
    path("v2/alerts", AlertV2ViewSet.as_view({"get": "list"}), name="alerts-v2"),
    path("v2/alerts/<str:pk>", AlertV2ViewSet.as_view({"get": "retrieve"}), name="alert-v2"),
    path("v2/alerts/<str:pk>/actions/resolve", AlertV2ViewSet.as_view({"post": "resolve"}), name="alert-v2-resolve"),
]
