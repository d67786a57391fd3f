"""Emailing subscribers about published updates, exactly once.

Rules enforced here:
- record before you send: the fan-out creates one ``Delivery`` per (update, subscriber)
  (unique in the database, so running it twice creates nothing new) before any batch
  sends, then stamps the update's ``notified_at`` (the outbox mark);
- a batch sends only the rows it won by one conditional UPDATE (queued rows, or rows
  whose claim ran out because their worker died), and re-checks at that moment that each
  address still wants the update: an unsubscribed address gets nothing more, even from
  a fan-out under way;
- each row is marked sent right after the SMTP server accepts its message;
- a temporary failure (a 4xx, a dead or unreachable server) puts the unsent rows back
  in the queue with a not-before time (exponential backoff with jitter): nothing is lost;
- a permanent one (5xx) fails the row with the server's reason, and an address that
  hard-bounces ``NOTIFICATIONS_SUPPRESS_AFTER_BOUNCES`` times in a row is suppressed;
- the sweep re-enqueues whatever the broker lost: updates whose fan-out never finished,
  and rows nobody is working on.
"""

from __future__ import annotations

import logging
import random
import smtplib
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from statuspages.models import MaintenanceUpdate, PageIncidentUpdate

from ..models import Delivery, DeliveryState, Subscriber, Suppression
from ..rendering import messages, render_update
from ..selectors import Update, is_public, notifiable_subscribers
from ..signals import batch_owed, fan_out_owed

log = logging.getLogger(__name__)

#: a task names an update by its kind and id
KINDS = {"incident": PageIncidentUpdate, "maintenance": MaintenanceUpdate}
_FIELDS = {"incident": "incident_update_id", "maintenance": "maintenance_update_id"}
_RELATED = {"incident": "page_incident__status_page", "maintenance": "maintenance__status_page"}


def kind_of(update: Update) -> str:
    return "incident" if isinstance(update, PageIncidentUpdate) else "maintenance"


def load_update(kind: str, update_id) -> Update | None:
    return KINDS[kind].objects.select_related(_RELATED[kind]).filter(pk=update_id).first()


def _enqueue_batch(kind: str, update_id, first, last) -> None:
    # The fan-out and the sweep run outside any transaction (a worker's): the rows are
    # committed by now, and the receiver enqueues at once.
    batch_owed.send(sender=Delivery, kind=kind, update_id=str(update_id), first_subscriber_id=first, last_subscriber_id=last)


# Fan-out ----------------------------------------------------------------------------------


def fan_out(*, kind: str, update_id) -> int:
    """Record a delivery for every subscriber ``update`` reaches and enqueue their batches
    (``NOTIFICATIONS_BATCH_SIZE`` subscribers each, walked by id); then stamp
    ``notified_at``. Safe to run twice or after a crash half-way: existing rows are kept
    and a batch finds nothing to claim among rows already sent. Returns the batches."""
    update = load_update(kind, update_id)
    if update is None or not update.notify_subscribers or update.notified_at is not None:
        return 0
    field, size = _FIELDS[kind], settings.NOTIFICATIONS_BATCH_SIZE
    reached = notifiable_subscribers(update).order_by("pk").values_list("pk", flat=True)
    batches, last = 0, None
    while True:
        ids = list((reached if last is None else reached.filter(pk__gt=last))[:size])
        if not ids:
            break
        Delivery.objects.bulk_create([Delivery(subscriber_id=pk, **{field: update.pk}) for pk in ids], ignore_conflicts=True)
        _enqueue_batch(kind, update.pk, ids[0], ids[-1])
        batches, last = batches + 1, ids[-1]
    type(update).objects.filter(pk=update.pk, notified_at__isnull=True).update(notified_at=timezone.now())
    return batches


# Batches ----------------------------------------------------------------------------------


@dataclass
class BatchOutcome:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    #: seconds until the rows a temporary failure put back may be tried again
    retry_in: float | None = None


def claimable(now) -> Q:
    """Rows a batch may take: queued ones past their backoff, and claims that ran out."""
    due = Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    return Q(state=DeliveryState.QUEUED) & due | Q(state=DeliveryState.SENDING, claimed_until__lte=now)


