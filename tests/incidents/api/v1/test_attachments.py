"""Incident Attachments V1 and Incident Relationships V1 against incident.io's document in
use: attach from a link, list by incident or by resource, delete; related incidents both
ways, paged; roles per operation; private incidents out of sight; constant query counts."""

import threading

import pytest
from django.db import connection

from incidents import services
from incidents.models import IncidentAttachment, IncidentRelationship, Visibility
from tests.clients import accelerated, make_client
from tests.contract import assert_matches_contract
from tests.factories import declare

pytestmark = pytest.mark.django_db

PR = "https://github.com/acme/payments/pull/411"


def list_queries(extra: int = 1) -> int:
    """A list's queries: the incident named, the page, and without acceleration the key's lookup too."""
    return extra + 1 if accelerated() else extra + 2


@pytest.fixture
def editor(db):
    return make_client("viewer", "incident_editor", name="Editor key")


@pytest.fixture
def incident():
    return declare("Checkout fails")


def _attach(incident, url=PR, resource_type="github_pull_request"):
    return services.attach_resource(incident=incident, actor=None, resource_type=resource_type, url=url)[0]


def test_attach_from_a_link_list_and_delete(editor, incident):
    body = {"incident_id": incident.pk, "resource": {"resource_type": "github_pull_request", "url": PR}}
    response = editor.post("/v1/incident_attachments", body)
    created = assert_matches_contract(response, "Incident Attachments V1#Create")["incident_attachment"]
    assert created["resource"] == {
        "external_id": "acme/payments#411", "permalink": PR, "resource_type": "github_pull_request", "title": "acme/payments#411",
    }
    again = editor.post("/v1/incident_attachments", body).json()["incident_attachment"]
    assert again == created and IncidentAttachment.objects.count() == 1  # attached once

    link = {"resource_type": "arbitrary_url", "url": "https://docs.example.com/runbook", "title": "Runbook", "emoji": "book"}
    editor.post("/v1/incident_attachments", {"incident_id": incident.pk, "resource": link})
    listed = assert_matches_contract(editor.get("/v1/incident_attachments", {"incident_id": incident.pk}), "Incident Attachments V1#List")
    assert [a["resource"]["title"] for a in listed["incident_attachments"]] == ["acme/payments#411", "Runbook"]
    by_resource = editor.get("/v1/incident_attachments", {"resource_type": "github_pull_request", "external_id": "acme/payments#411"})
    assert [a["id"] for a in assert_matches_contract(by_resource, "Incident Attachments V1#List")["incident_attachments"]] == [created["id"]]

    assert_matches_contract(editor.delete(f"/v1/incident_attachments/{created['id']}"), "Incident Attachments V1#Delete")
    assert not IncidentAttachment.objects.filter(pk=created["id"]).exists()


@pytest.mark.parametrize(
    ("resource", "field"),
    [
        ({"resource_type": "github_pull_request", "url": "https://github.com/acme/payments/issues/4"}, "resource.url"),
        ({"resource_type": "jira_issue", "external_id": "OPS-7"}, "resource.external_id"),
        ({"resource_type": "jira_issue", "external_id": "OPS-7", "url": "https://acme.atlassian.net/browse/OPS-7"}, "resource.url"),
        ({"resource_type": "sentry_issue", "url": "https://acme.sentry.io/issues/1", "emoji": "fire"}, "resource.emoji"),
        ({"resource_type": "arbitrary_url", "url": "javascript:alert(1)"}, "resource.url"),
    ],
)
def test_refusals_name_the_field(editor, incident, resource, field):
    response = editor.post("/v1/incident_attachments", {"incident_id": incident.pk, "resource": resource})
    assert response.status_code == 422 and field in response.content.decode()
    assert not IncidentAttachment.objects.exists()


def test_the_list_needs_an_incident_or_a_resource(viewer):
    assert viewer.get("/v1/incident_attachments").status_code == 422
    assert viewer.get("/v1/incident_attachments", {"external_id": "1"}).status_code == 422


def test_attachment_roles_per_operation(viewer, incident):
    attachment = _attach(incident)
    body = {"incident_id": incident.pk, "resource": {"resource_type": "arbitrary_url", "url": "https://x.test/"}}
    assert viewer.post("/v1/incident_attachments", body).status_code == 403
    assert viewer.delete(f"/v1/incident_attachments/{attachment.pk}").status_code == 403
    assert make_client("status_page_viewer").get("/v1/incident_attachments", {"incident_id": incident.pk}).status_code == 403
    assert IncidentAttachment.objects.count() == 1


