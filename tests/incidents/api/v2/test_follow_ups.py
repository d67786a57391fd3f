"""Follow-ups V2 against incident.io's whole document: every answer matches it, lists
cost the same queries whatever their length, roles gate each operation, and a private
incident's follow-ups stay out of sight of keys that may not see the incident."""

import pytest

from incidents import services
from incidents.models import FollowUp, FollowUpPriority, Mode, Visibility
from tests.clients import accelerated, make_client
from tests.contract import assert_matches_contract
from tests.factories import UserFactory, declare


def list_queries() -> int:
    """A list's queries: the page (its follow-ups with all they show), and without
    acceleration the key's lookup too."""
    return 1 if accelerated() else 2


pytestmark = pytest.mark.django_db

FULL = "incident-io-openapi-full.json"


def contract(response, operation_id):
    return assert_matches_contract(response, operation_id, document=FULL)


@pytest.fixture
def editor(db):
    return make_client("viewer", "incident_editor", name="Editor key")


@pytest.fixture
def incident():
    return declare("Checkout fails")


def test_create_show_update_and_list(editor, incident):
    assignee = UserFactory(first_name="Grace", last_name="Hopper")
    priority = FollowUpPriority.objects.create(name="Urgent", description="Now", rank=10)
    body = {
        "incident_id": incident.pk,
        "title": "Add a checkout alert",
        "description": "Page on 5xx",
        "assignee_id": str(assignee.pk),
        "follow_up_priority_option_id": priority.pk,
        "labels": ["alerting"],
    }
    created = contract(editor.post("/v2/follow_ups", body), "Follow-ups V2#Create")["follow_up"]
    assert created["assignee"]["name"] == "Grace Hopper" and created["priority"]["name"] == "Urgent"
    assert created["creator"] == {"api_key": {"id": editor.key.pk, "name": "Editor key"}}
    assert (created["status"], created["labels"]) == ("outstanding", ["alerting"])

    shown = contract(editor.get(f"/v2/follow_ups/{created['id']}"), "Follow-ups V2#Show")["follow_up"]
    assert shown == created

    update = {"title": "Add a checkout alert", "status": "completed"}
    updated = contract(editor.put(f"/v2/follow_ups/{created['id']}", update), "Follow-ups V2#Update")["follow_up"]
    assert updated["status"] == "completed" and "completed_at" in updated
    assert updated["assignee"]["id"] == str(assignee.pk)  # what the update leaves out stays

    listed = contract(editor.get("/v2/follow_ups", {"incident_id": incident.pk}), "Follow-ups V2#List")["follow_ups"]
    assert [f["id"] for f in listed] == [created["id"]]


def test_list_by_incident_and_mode(viewer, incident):
    other = declare("Other")
    test = declare("Drill", mode=Mode.TEST)
    mine = services.create_follow_up(incident=incident, actor=None, title="Mine")
    theirs = services.create_follow_up(incident=other, actor=None, title="Theirs")
    drill = services.create_follow_up(incident=test, actor=None, title="Drill")
    every = contract(viewer.get("/v2/follow_ups"), "Follow-ups V2#List")["follow_ups"]
    assert [f["id"] for f in every] == [mine.pk, theirs.pk]
    by_incident = contract(viewer.get("/v2/follow_ups", {"incident_id": incident.pk}), "Follow-ups V2#List")
    assert [f["id"] for f in by_incident["follow_ups"]] == [mine.pk]
    by_reference = viewer.get("/v2/follow_ups", {"incident_id": str(incident.reference_number)}).json()
    assert [f["id"] for f in by_reference["follow_ups"]] == [mine.pk]
    tests = contract(viewer.get("/v2/follow_ups", {"incident_mode": "test"}), "Follow-ups V2#List")
    assert [f["id"] for f in tests["follow_ups"]] == [drill.pk]


def test_delete_marks_it_deleted(editor, incident):
    follow_up = services.create_follow_up(incident=incident, actor=None, title="Rotate keys")
    response = editor.delete(f"/v2/follow_ups/{follow_up.pk}")
    contract(response, "Follow-ups V2#Delete")
    follow_up.refresh_from_db()
    assert follow_up.status == "deleted"


