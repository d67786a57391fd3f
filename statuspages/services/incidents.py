"""What a page tells its readers about incidents: publishing one (from scratch, from an
internal incident, or after the fact), its updates, and incident templates.

Rules enforced here:
- every update says the incident's status and may move components; a component's
  status then follows from its open impacts (``common.apply_component_statuses``);
- resolving ends every impact the incident still holds, at the update's time, and hurts
  no component: the components a resolving update names are operational;
- an incident names only components its page shows; a resolved one's cannot change;
- when an incident was published cannot change; correcting an update cannot resolve or
  reopen the incident (a new update does that);
- nothing of a linked internal incident is shown: the public name and messages are given;
- with an API key and an idempotency key, a repeated publication answers with the first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.exceptions import DomainError
from core.models import ApiKey
from core.services import Actor, actor_fields
from core.dates import check_not_future
from core.text import check_text
from incidents.models import Incident
from statuspages.selectors import components_named_by
from statuspages.models import (
    Component,
    ComponentStatus,
    IncidentStatus,
    IncidentTemplate,
    PageIncident,
    PageIncidentUpdate,
    StatusPage,
    UpdateComponentStatus,
    Visibility,
    limits,
)

from .common import apply_component_statuses, changed, check_components, components_moved, end_impacts, number_for, published, save_valid, stray_components


@dataclass(frozen=True)
class PastUpdate:
    """One update of an incident published after the fact, at the time it happened."""

    status: str
    message: str
    published_at: datetime
    component_statuses: Mapping[Component, str] = field(default_factory=dict)


def _check_status(status: str, field_name: str = "incident_status") -> None:
    if status not in IncidentStatus.values:
        raise DomainError("invalid_value", f"Unknown incident status {status}", field=field_name)


def _check_statuses(statuses: Mapping[Component, str], field_name: str = "component_statuses") -> None:
    unknown = [s for s in statuses.values() if s not in ComponentStatus.values]
    if unknown:
        raise DomainError("invalid_value", f"Unknown component status {unknown[0]}", field=field_name)


def _find_idempotent(actor: Actor | None, idempotency_key: str) -> PageIncident | None:
    if not idempotency_key or not isinstance(actor, ApiKey):
        return None
    return PageIncident.objects.filter(actor_api_key=actor, idempotency_key=idempotency_key).first()


def publish_incident(
    *,
    actor: Actor | None,
    status_page: StatusPage,
    name: str,
    message: str,
    status: str = IncidentStatus.INVESTIGATING,
    component_statuses: Mapping[Component, str] | None = None,
    notify_subscribers: bool = False,
    incident: Incident | None = None,
    severity: str = "",
    visibility: int = Visibility.PUBLIC,
    stickied: bool = False,
    idempotency_key: str = "",
    published_at: datetime | None = None,
) -> PageIncident:
    """Publish an incident on a page, with its first update."""
    return publish_retrospective_incident(
        actor=actor,
        status_page=status_page,
        name=name,
        updates=[PastUpdate(status, message, published_at or timezone.now(), component_statuses or {})],
        incident=incident,
        severity=severity,
        visibility=visibility,
        stickied=stickied,
        idempotency_key=idempotency_key,
        notify_subscribers=notify_subscribers,
    )


def publish_retrospective_incident(
    *,
    actor: Actor | None,
    status_page: StatusPage,
    name: str,
    updates: Iterable[PastUpdate],
    incident: Incident | None = None,
    severity: str = "",
    visibility: int = Visibility.PUBLIC,
    stickied: bool = False,
    idempotency_key: str = "",
    notify_subscribers: bool = False,
) -> PageIncident:
    """Publish an incident with its updates at the times they happened (back-dated for an
    incident published after the fact): its impacts start and end at those times."""
    updates = sorted(updates, key=lambda update: update.published_at)
    try:
        if not name or not name.strip():
            raise DomainError("missing_name", "An incident needs a name", field="name")
        if not updates:
            raise DomainError("missing_updates", "An incident needs at least one update", field="updates")
        check_text(name, field="name", max_length=limits.INCIDENT_NAME)
        for update in updates:
            check_text(update.message, field="message", max_length=limits.MESSAGE)
            check_not_future(update.published_at, field="published_at")
            _check_status(update.status)
            _check_statuses(update.component_statuses)
        check_components({c for update in updates for c in update.component_statuses}, status_page, "component_statuses")
        with transaction.atomic():
            page_incident = PageIncident.objects.create(
                status_page=status_page,
                name=name.strip(),
                status=updates[0].status,
                severity=severity,
                visibility=visibility,
                stickied=stickied,
                incident=incident,
                published_at=updates[0].published_at,
                idempotency_key=idempotency_key if isinstance(actor, ApiKey) else "",
                number=number_for(PageIncident),
                **actor_fields(actor, "actor"),
            )
            for update in updates:
                _record_update(page_incident, update, actor=actor, notify_subscribers=notify_subscribers and update is updates[-1])
            changed(status_page)
    except (DomainError, IntegrityError):
        existing = _find_idempotent(actor, idempotency_key)
        if existing:
            return existing
        raise
    return page_incident


def _record_update(page_incident: PageIncident, update: PastUpdate, *, actor: Actor | None, notify_subscribers: bool) -> PageIncidentUpdate:
    """Add an update to ``page_incident`` (created or row-locked by the caller), move its
    components and its status."""
    at = update.published_at
    statuses = dict(update.component_statuses)
    if update.status == IncidentStatus.RESOLVED:
        # A resolved incident hurts nothing: what this update names, and every component the
        # incident still holds, is operational again.
        statuses = dict.fromkeys(statuses, ComponentStatus.OPERATIONAL)
        for component in end_impacts(page_incident, at):
            statuses.setdefault(component, ComponentStatus.OPERATIONAL)
    apply_component_statuses(page_incident, statuses, at)
    if statuses:
        components_moved()
    record = PageIncidentUpdate.objects.create(
        page_incident=page_incident,
        message=update.message,
        status=update.status,
        published_at=at,
        notify_subscribers=notify_subscribers,
        number=number_for(PageIncidentUpdate),
        **actor_fields(actor, "actor"),
    )
    UpdateComponentStatus.objects.bulk_create(
        [UpdateComponentStatus(update=record, component=component, status=status) for component, status in statuses.items()]
    )
    page_incident.status = update.status
    page_incident.resolved_at = at if update.status == IncidentStatus.RESOLVED else None
    page_incident.save(update_fields=["status", "resolved_at", "updated_at"])
    published(record)
    return record


def post_incident_update(
    *,
    actor: Actor | None,
    page_incident: PageIncident,
    message: str,
    status: str | None = None,
    component_statuses: Mapping[Component, str] | None = None,
    notify_subscribers: bool = False,
    published_at: datetime | None = None,
    reopen_status: str | None = None,
) -> PageIncidentUpdate:
    """Post an update: its message, the incident's status (unchanged if not given) and the
    components it moves. Reopening a resolved incident needs a status other than resolved;
    given ``reopen_status``, reopening puts every component the incident names back at
    that status (Checkly's incidents hold their services at their severity's while open),
    unless ``component_statuses`` says otherwise."""
    statuses = dict(component_statuses or {})
    if status is not None:
        _check_status(status)
    _check_statuses(statuses)
    check_text(message, field="message", max_length=limits.MESSAGE)
    check_not_future(published_at, field="published_at")
    if not message.strip() and status is None and not statuses:
        raise DomainError("empty_update", "An update needs a message, a status or component statuses", field="message")
    with transaction.atomic():
        locked = PageIncident.objects.select_for_update().select_related("status_page").get(pk=page_incident.pk)
        if reopen_status is not None and locked.is_resolved and status not in (None, IncidentStatus.RESOLVED):
            named = components_named_by(locked)
            statuses = {**{said.component: reopen_status for said in named.values()}, **statuses}
            _check_statuses(statuses)
        check_components(statuses, locked.status_page, "component_statuses")
        update = _record_update(
            locked,
            PastUpdate(status or locked.status, message, published_at or timezone.now(), statuses),
            actor=actor,
            notify_subscribers=notify_subscribers,
        )
        changed(locked.status_page)
    page_incident.status, page_incident.resolved_at = locked.status, locked.resolved_at
    return update


@transaction.atomic
def edit_page_incident(*, actor: Actor | None, page_incident: PageIncident, **fields) -> PageIncident:
    """Change what a page shows of an incident (its name, severity, visibility, whether it
    is kept at the top) without posting an update."""
    allowed = {"name", "severity", "visibility", "stickied"}
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError("invalid_value", f"Cannot change {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    if "name" in fields and not (fields["name"] or "").strip():
        raise DomainError("missing_name", "An incident needs a name", field="name")
    check_text(fields.get("name"), field="name", max_length=limits.INCIDENT_NAME)
    for name, value in fields.items():
        setattr(page_incident, name, value.strip() if name == "name" else value)
    page_incident.save(update_fields=[*fields, "updated_at"])
    changed(page_incident.status_page)
    if "visibility" in fields:
        components_moved()  # who its impacts count for changed
    return page_incident


@transaction.atomic
def revise_page_incident(
    *,
    actor: Actor | None,
    page_incident: PageIncident,
    name: str | None = None,
    severity: str | None = None,
    visibility: int | None = None,
    stickied: bool | None = None,
    first_message: str | None = None,
    status: str | None = None,
    published_at: datetime | None = None,
    components: Mapping[Component, str] | None = None,
) -> PageIncident:
    """Change an incident in one step, as Cachet's and Checkly's updates send it (None
    leaves a part as it is):

    - what the page shows of it (``edit_page_incident``: name, severity, visibility, pin);
    - its first update's message (the incident's own, as Cachet shows it);
    - a new ``status`` and the ``components`` it names from now on, each at its status,
      posted as one update without a message when they change something: components it
      did not name, or named at another status, move; those it names no longer are
      operational again.

    Refused: another ``published_at`` (to the second: when it was published cannot
    change); components its page does not show; changing a resolved incident's
    components (reopen it with an update first)."""
    locked = PageIncident.objects.select_for_update().select_related("status_page").get(pk=page_incident.pk)
    if published_at is not None and published_at.replace(microsecond=0) != locked.published_at.replace(microsecond=0):
        raise DomainError("unchangeable", "When an incident was published cannot change", field="published_at")
    moves = {}
    if components is not None:
        named = components_named_by(locked)
        if locked.is_resolved:
            if set(named) != {component.pk for component in components}:
                raise DomainError(
                    "resolved_components", "A resolved incident's components cannot change: post an update to reopen it first",
                    field="component_statuses",
                )
        else:
            stray = stray_components(components, locked.status_page)
            if stray:
                raise DomainError(
                    "invalid_value", f"Not on the incident's page ({locked.status_page.name}): {', '.join(stray)}", field="component_statuses"
                )
            moves = {c: s for c, s in components.items() if c.pk not in named or named[c.pk].status != s}
            wanted = {component.pk for component in components}
            moves.update({said.component: ComponentStatus.OPERATIONAL for pk, said in named.items() if pk not in wanted})
    fields = {k: v for k, v in {"name": name, "severity": severity, "visibility": visibility, "stickied": stickied}.items() if v is not None}
    if fields:
        edit_page_incident(actor=actor, page_incident=locked, **fields)
    if first_message is not None:
        first = locked.updates.order_by("published_at", "id").first()
        edit_page_incident_update(actor=actor, update=first, message=first_message)
    new_status = status if status is not None and status != locked.status else None
    if new_status is not None or moves:
        post_incident_update(actor=actor, page_incident=locked, message="", status=new_status, component_statuses=moves)
    return locked


@transaction.atomic
def delete_page_incident(*, actor: Actor | None, page_incident: PageIncident) -> None:
    """Take an incident off its page, with its updates and impacts (a mistake, not history:
    resolve an incident to end it)."""
    page = page_incident.status_page
    page_incident.delete()
    changed(page)
    components_moved()  # its impacts went with it


@transaction.atomic
def edit_page_incident_update(*, actor: Actor | None, update: PageIncidentUpdate, message: str | None = None, status: str | None = None) -> PageIncidentUpdate:
    """Correct an update's message or status (a typo); its component statuses stay. A
    correction cannot resolve or reopen the incident: only a new update ends or restarts
    what it holds."""
    if status is not None:
        _check_status(status)
        if (status == IncidentStatus.RESOLVED) != (update.status == IncidentStatus.RESOLVED):
            raise DomainError("invalid_value", "To resolve or reopen an incident, post a new update", field="incident_status")
        update.status = status
    if message is not None:
        check_text(message, field="message", max_length=limits.MESSAGE)
        update.message = message
    update.save(update_fields=["message", "status", "updated_at"])
    latest = update.page_incident.updates.order_by("-published_at", "-id").first()
    if latest.pk == update.pk and status is not None:
        PageIncident.objects.filter(pk=update.page_incident_id).update(status=status, updated_at=timezone.now())
    changed(update.page_incident.status_page)
    return update


@transaction.atomic
def delete_page_incident_update(*, actor: Actor | None, update: PageIncidentUpdate) -> None:
    """Delete an update posted by mistake; an incident keeps at least one."""
    page_incident = update.page_incident
    if page_incident.updates.count() <= 1:
        raise DomainError("last_update", "An incident keeps at least one update", field="update")
    update.delete()
    latest = page_incident.updates.order_by("-published_at", "-id").first()
    PageIncident.objects.filter(pk=page_incident.pk).update(status=latest.status, updated_at=timezone.now())
    changed(page_incident.status_page)


# --- templates --------------------------------------------------------------------------------


@transaction.atomic
def save_incident_template(*, incident_template: IncidentTemplate | None = None, actor: Actor | None, **fields) -> IncidentTemplate:
    """Create a template (``incident_template=None``) or change one."""
    incident_template = incident_template or IncidentTemplate(number=number_for(IncidentTemplate))
    return save_valid(incident_template, **fields)


@transaction.atomic
def delete_incident_template(*, incident_template: IncidentTemplate, actor: Actor | None) -> None:
    incident_template.delete()
