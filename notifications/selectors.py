"""Who an update reaches: the reads the fan-out, its batches and the admin share.

An update reaches the confirmed, unsuppressed subscribers of its page who follow every
component, or chose one of the components it concerns. What an update concerns:
- an incident update: every component the incident has named in any of its updates up
  to this one (a "resolved" or message-only update still concerns them);
- a maintenance update: the maintenance's components (component subscriptions count for
  maintenance too).
An update that concerns no component is about the whole page: every subscriber gets it.
An incident that is not public (staff-only or hidden) reaches nobody, ever: what is public
is decided once, by ``statuspages.selectors.is_public``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from statuspages import selectors as pages
from statuspages.models import Component, MaintenanceUpdate, PageIncident, PageIncidentUpdate, StatusPage, UpdateComponentStatus

from .models import Subscriber

Update = PageIncidentUpdate | MaintenanceUpdate


def page_of(update: Update) -> StatusPage:
    if isinstance(update, PageIncidentUpdate):
        return update.page_incident.status_page
    return update.maintenance.status_page


def is_public(update: Update) -> bool:
    """Staff-only and hidden incidents are never emailed (``statuspages.selectors.is_public``)."""
    return pages.is_public(update)


def concerned_component_ids(update: Update) -> list:
    if isinstance(update, PageIncidentUpdate):
        named = UpdateComponentStatus.objects.filter(
            update__page_incident_id=update.page_incident_id, update__published_at__lte=update.published_at
        )
        return sorted(set(named.values_list("component_id", flat=True)))
    return sorted(update.maintenance.components.values_list("pk", flat=True))


def _reaching(status_page_id, component_ids: Iterable | None) -> QuerySet[Subscriber]:
    """Notifiable subscribers of a page following every component or one of
    ``component_ids`` (None: the whole page, whatever they follow)."""
    found = Subscriber.objects.filter(status_page_id=status_page_id, confirmed_at__isnull=False, suppression="")
    if component_ids is None:
        return found
    # A subquery rather than a join: one row per subscriber however many components match.
    following = Subscriber.components.through.objects.filter(component_id__in=list(component_ids)).values("subscriber_id")
    return found.filter(Q(all_components=True) | Q(pk__in=following))


def notifiable_subscribers(update: Update) -> QuerySet[Subscriber]:
    """The subscribers ``update`` is emailed to (none for an incident that is not public)."""
    if not is_public(update):
        return Subscriber.objects.none()
    return _reaching(page_of(update).pk, concerned_component_ids(update) or None)


def reach(update: Update) -> int:
    """How many subscribers ``update`` reaches."""
    return notifiable_subscribers(update).count()


def count_reach(*, status_page: StatusPage, components: Iterable[Component] = (), page_incident: PageIncident | None = None) -> int:
    """How many subscribers an update of ``status_page`` about ``components`` would reach
    (no component: an announcement to the whole page, which every subscriber gets); an
    update of ``page_incident`` when it is not public reaches nobody."""
    if page_incident is not None and not pages.is_public(page_incident):
        return 0
    ids = [component.pk for component in components]
    return _reaching(status_page.pk, ids or None).count()
