"""Queries per public response, the same for a page with a short history as for one with
two years of it, on a cold cache and a warm one. Accelerated, a warm response reads no
database at all; plain, every response looks its page up and renders."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from statuspages import services
from statuspages.models import MaintenanceStatus

from .conftest import component, incident, maintenance

pytestmark = pytest.mark.django_db

# What rendering each response reads, after the page's lookup (1 query, by slug).
RENDERS = {
    # placements (with components and groups); maintenance to come or under way; what it
    # affects; open impacts; the impacts of the 90-day window; incidents under way; their
    # updates; the past days' incidents
    "front": 8,
    # the incident; its updates; what they moved (with the components)
    "incident": 3,
    # the maintenance; its updates; the components it affects
    "maintenance": 3,
    # when the history begins (incidents and maintenance in one query); the incidents of
    # the months shown; their maintenance
    "history": 3,
    # the latest incidents; their updates; the latest maintenance; its updates
    "atom": 4,
    "rss": 4,
    # the front's reads without availability (6)
    "badge": 6,
    # where the page shows the component (with it and its group); maintenance under way
    # affecting it; its open impacts
    "component badge": 3,
    "status.json": 6,
    # the front's 6; what the incidents' updates moved; the maintenance's updates
    "summary.json": 8,
    "components.json": 6,
    # the front's 6; the latest incidents; their updates; what those moved
    "incidents.json": 9,
    # the front's 6; what the updates of incidents under way moved
    "unresolved.json": 7,
    # the front's 6; the latest maintenance; its updates; the components it affects
    "scheduled-maintenances.json": 9,
    # the front's 6; the updates of the maintenance listed
    "upcoming.json": 7,
    "active.json": 7,
}


def build(page, past: int) -> dict[str, str]:
    """``past`` resolved incidents and as many completed maintenance, every 18 days back
    (40: two years), an incident and a maintenance under way, one to come."""
    now = timezone.now()
    api, cards = component(page, "API"), component(page, "Cards")
    for n in range(past):
        began = now - timedelta(days=18 * n + 1)
        services.publish_retrospective_incident(
            actor=None, status_page=page, name=f"Past incident {n}", updates=[
                services.PastUpdate("investigating", "Broken", began, {api: "partial_outage", cards: "full_outage"}),
                services.PastUpdate("identified", "Found it", began + timedelta(minutes=30), {cards: "degraded_performance"}),
                services.PastUpdate("resolved", "Fixed", began + timedelta(hours=2)),
            ],
        )
        services.schedule_maintenance(
            actor=None, status_page=page, name=f"Past maintenance {n}", message="Done", published_at=began - timedelta(days=2),
            starts_at=began - timedelta(days=1), ends_at=began - timedelta(days=1) + timedelta(hours=1),
            status=MaintenanceStatus.COMPLETE, components=[api],
        )
    ongoing = incident(page, statuses={"API": "degraded_performance"})
    services.post_incident_update(actor=None, page_incident=ongoing, message="Found it", status="identified")
    maintenance(page, name="Under way", hours_from_now=-1, hours=2, status=MaintenanceStatus.IN_PROGRESS, components=("Invoices",))
    planned = maintenance(page)
    json = "/status/acme/api/v2/"
    return {
        "front": "/status/acme/",
        "incident": f"/status/acme/incidents/{ongoing.pk}/",
        "maintenance": f"/status/acme/maintenance/{planned.pk}/",
        "history": "/status/acme/history/",
        "atom": "/status/acme/feed.atom",
        "rss": "/status/acme/feed.rss",
        "badge": "/status/acme/badge.svg",
        "component badge": f"/status/acme/components/{api.pk}/badge.svg",
        "status.json": f"{json}status.json",
        "summary.json": f"{json}summary.json",
        "components.json": f"{json}components.json",
        "incidents.json": f"{json}incidents.json",
        "unresolved.json": f"{json}incidents/unresolved.json",
        "scheduled-maintenances.json": f"{json}scheduled-maintenances.json",
        "upcoming.json": f"{json}scheduled-maintenances/upcoming.json",
        "active.json": f"{json}scheduled-maintenances/active.json",
    }


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200, path
    return len(captured)


@pytest.mark.parametrize("past", [1, 40], ids=["short history", "two years"])
def test_queries_per_response_are_constant(client, page, speed, past):
    paths = build(page, past)
    cold, warm = {}, {}
    for name, path in paths.items():
        cache.clear()  # a cold cache: the page's lookup too
        cold[name] = queries(client, path)
        warm[name] = queries(client, path)
    assert cold == {name: 1 + count for name, count in RENDERS.items()}
    assert warm == ({name: 0 for name in RENDERS} if speed else cold)


@pytest.mark.usefixtures("accelerated")
def test_a_warm_page_costs_a_staff_reader_only_their_session(staff_reader, page, django_assert_num_queries):
    staff_reader.get("/status/acme/")
    with django_assert_num_queries(2):  # the session; its user
        staff_reader.get("/status/acme/")


@pytest.mark.usefixtures("accelerated")
def test_status_costs_one_query_more_than_the_page_it_serves(client, page, django_assert_num_queries):
    services.save_status_page(actor=None, page=page, is_default=True)
    client.get("/status/")
    with django_assert_num_queries(1):  # the default page
        client.get("/status/")
