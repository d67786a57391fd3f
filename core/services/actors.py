"""Who changes something: a staff user (admin, commands) or an API key."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from core.models import ApiKey

Actor = AbstractBaseUser | ApiKey


def actor_fields(actor: Actor | None, prefix: str) -> dict:
    """The two columns (``<prefix>_user``, ``<prefix>_api_key``) that record ``actor``."""
    if isinstance(actor, ApiKey):
        return {f"{prefix}_api_key": actor, f"{prefix}_user": None}
    return {f"{prefix}_user": actor, f"{prefix}_api_key": None}
