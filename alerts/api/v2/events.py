"""Events in: incident.io's HTTP source (``Alert Events V2#CreateHTTP``) and
Alertmanager's version 4 webhook. Each parses, admits the source by its secret, and
hands the events to ``services.record_events``; none keeps a rule of its own."""

import orjson
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
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


urlpatterns = [
    path("v2/alert_events/http/<str:alert_source_config_id>", AlertEventsHTTPV2View.as_view(), name="alert-events-http"),
]
