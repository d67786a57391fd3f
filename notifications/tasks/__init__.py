"""Celery entry points of the notifications app (ids in, load, call or send)."""

from .confirmation import send_confirmation, send_confirmations

__all__ = ["send_confirmation", "send_confirmations"]
