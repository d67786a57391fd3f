"""Scheduled maintenance (list, show, schedule, reschedule, delete) and its updates."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from core.api.base import ApiViewSet
from statuspages import services

from .. import reads
from ..serializers.payloads import (
    ListStatusPageMaintenancesQuerySerializer,
    StatusPagesCreateStatusPageMaintenancePayloadV2Serializer,
    StatusPagesCreateStatusPageMaintenanceUpdatePayloadV2Serializer,
    StatusPagesUpdateStatusPageMaintenancePayloadV2Serializer,
)
from ..serializers.results import (
    StatusPagesCreateStatusPageMaintenanceResultV2Serializer,
    StatusPagesCreateStatusPageMaintenanceUpdateResultV2Serializer,
    StatusPagesListStatusPageMaintenancesResultV2Serializer,
    StatusPagesShowStatusPageMaintenanceResultV2Serializer,
    StatusPagesUpdateStatusPageMaintenanceResultV2Serializer,
)
from ..serializers.shapes import StatusPageMaintenanceUpdateV2Serializer, StatusPageMaintenanceV2Serializer
from .pages import PAGE
from .roles import READ, TAG, WRITE


class StatusPageMaintenanceV2ViewSet(ApiViewSet):
    roles = {"list": READ, "retrieve": READ, "create": WRITE, "update": WRITE, "destroy": WRITE}

    def get_maintenance(self, pk, *, details: bool = True):
        maintenances = reads.maintenances() if details else reads.maintenances().prefetch_related(None)
        return self.get_or_404(maintenances, pk, "status page maintenance")

    def render(self, pk) -> dict:
        """The maintenance as it is now, re-read through the one read every answer uses."""
        return {"status_page_maintenance": StatusPageMaintenanceV2Serializer(self.get_maintenance(pk)).data}

    @extend_schema(
        operation_id="Status Pages V2#ListStatusPageMaintenances", tags=TAG,
        parameters=[ListStatusPageMaintenancesQuerySerializer, *PAGE],
        responses={200: StatusPagesListStatusPageMaintenancesResultV2Serializer},
    )
    def list(self, request):
        filters = self.parse(ListStatusPageMaintenancesQuerySerializer, data=request.query_params)
        page = self.get_or_404(reads.pages(), filters.pop("status_page_id"), "status page")
        # Newest first, by when they were announced.
        rows, meta = self.paginate(reads.maintenances_on(page, **filters))
        return Response(
            {"status_page_maintenances": StatusPageMaintenanceV2Serializer(rows, many=True).data, "pagination_meta": meta}
        )

    @extend_schema(
        operation_id="Status Pages V2#ShowStatusPageMaintenance", tags=TAG,
        responses={200: StatusPagesShowStatusPageMaintenanceResultV2Serializer},
    )
    def retrieve(self, request, status_page_maintenance_id):
        return Response(self.render(status_page_maintenance_id))

    @extend_schema(
        operation_id="Status Pages V2#CreateStatusPageMaintenance", tags=TAG,
        request=StatusPagesCreateStatusPageMaintenancePayloadV2Serializer,
        responses={201: StatusPagesCreateStatusPageMaintenanceResultV2Serializer},
    )
    def create(self, request):
        # A repeated idempotency key answers with the maintenance it first scheduled.
        maintenance = services.schedule_maintenance(
            actor=self.key, **self.parse(StatusPagesCreateStatusPageMaintenancePayloadV2Serializer)
        )
        return Response(self.render(maintenance.pk), status=201)

    @extend_schema(
        operation_id="Status Pages V2#UpdateStatusPageMaintenance", tags=TAG,
        request=StatusPagesUpdateStatusPageMaintenancePayloadV2Serializer,
        responses={200: StatusPagesUpdateStatusPageMaintenanceResultV2Serializer},
    )
    def update(self, request, status_page_maintenance_id):
        maintenance = self.get_maintenance(status_page_maintenance_id, details=False)
        changes = self.parse(StatusPagesUpdateStatusPageMaintenancePayloadV2Serializer)
        # incident.io: this posts no update and notifies nobody.
        services.edit_maintenance(actor=self.key, maintenance=maintenance, **changes)
        return Response(self.render(maintenance.pk))

    @extend_schema(operation_id="Status Pages V2#DeleteStatusPageMaintenance", tags=TAG, responses={204: None})
    def destroy(self, request, status_page_maintenance_id):
        maintenance = self.get_maintenance(status_page_maintenance_id, details=False)
        services.delete_maintenance(actor=self.key, maintenance=maintenance)
        return Response(status=204)


class StatusPageMaintenanceUpdateV2ViewSet(ApiViewSet):
    roles = {"create": WRITE}

    @extend_schema(
        operation_id="Status Pages V2#CreateStatusPageMaintenanceUpdate", tags=TAG,
        request=StatusPagesCreateStatusPageMaintenanceUpdatePayloadV2Serializer,
        responses={201: StatusPagesCreateStatusPageMaintenanceUpdateResultV2Serializer},
    )
    def create(self, request):
        # incident.io: an update that sets the status by hand turns automation off.
        update = services.post_maintenance_update(
            actor=self.key, by_hand=True, **self.parse(StatusPagesCreateStatusPageMaintenanceUpdatePayloadV2Serializer)
        )
        update = reads.maintenance_update(update.pk)
        return Response({"status_page_maintenance_update": StatusPageMaintenanceUpdateV2Serializer(update).data}, status=201)
