"""Incident Timeline Items V2 against incident.io's document in use: create (a retry with
the same idempotency key answers the first item), a paged list, update; back-dated items;
roles per operation; a private incident's items out of sight; constant query counts."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from incidents import services
from incidents.models import TimelineItem, Visibility
from tests.clients import accelerated, make_client
from tests.contract import assert_matches_contract
from tests.factories import declare

pytestmark = pytest.mark.django_db


def list_queries() -> int:
    """A list's queries: the incident named, the page (items with their actors), and
    without acceleration the key's lookup too."""
    return 2 if accelerated() else 3


@pytest.fixture
def editor(db):
    return make_client("viewer", "incident_editor", name="Editor key")


@pytest.fixture
def incident():
    return declare("Checkout fails")


def _item(incident, n=0, **fields):
    fields.setdefault("occurred_at", timezone.now() - timedelta(minutes=n))
    item, _ = services.create_timeline_item(incident=incident, actor=None, title=f"Note {n}", idempotency_key=f"k{n}", **fields)
    return item


def test_create_back_dated_then_update_and_list(editor, incident):
    happened = (timezone.now() - timedelta(hours=3)).replace(microsecond=0)
    body = {
        "incident_id": incident.pk,
        "title": "Database failed over",
        "description": "Replica promoted",
        "timestamp": happened.isoformat(),
        "idempotency_key": "failover-1",
    }
    response = editor.post("/v2/incident_timeline_items", body)
    created = assert_matches_contract(response, "Incident Timeline Items V2#Create")["incident_timeline_item"]
    assert (created["title"], created["incident_id"]) == ("Database failed over", incident.pk)
    assert created["timestamp"].startswith(happened.strftime("%Y-%m-%dT%H:%M:%S"))
    assert created["creator"] == {"api_key": {"id": editor.key.pk, "name": "Editor key"}}

    patch = {"title": "Primary database failed over"}
    response = editor.patch(f"/v2/incident_timeline_items/{created['id']}", patch)
    updated = assert_matches_contract(response, "Incident Timeline Items V2#Update")["incident_timeline_item"]
    assert updated["title"] == "Primary database failed over" and updated["description"] == "Replica promoted"
    assert updated["timestamp"] == created["timestamp"]  # what the update leaves out stays
    cleared = editor.patch(f"/v2/incident_timeline_items/{created['id']}", {"description": ""}).json()
    assert "description" not in cleared["incident_timeline_item"]  # an empty description removes it

    listed = assert_matches_contract(
        editor.get("/v2/incident_timeline_items", {"incident_id": incident.pk}), "Incident Timeline Items V2#List"
    )
    assert [i["id"] for i in listed["incident_timeline_items"]] == [created["id"]]


def test_a_retry_with_the_same_idempotency_key_answers_the_first_item(editor, incident):
    body = {"incident_id": incident.pk, "title": "Rolled back", "timestamp": timezone.now().isoformat(), "idempotency_key": "rb"}
    first = editor.post("/v2/incident_timeline_items", body).json()["incident_timeline_item"]
    again = editor.post("/v2/incident_timeline_items", {**body, "title": "Rolled back (retry)"})
    assert assert_matches_contract(again, "Incident Timeline Items V2#Create")["incident_timeline_item"] == first
    assert TimelineItem.objects.count() == 1
    other = declare("Other")
    editor.post("/v2/incident_timeline_items", {**body, "incident_id": other.pk})
    assert TimelineItem.objects.count() == 2  # the key is the incident's own


def test_the_list_pages_through_the_items_in_the_order_they_happened(viewer, incident):
    # Noted newest first, each an earlier moment: the list is by when they happened.
    ids = [_item(incident, n).pk for n in range(3)][::-1]
    first = viewer.get("/v2/incident_timeline_items", {"incident_id": incident.pk, "page_size": 2})
    body = assert_matches_contract(first, "Incident Timeline Items V2#List")
    assert [i["id"] for i in body["incident_timeline_items"]] == ids[:2]
    assert body["pagination_meta"] == {"page_size": 2, "after": ids[1]}
    rest = viewer.get("/v2/incident_timeline_items", {"incident_id": incident.pk, "after": ids[1]}).json()
    assert [i["id"] for i in rest["incident_timeline_items"]] == ids[2:]


