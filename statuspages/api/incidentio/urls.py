"""Routes of incident.io's status page API (v2): paths exactly as the contract spells them
(no trailing slash), with its names for the path parameters (``<str:pk>`` is its ``{id}``)."""

from django.urls import path

from .views.components import StatusPageComponentV2ViewSet
from .views.incidents import StatusPageIncidentUpdateV2ViewSet, StatusPageIncidentV2ViewSet, StatusPageRetrospectiveIncidentV2ViewSet
from .views.maintenance import StatusPageMaintenanceUpdateV2ViewSet, StatusPageMaintenanceV2ViewSet
from .views.pages import StatusPageV2ViewSet

urlpatterns = [
    path("v2/status_pages", StatusPageV2ViewSet.as_view({"get": "list"}), name="status-pages-v2"),
    path("v2/status_pages/<str:status_page_id>", StatusPageV2ViewSet.as_view({"get": "retrieve"}), name="status-page-v2"),
    path(
        "v2/status_pages/<str:status_page_id>/components/<str:component_id>/availability",
        StatusPageV2ViewSet.as_view({"get": "availability"}),
        name="status-page-component-availability-v2",
    ),
    path(
        "v2/status_page_structures/<str:status_page_id>",
        StatusPageV2ViewSet.as_view({"get": "structure"}),
        name="status-page-structure-v2",
    ),
    path(
        "v2/status_page_components",
        StatusPageComponentV2ViewSet.as_view({"get": "list", "post": "create"}),
        name="status-page-components-v2",
    ),
    path(
        "v2/status_page_components/<str:pk>",
        StatusPageComponentV2ViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}),
        name="status-page-component-v2",
    ),
    path(
        "v2/status_page_incidents",
        StatusPageIncidentV2ViewSet.as_view({"get": "list", "post": "create"}),
        name="status-page-incidents-v2",
    ),
    path(
        "v2/status_page_incidents/<str:status_page_incident_id>",
        StatusPageIncidentV2ViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="status-page-incident-v2",
    ),
    path(
        "v2/status_page_retrospective_incidents",
        StatusPageRetrospectiveIncidentV2ViewSet.as_view({"post": "create"}),
        name="status-page-retrospective-incidents-v2",
    ),
    path(
        "v2/status_page_incident_updates",
        StatusPageIncidentUpdateV2ViewSet.as_view({"post": "create"}),
        name="status-page-incident-updates-v2",
    ),
    path(
        "v2/status_page_maintenances",
        StatusPageMaintenanceV2ViewSet.as_view({"get": "list", "post": "create"}),
        name="status-page-maintenances-v2",
    ),
    path(
        "v2/status_page_maintenances/<str:status_page_maintenance_id>",
        StatusPageMaintenanceV2ViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}),
        name="status-page-maintenance-v2",
    ),
    path(
        "v2/status_page_maintenance_updates",
        StatusPageMaintenanceUpdateV2ViewSet.as_view({"post": "create"}),
        name="status-page-maintenance-updates-v2",
    ),
]
