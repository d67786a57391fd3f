"""Cachet v3's routes, under /api/ as Cachet serves them (no trailing slash), every
operation of its document but the metrics and their points."""

from django.urls import path

from .views.components import CachetComponentViewSet
from .views.general import CachetGeneralViewSet, openapi_document
from .views.groups import CachetComponentGroupViewSet
from .views.incidents import CachetIncidentUpdateViewSet, CachetIncidentViewSet
from .views.schedules import CachetScheduleUpdateViewSet, CachetScheduleViewSet
from .views.templates import CachetIncidentTemplateViewSet

COLLECTION = {"get": "list", "post": "create"}
MEMBER = {"get": "retrieve", "put": "update", "delete": "destroy"}


def _resource(prefix: str, viewset, member: str, name: str) -> list:
    return [
        path(f"api/{prefix}", viewset.as_view(COLLECTION), name=f"cachet-{name}-list"),
        path(f"api/{prefix}/<int:{member}>", viewset.as_view(MEMBER), name=f"cachet-{name}"),
    ]


urlpatterns = [
    *_resource("incidents", CachetIncidentViewSet, "incident", "incident"),
    *_resource("incidents/<int:incident>/updates", CachetIncidentUpdateViewSet, "update", "incident-update"),
    *_resource("components", CachetComponentViewSet, "component", "component"),
    *_resource("component-groups", CachetComponentGroupViewSet, "componentGroup", "component-group"),
    *_resource("schedules", CachetScheduleViewSet, "schedule", "schedule"),
    *_resource("schedules/<int:schedule>/updates", CachetScheduleUpdateViewSet, "update", "schedule-update"),
    *_resource("incident-templates", CachetIncidentTemplateViewSet, "incidentTemplate", "incident-template"),
    path("api/ping", CachetGeneralViewSet.as_view({"get": "ping"}), name="cachet-ping"),
    path("api/version", CachetGeneralViewSet.as_view({"get": "version"}), name="cachet-version"),
    path("api/status", CachetGeneralViewSet.as_view({"get": "status"}), name="cachet-status"),
    path("api/openapi.json", openapi_document, name="cachet-openapi"),
]
