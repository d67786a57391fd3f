"""Routes of the alerts app: incident.io's paths, no trailing slash."""

from alerts.api.v2 import alerts, events, heartbeat, routes, sources
from alerts.api.v3 import routes as routes_v3

urlpatterns = [
    *events.urlpatterns,
    *heartbeat.urlpatterns,
    *alerts.urlpatterns,
    *sources.urlpatterns,
    *routes.urlpatterns,
    *routes_v3.urlpatterns,
]
