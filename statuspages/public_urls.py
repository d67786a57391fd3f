"""The public site's routes (/status/...)."""

from django.urls import include, path

from . import feeds
from .views import badges, components, language, pages
from .views import statuspage_api as api

app_name = "statuspages"

# Atlassian Statuspage's paths, under each page's address.
statuspage_api = [
    path("status.json", api.status, name="status-json"),
    path("summary.json", api.summary, name="summary-json"),
    path("components.json", api.components, name="components-json"),
    path("incidents.json", api.incidents, name="incidents-json"),
    path("incidents/unresolved.json", api.unresolved_incidents, name="unresolved-incidents-json"),
    path("scheduled-maintenances.json", api.scheduled_maintenances, name="maintenances-json"),
    path("scheduled-maintenances/upcoming.json", api.upcoming_maintenances, name="upcoming-maintenances-json"),
    path("scheduled-maintenances/active.json", api.active_maintenances, name="active-maintenances-json"),
]

urlpatterns = [
    path("status/", pages.default_page, name="default"),
    path("status/<slug:slug>/", pages.front_page, name="page"),
    path("status/<slug:slug>/incidents/<str:incident_id>/", pages.incident_page, name="incident"),
    path("status/<slug:slug>/maintenance/<str:maintenance_id>/", pages.maintenance_page, name="maintenance"),
    path("status/<slug:slug>/history/", pages.history_page, name="history"),
    path("status/<slug:slug>/components/<str:component_id>/", components.component_page, name="component"),
    path("status/<slug:slug>/language/<str:language>/", language.choose_language, name="language"),
    path("status/<slug:slug>/feed.atom", feeds.atom_feed, name="feed-atom"),
    path("status/<slug:slug>/feed.rss", feeds.rss_feed, name="feed-rss"),
    path("status/<slug:slug>/badge.svg", badges.page_badge, name="badge"),
    path("status/<slug:slug>/components/<str:component_id>/badge.svg", badges.component_badge, name="component-badge"),
    path("status/<slug:slug>/api/v2/", include(statuspage_api)),
]
