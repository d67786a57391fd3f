"""Reads several callers share: the API's alert lists, the admin's."""

from django.db.models import Case, IntegerField, Prefetch, Value, When

from alerts.models import Alert, AlertEvent, AlertGroup, AlertRoute, AlertRouteSource, AlertSource, AlertStatus, IncidentAlert

#: an alert's groups, as ``alert_group_ids`` renders them
GROUP_IDS = Prefetch("alert_groups", queryset=AlertGroup.objects.only("id").order_by("id"))


def alerts():
    """Alerts with the ids of their groups (one query more): every other field the API
    renders is on the row."""
    return Alert.objects.prefetch_related(GROUP_IDS)


#: the admin's order: firing before resolved, then the most recently seen
FIRING_FIRST = ("status_rank", "-last_seen_at", "-id")


def alerts_firing_first():
    """Alerts with their sources, ranked firing (0) before resolved (1) in ``status_rank``
    and ordered by ``FIRING_FIRST``."""
    rank = Case(When(status=AlertStatus.FIRING, then=Value(0)), default=Value(1), output_field=IntegerField())
    return Alert.objects.select_related("source").annotate(status_rank=rank).order_by(*FIRING_FIRST)


def sources():
    """Sources with a heartbeat's schedule joined (the API renders it)."""
    return AlertSource.objects.select_related("heartbeat").order_by("created_at", "id")


def events_of(alert: Alert, limit: int):
    """An alert's raw events, newest first, at most ``limit``."""
    return list(AlertEvent.objects.filter(alert=alert).order_by("-received_at", "-id")[:limit])


def routes():
    """Routes with what ``AlertRouteV2`` renders: severity, type, sources (one query more)."""
    return AlertRoute.objects.select_related("severity", "incident_type").prefetch_related(
        Prefetch("route_sources", queryset=AlertRouteSource.objects.order_by("id"))
    )


def incident_alerts():
    """Alerts attached to incidents, with the alert and the incident (and its status)
    joined: ``IncidentAlertV2`` needs nothing else. Narrow it with ``restrict()``."""
    return IncidentAlert.objects.select_related("alert", "incident__status").prefetch_related(
        Prefetch("alert__alert_groups", queryset=AlertGroup.objects.only("id").order_by("id"))
    )


def alerts_of_incident(incident_id: str):
    """An incident's alerts, firing first then the newest, with their sources."""
    rank = Case(When(alert__status=AlertStatus.FIRING, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        IncidentAlert.objects.filter(incident_id=incident_id)
        .select_related("alert__source", "route")
        .annotate(status_rank=rank)
        .order_by("status_rank", "-created_at", "-id")
    )


def routes_slim():
    """Routes as ``AlertRouteSlimV2`` lists them: three columns."""
    return AlertRoute.objects.only("id", "name", "enabled")
