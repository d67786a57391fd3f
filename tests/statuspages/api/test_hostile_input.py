"""Hostile input on the status page dialects (incident.io's status page API, Cachet,
Checkly) gets each dialect's own error body with the right status, never a 500: NUL
characters (which PostgreSQL refuses), numbers past the column's range or in non-ASCII
digits, garbage cursors, bodies past the size limit or nested past the depth limit."""

import json

import pytest

from core.api.parsers import MAX_DEPTH
from tests.clients import make_client
from tests.core.api.test_errors import assert_error_body
from tests.factories import status_page
from tests.statuspages.api.cachet.conftest import assert_cachet_error
from tests.statuspages.api.checkly.conftest import assert_checkly_error

pytestmark = pytest.mark.django_db

HUGE = 20 * 2**20
DEEP = "[" * 5000 + "]" * 5000
TOO_DEEP = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)


@pytest.fixture
def api(db):
    """A key with every role."""
    return make_client("global_access", name="Global key")


@pytest.fixture
def site(db):
    """The default page (Cachet's site, Checkly's page) with two components."""
    return status_page("Acme status", "acme", is_default=True, components=["API", "Dashboard"])


def assert_cachet_validation_error(response, field: str) -> dict:
    """Laravel's 422: ``{"message", "errors": {field: [messages]}}``."""
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body) == {"message", "errors"} and list(body["errors"]) == [field]
    return body


# --- incident.io's status page API ------------------------------------------------------------


@pytest.mark.parametrize(
    "path_",
    [
        "/v2/status_pages/%00",
        "/v2/status_page_structures/%00",
        "/v2/status_page_components/%00",
        "/v2/status_page_incidents/%00",
        "/v2/status_page_maintenances/%00",
    ],
)
def test_incidentio_nul_in_an_id_is_404(api, site, path_):
    assert_error_body(api.get(path_), 404, "not_found")


@pytest.mark.parametrize("parameter", ["status_page_id", "after"])
@pytest.mark.parametrize("path_", ["/v2/status_page_incidents", "/v2/status_page_maintenances"])
def test_incidentio_nul_in_a_query_parameter_is_422_naming_it(api, site, path_, parameter):
    query = {"status_page_id": site.pk, parameter: "a\x00"}
    body = assert_error_body(api.get(path_, query), 422, "validation_error")
    assert [error["source"]["field"] for error in body["errors"]] == [parameter]


@pytest.mark.parametrize("path_", ["/v2/status_pages", "/v2/status_page_incidents", "/v2/status_page_maintenances"])
def test_incidentio_garbage_cursor_is_422(api, site, path_):
    body = assert_error_body(api.get(path_, {"status_page_id": site.pk, "after": "garbage"}), 422, "validation_error")
    assert body["errors"][0]["source"]["field"] == "after"


@pytest.mark.parametrize("path_", ["/v2/status_page_incidents", "/v2/status_page_components", "/v2/status_page_maintenances"])
def test_incidentio_body_past_the_size_limit_is_413(api, path_):
    response = api.post(path_, json.dumps({"name": "x" * HUGE}), content_type="application/json")
    body = assert_error_body(response, 413, "payload_too_large")
    assert "MAX_REQUEST_BODY_MB" in body["errors"][0]["message"]


@pytest.mark.parametrize("nested", [DEEP, TOO_DEEP], ids=["5000", "limit+1"])
@pytest.mark.parametrize("path_", ["/v2/status_page_incidents", "/v2/status_page_components", "/v2/status_page_maintenances"])
def test_incidentio_body_nested_past_the_depth_limit_is_400(api, path_, nested):
    body = assert_error_body(api.post(path_, nested, content_type="application/json"), 400, "invalid_request_error")
    assert body["errors"][0]["code"] == "invalid_json"


