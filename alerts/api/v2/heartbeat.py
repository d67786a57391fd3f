"""``Heartbeat V2#Ping``: a heartbeat source's ping, by GET or POST, admitted like any
events URL (Bearer, Basic or ``?token=``). The body, if any, is not read: Alertmanager's
always-firing ``Watchdog`` alert posted here (its webhook body) is a ping like a cron
job's bare ``curl``, which makes the source a dead man's switch."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from alerts import services
from alerts.api.auth import admitted_source
from alerts.api.v2.events import EventsView
from alerts.models import SourceType

TOKEN = OpenApiParameter("token", str, description="The alert source's secret, when not sent in Authorization")


class HeartbeatPingV2View(EventsView):
    def _ping(self, request, alert_source_config_id):
        source = admitted_source(request, alert_source_config_id, SourceType.HEARTBEAT)
        services.record_ping(source=source)
        # incident.io answers 204 No Content, to GET and POST alike.
        return Response(status=204)

    @extend_schema(operation_id="Heartbeat V2#Ping", tags=["Heartbeat V2"], parameters=[TOKEN], request=None,
                   responses={204: None})
    def post(self, request, alert_source_config_id):
        return self._ping(request, alert_source_config_id)

    @extend_schema(operation_id="Heartbeat V2#Ping#1", tags=["Heartbeat V2"], parameters=[TOKEN], responses={204: None})
    def get(self, request, alert_source_config_id):
        return self._ping(request, alert_source_config_id)


urlpatterns = [
    path("v2/heartbeat/<str:alert_source_config_id>/ping", HeartbeatPingV2View.as_view(), name="heartbeat-ping"),
]
