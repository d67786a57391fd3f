"""How the incident screens show an incident's state: status and severity badges coloured
by what they mean, durations in words, the lead. Shared by the list and the page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from incidents.models import Incident, IncidentStatus, RoleType, Severity, StatusCategory

ACTIVE_CATEGORIES = (StatusCategory.TRIAGE, StatusCategory.LIVE, StatusCategory.PAUSED)
# The lifecycle timestamp that says when an incident stopped being active, by category.
END_TIMESTAMPS = ("resolved", "declined", "closed")
SEVERITY_LEVELS = ("high", "mid")  # the most severe, the next; every other is "low"


def status_badge(status: IncidentStatus | None) -> SafeString:
    if status is None:
        return format_html("{}", "—")
    return format_html(
        '<span class="inc-badge inc-status inc-cat-{}" title="{}">{}</span>',
        status.category,
        status.get_category_display(),
        status.name,
    )


def severity_levels(severities: Iterable[Severity]) -> dict[int, str]:
    """Each severity's colour, by its rank among all: the most severe is red ("high"), the
    next orange ("mid"), the others yellow ("low"), however many there are."""
    ranked = sorted(severities, key=lambda s: (-s.rank, s.pk))
    return {s.pk: SEVERITY_LEVELS[n] if n < len(SEVERITY_LEVELS) else "low" for n, s in enumerate(ranked)}


def severity_badge(severity: Severity | None, levels: dict[int, str]) -> SafeString:
    if severity is None:
        return format_html('<span class="inc-badge inc-sev-none">{}</span>', "No severity")
    return format_html('<span class="inc-badge inc-sev-{}">{}</span>', levels.get(severity.pk, "low"), severity.name)


def in_words(delta: timedelta) -> str:
    """A duration as a responder says it: "45 min", "3 h 20 min", "2 d 4 h"."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


def ended_at(incident: Incident, stamps: Sequence) -> datetime | None:
    """When an incident that is no longer active stopped being so (its resolved, declined or
    closed timestamp, the first set), None while it is active. ``stamps`` are its timestamp
    values with their timestamp loaded."""
    if incident.status.category in ACTIVE_CATEGORIES:
        return None
    by_slug = {value.timestamp.slug: value.value for value in stamps}
    return next((by_slug[slug] for slug in END_TIMESTAMPS if slug in by_slug), incident.updated_at)


def duration(incident: Incident, stamps: Sequence, *, now: datetime | None = None) -> tuple[str, str]:
    """("open for", "3 h 20 min") while active, ("resolved in", "2 d 4 h") after."""
    end = ended_at(incident, stamps)
    if end is None:
        return "open for", in_words((now or timezone.now()) - incident.created_at)
    return "resolved in", in_words(end - incident.created_at)


def lead_of(assignments: Iterable) -> object | None:
    """The incident lead among role assignments (role and assignee loaded), or None."""
    return next((a.assignee for a in assignments if a.role.role_type == RoleType.LEAD), None)


def person(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()
