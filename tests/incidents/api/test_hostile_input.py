"""Hostile input on incident.io's v1/v2 paths gets incident.io's error body with the
right status, never a 500: NUL characters (which PostgreSQL refuses), reference numbers
past the column's range or spelled in non-ASCII digits, garbage cursors, bodies past the
size limit or nested past the depth limit, too many parameters. The show path is checked
with both acceleration backends (``speed``; accelerated, ``accel.show`` answers it before DRF)."""

import json

import pytest
from django.core.cache.backends.base import CacheKeyWarning

from core.api.parsers import MAX_DEPTH, depth_exceeds
from tests.core.api.test_errors import assert_error_body
from tests.factories import declare

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(db):
    return declare("Checkout is down")  # INC-1


# --- reference numbers and ids in the path ----------------------------------------------------


@pytest.mark.parametrize(
    "ref",
    [
        "2147483648",  # one past PostgreSQL's integer
        "99999999999999999999",  # past a 64-bit integer
        "9" * 25,
        "%C2%B2",  # "²": a digit to str.isdigit(), not to int()
        "%D9%A1",  # "١", Arabic-Indic one: int() reads it as 1
        "%EF%BC%91",  # "１", a fullwidth one
        "%00",
        "1%00",
    ],
)
def test_incident_reference_that_is_not_ascii_digits_in_range_is_404(api, incident, speed, ref):
    body = assert_error_body(api.get(f"/v2/incidents/{ref}"), 404, "not_found")
    assert body["errors"][0]["code"] == "not_found"


def test_ascii_reference_number_still_finds_the_incident(api, incident, speed):
    assert api.get("/v2/incidents/1").json()["incident"]["id"] == incident.pk


@pytest.mark.parametrize(
    "path_",
    [
        "/v1/incidents/%00",
        "/v2/incidents/%00/actions/edit",
        "/v1/severities/%00",
        "/v1/incident_statuses/%00",
        "/v2/custom_fields/%00",
        "/v1/custom_field_options/%00",
        "/v1/api_keys/%00",
        "/v2/users/%00",
        "/v2/users/%D9%A1",
        "/v2/users/99999999999999999999",
    ],
)
def test_nul_or_unusable_number_in_an_id_is_404(api, path_):
    assert_error_body(api.get(path_), 404, "not_found")


# --- query parameters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path_, parameter",
    [
        ("/v2/incidents?after=%00", "after"),
        ("/v2/incidents?status[one_of]=%00", "status[one_of]"),
        ("/v2/incidents?severity[one_of]=%00", "severity[one_of]"),
        ("/v2/incidents?severity[one_of]=a,b%00c", "severity[one_of]"),
        ("/v2/incidents?incident_type[not_in]=%00", "incident_type[not_in]"),
        ("/v2/incident_updates?incident_id=%00", "incident_id"),
        ("/v1/incidents?after=%00", "after"),
        ("/v1/incidents?status=%00", "status"),
        ("/v2/users?after=%00", "after"),
        ("/v1/api_keys?after=%00", "after"),
        ("/v1/custom_field_options?custom_field_id=%00", "custom_field_id"),
    ],
)
def test_nul_in_a_query_parameter_is_422_naming_it(api, incident, path_, parameter):
    body = assert_error_body(api.get(path_), 422, "validation_error")
    assert [error["source"]["field"] for error in body["errors"]] == [parameter]


@pytest.mark.parametrize("path_", ["/v2/incidents", "/v1/incidents", "/v2/incident_updates", "/v1/api_keys"])
@pytest.mark.parametrize("after", ["garbage", "01ARZ3NDEKTSV4RRFFQ69G5FAU", "ZZZZZZZZZZZZZZZZZZZZZZZZZZ", "%D9%A1"])
def test_garbage_ulid_cursor_is_422_not_ignored(api, incident, path_, after):
    body = assert_error_body(api.get(f"{path_}?after={after}"), 422, "validation_error")
    assert body["errors"][0]["source"]["field"] == "after"


@pytest.mark.parametrize("after", ["garbage", "%D9%A1", "99999999999999999999", "-1"])
def test_garbage_user_cursor_is_422(api, after):
    body = assert_error_body(api.get(f"/v2/users?after={after}"), 422, "validation_error")
    assert body["errors"][0]["source"]["field"] == "after"


def test_a_real_cursor_still_pages(api):
    first, second = declare("First"), declare("Second")
    page = api.get("/v2/incidents", {"page_size": 1}).json()
    assert [i["id"] for i in page["incidents"]] == [second.pk]
    following = api.get("/v2/incidents", {"page_size": 1, "after": page["pagination_meta"]["after"]}).json()
    assert [i["id"] for i in following["incidents"]] == [first.pk]


