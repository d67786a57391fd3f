"""Status Page Incidents and their updates.

Checkly's incidents name services, not a page: one goes on the page that shows all of
them (``reads.page_showing``). Its severity is stored, and sets the status of its
services (``mapping.LEVELS``) when it is published, when its services or severity
change, and when it is reopened; resolving it makes them operational again."""

from django.urls import path
from rest_framework.response import Response

from statuspages import services
from statuspages.models import IncidentStatus

from .. import reads
from ..base import READ, WRITE, ChecklyViewSet, page_of
from ..mapping import LEVELS
from ..serializers import (
    CreateStatusPageV2IncidentSerializer,
    IncidentUpdatePayloadSerializer,
    StatusPageV2IncidentCommonSerializer,
    StatusPageV2IncidentSerializer,
    StatusPageV2IncidentUpdateSerializer,
)

#: getV1StatuspagesIncidentsIncidentidIncidentupdates answers "the 100 latest"
LATEST_UPDATES = 100


class IncidentChecklyViewSet(ChecklyViewSet):
    roles = {"list": READ, "retrieve": READ, "create": WRITE, "update": WRITE, "destroy": WRITE}

    def get_queryset(self):
        return self.restrict(reads.incidents())

    def _view(self, pk) -> reads.IncidentView:
        return reads.incident_views([self.get_or_404(self.get_queryset(), pk, "incident")])[0]

    def _render(self, pk):
        return StatusPageV2IncidentSerializer(self._view(pk)).data

    # getV1StatuspagesIncidents: the latest first, from every page.
    def list(self, request):
        rows, next_id = self.paginate(self.get_queryset(), newest_first=True)
        return Response(page_of(StatusPageV2IncidentSerializer(reads.incident_views(rows), many=True).data, next_id))

    # getV1StatuspagesIncidentsIncidentid
    def retrieve(self, request, pk):
        return Response(self._render(pk))

    # postV1StatuspagesIncidents: 201. Its services are at its severity's status (a
    # resolved one hurts none: published after the fact).
    def create(self, request):
        data = self.parse(CreateStatusPageV2IncidentSerializer)
        first = data["incidentUpdates"][0]
        incident = services.publish_incident(
            actor=self.key,
            status_page=data["status_page"],
            name=data["name"],
            message=first["description"],
            status=first.get("status", IncidentStatus.INVESTIGATING),
            component_statuses=dict.fromkeys(data["services"], LEVELS[data["severity"]]),
            notify_subscribers=first["notifySubscribers"],
            severity=data["severity"],
            published_at=first.get("publicIncidentUpdateDate"),
        )
        return Response(self._render(incident.pk), status=201)

    # putV1StatuspagesIncidentsIncidentid: its name, severity and services. Services that
    # join or leave, or a new severity, move the components at once, in an update without
    # a message (the page's timeline records when they moved).
    def update(self, request, pk):
        incident = self.get_or_404(self.get_queryset(), pk, "incident")
        data = self.parse(StatusPageV2IncidentCommonSerializer)
        services.revise_page_incident(
            actor=self.key,
            page_incident=incident,
            name=data["name"],
            severity=data["severity"],
            components=dict.fromkeys(data["services"], LEVELS[data["severity"]]),
        )
        return Response(self._render(incident.pk))

    # deleteV1StatuspagesIncidentsIncidentid: 204, no body.
    def destroy(self, request, pk):
        incident = self.get_or_404(self.get_queryset(), pk, "incident")
        services.delete_page_incident(actor=self.key, page_incident=incident)
        return Response(status=204)


class IncidentUpdateChecklyViewSet(ChecklyViewSet):
    roles = {"list": READ, "retrieve": READ, "create": WRITE, "update": WRITE, "destroy": WRITE}

    def _incident(self, incident_pk):
        return self.get_or_404(self.restrict(reads.incidents()).select_related("status_page"), incident_pk, "incident")

    def _update(self, incident_pk, pk):
        incident = self._incident(incident_pk)
        return self.get_or_404(incident.updates.select_related("page_incident__status_page"), pk, "incident update")

    # getV1StatuspagesIncidentsIncidentidIncidentupdates: a plain array, latest first.
    def list(self, request, incident_pk):
        incident = self._incident(incident_pk)
        updates = incident.updates.order_by("-published_at", "-id")[:LATEST_UPDATES]
        return Response(StatusPageV2IncidentUpdateSerializer(updates, many=True).data)

    # getV1StatuspagesIncidentsIncidentidIncidentupdatesIncidentupdateid
    def retrieve(self, request, incident_pk, pk):
        return Response(StatusPageV2IncidentUpdateSerializer(self._update(incident_pk, pk)).data)

    # postV1StatuspagesIncidentsIncidentidIncidentupdates: Checkly answers 200 here.
    # RESOLVED resolves (the services are operational again); reopening a resolved
    # incident gives its services its severity's status again.
    def create(self, request, incident_pk):
        incident = self._incident(incident_pk)
        data = self.parse(IncidentUpdatePayloadSerializer)
        update = services.post_incident_update(
            actor=self.key,
            page_incident=incident,
            message=data["description"],
            status=data.get("status"),
            notify_subscribers=data["notifySubscribers"],
            published_at=data.get("publicIncidentUpdateDate"),
            reopen_status=reads.level_of(incident),
        )
        return Response(StatusPageV2IncidentUpdateSerializer(update).data, status=200)

    # putV1StatuspagesIncidentsIncidentidIncidentupdatesIncidentupdateid: corrects the
    # message or the status (a typo); resolving or reopening is a new update's.
    def update(self, request, incident_pk, pk):
        update = self._update(incident_pk, pk)
        data = self.parse(IncidentUpdatePayloadSerializer)
        update = services.edit_page_incident_update(actor=self.key, update=update, message=data["description"], status=data.get("status"))
        return Response(StatusPageV2IncidentUpdateSerializer(update).data)

    # deleteV1StatuspagesIncidentsIncidentidIncidentupdatesIncidentupdateid: 204.
    def destroy(self, request, incident_pk, pk):
        update = self._update(incident_pk, pk)
        services.delete_page_incident_update(actor=self.key, update=update)
        return Response(status=204)


incident_collection = IncidentChecklyViewSet.as_view({"get": "list", "post": "create"})
incident_member = IncidentChecklyViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"})
update_collection = IncidentUpdateChecklyViewSet.as_view({"get": "list", "post": "create"})
update_member = IncidentUpdateChecklyViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"})

urlpatterns = [
    path("v1/status-pages/incidents", incident_collection, name="checkly-incidents"),
    path("v1/status-pages/incidents/<str:pk>", incident_member, name="checkly-incident"),
    path("v1/status-pages/incidents/<str:incident_pk>/incident-updates", update_collection, name="checkly-incident-updates"),
    path("v1/status-pages/incidents/<str:incident_pk>/incident-updates/<str:pk>", update_member, name="checkly-incident-update"),
]
