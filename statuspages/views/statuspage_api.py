"""Atlassian Statuspage's public JSON, per page (``/status/<slug>/api/v2/...``): the shape
monitoring scripts, dashboards and chat bots already read
(docs/dialects/statuspage-json.md).

How ours maps onto theirs:
- component statuses are the same words, except ``full_outage``, which is their
  ``major_outage``; groups are components with ``"group": true`` and their members' ids;
- ``status.indicator`` follows the banner, i.e. the worst status a component shows now
  (the open impacts of unresolved incidents the reader may read, and statuses set by
  hand: ``selectors.visibility``): degraded
  performance ``minor``, partial outage ``major``, full outage ``critical``,
  ``maintenance`` while maintenance is under way, else ``none``; ``description`` is the
  banner's sentence;
- an incident's ``impact`` is the worst component status it ever set, in those words
  (``none`` if it set none); a maintenance's is ``maintenance``, as Statuspage's are;
- maintenance statuses: scheduled ``scheduled``, in progress ``in_progress``, complete
  ``completed``; an update's ``affected_components`` give the status each component had
  from this incident before the update (``operational`` at first) and after;
- ids are ours; ``body`` is an update's message as written (markdown);
- times are ISO 8601 in the page's time zone; ``page.updated_at`` is when what the page
  shows last changed (its version).

Only what page incidents and their updates say is shown, never a linked internal incident.
"""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone

from statuspages import selectors
from statuspages.models import IncidentStatus, Maintenance, MaintenanceStatus, PageIncident, StatusPage
from statuspages.selectors import GroupView, PageOverview

from . import reads
from .serving import public_state, public_view

COMPONENT_STATUSES = {
    "operational": "operational",
    "degraded_performance": "degraded_performance",
    "partial_outage": "partial_outage",
    "full_outage": "major_outage",
    selectors.UNDER_MAINTENANCE: "under_maintenance",
}
IMPACTS = {"degraded_performance": "minor", "partial_outage": "major", "full_outage": "critical"}
INDICATORS = {**IMPACTS, selectors.UNDER_MAINTENANCE: "maintenance"}
MAINTENANCE_STATUSES = {
    MaintenanceStatus.SCHEDULED: "scheduled",
    MaintenanceStatus.IN_PROGRESS: "in_progress",
    MaintenanceStatus.COMPLETE: "completed",
}
FRESH_FOR = 60


def iso(moment):
    return timezone.localtime(moment).isoformat(timespec="milliseconds") if moment else None


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def page_json(page: StatusPage, request) -> dict:
    return {
        "id": page.pk,
        "name": page.name,
        "url": absolute(reverse("statuspages:page", args=[page.slug])),
        "time_zone": page.time_zone,
        "updated_at": iso(public_state(request).versions.changed_at),
    }


def status_json(overview: PageOverview) -> dict:
    banner = overview.banner
    worst = selectors.worst(view.status for view in overview.components)
    indicator = INDICATORS.get(worst, "maintenance" if banner.level == "maintenance" else "none")
    return {"indicator": indicator, "description": banner.sentence}


def components_json(overview: PageOverview) -> tuple[list[dict], dict[str, dict]]:
    """The page's groups and components in its order, and the components by id."""
    page, listed, by_id, position = overview.page, [], {}, 0

    def component(view, group_id):
        nonlocal position
        position += 1
        c = view.component
        return {
            "id": c.pk, "name": c.name, "status": COMPONENT_STATUSES[view.status],
            "created_at": iso(c.created_at), "updated_at": iso(c.updated_at), "position": position,
            "description": c.description or None, "showcase": view.placement.display_uptime,
            "start_date": timezone.localtime(c.created_at).date().isoformat(), "group_id": group_id,
            "page_id": page.pk, "group": False, "only_show_if_degraded": False,
        }

    for item in overview.items:
        if isinstance(item, GroupView):
            position += 1
            g = item.group
            listed.append({
                "id": g.pk, "name": g.name, "status": COMPONENT_STATUSES[item.status],
                "created_at": iso(g.created_at), "updated_at": iso(g.updated_at), "position": position,
                "description": g.description or None, "showcase": False, "start_date": None, "group_id": None,
                "page_id": page.pk, "group": True, "only_show_if_degraded": False,
                "components": [view.component.pk for view in item.components],
            })
            members = [component(view, g.pk) for view in item.components]
        else:
            members = [component(item, None)]
        listed.extend(members)
        by_id.update((member["id"], member) for member in members)
    return listed, by_id


def incident_json(slug: str, incident: PageIncident, moved: dict, components: dict[str, dict]) -> dict:
    """``incident.timeline`` latest first; ``moved``: update id -> what it set."""
    url = absolute(reverse("statuspages:incident", args=[slug, incident.pk]))
    held, updates, worst = {}, [], []
    for update in reversed(incident.timeline):
        affected = []
        for status in moved.get(update.pk, []):
            before = held.get(status.component_id, "operational")
            held[status.component_id] = status.status
            worst.append(status.status)
            affected.append({
                "code": status.component_id, "name": status.component.name,
                "old_status": COMPONENT_STATUSES[before], "new_status": COMPONENT_STATUSES[status.status],
            })
        updates.append({
            "id": update.pk, "status": update.status, "body": update.message, "incident_id": incident.pk,
            "created_at": iso(update.published_at), "updated_at": iso(update.updated_at),
            "display_at": iso(update.published_at), "affected_components": affected,
        })
    monitoring = [u.published_at for u in incident.timeline if u.status == IncidentStatus.MONITORING]
    return {
        "id": incident.pk, "name": incident.name, "status": incident.status,
        "impact": IMPACTS.get(selectors.worst(worst), "none"),
        "created_at": iso(incident.published_at), "updated_at": iso(incident.updated_at),
        "started_at": iso(incident.published_at), "monitoring_at": iso(min(monitoring) if monitoring else None),
        "resolved_at": iso(incident.resolved_at), "shortlink": url, "page_id": incident.status_page_id,
        "incident_updates": updates[::-1],
        "components": [components[c] for c in held if c in components],
    }


