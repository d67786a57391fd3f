"""A public response's validators change whenever its body changes, and no request
parameter multiplies cached entries: a component shared by several pages refreshes every
page that shows it when anything moves its status, and query parameters are normalised
before they reach a cache key."""

from datetime import timedelta

import pytest
from django.utils import timezone

from statuspages import caching, services
from statuspages.models import MaintenanceStatus, Visibility
from tests.factories import status_page

from .conftest import component, incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(page):
    """A second public page showing the first page's API component."""
    other = status_page(name="Acme EU", slug="acme-eu")
    services.place_component(actor=None, component=component(page, "API"), status_page=other)
    return other


def badge_text(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "move",
    [
        pytest.param(
            lambda page, api: services.publish_incident(
                actor=None, status_page=page, name="EU outage", message="m", component_statuses={api: "full_outage"}
            ),
            id="publish",
        ),
        pytest.param(
            lambda page, api: services.post_incident_update(
                actor=None,
                page_incident=services.publish_incident(actor=None, status_page=page, name="n", message="m"),
                message="worse",
                component_statuses={api: "full_outage"},
            ),
            id="update",
        ),
        pytest.param(
            lambda page, api: services.schedule_maintenance(
                actor=None,
                status_page=page,
                name="Upgrade",
                message="m",
                status=MaintenanceStatus.IN_PROGRESS,
                starts_at=timezone.now() - timedelta(minutes=5),
                ends_at=timezone.now() + timedelta(hours=1),
                components=[api],
            ),
            id="maintenance",
        ),
    ],
)
def test_moving_a_shared_component_from_one_page_bumps_the_other(page, shared, move):
    before = caching.versions(page.pk)
    move(shared, component(page, "API"))
    assert caching.versions(page.pk) != before


def test_resolving_or_hiding_an_incident_on_one_page_bumps_the_other(page, shared):
    found = services.publish_incident(
        actor=None, status_page=shared, name="EU outage", message="m", component_statuses={component(page, "API"): "full_outage"}
    )
    before = caching.versions(page.pk)
    services.edit_page_incident(actor=None, page_incident=found, visibility=Visibility.HIDDEN)
    hidden = caching.versions(page.pk)
    assert hidden != before
    services.delete_page_incident(actor=None, page_incident=found)
    assert caching.versions(page.pk) != hidden


def test_a_change_that_moves_no_component_bumps_its_page_only(page, shared):
    before = caching.versions(page.pk)
    incident(shared)
    assert caching.versions(page.pk) == before


@pytest.mark.usefixtures("accelerated")
@pytest.mark.parametrize("path_", ["/status/acme/badge.svg", "/status/acme/api/v2/summary.json"])
def test_a_kept_body_of_a_page_sharing_a_component_is_not_served_stale(client, page, shared, path_):
    assert "outage" not in badge_text(client, path_)
    services.publish_incident(
        actor=None, status_page=shared, name="EU outage", message="m", component_statuses={component(page, "API"): "full_outage"}
    )
    assert "outage" in badge_text(client, path_)


# --- query parameters never multiply cache entries ---------------------------------------------


@pytest.mark.usefixtures("accelerated")
@pytest.mark.parametrize(
    "path_, parameter",
    [
        ("/status/acme/history/", "page"),
        ("/status/acme/", "page"),
        ("/status/acme/badge.svg", "style"),
        ("/status/acme/feed.atom", "format"),
        ("/status/acme/api/v2/summary.json", "callback"),
    ],
)
def test_junk_query_values_do_not_create_cache_entries(client, page, path_, parameter):
    """Every value a parameter may take that means the same page gives the same ETag (the
    key of the kept body); values that mean nothing are refused or ignored."""
    etags = set()
    for value in ["1", "01", "001", "+1", " 1", "1 ", "1.0"] + [f"junk{n}" for n in range(20)]:
        response = client.get(path_, {parameter: value})
        assert response.status_code in (200, 404), (value, response.status_code)
        if response.status_code == 200:
            etags.add(response["ETag"])
    assert len(etags) <= 1
