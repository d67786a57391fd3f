"""Every write of the notifications app, one module per domain."""

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
