"""v1 configuration: severities, incident statuses, incident types, incident roles,
custom fields and their options."""

from django.db.models import Prefetch
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from core.api.base import ApiViewSet
from core.models import ApiRole
from incidents import services
from incidents.api.v1.serializers.config import (
    CustomFieldOptionsCreatePayloadV1Serializer,
    CustomFieldOptionsCreateResultV1Serializer,
    CustomFieldOptionsListParamsV1Serializer,
    CustomFieldOptionsListResultV1Serializer,
    CustomFieldOptionsShowResultV1Serializer,
    CustomFieldOptionsUpdatePayloadV1Serializer,
    CustomFieldOptionsUpdateResultV1Serializer,
    CustomFieldsCreatePayloadV1Serializer,
    CustomFieldsCreateResultV1Serializer,
    CustomFieldsListResultV1Serializer,
    CustomFieldsShowResultV1Serializer,
    CustomFieldsUpdatePayloadV1Serializer,
    CustomFieldsUpdateResultV1Serializer,
    IncidentRolesCreatePayloadV1Serializer,
    IncidentRolesCreateResultV1Serializer,
    IncidentRolesListResultV1Serializer,
    IncidentRolesShowResultV1Serializer,
    IncidentRolesUpdatePayloadV1Serializer,
    IncidentRolesUpdateResultV1Serializer,
    IncidentStatusesCreatePayloadV1Serializer,
    IncidentStatusesCreateResultV1Serializer,
    IncidentStatusesListResultV1Serializer,
    IncidentStatusesShowResultV1Serializer,
    IncidentStatusesUpdatePayloadV1Serializer,
    IncidentStatusesUpdateResultV1Serializer,
    IncidentTypesListResultV1Serializer,
    IncidentTypesShowResultV1Serializer,
    SeveritiesCreatePayloadV1Serializer,
    SeveritiesCreateResultV1Serializer,
    SeveritiesListResultV1Serializer,
    SeveritiesShowResultV1Serializer,
    SeveritiesUpdatePayloadV1Serializer,
    SeveritiesUpdateResultV1Serializer,
)
from incidents.api.v1.serializers.shapes import (
    CustomFieldOptionV1Serializer,
    CustomFieldV1Serializer,
    IncidentRoleV1Serializer,
    IncidentStatusV1Serializer,
    IncidentTypeV1Serializer,
    SeverityV1Serializer,
)
from incidents.models import CustomField, CustomFieldOption, IncidentRole, IncidentStatus, IncidentType, Severity

READ = (ApiRole.VIEWER,)
MANAGE = (ApiRole.MANAGE_SETTINGS,)
CRUD_ROLES = {"list": READ, "retrieve": READ, "create": MANAGE, "update": MANAGE, "destroy": MANAGE}


class SeverityV1ViewSet(ApiViewSet):
    roles = {"list": READ, "retrieve": READ, "create": MANAGE, "update": MANAGE, "destroy": MANAGE}
    queryset = Severity.objects.order_by("rank", "id")

    @extend_schema(operation_id="Severities V1#List", tags=["Severities V1"], responses={200: SeveritiesListResultV1Serializer})
    def list(self, request):
        return Response({"severities": SeverityV1Serializer(self.get_queryset(), many=True).data})

    @extend_schema(operation_id="Severities V1#Show", tags=["Severities V1"], responses={200: SeveritiesShowResultV1Serializer})
    def retrieve(self, request, pk):
        severity = self.get_or_404(self.get_queryset(), pk, "severity")
        return Response({"severity": SeverityV1Serializer(severity).data})

    @extend_schema(
        operation_id="Severities V1#Create", tags=["Severities V1"],
        request=SeveritiesCreatePayloadV1Serializer, responses={201: SeveritiesCreateResultV1Serializer},
    )
    def create(self, request):
        data = self.parse(SeveritiesCreatePayloadV1Serializer)
        severity = services.create_severity(actor=self.key, **data)
        return Response({"severity": SeverityV1Serializer(severity).data}, status=201)

    @extend_schema(
        operation_id="Severities V1#Update", tags=["Severities V1"],
        request=SeveritiesUpdatePayloadV1Serializer, responses={200: SeveritiesUpdateResultV1Serializer},
    )
    def update(self, request, pk):
        severity = self.get_or_404(self.get_queryset(), pk, "severity")
        data = self.parse(SeveritiesUpdatePayloadV1Serializer)
        severity = services.update_severity(severity=severity, actor=self.key, **data)
        return Response({"severity": SeverityV1Serializer(severity).data})

    @extend_schema(operation_id="Severities V1#Delete", tags=["Severities V1"], responses={202: None})
    def destroy(self, request, pk):
        # incident.io answers 202 with an empty body here.
        severity = self.get_or_404(self.get_queryset(), pk, "severity")
        services.delete_severity(severity=severity, actor=self.key)
        return Response(status=202)


