"""Routes of the alerts app: incident.io's paths, no trailing slash."""

from alerts.api.v2 import alerts, events, heartbeat, sources

urlpatterns = [
    *events.urlpatterns,
    *heartbeat.urlpatterns,
    *alerts.urlpatterns,
    *sources.urlpatterns,
]
