"""Confirmation emails of double opt-in: ids in, the outbox service sends what it claims
(``services.confirmations``). One subscriber asking on the form gets a task of its own;
an import's new addresses come in tasks of many, over one SMTP connection.

A temporary SMTP failure (connection errors, 4xx) puts the rows back with a backoff
and the task is retried after it, ``NOTIFICATIONS_MAX_RETRIES`` times; the sweep keeps
trying after that. A permanent one (5xx) fails the row. A task arriving twice (the sweep
re-enqueued a row whose message was only late) finds nothing left to claim.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from notifications.services import confirmations


def _send(task, subscriber_ids: list[str]) -> int:
    outcome = confirmations.send_owed(subscriber_ids=subscriber_ids)
    if outcome.retry_in is not None and task.request.retries < settings.NOTIFICATIONS_MAX_RETRIES:
        raise task.retry(countdown=outcome.retry_in, max_retries=settings.NOTIFICATIONS_MAX_RETRIES)
    return outcome.sent


@shared_task(bind=True, acks_late=True, ignore_result=True)
def send_confirmation(self, subscriber_id: str) -> int:
    """Send one subscriber the confirmation (or reminder) it is owed."""
    return _send(self, [subscriber_id])


@shared_task(bind=True, acks_late=True, ignore_result=True)
def send_confirmations(self, subscriber_ids: list[str]) -> int:
    """Send many subscribers the confirmations they are owed, over one SMTP connection."""
    return _send(self, subscriber_ids)
