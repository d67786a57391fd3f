"""Who sees what on the public site: a page incident for staff only is shown to logged-in
staff alone, a hidden one to nobody, and nothing of a linked internal incident (its name,
summary, reference, people) is ever shown, in any page, feed, JSON or badge."""

import pytest

from incidents import services as incident_services
from statuspages.models import Visibility
from tests.factories import UserFactory, declare

from .conftest import component, incident, maintenance

pytestmark = pytest.mark.django_db


def everything(page, *incidents):
    """Every public path of the page, and the pages of these incidents."""
    return [
        "/status/acme/", "/status/acme/history/", "/status/acme/feed.atom", "/status/acme/feed.rss",
        "/status/acme/badge.svg", f"/status/acme/components/{component(page, 'API').pk}/badge.svg",
        *(f"/status/acme/api/v2/{doc}" for doc in (
            "status.json", "summary.json", "components.json", "incidents.json", "incidents/unresolved.json",
            "scheduled-maintenances.json", "scheduled-maintenances/upcoming.json", "scheduled-maintenances/active.json",
        )),
        *(f"/status/acme/incidents/{i.pk}/" for i in incidents),
    ]


def shows(client, path, words):
    response = client.get(path)
    return response.status_code == 200 and words.encode() in response.content


def test_a_staff_only_incident_is_shown_to_logged_in_staff_alone(client, staff_reader, page):
    found = incident(page, name="Quiet staff-only issue", visibility=Visibility.STAFF)
    listing = ["/status/acme/", "/status/acme/history/", "/status/acme/feed.atom", "/status/acme/api/v2/summary.json",
               "/status/acme/api/v2/incidents.json", f"/status/acme/incidents/{found.pk}/"]
    for path in listing:
        assert not shows(client, path, "Quiet staff-only issue"), path
        assert shows(staff_reader, path, "Quiet staff-only issue"), path
    assert client.get(f"/status/acme/incidents/{found.pk}/").status_code == 404
    assert "Staff only" in staff_reader.get("/status/acme/").content.decode()


def test_a_hidden_incident_is_shown_to_nobody(client, staff_reader, page):
    found = incident(page, name="Kept for the record", visibility=Visibility.HIDDEN)
    for reader in (client, staff_reader):
        for path in everything(page, found):
            assert not shows(reader, path, "Kept for the record"), path
        assert reader.get(f"/status/acme/incidents/{found.pk}/").status_code == 404


def test_nothing_of_a_linked_internal_incident_is_ever_shown(client, staff_reader, page, lead_role):
    internal = declare(name="Nightjar credential leak", summary="Keys in the Zanzibar bucket", visibility="private")
    lead = UserFactory(username="zq", first_name="Zebedee", last_name="Quartermaine", email="zebedee@example.com")
    incident_services.assign_role(incident=internal, role=lead_role, assignee=lead, actor=None)
    found = incident(page, name="Elevated error rates", message="Some requests fail.", incident=internal,
                     statuses={"API": "partial_outage"})
    maintenance(page)
    secrets = ["Nightjar", "Zanzibar", internal.reference, f"/incidents/{internal.pk}", internal.pk,
               "Zebedee", "Quartermaine", "zebedee@example.com"]
    for reader in (client, staff_reader):
        for path in everything(page, found):
            response = reader.get(path)
            assert response.status_code == 200, path
            for secret in secrets:
                assert secret.encode() not in response.content, (path, secret)
    assert shows(client, f"/status/acme/incidents/{found.pk}/", "Elevated error rates")
