"""The alerts app's tables: sources, alerts and their raw events (``alerts``); routes,
their groups and the alerts attached to incidents (``routes``)."""

from alerts.models.alerts import Alert, AlertEvent, AlertSource, AlertStatus, Heartbeat, SourceType
from alerts.models.routes import (
    AlertGroup,
    AlertRoute,
    AlertRouteSource,
    IncidentAlert,
    SeverityMerge,
    WhenResolved,
    WindowType,
)

__all__ = [
    "Alert",
    "AlertEvent",
    "AlertGroup",
    "AlertRoute",
    "AlertRouteSource",
    "AlertSource",
    "AlertStatus",
    "Heartbeat",
    "IncidentAlert",
    "SeverityMerge",
    "SourceType",
    "WhenResolved",
    "WindowType",
]