class IncidentStatusV1ViewSet(ApiViewSet):
    roles = CRUD_ROLES
    queryset = IncidentStatus.objects.order_by("rank", "id")

    @extend_schema(
        operation_id="Incident Statuses V1#List", tags=["Incident Statuses V1"],
        responses={200: IncidentStatusesListResultV1Serializer},
    )
    def list(self, request):
        return Response({"incident_statuses": IncidentStatusV1Serializer(self.get_queryset(), many=True).data})

    @extend_schema(
        operation_id="Incident Statuses V1#Show", tags=["Incident Statuses V1"],
        responses={200: IncidentStatusesShowResultV1Serializer},
    )
    def retrieve(self, request, pk):
        status = self.get_or_404(self.get_queryset(), pk, "incident status")
        return Response({"incident_status": IncidentStatusV1Serializer(status).data})

    @extend_schema(
        operation_id="Incident Statuses V1#Create", tags=["Incident Statuses V1"],
        request=IncidentStatusesCreatePayloadV1Serializer, responses={201: IncidentStatusesCreateResultV1Serializer},
    )
    def create(self, request):
        data = self.parse(IncidentStatusesCreatePayloadV1Serializer)
        status = services.create_incident_status(actor=self.key, **data)
        return Response({"incident_status": IncidentStatusV1Serializer(status).data}, status=201)

    @extend_schema(
        operation_id="Incident Statuses V1#Update", tags=["Incident Statuses V1"],
        request=IncidentStatusesUpdatePayloadV1Serializer, responses={200: IncidentStatusesUpdateResultV1Serializer},
    )
    def update(self, request, pk):
        status = self.get_or_404(self.get_queryset(), pk, "incident status")
        data = self.parse(IncidentStatusesUpdatePayloadV1Serializer)
        status = services.update_incident_status(status=status, actor=self.key, **data)
        return Response({"incident_status": IncidentStatusV1Serializer(status).data})

    @extend_schema(operation_id="Incident Statuses V1#Delete", tags=["Incident Statuses V1"], responses={202: None})
    def destroy(self, request, pk):
        # incident.io answers 202 with an empty body here.
        status = self.get_or_404(self.get_queryset(), pk, "incident status")
        services.delete_incident_status(status=status, actor=self.key)
        return Response(status=202)


class IncidentTypeV1ViewSet(ApiViewSet):
    # incident.io's API reads incident types only; they are managed in the admin.
    roles = {"list": READ, "retrieve": READ}
    queryset = IncidentType.objects.order_by("name", "id")

    @extend_schema(
        operation_id="Incident Types V1#List", tags=["Incident Types V1"],
        responses={200: IncidentTypesListResultV1Serializer},
    )
    def list(self, request):
        return Response({"incident_types": IncidentTypeV1Serializer(self.get_queryset(), many=True).data})

    @extend_schema(
        operation_id="Incident Types V1#Show", tags=["Incident Types V1"],
        responses={200: IncidentTypesShowResultV1Serializer},
    )
    def retrieve(self, request, pk):
        incident_type = self.get_or_404(self.get_queryset(), pk, "incident type")
        return Response({"incident_type": IncidentTypeV1Serializer(incident_type).data})


