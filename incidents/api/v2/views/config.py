"""v2 configuration: incident roles, custom fields and incident timestamps."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from core.api.base import ApiViewSet
from core.models import ApiRole
from incidents import services
from incidents.api.v2.serializers.config import (
    CustomFieldsCreatePayloadV2Serializer,
    CustomFieldsCreateResultV2Serializer,
    CustomFieldsListResultV2Serializer,
    CustomFieldsShowResultV2Serializer,
    CustomFieldsUpdatePayloadV2Serializer,
    CustomFieldsUpdateResultV2Serializer,
    IncidentRolesCreatePayloadV2Serializer,
    IncidentRolesCreateResultV2Serializer,
    IncidentRolesListResultV2Serializer,
    IncidentRolesShowResultV2Serializer,
    IncidentRolesUpdatePayloadV2Serializer,
    IncidentRolesUpdateResultV2Serializer,
    IncidentTimestampsListResultV2Serializer,
    IncidentTimestampsShowResultV2Serializer,
)
from incidents.api.v2.serializers.shapes import (
    CustomFieldV2Serializer,
    IncidentRoleV2Serializer,
    IncidentTimestampV2Serializer,
)
from incidents.models import CustomField, IncidentRole, IncidentTimestamp

READ = (ApiRole.VIEWER,)
MANAGE = (ApiRole.MANAGE_SETTINGS,)
CRUD_ROLES = {"list": READ, "retrieve": READ, "create": MANAGE, "update": MANAGE, "destroy": MANAGE}


class IncidentRoleV2ViewSet(ApiViewSet):
    roles = CRUD_ROLES
    queryset = IncidentRole.objects.order_by("created_at", "id")

    @extend_schema(
        operation_id="Incident Roles V2#List", tags=["Incident Roles V2"],
        responses={200: IncidentRolesListResultV2Serializer},
    )
    def list(self, request):
        return Response({"incident_roles": IncidentRoleV2Serializer(self.get_queryset(), many=True).data})

    @extend_schema(
        operation_id="Incident Roles V2#Show", tags=["Incident Roles V2"],
        responses={200: IncidentRolesShowResultV2Serializer},
    )
    def retrieve(self, request, pk):
        role = self.get_or_404(self.get_queryset(), pk, "incident role")
        return Response({"incident_role": IncidentRoleV2Serializer(role).data})

    @extend_schema(
        operation_id="Incident Roles V2#Create", tags=["Incident Roles V2"],
        request=IncidentRolesCreatePayloadV2Serializer, responses={201: IncidentRolesCreateResultV2Serializer},
    )
    def create(self, request):
        data = self.parse(IncidentRolesCreatePayloadV2Serializer)
        role = services.create_incident_role(actor=self.key, **data)
        return Response({"incident_role": IncidentRoleV2Serializer(role).data}, status=201)

    @extend_schema(
        operation_id="Incident Roles V2#Update", tags=["Incident Roles V2"],
        request=IncidentRolesUpdatePayloadV2Serializer, responses={200: IncidentRolesUpdateResultV2Serializer},
    )
    def update(self, request, pk):
        role = self.get_or_404(self.get_queryset(), pk, "incident role")
        data = self.parse(IncidentRolesUpdatePayloadV2Serializer)
        role = services.update_incident_role(role=role, actor=self.key, **data)
        return Response({"incident_role": IncidentRoleV2Serializer(role).data})

    @extend_schema(operation_id="Incident Roles V2#Delete", tags=["Incident Roles V2"], responses={204: None})
    def destroy(self, request, pk):
        role = self.get_or_404(self.get_queryset(), pk, "incident role")
        services.delete_incident_role(role=role, actor=self.key)
        return Response(status=204)


class CustomFieldV2ViewSet(ApiViewSet):
    roles = CRUD_ROLES
    queryset = CustomField.objects.order_by("name", "id")

    @extend_schema(
        operation_id="Custom Fields V2#List", tags=["Custom Fields V2"],
        responses={200: CustomFieldsListResultV2Serializer},
    )
    def list(self, request):
        return Response({"custom_fields": CustomFieldV2Serializer(self.get_queryset(), many=True).data})

    @extend_schema(
        operation_id="Custom Fields V2#Show", tags=["Custom Fields V2"],
        responses={200: CustomFieldsShowResultV2Serializer},
    )
    def retrieve(self, request, pk):
        field = self.get_or_404(self.get_queryset(), pk, "custom field")
        return Response({"custom_field": CustomFieldV2Serializer(field).data})

    @extend_schema(
        operation_id="Custom Fields V2#Create", tags=["Custom Fields V2"],
        request=CustomFieldsCreatePayloadV2Serializer, responses={201: CustomFieldsCreateResultV2Serializer},
    )
    def create(self, request):
        data = self.parse(CustomFieldsCreatePayloadV2Serializer)
        field = services.create_custom_field(actor=self.key, **data)
        return Response({"custom_field": CustomFieldV2Serializer(field).data}, status=201)

    @extend_schema(
        operation_id="Custom Fields V2#Update", tags=["Custom Fields V2"],
        request=CustomFieldsUpdatePayloadV2Serializer, responses={200: CustomFieldsUpdateResultV2Serializer},
    )
    def update(self, request, pk):
        field = self.get_or_404(self.get_queryset(), pk, "custom field")
        data = self.parse(CustomFieldsUpdatePayloadV2Serializer)
        field = services.update_custom_field(field=field, actor=self.key, **data)
        return Response({"custom_field": CustomFieldV2Serializer(field).data})

    @extend_schema(operation_id="Custom Fields V2#Delete", tags=["Custom Fields V2"], responses={204: None})
    def destroy(self, request, pk):
        field = self.get_or_404(self.get_queryset(), pk, "custom field")
        services.delete_custom_field(field=field, actor=self.key)
        return Response(status=204)


class IncidentTimestampV2ViewSet(ApiViewSet):
    # Read only in incident.io's API; staff add timestamps in the admin.
    roles = {"list": READ, "retrieve": READ}
    queryset = IncidentTimestamp.objects.order_by("rank", "id")

    @extend_schema(
        operation_id="Incident Timestamps V2#List", tags=["Incident Timestamps V2"],
        responses={200: IncidentTimestampsListResultV2Serializer},
    )
    def list(self, request):
        return Response({"incident_timestamps": IncidentTimestampV2Serializer(self.get_queryset(), many=True).data})

    @extend_schema(
        operation_id="Incident Timestamps V2#Show", tags=["Incident Timestamps V2"],
        responses={200: IncidentTimestampsShowResultV2Serializer},
    )
    def retrieve(self, request, pk):
        timestamp = self.get_or_404(self.get_queryset(), pk, "incident timestamp")
        return Response({"incident_timestamp": IncidentTimestampV2Serializer(timestamp).data})


def _routes(prefix: str, viewset, collection_name: str, member_name: str) -> list:
    return [
        path(prefix, viewset.as_view({"get": "list", "post": "create"}), name=collection_name),
        path(f"{prefix}/<str:pk>", viewset.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}), name=member_name),
    ]


urlpatterns = [
    *_routes("v2/incident_roles", IncidentRoleV2ViewSet, "incident-roles-v2", "incident-role-v2"),
    *_routes("v2/custom_fields", CustomFieldV2ViewSet, "custom-fields-v2", "custom-field-v2"),
    path("v2/incident_timestamps", IncidentTimestampV2ViewSet.as_view({"get": "list"}), name="incident-timestamps-v2"),
    path(
        "v2/incident_timestamps/<str:pk>", IncidentTimestampV2ViewSet.as_view({"get": "retrieve"}),
        name="incident-timestamp-v2",
    ),
]
