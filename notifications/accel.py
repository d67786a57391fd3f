"""Notifications' speed-only part of the acceleration backend (``core.accel``): a batch's
MIME message built once.

Building and serialising a two-part MIME message with Django and the email package costs
more CPU than handing it to the SMTP server. Every email of a batch differs only in its
address, its Message-IDs and its links, so ``PrebuiltMessages`` serialises the batch's
message once with placeholders (ASCII tokens no encoder touches) and swaps each
subscriber's values into the bytes. Whenever that could differ from the plain path (a
body the email package chose to encode as quoted-printable or base64, a non-ASCII
address, a link that HTML escaping would change), it answers None and the caller builds
that message the plain way (``rendering.Messages``), so both paths send the same
message; tests compare them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.utils.html import escape

from core.acceleration import accelerates

from .links import preferences_url, unsubscribe_url
from .models import Subscriber
from .rendering import Messages, RenderedUpdate, addressed, message_id

_TO = "x0to0x@placeholder.invalid"
_KEY = "x0subscriber0x"
_UNSUBSCRIBE = "https://x0unsubscribe0x.invalid/"
_PREFERENCES = "https://x0preferences0x.invalid/"


class PrebuiltMessages:
    def __init__(self, rendered: RenderedUpdate):
        self.rendered = rendered
        template = addressed(rendered, email=_TO, key=_KEY, unsubscribe=_UNSUBSCRIBE, preferences=_PREFERENCES)
        self.sender = sanitize_address(template.from_email, template.encoding or "utf-8")
        self.template = template.message().as_bytes(linesep="\r\n")
        encoded = b"quoted-printable" in self.template.lower() or b"base64" in self.template.lower()
        intact = all(token.encode() in self.template for token in (_TO, _KEY, _UNSUBSCRIBE, _PREFERENCES))
        self.usable = intact and not encoded

    def payload(self, subscriber: Subscriber) -> tuple[bytes, str] | None:
        """The bytes to send to ``subscriber`` and their Message-ID, or None: build it
        the plain way."""
        if not self.usable or not subscriber.email.isascii():
            return None
        unsubscribe, preferences = unsubscribe_url(subscriber), preferences_url(subscriber)
        if escape(unsubscribe) != unsubscribe or escape(preferences) != preferences:
            return None
        key = str(subscriber.pk)
        data = (
            self.template.replace(_TO.encode(), subscriber.email.encode())
            .replace(_KEY.encode(), key.encode())
            .replace(_UNSUBSCRIBE.encode(), unsubscribe.encode())
            .replace(_PREFERENCES.encode(), preferences.encode())
        )
        return data, message_id(self.rendered, key)


@accelerates(Messages)
class PrebuiltBatches(Messages):
    def sender(self, rendered: RenderedUpdate, connection) -> Callable[[Subscriber], str]:
        """Over SMTP, the batch's message serialised once and each subscriber's bytes
        handed to the server; any other connection (the file and test backends) gets
        Django's messages."""
        plain = super().sender(rendered, connection)
        if not isinstance(connection, SmtpBackend):
            return plain
        prebuilt = PrebuiltMessages(rendered)

        def send(subscriber: Subscriber) -> str:
            payload = prebuilt.payload(subscriber)
            if payload is None:
                return plain(subscriber)
            data, sent_id = payload
            connection.connection.sendmail(prebuilt.sender, [subscriber.email], data)
            return sent_id

        return send
