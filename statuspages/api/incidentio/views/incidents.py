"""Status page incidents (list, show, publish, rename), their updates, and incidents
published after the fact."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from core.api.base import ApiViewSet
from statuspages import services

from .. import reads
from ..serializers.payloads import (
    ListStatusPageIncidentsQuerySerializer,
    StatusPagesCreateStatusPageIncidentPayloadV2Serializer,
    StatusPagesCreateStatusPageIncidentUpdatePayloadV2Serializer,
    StatusPagesCreateStatusPageRetrospectiveIncidentPayloadV2Serializer,
    StatusPagesUpdateStatusPageIncidentPayloadV2Serializer,
)
from ..serializers.results import (
    StatusPagesCreateStatusPageIncidentResultV2Serializer,
    StatusPagesCreateStatusPageIncidentUpdateResultV2Serializer,
    StatusPagesCreateStatusPageRetrospectiveIncidentResultV2Serializer,
    StatusPagesListStatusPageIncidentsResultV2Serializer,
    StatusPagesShowStatusPageIncidentResultV2Serializer,
    StatusPagesUpdateStatusPageIncidentResultV2Serializer,
)
from ..serializers.shapes import StatusPageIncidentUpdateV2Serializer, StatusPageIncidentV2Serializer
from .pages import PAGE
from .roles import READ, TAG, WRITE


class StatusPageIncidentV2ViewSet(ApiViewSet):
    roles = {"list": READ, "retrieve": READ, "create": WRITE, "update": WRITE}

    def get_incident(self, pk, *, details: bool = True):
        incidents = self.restrict(reads.incidents())
        if not details:
            incidents = incidents.prefetch_related(None)
        return self.get_or_404(incidents, pk, "status page incident")

    def render(self, pk) -> dict:
        """The incident as it is now, re-read through the one read every answer uses."""
        return {"status_page_incident": StatusPageIncidentV2Serializer(self.get_incident(pk)).data}

    @extend_schema(
        operation_id="Status Pages V2#ListStatusPageIncidents", tags=TAG,
        parameters=[ListStatusPageIncidentsQuerySerializer, *PAGE],
        responses={200: StatusPagesListStatusPageIncidentsResultV2Serializer},
    )
    def list(self, request):
        filters = self.parse(ListStatusPageIncidentsQuerySerializer, data=request.query_params)
        page = self.get_or_404(reads.pages(), filters.pop("status_page_id"), "status page")
        # Newest first, by when they were recorded here (a retrospective incident
        # published today comes first, whatever its dates).
        rows, meta = self.paginate(self.restrict(reads.incidents_on(page, **filters)))
        return Response({"status_page_incidents": StatusPageIncidentV2Serializer(rows, many=True).data, "pagination_meta": meta})

    @extend_schema(
        operation_id="Status Pages V2#ShowStatusPageIncident", tags=TAG,
        responses={200: StatusPagesShowStatusPageIncidentResultV2Serializer},
    )
    def retrieve(self, request, status_page_incident_id):
        return Response(self.render(status_page_incident_id))

    @extend_schema(
        operation_id="Status Pages V2#CreateStatusPageIncident", tags=TAG,
        request=StatusPagesCreateStatusPageIncidentPayloadV2Serializer,
        responses={201: StatusPagesCreateStatusPageIncidentResultV2Serializer},
    )
    def create(self, request):
        publication = self.parse(StatusPagesCreateStatusPageIncidentPayloadV2Serializer)
        # A repeated idempotency key answers with the incident it first published.
        incident = services.publish_incident(actor=self.key, **publication)
        return Response(self.render(incident.pk), status=201)

    @extend_schema(
        operation_id="Status Pages V2#UpdateStatusPageIncident", tags=TAG,
        request=StatusPagesUpdateStatusPageIncidentPayloadV2Serializer,
        responses={200: StatusPagesUpdateStatusPageIncidentResultV2Serializer},
    )
    def update(self, request, status_page_incident_id):
        incident = self.get_incident(status_page_incident_id, details=False)
        changes = self.parse(StatusPagesUpdateStatusPageIncidentPayloadV2Serializer)
        services.edit_page_incident(actor=self.key, page_incident=incident, **changes)
        return Response(self.render(incident.pk))


class StatusPageRetrospectiveIncidentV2ViewSet(ApiViewSet):
    roles = {"create": WRITE}

    @extend_schema(
        operation_id="Status Pages V2#CreateStatusPageRetrospectiveIncident", tags=TAG,
        request=StatusPagesCreateStatusPageRetrospectiveIncidentPayloadV2Serializer,
        responses={201: StatusPagesCreateStatusPageRetrospectiveIncidentResultV2Serializer},
    )
    def create(self, request):
        publication = self.parse(StatusPagesCreateStatusPageRetrospectiveIncidentPayloadV2Serializer)
        # incident.io: retrospective incidents never notify subscribers.
        incident = services.publish_retrospective_incident(actor=self.key, notify_subscribers=False, **publication)
        incident = self.get_or_404(self.restrict(reads.incidents()), incident.pk, "status page incident")
        return Response({"status_page_incident": StatusPageIncidentV2Serializer(incident).data}, status=201)


class StatusPageIncidentUpdateV2ViewSet(ApiViewSet):
    roles = {"create": WRITE}

    @extend_schema(
        operation_id="Status Pages V2#CreateStatusPageIncidentUpdate", tags=TAG,
        request=StatusPagesCreateStatusPageIncidentUpdatePayloadV2Serializer,
        responses={201: StatusPagesCreateStatusPageIncidentUpdateResultV2Serializer},
    )
    def create(self, request):
        update = services.post_incident_update(
            actor=self.key,
            **self.parse(StatusPagesCreateStatusPageIncidentUpdatePayloadV2Serializer, incidents=self.restrict(reads.incidents())),
        )
        update = reads.incident_update(update.pk)
        return Response({"status_page_incident_update": StatusPageIncidentUpdateV2Serializer(update).data}, status=201)
