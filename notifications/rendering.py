"""An update's email: rendered once per update, then addressed to each subscriber.

The templates (``notifications/email/<event>.{subject,txt,html}``) know nothing of the
subscriber: their links are placeholders, replaced per address, so a batch renders
its update once however many it sends.

Threading: every email about one incident (or maintenance) to one subscriber forms one
thread. The incident's first notified update carries the thread's root ``Message-ID``
(``<incident-<id>.<subscriber>@domain>``); every later one names it in ``In-Reply-To``
and ``References``. Message-IDs are derived from (update, subscriber), so they are
stable: the same email sent twice (a crash between the server's acceptance and our
record of it) carries the same Message-ID, which mail clients fold into one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from core import acceleration
from core.markdown import markdown_to_text, render_markdown
from statuspages.models import MaintenanceUpdate, PageIncidentUpdate, UpdateComponentStatus
from statuspages.templatetags.status_pages import status_label

from .links import confirm_url, preferences_url, unsubscribe_url
from .models import Subscriber
from .selectors import Update, page_of

UNSUBSCRIBE = "__UNSUBSCRIBE_URL__"
PREFERENCES = "__PREFERENCES_URL__"


@dataclass(frozen=True)
class RenderedUpdate:
    """An update's email with placeholders for the subscriber's own links."""

    subject: str
    text: str
    html: str
    #: "incident-<id>" or "maintenance-<id>": the thread every email about it joins
    thread: str
    #: this update's part of its emails' Message-IDs ("" for the thread's first one)
    update_part: str


#: characters no header may carry: C0 and C1 controls, DEL, and the line and paragraph
#: separators some mail clients break lines at
_NOT_IN_HEADERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def header_text(text: str) -> str:
    """``text`` fit for a header such as the subject: plain text on one line, each control
    character or line break a space, runs of spaces one. Subject templates render with
    autoescape off (a header is not HTML); this keeps a name from starting a header."""
    return " ".join(_NOT_IN_HEADERS.sub(" ", text).split())


def message_id_domain() -> str:
    return settings.NOTIFICATIONS_MESSAGE_ID_DOMAIN or urlsplit(settings.SITE_URL).hostname or "localhost"


def _first_notified(updates, update) -> bool:
    first = updates.filter(notify_subscribers=True).order_by("published_at", "pk").values_list("pk", flat=True).first()
    return first is None or first == update.pk


def _incident_context(update: PageIncidentUpdate) -> dict:
    incident = update.page_incident
    latest: dict = {}
    said = (
        UpdateComponentStatus.objects.filter(update__page_incident=incident, update__published_at__lte=update.published_at)
        .select_related("component")
        .order_by("-update__published_at", "-update__pk")
    )
    for moved in said:  # latest word on each component first
        latest.setdefault(moved.component_id, (moved.component.name, status_label(moved.status)))
    return {
        "event": "incident_update",
        "item": incident,
        "status_label": status_label(update.status),
        "components": sorted(latest.values()),
        "url": settings.SITE_URL + reverse("statuspages:incident", args=[incident.status_page.slug, incident.pk]),
        "thread": f"incident-{incident.pk}",
        "first": _first_notified(incident.updates, update),
    }


def _maintenance_context(update: MaintenanceUpdate) -> dict:
    maintenance = update.maintenance
    label = status_label(update.status)
    return {
        "event": "maintenance_update",
        "item": maintenance,
        "status_label": label,
        "components": [(component.name, label) for component in maintenance.components.order_by("name", "pk")],
        "url": settings.SITE_URL + reverse("statuspages:maintenance", args=[maintenance.status_page.slug, maintenance.pk]),
        "thread": f"maintenance-{maintenance.pk}",
        "first": _first_notified(maintenance.updates, update),
    }


def render_update(update: Update) -> RenderedUpdate:
    """Render ``update``'s email once (a few queries), for every subscriber, in the page's
    default language (``StatusPage.default_language``)."""
    with translation.override(page_of(update).default_language):
        return _render_update(update)


def _render_update(update: Update) -> RenderedUpdate:
    context = _incident_context(update) if isinstance(update, PageIncidentUpdate) else _maintenance_context(update)
    context.update(
        page=page_of(update),
        update=update,
        message_html=render_markdown(update.message),
        # The text part reads as text: the markdown rendered and sanitised, then flattened.
        message_text=markdown_to_text(update.message),
        unsubscribe_url=UNSUBSCRIBE,
        preferences_url=PREFERENCES,
    )
    event = context["event"]
    subject = header_text(render_to_string(f"notifications/email/{event}.subject", context))
    return RenderedUpdate(
        subject=subject,
        text=render_to_string(f"notifications/email/{event}.txt", context),
        html=render_to_string(f"notifications/email/{event}.html", context),
        thread=context["thread"],
        update_part="" if context["first"] else f".u{update.pk}",
    )


def build_message(rendered: RenderedUpdate, subscriber: Subscriber, *, connection=None) -> EmailMultiAlternatives:
    """``rendered`` addressed to ``subscriber``: their links, their thread's headers."""
    return addressed(
        rendered, email=subscriber.email, key=str(subscriber.pk),
        unsubscribe=unsubscribe_url(subscriber), preferences=preferences_url(subscriber), connection=connection,
    )


