"""Celery entry points of the audit log."""

from celery import shared_task

from audit import services


@shared_task(acks_late=True, ignore_result=True)
def purge_audit_log() -> int:
    """Hourly (CELERY_BEAT_SCHEDULE): entries past AUDIT_LOG_RETENTION_DAYS go."""
    return services.purge_audit_log()
