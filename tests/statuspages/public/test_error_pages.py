"""The public site's 404 and 500 pages: in the page's look, leading back to the page,
with nothing the Content-Security-Policy would block (no script, no inline style, nothing
from elsewhere); the APIs and the admin keep their own answers."""

import re

import pytest
from django.test import Client

from statuspages import selectors

pytestmark = pytest.mark.django_db


def assert_self_contained(body: str) -> None:
    assert "<script" not in body and "<style" not in body and " style=" not in body
    assert not re.search(r'(?:src|href)="(?:https?:)?//', body)  # nothing from another origin
    assert "/static/statuspages/status.css" in body and 'class="masthead"' in body


@pytest.mark.parametrize(
    "path", ["/status/acme/incidents/01NOSUCHINCIDENT/", "/status/acme/maintenance/nope/", "/status/acme/history/?page=999"]
)
def test_a_dead_link_under_a_page_names_the_page_and_leads_back(client, page, path):
    response = client.get(path)
    body = response.content.decode()
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    assert "<h1>Page not found</h1>" in body and "Acme status" in body
    assert 'href="/status/acme/"' in body and 'href="/status/acme/history/"' in body
    assert_self_contained(body)
    assert "script-src" in response["Content-Security-Policy"] or "default-src" in response["Content-Security-Policy"]


def test_an_unknown_page_or_a_private_one_leads_to_the_status_home(client, page, db):
    from tests.factories import status_page

    status_page(name="Internal", slug="internal", is_public=False)
    for path in ("/status/no-such-page/", "/status/internal/history/x"):
        body = client.get(path).content.decode()
        assert "Page not found" in body and 'href="/status/"' in body and "Internal" not in body


def test_the_apis_and_the_admin_keep_their_own_404(client, page):
    json = client.get("/status/acme/api/v2/nothing.json")
    assert json.status_code == 404 and "Page not found</h1>" not in json.content.decode()
    assert client.get("/v2/nothing").status_code == 404
    assert "Page not found</h1>" not in client.get("/v2/nothing").content.decode()


def test_a_failure_on_the_public_site_shows_the_styled_500_page(page, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(selectors, "page_overview", broken)
    response = Client(raise_request_exception=False).get("/status/acme/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in body and 'href="/status/"' in body and "database gone" not in body
    assert_self_contained(body)
