"""Clients and helpers of the Checkly dialect's tests: keys with the status page roles,
and every answer checked against Checkly's document."""

from http import HTTPStatus

import pytest

from tests.clients import ApiClient, make_client
from tests.contract import assert_matches_contract, operation_for
from tests.factories import status_page

DOCUMENT = "checkly-status-pages-openapi.json"


def checkly(response, operation_id: str, status: int = 200):
    """The answer has ``status`` and matches ``operation_id`` in Checkly's document (a
    status the document does not list, as 422, is checked for Checkly's error body)."""
    assert response.status_code == status, response.content
    documented = _documented(response, operation_id)
    if status == 204:
        # Checkly's document gives some 204s a JSON string body; HTTP gives a 204 none
        # (RFC 9110, 15.3.5), and neither do we.
        assert "204" in documented and response.content == b""
        return None
    if str(status) in documented:
        return assert_matches_contract(response, operation_id, document=DOCUMENT)
    return assert_checkly_error(response, status)


def _documented(response, operation_id):
    from tests.contract import _document

    request = response.wsgi_request
    found, template, _ = operation_for(request.method, request.path, DOCUMENT)
    assert found == operation_id, f"{request.method} {request.path} is {found}, expected {operation_id}"
    return _document(DOCUMENT)["paths"][template][request.method.lower()]["responses"]


def assert_checkly_error(response, status: int) -> dict:
    """Checkly's error body, ``{"statusCode", "error", "message"}``, as its documented error
    schemas have it (for statuses they do not list)."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) <= {"statusCode", "error", "message", "attributes"}
    assert body["statusCode"] == status
    assert body["error"] == HTTPStatus(status).phrase
    assert isinstance(body["message"], str) and body["message"]
    return body


@pytest.fixture
def publisher(db):
    """A client whose key may publish to status pages (and nothing else)."""
    return make_client("status_page_publisher", name="Publisher key")


@pytest.fixture
def reader(db):
    """A client whose key may read status pages (and nothing else)."""
    return make_client("status_page_viewer", name="Status page viewer key")


@pytest.fixture
def anonymous(db):
    return ApiClient()


@pytest.fixture
def page(db):
    """The default page, with two cards (Core: API, Dashboard; Payments: Cards)."""
    return status_page("Acme status", "acme", is_default=True, groups={"Core": ["API", "Dashboard"], "Payments": ["Cards"]})
