from datetime import datetime, timedelta

import factory
import pytest
from django.utils import timezone

from core import services
from core.models import ApiKey
from tests.clients import ApiClient, accelerated
from tests.contract import assert_matches_contract
from tests.factories import ApiKeyFactory, UserFactory, api_key

REAL_NOW = timezone.now

pytestmark = pytest.mark.django_db

UNKNOWN = "01FCNDV6P870EA6S7TK1DSYDG0"


def new_key_payload(**fields):
    return {"name": "Deploy bot", "role_names": ["viewer"], "team_ids": [], "team_role_names": [], **fields}


@pytest.fixture
def manager(api_as):
    """A key that manages keys and holds the roles the tests hand out."""
    return api_as("api_keys_manage", "viewer", "incident_creator", name="Key manager")


def test_list_api_keys(manager):
    api_key(name="Reporting")
    body = assert_matches_contract(manager.get("/v1/api_keys"), "API Keys V1#List")
    assert [k["name"] for k in body["api_keys"]] == ["Key manager", "Reporting"]
    assert body["pagination_meta"] == {"page_size": 25}
    assert {r["name"] for r in body["api_keys"][0]["roles"]} == {"api_keys_manage", "viewer", "incident_creator"}
    assert body["api_keys"][0]["team_ids"] == [] and body["api_keys"][0]["team_roles"] == []


def test_list_api_keys_pages_with_after(manager):
    for n in range(4):
        api_key(name=f"Key {n}")
    first = assert_matches_contract(manager.get("/v1/api_keys", {"page_size": 2}), "API Keys V1#List")
    assert first["pagination_meta"]["page_size"] == 2 and "after" in first["pagination_meta"]
    second = manager.get("/v1/api_keys", {"page_size": 2, "after": first["pagination_meta"]["after"]}).json()
    third = manager.get("/v1/api_keys", {"page_size": 2, "after": second["pagination_meta"]["after"]}).json()
    names = [k["name"] for page in (first, second, third) for k in page["api_keys"]]
    assert names == ["Key manager", "Key 0", "Key 1", "Key 2", "Key 3"]
    assert "after" not in third["pagination_meta"]


def test_list_api_keys_needs_api_keys_manage(viewer):
    response = viewer.get("/v1/api_keys")
    body = assert_matches_contract(response, "API Keys V1#List")
    assert response.status_code == 403 and body["type"] == "resource_forbidden"


def test_list_api_keys_without_key_is_401(anonymous):
    response = anonymous.get("/v1/api_keys")
    body = assert_matches_contract(response, "API Keys V1#List")
    assert response.status_code == 401 and body["errors"][0]["code"] == "missing_authorization_material"


def test_global_access_key_manages_keys(api):
    response = api.post("/v1/api_keys", new_key_payload(role_names=["global_access"]))
    assert_matches_contract(response, "API Keys V1#Create")
    assert response.status_code == 201


@pytest.mark.parametrize("n", [1, 20])
def test_api_key_list_query_count_is_constant(manager, staff, n, django_assert_num_queries):
    # Created by a key and by a user in turn, so both creator columns are filled.
    ApiKeyFactory.create_batch(n, actor=factory.Iterator([manager.key, staff]), roles=["viewer"])
    # key lookup, keys page (with both creator columns joined)
    with django_assert_num_queries(2):
        response = manager.get("/v1/api_keys", {"page_size": 250})
    assert response.status_code == 200
    assert len(response.json()["api_keys"]) == n + 1


def test_create_api_key_answers_201_with_a_token_shown_once(manager):
    response = manager.post("/v1/api_keys", new_key_payload(comments="For the deploy pipeline"))
    body = assert_matches_contract(response, "API Keys V1#Create")
    assert response.status_code == 201
    created = body["api_key"]
    assert created["name"] == "Deploy bot" and created["comments"] == "For the deploy pipeline"
    assert [r["name"] for r in created["roles"]] == ["viewer"]
    assert created["creator"] == {"api_key": {"id": manager.key.pk, "name": "Key manager"}}
    key = ApiKey.objects.get(pk=created["id"])
    assert key.token_hash == ApiKey.hash_token(body["token"])
    shown = manager.get(f"/v1/api_keys/{key.pk}").json()
    assert "token" not in shown and body["token"] not in str(shown)
    identity = ApiClient(body["token"]).get("/v1/identity")
    assert identity.status_code == 200 and identity.json()["identity"]["name"] == "Deploy bot"


