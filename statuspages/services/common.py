"""What every status page service shares: the ids Cachet shows, announcing changes, and
turning a page's component statuses into impacts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from core.exceptions import DomainError
from incidents.services import next_value
from statuspages.models import Component, ComponentImpact, ComponentStatus, PageIncident, StatusPage
from statuspages.signals import page_changed, update_published


def number_for(model) -> int:
    """The next integer id of ``model``'s rows (what Cachet's dialect shows)."""
    return next_value(f"statuspages.{model._meta.model_name}")


def save_valid(obj, **fields):
    """Set ``fields`` on ``obj`` and save it, refusing what its model's checks refuse (a
    clashing slug is a conflict)."""
    for name, value in fields.items():
        setattr(obj, name, value)
    try:
        obj.full_clean(validate_unique=True, validate_constraints=True)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        codes = {error.code for error in exc.error_dict.get(field, [])}
        code = "conflict" if any("already exists" in m for m in messages) else next(
            (c for c in ("control_characters", "max_length") if c in codes), "invalid_value"
        )
        raise DomainError(code, " ".join(messages), field=None if field == "__all__" else field) from None
    obj.save()
    return obj


def changed(*pages: StatusPage | None) -> None:
    """Tell the public site that these pages (None: every page) show something new."""
    ids = None if any(page is None for page in pages) else sorted({page.pk for page in pages})
    page_changed.send(sender=StatusPage, status_page_ids=ids)


def components_moved() -> None:
    """Tell the public site that a component's status may have changed: every page that
    shows it (components are shared, so not only the page of the incident or maintenance
    that moved it) shows something new. No query: the global token moves."""
    changed(None)


def published(update) -> None:
    """Announce an update; subscribers are told only if it asks for that."""
    if update.notify_subscribers:
        transaction.on_commit(lambda: update_published.send(sender=type(update), update=update))


def stray_components(components: Iterable[Component], status_page: StatusPage) -> list[str]:
    """The names of those of ``components`` the page does not show (1 query)."""
    shown = set(status_page.placements.values_list("component_id", flat=True))
    return [component.name for component in components if component.pk not in shown]


def check_components(components: Iterable[Component], status_page: StatusPage, field: str) -> None:
    """Only components the page shows may be named in its incidents and maintenance."""
    stray = stray_components(components, status_page)
    if stray:
        raise DomainError("invalid_value", f"Not on {status_page.name}: {', '.join(stray)}", field=field)


def apply_component_statuses(
    page_incident: PageIncident | None,
    statuses: Mapping[Component, str],
    at: datetime,
) -> None:
    """Move each component to its new status from ``at``: the impact this incident (or,
    without one, the component's status set by hand) held on it ends, and a new one
    starts unless the component is operational again. A status the component already has
    from this incident changes nothing."""
    if not statuses:
        return
    held = {
        impact.component_id: impact
        for impact in ComponentImpact.objects.filter(
            page_incident=page_incident, component__in=list(statuses), end_at__isnull=True
        )
    }
    ended, started = [], []
    for component, status in statuses.items():
        current = held.get(component.pk)
        if current is not None and current.level == status:
            continue
        if current is not None:
            current.end_at = max(at, current.start_at)
            ended.append(current)
        if status != ComponentStatus.OPERATIONAL:
            started.append(ComponentImpact(component=component, page_incident=page_incident, level=status, start_at=at))
    if ended:
        ComponentImpact.objects.bulk_update(ended, ["end_at"])
    ComponentImpact.objects.bulk_create(started)


def end_impacts(page_incident: PageIncident, at: datetime) -> list[Component]:
    """End every impact the incident still holds (it is resolved); returns their components."""
    open_impacts = list(ComponentImpact.objects.filter(page_incident=page_incident, end_at__isnull=True).select_related("component"))
    for impact in open_impacts:
        impact.end_at = max(at, impact.start_at)
    ComponentImpact.objects.bulk_update(open_impacts, ["end_at"])
    return [impact.component for impact in open_impacts]
