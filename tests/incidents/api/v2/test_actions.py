"""Actions V2 (against incident.io's whole document) and V3 (against the one in use):
every answer matches, lists cost the same queries whatever their length, roles gate each
operation, and a private incident's actions stay out of sight of keys that may not see it."""

import pytest

from incidents import services
from incidents.models import Action, Mode, Visibility
from incidents.signals import action_created, action_updated
from tests.clients import accelerated, make_client
from tests.contract import assert_matches_contract
from tests.factories import UserFactory, declare

pytestmark = pytest.mark.django_db

FULL = "incident-io-openapi-full.json"


def list_queries() -> int:
    """A list's queries: the page (its actions with all they show), and without
    acceleration the key's lookup too."""
    return 1 if accelerated() else 2


def contract(response, operation_id):
    document = FULL if " V2#" in operation_id else "incident-io-openapi.json"
    return assert_matches_contract(response, operation_id, document=document)


@pytest.fixture
def editor(db):
    return make_client("viewer", "incident_editor", name="Editor key")


@pytest.fixture
def incident():
    return declare("Checkout fails")


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_create_show_update_list_and_delete(editor, incident, version):
    tag = version.upper()
    assignee = UserFactory(first_name="Grace", last_name="Hopper", is_staff=True)
    body = {"incident_id": incident.pk, "description": "Roll back the deploy", "assignee_id": str(assignee.pk)}
    created = contract(editor.post(f"/{version}/actions", body), f"Actions {tag}#Create")["action"]
    assert created["assignee"]["name"] == "Grace Hopper" and created["status"] == "outstanding"
    assert created["creator"] == {"api_key": {"id": editor.key.pk, "name": "Editor key"}}

    shown = contract(editor.get(f"/{version}/actions/{created['id']}"), f"Actions {tag}#Show")["action"]
    assert shown == created

    update = {"description": "Roll back the deploy", "status": "completed"}
    updated = contract(editor.put(f"/{version}/actions/{created['id']}", update), f"Actions {tag}#Update")["action"]
    assert updated["status"] == "completed" and "completed_at" in updated
    assert updated["assignee"]["id"] == str(assignee.pk)  # what the update leaves out stays

    listed = contract(editor.get(f"/{version}/actions", {"incident_id": incident.pk}), f"Actions {tag}#List")["actions"]
    assert [a["id"] for a in listed] == [created["id"]]

    contract(editor.delete(f"/{version}/actions/{created['id']}"), f"Actions {tag}#Delete")
    assert Action.objects.get(pk=created["id"]).status == "deleted"


def test_v2_list_by_incident_and_mode(viewer, incident):
    other, drill = declare("Other"), declare("Drill", mode=Mode.TEST)
    mine = services.create_action(incident=incident, actor=None, description="Mine")
    theirs = services.create_action(incident=other, actor=None, description="Theirs")
    drilled = services.create_action(incident=drill, actor=None, description="Drill")
    every = contract(viewer.get("/v2/actions"), "Actions V2#List")["actions"]
    assert [a["id"] for a in every] == [mine.pk, theirs.pk]
    by_reference = viewer.get("/v2/actions", {"incident_id": str(incident.reference_number)}).json()
    assert [a["id"] for a in by_reference["actions"]] == [mine.pk]
    tests = contract(viewer.get("/v2/actions", {"incident_mode": "test"}), "Actions V2#List")
    assert [a["id"] for a in tests["actions"]] == [drilled.pk]


def test_v3_pages_and_bounds_by_time(viewer, incident):
    ids = [services.create_action(incident=incident, actor=None, description=f"Step {n}").pk for n in range(3)]
    first = contract(viewer.get("/v3/actions", {"page_size": 2}), "Actions V3#List")
    assert [a["id"] for a in first["actions"]] == ids[:2]
    assert first["pagination_meta"] == {"page_size": 2, "after": ids[1]}
    rest = viewer.get("/v3/actions", {"page_size": 2, "after": ids[1]}).json()
    assert [a["id"] for a in rest["actions"]] == ids[2:] and "after" not in rest["pagination_meta"]
    assert viewer.get("/v3/actions", {"updated_at[lte]": "2000-01-01T00:00:00Z"}).json()["actions"] == []
    assert viewer.get("/v3/actions", {"created_at[gte]": "yesterday"}).status_code == 422


