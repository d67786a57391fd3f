"""API keys: issuing, changing, rotating and deleting them, and finding the key a token
opens.

Only a SHA-256 of each token is stored; the token is handed out once, on create and on
rotate. A key never hands out more than it holds. Every change is announced with
``signals.api_key_changed`` (with the hashes of the key's tokens), so nothing that
remembered the key keeps it past the change. Each change is one transaction that sends
the signal inside it, so its receivers' on-commit work (``core.acceleration``)
runs once the change is visible and before the caller answers: a request that starts
after the answer never sees the key as it was.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.exceptions import DomainError
from core.models import ApiKey, ApiRole
from core.services.actors import Actor, actor_fields
from core.signals import api_key_changed

#: how often a key's last_used_at is written at most
LAST_USED_RESOLUTION = timedelta(seconds=60)


def _new_token() -> str:
    return ApiKey.TOKEN_PREFIX + secrets.token_urlsafe(32)


def _check_roles(roles: Iterable[str], actor: Actor | None) -> list[str]:
    roles = list(dict.fromkeys(roles))
    unknown = [r for r in roles if r not in ApiRole.values]
    if unknown:
        raise DomainError("invalid_value", f"Unknown role(s): {', '.join(unknown)}", field="role_names")
    if isinstance(actor, ApiKey):
        # A key never hands out more than it holds.
        beyond = [r for r in roles if not actor.has_role(r)]
        if beyond:
            raise DomainError(
                "forbidden_role", f"This key cannot grant roles it does not hold: {', '.join(beyond)}", field="role_names"
            )
    return roles


def _changed(key: ApiKey, *token_hashes: str) -> None:
    api_key_changed.send(sender=ApiKey, key=key, token_hashes=[h for h in token_hashes if h])


def create_api_key(*, actor: Actor | None, name: str, roles: Iterable[str], comments: str = "") -> tuple[ApiKey, str]:
    """Create a key and return it with its token; only the token's hash is stored."""
    if not name or not name.strip():
        raise DomainError("missing_name", "An API key needs a name", field="name")
    token = _new_token()
    key = ApiKey.objects.create(
        name=name.strip(),
        comments=comments,
        roles=_check_roles(roles, actor),
        token_hash=ApiKey.hash_token(token),
        token_hint=token[-4:],
        token_last_issued_at=timezone.now(),
        **actor_fields(actor, "created_by"),
    )
    return key, token


@transaction.atomic
def update_api_key(*, key: ApiKey, actor: Actor | None, name: str, roles: Iterable[str], comments: str | None = None) -> ApiKey:
    key.name = name.strip()
    key.roles = _check_roles(roles, actor)
    if comments is not None:
        key.comments = comments
    key.save(update_fields=["name", "roles", "comments"])
    _changed(key, key.token_hash, key.previous_token_hash)
    return key


@transaction.atomic
def rotate_api_key(*, key: ApiKey, actor: Actor | None, grace_period_minutes: int = 0) -> tuple[ApiKey, str]:
    """Issue a new token. The old one keeps working for ``grace_period_minutes`` (0: it
    stops at once), so clients can roll over without downtime; a token an earlier
    rotation kept alive stops now."""
    token = _new_token()
    now = timezone.now()
    replaced = (key.token_hash, key.previous_token_hash)
    if grace_period_minutes > 0:
        key.previous_token_hash = key.token_hash
        key.previous_token_expires_at = now + timedelta(minutes=grace_period_minutes)
    else:
        key.previous_token_hash, key.previous_token_expires_at = "", None
    key.token_hash = ApiKey.hash_token(token)
    key.token_hint = token[-4:]
    key.token_last_issued_at = now
    key.save(update_fields=["token_hash", "token_hint", "token_last_issued_at", "previous_token_hash", "previous_token_expires_at"])
    _changed(key, *replaced)
    return key, token


@transaction.atomic
def delete_api_key(*, key: ApiKey, actor: Actor | None) -> None:
    hashes = (key.token_hash, key.previous_token_hash)
    key.delete()
    _changed(key, *hashes)


def find_api_key(token_hash: str, now: datetime) -> ApiKey | None:
    """The key whose current token, or whose replaced token still in its grace period,
    hashes to ``token_hash``."""
    return ApiKey.objects.filter(
        Q(token_hash=token_hash) | Q(previous_token_hash=token_hash, previous_token_expires_at__gt=now)
    ).first()


def record_use(key: ApiKey, now: datetime) -> bool:
    """Note that ``key`` was used at ``now``, at most once a minute (a conditional update:
    concurrent requests in the same minute write once at most). Returns whether this
    call wrote the row: not when another request did this minute, nor when the row is
    gone (a deleted key), so a caller re-caching the key on a write never brings back
    one that was deleted."""
    if key.last_used_at is not None and now - key.last_used_at < LAST_USED_RESOLUTION:
        return False
    stale = {"last_used_at__isnull": True} if key.last_used_at is None else {"last_used_at__lt": now - LAST_USED_RESOLUTION}
    written = ApiKey.objects.filter(pk=key.pk).filter(**stale).update(last_used_at=now)
    key.last_used_at = now
    return written == 1


def authenticate_token(token: str) -> ApiKey | None:
    """The key a token opens, or None; records its use."""
    if not token:
        return None
    now = timezone.now()
    key = find_api_key(ApiKey.hash_token(token), now)
    if key is not None:
        record_use(key, now)
    return key
