"""Who an update reaches: confirmed, unsuppressed subscribers of its page who follow every
component or one the update concerns; nobody for an incident that is not public."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import selectors
from notifications.models import Suppression
from statuspages import services
from statuspages.models import Visibility
from tests.factories import status_page

from .conftest import subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def page():
    return status_page(components=["API", "Dashboard", "Cards"])


def incident(page, visibility=Visibility.PUBLIC, **components):
    return services.publish_incident(
        actor=None, status_page=page, name="Errors", message="Looking", visibility=visibility,
        component_statuses={page.test_components[c]: s for c, s in components.items()}, notify_subscribers=True,
    )


def reached(update):
    return sorted(s.email for s in selectors.notifiable_subscribers(update))


def test_only_confirmed_unsuppressed_subscribers_of_the_page_are_reached(page):
    other = status_page(name="Other", slug="other")
    subscribe(page, "yes@example.com")
    subscribe(page, "unconfirmed@example.com", confirmed=False)
    subscribe(page, "left@example.com", suppression=Suppression.UNSUBSCRIBED, suppressed_at=timezone.now())
    subscribe(page, "bounced@example.com", suppression=Suppression.BOUNCED, suppressed_at=timezone.now())
    subscribe(other, "elsewhere@example.com")
    update = incident(page, API="partial_outage").updates.get()
    assert reached(update) == ["yes@example.com"]
    assert selectors.reach(update) == 1


def test_component_subscribers_get_only_updates_about_their_components(page):
    subscribe(page, "all@example.com")
    subscribe(page, "api@example.com", components=["API"])
    subscribe(page, "cards@example.com", components=["Cards", "Dashboard"])
    update = incident(page, API="full_outage").updates.get()
    assert reached(update) == ["all@example.com", "api@example.com"]


def test_a_later_update_naming_no_component_still_concerns_the_incidents_components(page):
    subscribe(page, "api@example.com", components=["API"])
    subscribe(page, "cards@example.com", components=["Cards"])
    published = incident(page, API="full_outage")
    later = services.post_incident_update(actor=None, page_incident=published, message="Found it", status="identified", notify_subscribers=True)
    assert reached(later) == ["api@example.com"]


def test_an_incident_naming_no_component_reaches_every_subscriber(page):
    subscribe(page, "all@example.com")
    subscribe(page, "api@example.com", components=["API"])
    assert reached(incident(page).updates.get()) == ["all@example.com", "api@example.com"]


@pytest.mark.parametrize("visibility", [Visibility.STAFF, Visibility.HIDDEN])
def test_an_incident_that_is_not_public_reaches_nobody(page, visibility):
    subscribe(page, "all@example.com")
    assert reached(incident(page, visibility, API="full_outage").updates.get()) == []


def test_maintenance_honours_component_subscriptions(page):
    subscribe(page, "all@example.com")
    subscribe(page, "api@example.com", components=["API"])
    subscribe(page, "cards@example.com", components=["Cards"])
    start = timezone.now() + timedelta(days=1)
    maintenance = services.schedule_maintenance(
        actor=None, status_page=page, name="DB upgrade", message="Planned", starts_at=start, ends_at=start + timedelta(hours=1),
        components=[page.test_components["API"]], notify_subscribers=True,
    )
    assert reached(maintenance.updates.get()) == ["all@example.com", "api@example.com"]


def test_count_reach_counts_the_whole_page_or_the_followers_of_some_components(page):
    subscribe(page, "all@example.com")
    subscribe(page, "api@example.com", components=["API"])
    subscribe(page, "cards@example.com", components=["Cards"])
    subscribe(page, "unconfirmed@example.com", confirmed=False)
    assert selectors.count_reach(status_page=page, components=[]) == 3
    assert selectors.count_reach(status_page=page, components=[page.test_components["API"]]) == 2
    assert selectors.count_reach(status_page=page, components=[page.test_components["Dashboard"]]) == 1


@pytest.mark.parametrize("visibility, count", [(Visibility.PUBLIC, 2), (Visibility.STAFF, 0), (Visibility.HIDDEN, 0)])
def test_count_reach_of_an_incident_that_is_not_public_is_nobody(page, visibility, count):
    subscribe(page, "all@example.com")
    subscribe(page, "api@example.com", components=["API"])
    published = incident(page, visibility, API="partial_outage")
    api = page.test_components["API"]
    assert selectors.count_reach(status_page=page, components=[api], page_incident=published) == count
    assert selectors.reach(published.updates.get()) == count
