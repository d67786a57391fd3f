"""v2 incidents (list with filters, show, declare, edit, link an external issue, import a
postmortem) and incident updates (list, post)."""

from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from core.api.base import ApiViewSet
from core.models import ApiRole
from incidents import selectors, services
from incidents.api import acceleration
from incidents.api.configuration import incident_config
from incidents.api.filters import IncidentV2FilterSet, newest_first
from incidents.api.openapi import vendor_component
from incidents.api.rendering import IncidentParts
from incidents.api.v2.serializers.incidents import (
    IncidentsConnectExternalIssuePayloadV2Serializer,
    IncidentsCreatePayloadV2Serializer,
    IncidentsEditPayloadV2Serializer,
    IncidentsImportPostmortemDocumentPayloadV2Serializer,
    IncidentUpdatesCreatePayloadV2Serializer,
    render_incident_update_v2,
    render_incident_v2,
    render_postmortem_document_v1,
)
from incidents.models import Incident

READ = (ApiRole.VIEWER,)
CREATE = (ApiRole.INCIDENT_CREATOR,)
EDIT = (ApiRole.INCIDENT_EDITOR,)

PAGE = [
    OpenApiParameter("page_size", OpenApiTypes.INT, description="Integer number of records to return"),
    OpenApiParameter("after", OpenApiTypes.STR, description="Return the records after this id, in the response's order"),
]
_DEEP = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}
_NESTED = {"type": "object", "additionalProperties": _DEEP}
LIST_FILTERS = [
    OpenApiParameter("sort_by", OpenApiTypes.STR, enum=["created_at_newest_first", "created_at_oldest_first"]),
    OpenApiParameter("filter_mode", OpenApiTypes.STR, enum=["all", "any"]),
    *(
        OpenApiParameter(name, _DEEP, style="deepObject", explode=True, description=f"Operators: {operators}")
        for name, operators in [
            ("status", "one_of, not_in"),
            ("status_category", "one_of, not_in"),
            ("created_at", "gte, lte, date_range"),
            ("updated_at", "gte, lte, date_range"),
            ("severity", "one_of, not_in, gte, lte"),
            ("incident_type", "one_of, not_in"),
            ("mode", "one_of (default: standard and retrospective)"),
        ]
    ),
    OpenApiParameter("incident_role", _NESTED, style="deepObject", explode=True, description="[ROLE_ID][one_of | is_blank | is_set]"),
    OpenApiParameter("custom_field", _NESTED, style="deepObject", explode=True, description="[FIELD_ID][one_of | not_in | is_blank]"),
]
TAG = ["Incidents V2"]
#: query parameters that leave the list unfiltered
UNFILTERED = frozenset({"page_size", "after", "sort_by"})


class IncidentV2ViewSet(ApiViewSet):
    roles = {
        "list": READ,
        "retrieve": READ,
        "create": CREATE,
        "edit": EDIT,
        "connect_external_issue": EDIT,
        "import_postmortem_document": EDIT,
    }
    queryset = Incident.objects.all()

    def get_incident(self, ref: str, *, details: bool = True):
        # incident.io's v2 paths take the id or the number of the reference (123 for INC-123).
        incidents = self.get_queryset()
        incident = selectors.find_incident(selectors.with_details(incidents) if details else incidents, ref)
        if incident is None:
            raise Http404(f"No incident with id {ref}")
        return incident

    def render(self, incident, config=None) -> dict:
        return render_incident_v2(incident, IncidentParts(config or incident_config(self.request)))

    @staticmethod
    def render_many(ids, config) -> dict:
        parts = IncidentParts(config)
        return {incident.pk: render_incident_v2(incident, parts) for incident in selectors.incidents_with_details().filter(pk__in=ids)}

    @extend_schema(
        operation_id="Incidents V2#List", tags=TAG, parameters=[*PAGE, *LIST_FILTERS],
        responses={200: vendor_component("IncidentsListResultV2")},
    )
    def list(self, request):
        newest = newest_first(request)
        config = incident_config(self.request)

        def render_page(incidents):
            parts = IncidentParts(config)
            return [render_incident_v2(incident, parts) for incident in incidents]

        return acceleration.backend().incident_page(
            request, "v2", self, filtered=lambda incidents: self.filtered(incidents, config), newest_first=newest,
            render_page=render_page, render_many=lambda ids: self.render_many(ids, config),
        )

    def filtered(self, incidents, config):
        """``incidents`` narrowed by the request's filters (to the default modes without any)."""
        params = self.request.query_params
        if UNFILTERED.issuperset(params):
            return incidents.filter(mode__in=selectors.DEFAULT_MODES)
        return IncidentV2FilterSet(params, roles=config.roles, custom_fields=config.custom_fields).filtered(incidents)

    @extend_schema(operation_id="Incidents V2#Show", tags=TAG, responses={200: vendor_component("IncidentsShowResultV2")})
    def retrieve(self, request, pk):
        # Accelerated, most shows are served before DRF (incidents.api.accel.show), with the same body.
        return Response({"incident": self.render(self.get_incident(pk))})

    @extend_schema(
        operation_id="Incidents V2#Create", tags=TAG,
        request=IncidentsCreatePayloadV2Serializer, responses={200: vendor_component("IncidentsCreateResultV2")},
    )
    def create(self, request):
        # One configuration resolves the body's roles, custom fields, options and timestamps
        # and renders the answer.
        config = incident_config(self.request)
        declaration = self.parse(IncidentsCreatePayloadV2Serializer, config=config)
        incident = services.declare_incident(actor=self.key, config=config, **declaration)
        # The declared incident comes back with what rendering needs: no read-back. (The
        # key that declared a private incident is answered with it, even if it cannot list it.)
        # incident.io answers 200 here, not 201.
        return Response({"incident": self.render(incident, config)}, status=200)

    @extend_schema(
        operation_id="Incidents V2#Edit", tags=TAG,
        request=IncidentsEditPayloadV2Serializer, responses={200: vendor_component("IncidentsEditResultV2")},
    )
    def edit(self, request, pk):
        incident = self.get_incident(pk, details=False)
        changes = self.parse(IncidentsEditPayloadV2Serializer)["incident"]
        services.edit_incident(incident=incident, actor=self.key, **changes)
        return Response({"incident": self.render(self.get_incident(incident.pk))})

    @extend_schema(
        operation_id="Incidents V2#ConnectExternalIssue", tags=TAG,
        request=IncidentsConnectExternalIssuePayloadV2Serializer, responses={204: None},
    )
    def connect_external_issue(self, request, pk):
        incident = self.get_incident(pk, details=False)
        data = self.parse(IncidentsConnectExternalIssuePayloadV2Serializer)
        services.connect_external_issue(
            incident=incident, actor=self.key, provider=data["provider"], url=data["url"], replace=data["replace"]
        )
        # incident.io answers 204 with an empty body here.
        return Response(status=204)

    @extend_schema(
        operation_id="Incidents V2#ImportPostmortemDocument", tags=TAG,
        request=IncidentsImportPostmortemDocumentPayloadV2Serializer,
        responses={201: vendor_component("IncidentsImportPostmortemDocumentResultV2")},
    )
    def import_postmortem_document(self, request, pk):
        incident = self.get_incident(pk, details=False)
        data = self.parse(IncidentsImportPostmortemDocumentPayloadV2Serializer)
        incident = services.import_postmortem_document(incident=incident, actor=self.key, **data)
        document = render_postmortem_document_v1(incident)
        return Response({"postmortem_document": document}, status=201, headers={"Location": document["document_url"]})


