"""v1 configuration: severities, incident statuses, incident types, incident roles,
custom fields and their options."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from incidents import services
from incidents.api.base import ApiViewSet
from incidents.api.v1.serializers.config import SeveritiesCreatePayloadV1Serializer, SeveritiesUpdatePayloadV1Serializer
from incidents.api.v1.serializers.shapes import SeverityV1Serializer
from incidents.models import ApiRole, Severity

READ = (ApiRole.VIEWER,)
MANAGE = (ApiRole.MANAGE_SETTINGS,)


class SeverityV1ViewSet(ApiViewSet):
    roles = {"list": READ, "retrieve": READ, "create": MANAGE, "update": MANAGE, "destroy": MANAGE}
    queryset = Severity.objects.order_by("rank", "id")

    @extend_schema(operation_id="Severities V1#List", tags=["Severities V1"], responses={200: SeverityV1Serializer(many=True)})
    def list(self, request):
        return Response({"severities": SeverityV1Serializer(self.get_queryset(), many=True).data})

    @extend_schema(operation_id="Severities V1#Show", tags=["Severities V1"], responses={200: SeverityV1Serializer})
    def retrieve(self, request, pk):
        severity = self.get_or_404(self.get_queryset(), pk, "severity")
        return Response({"severity": SeverityV1Serializer(severity).data})

    @extend_schema(
        operation_id="Severities V1#Create", tags=["Severities V1"],
        request=SeveritiesCreatePayloadV1Serializer, responses={201: SeverityV1Serializer},
    )
    def create(self, request):
        data = self.parse(SeveritiesCreatePayloadV1Serializer)
        severity = services.create_severity(actor=self.key, **data)
        return Response({"severity": SeverityV1Serializer(severity).data}, status=201)

    @extend_schema(
        operation_id="Severities V1#Update", tags=["Severities V1"],
        request=SeveritiesUpdatePayloadV1Serializer, responses={200: SeverityV1Serializer},
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


severities = SeverityV1ViewSet.as_view({"get": "list", "post": "create"})
severity = SeverityV1ViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"})

urlpatterns = [
    path("v1/severities", severities, name="severities-v1"),
    path("v1/severities/<str:pk>", severity, name="severity-v1"),
]