class IncidentRoleV1ViewSet(ApiViewSet):
    roles = CRUD_ROLES
    queryset = IncidentRole.objects.order_by("created_at", "id")

    @extend_schema(
        operation_id="Incident Roles V1#List", tags=["Incident Roles V1"],
        responses={200: IncidentRolesListResultV1Serializer},
    )
    def list(self, request):
        return Response({"incident_roles": IncidentRoleV1Serializer(self.get_queryset(), many=True).data})

    @extend_schema(
        operation_id="Incident Roles V1#Show", tags=["Incident Roles V1"],
        responses={200: IncidentRolesShowResultV1Serializer},
    )
    def retrieve(self, request, pk):
        role = self.get_or_404(self.get_queryset(), pk, "incident role")
        return Response({"incident_role": IncidentRoleV1Serializer(role).data})

    @extend_schema(
        operation_id="Incident Roles V1#Create", tags=["Incident Roles V1"],
        request=IncidentRolesCreatePayloadV1Serializer, responses={201: IncidentRolesCreateResultV1Serializer},
    )
    def create(self, request):
        data = self.parse(IncidentRolesCreatePayloadV1Serializer)
        role = services.create_incident_role(actor=self.key, **data)
        return Response({"incident_role": IncidentRoleV1Serializer(role).data}, status=201)

    @extend_schema(
        operation_id="Incident Roles V1#Update", tags=["Incident Roles V1"],
        request=IncidentRolesUpdatePayloadV1Serializer, responses={200: IncidentRolesUpdateResultV1Serializer},
    )
    def update(self, request, pk):
        role = self.get_or_404(self.get_queryset(), pk, "incident role")
        data = self.parse(IncidentRolesUpdatePayloadV1Serializer)
        role = services.update_incident_role(role=role, actor=self.key, **data)
        return Response({"incident_role": IncidentRoleV1Serializer(role).data})

    @extend_schema(operation_id="Incident Roles V1#Delete", tags=["Incident Roles V1"], responses={204: None})
    def destroy(self, request, pk):
        role = self.get_or_404(self.get_queryset(), pk, "incident role")
        services.delete_incident_role(role=role, actor=self.key)
        return Response(status=204)


class CustomFieldV1ViewSet(ApiViewSet):
    roles = CRUD_ROLES
    queryset = CustomField.objects.order_by("name", "id").prefetch_related(
        Prefetch("options", queryset=CustomFieldOption.objects.order_by("sort_key", "id"))
    )

    @extend_schema(
        operation_id="Custom Fields V1#List", tags=["Custom Fields V1"],
        responses={200: CustomFieldsListResultV1Serializer},
    )
    def list(self, request):
        return Response({"custom_fields": CustomFieldV1Serializer(self.get_queryset(), many=True).data})

    @extend_schema(
        operation_id="Custom Fields V1#Show", tags=["Custom Fields V1"],
        responses={200: CustomFieldsShowResultV1Serializer},
    )
    def retrieve(self, request, pk):
        field = self.get_or_404(self.get_queryset(), pk, "custom field")
        return Response({"custom_field": CustomFieldV1Serializer(field).data})

    @extend_schema(
        operation_id="Custom Fields V1#Create", tags=["Custom Fields V1"],
        request=CustomFieldsCreatePayloadV1Serializer, responses={201: CustomFieldsCreateResultV1Serializer},
    )
    def create(self, request):
        data = self.parse(CustomFieldsCreatePayloadV1Serializer)
        field = services.create_custom_field(actor=self.key, **data)
        field = self.get_queryset().get(pk=field.pk)
        return Response({"custom_field": CustomFieldV1Serializer(field).data}, status=201)

    @extend_schema(
        operation_id="Custom Fields V1#Update", tags=["Custom Fields V1"],
        request=CustomFieldsUpdatePayloadV1Serializer, responses={200: CustomFieldsUpdateResultV1Serializer},
    )
    def update(self, request, pk):
        field = self.get_or_404(self.get_queryset(), pk, "custom field")
        data = self.parse(CustomFieldsUpdatePayloadV1Serializer)
        field = services.update_custom_field(field=field, actor=self.key, **data)
        field = self.get_queryset().get(pk=field.pk)
        return Response({"custom_field": CustomFieldV1Serializer(field).data})

    @extend_schema(operation_id="Custom Fields V1#Delete", tags=["Custom Fields V1"], responses={204: None})
    def destroy(self, request, pk):
        field = self.get_or_404(self.get_queryset(), pk, "custom field")
        services.delete_custom_field(field=field, actor=self.key)
        return Response(status=204)


