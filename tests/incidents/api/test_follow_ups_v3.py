"""Follow-ups V3 (the SDK's ``follow_ups_v3``): create, and a list paged by cursor and
bounded by creation and update times, against incident.io's document in use."""

import pytest

from incidents import services
from incidents.models import Visibility
from tests.clients import accelerated, make_client
from tests.contract import assert_matches_contract
from tests.factories import declare


def list_queries() -> int:
    """A list's queries: the page (its follow-ups with all they show), and without
    acceleration the key's lookup too."""
    return 1 if accelerated() else 2


pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return make_client("viewer", "incident_editor", name="Editor key")


def test_create_and_page_through_the_list(editor):
    incident = declare("Checkout fails")
    ids = []
    for n in range(3):
        response = editor.post("/v3/follow_ups", {"incident_id": incident.pk, "title": f"Task {n}", "labels": ["ops"]})
        ids.append(assert_matches_contract(response, "Follow-ups V3#Create")["follow_up"]["id"])
    first = assert_matches_contract(editor.get("/v3/follow_ups", {"page_size": 2}), "Follow-ups V3#List")
    assert [f["id"] for f in first["follow_ups"]] == ids[:2]
    assert first["pagination_meta"] == {"page_size": 2, "after": ids[1]}
    rest = editor.get("/v3/follow_ups", {"page_size": 2, "after": ids[1]}).json()
    assert [f["id"] for f in rest["follow_ups"]] == ids[2:] and "after" not in rest["pagination_meta"]


def test_list_bounded_by_time_and_refusing_a_bad_bound(editor):
    follow_up = services.create_follow_up(incident=declare(), actor=None, title="Rotate keys")
    moment = follow_up.created_at.isoformat()
    response = editor.get("/v3/follow_ups", {"created_at[gte]": moment})
    # The response is checked; openapi-core reads a deepObject's values as arrays only, so
    # it cannot check this request.
    body = assert_matches_contract(response, "Follow-ups V3#List", request=False)
    assert [f["id"] for f in body["follow_ups"]] == [follow_up.pk]
    assert editor.get("/v3/follow_ups", {"updated_at[lte]": "2000-01-01T00:00:00Z"}).json()["follow_ups"] == []
    assert editor.get("/v3/follow_ups", {"created_at[gte]": "yesterday"}).status_code == 422
    today = follow_up.created_at.date().isoformat()
    ranged = editor.get("/v3/follow_ups", {"created_at[date_range]": f"{today}~{today}"}).json()
    assert [f["id"] for f in ranged["follow_ups"]] == [follow_up.pk]


def test_roles_and_private_incidents(viewer, editor):
    secret = declare("Vault breach", visibility=Visibility.PRIVATE)
    services.create_follow_up(incident=secret, actor=None, title="Change the lock")
    assert viewer.post("/v3/follow_ups", {"incident_id": declare().pk, "title": "x"}).status_code == 403
    assert make_client("status_page_viewer").get("/v3/follow_ups").status_code == 403
    assert editor.get("/v3/follow_ups").json()["follow_ups"] == []
    assert editor.post("/v3/follow_ups", {"incident_id": secret.pk, "title": "Sneak"}).status_code == 404


def test_list_query_count_is_constant(viewer, django_assert_num_queries):
    services.create_follow_up(incident=declare(), actor=None, title="One")
    viewer.get("/v3/follow_ups")  # with acceleration, the key is cached from here on
    with django_assert_num_queries(list_queries()):
        assert len(viewer.get("/v3/follow_ups").json()["follow_ups"]) == 1
    for n in range(10):
        services.create_follow_up(incident=declare(f"More {n}"), actor=None, title=f"F{n}")
    with django_assert_num_queries(list_queries()):
        assert len(viewer.get("/v3/follow_ups").json()["follow_ups"]) == 11