def backoff_seconds(attempts: int) -> float:
    """Exponential in the attempts made, capped, with jitter (half fixed, half random) so
    batches a dead server failed together do not all come back at the same second."""
    ceiling = min(settings.NOTIFICATIONS_RETRY_MAX_SECONDS, settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


class _Temporary(Exception):
    """Not this address's fault: the server is away or said 4xx. Try again later."""


def _permanent_reason(exc: Exception) -> str | None:
    """The server's reason when it refused this message for good (a 5xx), else None."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
    elif isinstance(exc, smtplib.SMTPResponseException) and not isinstance(exc, smtplib.SMTPSenderRefused):
        # A refused sender is our configuration, not the address: it waits for a fix.
        code, text = exc.smtp_code, exc.smtp_error
    else:
        return None
    if not 500 <= code < 600:
        return None
    text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    return f"{code} {text}"[:1000]


def send_batch(*, kind: str, update_id, first_subscriber_id, last_subscriber_id) -> BatchOutcome:
    """Send ``update`` to the subscribers between these ids whose rows this batch wins,
    over one SMTP connection."""
    outcome = BatchOutcome()
    update = load_update(kind, update_id)
    if update is None:
        return outcome
    now, token = timezone.now(), uuid.uuid4().hex
    lease = timedelta(seconds=settings.NOTIFICATIONS_CLAIM_SECONDS)
    rows = Delivery.objects.filter(
        **{_FIELDS[kind]: update.pk}, subscriber_id__gte=first_subscriber_id, subscriber_id__lte=last_subscriber_id
    )
    # One UPDATE with every condition on the row itself: of two workers racing for a row,
    # the second re-reads it after the first commits and no longer matches.
    outcome.claimed = rows.filter(claimable(now)).update(
        state=DeliveryState.SENDING, claimed_until=now + lease, claim_token=token, attempts=F("attempts") + 1
    )
    if not outcome.claimed:
        return outcome
    mine = list(rows.filter(claim_token=token, state=DeliveryState.SENDING).select_related("subscriber__status_page").order_by("subscriber_id"))
    wanted = set(notifiable_subscribers(update).filter(pk__in=[d.subscriber_id for d in mine]).values_list("pk", flat=True))
    unwanted = [d.pk for d in mine if d.subscriber_id not in wanted]
    if unwanted:
        reason = "Incident no longer public" if not is_public(update) else "No longer subscribed to this update"
        outcome.skipped = Delivery.objects.filter(pk__in=unwanted, claim_token=token).update(
            state=DeliveryState.SKIPPED, claimed_until=None, error=reason
        )
    to_send = [d for d in mine if d.subscriber_id in wanted]
    if to_send:
        _send(update, to_send, token, deadline=now + lease / 2, outcome=outcome)
    return outcome


def _send(update: Update, deliveries: list[Delivery], token: str, *, deadline, outcome: BatchOutcome) -> None:
    rendered = render_update(update)
    connection = get_connection(fail_silently=False)
    send = messages().sender(rendered, connection)
    sent_upto = 0
    try:
        try:
            connection.open()
        except (smtplib.SMTPException, OSError) as exc:
            raise _Temporary(f"Cannot reach the mail server: {exc}") from exc
        for index, delivery in enumerate(deliveries):
            if timezone.now() >= deadline:
                # Half the claim is gone (a very slow server): hand the rest back before
                # the claim runs out and another worker could take rows still ours.
                raise _Temporary("Batch ran out of time")
            try:
                sent_id = send(delivery.subscriber)
            except (smtplib.SMTPException, OSError) as exc:
                reason = _permanent_reason(exc)
                if reason is None:
                    raise _Temporary(str(exc) or type(exc).__name__) from exc
                _fail(delivery, token, reason)
                outcome.failed += 1
            else:
                _mark_sent(delivery, token, sent_id)
                outcome.sent += 1
            sent_upto = index + 1
    except _Temporary as exc:
        rest = deliveries[sent_upto:]
        outcome.retry_in = backoff_seconds(max(d.attempts for d in rest) + 1)
        Delivery.objects.filter(pk__in=[d.pk for d in rest], claim_token=token).update(
            state=DeliveryState.QUEUED,
            claimed_until=timezone.now() + timedelta(seconds=outcome.retry_in),
            claim_token="",
            error=str(exc)[:1000],
        )
        log.warning("Notification batch put %d deliveries back for %.0fs: %s", len(rest), outcome.retry_in, exc)
    finally:
        try:
            connection.close()
        except Exception:  # a server that already hung up cannot be said goodbye to
            pass


def _mark_sent(delivery: Delivery, token: str, message_id: str) -> None:
    marked = Delivery.objects.filter(pk=delivery.pk, claim_token=token).update(
        state=DeliveryState.SENT, sent_at=timezone.now(), claimed_until=None, error="", message_id=message_id
    )
    if not marked:
        log.error("Delivery %s was sent but its claim was gone", delivery.pk)
    if delivery.subscriber.hard_bounces:
        # Bounces count in a row: an accepted message starts the count again.
        Subscriber.objects.filter(pk=delivery.subscriber_id).update(hard_bounces=0)


def _fail(delivery: Delivery, token: str, reason: str) -> None:
    Delivery.objects.filter(pk=delivery.pk, claim_token=token).update(state=DeliveryState.FAILED, claimed_until=None, error=reason)
    record_hard_bounce(subscriber=delivery.subscriber)


def record_hard_bounce(*, subscriber: Subscriber) -> None:
    """Count a permanent refusal of ``subscriber``'s address; past the setting's number in
    a row, the address is suppressed."""
    Subscriber.objects.filter(pk=subscriber.pk).update(hard_bounces=F("hard_bounces") + 1)
    Subscriber.objects.filter(
        pk=subscriber.pk, suppression=Suppression.NONE, hard_bounces__gte=settings.NOTIFICATIONS_SUPPRESS_AFTER_BOUNCES
    ).update(suppression=Suppression.BOUNCED, suppressed_at=timezone.now(), link_version=F("link_version") + 1)


# What the broker lost ---------------------------------------------------------------------


def _enqueue_ranges(kind: str, update_id, subscriber_ids) -> int:
    """Enqueue batches over ``subscriber_ids`` (sorted), ``NOTIFICATIONS_BATCH_SIZE`` each."""
    size, batches, chunk = settings.NOTIFICATIONS_BATCH_SIZE, 0, []
    for pk in subscriber_ids:
        chunk.append(pk)
        if len(chunk) == size:
            _enqueue_batch(kind, update_id, chunk[0], chunk[-1])
            batches, chunk = batches + 1, []
    if chunk:
        _enqueue_batch(kind, update_id, chunk[0], chunk[-1])
        batches += 1
    return batches


def sweep() -> dict:
    """Re-enqueue what the broker lost (every ``NOTIFICATIONS_SWEEP_SECONDS``, by beat):
    - updates published with notify_subscribers whose fan-out never finished (published
      while the broker was down, or their worker died), older than one sweep period;
    - deliveries nobody works on: claims that ran out, backoffs long past, queued rows
      whose batch never came (older than a claim).
    Duplicated work is harmless: a batch only sends rows it claims."""
    now = timezone.now()
    period = timedelta(seconds=settings.NOTIFICATIONS_SWEEP_SECONDS)
    lease = timedelta(seconds=settings.NOTIFICATIONS_CLAIM_SECONDS)
    fan_outs = 0
    for kind, model in KINDS.items():
        for pk in model.objects.filter(notify_subscribers=True, notified_at__isnull=True, created_at__lte=now - period).values_list("pk", flat=True):
            fan_out_owed.send(sender=model, kind=kind, update_id=str(pk))
            fan_outs += 1
    stale = Delivery.objects.filter(
        Q(state=DeliveryState.SENDING, claimed_until__lte=now)
        | Q(state=DeliveryState.QUEUED, claimed_until__lte=now - period)
        | Q(state=DeliveryState.QUEUED, claimed_until__isnull=True, created_at__lte=now - lease)
    )
    batches = 0
    for kind, field in _FIELDS.items():
        for update_id in stale.filter(**{f"{field}__isnull": False}).values_list(field, flat=True).order_by().distinct():
            ids = stale.filter(**{field: update_id}).order_by("subscriber_id").values_list("subscriber_id", flat=True)
            batches += _enqueue_ranges(kind, update_id, ids.iterator(chunk_size=2000))
    return {"fan_outs": fan_outs, "batches": batches}


def retry_failed(*, kind: str, update_id) -> int:
    """Queue an update's failed deliveries again (the admin's action); returns how many.
    Their batches are enqueued after the commit, in the background: a dead broker
    leaves them to the sweep."""
    from notifications.enqueue import in_background

    field = _FIELDS[kind]
    failed = Delivery.objects.filter(**{field: update_id}, state=DeliveryState.FAILED)
    ids = list(failed.order_by("subscriber_id").values_list("subscriber_id", flat=True))
    count = failed.update(state=DeliveryState.QUEUED, claimed_until=None, claim_token="", error="")
    if ids:
        transaction.on_commit(lambda: in_background(_enqueue_ranges, kind, update_id, ids))
    return count