# --- Cachet -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path_",
    [
        "/api/incidents/2147483648",
        "/api/incidents/99999999999999999999",
        "/api/components/2147483648",
        "/api/schedules/99999999999999999999",
        "/api/incidents/%D9%A1",  # no route: Cachet's ids are ASCII digits
        "/api/incidents/%00",
        "/api/incidents/1/updates/%00",
    ],
)
def test_cachet_unusable_id_is_404_in_laravels_body(api, site, path_):
    assert_cachet_error(api.get(path_), 404)


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("filter[name]=%00", "filter[name]"),
        ("filter[status]=%00", "filter[status]"),
        ("page=%00", "page"),
        ("per_page=1%00", "per_page"),
        ("sort=%00", "sort"),
    ],
)
@pytest.mark.parametrize("path_", ["/api/incidents", "/api/components"])
def test_cachet_nul_in_a_query_parameter_is_422_naming_it(api, site, path_, query, parameter):
    assert_cachet_validation_error(api.get(f"{path_}?{query}"), parameter)


@pytest.mark.parametrize("page", ["99999999999999999999", "2147483648"])
def test_cachet_page_far_past_the_last_is_empty(api, site, page):
    response = api.get(f"/api/components?page={page}")
    assert response.status_code == 200
    assert response.json()["data"] == []


@pytest.mark.parametrize("status", ["%D9%A1", "%C2%B2", "99999999999999999999"])
def test_cachet_status_filter_in_non_ascii_digits_matches_nothing(api, site, status):
    response = api.get(f"/api/components?filter[status]={status}")
    assert response.status_code == 200
    assert response.json()["data"] == []


@pytest.mark.parametrize("path_", ["/api/incidents", "/api/components", "/api/schedules"])
def test_cachet_body_past_the_size_limit_is_413(api, site, path_):
    response = api.post(path_, json.dumps({"name": "x" * HUGE}), content_type="application/json")
    body = assert_cachet_error(response, 413)
    assert "MAX_REQUEST_BODY_MB" in body["message"]


@pytest.mark.parametrize("nested", [DEEP, TOO_DEEP], ids=["5000", "limit+1"])
@pytest.mark.parametrize("path_", ["/api/incidents", "/api/components", "/api/schedules"])
def test_cachet_body_nested_past_the_depth_limit_is_400(api, site, path_, nested):
    assert_cachet_error(api.post(path_, nested, content_type="application/json"), 400)


# --- Checkly ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path_",
    [
        "/v1/status-pages/%00",
        "/v1/status-pages/services/%00",
        "/v1/status-pages/incidents/%00",
        "/v1/status-pages/incidents/%00/incident-updates",
    ],
)
def test_checkly_nul_in_an_id_is_404(api, site, path_):
    assert_checkly_error(api.get(path_), 404)


@pytest.mark.parametrize("parameter", ["nextId", "limit"])
@pytest.mark.parametrize("path_", ["/v1/status-pages", "/v1/status-pages/incidents", "/v1/status-pages/services"])
def test_checkly_nul_in_a_query_parameter_is_422_naming_it(api, site, path_, parameter):
    body = assert_checkly_error(api.get(path_, {parameter: "1\x00"}), 422)
    assert body["message"].startswith(f"{parameter}: ")


@pytest.mark.parametrize("path_", ["/v1/status-pages", "/v1/status-pages/incidents", "/v1/status-pages/services"])
def test_checkly_body_past_the_size_limit_is_413(api, site, path_):
    body = assert_checkly_error(api.post(path_, json.dumps({"name": "x" * HUGE}), content_type="application/json"), 413)
    assert "MAX_REQUEST_BODY_MB" in body["message"]


@pytest.mark.parametrize("nested", [DEEP, TOO_DEEP], ids=["5000", "limit+1"])
@pytest.mark.parametrize("path_", ["/v1/status-pages", "/v1/status-pages/incidents", "/v1/status-pages/services"])
def test_checkly_body_nested_past_the_depth_limit_is_400(api, site, path_, nested):
    assert_checkly_error(api.post(path_, nested, content_type="application/json"), 400)
