"""Celery entry points of the status pages (beat runs them on a schedule: config/settings.py)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def advance_maintenance() -> int:
    """Start and complete automated maintenance at its window's edges (every minute)."""
    return services.advance_due_maintenance()
