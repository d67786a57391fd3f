"""Confirmation emails of double opt-in: one for an address asking on the form, many
(over one SMTP connection) for an import that did not vouch for its addresses.

A subscribed address that asks again is sent a reminder with its preferences link in the
same way (``request_subscription`` decides nothing by the answer it gives, only by what it
sends). Temporary SMTP failures (connection errors, 4xx) are retried with exponential
backoff and jitter; a permanent one (5xx) for an address is logged and not retried.
These emails carry no exactly-once guarantee: a worker killed after the SMTP server
accepted a message, before the task was acknowledged, sends that confirmation again.
"""

from __future__ import annotations

import logging
import random
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from notifications.links import confirm_url, preferences_url, unsubscribe_url
from notifications.models import Subscriber
from notifications.rendering import header_text

log = logging.getLogger(__name__)

MAX_RETRIES = 8
#: seconds before the first retry; doubled each time, at most ``BACKOFF_MAX``, with full jitter
BACKOFF_BASE = 30
BACKOFF_MAX = 60 * 60


def is_permanent(exc: Exception) -> bool:
    """A 5xx answer about the message or its recipient: retrying cannot help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def backoff(retries: int) -> int:
    return random.randint(1, min(BACKOFF_MAX, BACKOFF_BASE * 2**retries))


def confirmation_message(subscriber: Subscriber, connection=None) -> EmailMultiAlternatives:
    """The confirmation email, or the reminder of an address already subscribed."""
    page = subscriber.status_page
    kind = "already_subscribed" if subscriber.is_notifiable else "confirm"
    context = {
        "page": page,
        "subscriber": subscriber,
        "page_url": settings.SITE_URL + reverse("statuspages:page", args=[page.slug]),
        "confirm_url": confirm_url(subscriber),
        "preferences_url": preferences_url(subscriber),
        "unsubscribe_url": unsubscribe_url(subscriber),
    }
    subject = header_text(render_to_string(f"notifications/email/{kind}.subject", context))
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"notifications/email/{kind}.txt", context),
        to=[subscriber.email],
        connection=connection,
    )
    message.attach_alternative(render_to_string(f"notifications/email/{kind}.html", context), "text/html")
    return message


def _load(ids) -> list[Subscriber]:
    return list(Subscriber.objects.filter(pk__in=ids).select_related("status_page").order_by("pk"))


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=MAX_RETRIES)
def send_confirmation(self, subscriber_id: str) -> None:
    """Send one subscriber its confirmation (or reminder) email."""
    found = _load([subscriber_id])
    if not found:
        return  # deleted meanwhile
    try:
        confirmation_message(found[0]).send()
    except Exception as exc:
        if is_permanent(exc):
            log.warning("confirmation to subscriber %s refused: %s", subscriber_id, exc)
            return
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=MAX_RETRIES)
def send_confirmations(self, subscriber_ids: list[str]) -> None:
    """Send many subscribers their confirmation emails over one SMTP connection; after a
    temporary failure the task is retried with the addresses not yet sent."""
    subscribers = _load(subscriber_ids)
    connection = get_connection()
    with connection:
        for position, subscriber in enumerate(subscribers):
            try:
                confirmation_message(subscriber, connection).send()
            except Exception as exc:
                if is_permanent(exc):
                    log.warning("confirmation to subscriber %s refused: %s", subscriber.pk, exc)
                    continue
                rest = [s.pk for s in subscribers[position:]]
                raise self.retry(args=(rest,), exc=exc, countdown=backoff(self.request.retries)) from exc
