"""One error format: incident.io's body, with the request id also in X-Request-Id, for
every failure an API path can produce; public pages keep Django's HTML."""

import pytest
from django.urls import include, path
from openapi_schema_validator import OAS30Validator, validate

from core.api.auth import HasApiKey
from core.api.base import ApiViewSet
from tests.clients import ApiClient
from tests.contract import _document, assert_matches_contract

pytestmark = pytest.mark.django_db


def assert_error_body(response, status: int, type_: str) -> dict:
    """For paths that are no contract operation: the body must still be an ErrorResponse."""
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    schema = {"$ref": "#/components/schemas/ErrorResponse", "components": _document("incident-io-openapi.json")["components"]}
    validate(body, schema, cls=OAS30Validator)
    assert body["status"] == status and body["type"] == type_
    assert response["X-Request-Id"] == body["request_id"] != ""
    return body


# --- a urlconf with views that fail, for the 500s ----------------------------------------


class FailingViewSet(ApiViewSet):
    permission_classes = [HasApiKey]

    def list(self, request):
        raise RuntimeError("a bug in a view")


def failing_django_view(request):
    raise RuntimeError("a bug outside DRF")


urlpatterns = [
    path("v1/failing", FailingViewSet.as_view({"get": "list"})),
    path("v2/failing-plain", failing_django_view),
    path("", include("config.urls")),
]
handler404 = "core.api.errors.handler404"
handler500 = "core.api.errors.handler500"


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = __name__


# --- authentication and roles -------------------------------------------------------------


def test_missing_key_is_401_missing_authorization_material(anonymous):
    response = anonymous.get("/v1/identity")
    body = assert_matches_contract(response, "Utilities V1#Identity")
    assert response.status_code == 401 and body["type"] == "authentication_error"
    assert body["errors"] == [{"code": "missing_authorization_material", "message": "No authorization material provided in request"}]
    assert response["X-Request-Id"] == body["request_id"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_token_is_401_invalid_authorization_material(db):
    response = ApiClient("inc_not-a-real-token").get("/v2/users")
    body = assert_matches_contract(response, "Users V2#List")
    assert response.status_code == 401 and body["errors"][0]["code"] == "invalid_authorization_material"
    assert response["X-Request-Id"] == body["request_id"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Token inc_abc", "Bearer", "Bearer    "])
def test_wrong_authorization_scheme_is_401(anonymous, header):
    response = anonymous.get("/v1/identity", headers={"Authorization": header})
    body = assert_matches_contract(response, "Utilities V1#Identity")
    assert response.status_code == 401 and body["errors"][0]["code"] == "invalid_authorization_material"
    assert "Bearer" in body["errors"][0]["message"]
    assert response["X-Request-Id"] == body["request_id"]


def test_wrong_role_is_403(viewer):
    response = viewer.get("/v1/api_keys")
    body = assert_matches_contract(response, "API Keys V1#List")
    assert response.status_code == 403 and body["type"] == "resource_forbidden"
    assert body["errors"][0]["code"] == "insufficient_permissions" and "api_keys_manage" in body["errors"][0]["message"]
    assert response["X-Request-Id"] == body["request_id"]


# --- routing ------------------------------------------------------------------------------


@pytest.mark.parametrize("path_", ["/v1/no-such-thing", "/v2/no/such/thing", "/v1/api_keys/01FCNDV6P870EA6S7TK1DSYDG0/nope"])
def test_unknown_api_route_is_a_json_404(viewer, path_):
    body = assert_error_body(viewer.get(path_), 404, "not_found")
    assert body["errors"][0]["code"] == "not_found"


def test_unknown_api_path_is_json_404(viewer):
    response = viewer.get("/v1/no-such-thing")
    assert response.status_code == 404 and response.json()["type"] == "not_found"


def test_unknown_route_outside_the_api_stays_html(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_wrong_method_is_405_naming_the_allowed_ones(viewer):
    response = viewer.generic("PATCH", "/v1/identity", headers=viewer._headers(None))
    body = assert_error_body(response, 405, "method_not_allowed")
    assert body["errors"][0]["code"] == "method_not_allowed"
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_wrong_method_is_405(viewer):
    response = viewer.generic("PATCH", "/v1/severities", headers=viewer._headers(None))
    assert response.status_code == 405
    assert response.json()["type"] == "method_not_allowed"


# --- request bodies -----------------------------------------------------------------------


def test_malformed_json_is_400(api_as):
    client = api_as("api_keys_manage")
    response = client.post("/v1/api_keys", '{"name": "broken"', content_type="application/json")
    body = assert_matches_contract(response, "API Keys V1#Create", request=False)
    assert response.status_code == 400 and body["type"] == "invalid_request_error"
    assert body["errors"][0]["code"] == "invalid_json"
    assert response["X-Request-Id"] == body["request_id"]


def test_validation_errors_name_each_field_with_a_pointer(api_as):
    response = api_as("api_keys_manage").post("/v1/api_keys", {"name": "", "role_names": "viewer"})
    body = assert_matches_contract(response, "API Keys V1#Create")
    assert response.status_code == 422 and body["type"] == "validation_error"
    sources = {e["source"]["field"]: e["source"]["pointer"] for e in body["errors"]}
    assert sources == {
        "name": "/name", "role_names": "/role_names", "team_ids": "/team_ids", "team_role_names": "/team_role_names"
    }


# --- failures on our side -----------------------------------------------------------------


def test_a_failing_view_answers_a_json_500_with_the_request_id(viewer, failing_urls):
    response = viewer.get("/v1/failing", headers={**viewer._headers(None), "X-Request-Id": "trace-0123456789"})
    body = assert_error_body(response, 500, "api_error")
    assert body["request_id"] == "trace-0123456789"
    assert "a bug" not in response.content.decode()  # internals stay in the logs


def test_a_failure_outside_drf_answers_a_json_500_on_api_paths(client, failing_urls):
    client.raise_request_exception = False
    response = client.get("/v2/failing-plain")
    body = assert_error_body(response, 500, "api_error")
    assert body["errors"][0]["code"] == "internal_error"
