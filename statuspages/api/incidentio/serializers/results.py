"""The envelopes incident.io answers with, named after the contract's components so our own
OpenAPI document describes each response under incident.io's name. The views build the
same dicts from the record serializers of ``shapes``."""

from rest_framework import serializers

from incidents.api.v2.serializers.shapes import PaginationMetaResultV2Serializer
from statuspages.models import UptimeDisplay

from .shapes import (
    ManagementMetaV2Serializer,
    StatusPageComponentAvailabilityV2Serializer,
    StatusPageComponentV2Serializer,
    StatusPageIncidentUpdateV2Serializer,
    StatusPageIncidentV2Serializer,
    StatusPageMaintenanceUpdateV2Serializer,
    StatusPageMaintenanceV2Serializer,
    StatusPageStructureV2Serializer,
    StatusPageV2Serializer,
)

# --- pages ------------------------------------------------------------------------------------


class StatusPagesListStatusPagesResultV2Serializer(serializers.Serializer):
    status_pages = StatusPageV2Serializer(many=True)
    pagination_meta = PaginationMetaResultV2Serializer()


class StatusPagesShowStatusPageResultV2Serializer(serializers.Serializer):
    status_page = StatusPageV2Serializer()


class StatusPagesShowStatusPageStructureResultV2Serializer(serializers.Serializer):
    current_structure = StatusPageStructureV2Serializer()
    display_uptime_mode = serializers.ChoiceField(choices=UptimeDisplay.values)
    management_meta = ManagementMetaV2Serializer()


class StatusPagesShowStatusPageComponentAvailabilityResultV2Serializer(serializers.Serializer):
    availability = StatusPageComponentAvailabilityV2Serializer()


# --- components -------------------------------------------------------------------------------


class StatusPageComponentsListResultV2Serializer(serializers.Serializer):
    status_page_components = StatusPageComponentV2Serializer(many=True)


class StatusPageComponentsShowResultV2Serializer(serializers.Serializer):
    status_page_component = StatusPageComponentV2Serializer()


class StatusPageComponentsCreateResultV2Serializer(StatusPageComponentsShowResultV2Serializer):
    pass


class StatusPageComponentsUpdateResultV2Serializer(StatusPageComponentsShowResultV2Serializer):
    pass


# --- incidents --------------------------------------------------------------------------------


class StatusPagesListStatusPageIncidentsResultV2Serializer(serializers.Serializer):
    status_page_incidents = StatusPageIncidentV2Serializer(many=True)
    pagination_meta = PaginationMetaResultV2Serializer()


class StatusPagesShowStatusPageIncidentResultV2Serializer(serializers.Serializer):
    status_page_incident = StatusPageIncidentV2Serializer()


class StatusPagesCreateStatusPageIncidentResultV2Serializer(StatusPagesShowStatusPageIncidentResultV2Serializer):
    pass


class StatusPagesUpdateStatusPageIncidentResultV2Serializer(StatusPagesShowStatusPageIncidentResultV2Serializer):
    pass


class StatusPagesCreateStatusPageRetrospectiveIncidentResultV2Serializer(StatusPagesShowStatusPageIncidentResultV2Serializer):
    pass


class StatusPagesCreateStatusPageIncidentUpdateResultV2Serializer(serializers.Serializer):
    status_page_incident_update = StatusPageIncidentUpdateV2Serializer()


# --- maintenance ------------------------------------------------------------------------------


class StatusPagesListStatusPageMaintenancesResultV2Serializer(serializers.Serializer):
    status_page_maintenances = StatusPageMaintenanceV2Serializer(many=True)
    pagination_meta = PaginationMetaResultV2Serializer()


class StatusPagesShowStatusPageMaintenanceResultV2Serializer(serializers.Serializer):
    status_page_maintenance = StatusPageMaintenanceV2Serializer()


class StatusPagesCreateStatusPageMaintenanceResultV2Serializer(StatusPagesShowStatusPageMaintenanceResultV2Serializer):
    pass


class StatusPagesUpdateStatusPageMaintenanceResultV2Serializer(StatusPagesShowStatusPageMaintenanceResultV2Serializer):
    pass


class StatusPagesCreateStatusPageMaintenanceUpdateResultV2Serializer(serializers.Serializer):
    status_page_maintenance_update = StatusPageMaintenanceUpdateV2Serializer()
