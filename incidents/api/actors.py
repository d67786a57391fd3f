"""Helpers both dialects share for people and keys (functions, never base classes).

``user_shape`` and ``actor_shape`` are the only definitions of UserV1/UserV2 and
ActorV1/ActorV2 (the two dialects' shapes are the same here: we have no Slack ids):
our OpenAPI document describes them with incident.io's components (``incidents.api.openapi``)."""

from core.models import ApiKey


def user_role(user) -> str:
    """incident.io's base role for a Django user."""
    if not user.is_active:
        return "unset"
    if user.is_superuser:
        return "owner"
    if user.is_staff:
        return "responder"
    return "viewer"


def user_name(user) -> str:
    return user.get_full_name() or user.get_username()


def user_shape(user) -> dict | None:
    if user is None:
        return None
    shape = {"id": str(user.pk), "name": user_name(user), "role": user_role(user)}
    if user.email:
        shape["email"] = user.email
    return shape


def actor_shape(actor) -> dict:
    """ActorV1/ActorV2: {"user": ...} or {"api_key": ...}; {} when nobody is known
    (a command or a migration did it)."""
    if actor is None:
        return {}
    if isinstance(actor, ApiKey):
        return {"api_key": {"id": actor.pk, "name": actor.name}}
    return {"user": user_shape(actor)}
