"""Sending webhook deliveries: signed, retried for a day, logged, exactly once per
(message, endpoint) as far as we can tell.

Rules enforced here:
- a delivery is sent only by the worker that won it by one conditional UPDATE (queued
  and due, or a claim that ran out because its worker died), as email deliveries are;
- each POST carries the Standard Webhooks headers: ``webhook-id`` (the message's, the same
  on every retry and to every endpoint), ``webhook-timestamp`` (now), ``webhook-signature``
  (one ``v1,`` signature per valid secret);
- redirects are never followed (a 3xx is a failure); a 2xx is success; a 410 disables the
  endpoint; anything else, or no answer within ``WEBHOOK_TIMEOUT_SECONDS``, is retried on
  the Standard Webhooks schedule (``WEBHOOK_RETRY_SCHEDULE``: seconds after the event, with
  jitter) or when the receiver's ``Retry-After`` says, and fails after the last try;
- the URL's host is resolved once and an address inside (loopback, private, link-local,
  metadata) is refused for good unless ``WEBHOOK_ALLOWED_HOSTS`` names the host
  (``notifications.outbound``); the POST goes to the address that was checked;
- every attempt is logged (status, duration, the answer's first bytes); each delivery is
  its own task, so a slow or dead endpoint delays no other.
"""

from __future__ import annotations

import email.utils
import logging
import math
import random
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .. import outbound, signing
from ..models import DeliveryState, WebhookAttempt, WebhookDelivery
from ..signals import webhook_deliveries_owed
from . import failing

log = logging.getLogger(__name__)

USER_AGENT = "incident-tracker-webhooks/1"


@dataclass
class Outcome:
    sent: bool = False
    #: seconds until the next attempt is due, when there is one
    retry_in: float | None = None


class _NoAnswer(Exception):
    """Nothing was sent (the host did not resolve): the attempt has its error already."""


