"""Incident Memberships V1: make a user a member of a private incident, or revoke it.

Gated by incident.io's role for it, ``incident_memberships_editor``; the incident must be
one the key may see (``restrict()``: a private one needs ``global_access``), so a key
learns nothing of a private incident it cannot see."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from core.api.base import ApiViewSet
from core.models import ApiRole
from incidents import services
from incidents.api.openapi import vendor_component
from incidents.api.v1.serializers.memberships import (
    IncidentMembershipsCreatePayloadV1Serializer,
    IncidentMembershipsRevokePayloadV1Serializer,
    render_incident_membership_v1,
)
from incidents.models import Incident, IncidentMembership

EDIT = (ApiRole.INCIDENT_MEMBERSHIPS_EDITOR,)
TAG = ["Incident Memberships V1"]


class IncidentMembershipV1ViewSet(ApiViewSet):
    roles = {"create": EDIT, "revoke": EDIT}
    queryset = IncidentMembership.objects.select_related("user")

    def _parse(self, serializer_class) -> dict:
        return self.parse(serializer_class, incidents=self.restrict(Incident.objects.all()))

    @extend_schema(
        operation_id="Incident Memberships V1#Create", tags=TAG,
        request=IncidentMembershipsCreatePayloadV1Serializer,
        responses={201: vendor_component("IncidentMembershipsCreateResultV1")},
    )
    def create(self, request):
        data = self._parse(IncidentMembershipsCreatePayloadV1Serializer)
        membership = services.add_incident_member(actor=self.key, **data)
        membership = self.get_queryset().get(pk=membership.pk)
        return Response({"incident_membership": render_incident_membership_v1(membership)}, status=201)

    @extend_schema(
        operation_id="Incident Memberships V1#Revoke", tags=TAG,
        request=IncidentMembershipsRevokePayloadV1Serializer, responses={204: None},
    )
    def revoke(self, request):
        services.revoke_incident_membership(actor=self.key, **self._parse(IncidentMembershipsRevokePayloadV1Serializer))
        # incident.io answers 204 with an empty body here, a member or not.
        return Response(status=204)


urlpatterns = [
    path("v1/incident_memberships", IncidentMembershipV1ViewSet.as_view({"post": "create"}), name="incident-memberships-v1"),
    path(
        "v1/incident_memberships/actions/revoke",
        IncidentMembershipV1ViewSet.as_view({"post": "revoke"}),
        name="incident-memberships-revoke-v1",
    ),
]
