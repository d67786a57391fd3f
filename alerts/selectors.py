"""Reads several callers share: the API's alert lists, the admin's."""

from django.db.models import Case, IntegerField, Value, When

from alerts.models import Alert, AlertEvent, AlertSource, AlertStatus


def alerts():
    """Alerts with nothing joined: every field the API renders is on the row."""
    return Alert.objects.all()


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