def maintenance_json(slug: str, maintenance: Maintenance, timeline: list, components: dict[str, dict]) -> dict:
    """``timeline`` latest first; ``maintenance.components`` prefetched."""
    latest = max([maintenance.updated_at, *(u.published_at for u in timeline)])
    return {
        "id": maintenance.pk, "name": maintenance.name, "status": MAINTENANCE_STATUSES[maintenance.status],
        "impact": "maintenance", "created_at": iso(maintenance.published_at), "updated_at": iso(latest),
        "started_at": iso(maintenance.started_at or maintenance.starts_at), "monitoring_at": None,
        "resolved_at": iso(maintenance.completed_at),
        "shortlink": absolute(reverse("statuspages:maintenance", args=[slug, maintenance.pk])),
        "page_id": maintenance.status_page_id,
        "incident_updates": [
            {
                "id": u.pk, "status": MAINTENANCE_STATUSES[u.status], "body": u.message, "incident_id": maintenance.pk,
                "created_at": iso(u.published_at), "updated_at": iso(u.updated_at), "display_at": iso(u.published_at),
                "affected_components": [],
            }
            for u in timeline
        ],
        "components": [components[c.pk] for c in maintenance.components.all() if c.pk in components],
        "scheduled_for": iso(maintenance.starts_at), "scheduled_until": iso(maintenance.ends_at),
    }


class _Page:
    """What every document of a page starts from: its overview (6 queries, no
    availability), its components in Statuspage's shape."""

    def __init__(self, request, page: StatusPage):
        self.request, self.page = request, page
        self.overview = selectors.page_overview(page, staff=public_state(request).staff, with_availability=False)
        self.components, self.by_id = components_json(self.overview)

    def head(self) -> dict:
        return {"page": page_json(self.page, self.request)}

    def incidents(self, incidents: list[PageIncident]) -> list[dict]:
        """With their timelines prefetched (1 query: what the updates moved)."""
        moved = reads.moved_by(self.page, [u for i in incidents for u in i.timeline])
        return [incident_json(self.page.slug, i, moved, self.by_id) for i in incidents]

    def maintenances(self, maintenances: list[Maintenance]) -> list[dict]:
        """With their components prefetched, and their timelines (else 1 query)."""
        missing = [m for m in maintenances if not hasattr(m, "timeline")]
        timelines = reads.timelines_of(missing) if missing else {}
        return [
            maintenance_json(self.page.slug, m, getattr(m, "timeline", None) or timelines.get(m.pk, []), self.by_id)
            for m in maintenances
        ]


def _json(body: dict) -> JsonResponse:
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@public_view("api:status", cors=True)
def status(request, page: StatusPage):
    """``status.json``: the page and its indicator (6 queries)."""
    p = _Page(request, page)
    return _json({**p.head(), "status": status_json(p.overview)})


@public_view("api:summary", fresh_for=FRESH_FOR, cors=True)
def summary(request, page: StatusPage):
    """``summary.json``: components, unresolved incidents, maintenance under way or to
    come (8 queries)."""
    p = _Page(request, page)
    return _json({
        **p.head(), "status": status_json(p.overview), "components": p.components,
        "incidents": p.incidents(p.overview.incidents), "scheduled_maintenances": p.maintenances(p.overview.maintenances),
    })


@public_view("api:components", cors=True)
def components(request, page: StatusPage):
    p = _Page(request, page)
    return _json({**p.head(), "components": p.components})


@public_view("api:incidents", cors=True)
def incidents(request, page: StatusPage):
    """``incidents.json``: the latest 50 incidents (9 queries)."""
    p = _Page(request, page)
    found = reads.recent_incidents(page, staff=public_state(request).staff)
    return _json({**p.head(), "incidents": p.incidents(found)})


@public_view("api:incidents-unresolved", cors=True)
def unresolved_incidents(request, page: StatusPage):
    p = _Page(request, page)
    return _json({**p.head(), "incidents": p.incidents(p.overview.incidents)})


@public_view("api:maintenances", cors=True)
def scheduled_maintenances(request, page: StatusPage):
    """``scheduled-maintenances.json``: the latest 50 (by window) (9 queries)."""
    p = _Page(request, page)
    found = reads.recent_maintenance(page, with_components=True)
    return _json({**p.head(), "scheduled_maintenances": p.maintenances(found)})


@public_view("api:maintenances-upcoming", fresh_for=FRESH_FOR, cors=True)
def upcoming_maintenances(request, page: StatusPage):
    p = _Page(request, page)
    found = [m for m in p.overview.maintenances if m.status == MaintenanceStatus.SCHEDULED]
    return _json({**p.head(), "scheduled_maintenances": p.maintenances(found)})


@public_view("api:maintenances-active", cors=True)
def active_maintenances(request, page: StatusPage):
    p = _Page(request, page)
    found = [m for m in p.overview.maintenances if m.status == MaintenanceStatus.IN_PROGRESS]
    return _json({**p.head(), "scheduled_maintenances": p.maintenances(found)})
