"""Events in: incident.io's HTTP source (``Alert Events V2#CreateHTTP``) and
Alertmanager's version 4 webhook. Each parses, admits the source by its secret, and
hands the events to ``services.record_events``; none keeps a rule of its own."""

import hashlib

import orjson
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView
from ulid import ULID

from alerts import services
from alerts.api.auth import admitted_source
from alerts.api.v2.serializers import AlertEventsCreateHTTPPayloadV2Serializer, AlertEventsCreateHTTPResultV2Serializer
from alerts.models import SourceType
from alerts.services.events import Event, bound, text_at
from core.api.text import guard_text

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


def _raw(document) -> str:
    return orjson.dumps(document).decode()


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
        data = self.parse(AlertEventsCreateHTTPPayloadV2Serializer)
        document = {**data, "metadata": data.get("metadata") or {}}
        # No key of its own: the source's dedup path, else a new one (the event is an
        # alert of its own, which the answer names so the sender can resolve it).
        key = data.get("deduplication_key") or text_at(document, source.dedup_key_path) or str(ULID())
        event = Event(
            status=data["status"],
            dedup_key=key,
            title=bound(source, source.title_binding, document) or data["title"],
            description=bound(source, source.description_binding, document),
            source_url=data.get("source_url", ""),
            severity=text_at(document, source.severity_path),
            metadata=document["metadata"],
            body=_raw(request.data),
        )
        services.record_events(source=source, events=[event])
        # incident.io answers 202 with this body, the key echoed (or the one made up).
        return Response({"status": "success", "message": ACCEPTED, "deduplication_key": key}, status=202)


#: what Alertmanager sends for an alert still firing
ZERO_TIME = "0001-01-01T00:00:00Z"


def _alertmanager_status(alert: dict, now) -> str:
    status = alert.get("status")
    if status in ("firing", "resolved"):
        return status
    try:
        ends = parse_datetime(str(alert.get("endsAt") or ""))
    except ValueError:  # a well-formed date that does not exist
        ends = None
    return "resolved" if ends is not None and ends <= now else "firing"


def alertmanager_events(source, payload, now) -> list[Event]:
    """Alertmanager's webhook (payload version 4): one event per alert, keyed by its
    ``fingerprint``, with the group's ``groupKey`` kept in the metadata. A payload that
    is not this shape raises ValidationError (a 422: Alertmanager does not retry a 4xx, and
    sending it again would not help)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("alerts"), list):
        raise exceptions.ValidationError({"alerts": ["an Alertmanager webhook payload has a list of alerts"]})
    if str(payload.get("version", "4")) != "4":
        raise exceptions.ValidationError({"version": [f"payload version {payload.get('version')!r}: only version 4 is read"]})
    group = {k: payload.get(k) for k in ("receiver", "groupKey", "groupLabels", "commonLabels", "externalURL")}
    events = []
    for index, alert in enumerate(payload["alerts"]):
        if not isinstance(alert, dict) or not isinstance(alert.get("labels", {}), dict):
            raise exceptions.ValidationError({f"alerts[{index}]": ["an alert is an object with labels"]})
        labels, annotations = alert.get("labels") or {}, alert.get("annotations") or {}
        fingerprint = str(alert.get("fingerprint") or "")
        if not fingerprint:
            # Alertmanager always sends one; a hand-made payload keys by its labels.
            fingerprint = hashlib.sha256(orjson.dumps(labels, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]
        document = {**alert, "labels": labels, "annotations": annotations, **group}
        events.append(
            Event(
                status=_alertmanager_status(alert, now),
                dedup_key=fingerprint,
                title=bound(source, source.title_binding, document) or text_at(document, "labels.alertname") or fingerprint,
                description=bound(source, source.description_binding, document),
                source_url=text_at(document, "generatorURL"),
                severity=text_at(document, source.severity_path),
                metadata={
                    "labels": labels,
                    "annotations": annotations,
                    "group_key": group["groupKey"],
                    "starts_at": alert.get("startsAt"),
                    "ends_at": alert.get("endsAt"),
                },
                body=_raw(document),
            )
        )
    return events


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


urlpatterns = [
    path("v2/alert_events/http/<str:alert_source_config_id>", AlertEventsHTTPV2View.as_view(), name="alert-events-http"),
    path(
        "v2/alert_events/alertmanager/<str:alert_source_config_id>",
        AlertEventsAlertmanagerV2View.as_view(),
        name="alert-events-alertmanager",
    ),
]
