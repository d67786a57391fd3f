"""What notifications does when the status pages publish: enqueue, nothing else.

``update_published`` is sent once the publishing transaction has committed. Its
receiver hands the fan-out to the broker from a background thread, so publishing returns
at once even when the broker is slow or down (kombu spends seconds failing to connect to
a dead Redis). If the message is lost, the update still has no ``notified_at`` and the
periodic sweep enqueues it when the broker answers again.
"""

import logging
from concurrent.futures import Future, ThreadPoolExecutor

from celery import current_app
from django.dispatch import receiver

from statuspages.signals import update_published

from .selectors import Update
from .services.delivery import kind_of

log = logging.getLogger(__name__)

# One thread: messages leave in publishing order; at exit Python waits for it to finish.
_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notifications-enqueue")


def _enqueue_fan_out(kind: str, update_id: str) -> None:
    from .tasks import fan_out

    try:
        fan_out.apply_async((kind, update_id), retry=False)
    except Exception:
        log.warning("Could not enqueue the emails of %s update %s; the sweep will", kind, update_id, exc_info=True)


def enqueue_fan_out(update: Update) -> Future | None:
    """Ask a worker to email ``update``'s subscribers, without waiting for the broker
    (eager mode, as in tests, runs it here and now)."""
    args = (kind_of(update), str(update.pk))
    if current_app.conf.task_always_eager:
        _enqueue_fan_out(*args)
        return None
    return _background.submit(_enqueue_fan_out, *args)


@receiver(update_published)
def on_update_published(sender, update, **kwargs):
    enqueue_fan_out(update)
