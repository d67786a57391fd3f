"""Records of incident.io's status page API, rendered from what ``reads`` loaded. Every
field is spelled out: the contract, not our models, decides names, nesting and nulls (an
optional field we have no value for is left out, never sent as null)."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from statuspages.models import ComponentGroup, ComponentStatus, ImpactLevel, IncidentStatus, MaintenanceStatus
from statuspages.selectors import UNDER_MAINTENANCE

def management_meta() -> dict:
    """We have no Terraform provider: everything is managed in the admin (incident.io's
    "dashboard")."""
    return {"annotations": {}, "managed_by": "dashboard"}


def public_url(page) -> str:
    return f"{settings.SITE_URL}/status/{page.slug}/"


def _without_none(data: dict) -> dict:
    return {key: value for key, value in data.items() if value is not None}


class ManagementMetaV2Serializer(serializers.Serializer):
    annotations = serializers.DictField(child=serializers.CharField())
    managed_by = serializers.ChoiceField(choices=["dashboard", "terraform", "external"])
    source_url = serializers.CharField(required=False)


# --- pages and components ---------------------------------------------------------------------


class StatusPageV2Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    public_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_public_url(self, page) -> str:
        return public_url(page)


class StatusPageComponentV2Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    management_meta = serializers.SerializerMethodField()

    @extend_schema_field(ManagementMetaV2Serializer)
    def get_management_meta(self, component) -> dict:
        return management_meta()


class StatusPageStructureComponentV2Serializer(serializers.Serializer):
    """A placement (``PageComponent``) of a component on a page."""

    component_id = serializers.CharField()
    name = serializers.CharField(source="component.name")
    hidden = serializers.SerializerMethodField()
    display_uptime = serializers.BooleanField()

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_hidden(self, placement) -> bool:
        # A disabled component is shown on no page.
        return placement.hidden or not placement.component.enabled


class StatusPageStructureGroupV2Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    hidden = serializers.BooleanField()
    display_aggregated_uptime = serializers.BooleanField()
    components = StatusPageStructureComponentV2Serializer(many=True, source="placed")


class StatusPageStructureItemV2Serializer(serializers.Serializer):
    """A group or a component outside any group (we have no sub-pages)."""

    component = StatusPageStructureComponentV2Serializer(required=False)
    group = StatusPageStructureGroupV2Serializer(required=False)

    def to_representation(self, item):
        if isinstance(item, ComponentGroup):
            return {"group": StatusPageStructureGroupV2Serializer(item).data}
        return {"component": StatusPageStructureComponentV2Serializer(item).data}


class StatusPageStructureV2Serializer(serializers.Serializer):
    items = StatusPageStructureItemV2Serializer(many=True)


class StatusPageComponentAvailabilityV2Serializer(serializers.Serializer):
    status_page_id = serializers.CharField()
    component_id = serializers.CharField()
    start_at = serializers.DateTimeField()
    end_at = serializers.DateTimeField()
    data_available_since = serializers.DateTimeField()
    availability_percent = serializers.CharField(required=False)

    def to_representation(self, instance):
        return _without_none(super().to_representation(instance))


# --- incidents --------------------------------------------------------------------------------


class StatusPageIncidentAffectedComponentV2Serializer(serializers.Serializer):
    """What an update says of a component (read from ``UpdateComponentStatus``; parsed
    into ``component_id`` and ``status``)."""

    component_id = serializers.CharField()
    component_status = serializers.ChoiceField(choices=ComponentStatus.values, source="status")


class StatusPageIncidentComponentImpactV2Serializer(serializers.Serializer):
    component_id = serializers.CharField()
    component_status = serializers.ChoiceField(choices=ImpactLevel.values, source="level")
    start_at = serializers.DateTimeField()
    end_at = serializers.DateTimeField(required=False)  # left out while the impact goes on

    def to_representation(self, instance):
        return _without_none(super().to_representation(instance))


class StatusPageIncidentUpdateV2Serializer(serializers.Serializer):
    id = serializers.CharField()
    status_page_incident_id = serializers.CharField(source="page_incident_id")
    published_at = serializers.DateTimeField()
    message = serializers.CharField()
    incident_status = serializers.ChoiceField(choices=IncidentStatus.values, source="status")
    component_statuses = StatusPageIncidentAffectedComponentV2Serializer(many=True, source="component_statuses.all")


class StatusPageIncidentV2Serializer(serializers.Serializer):
    """A page incident read through ``reads.incidents()``."""

    id = serializers.CharField()
    status_page_id = serializers.CharField()
    name = serializers.CharField()
    published_at = serializers.DateTimeField()
    incident_status = serializers.ChoiceField(choices=IncidentStatus.values, source="status")
    updates = StatusPageIncidentUpdateV2Serializer(many=True, source="timeline")
    component_impacts = StatusPageIncidentComponentImpactV2Serializer(many=True, source="impact_list")


# --- maintenance ------------------------------------------------------------------------------


class StatusPageMaintenanceAffectedComponentV2Serializer(serializers.Serializer):
    component_id = serializers.CharField()
    component_status = serializers.ChoiceField(choices=[ComponentStatus.OPERATIONAL, UNDER_MAINTENANCE])


class StatusPageMaintenanceComponentMaintenancePeriodV2Serializer(serializers.Serializer):
    component_id = serializers.CharField()
    start_at = serializers.DateTimeField()
    end_at = serializers.DateTimeField(required=False)


class StatusPageMaintenanceUpdateV2Serializer(serializers.Serializer):
    id = serializers.CharField()
    status_page_maintenance_id = serializers.CharField(source="maintenance_id")
    published_at = serializers.DateTimeField()
    message = serializers.CharField()
    maintenance_status = serializers.ChoiceField(choices=MaintenanceStatus.values, source="status")
    component_statuses = serializers.SerializerMethodField()

    @extend_schema_field(StatusPageMaintenanceAffectedComponentV2Serializer(many=True))
    def get_component_statuses(self, update) -> list[dict]:
        # We keep no component statuses per maintenance update: every component the
        # maintenance affects is under maintenance while an update says it is in progress.
        status = UNDER_MAINTENANCE if update.status == MaintenanceStatus.IN_PROGRESS else ComponentStatus.OPERATIONAL
        return [{"component_id": c.pk, "component_status": status} for c in update.maintenance.components.all()]


class StatusPageMaintenanceV2Serializer(serializers.Serializer):
    """A maintenance read through ``reads.maintenances()``."""

    id = serializers.CharField()
    status_page_id = serializers.CharField()
    name = serializers.CharField()
    published_at = serializers.DateTimeField()
    maintenance_status = serializers.ChoiceField(choices=MaintenanceStatus.values, source="status")
    automate_maintenance_status = serializers.BooleanField(source="automate")
    updates = StatusPageMaintenanceUpdateV2Serializer(many=True, source="timeline")
    component_maintenance_periods = serializers.SerializerMethodField()

    @extend_schema_field(StatusPageMaintenanceComponentMaintenancePeriodV2Serializer(many=True))
    def get_component_maintenance_periods(self, maintenance) -> list[dict]:
        # The window, or the times it really started and completed once it moved.
        start = maintenance.started_at or maintenance.starts_at
        end = maintenance.completed_at or maintenance.ends_at
        period = StatusPageMaintenanceComponentMaintenancePeriodV2Serializer
        return [period({"component_id": c.pk, "start_at": start, "end_at": end}).data for c in maintenance.components.all()]
