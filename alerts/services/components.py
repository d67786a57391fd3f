"""Status page components moved by alerts, through the status pages' services (so the
page, its feeds, its JSON, every dialect and, when the route says so, the subscribers'
emails see it).

Nothing of an alert reaches the page: the page incident's name and messages are the
route's own words, and it is not linked to the internal incident. A group publishes
once; when all its alerts have resolved its page incident resolves (which returns the
components to operational); a new alert in the same group reopens it."""

from __future__ import annotations

from alerts.models import AlertGroup, AlertRoute
from statuspages import services as page_services
from statuspages.models import IncidentStatus


def _statuses(route: AlertRoute) -> dict:
    return {component: route.component_status for component in route.components.all()}


def publish(route: AlertRoute, group: AlertGroup) -> None:
    """While ``group`` (locked) has a firing alert, its route's components are down."""
    if route.status_page_id is None:
        return
    statuses = _statuses(route)
    if not statuses:
        return
    if group.page_incident is None:
        group.page_incident = page_services.publish_incident(
            actor=None,
            status_page=route.status_page,
            name=route.public_name,
            message=route.public_message,
            component_statuses=statuses,
            notify_subscribers=route.notify_subscribers,
        )
    elif group.page_incident.is_resolved:
        page_services.post_incident_update(
            actor=None,
            page_incident=group.page_incident,
            message=route.public_message,
            status=IncidentStatus.INVESTIGATING,
            component_statuses=statuses,
            notify_subscribers=route.notify_subscribers,
        )


def restore(route: AlertRoute, group: AlertGroup) -> None:
    """Every alert of ``group`` (locked) has resolved: resolve its page incident."""
    if group.page_incident is None or group.page_incident.is_resolved:
        return
    page_services.post_incident_update(
        actor=None,
        page_incident=group.page_incident,
        message=route.public_resolved_message,
        status=IncidentStatus.RESOLVED,
        notify_subscribers=route.notify_subscribers,
    )