def test_create_api_key_with_a_role_the_caller_lacks_is_422_naming_role_names(manager):
    response = manager.post("/v1/api_keys", new_key_payload(role_names=["viewer", "global_access"]))
    body = assert_matches_contract(response, "API Keys V1#Create")
    assert response.status_code == 422
    assert body["errors"][0]["source"]["field"] == "role_names" and "global_access" in body["errors"][0]["message"]
    assert not ApiKey.objects.filter(name="Deploy bot").exists()


def test_create_api_key_with_an_unknown_role_is_422(manager):
    response = manager.post("/v1/api_keys", new_key_payload(role_names=["superpowers"]))
    body = assert_matches_contract(response, "API Keys V1#Create")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"].startswith("role_names")


@pytest.mark.parametrize(
    "field, value", [("team_ids", ["01FCNDV6P870EA6S7TK1DSYDG0"]), ("team_role_names", ["schedules_editor"])]
)
def test_create_api_key_scoped_to_teams_is_422_naming_the_field(manager, field, value):
    response = manager.post("/v1/api_keys", new_key_payload(**{field: value}))
    body = assert_matches_contract(response, "API Keys V1#Create")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == field
    assert not ApiKey.objects.filter(name="Deploy bot").exists()


def test_create_api_key_without_a_name_is_422(manager):
    response = manager.post("/v1/api_keys", new_key_payload(name="  "))
    body = assert_matches_contract(response, "API Keys V1#Create")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == "name"


def test_create_api_key_needs_api_keys_manage(api_as):
    response = api_as("viewer", "incident_creator").post("/v1/api_keys", new_key_payload())
    body = assert_matches_contract(response, "API Keys V1#Create")
    assert response.status_code == 403 and body["errors"][0]["code"] == "insufficient_permissions"


def test_show_api_key(manager):
    key, _ = api_key(name="Reporting")
    body = assert_matches_contract(manager.get(f"/v1/api_keys/{key.pk}"), "API Keys V1#Show")
    assert body["api_key"]["id"] == key.pk and body["api_key"]["creator"] == {}
    assert "last_used_at" not in body["api_key"] and "comments" not in body["api_key"]


def test_show_api_key_names_the_user_who_created_it(manager):
    user = UserFactory(first_name="Ada", last_name="Lovelace", is_superuser=True)
    key, _ = services.create_api_key(actor=user, name="Made in the admin", roles=["viewer"])
    body = assert_matches_contract(manager.get(f"/v1/api_keys/{key.pk}"), "API Keys V1#Show")
    assert body["api_key"]["creator"]["user"] == {
        "id": str(user.pk), "name": "Ada Lovelace", "email": user.email, "role": "owner"
    }


def test_show_unknown_api_key_is_404(manager):
    response = manager.get(f"/v1/api_keys/{UNKNOWN}")
    body = assert_matches_contract(response, "API Keys V1#Show")
    assert response.status_code == 404 and body["type"] == "not_found"


def test_update_api_key(manager):
    key, token = api_key(roles=["viewer"], name="Reporting")
    response = manager.put(
        f"/v1/api_keys/{key.pk}",
        new_key_payload(name="Reporting v2", role_names=["viewer", "incident_creator"], comments="Now declares too"),
    )
    body = assert_matches_contract(response, "API Keys V1#Update")
    assert body["api_key"]["name"] == "Reporting v2" and body["api_key"]["comments"] == "Now declares too"
    key.refresh_from_db()
    assert key.roles == ["viewer", "incident_creator"] and key.token_hash == ApiKey.hash_token(token)


def test_update_api_key_with_a_role_the_caller_lacks_is_422_and_changes_nothing(manager):
    key, _ = api_key(roles=["viewer"], name="Reporting")
    response = manager.put(f"/v1/api_keys/{key.pk}", new_key_payload(name="Escalated", role_names=["manage_settings"]))
    body = assert_matches_contract(response, "API Keys V1#Update")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == "role_names"
    key.refresh_from_db()
    assert key.name == "Reporting" and key.roles == ["viewer"]