def test_show_update_connect_and_delete(editor):
    follow_up = services.create_follow_up(incident=declare(), actor=None, title="Rotate keys")
    shown = assert_matches_contract(editor.get(f"/v3/follow_ups/{follow_up.pk}"), "Follow-ups V3#Show")["follow_up"]
    assert shown["title"] == "Rotate keys" and shown["status"] == "outstanding"

    body = {"title": "Rotate every key", "status": "completed", "labels": ["security"]}
    response = editor.put(f"/v3/follow_ups/{follow_up.pk}", body)
    updated = assert_matches_contract(response, "Follow-ups V3#Update")["follow_up"]
    assert (updated["title"], updated["status"], updated["labels"]) == ("Rotate every key", "completed", ["security"])
    assert "completed_at" in updated

    link = {"provider": "notion", "url": "https://www.notion.so/acme/Rotate-keys-42"}
    response = editor.post(f"/v3/follow_ups/{follow_up.pk}/actions/connect_external_issue", link)
    linked = assert_matches_contract(response, "Follow-ups V3#ConnectExternalIssue")["follow_up"]
    assert linked["external_issue_reference"]["provider"] == "notion"

    assert_matches_contract(editor.delete(f"/v3/follow_ups/{follow_up.pk}"), "Follow-ups V3#Delete")
    follow_up.refresh_from_db()
    assert follow_up.status == "deleted"


def test_update_refuses_a_team_or_category_there_are_none_of(editor):
    follow_up = services.create_follow_up(incident=declare(), actor=None, title="Rotate keys")
    for field in ("assignee_team_id", "follow_up_category_id"):
        response = editor.put(f"/v3/follow_ups/{follow_up.pk}", {"title": "x", "status": "completed", field: "01ABC"})
        assert response.status_code == 422 and field in response.content.decode()
    follow_up.refresh_from_db()
    assert (follow_up.title, follow_up.status) == ("Rotate keys", "outstanding")


def test_create_from_link_reads_the_tracker_from_the_link(editor):
    incident = declare()
    body = {"incident_id": incident.pk, "url": "https://github.com/acme/api/issues/42"}
    response = editor.post("/v3/follow_ups/actions/create_from_link", body)
    created = assert_matches_contract(response, "Follow-ups V3#CreateFromLink")["follow_up"]
    assert created["incident_id"] == incident.pk and created["title"] == "Github issue 42"
    assert created["external_issue_reference"] == {
        "provider": "github", "issue_name": "42", "issue_permalink": "https://github.com/acme/api/issues/42",
    }
    unknown = editor.post("/v3/follow_ups/actions/create_from_link", {"incident_id": incident.pk, "url": "https://example.com/1"})
    assert unknown.status_code == 422 and "url" in unknown.content.decode()


def test_v3_single_follow_up_operations_keep_roles_and_privacy(viewer, editor):
    secret = services.create_follow_up(incident=declare("Vault", visibility=Visibility.PRIVATE), actor=None, title="Lock")
    public = services.create_follow_up(incident=declare(), actor=None, title="Open")
    assert viewer.put(f"/v3/follow_ups/{public.pk}", {"title": "x", "status": "completed"}).status_code == 403
    assert viewer.delete(f"/v3/follow_ups/{public.pk}").status_code == 403
    link = {"incident_id": public.incident_id, "url": "https://github.com/a/b/issues/1"}
    assert viewer.post("/v3/follow_ups/actions/create_from_link", link).status_code == 403
    assert make_client("status_page_viewer").get(f"/v3/follow_ups/{public.pk}").status_code == 403
    for method, path, body in (
        ("get", f"/v3/follow_ups/{secret.pk}", None),
        ("put", f"/v3/follow_ups/{secret.pk}", {"title": "x", "status": "completed"}),
        ("delete", f"/v3/follow_ups/{secret.pk}", None),
        ("post", f"/v3/follow_ups/{secret.pk}/actions/connect_external_issue", {"provider": "jira", "url": "https://x.test/1"}),
        ("post", "/v3/follow_ups/actions/create_from_link", {"incident_id": secret.incident_id, "url": link["url"]}),
    ):
        assert getattr(editor, method)(path, body).status_code == 404, (method, path)
    secret.refresh_from_db()
    assert (secret.title, secret.status, secret.external_issue_url) == ("Lock", "outstanding", "")
