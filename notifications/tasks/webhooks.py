"""Celery entry point of webhook deliveries: one task per (message, endpoint), so a slow
or dead endpoint holds up no other. Acknowledged late: a worker killed mid-POST leaves
the message to be delivered again, and the claim (``services.webhook_delivery``) makes
sure only one worker sends at a time; the retry schedule lives in the row, and the sweep
re-enqueues whatever the broker lost."""

from celery import shared_task

from notifications.services import webhook_delivery


@shared_task(bind=True, acks_late=True, ignore_result=True)
def deliver_webhook(self, delivery_id: int) -> bool:
    """POST one delivery; after a failure, come back when its next attempt is due."""
    outcome = webhook_delivery.deliver(delivery_id=delivery_id)
    if outcome is not None and outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in, max_retries=None)
    return bool(outcome and outcome.sent)
