import pytest
from openapi_spec_validator import validate

from tests.clients import ApiClient
from tests.contract import assert_matches_contract

pytestmark = pytest.mark.django_db


def test_identity_names_the_key_and_its_roles(api_as, settings):
    settings.SITE_URL = "https://incidents.example.com"
    client = api_as("viewer", "incident_creator", name="Deploy bot")
    body = assert_matches_contract(client.get("/v1/identity"), "Utilities V1#Identity")
    assert body["identity"] == {
        "name": "Deploy bot",
        "roles": ["viewer", "incident_creator"],
        "dashboard_url": "https://incidents.example.com/admin/",
        "team_roles": [],
        "teams": [],
    }


def test_identity_answers_a_key_with_any_role(api_as):
    response = api_as("status_page_viewer").get("/v1/identity")
    assert_matches_contract(response, "Utilities V1#Identity")
    assert response.status_code == 200


def test_identity_of_a_key_without_roles(api_as):
    body = assert_matches_contract(api_as().get("/v1/identity"), "Utilities V1#Identity")
    assert body["identity"]["roles"] == []


def test_identity_without_key_is_401(anonymous):
    response = anonymous.get("/v1/identity")
    body = assert_matches_contract(response, "Utilities V1#Identity")
    assert response.status_code == 401 and body["errors"][0]["code"] == "missing_authorization_material"


def test_identity_with_an_unknown_token_is_401(db):
    response = ApiClient("inc_not-a-real-token").get("/v1/identity")
    body = assert_matches_contract(response, "Utilities V1#Identity")
    assert response.status_code == 401 and body["errors"][0]["code"] == "invalid_authorization_material"


def test_ip_ranges_is_empty_by_default(viewer):
    body = assert_matches_contract(viewer.get("/v1/ip_ranges"), "Utilities V1#IPRanges")
    assert body == {"ip_ranges": []}


def test_ip_ranges_lists_the_configured_cidrs(viewer, settings):
    settings.API_EGRESS_IP_RANGES = ["203.0.113.0/24", "198.51.100.7/32"]
    body = assert_matches_contract(viewer.get("/v1/ip_ranges"), "Utilities V1#IPRanges")
    assert [r["cidr"] for r in body["ip_ranges"]] == ["203.0.113.0/24", "198.51.100.7/32"]
    assert all(r["description"] for r in body["ip_ranges"])


def test_ip_ranges_needs_no_key(anonymous, settings):
    # The reference serves it without authentication (security: []).
    settings.API_EGRESS_IP_RANGES = ["203.0.113.0/24"]
    response = anonymous.get("/v1/ip_ranges")
    body = assert_matches_contract(response, "Utilities V1#IPRanges")
    assert response.status_code == 200 and body["ip_ranges"][0]["cidr"] == "203.0.113.0/24"


def test_ip_ranges_with_an_unknown_token_is_401(db):
    response = ApiClient("inc_not-a-real-token").get("/v1/ip_ranges")
    assert_matches_contract(response, "Utilities V1#IPRanges")
    assert response.status_code == 401


def test_openapi_document_is_served_as_json_without_a_key(anonymous):
    response = anonymous.get("/v1/openapiV3.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["paths"]["/v1/identity"]["get"]["operationId"] == "Utilities V1#Identity"
    bearer = document["components"]["securitySchemes"]["BearerAuth"]
    assert (bearer["type"], bearer["scheme"]) == ("http", "bearer")
    assert document["paths"]["/v1/openapiV3.json"]["get"]["security"] == [{"BearerAuth": []}, {}]  # key optional


def test_served_openapi_document_is_a_valid_openapi_document(viewer):
    # The reference types this body as an opaque binary string, which no JSON body can match
    # in a schema validator; what a client relies on is a valid OpenAPI 3 document.
    response = viewer.get("/v1/openapiV3.json")
    assert response.status_code == 200
    validate(response.json())


def test_openapi_document_with_an_unknown_token_is_401(db):
    response = ApiClient("inc_not-a-real-token").get("/v1/openapiV3.json")
    body = assert_matches_contract(response, "Utilities V1#OpenAPIV3")
    assert response.status_code == 401 and body["type"] == "authentication_error"
