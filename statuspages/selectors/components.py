"""A component's status, derived from its open impacts and the maintenance under way
(never stored), and its availability over time, computed from its impacts; both for an
audience, from what it may read (``visibility.counted_impacts``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from statuspages.models import ComponentImpact, ComponentStatus, Maintenance

from .visibility import counted_impacts, counted_maintenance

UNDER_MAINTENANCE = "under_maintenance"
#: from best to worst: a component shows the worst that holds for it
RANKS = {
    ComponentStatus.OPERATIONAL: 0,
    UNDER_MAINTENANCE: 1,
    ComponentStatus.DEGRADED_PERFORMANCE: 2,
    ComponentStatus.PARTIAL_OUTAGE: 3,
    ComponentStatus.FULL_OUTAGE: 4,
}
#: how much of an impact's time counts as down when availability is computed: a partial
#: outage half (some requests fail), degraded performance none (slow, but up)
DOWNTIME_WEIGHTS = {
    ComponentStatus.DEGRADED_PERFORMANCE: 0.0,
    ComponentStatus.PARTIAL_OUTAGE: 0.5,
    ComponentStatus.FULL_OUTAGE: 1.0,
}


def worst(statuses: Iterable[str]) -> str:
    return max(statuses, key=RANKS.__getitem__, default=ComponentStatus.OPERATIONAL.value)


def component_statuses(
    component_ids: Iterable[str], *, staff: bool = False, under_maintenance: Iterable[str] | None = None
) -> dict[str, str]:
    """The current status of each component as an audience sees it (the public unless
    ``staff``): the worst of its open impacts it may read of (``counted_impacts``), or
    under maintenance while a maintenance it may read of affecting it is in progress, else
    operational (2 queries; 1 when the caller knows which are ``under_maintenance``)."""
    ids = list(component_ids)
    statuses = dict.fromkeys(ids, ComponentStatus.OPERATIONAL.value)
    if under_maintenance is None:
        under_maintenance = Maintenance.components.through.objects.filter(
            counted_maintenance(staff=staff), component_id__in=ids
        ).values_list("component_id", flat=True)
    for component_id in under_maintenance:
        if component_id in statuses:
            statuses[component_id] = UNDER_MAINTENANCE
    open_impacts = ComponentImpact.objects.filter(counted_impacts(staff=staff), component_id__in=ids, end_at__isnull=True)
    for component_id, level in open_impacts.values_list("component_id", "level"):
        statuses[component_id] = worst([statuses[component_id], level])
    return statuses


@dataclass(frozen=True)
class Day:
    """One day of a component's availability (in the page's time zone)."""

    day: date
    #: seconds of the day spent at each impact level (worst at each instant)
    seconds: dict[str, float]

    @property
    def uptime(self) -> float:
        """The share of the day counted as up (1.0 for a day without outage)."""
        down = sum(DOWNTIME_WEIGHTS[level] * seconds for level, seconds in self.seconds.items())
        return max(0.0, 1.0 - down / 86_400)

    @property
    def worst(self) -> str:
        return worst(self.seconds) if self.seconds else ComponentStatus.OPERATIONAL.value


@dataclass(frozen=True)
class Availability:
    component_id: str
    days: list[Day]
    start_at: datetime
    end_at: datetime

    @property
    def percent(self) -> float:
        """Availability over the whole period, as a percentage (100.0 with no outage)."""
        if not self.days:
            return 100.0
        return round(100 * sum(day.uptime for day in self.days) / len(self.days), 4)


def availability(
    component_ids: Iterable[str], *, staff: bool = False, days: int = 90, time_zone: str = "UTC", today: date | None = None
) -> dict[str, Availability]:
    """Each component's availability over the ``days`` days up to ``today`` (in
    ``time_zone``; today included, counted as a whole day), from the impacts an audience
    may read of (the public unless ``staff``; ``counted_impacts``) (1 query)."""
    ids = list(component_ids)
    zone = ZoneInfo(time_zone)
    today = today or timezone.now().astimezone(zone).date()
    first = today - timedelta(days=days - 1)
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(today + timedelta(days=1), time.min, tzinfo=zone)
    intervals = defaultdict(list)
    impacts = ComponentImpact.objects.filter(counted_impacts(staff=staff), component_id__in=ids, start_at__lt=end).filter(
        Q(end_at__isnull=True) | Q(end_at__gt=start)
    )
    now = timezone.now()
    for component_id, level, start_at, end_at in impacts.values_list("component_id", "level", "start_at", "end_at"):
        intervals[component_id].append((max(start_at, start), min(end_at or now, end), level))
    return {
        component_id: Availability(component_id, _days(intervals[component_id], first, days, zone), start, end)
        for component_id in ids
    }


def _days(intervals: list[tuple[datetime, datetime, str]], first: date, count: int, zone: ZoneInfo) -> list[Day]:
    """Seconds per level per day, the worst level holding wherever impacts overlap."""
    per_day = [defaultdict(float) for _ in range(count)]
    # Cut the timeline at every edge of an impact and of a day; each piece has one worst level.
    edges = sorted({moment for start, end, _ in intervals for moment in (start, end) if start < end})
    day_edges = [datetime.combine(first + timedelta(days=n), time.min, tzinfo=zone) for n in range(count + 1)]
    cuts = sorted(set(edges) | {edge for edge in day_edges if edges and edges[0] < edge < edges[-1]})
    for left, right in zip(cuts, cuts[1:]):
        levels = [level for start, end, level in intervals if start <= left and right <= end]
        if not levels:
            continue
        index = (left.astimezone(zone).date() - first).days
        if 0 <= index < count:
            per_day[index][worst(levels)] += (right - left).total_seconds()
    return [Day(first + timedelta(days=n), dict(seconds)) for n, seconds in enumerate(per_day)]
