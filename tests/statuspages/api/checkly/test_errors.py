"""Checkly's error body, ``{"statusCode", "error", "message"}``, for every error on the
dialect's paths: the shared classification, worded Checkly's way."""

from types import SimpleNamespace

import pytest

from core import ratelimit
from tests.clients import ApiClient, make_client

from .conftest import assert_checkly_error, checkly

pytestmark = pytest.mark.django_db


def test_no_key_is_checklys_401(anonymous):
    body = checkly(anonymous.get("/v1/status-pages"), "getV1Statuspages", 401)
    assert body["error"] == "Unauthorized"


def test_an_unknown_key_is_checklys_401_with_a_challenge():
    response = ApiClient("not-a-key").get("/v1/status-pages/services")
    body = checkly(response, "getV1StatuspagesServices", 401)
    assert "not valid" in body["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_key_without_the_status_page_roles_is_checklys_403(db):
    response = make_client("viewer").get("/v1/status-pages/incidents")
    body = checkly(response, "getV1StatuspagesIncidents", 403)
    assert body == {"statusCode": 403, "error": "Forbidden", "message": "This API key needs one of these roles: status_page_viewer, status_page_publisher"}


def test_global_access_may_do_everything(api):
    checkly(api.post("/v1/status-pages/services", {"name": "API"}), "postV1StatuspagesServices")
    checkly(api.get("/v1/status-pages/services"), "getV1StatuspagesServices")


def test_a_path_no_view_serves_is_checklys_404(reader):
    response = reader.get("/v1/status-pages/incidents/x/incident-updates/y/z")
    assert_checkly_error(response, 404)


def test_a_method_a_path_does_not_serve_is_checklys_405(reader):
    assert_checkly_error(reader.post("/v1/status-pages/openapi.json", {}), 405)


def test_a_body_that_is_no_json_is_checklys_400(publisher):
    response = publisher.post("/v1/status-pages/services", "{not json", content_type="application/json")
    assert_checkly_error(response, 400)


def test_past_the_rate_limit_is_checklys_429_with_retry_after(reader, settings, monkeypatch):
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_785_173_140.25))
    settings.API_RATE_LIMIT_PER_MINUTE = 1
    checkly(reader.get("/v1/status-pages/services"), "getV1StatuspagesServices")
    response = reader.get("/v1/status-pages/services")
    body = checkly(response, "getV1StatuspagesServices", 429)
    assert body["error"] == "Too Many Requests"
    assert int(response["Retry-After"]) >= 1 and response["X-RateLimit-Remaining"] == "0"


def test_incident_ios_paths_keep_incident_ios_body(reader):
    body = reader.get("/v2/no-such-thing").json()
    assert body["type"] == "not_found" and "statusCode" not in body


@pytest.fixture
def api(db):
    return make_client("global_access", name="Global key")


def test_an_unexpected_error_is_checklys_500(reader, monkeypatch, caplog):
    from statuspages.api.checkly.views.services import ServiceChecklyViewSet

    def broken(self, request):
        raise RuntimeError("boom")

    monkeypatch.setattr(ServiceChecklyViewSet, "list", broken)
    body = assert_checkly_error(reader.get("/v1/status-pages/services"), 500)
    assert "boom" not in body["message"]
