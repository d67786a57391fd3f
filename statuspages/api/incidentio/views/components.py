"""Status page components: the organisation's, not a page's (a page places them; the admin
arranges each page's structure)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from core.api.base import ApiViewSet
from statuspages import services
from statuspages.models import Component

from ..serializers.payloads import StatusPageComponentsCreatePayloadV2Serializer, StatusPageComponentsUpdatePayloadV2Serializer
from ..serializers.results import (
    StatusPageComponentsCreateResultV2Serializer,
    StatusPageComponentsListResultV2Serializer,
    StatusPageComponentsShowResultV2Serializer,
    StatusPageComponentsUpdateResultV2Serializer,
)
from ..serializers.shapes import StatusPageComponentV2Serializer
from .roles import READ, WRITE

TAG = ["Status Page Components V2"]


class StatusPageComponentV2ViewSet(ApiViewSet):
    roles = {"list": READ, "retrieve": READ, "create": WRITE, "update": WRITE, "destroy": WRITE}
    queryset = Component.objects.order_by("name", "id")

    def get_component(self, pk):
        return self.get_or_404(self.get_queryset(), pk, "status page component")

    @extend_schema(
        operation_id="Status Page Components V2#List", tags=TAG, responses={200: StatusPageComponentsListResultV2Serializer}
    )
    def list(self, request):
        # incident.io lists every component at once: this list has no pages.
        return Response({"status_page_components": StatusPageComponentV2Serializer(self.get_queryset(), many=True).data})

    @extend_schema(
        operation_id="Status Page Components V2#Show", tags=TAG, responses={200: StatusPageComponentsShowResultV2Serializer}
    )
    def retrieve(self, request, pk):
        return Response({"status_page_component": StatusPageComponentV2Serializer(self.get_component(pk)).data})

    @extend_schema(
        operation_id="Status Page Components V2#Create", tags=TAG,
        request=StatusPageComponentsCreatePayloadV2Serializer, responses={201: StatusPageComponentsCreateResultV2Serializer},
    )
    def create(self, request):
        data = self.parse(StatusPageComponentsCreatePayloadV2Serializer)
        component = services.create_component(actor=self.key, **data)
        return Response({"status_page_component": StatusPageComponentV2Serializer(component).data}, status=201)

    @extend_schema(
        operation_id="Status Page Components V2#Update", tags=TAG,
        request=StatusPageComponentsUpdatePayloadV2Serializer, responses={200: StatusPageComponentsUpdateResultV2Serializer},
    )
    def update(self, request, pk):
        component = self.get_component(pk)
        data = self.parse(StatusPageComponentsUpdatePayloadV2Serializer)
        component = services.update_component(component=component, actor=self.key, **data)
        return Response({"status_page_component": StatusPageComponentV2Serializer(component).data})

    @extend_schema(operation_id="Status Page Components V2#Destroy", tags=TAG, responses={204: None})
    def destroy(self, request, pk):
        # incident.io archives the component; we delete it, with its impacts (its
        # history on every page).
        services.delete_component(component=self.get_component(pk), actor=self.key)
        return Response(status=204)
