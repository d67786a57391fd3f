"""Routes of the alerts app: incident.io's paths, no trailing slash."""

from alerts.api.v2 import alerts, events, routes, sources

urlpatterns = [
    *events.urlpatterns,
    *alerts.urlpatterns,
    *sources.urlpatterns,
    *routes.urlpatterns,
]