def test_refusals_name_the_field(editor, incident):
    future = (timezone.now() + timedelta(days=1)).isoformat()
    body = {"incident_id": incident.pk, "title": "Later", "timestamp": future, "idempotency_key": "f"}
    response = editor.post("/v2/incident_timeline_items", body)
    assert response.status_code == 422 and "timestamp" in response.content.decode()
    response = editor.post("/v2/incident_timeline_items", {**body, "timestamp": "yesterday"})
    assert response.status_code == 422 and "timestamp" in response.content.decode()
    assert editor.get("/v2/incident_timeline_items").status_code == 422  # incident_id is required
    assert not TimelineItem.objects.exists()


def test_roles_per_operation(viewer, incident):
    item = _item(incident)
    body = {"incident_id": incident.pk, "title": "x", "timestamp": timezone.now().isoformat(), "idempotency_key": "v"}
    assert viewer.post("/v2/incident_timeline_items", body).status_code == 403
    assert viewer.patch(f"/v2/incident_timeline_items/{item.pk}", {"title": "x"}).status_code == 403
    assert make_client("status_page_viewer").get("/v2/incident_timeline_items", {"incident_id": incident.pk}).status_code == 403
    item.refresh_from_db()
    assert item.title == "Note 0" and TimelineItem.objects.count() == 1


def test_a_private_incidents_items_are_invisible_without_global_access(editor, api):
    secret = declare("Vault breach", visibility=Visibility.PRIVATE)
    item = _item(secret)
    assert editor.get("/v2/incident_timeline_items", {"incident_id": secret.pk}).status_code == 404
    assert editor.patch(f"/v2/incident_timeline_items/{item.pk}", {"title": "x"}).status_code == 404
    body = {"incident_id": secret.pk, "title": "x", "timestamp": timezone.now().isoformat(), "idempotency_key": "k0"}
    assert editor.post("/v2/incident_timeline_items", body).status_code == 404
    item.refresh_from_db()
    assert item.title == "Note 0"
    listed = api.get("/v2/incident_timeline_items", {"incident_id": secret.pk}).json()["incident_timeline_items"]
    assert [i["id"] for i in listed] == [item.pk]


def test_list_query_count_is_constant(viewer, incident, django_assert_num_queries):
    _item(incident, 0)
    viewer.get("/v2/incident_timeline_items", {"incident_id": incident.pk})  # the key is cached from here on
    with django_assert_num_queries(list_queries()):
        assert len(viewer.get("/v2/incident_timeline_items", {"incident_id": incident.pk}).json()["incident_timeline_items"]) == 1
    for n in range(1, 12):
        _item(incident, n)
    with django_assert_num_queries(list_queries()):
        body = viewer.get("/v2/incident_timeline_items", {"incident_id": incident.pk, "page_size": 50}).json()
        assert len(body["incident_timeline_items"]) == 12
    with django_assert_num_queries(list_queries()):  # a later page reads the cursor's moment in the same query
        after = body["incident_timeline_items"][3]["id"]
        rest = viewer.get("/v2/incident_timeline_items", {"incident_id": incident.pk, "after": after}).json()
        assert [i["id"] for i in rest["incident_timeline_items"]] == [i["id"] for i in body["incident_timeline_items"][4:]]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_with_one_idempotency_key_note_one_item():
    client = make_client("viewer", "incident_editor", name="Racer")
    incident = declare("Checkout fails")
    body = {"incident_id": incident.pk, "title": "Rolled back", "timestamp": timezone.now().isoformat(), "idempotency_key": "race"}
    barrier = threading.Barrier(6)
    results = []

    def create():
        try:
            barrier.wait()
            response = client.post("/v2/incident_timeline_items", body)
            results.append((response.status_code, response.json()["incident_timeline_item"]["id"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 6 and {status for status, _ in results} == {201}
    assert len({item_id for _, item_id in results}) == 1
    assert TimelineItem.objects.count() == 1
