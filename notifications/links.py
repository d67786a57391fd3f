"""Absolute links to a subscriber's pages, for emails (``settings.SITE_URL`` in front).

``unsubscribe_url`` is also the target of the RFC 8058 ``List-Unsubscribe-Post`` header:
a POST of ``List-Unsubscribe=One-Click`` to it unsubscribes at once."""

from django.conf import settings
from django.urls import reverse

from .models import Subscriber
from .tokens import Purpose, make_token


def path_of(name: str, subscriber: Subscriber, purpose: Purpose) -> str:
    """The link's path alone (what the site's own pages link to)."""
    return reverse(name, kwargs={"slug": subscriber.status_page.slug, "token": make_token(subscriber, purpose)})


def _absolute(name: str, subscriber: Subscriber, purpose: Purpose) -> str:
    return settings.SITE_URL + path_of(name, subscriber, purpose)


def unsubscribe_url(subscriber: Subscriber) -> str:
    return _absolute("notifications:unsubscribe", subscriber, Purpose.MANAGE)


def preferences_url(subscriber: Subscriber) -> str:
    return _absolute("notifications:preferences", subscriber, Purpose.MANAGE)


def confirm_url(subscriber: Subscriber) -> str:
    return _absolute("notifications:confirm", subscriber, Purpose.CONFIRM)
