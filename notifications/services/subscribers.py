"""Subscribing, confirming, leaving and importing: every write to ``Subscriber``.

Double opt-in: an address asking to subscribe gets a confirmation email; only a
confirmed, unsuppressed subscriber is ever notified. Asking again reuses the row (one per
address and page, by a unique constraint), so an unconfirmed address can ask as often as
the limits below allow without creating duplicates.

No enumeration: whoever asks is told the same thing, and sent the same kind of work,
whether the address is new, waiting for confirmation or already subscribed (a subscribed
address is mailed a reminder with its preferences link instead of a confirmation, and its
components are left alone: only its owner changes them, through that link).

Abuse limits, buckets of the rate-limit service (``core.ratelimit``: token buckets in
Django's cache, shared by every process):
- per client network (an IPv4 address, an IPv6 /64: ``core.net.network_of``),
  ``SUBSCRIBE_REQUESTS_PER_HOUR`` (``SUBSCRIBE_REQUESTS``): past it, the request is
  refused (``SubscribeRateLimited``, which the form shows as a 429);
- per email address (normalised: ``core.email_addresses``) and page, ``SUBSCRIBE_EMAILS_PER_HOUR`` confirmation (or reminder)
  emails (``SUBSCRIBE_EMAILS``): past it, the request is answered as usual and nothing is
  sent, so nobody can use the form to flood an inbox, nor learn anything from being limited.

Emails are recorded here, in the asking transaction: a ``Confirmation`` outbox row
(``services.confirmations``: enqueued after the commit, best effort, and swept up when
the broker lost it), and the subscriber's ``confirmation_sent_at`` (when it last asked).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import ratelimit
from core.email_addresses import InvalidAddress
from core.email_addresses import normalise_email as _normalise
from core.exceptions import Conflict, DomainError
from core.net import network_of
from notifications.models import Delivery, DeliveryState, Source, Subscriber, Suppression
from statuspages.models import Component, StatusPage
from statuspages.services.common import check_components

from .confirmations import owe_confirmations

#: rows per INSERT of a bulk import
IMPORT_BATCH = 1000

#: how much of a refused address an error message repeats
_QUOTED = 80


class SubscribeRateLimited(DomainError):
    """Too many subscribe requests from one client address."""

    def __init__(self, retry_after: int):
        super().__init__("rate_limited", "Too many requests: try again later")
        self.retry_after = retry_after


def normalise_email(email: str, field: str = "email") -> str:
    """The one spelling of ``email`` (``core.email_addresses``), or a ``DomainError``
    naming ``field``: what is stored, compared and counted by the per-address limit."""
    try:
        return _normalise(email)
    except InvalidAddress as exc:
        shown = repr(email[:_QUOTED] + ("…" if len(email) > _QUOTED else "")) if isinstance(email, str) else "This"
        raise DomainError("invalid_value", f"{shown} is not an email address we can mail: {exc.reason}", field=field) from None


def _components_choice(status_page: StatusPage, components: Iterable[Component] | None, field: str) -> tuple[bool, list[Component]]:
    if components is None:
        return True, []
    chosen = list(components)
    if not chosen:
        raise DomainError("invalid_value", "Choose at least one component, or all of them", field=field)
    check_components(chosen, status_page, field)
    return False, chosen


def _owe_confirmations(subscriber_ids: list) -> None:
    # Inside the transaction that asked: outbox rows, enqueued on its commit.
    owe_confirmations(subscriber_ids)


def request_subscription(
    *,
    status_page: StatusPage,
    email: str,
    components: Iterable[Component] | None = None,
    source: str = Source.FORM,
    client_address: str | None = None,
) -> Subscriber | None:
    """Ask for ``email`` to follow ``status_page`` (every component, or ``components``).

    Creates the unconfirmed row, or reuses the address's row, and sends it a confirmation
    email on commit (a reminder if it is subscribed already). Returns the row, or None
    when the address's email limit swallowed the request: callers answer the same either
    way, and must not tell the asker which it was."""
    address = normalise_email(email)
    all_components, chosen = _components_choice(status_page, components, "components")
    if client_address:
        spent = ratelimit.SUBSCRIBE_REQUESTS.spend(network_of(client_address))
        if spent is not None and not spent.allowed:
            raise SubscribeRateLimited(spent.retry_after)
    spent = ratelimit.SUBSCRIBE_EMAILS.spend(status_page.pk, address)
    if spent is not None and not spent.allowed:
        return None
    now = timezone.now()
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            status_page=status_page,
            email=address,
            defaults={"all_components": all_components, "source": source},
        )
        if not subscriber.is_notifiable:
            # Not (or no longer) receiving anything: this request's choice stands, and
            # the address must confirm (again) before it receives anything.
            subscriber.all_components = all_components
            subscriber.confirmed_at = None
            subscriber.confirmation_sent_at = now
            subscriber.save(update_fields=["all_components", "confirmed_at", "confirmation_sent_at", "updated_at"])
            subscriber.components.set(chosen)
        else:
            Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=now)
        _owe_confirmations([subscriber.pk])
    return subscriber


@transaction.atomic
def add_subscriber(
    *,
    status_page: StatusPage,
    email: str,
    components: Iterable[Component] | None = None,
    confirmed: bool = True,
    source: str = Source.ADMIN,
) -> Subscriber:
    """Add one address as staff do: confirmed at once (staff vouch for it), or sent a
    confirmation email. An address already on the page is refused (a conflict)."""
    address = normalise_email(email)
    all_components, chosen = _components_choice(status_page, components, "components")
    if Subscriber.objects.filter(status_page=status_page, email=address).exists():
        raise Conflict("conflict", f"{address} is already on {status_page.name}", field="email")
    now = timezone.now()
    subscriber = Subscriber.objects.create(
        status_page=status_page,
        email=address,
        all_components=all_components,
        source=source,
        confirmed_at=now if confirmed else None,
        confirmation_sent_at=None if confirmed else now,
    )
    subscriber.components.set(chosen)
    if not confirmed:
        _owe_confirmations([subscriber.pk])
    return subscriber


@transaction.atomic
def confirm(*, subscriber: Subscriber) -> Subscriber:
    """The address proved it reads its mail: it is notified from now on. Confirming is
    also how an address that left (or bounced) comes back, so it lifts any suppression.
    Confirming twice changes nothing."""
    subscriber = Subscriber.objects.select_for_update().select_related("status_page").get(pk=subscriber.pk)
    if subscriber.is_notifiable:
        return subscriber
    subscriber.confirmed_at = timezone.now()
    subscriber.suppression = Suppression.NONE
    subscriber.suppressed_at = None
    subscriber.hard_bounces = 0
    subscriber.save(update_fields=["confirmed_at", "suppression", "suppressed_at", "hard_bounces", "updated_at"])
    return subscriber


@transaction.atomic
def unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    """The address gets nothing more: it is suppressed, and deliveries queued for it are
    skipped (a batch claiming a row re-checks suppression too, which catches a fan-out
    creating rows right now). An address suppressed for another reason keeps that reason."""
    subscriber = Subscriber.objects.select_for_update().select_related("status_page").get(pk=subscriber.pk)
    if not subscriber.suppression:
        subscriber.suppression = Suppression.UNSUBSCRIBED
        subscriber.suppressed_at = timezone.now()
        # Confirmation links sent before now die: only a new request brings it back.
        subscriber.link_version += 1
        subscriber.save(update_fields=["suppression", "suppressed_at", "link_version", "updated_at"])
    Delivery.objects.filter(subscriber=subscriber, state=DeliveryState.QUEUED).update(
        state=DeliveryState.SKIPPED, error="Unsubscribed"
    )
    return subscriber


@transaction.atomic
def change_components(*, subscriber: Subscriber, all_components: bool, components: Iterable[Component] = ()) -> Subscriber:
    """Follow every component of the page, or only ``components`` (at least one, each
    shown on the page)."""
    everything, chosen = _components_choice(subscriber.status_page, None if all_components else components, "components")
    subscriber.all_components = everything
    subscriber.save(update_fields=["all_components", "updated_at"])
    subscriber.components.set(chosen)
    return subscriber


@transaction.atomic
def delete_subscriber(*, subscriber: Subscriber) -> None:
    """Forget the address (with its delivery history). Its old links stop working: a
    token names the row, and a new row for the address gets a new id."""
    subscriber.delete()


@dataclass(frozen=True)
class ImportResult:
    created: int
    #: already on the page (whatever their state: an import never re-subscribes an
    #: address that left), or repeated in the list
    skipped: int


def resend_interval() -> timedelta:
    """How long an address waiting for its confirmation waits before an import asking
    for it again sends another: one ``SUBSCRIBE_EMAILS_PER_HOUR``'s share of the hour."""
    return timedelta(hours=1) / max(settings.SUBSCRIBE_EMAILS_PER_HOUR, 1)