def test_update_api_key_holding_roles_the_caller_lacks_is_403(manager):
    key, _ = api_key(roles=["global_access"], name="Admin key")
    response = manager.put(f"/v1/api_keys/{key.pk}", new_key_payload(name="Demoted"))
    body = assert_matches_contract(response, "API Keys V1#Update")
    assert response.status_code == 403 and "global_access" in body["errors"][0]["message"]
    key.refresh_from_db()
    assert key.name == "Admin key" and key.roles == ["global_access"]


def test_update_unknown_api_key_is_404(manager):
    response = manager.put(f"/v1/api_keys/{UNKNOWN}", new_key_payload())
    assert_matches_contract(response, "API Keys V1#Update")
    assert response.status_code == 404


def test_update_api_key_missing_team_fields_is_422(manager):
    key, _ = api_key(name="Reporting")
    response = manager.put(f"/v1/api_keys/{key.pk}", {"name": "Reporting", "role_names": ["viewer"]})
    body = assert_matches_contract(response, "API Keys V1#Update")
    assert response.status_code == 422
    assert {e["source"]["field"] for e in body["errors"]} == {"team_ids", "team_role_names"}


def test_rotate_api_key_issues_a_new_token_and_the_old_one_stops_working(manager):
    key, old_token = api_key(roles=["viewer"], name="Reporting")
    issued_before = key.token_last_issued_at
    response = manager.post(f"/v1/api_keys/{key.pk}/actions/rotate", {"grace_period_minutes": 0})
    body = assert_matches_contract(response, "API Keys V1#Rotate")
    assert response.status_code == 201 and body["token"] != old_token
    assert datetime.fromisoformat(body["api_key"]["token_last_issued_at"]) > issued_before
    assert ApiClient(body["token"]).get("/v1/identity").status_code == 200
    old = ApiClient(old_token).get("/v1/identity")
    assert old.status_code == 401 and old.json()["errors"][0]["code"] == "invalid_authorization_material"


def _later(monkeypatch, minutes):
    """Move the clock ``minutes`` on from now."""
    later = REAL_NOW() + timedelta(minutes=minutes)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)


def test_rotate_api_key_keeps_the_old_token_for_its_grace_period(manager, monkeypatch):
    key, old_token = api_key(roles=["viewer"], name="Reporting")
    old = ApiClient(old_token)
    assert old.get("/v1/identity").status_code == 200  # cached under the old token
    response = manager.post(f"/v1/api_keys/{key.pk}/actions/rotate", {"grace_period_minutes": 30})
    body = assert_matches_contract(response, "API Keys V1#Rotate")
    new = ApiClient(body["token"])
    assert new.get("/v1/identity").json()["identity"]["name"] == "Reporting"
    assert old.get("/v1/identity").json()["identity"]["name"] == "Reporting"
    _later(monkeypatch, 29)
    assert old.get("/v1/identity").status_code == 200
    _later(monkeypatch, 31)
    # Refused even though the old token's entry was cached a moment ago.
    assert old.get("/v1/identity").status_code == 401
    assert new.get("/v1/identity").status_code == 200


def test_the_grace_period_is_thirty_minutes_by_default(manager, monkeypatch):
    key, old_token = api_key(roles=["viewer"], name="Reporting")
    manager.post(f"/v1/api_keys/{key.pk}/actions/rotate", {})
    _later(monkeypatch, 29)
    assert ApiClient(old_token).get("/v1/identity").status_code == 200
    _later(monkeypatch, 30)
    assert ApiClient(old_token).get("/v1/identity").status_code == 401


def test_rotating_again_ends_the_grace_of_the_token_before(manager):
    key, first = api_key(roles=["viewer"], name="Reporting")
    second = manager.post(f"/v1/api_keys/{key.pk}/actions/rotate", {"grace_period_minutes": 60}).json()["token"]
    third = manager.post(f"/v1/api_keys/{key.pk}/actions/rotate", {"grace_period_minutes": 60}).json()["token"]
    statuses = [ApiClient(token).get("/v1/identity").status_code for token in (first, second, third)]
    assert statuses == [401, 200, 200]


