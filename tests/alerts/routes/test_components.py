"""A route moves its status page's components while its alerts fire, and returns them
when they resolve, through the status pages' services; the page shows the route's words,
never the alert's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts import services
from alerts.services import Event
from core.exceptions import DomainError
from statuspages.models import PageIncident
from statuspages.selectors.components import component_statuses
from tests.alerts.factories import make_route, make_source
from tests.factories import status_page

pytestmark = pytest.mark.django_db
T0 = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
SECRET_TITLE = "db-7.internal OOM-killed postgres"


def send(source, status, key, at=T0):
    event = Event(status=status, dedup_key=key, title=SECRET_TITLE, metadata={"labels": {"service": "api"}}, body="{}")
    return services.record_events(source=source, events=[event], now=at)[0]


@pytest.fixture
def page():
    return status_page(components=["API", "Dashboard"])


def route_on(page, source, **fields):
    return make_route(
        source,
        grouping_window_seconds=600,
        status_page=page,
        components=[page.test_components["API"]],
        component_status="full_outage",
        public_name="API errors",
        **fields,
    )


def statuses(page):
    return {name: component_statuses([c.pk])[c.pk] for name, c in page.test_components.items()}


def test_components_go_down_while_alerts_fire_and_come_back_when_all_resolve(page, client, mailoutbox):
    source = make_source()
    route_on(page, source)
    send(source, "firing", "a")
    send(source, "firing", "b", at=T0 + timedelta(seconds=5))
    assert statuses(page) == {"API": "full_outage", "Dashboard": "operational"}
    assert PageIncident.objects.count() == 1
    for url in ("/status/acme/api/v2/summary.json", "/status/acme/", "/status/acme/feed.atom"):
        public = client.get(url).content.decode()
        assert "API errors" in public and "db-7" not in public, url
    listed = {c["name"]: c["status"] for c in client.get("/status/acme/api/v2/components.json").json()["components"]}
    assert listed == {"API": "major_outage", "Dashboard": "operational"}  # Statuspage's word for a full outage
    send(source, "resolved", "a", at=T0 + timedelta(seconds=10))
    assert statuses(page)["API"] == "full_outage"
    send(source, "resolved", "b", at=T0 + timedelta(seconds=20))
    assert statuses(page)["API"] == "operational"
    assert PageIncident.objects.get().is_resolved
    assert mailoutbox == []  # the route did not ask to notify


def test_a_new_alert_in_the_same_group_reopens_the_page_incident(page):
    source = make_source()
    route_on(page, source, when_resolved="nothing")
    send(source, "firing", "a")
    send(source, "resolved", "a", at=T0 + timedelta(seconds=5))
    send(source, "firing", "b", at=T0 + timedelta(seconds=10))
    assert statuses(page)["API"] == "full_outage" and PageIncident.objects.count() == 1


def test_without_a_status_page_nothing_is_published(page):
    source = make_source()
    make_route(source)
    send(source, "firing", "a")
    assert PageIncident.objects.count() == 0


def test_a_component_not_on_the_routes_page_is_refused(page):
    other = status_page("Other", "other", components=["Billing"])
    with pytest.raises(DomainError):
        make_route(make_source(), status_page=page, components=[other.test_components["Billing"]])


def test_the_notify_flag_asks_both_updates_to_tell_subscribers(page):
    from statuspages.models import PageIncidentUpdate

    source = make_source()
    route_on(page, source, notify_subscribers=True)
    send(source, "firing", "a")
    send(source, "resolved", "a", at=T0 + timedelta(seconds=5))
    assert list(PageIncidentUpdate.objects.order_by("published_at").values_list("status", "notify_subscribers")) == [
        ("investigating", True),
        ("resolved", True),
    ]