@pytest.mark.parametrize("size", ["%D9%A1", "%C2%B2", "99999999999999999999999", "1.5"])
def test_page_size_that_is_not_ascii_digits_is_422(api, size):
    body = assert_error_body(api.get(f"/v2/incidents?page_size={size}"), 422, "validation_error")
    assert body["errors"][0]["source"]["field"] == "page_size"


@pytest.mark.parametrize("user", ["%D9%A1", "%C2%B2", "99999999999999999999"])
def test_role_filter_user_id_that_is_not_ascii_digits_in_range_is_422(api, lead_role, user):
    parameter = f"incident_role[{lead_role.pk}][one_of]"
    body = assert_error_body(api.get(f"/v2/incidents?{parameter}={user}"), 422, "validation_error")
    assert body["errors"][0]["source"]["field"] == parameter


def test_date_past_the_last_day_is_422(api):
    body = assert_error_body(api.get("/v2/incidents?created_at[date_range]=2024-01-01~9999-12-31"), 422, "validation_error")
    assert body["errors"][0]["source"]["field"] == "created_at[date_range]"


def test_too_many_query_parameters_is_400(api):
    query = "&".join(f"p{i}=1" for i in range(1001))
    body = assert_error_body(api.get(f"/v2/incidents?{query}"), 400, "invalid_request_error")
    assert body["errors"][0]["code"] == "invalid_request"


def test_too_many_query_parameters_on_the_show_path_is_400(api, incident, speed):
    query = "&".join(f"p{i}=1" for i in range(1001))
    assert_error_body(api.get(f"/v2/incidents/1?{query}"), 400, "invalid_request_error")


# --- request bodies ---------------------------------------------------------------------------

WRITES = ["/v2/incidents", "/v1/incidents", "/v2/incident_updates", "/v1/severities", "/v1/api_keys"]


@pytest.mark.parametrize("path_", WRITES)
def test_body_past_the_size_limit_is_413_naming_the_limit(api, path_, settings):
    body = json.dumps({"name": "x" * (20 * 2**20)})
    answer = assert_error_body(api.post(path_, body, content_type="application/json"), 413, "payload_too_large")
    assert answer["errors"][0]["code"] == "request_too_large"
    assert f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes" in answer["errors"][0]["message"]
    assert "MAX_REQUEST_BODY_MB" in answer["errors"][0]["message"]


def test_the_size_limit_is_the_setting(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    answer = assert_error_body(api.post("/v1/severities", {"name": "x" * 2000}), 413, "payload_too_large")
    assert "1024 bytes" in answer["errors"][0]["message"]
    ok = api.post("/v1/severities", {"name": "Tiny", "description": "Small", "rank": 9})
    assert ok.status_code == 201


@pytest.mark.parametrize("path_", WRITES)
@pytest.mark.parametrize("depth", [5000, MAX_DEPTH + 1])
def test_body_nested_past_the_depth_limit_is_400(api, path_, depth):
    body = "[" * depth + "]" * depth
    answer = assert_error_body(api.post(path_, body, content_type="application/json"), 400, "invalid_request_error")
    assert answer["errors"][0]["code"] == "invalid_json"


@pytest.mark.parametrize(
    "body",
    [
        b'{"name": "\\ud800"}',  # a lone surrogate: no database stores it
        b'{"name": "\xff"}',  # not UTF-8
        b'{"name": NaN}',
        b'{"rank": 1e400}',
    ],
)
def test_json_no_database_could_store_is_400(api, body):
    answer = assert_error_body(api.post("/v1/severities", body, content_type="application/json"), 400, "invalid_request_error")
    assert answer["errors"][0]["code"] == "invalid_json"


@pytest.mark.parametrize("field", ["severity_id", "incident_type_id", "incident_status_id"])
def test_nul_in_an_id_of_a_body_is_422(api, field):
    body = {"idempotency_key": "k", "visibility": "public", "name": "Down", field: "\x00"}
    answer = assert_error_body(api.post("/v2/incidents", body), 422, "validation_error")
    assert answer["errors"][0]["source"]["field"] == field


def test_depth_is_measured_without_recursion():
    deep = []
    for _ in range(100_000):
        deep = [deep]
    assert depth_exceeds(deep)
    assert not depth_exceeds({"a": [{"b": [1]}]}, limit=4)
    assert depth_exceeds({"a": [{"b": [1]}]}, limit=3)


@pytest.mark.parametrize("ref", ["%C3%A9t%C3%A9", "a" * 300, "a%1Eb", "a%20b", "%F0%9F%94%A5"])
def test_show_of_an_id_that_cannot_be_one_is_404_and_no_cache_key(api, incident, speed, ref, recwarn):
    # Memcached refuses keys with spaces, control characters or past 250 characters.
    assert_error_body(api.get(f"/v2/incidents/{ref}"), 404, "not_found")
    assert not [w for w in recwarn if issubclass(w.category, CacheKeyWarning)]
