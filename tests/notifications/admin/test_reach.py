"""Before publishing, the status page screens say how many subscribers ticking "notify
subscribers" emails (``notifications.selectors.count_reach``, wired by
``STATUSPAGES_REACH_COUNTER``)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Suppression
from statuspages import services as pages

from ..conftest import subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def followers(page):
    """Ann follows everything, Bob only Cards, Cy only API; Dee is unconfirmed, Eve left."""
    subscriber(page, "ann@example.com")
    subscriber(page, "bob@example.com", all_components=False).components.set([page.test_components["Cards"]])
    subscriber(page, "cy@example.com", all_components=False).components.set([page.test_components["API"]])
    subscriber(page, "dee@example.com", confirmed=False)
    subscriber(page, "eve@example.com", suppression=Suppression.UNSUBSCRIBED)


def test_the_publish_form_counts_the_pages_confirmed_subscribers(staff_client, page, followers):
    response = staff_client.get(reverse("admin:statuspages_pageincident_publish"), {"status_page": page.pk})
    assert "Emails 3 confirmed subscribers of Acme status" in response.content.decode()


def test_an_update_counts_those_following_what_the_incident_names(staff_client, page, followers):
    api = page.test_components["API"]
    incident = pages.publish_incident(actor=None, status_page=page, name="Down", message="", component_statuses={api: "full_outage"})
    response = staff_client.get(reverse("admin:statuspages_pageincident_change", args=[incident.pk]))
    # Ann (everything) and Cy (API); not Bob (Cards only).
    assert "Emails 2 confirmed subscribers of Acme status: those following every component or one of API." in response.content.decode()


def test_a_maintenance_update_counts_those_following_its_components(staff_client, page, followers):
    now = timezone.now()
    maintenance = pages.schedule_maintenance(
        actor=None, status_page=page, name="Upgrade", message="", starts_at=now, ends_at=now + timedelta(hours=1),
        components=[page.test_components["Cards"]],
    )
    response = staff_client.get(reverse("admin:statuspages_maintenance_change", args=[maintenance.pk]))
    assert "Emails 2 confirmed subscribers of Acme status: those following every component or one of Cards." in response.content.decode()


def test_scheduling_maintenance_shows_each_pages_count(staff_client, page, followers):
    response = staff_client.get(reverse("admin:statuspages_maintenance_add"))
    assert "Confirmed subscribers per page (Acme status: 3)" in response.content.decode()


def test_an_update_of_an_incident_the_public_does_not_see_emails_nobody(staff_client, page, followers):
    from statuspages.models import Visibility

    incident = pages.publish_incident(actor=None, status_page=page, name="Quiet", message="", visibility=Visibility.STAFF)
    response = staff_client.get(reverse("admin:statuspages_pageincident_change", args=[incident.pk]))
    assert "Emails nobody: this incident is not public." in response.content.decode()
