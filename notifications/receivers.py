"""What notifications does when the status pages publish: enqueue, nothing else.

``update_published`` is sent once the publishing transaction has committed. Its
receiver hands the fan-out to the broker in the background (``enqueue``), so publishing
returns at once even when the broker is slow or down. If the message is lost, the
update still has no ``notified_at`` and the periodic sweep enqueues it when the broker
answers again.
"""

from concurrent.futures import Future

from django.dispatch import receiver

from statuspages.signals import update_published

from .enqueue import in_background
from .selectors import Update
from .services.delivery import kind_of


def _send_fan_out(kind: str, update_id: str) -> None:
    from .tasks import fan_out

    fan_out.apply_async((kind, update_id), retry=False)


def enqueue_fan_out(update: Update) -> Future | None:
    """Ask a worker to email ``update``'s subscribers, without waiting for the broker."""
    return in_background(_send_fan_out, kind_of(update), str(update.pk))


@receiver(update_published)
def on_update_published(sender, update, **kwargs):
    enqueue_fan_out(update)
