import pytest

from tests.contract import assert_matches_contract
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_list_users(viewer):
    owner = UserFactory(first_name="Ada", last_name="Lovelace", is_superuser=True)
    responder = UserFactory(first_name="Grace", last_name="Hopper")
    reader = UserFactory(first_name="Alan", last_name="Turing", is_staff=False, email="")
    body = assert_matches_contract(viewer.get("/v2/users"), "Users V2#List")
    users = {u["id"]: u for u in body["users"]}
    assert list(users) == [str(owner.pk), str(responder.pk), str(reader.pk)]
    assert users[str(owner.pk)] == {
        "id": str(owner.pk),
        "name": "Ada Lovelace",
        "email": owner.email,
        "role": "owner",
        "is_active": True,
        "base_role": {"id": "owner", "name": "Owner", "slug": "owner"},
        "custom_roles": [],
        "seats": {"on_call": "none", "response": "full_access"},
    }
    assert users[str(responder.pk)]["role"] == "responder"
    assert users[str(reader.pk)]["role"] == "viewer" and "email" not in users[str(reader.pk)]
    assert users[str(reader.pk)]["seats"]["response"] == "viewer_only"
    assert body["pagination_meta"] == {"page_size": 25}


def test_list_users_leaves_out_inactive_users_unless_asked(viewer):
    active = UserFactory()
    gone = UserFactory(is_active=False)
    listed = viewer.get("/v2/users").json()["users"]
    assert [u["id"] for u in listed] == [str(active.pk)]
    response = viewer.get("/v2/users", {"include_inactive": "true"})
    body = assert_matches_contract(response, "Users V2#List")
    inactive = next(u for u in body["users"] if u["id"] == str(gone.pk))
    assert inactive["is_active"] is False and inactive["role"] == "unset"
    assert inactive["base_role"]["slug"] == "responder" and inactive["seats"]["response"] == "none"


def test_list_users_filters_by_email_ignoring_case(viewer):
    UserFactory(email="someone@example.com")
    wanted = UserFactory(email="Grace@Example.com")
    body = assert_matches_contract(viewer.get("/v2/users", {"email": "grace@example.COM"}), "Users V2#List")
    assert [u["id"] for u in body["users"]] == [str(wanted.pk)]


def test_list_users_by_slack_user_id_is_empty_since_nobody_has_one(viewer):
    UserFactory()
    body = assert_matches_contract(viewer.get("/v2/users", {"slack_user_id": "U02AYNF2XJM"}), "Users V2#List")
    assert body["users"] == []


def test_list_users_pages_through_integer_ids(viewer):
    # Enough users for ids to cross a power of ten, where a text comparison would go wrong.
    users = UserFactory.create_batch(12)
    seen, after = [], None
    while True:
        response = viewer.get("/v2/users", {"page_size": 5, **({"after": after} if after else {})})
        body = assert_matches_contract(response, "Users V2#List")
        seen += [int(u["id"]) for u in body["users"]]
        after = body["pagination_meta"].get("after")
        if after is None:
            break
    assert seen == sorted(u.pk for u in users)


def test_list_users_with_an_after_that_is_not_an_id_is_422(viewer):
    response = viewer.get("/v2/users", {"after": "01FCNDV6P870EA6S7TK1DSYDG0"})
    body = assert_matches_contract(response, "Users V2#List")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == "after"


def test_list_users_with_a_malformed_include_inactive_is_422(viewer):
    response = viewer.get("/v2/users", {"include_inactive": "perhaps"})
    body = assert_matches_contract(response, "Users V2#List")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == "include_inactive"


def test_list_users_needs_viewer(api_as):
    response = api_as("incident_creator").get("/v2/users")
    body = assert_matches_contract(response, "Users V2#List")
    assert response.status_code == 403 and body["type"] == "resource_forbidden"


def test_list_users_without_key_is_401(anonymous):
    response = anonymous.get("/v2/users")
    body = assert_matches_contract(response, "Users V2#List")
    assert response.status_code == 401 and body["errors"][0]["code"] == "missing_authorization_material"


@pytest.mark.parametrize("n", [1, 30])
def test_user_list_query_count_is_constant(viewer, n, django_assert_num_queries):
    UserFactory.create_batch(n)
    # key lookup, users page
    with django_assert_num_queries(2):
        response = viewer.get("/v2/users", {"page_size": 250})
    assert response.status_code == 200
    assert len(response.json()["users"]) == n


def test_show_user(viewer):
    user = UserFactory(first_name="Grace", last_name="Hopper")
    body = assert_matches_contract(viewer.get(f"/v2/users/{user.pk}"), "Users V2#Show")
    assert body["user"]["id"] == str(user.pk) and body["user"]["name"] == "Grace Hopper"


def test_show_inactive_user(viewer):
    user = UserFactory(is_active=False)
    body = assert_matches_contract(viewer.get(f"/v2/users/{user.pk}"), "Users V2#Show")
    assert body["user"]["is_active"] is False


@pytest.mark.parametrize("user_id", ["999999", "not-a-number", "99999999999999999999999"])
def test_show_unknown_user_is_404(viewer, user_id):
    response = viewer.get(f"/v2/users/{user_id}")
    body = assert_matches_contract(response, "Users V2#Show")
    assert response.status_code == 404 and body["type"] == "not_found"


def test_show_user_needs_viewer(api_as):
    user = UserFactory()
    response = api_as("api_keys_manage").get(f"/v2/users/{user.pk}")
    assert_matches_contract(response, "Users V2#Show")
    assert response.status_code == 403
