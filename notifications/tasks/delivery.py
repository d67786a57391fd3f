"""Celery entry points of the emails to subscribers: ids in, a service does the work.

All acknowledge late (``CELERY_TASK_ACKS_LATE``): a worker killed mid-task leaves its
message to be delivered again, which is safe since a batch only sends rows it claims.
"""

import logging

from celery import shared_task
from django.conf import settings

from notifications.services import confirmations, delivery, webhook_delivery

log = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def fan_out(kind: str, update_id: str) -> int:
    """Record one delivery per subscriber the update reaches and enqueue their batches."""
    return delivery.fan_out(kind=kind, update_id=update_id)


@shared_task(bind=True, acks_late=True, ignore_result=True)
def send_batch(self, kind: str, update_id: str, first_subscriber_id: str, last_subscriber_id: str) -> int:
    """Send one batch over one SMTP connection; after a temporary failure, try again
    when the rows' backoff ends (past ``NOTIFICATIONS_MAX_RETRIES``, the sweep goes on)."""
    outcome = delivery.send_batch(
        kind=kind, update_id=update_id, first_subscriber_id=first_subscriber_id, last_subscriber_id=last_subscriber_id
    )
    if outcome.retry_in is not None and self.request.retries < settings.NOTIFICATIONS_MAX_RETRIES:
        raise self.retry(countdown=outcome.retry_in, max_retries=settings.NOTIFICATIONS_MAX_RETRIES)
    return outcome.sent


@shared_task(acks_late=True, ignore_result=True)
def sweep_notifications() -> dict:
    """Re-enqueue what the broker lost (periodic: CELERY_BEAT_SCHEDULE): fan-outs,
    batches, confirmation emails and webhook deliveries."""
    return {**delivery.sweep(), "confirmations": confirmations.sweep(), "webhooks": webhook_delivery.sweep()}