def claimable(now) -> Q:
    due = Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    return Q(state=DeliveryState.QUEUED) & due | Q(state=DeliveryState.SENDING, claimed_until__lte=now)


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """A ``Retry-After`` header's delay: seconds, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        # Seconds; Discord sends fractions ("0.35").
        seconds = float(value)
        return max(seconds, 0.0) if math.isfinite(seconds) else None
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((when - now).total_seconds(), 0.0) if when.tzinfo else None


def next_attempt_at(delivery: WebhookDelivery, now: datetime, retry_after: float | None) -> datetime | None:
    """When to try again after ``delivery.attempts`` tries, or None: give up. The
    schedule's offsets count from the event, each with ±10% jitter; a ``Retry-After``
    wins (within the schedule's last offset)."""
    schedule = settings.WEBHOOK_RETRY_SCHEDULE
    if delivery.attempts >= len(schedule):
        return None
    end = delivery.created_at + timedelta(seconds=schedule[-1] * 1.1)
    if retry_after is not None:
        return min(now + timedelta(seconds=retry_after), max(end, now))
    offset = schedule[delivery.attempts] * random.uniform(0.9, 1.1)
    return max(delivery.created_at + timedelta(seconds=offset), now)


@contextmanager
def unflushed_commit():
    """A transaction whose commit does not wait for the disk (PostgreSQL's
    ``synchronous_commit = off``, for this transaction only): it is visible to every other
    worker at once, so claims hold as before; only a database crash within a fraction of
    a second could forget it, and then the delivery is sent again under its same
    ``webhook-id``, which receivers de-duplicate on (Standard Webhooks' rule). The waits
    were most of a delivery's time (bench/webhooks_bench.py)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


def deliver(*, delivery_id) -> Outcome | None:
    """Try to send one delivery, if this worker wins it; None when it did not."""
    now, token = timezone.now(), uuid.uuid4().hex
    lease = timedelta(seconds=settings.NOTIFICATIONS_CLAIM_SECONDS)
    won = (
        WebhookDelivery.objects.filter(pk=delivery_id)
        .filter(claimable(now))
        .update(state=DeliveryState.SENDING, claimed_until=now + lease, claim_token=token, attempts=F("attempts") + 1)
    )
    if not won:
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint", "message").get(pk=delivery_id)
    endpoint, message = delivery.endpoint, delivery.message
    mine = WebhookDelivery.objects.filter(pk=delivery.pk, claim_token=token)
    if not endpoint.enabled:
        mine.update(state=DeliveryState.SKIPPED, claimed_until=None, error="Endpoint disabled")
        return Outcome()
    body = message.body.encode()
    headers = {
        **signing.headers(endpoint.signing_secrets(), message.msg_id, int(time.time()), body),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }
    attempt = WebhookAttempt(endpoint=endpoint, delivery=delivery, created_at=timezone.now())
    retry_after = None
    started = time.monotonic()
    try:
        target = outbound.pin(endpoint.url)
    except outbound.Refused as exc:
        attempt.error = str(exc)[:500]
        attempt.save()
        mine.update(state=DeliveryState.FAILED, claimed_until=None, error=attempt.error)
        log.warning("Webhook delivery %s refused: %s", delivery.pk, exc)
        failing.record_failure(endpoint, "refused: an address inside")
        return Outcome()
    except (OSError, UnicodeError, httpx.InvalidURL) as exc:
        target, attempt.error = None, f"Cannot resolve the host: {exc}"[:500]
    try:
        if target is None:
            raise _NoAnswer
        with (
            httpx.Client(
                timeout=settings.WEBHOOK_TIMEOUT_SECONDS, follow_redirects=False, verify=outbound.tls_context()
            ) as client,
            client.stream(
                "POST",
                target.url,
                content=body,
                headers={**headers, "host": target.host_header},
                extensions={"sni_hostname": target.server_name},
            ) as response,
        ):
            attempt.status_code = response.status_code
            first = b""
            for chunk in response.iter_bytes():
                first += chunk
                if len(first) >= 500:
                    break
            attempt.response = first[:500].decode(errors="replace")
            if response.status_code in (429, 503):
                retry_after = retry_after_seconds(response.headers.get("retry-after"), timezone.now())
    except httpx.HTTPError as exc:
        attempt.error = (str(exc) or type(exc).__name__)[:500]
    except _NoAnswer:
        pass
    attempt.duration_ms = int((time.monotonic() - started) * 1000)
    code = attempt.status_code
    attempt.succeeded = code is not None and 200 <= code < 300
    if attempt.succeeded:
        # The attempt and the outcome in one commit (it was two).
        with unflushed_commit():
            attempt.save()
            mine.update(state=DeliveryState.SENT, sent_at=timezone.now(), claimed_until=None, error="")
            failing.record_success(endpoint)
        return Outcome(sent=True)
    attempt.save()
    reason = f"HTTP {code}" if code is not None else attempt.error
    if code is not None and 300 <= code < 400:
        reason += " (redirects are not followed)"
    if code == 410:
        mine.update(state=DeliveryState.FAILED, claimed_until=None, error=reason)
        failing.disable(endpoint, "The endpoint answered 410 Gone")
        log.warning("Webhook endpoint %s answered 410: disabled", endpoint.pk)
        return Outcome()
    if failing.record_failure(endpoint, reason):
        mine.update(state=DeliveryState.SKIPPED, claimed_until=None, error=f"{reason}; endpoint disabled")
        return Outcome()
    now = timezone.now()
    due = next_attempt_at(delivery, now, retry_after)
    if due is None:
        mine.update(state=DeliveryState.FAILED, claimed_until=None, error=reason)
        return Outcome()
    mine.update(state=DeliveryState.QUEUED, claimed_until=due, claim_token="", error=reason)
    return Outcome(retry_in=(due - now).total_seconds())


def sweep() -> int:
    """Re-enqueue deliveries nobody works on: claims that ran out, retries long past
    due, queued rows whose task never came. Duplicates are harmless (claims)."""
    now = timezone.now()
    period = timedelta(seconds=settings.NOTIFICATIONS_SWEEP_SECONDS)
    lease = timedelta(seconds=settings.NOTIFICATIONS_CLAIM_SECONDS)
    stale = WebhookDelivery.objects.filter(
        Q(state=DeliveryState.SENDING, claimed_until__lte=now)
        | Q(state=DeliveryState.QUEUED, claimed_until__lte=now - period)
        | Q(state=DeliveryState.QUEUED, claimed_until__isnull=True, created_at__lte=now - lease)
    )
    ids = list(stale.order_by("id").values_list("pk", flat=True)[:10000])
    if ids:
        webhook_deliveries_owed.send(sender=WebhookDelivery, delivery_ids=ids)
    return len(ids)
