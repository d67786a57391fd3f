"""Clients and helpers of the Cachet dialect's tests: a guest, keys with the status page
roles, a site page, and every answer checked against Cachet's document."""

import pytest

from tests.clients import ApiClient, make_client
from tests.contract import _document, assert_matches_contract, operation_for
from tests.factories import status_page

DOCUMENT = "cachet-v3-openapi.json"


def cachet(response, operation_id: str, status: int = 200, *, request: bool = True):
    """The answer has ``status`` and matches ``operation_id`` in Cachet's document (body,
    status and media type; the request too when it succeeded, unless ``request=False``
    for a request beyond the document, as a filter on several values). Returns the body."""
    assert response.status_code == status, response.content
    if status == 204:
        assert "204" in _responses(response, operation_id) and response.content == b""
        return None
    return assert_matches_contract(response, operation_id, document=DOCUMENT, request=request)


def _responses(response, operation_id: str) -> dict:
    request = response.wsgi_request
    found, template, _ = operation_for(request.method, request.path, DOCUMENT)
    assert found == operation_id, f"{request.method} {request.path} is {found}, expected {operation_id}"
    return _document(DOCUMENT)["paths"][template.removeprefix("/api")][request.method.lower()]["responses"]


def assert_cachet_error(response, status: int, message: str | None = None) -> dict:
    """Laravel's error body, for statuses Cachet's document does not list (a 400 from the
    query builder, a 401 on a public read, a 405): ``{"message"}``."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"message"} and isinstance(body["message"], str)
    if message is not None:
        assert body["message"] == message
    return body


@pytest.fixture
def guest(db):
    return ApiClient()


@pytest.fixture
def publisher(db):
    """A key that may write to status pages."""
    return make_client("status_page_publisher", name="Publisher key")


@pytest.fixture
def reader(db):
    """A key that reads status pages as Cachet's signed-in users do."""
    return make_client("status_page_viewer", name="Reader key")


@pytest.fixture
def site(db):
    """Cachet's one site: the default page, with API and Dashboard at its top level and
    Checkout in the Payments group."""
    return status_page("Acme status", "acme", is_default=True, components=["API", "Dashboard"], groups={"Payments": ["Checkout"]})
