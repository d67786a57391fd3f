"""A publication date in the future (Checkly's ``publicIncidentUpdateDate``, Cachet's
``occurred_at``, the services' ``published_at``) is refused with the dialect's 422 naming
its field, beyond a small clock skew (``core.dates.CLOCK_SKEW``): the page never shows
"Published 1 Jan 2030" and no component is hurt by it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.dates import CLOCK_SKEW
from core.exceptions import DomainError
from statuspages import selectors, services
from statuspages.api.checkly.ids import guid
from statuspages.models import PageIncident
from tests.clients import make_client
from tests.factories import status_page

pytestmark = pytest.mark.django_db

FUTURE = "2030-01-01T00:00:00.000Z"


@pytest.fixture
def api(db):
    return make_client("global_access", name="Global key")


@pytest.fixture
def site(db):
    return status_page("Acme status", "acme", is_default=True, components=["API"])


def checkly_incident(site, **update):
    api = site.test_components["API"]
    ref = {"id": guid(api.pk), "name": api.name, "accountId": "00000000-0000-0000-0000-000000000000"}
    return {
        "name": "Outage",
        "severity": "CRITICAL",
        "services": [ref],
        "incidentUpdates": [{"description": "d", "notifySubscribers": False, **update}],
    }


def hurt(site) -> bool:
    return selectors.component_statuses([site.test_components["API"].pk])[site.test_components["API"].pk] != "operational"


def test_checkly_refuses_an_incident_published_in_the_future(api, site):
    response = api.post("/v1/status-pages/incidents", checkly_incident(site, publicIncidentUpdateDate=FUTURE))
    assert response.status_code == 422, response.content
    assert response.json()["message"].startswith("publicIncidentUpdateDate: ")
    assert not PageIncident.objects.exists() and not hurt(site)


def test_checkly_refuses_an_update_published_in_the_future(api, site):
    created = api.post("/v1/status-pages/incidents", checkly_incident(site)).json()
    url = f"/v1/status-pages/incidents/{created['id']}/incident-updates"
    response = api.post(url, {"description": "Later", "status": "RESOLVED", "publicIncidentUpdateDate": FUTURE})
    assert response.status_code == 422, response.content
    assert response.json()["message"].startswith("publicIncidentUpdateDate: ")
    assert PageIncident.objects.get().status != "resolved"


def test_checkly_accepts_a_date_within_the_clock_skew(api, site):
    ahead = (timezone.now() + CLOCK_SKEW - timedelta(minutes=1)).isoformat()
    assert api.post("/v1/status-pages/incidents", checkly_incident(site, publicIncidentUpdateDate=ahead)).status_code == 201


def test_cachet_refuses_an_incident_that_occurred_in_the_future(api, site):
    response = api.post("/api/incidents", {"name": "Outage", "status": 1, "message": "m", "occurred_at": "2030-01-01 00:00:00"})
    assert response.status_code == 422, response.content
    assert list(response.json()["errors"]) == ["occurred_at"]
    assert not PageIncident.objects.exists()


def test_an_update_posted_in_the_future_is_refused(site):
    incident = services.publish_incident(actor=None, status_page=site, name="n", message="m")
    with pytest.raises(DomainError) as refused:
        services.post_incident_update(
            actor=None, page_incident=incident, message="m", published_at=timezone.now() + timedelta(days=1)
        )
    assert (refused.value.code, refused.value.field) == ("in_the_future", "published_at")


@pytest.mark.parametrize("schedule", [False, True], ids=["incident", "maintenance"])
def test_the_services_refuse_a_publication_in_the_future(site, schedule):
    later = timezone.now() + CLOCK_SKEW + timedelta(minutes=1)
    with pytest.raises(DomainError) as refused:
        if schedule:
            services.schedule_maintenance(
                actor=None,
                status_page=site,
                name="n",
                message="m",
                starts_at=later,
                ends_at=later + timedelta(hours=1),
                published_at=later,
            )
        else:
            services.publish_incident(actor=None, status_page=site, name="n", message="m", published_at=later)
    assert (refused.value.code, refused.value.field) == ("in_the_future", "published_at")