@pytest.mark.parametrize("change", ["delete", "update"])
def test_deleting_or_changing_a_key_reaches_its_old_token_too(manager, change):
    key, old_token = api_key(roles=["viewer", "incident_creator"], name="Reporting")
    manager.post(f"/v1/api_keys/{key.pk}/actions/rotate", {"grace_period_minutes": 30})
    old = ApiClient(old_token)
    assert old.get("/v1/identity").status_code == 200  # now cached under the old token
    if change == "delete":
        manager.delete(f"/v1/api_keys/{key.pk}")
        assert old.get("/v1/identity").status_code == 401
    else:
        manager.put(f"/v1/api_keys/{key.pk}", new_key_payload(name="Reporting", role_names=["viewer"]))
        assert old.get("/v1/identity").json()["identity"]["roles"] == ["viewer"]


def test_rotate_api_key_holding_roles_the_caller_lacks_is_403(manager):
    # Rotating answers the new token: it would hand the caller the stronger key.
    key, token = api_key(roles=["global_access"], name="Admin key")
    response = manager.post(f"/v1/api_keys/{key.pk}/actions/rotate", {"grace_period_minutes": 0})
    body = assert_matches_contract(response, "API Keys V1#Rotate")
    assert response.status_code == 403 and "token" not in body
    key.refresh_from_db()
    assert key.token_hash == ApiKey.hash_token(token)


def test_rotate_api_key_with_grace_period_out_of_range_is_422(manager):
    key, _ = api_key(name="Reporting")
    response = manager.post(f"/v1/api_keys/{key.pk}/actions/rotate", {"grace_period_minutes": 61})
    body = assert_matches_contract(response, "API Keys V1#Rotate")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == "grace_period_minutes"


def test_rotate_unknown_api_key_is_404(manager):
    response = manager.post(f"/v1/api_keys/{UNKNOWN}/actions/rotate", {"grace_period_minutes": 0})
    assert_matches_contract(response, "API Keys V1#Rotate")
    assert response.status_code == 404


def test_delete_api_key_answers_204_and_its_token_stops_working(manager):
    key, token = api_key(name="Reporting")
    response = manager.delete(f"/v1/api_keys/{key.pk}")
    assert_matches_contract(response, "API Keys V1#Delete")
    assert response.status_code == 204 and response.content == b""
    assert not ApiKey.objects.filter(pk=key.pk).exists()
    assert ApiClient(token).get("/v1/identity").status_code == 401


def test_delete_unknown_api_key_is_404(manager):
    response = manager.delete(f"/v1/api_keys/{UNKNOWN}")
    assert_matches_contract(response, "API Keys V1#Delete")
    assert response.status_code == 404


def test_delete_api_key_needs_api_keys_manage(viewer):
    key, _ = api_key(name="Reporting")
    response = viewer.delete(f"/v1/api_keys/{key.pk}")
    assert_matches_contract(response, "API Keys V1#Delete")
    assert response.status_code == 403 and ApiKey.objects.filter(pk=key.pk).exists()


def test_last_used_at_is_written_at_most_once_a_minute(monkeypatch, django_assert_num_queries):
    key, token = api_key(name="Reporting")
    client = ApiClient(token)
    start = timezone.now()
    clock = [start]
    monkeypatch.setattr("django.utils.timezone.now", lambda: clock[0])

    # key lookup, last_used_at update
    with django_assert_num_queries(2):
        assert client.get("/v1/identity").status_code == 200
    key.refresh_from_db()
    assert key.last_used_at == start

    clock[0] = start + timedelta(seconds=59)
    # the key was used less than a minute ago: no write; with acceleration the key comes
    # from the cache, without it is looked up
    with django_assert_num_queries(0 if accelerated() else 1):
        assert client.get("/v1/identity").status_code == 200
    key.refresh_from_db()
    assert key.last_used_at == start

    clock[0] = start + timedelta(seconds=61)
    client.get("/v1/identity")
    key.refresh_from_db()
    assert key.last_used_at == start + timedelta(seconds=61)
