"""Incident Attachments V1 (list, create, delete) and Incident Relationships V1 (list),
for incidents the key may see. A relationship shows only when the key may see both
incidents it names."""

from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from core.api.base import ApiViewSet
from core.api.roles import action_roles
from incidents import selectors, services
from incidents.api.openapi import vendor_component
from incidents.api.v1.serializers.attachments import (
    IncidentAttachmentsCreatePayloadV1Serializer,
    IncidentAttachmentsListQueryV1Serializer,
    IncidentRelationshipsListQueryV1Serializer,
    render_attachment_v1,
    render_relationship_v1,
)
from incidents.models import Incident, IncidentAttachment, IncidentRelationship

TAGS = ["Incident Attachments V1"]


class _IncidentFinder:
    def incident(self, incident_id) -> Incident:
        incident = selectors.find_incident(self.restrict(Incident.objects.all()), incident_id)
        if incident is None:
            raise Http404("No incident with this id")
        return incident


class IncidentAttachmentV1ViewSet(_IncidentFinder, ApiViewSet):
    roles = action_roles("attachments", "list", "create", "destroy")
    queryset = IncidentAttachment.objects.all()

    @extend_schema(
        operation_id="Incident Attachments V1#List", tags=TAGS, parameters=[IncidentAttachmentsListQueryV1Serializer],
        responses={200: vendor_component("IncidentAttachmentsListResultV1")},
    )
    def list(self, request):
        query = self.parse(IncidentAttachmentsListQueryV1Serializer, data=request.query_params)
        attachments = self.get_queryset()
        if query.get("incident_id"):
            attachments = attachments.filter(incident=self.incident(query["incident_id"]))
        if query.get("resource_type"):
            attachments = attachments.filter(resource_type=query["resource_type"])
        if query.get("external_id"):
            attachments = attachments.filter(external_id=query["external_id"])
        return Response({"incident_attachments": [render_attachment_v1(a) for a in attachments.order_by("created_at", "id")]})

    @extend_schema(
        operation_id="Incident Attachments V1#Create", tags=TAGS, request=IncidentAttachmentsCreatePayloadV1Serializer,
        responses={201: vendor_component("IncidentAttachmentsCreateResultV1")},
    )
    def create(self, request):
        data = self.parse(IncidentAttachmentsCreatePayloadV1Serializer)
        incident = self.incident(data["incident_id"])
        attachment, _ = services.attach_resource(incident=incident, actor=self.key, **data["resource"])
        return Response({"incident_attachment": render_attachment_v1(attachment)}, status=201)

    @extend_schema(operation_id="Incident Attachments V1#Delete", tags=TAGS, responses={204: None})
    def destroy(self, request, pk):
        attachment = self.get_or_404(self.get_queryset(), pk, "incident attachment")
        services.detach_resource(attachment=attachment, actor=self.key)
        return Response(status=204)


class IncidentRelationshipV1ViewSet(_IncidentFinder, ApiViewSet):
    roles = action_roles("incident_relationships", "list")
    queryset = IncidentRelationship.objects.select_related("incident", "related")

    @extend_schema(
        operation_id="Incident Relationships V1#List", tags=["Incident Relationships V1"],
        parameters=[
            IncidentRelationshipsListQueryV1Serializer,
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Relationships per page"),
            OpenApiParameter("after", OpenApiTypes.STR, description="The pagination_meta.after of the previous page"),
        ],
        responses={200: vendor_component("IncidentRelationshipsListResultV1")},
    )
    def list(self, request):
        query = self.parse(IncidentRelationshipsListQueryV1Serializer, data=request.query_params)
        incident = self.incident(query["incident_id"])
        rows, meta = self.paginate(self.get_queryset().of(incident), newest_first=False)
        return Response({"incident_relationships": [render_relationship_v1(r, incident.pk) for r in rows], "pagination_meta": meta})


urlpatterns = [
    path(
        "v1/incident_attachments",
        IncidentAttachmentV1ViewSet.as_view({"get": "list", "post": "create"}),
        name="incident-attachments-v1",
    ),
    path("v1/incident_attachments/<str:pk>", IncidentAttachmentV1ViewSet.as_view({"delete": "destroy"}), name="incident-attachment-v1"),
    path("v1/incident_relationships", IncidentRelationshipV1ViewSet.as_view({"get": "list"}), name="incident-relationships-v1"),
]