def test_creating_and_changing_an_action_send_the_signals(incident):
    seen = []

    def created(sender, action, actor, **kwargs):
        seen.append(("created", action.pk, action.status))

    def updated(sender, action, actor, previous_status, **kwargs):
        seen.append(("updated", action.pk, previous_status, action.status))

    action_created.connect(created)
    action_updated.connect(updated)
    try:
        action = services.create_action(incident=incident, actor=None, description="Page the DBA")
        services.update_action(action=action, actor=None, status="not_doing")
    finally:
        action_created.disconnect(created)
        action_updated.disconnect(updated)
    assert seen == [("created", action.pk, "outstanding"), ("updated", action.pk, "outstanding", "not_doing")]


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_list_query_count_is_constant(viewer, incident, version, django_assert_num_queries):
    services.create_action(incident=incident, actor=UserFactory(), description="One", assignee=UserFactory(is_staff=True))
    viewer.get(f"/{version}/actions")  # with acceleration, the key is cached from here on
    with django_assert_num_queries(list_queries()):  # (the key,) the actions with all they show
        assert len(viewer.get(f"/{version}/actions").json()["actions"]) == 1
    for n in range(10):
        services.create_action(
            incident=declare(f"More {n}"), actor=UserFactory(), description=f"A{n}", assignee=UserFactory(is_staff=True)
        )
    with django_assert_num_queries(list_queries()):
        assert len(viewer.get(f"/{version}/actions", {"page_size": 50}).json()["actions"]) == 11


@pytest.mark.parametrize("version", ["v2", "v3"])
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/{version}/actions", {"incident_id": "X", "description": "d"}),
        ("put", "/{version}/actions/{id}", {"description": "d", "status": "completed"}),
        ("delete", "/{version}/actions/{id}", None),
    ],
)
def test_writing_needs_the_incident_editor_role(viewer, incident, version, method, path, body):
    action = services.create_action(incident=incident, actor=None, description="Roll back")
    response = getattr(viewer, method)(path.format(version=version, id=action.pk), body)
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == "outstanding" and Action.objects.count() == 1


def test_reading_needs_the_viewer_role(incident):
    action = services.create_action(incident=incident, actor=None, description="Roll back")
    publisher = make_client("status_page_publisher")
    for path in ("/v2/actions", f"/v2/actions/{action.pk}", "/v3/actions", f"/v3/actions/{action.pk}"):
        assert publisher.get(path).status_code == 403, path


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_a_private_incidents_actions_are_invisible_without_global_access(editor, api, version):
    secret = declare("Vault breach", visibility=Visibility.PRIVATE)
    action = services.create_action(incident=secret, actor=None, description="Change the lock")
    assert editor.get(f"/{version}/actions").json()["actions"] == []
    assert editor.get(f"/{version}/actions", {"incident_id": secret.pk}).json()["actions"] == []
    assert editor.get(f"/{version}/actions/{action.pk}").status_code == 404
    assert editor.put(f"/{version}/actions/{action.pk}", {"description": "x", "status": "completed"}).status_code == 404
    assert editor.delete(f"/{version}/actions/{action.pk}").status_code == 404
    assert editor.post(f"/{version}/actions", {"incident_id": secret.pk, "description": "Sneak"}).status_code == 404
    action.refresh_from_db()
    assert Action.objects.count() == 1 and action.status == "outstanding"
    listed = api.get(f"/{version}/actions").json()["actions"]
    assert [a["id"] for a in listed] == [action.pk]


def test_refusals_name_the_field(editor, incident):
    outsider = UserFactory(is_staff=False)
    body = {"incident_id": incident.pk, "description": "x", "assignee_id": str(outsider.pk)}
    response = editor.post("/v2/actions", body)
    assert response.status_code == 422 and "assignee_id" in response.content.decode()
    response = editor.post("/v2/actions", {"incident_id": incident.pk, "description": "  "})
    assert response.status_code == 422 and "description" in response.content.decode()
    assert Action.objects.count() == 0


def test_our_document_names_each_operation_as_incident_ios_does():
    from incidents.api.v1.views.utilities import openapi_document
    from tests.contract import _document

    openapi_document.cache_clear()
    ours = openapi_document()["paths"]
    checked = 0
    for document, prefix in ((FULL, "/v2/actions"), ("incident-io-openapi.json", "/v3/actions")):
        theirs = _document(document)["paths"]
        for path in [p for p in theirs if p.startswith(prefix)]:
            for method, operation in theirs[path].items():
                assert ours[path][method]["operationId"] == operation["operationId"], (method, path)
                checked += 1
    assert checked == 10


@pytest.mark.parametrize("path", ["/v3/actions/%00", "/v3/follow_ups/%00", "/v3/nothing-here"])
def test_v3_paths_answer_errors_in_incident_ios_shape(viewer, path):
    response = viewer.get(path)
    assert response.status_code == 404 and response.json()["type"] == "not_found"
