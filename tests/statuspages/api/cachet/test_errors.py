"""Cachet's error bodies, produced by the one error path: Laravel's ``{"message"}`` (and
``errors`` on a 422), for what the views raise and for paths no view matched."""

import pytest

from core.api import errors as api_errors
from statuspages.api.cachet import errors, reads
from tests.clients import ApiClient

from .conftest import assert_cachet_error, cachet

pytestmark = pytest.mark.django_db


def bearer(client) -> dict:
    return {"Authorization": f"Bearer {client.token}"}


def test_a_422_lists_every_field_and_summarises_the_first(publisher, site):
    body = cachet(publisher.post("/api/incidents", {"status": 7}), "cachet.api.incidents.store", 422)
    assert body == {
        "message": "The name field is required. (and 1 more error)",
        "errors": {"name": ["The name field is required."], "status": ["The selected status is invalid."]},
    }


@pytest.mark.parametrize(
    "errors_, expected",
    [
        (
            [{"code": "max_length", "message": "name: Ensure this field has no more than 255 characters.", "source": {"field": "name"}}],
            {"name": ["The name field must not be greater than 255 characters."]},
        ),
        (
            [{"code": "invalid", "message": "components[0].id: A valid integer is required.", "source": {"field": "components[0].id"}}],
            {"components.0.id": ["The components.0.id field must be an integer."]},
        ),
        (
            [{"code": "invalid_value", "message": "Not on Acme: API", "source": {"field": "component_statuses"}}],
            {"components": ["Not on Acme: API"]},
        ),
        (
            [{"code": "invalid_window", "message": "A maintenance window must end after it starts", "source": {"field": "end_at"}}],
            {"completed_at": ["A maintenance window must end after it starts"]},
        ),
    ],
)
def test_validation_messages_speak_laravel_and_cachets_field_names(errors_, expected):
    body = errors.validation_body(errors_)
    assert body["errors"] == expected
    assert body["message"] == next(iter(expected.values()))[0]


def test_an_invalid_key_is_refused_even_on_a_public_read(site):
    # As on incident.io's public endpoints: a key, if sent, must be valid.
    response = ApiClient("inc_not-a-key").get("/api/components")
    assert_cachet_error(response, 401, "Unauthenticated.")


def test_an_unknown_route_under_cachets_paths_answers_in_cachets_words(guest):
    for path in ("/api/components/abc", "/api/metrics", "/api/incidents/1/updates/2/more"):
        assert_cachet_error(guest.get(path), 404, f"No route for GET {path}")


def test_our_other_paths_keep_their_own_bodies(guest, admin_client):
    assert guest.get("/v2/nope").json()["type"] == "not_found"
    assert guest.get("/api/nope").json()["type"] == "not_found"
    docs = guest.get("/api/docs/")
    assert docs.status_code == 200 and docs["Content-Type"].startswith("text/html")


def test_registering_twice_adds_nothing():
    before = list(api_errors.DIALECT_ERRORS)
    errors.register()
    assert api_errors.DIALECT_ERRORS == before
    assert [prefix for prefix, respond in before if respond is errors.respond] == list(errors.PREFIXES)


def test_a_method_cachet_does_not_serve_is_405(publisher, site):
    url = f"/api/components/{site.test_components['API'].number}"
    body = assert_cachet_error(publisher.patch(url, {}, content_type="application/json", headers=bearer(publisher)), 405)
    assert "PATCH" in body["message"]


def test_malformed_json_is_400(publisher, site):
    response = publisher.generic("POST", "/api/incidents", "{not json", content_type="application/json", headers=bearer(publisher))
    assert_cachet_error(response, 400)


def test_too_many_requests_answers_laravels_429(publisher, site, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1
    assert publisher.get("/api/ping").status_code == 200
    response = publisher.get("/api/ping")
    assert_cachet_error(response, 429, "Too Many Attempts.")
    assert int(response["Retry-After"]) >= 1 and response["X-RateLimit-Remaining"] == "0"


def test_an_unexpected_error_is_laravels_500(guest, monkeypatch):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(reads, "site_page", broken)
    assert_cachet_error(guest.get("/api/incidents"), 500, "Server Error")


def test_jsonapi_is_answered_whatever_the_client_accepts(guest, site):
    response = guest.get("/api/components", headers={"Accept": "application/json"})
    assert response.status_code == 200 and response["Content-Type"] == "application/vnd.api+json"

