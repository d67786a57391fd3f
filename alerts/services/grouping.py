"""Alerts into incidents, through the routes that take them.

Rules enforced here:
- a new alert is taken by every enabled route of its source whose conditions (the
  source's and the route's) it meets;
- a route groups its alerts by the values of its grouping keys: an alert joins the open
  group with its values while the group's window lasts (rolling: a window past the
  group's last alert; fixed: a window past its first) and its incident is active;
  otherwise that group closes and the alert opens a new one; a window of 0 makes every
  alert a group of its own;
- a group's first alert that meets the route's incident conditions declares its
  incident (through ``incidents.services``, so signals, emails, webhooks and the audit
  trail see it); later alerts are attached to that incident, and with the ``max`` merge
  a more severe one raises its severity;
- when the last firing alert of an incident resolves, the route acts: a triage incident
  is declined (when the route says so), else the route posts an update or resolves it;
- a route with a status page and components publishes its own words there while a
  group's alerts fire, and resolves that page incident when they have all resolved
  (``components``).

Concurrency: a group is one row, read ``FOR UPDATE``; two first alerts of one group
both find none and both insert, and the partial unique index
``alert_groups_one_open_per_key`` refuses the second (after the first commits), which
then reads the first's group and attaches to its incident: one incident per group.
Resolutions lock the same row, so the last of two concurrent resolutions sees the
other's and acts once.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from alerts.models import (
    Alert,
    AlertGroup,
    AlertRoute,
    AlertRouteSource,
    AlertStatus,
    IncidentAlert,
    SeverityMerge,
    WhenResolved,
    WindowType,
)
from alerts.services import components
from alerts.services.conditions import holds, render, scope_of, value_of
from core.exceptions import DomainError
from incidents import services as incident_services
from incidents.models import Incident, IncidentStatus, Severity, StatusCategory, Visibility

logger = logging.getLogger(__name__)
NAME_MAX, SUMMARY_MAX = 255, 10000
ALL_RESOLVED = "Every alert of this incident has resolved."


def route_new_alert(*, alert: Alert, now: datetime) -> list[IncidentAlert]:
    """Group a newly opened alert on each route that takes it; the incidents it joins.

    A route the incidents' rules refuse (no live status left, say) is logged and
    skipped: the alert is kept all the same, and the sender is not told to retry what
    would fail again."""
    scope = scope_of(alert)
    taken = (
        AlertRouteSource.objects.filter(source_id=alert.source_id, route__enabled=True)
        .select_related("route__severity", "route__incident_type", "route__status_page")
        .prefetch_related("route__components")
    )
    links = []
    for route_source in taken:
        route = route_source.route
        if not (holds(route_source.condition_groups, scope) and holds(route.condition_groups, scope)):
            continue
        try:
            with transaction.atomic():
                link = _group(alert, route, scope, now)
        except DomainError as exc:
            logger.warning("alert route %s could not take alert %s: %s", route.pk, alert.pk, exc.message)
            continue
        if link is not None:
            links.append(link)
    return links


def _key(route: AlertRoute, alert: Alert, scope: dict) -> tuple[str, dict]:
    if route.grouping_window_seconds == 0:
        return hashlib.sha256(f"alert:{alert.pk}".encode()).hexdigest(), {}
    values = {reference: value_of(scope, reference) for reference in route.grouping_keys}
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest(), values


def _open_group(route: AlertRoute, key: str) -> AlertGroup | None:
    return (
        AlertGroup.objects.select_for_update(of=("self",))
        .select_related("incident__status", "incident__severity")
        .filter(route=route, key=key, is_open=True)
        .first()
    )


def _lasts(group: AlertGroup, route: AlertRoute, now: datetime) -> bool:
    start = group.last_alert_at if route.window_type == WindowType.ROLLING else group.opened_at
    if now - start > timedelta(seconds=route.grouping_window_seconds):
        return False
    return group.incident is None or group.incident.status.is_active


def _locked_group(route: AlertRoute, key: str, values: dict, now: datetime) -> AlertGroup:
    """The open group for ``key``, locked; a new one when there is none or its window is over."""
    group = _open_group(route, key)
    if group is not None and _lasts(group, route, now):
        return group
    if group is not None:
        group.is_open = False
        group.save(update_fields=["is_open"])
    try:
        with transaction.atomic():
            return AlertGroup.objects.create(route=route, key=key, values=values, opened_at=now, last_alert_at=now)
    except IntegrityError:
        # A concurrent first alert opened it (and has committed: the index made us wait).
        return _open_group(route, key)


def _severity(route: AlertRoute, alert: Alert) -> Severity | None:
    if route.severity_id:
        return route.severity
    return Severity.objects.filter(name__iexact=alert.severity).first() if alert.severity else None


def _declare(route: AlertRoute, alert: Alert, scope: dict) -> Incident:
    name = render(route.name_template, scope).strip() or alert.title
    return incident_services.declare_incident(
        actor=None,
        name=name[:NAME_MAX],
        summary=render(route.summary_template, scope)[:SUMMARY_MAX],
        severity=_severity(route, alert),
        incident_type=route.incident_type,
        visibility=Visibility.PRIVATE if route.is_private else Visibility.PUBLIC,
        triage=route.start_in_triage,
    )


def _raise_severity(route: AlertRoute, incident: Incident, alert: Alert) -> None:
    if route.severity_id or route.severity_merge != SeverityMerge.MAX:
        return
    severity = _severity(route, alert)
    if severity is not None and (incident.severity is None or severity.rank > incident.severity.rank):
        incident_services.change_severity(
            incident=incident, severity=severity, actor=None, message=f"A more severe alert joined: {alert.title}"
        )


def _group(alert: Alert, route: AlertRoute, scope: dict, now: datetime) -> IncidentAlert | None:
    key, values = _key(route, alert, scope)
    group = _locked_group(route, key, values, now)
    group.last_alert_at = now
    if group.incident is None:
        if route.incident_enabled and holds(route.incident_condition_groups, scope):
            group.incident = _declare(route, alert, scope)
    else:
        _raise_severity(route, group.incident, alert)
    group.alerts.add(alert)
    try:
        with transaction.atomic():
            components.publish(route, group)
    except DomainError as exc:  # the page's rules refused; the incident stands
        logger.warning("alert route %s could not publish on its status page: %s", route.pk, exc.message)
    group.save(update_fields=["last_alert_at", "incident", "page_incident"])
    if group.incident is None:
        return None
    return IncidentAlert.objects.create(alert=alert, incident=group.incident, route=route, group=group, created_at=now)


def settle_resolved_alert(*, alert: Alert) -> None:
    """After ``alert`` resolved: each incident it belonged to whose alerts have all
    resolved gets what its route says, and each group of it whose alerts have all
    resolved returns its components."""
    for group in alert.alert_groups.filter(page_incident__isnull=False).select_related("route"):
        locked = AlertGroup.objects.select_for_update(of=("self",)).select_related("page_incident").get(pk=group.pk)
        if not locked.alerts.filter(status=AlertStatus.FIRING).exists():
            try:
                with transaction.atomic():
                    components.restore(group.route, locked)
            except DomainError as exc:
                logger.warning("alert route %s could not resolve its page incident: %s", group.route_id, exc.message)
    for link in IncidentAlert.objects.filter(alert=alert, group__isnull=False).select_related("route"):
        # The group's lock orders this against concurrent resolutions and new alerts.
        AlertGroup.objects.select_for_update().filter(pk=link.group_id).first()
        if IncidentAlert.objects.filter(incident_id=link.incident_id, alert__status=AlertStatus.FIRING).exists():
            continue
        incident = Incident.objects.select_related("status").get(pk=link.incident_id)
        if link.route is not None and incident.status.is_active:
            try:
                with transaction.atomic():
                    _act(link.route, incident)
            except DomainError as exc:
                logger.warning("alert route %s could not settle incident %s: %s", link.route_id, incident.pk, exc.message)


def _act(route: AlertRoute, incident: Incident) -> None:
    if incident.status.category == StatusCategory.TRIAGE and route.auto_decline_enabled:
        declined = IncidentStatus.objects.filter(category=StatusCategory.DECLINED).order_by("rank", "id").first()
        if declined is not None:
            incident_services.change_status(
                incident=incident, status=declined, actor=None, message=f"{ALL_RESOLVED} Declined automatically."
            )
            return
    if route.when_resolved == WhenResolved.POST_UPDATE:
        incident_services.post_incident_update(incident=incident, actor=None, message=ALL_RESOLVED)
    elif route.when_resolved == WhenResolved.RESOLVE:
        incident_services.close_incident(incident=incident, actor=None, message=ALL_RESOLVED)
