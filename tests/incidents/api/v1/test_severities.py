import pytest

from incidents.models import Severity
from tests.contract import assert_matches_contract
from tests.factories import declare

pytestmark = pytest.mark.django_db


def test_list_severities(viewer):
    body = assert_matches_contract(viewer.get("/v1/severities"), "Severities V1#List")
    assert [s["name"] for s in body["severities"]] == ["Minor", "Major", "Critical"]


def test_show_severity(viewer):
    minor = Severity.objects.get(name="Minor")
    body = assert_matches_contract(viewer.get(f"/v1/severities/{minor.pk}"), "Severities V1#Show")
    assert body["severity"]["id"] == minor.pk


def test_show_unknown_severity_is_404(viewer):
    response = viewer.get("/v1/severities/01FCNDV6P870EA6S7TK1DSYDG0")
    body = assert_matches_contract(response, "Severities V1#Show")
    assert response.status_code == 404 and body["type"] == "not_found"
    assert response["X-Request-Id"] == body["request_id"]


def test_create_severity_answers_201(api_as):
    client = api_as("manage_settings")
    response = client.post("/v1/severities", {"name": "Catastrophic", "description": "Everything is down", "rank": 9})
    body = assert_matches_contract(response, "Severities V1#Create")
    assert response.status_code == 201 and body["severity"]["rank"] == 9
    assert Severity.objects.filter(name="Catastrophic").exists()


def test_create_severity_needs_manage_settings(viewer):
    response = viewer.post("/v1/severities", {"name": "Nope", "description": ""})
    body = assert_matches_contract(response, "Severities V1#Create")
    assert response.status_code == 403 and body["type"] == "resource_forbidden"
    assert not Severity.objects.filter(name="Nope").exists()


def test_create_severity_without_key_is_401(anonymous):
    response = anonymous.post("/v1/severities", {"name": "Nope", "description": ""})
    body = assert_matches_contract(response, "Severities V1#Create")
    assert response.status_code == 401 and body["errors"][0]["code"] == "missing_authorization_material"


def test_create_severity_with_missing_field_is_422_naming_it(api_as):
    response = api_as("manage_settings").post("/v1/severities", {"description": "no name"})
    body = assert_matches_contract(response, "Severities V1#Create")
    assert response.status_code == 422
    assert body["errors"][0]["source"]["field"] == "name"


def test_duplicate_severity_name_is_422(api_as):
    response = api_as("manage_settings").post("/v1/severities", {"name": "Minor", "description": ""})
    body = assert_matches_contract(response, "Severities V1#Create")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == "name"


def test_update_severity(api_as):
    minor = Severity.objects.get(name="Minor")
    response = api_as("manage_settings").put(f"/v1/severities/{minor.pk}", {"name": "Low", "description": "Small", "rank": 1})
    body = assert_matches_contract(response, "Severities V1#Update")
    assert body["severity"]["name"] == "Low"


def test_delete_severity_answers_202(api_as):
    minor = Severity.objects.get(name="Minor")
    response = api_as("manage_settings").delete(f"/v1/severities/{minor.pk}")
    assert_matches_contract(response, "Severities V1#Delete")
    assert response.status_code == 202 and not Severity.objects.filter(pk=minor.pk).exists()


def test_delete_severity_in_use_is_422(api_as):
    minor = Severity.objects.get(name="Minor")
    declare("Uses minor", severity=minor)
    response = api_as("manage_settings").delete(f"/v1/severities/{minor.pk}")
    body = assert_matches_contract(response, "Severities V1#Delete")
    assert response.status_code == 422 and body["errors"][0]["code"] == "in_use"


def test_severity_list_query_count_is_constant(viewer, django_assert_num_queries):
    for n in range(20):
        Severity.objects.create(name=f"S{n}", rank=10 + n)
    # key lookup, severities
    with django_assert_num_queries(2):
        response = viewer.get("/v1/severities")
    assert response.status_code == 200


def test_malformed_json_is_400(api_as):
    response = api_as("manage_settings").post("/v1/severities", "{not json", content_type="application/json")
    body = assert_matches_contract(response, "Severities V1#Create", request=False)
    assert response.status_code == 400 and body["type"] == "invalid_request_error"
