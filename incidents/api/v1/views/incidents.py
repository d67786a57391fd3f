"""v1 incidents: list (by v1 status name), show, declare."""

from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from core.api.base import ApiViewSet
from core.models import ApiRole
from incidents import selectors, services
from incidents.api.configuration import incident_config
from incidents.api.openapi import vendor_component
from incidents.api.rendering import IncidentParts
from incidents.api.v1.filters import IncidentV1FilterSet
from incidents.api.v1.serializers.incidents import V1_STATUSES, IncidentsCreatePayloadV1Serializer, render_incident_v1
from incidents.models import Incident

READ = (ApiRole.VIEWER,)
CREATE = (ApiRole.INCIDENT_CREATOR,)
TAG = ["Incidents V1"]


class IncidentV1ViewSet(ApiViewSet):
    roles = {"list": READ, "retrieve": READ, "create": CREATE}
    queryset = Incident.objects.all()

    def render(self, incident, config=None) -> dict:
        return render_incident_v1(incident, IncidentParts(config or incident_config(self.request)))

    @extend_schema(
        operation_id="Incidents V1#List", tags=TAG,
        parameters=[
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Integer number of records to return"),
            OpenApiParameter("after", OpenApiTypes.STR, description="Return the records after this id, in the response's order"),
            OpenApiParameter("status", {"type": "array", "items": {"type": "string", "enum": list(V1_STATUSES)}}, explode=True),
        ],
        responses={200: vendor_component("IncidentsListResultV1")},
    )
    def list(self, request):
        filters = IncidentV1FilterSet(request.query_params)
        incidents = filters.filtered(selectors.with_details(self.get_queryset()))
        config = incident_config(self.request)
        rows, meta = self.paginate(incidents)
        parts = IncidentParts(config)
        rendered = [render_incident_v1(incident, parts) for incident in rows]
        return Response({"incidents": rendered, "pagination_meta": meta})

    @extend_schema(operation_id="Incidents V1#Show", tags=TAG, responses={200: vendor_component("IncidentsShowResultV1")})
    def retrieve(self, request, pk):
        incident = selectors.with_details(self.get_queryset()).filter(pk=pk).first()
        if incident is None:
            raise Http404(f"No incident with id {pk}")
        return Response({"incident": self.render(incident)})

    @extend_schema(
        operation_id="Incidents V1#Create", tags=TAG,
        request=IncidentsCreatePayloadV1Serializer, responses={200: vendor_component("IncidentsCreateResultV1")},
    )
    def create(self, request):
        # One configuration resolves the body's roles, custom fields and options and renders
        # the answer.
        config = incident_config(self.request)
        declaration = self.parse(IncidentsCreatePayloadV1Serializer, config=config)
        incident = services.declare_incident(actor=self.key, config=config, **declaration)
        # The declared incident comes back with what rendering needs: no read-back. (The
        # key that declared a private incident is answered with it, even if it cannot list it.)
        # incident.io answers 200 here, not 201.
        return Response({"incident": self.render(incident, config)}, status=200)


incidents = IncidentV1ViewSet.as_view({"get": "list", "post": "create"})
incident = IncidentV1ViewSet.as_view({"get": "retrieve"})

urlpatterns = [
    path("v1/incidents", incidents, name="incidents-v1"),
    path("v1/incidents/<str:pk>", incident, name="incident-v1"),
]
