"""Every write of the alerts app (docs/development.md): sources, events, routes and the
grouping of alerts into incidents."""

from alerts.services.events import Event, purge_alert_events, record_events, resolve_alert
from alerts.services.grouping import route_new_alert, settle_resolved_alert
from alerts.services.routes import create_alert_route, delete_alert_route, update_alert_route
from alerts.services.heartbeats import check_heartbeats, configure_heartbeat, record_ping
from alerts.services.sources import (
    DEFAULT_MAPPING,
    admit_source,
    admit_source_by_secret,
    create_alert_source,
    delete_alert_source,
    rotate_alert_source_secret,
    update_alert_source,
)

__all__ = [
    "DEFAULT_MAPPING",
    "Event",
    "admit_source",
    "admit_source_by_secret",
    "check_heartbeats",
    "configure_heartbeat",
    "create_alert_route",
    "delete_alert_route",
    "route_new_alert",
    "settle_resolved_alert",
    "update_alert_route",
    "create_alert_source",
    "delete_alert_source",
    "purge_alert_events",
    "record_ping",
    "record_events",
    "resolve_alert",
    "rotate_alert_source_secret",
    "update_alert_source",
]
