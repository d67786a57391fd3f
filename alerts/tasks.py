"""Celery entry points of the alerts app."""

from celery import shared_task

from alerts import services


@shared_task
def purge_alert_events() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): raw events past their retention go."""
    return services.purge_alert_events()


@shared_task
def check_heartbeats() -> int:
    """Every ALERTS_HEARTBEAT_CHECK_SECONDS (CELERY_BEAT_SCHEDULE): heartbeats past due fire."""
    return services.check_heartbeats()
