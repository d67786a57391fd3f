"""The admin front page's overview: what is under way, how many incidents were declared
week by week, and how long they took to resolve, each by severity.

A constant number of aggregate queries whatever the number of incidents: the severities,
then one GROUP BY each for the active incidents and the weekly counts, and one for the
medians, which a window function picks out in the database (SQLite and PostgreSQL alike),
so only the one or two middle rows per severity come back."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Window
from django.db.models.functions import RowNumber, TruncWeek
from django.utils import timezone

from incidents.models import Incident, IncidentTimestampValue, Severity, StatusCategory

from .incidents import DEFAULT_MODES

#: the categories of an incident still under way
ACTIVE_CATEGORIES = (StatusCategory.TRIAGE, StatusCategory.LIVE, StatusCategory.PAUSED)
WEEKS = 12
RESOLVED_WITHIN_DAYS = 90


@dataclass(frozen=True)
class TimeToResolve:
    median: timedelta
    incidents: int


@dataclass(frozen=True)
class Overview:
    """Counts keyed by severity id (``None``: incidents without a severity)."""

    severities: list[Severity]  # most severe first
    active: dict[str | None, int]
    weeks: list[date]  # the Monday each week starts on, oldest first
    declared: dict[tuple[date, str | None], int]
    time_to_resolve: dict[str | None, TimeToResolve]

    @property
    def any_without_severity(self) -> bool:
        return None in self.active or None in self.time_to_resolve or any(s is None for _, s in self.declared)


def _week_start(moment: datetime) -> date:
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


def incident_overview(*, viewer=None, now: datetime | None = None) -> Overview:
    """The counts of the incidents ``viewer`` may see (``restrict()``; all without one)."""
    now = now or timezone.now()
    incidents = _seen_by(Incident.objects.all(), viewer).filter(mode__in=DEFAULT_MODES).order_by()

    active = dict(
        incidents.filter(status__category__in=ACTIVE_CATEGORIES).values_list("severity").annotate(n=Count("id")).values_list("severity", "n")
    )

    this_week = _week_start(now)
    weeks = [this_week - timedelta(weeks=WEEKS - 1 - n) for n in range(WEEKS)]
    first = timezone.make_aware(datetime.combine(weeks[0], datetime.min.time()))
    declared = {
        (timezone.localtime(week).date() if isinstance(week, datetime) else week, severity): n
        for week, severity, n in incidents.filter(created_at__gte=first)
        .annotate(week=TruncWeek("created_at"))
        .values_list("week", "severity")
        .annotate(n=Count("id"))
        .values_list("week", "severity", "n")
    }

    return Overview(
        severities=list(Severity.objects.order_by("-rank", "name")),
        active=active,
        weeks=weeks,
        declared=declared,
        time_to_resolve=_time_to_resolve(since=now - timedelta(days=RESOLVED_WITHIN_DAYS), viewer=viewer),
    )


def _seen_by(queryset, viewer):
    return queryset if viewer is None else queryset.restrict(viewer)


def _time_to_resolve(*, since: datetime, viewer=None) -> dict[str | None, TimeToResolve]:
    """The median time from declaration to "resolved at" of the incidents resolved since
    ``since``, per severity: the rows ranked by duration within their severity, and only
    the middle one (odd count) or two (even count) read back."""
    by_severity = {"partition_by": [F("incident__severity")]}
    ranked = (
        _seen_by(IncidentTimestampValue.objects.all(), viewer)
        .filter(
            timestamp__slug="resolved", value__gte=since, incident__mode__in=DEFAULT_MODES
        )
        .annotate(duration=ExpressionWrapper(F("value") - F("incident__created_at"), output_field=DurationField()))
        .annotate(
            position=Window(RowNumber(), order_by=[F("duration").asc(), F("id").asc()], **by_severity),
            resolved=Window(Count("id"), **by_severity),
        )
        # The middle rows: (n + 1) / 2 and (n + 2) / 2 in integer division are the same row
        # when n is odd and the two middle ones when it is even.
        .filter(position__gte=(F("resolved") + 1) / 2, position__lte=(F("resolved") + 2) / 2)
        .values_list("incident__severity", "duration", "resolved")
    )
    middles: dict[str | None, list[timedelta]] = defaultdict(list)
    counts: dict[str | None, int] = {}
    for severity, duration, resolved in ranked:
        middles[severity].append(duration)
        counts[severity] = resolved
    return {
        severity: TimeToResolve(median=sum(values, timedelta()) / len(values), incidents=counts[severity])
        for severity, values in middles.items()
    }
