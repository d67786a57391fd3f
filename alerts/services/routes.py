"""Alert routes: creating, changing and deleting them (the API and the admin call these).

A route's incident type may hold only private incidents; then the route must be private
(``declare_incident`` would refuse every incident it declares)."""

from __future__ import annotations

from django.db import transaction

from alerts.models import AlertRoute, AlertRouteSource, AlertSource, SeverityMerge, WhenResolved, WindowType
from alerts.services.conditions import check_condition_groups
from core.exceptions import Conflict, DomainError
from statuspages.models import Component, ImpactLevel
from statuspages.services.common import check_components

#: what ``create_alert_route``/``update_alert_route`` take besides name and sources
FIELDS = (
    "enabled",
    "is_private",
    "condition_groups",
    "incident_enabled",
    "incident_condition_groups",
    "grouping_keys",
    "grouping_window_seconds",
    "window_type",
    "incident_type",
    "severity",
    "severity_merge",
    "start_in_triage",
    "name_template",
    "summary_template",
    "auto_decline_enabled",
    "when_resolved",
    "extras",
    "status_page",
    "component_status",
    "public_name",
    "public_message",
    "public_resolved_message",
    "notify_subscribers",
)


def _check(route: AlertRoute) -> None:
    if not route.name or not route.name.strip():
        raise DomainError("missing_name", "An alert route needs a name", field="name")
    route.name = route.name.strip()
    route.condition_groups = check_condition_groups(route.condition_groups, "condition_groups")
    route.incident_condition_groups = check_condition_groups(
        route.incident_condition_groups, "incident_config.condition_groups"
    )
    keys = route.grouping_keys or []
    if not isinstance(keys, list) or not all(isinstance(k, str) and k.strip().startswith(("alert.", "$.alert.")) for k in keys):
        raise DomainError("invalid_value", "Grouping keys are references into the alert (alert.title)", field="grouping_keys")
    route.grouping_keys = [k.strip() for k in keys]
    if route.grouping_window_seconds is None or route.grouping_window_seconds < 0:
        raise DomainError("invalid_value", "The grouping window is 0 or more seconds", field="grouping_window_seconds")
    for field, choices in (("window_type", WindowType), ("severity_merge", SeverityMerge), ("when_resolved", WhenResolved)):
        if getattr(route, field) not in choices.values:
            raise DomainError("invalid_value", f"{field} is one of {', '.join(choices.values)}", field=field)
    if route.incident_type is not None and route.incident_type.private_incidents_only and not route.is_private:
        raise DomainError(
            "invalid_value", "This incident type holds only private incidents: make the route private", field="is_private"
        )
    if route.component_status not in ImpactLevel.values:
        raise DomainError("invalid_value", f"component_status is one of {', '.join(ImpactLevel.values)}", field="component_status")
    if route.status_page_id and not route.public_name.strip():
        raise DomainError("missing_name", "What the page calls the problem is needed", field="public_name")
    if not route.name_template.strip():
        route.name_template = "{{ alert.title }}"


def _set_components(route: AlertRoute, components: list[Component] | None) -> None:
    if components is None:
        return
    if components and route.status_page_id is None:
        raise DomainError("invalid_value", "Components are set on a status page: choose one", field="status_page")
    if components:
        check_components(components, route.status_page, "components")
    route.components.set(components)


def _set_sources(route: AlertRoute, sources: list[tuple[AlertSource, list]]) -> None:
    if len({source.pk for source, _ in sources}) != len(sources):
        raise DomainError("invalid_value", "Each alert source is named once", field="alert_sources")
    rows = [
        AlertRouteSource(
            route=route,
            source=source,
            condition_groups=check_condition_groups(groups, "alert_sources.condition_groups"),
        )
        for source, groups in sources
    ]
    AlertRouteSource.objects.filter(route=route).delete()
    AlertRouteSource.objects.bulk_create(rows)


@transaction.atomic
def create_alert_route(
    *, name: str, sources: list[tuple[AlertSource, list]], components: list[Component] | None = None, **fields
) -> AlertRoute:
    """Create a route taking alerts from ``sources`` (each with its own conditions),
    moving ``components`` of its status page while its alerts fire."""
    route = AlertRoute(name=name, **{k: v for k, v in fields.items() if k in FIELDS})
    _check(route)
    route.save()
    _set_sources(route, sources)
    _set_components(route, components)
    return route


@transaction.atomic
def update_alert_route(
    *,
    route: AlertRoute,
    name: str,
    sources: list[tuple[AlertSource, list]] | None = None,
    version: int | None = None,
    components: list[Component] | None = None,
    **fields,
) -> AlertRoute:
    """Change a route; its version moves by one. With ``version`` (incident.io's guard
    against concurrent edits) it must be the one this change makes, else Conflict.
    Groups already open keep their incidents."""
    route = AlertRoute.objects.select_for_update().get(pk=route.pk)
    if version is not None and version != route.version + 1:
        raise Conflict(
            "version_conflict",
            f"The route is at version {route.version}: an update makes version {route.version + 1}",
            field="version",
        )
    route.name = name
    for field, value in fields.items():
        if field in FIELDS:
            setattr(route, field, value)
    _check(route)
    route.version += 1
    route.save()
    if sources is not None:
        _set_sources(route, sources)
    _set_components(route, components)
    return route


def delete_alert_route(*, route: AlertRoute) -> None:
    """Delete a route; its incidents stay, with their alerts."""
    route.delete()
