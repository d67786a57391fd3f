"""Signed tokens in the links of subscriber emails: no login, no table.

A token is ``django.core.signing`` over the subscriber's id, salted per purpose, so a
confirmation token cannot unsubscribe and the other way round. A confirmation token also
carries the subscriber's ``link_version``, which every suppression (unsubscribing, hard
bounces) moves on: a confirmation link from before the address left confirms nothing,
and the suppression stays until the address asks again and confirms the new link. Subscriber ids are ULIDs
never reused: a token dies with its row, and an address deleted and subscribed again gets
a new id that no old link names. Confirmation links expire (``CONFIRM_MAX_AGE``); the
unsubscribe and preferences links of a notification do not, since RFC 8058 expects the
one-click link of any email a subscriber kept to keep working.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from django.core import signing

from .models import Subscriber

#: how long a confirmation link works
CONFIRM_MAX_AGE = timedelta(days=7)


class Purpose(StrEnum):
    CONFIRM = "confirm"
    #: unsubscribing, and the preferences page (which also offers to leave)
    MANAGE = "manage"


class InvalidToken(Exception):
    """Forged, expired, of another purpose, or naming a subscriber that no longer exists."""


def _salt(purpose: Purpose) -> str:
    return f"notifications.subscriber.{purpose}"


def make_token(subscriber: Subscriber, purpose: Purpose) -> str:
    payload = [subscriber.pk, subscriber.link_version] if purpose is Purpose.CONFIRM else subscriber.pk
    return signing.dumps(payload, salt=_salt(purpose), compress=False)


def _named(payload, purpose: Purpose) -> tuple[str | None, int]:
    """The subscriber id and link version a token's payload names (a confirmation token
    from before versions, a bare id, is version 0)."""
    if isinstance(payload, str):
        return payload, 0
    if purpose is Purpose.CONFIRM and isinstance(payload, list) and len(payload) == 2:
        pk, version = payload
        if isinstance(pk, str) and type(version) is int:
            return pk, version
    return None, 0


def read_token(token: str, purpose: Purpose) -> Subscriber:
    """The subscriber a token names, or ``InvalidToken`` (a confirmation token also when
    the subscriber was suppressed after it was made)."""
    max_age = CONFIRM_MAX_AGE if purpose is Purpose.CONFIRM else None
    try:
        pk = signing.loads(token, salt=_salt(purpose), max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is one
        raise InvalidToken(token) from None
    pk, version = _named(pk, purpose)
    subscriber = Subscriber.objects.select_related("status_page").filter(pk=pk).first() if pk else None
    if subscriber is None or (purpose is Purpose.CONFIRM and subscriber.link_version != version):
        raise InvalidToken(token)
    return subscriber
