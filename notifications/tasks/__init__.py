"""Celery entry points of the notifications app (ids in, load, call or send), one module
per domain."""

from .confirmation import send_confirmation, send_confirmations
from .delivery import fan_out, send_batch, sweep_notifications
from .webhooks import deliver_webhook

__all__ = ["deliver_webhook", "fan_out", "send_batch", "send_confirmation", "send_confirmations", "sweep_notifications"]
