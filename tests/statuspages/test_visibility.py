"""The one rule of who sees what (``statuspages.selectors.visibility``): its query and its
check of a loaded row agree on every case, and the table of cases is the documented one."""

import itertools

import pytest

from statuspages import selectors, services
from statuspages.models import Maintenance, MaintenanceUpdate, PageIncident, PageIncidentUpdate, Visibility
from tests.factories import status_page

pytestmark = pytest.mark.django_db

#: (visibility, page is public, staff) -> seen
SEEN = {
    (Visibility.PUBLIC, True, False): True,
    (Visibility.PUBLIC, True, True): True,
    (Visibility.PUBLIC, False, False): False,
    (Visibility.PUBLIC, False, True): True,
    (Visibility.STAFF, True, False): False,
    (Visibility.STAFF, True, True): True,
    (Visibility.STAFF, False, False): False,
    (Visibility.STAFF, False, True): True,
    (Visibility.HIDDEN, True, False): False,
    (Visibility.HIDDEN, True, True): False,
    (Visibility.HIDDEN, False, False): False,
    (Visibility.HIDDEN, False, True): False,
}


@pytest.fixture
def world():
    """An incident of each visibility, with a maintenance, on a public and a private page."""
    found = {}
    for public in (True, False):
        page = status_page(name=f"Page {public}", slug=f"page-{str(public).lower()}", is_public=public)
        for visibility in Visibility:
            found[(visibility, public)] = services.publish_incident(
                actor=None, status_page=page, name=f"{visibility.label} on {page.name}", message="m", visibility=visibility
            )
        found[("maintenance", public)] = services.schedule_maintenance(
            actor=None, status_page=page, name=f"Works on {page.name}", message="m",
            starts_at=page.created_at, ends_at=page.created_at.replace(year=page.created_at.year + 1),
        )
    return found


@pytest.mark.parametrize("staff", [False, True], ids=["public", "staff"])
def test_the_query_and_the_check_of_a_loaded_row_agree_with_the_table(world, staff):
    seen = set(PageIncident.objects.filter(selectors.visible_incidents(staff=staff)).values_list("pk", flat=True))
    seen_updates = set(
        PageIncidentUpdate.objects.filter(selectors.visible_incidents(staff=staff, prefix="page_incident__"))
        .values_list("page_incident_id", flat=True)
    )
    for visibility, public in itertools.product(Visibility, (True, False)):
        incident = PageIncident.objects.select_related("status_page").get(pk=world[(visibility, public)].pk)
        expected = SEEN[(visibility, public, staff)]
        assert (incident.pk in seen) is expected, (visibility, public)
        assert (incident.pk in seen_updates) is expected, (visibility, public)
        assert selectors.sees(incident, staff=staff) is expected, (visibility, public)
        assert selectors.sees(incident.updates.select_related("page_incident__status_page").get(), staff=staff) is expected


@pytest.mark.parametrize("staff", [False, True], ids=["public", "staff"])
def test_maintenance_is_seen_by_whoever_may_open_its_page(world, staff):
    seen = set(Maintenance.objects.filter(selectors.visible_maintenance(staff=staff)).values_list("pk", flat=True))
    for public in (True, False):
        maintenance = Maintenance.objects.select_related("status_page").get(pk=world[("maintenance", public)].pk)
        assert (maintenance.pk in seen) is (public or staff)
        assert selectors.sees(maintenance, staff=staff) is (public or staff)
        assert selectors.may_open(maintenance.status_page, staff=staff) is (public or staff)
        assert selectors.pages_for(staff=staff).filter(pk=maintenance.status_page_id).exists() is (public or staff)


def test_public_is_what_a_page_shows_everyone_who_may_open_it(world):
    for visibility, public in itertools.product(Visibility, (True, False)):
        incident = world[(visibility, public)]
        assert selectors.is_public(incident) is (visibility == Visibility.PUBLIC)
        assert selectors.is_public(incident.updates.get()) is (visibility == Visibility.PUBLIC)
    assert selectors.is_public(MaintenanceUpdate.objects.first())