class IncidentUpdateV2ViewSet(ApiViewSet):
    roles = {"list": READ, "create": CREATE}
    queryset = selectors.incident_updates()

    @extend_schema(
        operation_id="Incident Updates V2#List", tags=["Incident Updates V2"],
        parameters=[OpenApiParameter("incident_id", OpenApiTypes.STR), *PAGE],
        responses={200: vendor_component("IncidentUpdatesListResultV2")},
    )
    def list(self, request):
        updates = self.get_queryset()
        if request.query_params.get("incident_id"):
            # An incident the key may not see has, as far as it can tell, no updates.
            updates = updates.filter(incident_id=request.query_params["incident_id"])
        rows, meta = self.paginate(updates)
        parts = IncidentParts()
        rendered = [render_incident_update_v2(update, parts) for update in rows]
        return Response({"incident_updates": rendered, "pagination_meta": meta})

    @extend_schema(
        operation_id="Incident Updates V2#Create", tags=["Incident Updates V2"],
        request=IncidentUpdatesCreatePayloadV2Serializer, responses={201: vendor_component("IncidentUpdatesCreateResultV2")},
    )
    def create(self, request):
        data = self.parse(IncidentUpdatesCreatePayloadV2Serializer, incidents=self.restrict(Incident.objects.all()))
        update = services.post_incident_update(actor=self.key, **data)
        update = self.get_queryset().get(pk=update.pk)
        return Response({"incident_update": render_incident_update_v2(update, IncidentParts())}, status=201)


incidents = IncidentV2ViewSet.as_view({"get": "list", "post": "create"})
incident = acceleration.show_view(
    IncidentV2ViewSet.as_view({"get": "retrieve"}),
    dialect="v2",
    render_many=lambda ids: IncidentV2ViewSet.render_many(ids, incident_config(None)),
)
edit = IncidentV2ViewSet.as_view({"post": "edit"})
connect_external_issue = IncidentV2ViewSet.as_view({"post": "connect_external_issue"})
import_postmortem_document = IncidentV2ViewSet.as_view({"post": "import_postmortem_document"})
incident_updates = IncidentUpdateV2ViewSet.as_view({"get": "list", "post": "create"})

urlpatterns = [
    path("v2/incidents", incidents, name="incidents-v2"),
    path("v2/incidents/<str:pk>", incident, name="incident-v2"),
    path("v2/incidents/<str:pk>/actions/edit", edit, name="incident-edit-v2"),
    path("v2/incidents/<str:pk>/actions/connect_external_issue", connect_external_issue, name="incident-connect-external-issue-v2"),
    path(
        "v2/incidents/<str:pk>/actions/import_postmortem_document",
        import_postmortem_document,
        name="incident-import-postmortem-document-v2",
    ),
    path("v2/incident_updates", incident_updates, name="incident-updates-v2"),
]
