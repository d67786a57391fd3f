"""Who may see what of the status pages: the one rule every reader of them applies (the
public site, its feeds and Statuspage JSON, the badges, the three API dialects, subscriber
emails and the admin's reach counts). Nothing else decides it.

Two audiences: ``staff=True`` is logged-in staff on the public site and an API key with a
status page role (a dialect's signed-in reader); ``staff=False`` is everyone else, the
public.

- **Pages**: a public page is open to everyone, a private one to staff only
  (``pages_for``, ``may_open``).
- **Incidents**: one marked for everyone (``Visibility.PUBLIC``) is seen by whoever may open
  its page, one for staff (``Visibility.STAFF``) by staff only, a hidden one by nobody; its
  updates go with it (``visible_incidents``, ``sees``). An incident marked for everyone is
  *public* (``is_public``): that is what a page's subscribers are emailed and counted for,
  since subscribing to a page is reading it as its public does (a private page's
  subscribers were let in by staff).
- **Maintenance**: seen by whoever may open its page (``visible_maintenance``).
- **Status**: a component's status for an audience, the banner, the badges, summary.json
  and availability are derived from what that audience sees, and from nothing else
  (``counted_impacts``, ``counted_maintenance``): the status set by hand (seen by all),
  the impacts of the incidents the audience sees (on any page it may open: components are
  shared, so an incident on another public page moves a component here too), and
  maintenance under way that it sees. So the public never sees a component hurt by an
  incident it cannot read (hidden, staff-only, or on a private page), and staff see what
  they can read explained as well.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from statuspages.models import (
    Maintenance,
    MaintenanceStatus,
    MaintenanceUpdate,
    PageIncident,
    PageIncidentUpdate,
    StatusPage,
    Visibility,
)

#: the incident visibilities each audience sees (hidden: nobody)
_VISIBILITIES = {False: (Visibility.PUBLIC,), True: (Visibility.PUBLIC, Visibility.STAFF)}


def visibilities(*, staff: bool) -> tuple[int, ...]:
    """The visibilities of the incidents an audience sees (on pages it may open)."""
    return _VISIBILITIES[bool(staff)]


# --- pages ------------------------------------------------------------------------------------


def pages_for(*, staff: bool = False) -> QuerySet[StatusPage]:
    """The pages an audience may open: public ones, and private ones for staff."""
    pages = StatusPage.objects.all()
    return pages if staff else pages.filter(is_public=True)


def may_open(page: StatusPage, *, staff: bool) -> bool:
    """``pages_for`` of one page already loaded (no query)."""
    return staff or page.is_public


# --- incidents, their updates, maintenance ----------------------------------------------------


def visible_incidents(*, staff: bool = False, prefix: str = "") -> Q:
    """Page incidents an audience sees: marked for it, on a page it may open. ``prefix``
    reaches them from another model (``"page_incident__"`` from an update or an impact)."""
    seen = Q(**{f"{prefix}visibility__in": visibilities(staff=staff)})
    return seen if staff else seen & Q(**{f"{prefix}status_page__is_public": True})


def visible_maintenance(*, staff: bool = False, prefix: str = "") -> Q:
    """Maintenance an audience sees: on a page it may open."""
    return Q() if staff else Q(**{f"{prefix}status_page__is_public": True})


def sees(item: PageIncident | PageIncidentUpdate | Maintenance | MaintenanceUpdate, *, staff: bool) -> bool:
    """``visible_incidents`` / ``visible_maintenance`` of one row already loaded (with its
    incident or maintenance and page)."""
    incident, maintenance = _parent(item)
    if incident is not None:
        return incident.visibility in visibilities(staff=staff) and may_open(incident.status_page, staff=staff)
    return may_open(maintenance.status_page, staff=staff)


def is_public(item: PageIncident | PageIncidentUpdate | Maintenance | MaintenanceUpdate) -> bool:
    """Whether its page shows it to everyone who may open the page (not only to staff):
    what the page's subscribers are emailed about. Maintenance always is."""
    incident, _ = _parent(item)
    return incident is None or incident.visibility in visibilities(staff=False)


def _parent(item) -> tuple[PageIncident | None, Maintenance | None]:
    if isinstance(item, PageIncidentUpdate):
        return item.page_incident, None
    if isinstance(item, PageIncident):
        return item, None
    if isinstance(item, MaintenanceUpdate):
        return None, item.maintenance
    return None, item


# --- what a component's status is made of -----------------------------------------------------


def counted_impacts(*, staff: bool = False) -> Q:
    """Component impacts that count towards a component's status and availability for an
    audience: those set by hand (no incident) and those of incidents it sees."""
    return Q(page_incident__isnull=True) | visible_incidents(staff=staff, prefix="page_incident__")


def counted_maintenance(*, staff: bool = False) -> Q:
    """Rows of ``Maintenance.components.through`` that put a component under maintenance
    for an audience: of maintenance in progress that it sees."""
    return Q(maintenance__status=MaintenanceStatus.IN_PROGRESS) & visible_maintenance(staff=staff, prefix="maintenance__")
