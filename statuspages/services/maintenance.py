"""Scheduled maintenance: announcing a window, its updates, and starting and completing
it by itself at the window's edges.

Rules enforced here: a window ends after it starts; it affects only components its page
shows; a maintenance moves scheduled -> in progress -> complete (an update may skip a
step, as when work is called off, but never goes back); the times it really started and
completed are recorded from the updates that moved it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.exceptions import DomainError
from core.models import ApiKey
from core.services import Actor, actor_fields
from core.dates import check_not_future
from core.text import check_text
from statuspages.models import Component, Maintenance, MaintenanceStatus, MaintenanceUpdate, StatusPage, limits

from .common import changed, check_components, components_moved, number_for, published

_ORDER = [MaintenanceStatus.SCHEDULED, MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.COMPLETE]
#: the messages of the updates a maintenance posts when it moves by itself
AUTOMATIC_MESSAGES = {
    MaintenanceStatus.IN_PROGRESS: "The scheduled maintenance has started.",
    MaintenanceStatus.COMPLETE: "The scheduled maintenance is complete.",
}


def _check_window(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise DomainError("invalid_window", "A maintenance window must end after it starts", field="end_at")


def _check_status(status: str) -> None:
    if status not in MaintenanceStatus.values:
        raise DomainError("invalid_value", f"Unknown maintenance status {status}", field="maintenance_status")


def schedule_maintenance(
    *,
    actor: Actor | None,
    status_page: StatusPage,
    name: str,
    message: str,
    starts_at: datetime,
    ends_at: datetime,
    components: Iterable[Component] = (),
    status: str = MaintenanceStatus.SCHEDULED,
    automate: bool = True,
    notify_subscribers: bool = False,
    idempotency_key: str = "",
    published_at: datetime | None = None,
) -> Maintenance:
    """Announce a maintenance window on a page, with its first update (at ``published_at``,
    now unless announced after the fact)."""
    components = list(components)
    try:
        if not name or not name.strip():
            raise DomainError("missing_name", "A maintenance needs a name", field="name")
        check_text(name, field="name", max_length=limits.MAINTENANCE_NAME)
        check_text(message, field="message", max_length=limits.MESSAGE)
        check_not_future(published_at, field="published_at")
        _check_status(status)
        _check_window(starts_at, ends_at)
        check_components(components, status_page, "affected_component_ids")
        now = published_at or timezone.now()
        with transaction.atomic():
            maintenance = Maintenance.objects.create(
                status_page=status_page,
                name=name.strip(),
                status=status,
                starts_at=starts_at,
                ends_at=ends_at,
                automate=automate,
                published_at=now,
                started_at=now if status != MaintenanceStatus.SCHEDULED else None,
                completed_at=now if status == MaintenanceStatus.COMPLETE else None,
                idempotency_key=idempotency_key if isinstance(actor, ApiKey) else "",
                number=number_for(Maintenance),
                **actor_fields(actor, "actor"),
            )
            maintenance.components.set(components)
            _record_update(maintenance, message=message, status=status, at=now, actor=actor, notify_subscribers=notify_subscribers)
            changed(status_page)
            if components:
                components_moved()
    except (DomainError, IntegrityError):
        if idempotency_key and isinstance(actor, ApiKey):
            existing = Maintenance.objects.filter(actor_api_key=actor, idempotency_key=idempotency_key).first()
            if existing:
                return existing
        raise
    return maintenance


def _record_update(maintenance: Maintenance, *, message: str, status: str, at: datetime, actor: Actor | None, notify_subscribers: bool) -> MaintenanceUpdate:
    update = MaintenanceUpdate.objects.create(
        maintenance=maintenance,
        message=message,
        status=status,
        published_at=at,
        notify_subscribers=notify_subscribers,
        number=number_for(MaintenanceUpdate),
        **actor_fields(actor, "actor"),
    )
    published(update)
    return update


def post_maintenance_update(
    *,
    actor: Actor | None,
    maintenance: Maintenance,
    message: str,
    status: str | None = None,
    notify_subscribers: bool = False,
    at: datetime | None = None,
    by_hand: bool = False,
) -> MaintenanceUpdate:
    """Post an update, moving the maintenance on if ``status`` says so (never back). With
    ``by_hand``, an update that sets the status takes over from the window: the
    maintenance no longer moves by itself (incident.io's rule)."""
    if status is not None:
        _check_status(status)
    if not message.strip() and status is None:
        raise DomainError("empty_update", "An update needs a message or a status", field="message")
    check_text(message, field="message", max_length=limits.MESSAGE)
    at = at or timezone.now()
    with transaction.atomic():
        locked = Maintenance.objects.select_for_update().select_related("status_page").get(pk=maintenance.pk)
        takes_over = by_hand and status is not None and locked.automate
        status = status or locked.status
        if _ORDER.index(status) < _ORDER.index(locked.status):
            raise DomainError(
                "invalid_transition", f"A maintenance that is {locked.get_status_display()} cannot go back", field="maintenance_status"
            )
        update = _record_update(locked, message=message, status=status, at=at, actor=actor, notify_subscribers=notify_subscribers)
        if status != locked.status:
            locked.status = status
            if status != MaintenanceStatus.SCHEDULED and locked.started_at is None:
                locked.started_at = at
            if status == MaintenanceStatus.COMPLETE:
                locked.completed_at = at
            locked.save(update_fields=["status", "started_at", "completed_at", "updated_at"])
        if takes_over:
            locked.automate = False
            locked.save(update_fields=["automate", "updated_at"])
        changed(locked.status_page)
        if update.status != MaintenanceStatus.SCHEDULED:
            components_moved()  # under maintenance, or no longer
    maintenance.status, maintenance.started_at, maintenance.completed_at = locked.status, locked.started_at, locked.completed_at
    maintenance.automate = locked.automate
    return update


@transaction.atomic
def edit_maintenance(
    *,
    actor: Actor | None,
    maintenance: Maintenance,
    name: str | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    components: Iterable[Component] | None = None,
    automate: bool | None = None,
    first_message: str | None = None,
) -> Maintenance:
    """Rename a maintenance, move its window or change what it affects; given
    ``first_message``, correct its first update's message too (the maintenance's own, as
    Cachet shows it), in the same step."""
    if name is not None:
        if not name.strip():
            raise DomainError("missing_name", "A maintenance needs a name", field="name")
        check_text(name, field="name", max_length=limits.MAINTENANCE_NAME)
        maintenance.name = name.strip()
    maintenance.starts_at = starts_at or maintenance.starts_at
    maintenance.ends_at = ends_at or maintenance.ends_at
    _check_window(maintenance.starts_at, maintenance.ends_at)
    if automate is not None:
        maintenance.automate = automate
    maintenance.save(update_fields=["name", "starts_at", "ends_at", "automate", "updated_at"])
    if components is not None:
        components = list(components)
        check_components(components, maintenance.status_page, "affected_component_ids")
        maintenance.components.set(components)
    if first_message is not None:
        first = maintenance.updates.order_by("published_at", "id").first()
        edit_maintenance_update(actor=actor, update=first, message=first_message)
    changed(maintenance.status_page)
    if components is not None or starts_at or ends_at:
        components_moved()
    return maintenance


@transaction.atomic
def edit_maintenance_update(*, actor: Actor | None, update: MaintenanceUpdate, message: str) -> MaintenanceUpdate:
    """Correct an update's message (a typo); the status it moved the maintenance to stays."""
    check_text(message, field="message", max_length=limits.MESSAGE)
    update.message = message
    update.save(update_fields=["message", "updated_at"])
    changed(update.maintenance.status_page)
    return update


@transaction.atomic
def delete_maintenance_update(*, actor: Actor | None, update: MaintenanceUpdate) -> None:
    """Delete an update posted by mistake; a maintenance keeps at least one, and where it
    stands (its status, when it started and completed) stays."""
    maintenance = update.maintenance
    if maintenance.updates.count() <= 1:
        raise DomainError("last_update", "A maintenance keeps at least one update", field="update")
    update.delete()
    changed(maintenance.status_page)


@transaction.atomic
def delete_maintenance(*, actor: Actor | None, maintenance: Maintenance) -> None:
    page = maintenance.status_page
    maintenance.delete()
    changed(page)
    components_moved()


def advance_due_maintenance(*, now: datetime | None = None) -> int:
    """Start the automated maintenance whose window has opened and complete the ones whose
    window has closed, each with an update that notifies subscribers. Returns how many
    moved. Safe to run from several workers at once: each maintenance is moved under its
    row lock, and one already moved is left alone."""
    now = now or timezone.now()
    moved = 0
    due = Maintenance.objects.filter(automate=True).exclude(status=MaintenanceStatus.COMPLETE)
    for maintenance in due.filter(starts_at__lte=now).order_by("starts_at"):
        target = MaintenanceStatus.COMPLETE if maintenance.ends_at <= now else MaintenanceStatus.IN_PROGRESS
        if target == maintenance.status:
            continue
        with transaction.atomic():
            locked = Maintenance.objects.select_for_update().filter(pk=maintenance.pk, status=maintenance.status).first()
            if locked is None:
                continue  # another worker moved it meanwhile
            at = locked.ends_at if target == MaintenanceStatus.COMPLETE else max(locked.starts_at, locked.published_at)
            post_maintenance_update(
                actor=None, maintenance=locked, message=AUTOMATIC_MESSAGES[target], status=target, notify_subscribers=True, at=at
            )
            moved += 1
    return moved
