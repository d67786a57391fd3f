"""Every write of the notifications app, one module per domain."""

from . import chat, confirmations, delivery, webhook_delivery, webhooks
from .delivery import fan_out, record_hard_bounce, retry_failed, send_batch, sweep
from .subscribers import (
    ImportResult,
    SubscribeRateLimited,
    add_subscriber,
    change_components,
    confirm,
    delete_subscriber,
    import_subscribers,
    normalise_email,
    request_subscription,
    unsubscribe,
)

__all__ = [
    "chat",
    "confirmations",
    "delivery",
    "webhook_delivery",
    "webhooks",
    "fan_out",
    "record_hard_bounce",
    "retry_failed",
    "send_batch",
    "sweep",
    "ImportResult",
    "SubscribeRateLimited",
    "add_subscriber",
    "change_components",
    "confirm",
    "delete_subscriber",
    "import_subscribers",
    "normalise_email",
    "request_subscription",
    "unsubscribe",
]
