"""Status pages (list, show), each page's structure and a component's availability on it."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from core.api.base import ApiViewSet

from .. import reads
from ..serializers.payloads import ShowStatusPageComponentAvailabilityQuerySerializer
from ..serializers.results import (
    StatusPagesListStatusPagesResultV2Serializer,
    StatusPagesShowStatusPageComponentAvailabilityResultV2Serializer,
    StatusPagesShowStatusPageResultV2Serializer,
    StatusPagesShowStatusPageStructureResultV2Serializer,
)
from ..serializers.shapes import StatusPageStructureItemV2Serializer, StatusPageV2Serializer, management_meta
from .roles import READ, TAG

PAGE = [
    OpenApiParameter("page_size", OpenApiTypes.INT, description="Integer number of records to return (at most 250)"),
    OpenApiParameter("after", OpenApiTypes.STR, description="Return the records after this id, in the response's order"),
]


class StatusPageV2ViewSet(ApiViewSet):
    roles = {"list": READ, "retrieve": READ, "structure": READ, "availability": READ}

    def get_page(self, status_page_id: str):
        return self.get_or_404(reads.pages(), status_page_id, "status page")

    @extend_schema(
        operation_id="Status Pages V2#ListStatusPages", tags=TAG, parameters=PAGE,
        responses={200: StatusPagesListStatusPagesResultV2Serializer},
    )
    def list(self, request):
        pages, meta = self.paginate(reads.pages(), newest_first=False)
        return Response({"status_pages": StatusPageV2Serializer(pages, many=True).data, "pagination_meta": meta})

    @extend_schema(
        operation_id="Status Pages V2#ShowStatusPage", tags=TAG,
        responses={200: StatusPagesShowStatusPageResultV2Serializer},
    )
    def retrieve(self, request, status_page_id):
        return Response({"status_page": StatusPageV2Serializer(self.get_page(status_page_id)).data})

    @extend_schema(
        operation_id="Status Pages V2#ShowStatusPageStructure", tags=TAG,
        responses={200: StatusPagesShowStatusPageStructureResultV2Serializer},
    )
    def structure(self, request, status_page_id):
        page = self.get_page(status_page_id)
        items = StatusPageStructureItemV2Serializer(reads.structure(page), many=True).data
        return Response(
            {"current_structure": {"items": items}, "display_uptime_mode": page.display_uptime, "management_meta": management_meta()}
        )

    @extend_schema(
        operation_id="Status Pages V2#ShowStatusPageComponentAvailability", tags=TAG,
        parameters=[ShowStatusPageComponentAvailabilityQuerySerializer],
        responses={200: StatusPagesShowStatusPageComponentAvailabilityResultV2Serializer},
    )
    def availability(self, request, status_page_id, component_id):
        page = self.get_page(status_page_id)
        placement = reads.placement(page, component_id)
        if placement is None:
            raise Http404(f"No component with id {component_id} on status page {page.pk}")
        window = self.parse(ShowStatusPageComponentAvailabilityQuerySerializer, data=request.query_params)
        first_impact = reads.first_impact_at(component_id)
        since = min(filter(None, [placement.component.created_at, first_impact]))
        availability = {
            "status_page_id": page.pk,
            "component_id": component_id,
            "start_at": window["start_at"],
            "end_at": window["end_at"],
            "data_available_since": since,
            "availability_percent": reads.availability_percent(component_id, since=since, **window),
        }
        return Response(StatusPagesShowStatusPageComponentAvailabilityResultV2Serializer({"availability": availability}).data)
