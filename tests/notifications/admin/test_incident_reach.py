"""The incident page's "notify the page's subscribers" says how many it reaches: the
notifications app gives the status pages' publishing option its count."""

import pytest
from django.urls import reverse

from notifications import selectors
from statuspages import services
from statuspages.admin.incident_console import PublishOnStatusPage
from tests.factories import declare, status_page

from ..conftest import subscribe

pytestmark = pytest.mark.django_db


def test_the_notify_option_says_how_many_subscribers_the_update_reaches(staff_client):
    page = status_page(components=["API", "Web"])
    internal = declare("Primary database disk full")
    published = services.publish_incident(
        actor=None, status_page=page, name="Slow API", message="Investigating.", incident=internal,
        component_statuses={page.test_components["API"]: "degraded_performance"},
    )
    subscribe(page, "everything@example.com")
    subscribe(page, "api@example.com", components=["API"])
    subscribe(page, "web@example.com", components=["Web"])
    subscribe(page, "unconfirmed@example.com", confirmed=False)
    assert PublishOnStatusPage.count_reach is selectors.count_reach
    body = staff_client.get(reverse("admin:incidents_incident_change", args=[internal.pk])).content.decode()
    assert f"{published.name}: reaches 2 subscribers" in body
