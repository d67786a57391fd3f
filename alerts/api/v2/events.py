"""Events in: incident.io's HTTP source (``Alert Events V2#CreateHTTP``),
Alertmanager's and Grafana's webhooks and PagerDuty's Events API v2. Each parses, admits the source by its secret, and
hands the events to ``services.record_events``; none keeps a rule of its own."""

from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from alerts import services
from alerts.api.auth import admitted_source, guarded
from alerts.api.v2.payloads import (
    PagerDutyInvalid,
    alertmanager_events,
    check_grafana_signature,
    grafana_events,
    http_event,
    pagerduty_event,
    raw,
)
from alerts.api.v2.serializers import AlertEventsCreateHTTPPayloadV2Serializer, AlertEventsCreateHTTPResultV2Serializer
from alerts.models import SourceType
from core.api.text import guard_text
from core.exceptions import DomainError

ACCEPTED = "Event accepted for processing"


class EventsView(APIView):
    """No API key here: the source's secret admits the event."""

    authentication_classes: list = []
    permission_classes: list = []

    def get_authenticate_header(self, request):
        # Without it DRF turns a 401 into a 403; senders retry on neither.
        return 'Bearer realm="alert source"'

    def parse(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context={"request": self.request})
        guard_text(serializer)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class AlertEventsHTTPV2View(EventsView):
    @extend_schema(
        operation_id="Alert Events V2#CreateHTTP",
        tags=["Alert Events V2"],
        parameters=[
            OpenApiParameter("token", str, description="The alert source's secret, when not sent in Authorization"),
        ],
        request=AlertEventsCreateHTTPPayloadV2Serializer,
        responses={202: AlertEventsCreateHTTPResultV2Serializer},
    )
    def post(self, request, alert_source_config_id):
        source = admitted_source(request, alert_source_config_id, SourceType.HTTP)
        event = http_event(source, self.parse(AlertEventsCreateHTTPPayloadV2Serializer), raw(request.data))
        services.record_events(source=source, events=[event])
        # incident.io answers 202 with this body, the key echoed (or the one made up).
        return Response({"status": "success", "message": ACCEPTED, "deduplication_key": event.dedup_key}, status=202)


class AlertEventsAlertmanagerV2View(EventsView):
    """Alertmanager's ``webhook_configs`` URL; the secret in ``http_config``
    (``authorization.credentials`` or ``basic_auth.password``) or ``?token=``."""

    @extend_schema(
        operation_id="Alert Events V2#CreateAlertmanager",
        tags=["Alert Events V2"],
        parameters=[OpenApiParameter("token", str, description="The alert source's secret, when not sent in Authorization")],
        request=OpenApiTypes.OBJECT,
        responses={202: AlertEventsCreateHTTPResultV2Serializer},
    )
    def post(self, request, alert_source_config_id):
        source = admitted_source(request, alert_source_config_id, SourceType.ALERTMANAGER)
        events = alertmanager_events(source, request.data, timezone.now())
        services.record_events(source=source, events=events)
        keys = ",".join(event.dedup_key for event in events)
        return Response({"status": "success", "message": ACCEPTED, "deduplication_key": keys}, status=202)


class AlertEventsGrafanaV2View(EventsView):
    """A Grafana webhook contact point's URL; the secret as its Authorization header (or
    basic auth password, or ``?token=``), and, with a signing secret on the source, its
    HMAC signature checked too."""

    @extend_schema(
        operation_id="Alert Events V2#CreateGrafana",
        tags=["Alert Events V2"],
        parameters=[OpenApiParameter("token", str, description="The alert source's secret, when not sent in Authorization")],
        request=OpenApiTypes.OBJECT,
        responses={202: AlertEventsCreateHTTPResultV2Serializer},
    )
    def post(self, request, alert_source_config_id):
        source = admitted_source(request, alert_source_config_id, SourceType.GRAFANA)
        check_grafana_signature(source, request, request.body)
        events = grafana_events(source, request.data, timezone.now())
        services.record_events(source=source, events=events)
        keys = ",".join(event.dedup_key for event in events)
        return Response({"status": "success", "message": ACCEPTED, "deduplication_key": keys}, status=202)


def _pagerduty_invalid(errors: list[str]) -> Response:
    # PagerDuty's own answer to an event it refuses.
    return Response({"status": "invalid event", "message": "Event object is invalid", "errors": errors}, status=400)


class PagerDutyEnqueueView(EventsView):
    """PagerDuty's Events API v2 (``POST /v2/enqueue``): the ``routing_key`` is the
    source's secret, so a monitor that can send to PagerDuty sends here with its events
    host changed. ``/v2/alert_events/pager_duty/{id}`` takes the same body."""

    @extend_schema(
        operation_id="PagerDuty Events V2#Enqueue",
        tags=["Alert Events V2"],
        request=OpenApiTypes.OBJECT,
        responses={202: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def post(self, request, alert_source_config_id=None):
        payload = request.data
        routing_key = payload.get("routing_key") if isinstance(payload, dict) else None
        if not isinstance(routing_key, str) or not routing_key:
            return _pagerduty_invalid(["'routing_key' is missing or invalid"])
        try:
            source = guarded(
                request,
                lambda: services.admit_source_by_secret(
                    routing_key, source_type=SourceType.PAGER_DUTY, source_id=alert_source_config_id
                ),
            )
        except DomainError as refused:
            if refused.code == "disabled":
                raise exceptions.PermissionDenied(refused.message) from None
            return _pagerduty_invalid(["Invalid routing key"])
        try:
            event, key = pagerduty_event(source, payload)
        except PagerDutyInvalid as invalid:
            return _pagerduty_invalid(invalid.errors)
        if event is not None:
            services.record_events(source=source, events=[event])
        return Response({"status": "success", "message": "Event processed", "dedup_key": key}, status=202)


class AlertEventsPagerDutyV2View(PagerDutyEnqueueView):
    """The same, at the source's own events URL (the routing key must be its secret)."""

    @extend_schema(
        operation_id="Alert Events V2#CreatePagerDuty",
        tags=["Alert Events V2"],
        request=OpenApiTypes.OBJECT,
        responses={202: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def post(self, request, alert_source_config_id):
        return super().post(request, alert_source_config_id)


urlpatterns = [
    path("v2/alert_events/http/<str:alert_source_config_id>", AlertEventsHTTPV2View.as_view(), name="alert-events-http"),
    path(
        "v2/alert_events/alertmanager/<str:alert_source_config_id>",
        AlertEventsAlertmanagerV2View.as_view(),
        name="alert-events-alertmanager",
    ),
    path("v2/alert_events/grafana/<str:alert_source_config_id>", AlertEventsGrafanaV2View.as_view(), name="alert-events-grafana"),
    path(
        "v2/alert_events/pager_duty/<str:alert_source_config_id>",
        AlertEventsPagerDutyV2View.as_view(),
        name="alert-events-pager-duty",
    ),
    path("v2/enqueue", PagerDutyEnqueueView.as_view(), name="pagerduty-enqueue"),
]