def import_subscribers(
    *, status_page: StatusPage, emails: Sequence[str], confirmed: bool, source: str, field: str = "emails"
) -> ImportResult:
    """Add many addresses to a page at once, each following every component.

    ``confirmed``: the caller vouches for the addresses (Checkly's ``autoVerify``, the
    admin's CSV import), which are notified at once and sent nothing now; otherwise each
    new address is owed a confirmation email (outbox rows, sent by tasks of
    ``confirmations.CONFIRMATIONS_PER_TASK``). Addresses already on the page are skipped;
    without ``confirmed``, one still waiting for its confirmation is sent it again (a
    retry after the first never arrived), at most once per ``resend_interval()``, and
    never while one is still on its way. The work is a fixed number of queries per
    ``IMPORT_BATCH`` rows (none per address): 100,000 addresses go in one call."""
    addresses = []
    for position, email in enumerate(emails):
        try:
            addresses.append(normalise_email(email, field))
        except DomainError as exc:
            raise DomainError(exc.code, f"item {position}: {exc.message}", field=field) from None
    wanted = list(dict.fromkeys(addresses))
    now = timezone.now()
    resend_before = now - resend_interval()
    with transaction.atomic():
        existing, resend = set(), []
        rows = Subscriber.objects.filter(status_page=status_page).values_list(
            "email", "pk", "confirmed_at", "suppression", "confirmation_sent_at"
        )
        for email, pk, confirmed_at, suppression, asked_at in rows.iterator(chunk_size=10_000):
            existing.add(email)
            if confirmed_at is None and not suppression and (asked_at is None or asked_at <= resend_before):
                resend.append((email, pk))
        new = [
            Subscriber(
                status_page=status_page,
                email=address,
                all_components=True,
                source=source,
                confirmed_at=now if confirmed else None,
                confirmation_sent_at=None if confirmed else now,
            )
            for address in wanted
            if address not in existing
        ]
        # ignore_conflicts: an address subscribing through the form meanwhile keeps its row.
        Subscriber.objects.bulk_create(new, batch_size=IMPORT_BATCH, ignore_conflicts=True)
        if not confirmed:
            asked = set(wanted)
            owed = [str(subscriber.pk) for subscriber in new]
            again = [pk for email, pk in resend if email in asked]
            for start in range(0, len(again), IMPORT_BATCH):
                Subscriber.objects.filter(pk__in=again[start : start + IMPORT_BATCH]).update(confirmation_sent_at=now)
            # Only rows that exist: one that lost a race to the form was not created.
            for start in range(0, len(owed), IMPORT_BATCH):
                chunk = owed[start : start + IMPORT_BATCH]
                _owe_confirmations([str(pk) for pk in Subscriber.objects.filter(pk__in=chunk).values_list("pk", flat=True)])
            if again:
                _owe_confirmations([str(pk) for pk in again])
    return ImportResult(created=len(new), skipped=len(emails) - len(new))