class CustomFieldOptionV1ViewSet(ApiViewSet):
    roles = CRUD_ROLES
    queryset = CustomFieldOption.objects.select_related("custom_field")

    @extend_schema(
        operation_id="Custom Field Options V1#List", tags=["Custom Field Options V1"],
        parameters=[CustomFieldOptionsListParamsV1Serializer],
        responses={200: CustomFieldOptionsListResultV1Serializer},
    )
    def list(self, request):
        params = self.parse(CustomFieldOptionsListParamsV1Serializer, data=request.query_params)
        # The cursor is an option's id: "options created after this one", oldest first.
        options, meta = self.paginate(
            CustomFieldOption.objects.filter(custom_field=params["custom_field"]), newest_first=False
        )
        return Response({
            "custom_field_options": CustomFieldOptionV1Serializer(options, many=True).data,
            "pagination_meta": meta,
        })

    @extend_schema(
        operation_id="Custom Field Options V1#Show", tags=["Custom Field Options V1"],
        responses={200: CustomFieldOptionsShowResultV1Serializer},
    )
    def retrieve(self, request, pk):
        option = self.get_or_404(self.get_queryset(), pk, "custom field option")
        return Response({"custom_field_option": CustomFieldOptionV1Serializer(option).data})

    @extend_schema(
        operation_id="Custom Field Options V1#Create", tags=["Custom Field Options V1"],
        request=CustomFieldOptionsCreatePayloadV1Serializer, responses={201: CustomFieldOptionsCreateResultV1Serializer},
    )
    def create(self, request):
        data = self.parse(CustomFieldOptionsCreatePayloadV1Serializer)
        option = services.create_custom_field_option(actor=self.key, **data)
        return Response({"custom_field_option": CustomFieldOptionV1Serializer(option).data}, status=201)

    @extend_schema(
        operation_id="Custom Field Options V1#Update", tags=["Custom Field Options V1"],
        request=CustomFieldOptionsUpdatePayloadV1Serializer, responses={200: CustomFieldOptionsUpdateResultV1Serializer},
    )
    def update(self, request, pk):
        option = self.get_or_404(self.get_queryset(), pk, "custom field option")
        data = self.parse(CustomFieldOptionsUpdatePayloadV1Serializer)
        option = services.update_custom_field_option(option=option, actor=self.key, **data)
        return Response({"custom_field_option": CustomFieldOptionV1Serializer(option).data})

    @extend_schema(operation_id="Custom Field Options V1#Delete", tags=["Custom Field Options V1"], responses={204: None})
    def destroy(self, request, pk):
        option = self.get_or_404(self.get_queryset(), pk, "custom field option")
        services.delete_custom_field_option(option=option, actor=self.key)
        return Response(status=204)


def _routes(prefix: str, viewset, collection_name: str, member_name: str) -> list:
    return [
        path(prefix, viewset.as_view({"get": "list", "post": "create"}), name=collection_name),
        path(f"{prefix}/<str:pk>", viewset.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}), name=member_name),
    ]


severities = SeverityV1ViewSet.as_view({"get": "list", "post": "create"})
severity = SeverityV1ViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"})

urlpatterns = [
    path("v1/severities", severities, name="severities-v1"),
    path("v1/severities/<str:pk>", severity, name="severity-v1"),
    *_routes("v1/incident_statuses", IncidentStatusV1ViewSet, "incident-statuses-v1", "incident-status-v1"),
    path("v1/incident_types", IncidentTypeV1ViewSet.as_view({"get": "list"}), name="incident-types-v1"),
    path("v1/incident_types/<str:pk>", IncidentTypeV1ViewSet.as_view({"get": "retrieve"}), name="incident-type-v1"),
    *_routes("v1/incident_roles", IncidentRoleV1ViewSet, "incident-roles-v1", "incident-role-v1"),
    *_routes("v1/custom_fields", CustomFieldV1ViewSet, "custom-fields-v1", "custom-field-v1"),
    *_routes("v1/custom_field_options", CustomFieldOptionV1ViewSet, "custom-field-options-v1", "custom-field-option-v1"),
]
