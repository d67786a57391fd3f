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