def message_id(rendered: RenderedUpdate, key: str) -> str:
    return f"<{rendered.thread}{rendered.update_part}.{key}@{message_id_domain()}>"


def addressed(rendered: RenderedUpdate, *, email: str, key: str, unsubscribe: str, preferences: str, connection=None) -> EmailMultiAlternatives:
    """``rendered`` to ``email`` with these links; ``key`` (the subscriber's id) makes the
    Message-IDs."""
    root = f"<{rendered.thread}.{key}@{message_id_domain()}>"
    headers = {
        "Message-ID": message_id(rendered, key),
        # RFC 8058: mail clients offer a one-click unsubscribe that POSTs to this address.
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    if rendered.update_part:
        headers["In-Reply-To"] = headers["References"] = root
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text.replace(UNSUBSCRIBE, unsubscribe).replace(PREFERENCES, preferences),
        from_email=settings.NOTIFICATIONS_FROM_EMAIL,
        to=[email],
        reply_to=settings.NOTIFICATIONS_REPLY_TO,
        headers=headers,
        connection=connection,
    )
    html = rendered.html.replace(UNSUBSCRIBE, escape(unsubscribe)).replace(PREFERENCES, escape(preferences))
    message.attach_alternative(html, "text/html")
    return message


def confirmation_message(subscriber: Subscriber, connection=None) -> EmailMultiAlternatives:
    """The confirmation email, or the reminder of an address already subscribed (which
    one is decided when it is sent: an address that confirmed meanwhile gets the reminder)."""
    page = subscriber.status_page
    with translation.override(page.default_language):
        return _confirmation_message(subscriber, page, connection)


def _confirmation_message(subscriber: Subscriber, page, connection) -> EmailMultiAlternatives:
    kind = "already_subscribed" if subscriber.is_notifiable else "confirm"
    context = {
        "page": page,
        "subscriber": subscriber,
        "page_url": settings.SITE_URL + reverse("statuspages:page", args=[page.slug]),
        "confirm_url": confirm_url(subscriber),
        "preferences_url": preferences_url(subscriber),
        "unsubscribe_url": unsubscribe_url(subscriber),
    }
    message = EmailMultiAlternatives(
        subject=header_text(render_to_string(f"notifications/email/{kind}.subject", context)),
        body=render_to_string(f"notifications/email/{kind}.txt", context),
        to=[subscriber.email],
        connection=connection,
    )
    message.attach_alternative(render_to_string(f"notifications/email/{kind}.html", context), "text/html")
    return message


class Messages:
    """How a batch builds and sends its emails: notifications' part of the acceleration
    backend (``core.acceleration``; accelerated: ``notifications.accel``). Plain: Django
    builds every message."""

    def sender(self, rendered: RenderedUpdate, connection) -> Callable[[Subscriber], str]:
        """A function that sends ``rendered`` to one subscriber over ``connection`` (open
        by then) and answers the message's Message-ID."""

        def send(subscriber: Subscriber) -> str:
            message = build_message(rendered, subscriber, connection=connection)
            connection.send_messages([message])
            return message.extra_headers["Message-ID"]

        return send


def messages() -> Messages:
    return acceleration.part(Messages)