def test_a_private_incidents_attachments_are_invisible_without_global_access(editor, api):
    secret = declare("Vault breach", visibility=Visibility.PRIVATE)
    attachment = _attach(secret)
    assert editor.get("/v1/incident_attachments", {"incident_id": secret.pk}).status_code == 404
    by_resource = editor.get("/v1/incident_attachments", {"resource_type": "github_pull_request", "external_id": attachment.external_id})
    assert by_resource.json()["incident_attachments"] == []
    assert editor.delete(f"/v1/incident_attachments/{attachment.pk}").status_code == 404
    body = {"incident_id": secret.pk, "resource": {"resource_type": "arbitrary_url", "url": "https://x.test/"}}
    assert editor.post("/v1/incident_attachments", body).status_code == 404
    assert list(IncidentAttachment.objects.all()) == [attachment]
    listed = api.get("/v1/incident_attachments", {"incident_id": secret.pk}).json()["incident_attachments"]
    assert [a["id"] for a in listed] == [attachment.pk]


def test_attachment_list_query_count_is_constant(viewer, incident, django_assert_num_queries):
    _attach(incident)
    viewer.get("/v1/incident_attachments", {"incident_id": incident.pk})  # the key is cached from here on
    with django_assert_num_queries(list_queries()):
        assert len(viewer.get("/v1/incident_attachments", {"incident_id": incident.pk}).json()["incident_attachments"]) == 1
    for n in range(10):
        _attach(incident, url=f"https://github.com/acme/payments/pull/{n}")
    with django_assert_num_queries(list_queries()):
        assert len(viewer.get("/v1/incident_attachments", {"incident_id": incident.pk}).json()["incident_attachments"]) == 11


def test_related_incidents_list_from_either_side_and_page(viewer, incident):
    others = [declare(f"Related {n}") for n in range(3)]
    for other in others:
        services.relate_incidents(incident=other, other=incident, actor=None)  # whichever side relates them
    services.relate_incidents(incident=incident, other=others[0], actor=None)  # again: nothing changes
    first = viewer.get("/v1/incident_relationships", {"incident_id": incident.pk, "page_size": 2})
    body = assert_matches_contract(first, "Incident Relationships V1#List")
    seen = [r["incident"] for r in body["incident_relationships"]]
    rest = viewer.get("/v1/incident_relationships", {"incident_id": incident.pk, "after": body["pagination_meta"]["after"]}).json()
    seen += [r["incident"] for r in rest["incident_relationships"]]
    assert [s["id"] for s in seen] == [o.pk for o in others]
    assert seen[0] == {"id": others[0].pk, "name": "Related 0", "external_id": others[0].reference_number}
    back = viewer.get("/v1/incident_relationships", {"incident_id": others[1].pk}).json()["incident_relationships"]
    assert [r["incident"]["id"] for r in back] == [incident.pk]


def test_a_relationship_to_a_private_incident_is_out_of_sight(viewer, api, incident):
    secret = declare("Vault breach", visibility=Visibility.PRIVATE)
    services.relate_incidents(incident=incident, other=secret, actor=None)
    response = viewer.get("/v1/incident_relationships", {"incident_id": incident.pk})
    assert response.json()["incident_relationships"] == [] and secret.pk not in response.content.decode()
    assert viewer.get("/v1/incident_relationships", {"incident_id": secret.pk}).status_code == 404
    assert [r["incident"]["id"] for r in api.get("/v1/incident_relationships", {"incident_id": incident.pk}).json()["incident_relationships"]] == [secret.pk]
    assert make_client("status_page_viewer").get("/v1/incident_relationships", {"incident_id": incident.pk}).status_code == 403


def test_relationship_list_query_count_is_constant(viewer, incident, django_assert_num_queries):
    services.relate_incidents(incident=incident, other=declare("One"), actor=None)
    viewer.get("/v1/incident_relationships", {"incident_id": incident.pk})
    with django_assert_num_queries(list_queries()):
        assert len(viewer.get("/v1/incident_relationships", {"incident_id": incident.pk}).json()["incident_relationships"]) == 1
    for n in range(10):
        services.relate_incidents(incident=declare(f"More {n}"), other=incident, actor=None)
    with django_assert_num_queries(list_queries()):
        body = viewer.get("/v1/incident_relationships", {"incident_id": incident.pk, "page_size": 50}).json()
        assert len(body["incident_relationships"]) == 11


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_attaches_and_relates_keep_one_row_each():
    client = make_client("viewer", "incident_editor", name="Racer")
    incident, other = declare("Checkout fails"), declare("Payments slow")
    body = {"incident_id": incident.pk, "resource": {"resource_type": "github_pull_request", "url": PR}}
    barrier = threading.Barrier(6)
    results = []

    def race(n):
        try:
            barrier.wait()
            if n % 2:
                services.relate_incidents(incident=incident if n % 4 == 1 else other, other=other if n % 4 == 1 else incident, actor=None)
            else:
                results.append(client.post("/v1/incident_attachments", body).json()["incident_attachment"]["id"])
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 3 and len(set(results)) == 1
    assert IncidentAttachment.objects.count() == 1 and IncidentRelationship.objects.count() == 1
