"""Confirmation (and reminder) emails of double opt-in, by the outbox the fan-out uses.

Asking for one writes a ``Confirmation`` row in the asking transaction (at most one
pending per subscriber: asking again while one waits adds nothing), then the
``confirmations_owed`` signal, whose receiver hands the task to the broker after the
commit, in the background: a dead or frozen broker costs the request nothing. A task
sends only the rows it claims by one conditional UPDATE and marks each sent once the
SMTP server accepts it; a temporary failure puts the rest back with a backoff, a
permanent one (5xx) fails the row. The sweep (``sweep_notifications``, by beat)
re-enqueues rows nobody is working on: the broker lost their task, or their worker died.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import F, Q
from django.utils import timezone

from ..models import Confirmation, DeliveryState
from ..rendering import confirmation_message
from ..signals import confirmations_owed
from .delivery import _permanent_reason, backoff_seconds

log = logging.getLogger(__name__)

#: subscribers per task (one SMTP connection each)
CONFIRMATIONS_PER_TASK = 500


def owe_confirmations(subscriber_ids: Sequence) -> None:
    """Record that these subscribers are owed a confirmation (or reminder) email, inside
    the caller's transaction, and ask for it to be sent once that commits."""
    for start in range(0, len(subscriber_ids), CONFIRMATIONS_PER_TASK):
        chunk = list(subscriber_ids[start : start + CONFIRMATIONS_PER_TASK])
        # ignore_conflicts: a subscriber with a confirmation still pending keeps that one.
        Confirmation.objects.bulk_create([Confirmation(subscriber_id=pk) for pk in chunk], ignore_conflicts=True)
        confirmations_owed.send(sender=Confirmation, subscriber_ids=[str(pk) for pk in chunk])


def claimable(now) -> Q:
    due = Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    return Q(state=DeliveryState.QUEUED) & due | Q(state=DeliveryState.SENDING, claimed_until__lte=now)


@dataclass
class SendOutcome:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    #: seconds until the rows a temporary failure put back may be tried again
    retry_in: float | None = None


def send_owed(*, subscriber_ids: Iterable) -> SendOutcome:
    """Send the confirmations owed to these subscribers that this call wins, over one
    SMTP connection."""
    outcome = SendOutcome()
    now, token = timezone.now(), uuid.uuid4().hex
    lease = timedelta(seconds=settings.NOTIFICATIONS_CLAIM_SECONDS)
    rows = Confirmation.objects.filter(subscriber_id__in=list(subscriber_ids))
    outcome.claimed = rows.filter(claimable(now)).update(
        state=DeliveryState.SENDING, claimed_until=now + lease, claim_token=token, attempts=F("attempts") + 1
    )
    if not outcome.claimed:
        return outcome
    mine = list(
        Confirmation.objects.filter(claim_token=token, state=DeliveryState.SENDING)
        .select_related("subscriber__status_page")
        .order_by("subscriber_id")
    )
    connection = get_connection(fail_silently=False)
    done = 0
    try:
        connection.open()
        for confirmation in mine:
            try:
                confirmation_message(confirmation.subscriber, connection).send()
            except (smtplib.SMTPException, OSError) as exc:
                reason = _permanent_reason(exc)
                if reason is None:
                    raise
                log.warning("confirmation to subscriber %s refused: %s", confirmation.subscriber_id, reason)
                _finish(confirmation, token, state=DeliveryState.FAILED, error=reason)
                outcome.failed += 1
            else:
                _finish(confirmation, token, state=DeliveryState.SENT, sent_at=timezone.now(), error="")
                outcome.sent += 1
            done += 1
    except (smtplib.SMTPException, OSError) as exc:
        rest = mine[done:]
        outcome.retry_in = backoff_seconds(max(c.attempts for c in rest))
        Confirmation.objects.filter(pk__in=[c.pk for c in rest], claim_token=token).update(
            state=DeliveryState.QUEUED,
            claimed_until=timezone.now() + timedelta(seconds=outcome.retry_in),
            claim_token="",
            error=(str(exc) or type(exc).__name__)[:1000],
        )
        log.warning("Put %d confirmations back for %.0fs: %s", len(rest), outcome.retry_in, exc)
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - a server that already hung up cannot be said goodbye to
            pass
    return outcome


def _finish(confirmation: Confirmation, token: str, **fields) -> None:
    if not Confirmation.objects.filter(pk=confirmation.pk, claim_token=token).update(claimed_until=None, **fields):
        log.error("Confirmation %s was finished but its claim was gone", confirmation.pk)


def sweep() -> int:
    """Re-enqueue confirmations nobody works on (every ``NOTIFICATIONS_SWEEP_SECONDS``):
    claims that ran out, backoffs long past, queued rows whose task never came (older
    than one sweep period). Returns the tasks asked for. Duplicated tasks are harmless:
    a task only sends rows it claims."""
    now = timezone.now()
    period = timedelta(seconds=settings.NOTIFICATIONS_SWEEP_SECONDS)
    stale = Confirmation.objects.filter(
        Q(state=DeliveryState.SENDING, claimed_until__lte=now)
        | Q(state=DeliveryState.QUEUED, claimed_until__lte=now - period)
        | Q(state=DeliveryState.QUEUED, claimed_until__isnull=True, created_at__lte=now - period)
    )
    ids = [str(pk) for pk in stale.order_by("subscriber_id").values_list("subscriber_id", flat=True)[:100_000]]
    for start in range(0, len(ids), CONFIRMATIONS_PER_TASK):
        confirmations_owed.send(sender=Confirmation, subscriber_ids=ids[start : start + CONFIRMATIONS_PER_TASK])
    return -(-len(ids) // CONFIRMATIONS_PER_TASK)