def test_connect_external_issue_stores_the_reference(editor, incident):
    follow_up = services.create_follow_up(incident=incident, actor=None, title="Rotate keys")
    body = {"provider": "jira", "url": "https://acme.atlassian.net/browse/OPS-7"}
    response = editor.post(f"/v2/follow_ups/{follow_up.pk}/actions/connect_external_issue", body)
    answer = contract(response, "Follow-ups V2#ConnectExternalIssue")["follow_up"]
    assert answer["external_issue_reference"] == {
        "provider": "jira",
        "issue_name": "OPS-7",
        "issue_permalink": "https://acme.atlassian.net/browse/OPS-7",
    }


def test_list_query_count_is_constant(viewer, incident, django_assert_num_queries):
    assignee = UserFactory()
    priority = FollowUpPriority.objects.create(name="High", rank=1)
    services.create_follow_up(incident=incident, actor=UserFactory(), title="One", assignee=assignee, priority=priority)
    viewer.get("/v2/follow_ups")  # with acceleration, the key is cached from here on
    with django_assert_num_queries(list_queries()):  # (the key,) the follow-ups with all they show
        assert len(viewer.get("/v2/follow_ups").json()["follow_ups"]) == 1
    for n in range(10):
        services.create_follow_up(
            incident=declare(f"More {n}"), actor=UserFactory(), title=f"F{n}", assignee=UserFactory(), priority=priority
        )
    with django_assert_num_queries(list_queries()):
        assert len(viewer.get("/v2/follow_ups").json()["follow_ups"]) == 11


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/v2/follow_ups", {"incident_id": "X", "title": "t"}),
        ("put", "/v2/follow_ups/{id}", {"title": "t", "status": "completed"}),
        ("delete", "/v2/follow_ups/{id}", None),
        ("post", "/v2/follow_ups/{id}/actions/connect_external_issue", {"provider": "jira", "url": "https://x.test/1"}),
    ],
)
def test_writing_needs_the_incident_editor_role(viewer, incident, method, path, body):
    follow_up = services.create_follow_up(incident=incident, actor=None, title="Rotate keys")
    response = getattr(viewer, method)(path.format(id=follow_up.pk), body)
    assert response.status_code == 403
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.external_issue_url) == ("outstanding", "")


def test_reading_needs_the_viewer_role(incident):
    follow_up = services.create_follow_up(incident=incident, actor=None, title="Rotate keys")
    publisher = make_client("status_page_publisher")
    assert publisher.get("/v2/follow_ups").status_code == 403
    assert publisher.get(f"/v2/follow_ups/{follow_up.pk}").status_code == 403


def test_a_private_incidents_follow_ups_are_invisible_without_global_access(editor, api):
    secret = declare("Vault breach", visibility=Visibility.PRIVATE)
    follow_up = services.create_follow_up(incident=secret, actor=None, title="Change the lock")
    assert editor.get("/v2/follow_ups").json()["follow_ups"] == []
    assert editor.get("/v2/follow_ups", {"incident_id": secret.pk}).json()["follow_ups"] == []
    assert editor.get(f"/v2/follow_ups/{follow_up.pk}").status_code == 404
    assert editor.put(f"/v2/follow_ups/{follow_up.pk}", {"title": "x", "status": "completed"}).status_code == 404
    assert editor.post("/v2/follow_ups", {"incident_id": secret.pk, "title": "Sneak"}).status_code == 404
    assert FollowUp.objects.count() == 1
    listed = contract(api.get("/v2/follow_ups"), "Follow-ups V2#List")["follow_ups"]
    assert [f["id"] for f in listed] == [follow_up.pk]


def test_refusals_name_the_field(editor, incident):
    outsider = UserFactory(is_staff=False)
    response = editor.post("/v2/follow_ups", {"incident_id": incident.pk, "title": "x", "assignee_id": str(outsider.pk)})
    assert response.status_code == 422 and "assignee_id" in response.content.decode()
    assert editor.post("/v2/follow_ups", {"incident_id": "nope", "title": "x"}).status_code == 404


def test_our_document_names_each_operation_as_incident_ios_does():
    from incidents.api.v1.views.utilities import openapi_document
    from tests.contract import _document

    openapi_document.cache_clear()
    ours, theirs = openapi_document()["paths"], _document(FULL)["paths"]
    paths = [p for p in theirs if p.startswith("/v2/follow_ups")]
    assert len(paths) == 3
    for path in paths:
        for method, operation in theirs[path].items():
            assert ours[path][method]["operationId"] == operation["operationId"], (method, path)
