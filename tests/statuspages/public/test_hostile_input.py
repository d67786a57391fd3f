"""Hostile input on the public status pages gets Django's HTML 400 or 404, never a 500:
NUL characters (which PostgreSQL refuses), page numbers in non-ASCII digits or past any
history, bodies past the size limit."""

import pytest

pytestmark = pytest.mark.django_db


def assert_html(response, status: int):
    assert response.status_code == status, response.content[:200]
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "path_",
    [
        "/status/%00/",
        "/status/acme%00/",
        "/status/acme/incidents/%00/",
        "/status/acme/incidents/99999999999999999999/",
        "/status/acme/maintenance/%00/",
        "/status/acme/components/%00/badge.svg",
        "/status/acme/api/v2/%00.json",
    ],
)
def test_nul_or_unusable_id_in_the_path_is_an_html_404(client, page, speed, path_):
    assert_html(client.get(path_), 404)


@pytest.mark.parametrize("path_", ["/status/acme/", "/status/acme/history/", "/status/acme/feed.atom", "/status/", "/status/acme/api/v2/summary.json"])
def test_nul_in_the_query_string_is_an_html_400(client, page, speed, path_):
    assert_html(client.get(path_, {"page": "1\x00"}), 400)


@pytest.mark.parametrize("number", ["%C2%B2", "%D9%A1", "99999999999999999999", "2147483647", "0"])
def test_history_page_that_is_not_a_reachable_ascii_number_is_404(client, page, speed, number):
    assert_html(client.get(f"/status/acme/history/?page={number}"), 404)


def test_post_to_a_public_page_is_refused_without_reading_the_body(client, page, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    assert_html(client.post("/status/acme/", {"email": "x" * 4096}), 405)


def test_form_body_past_the_size_limit_outside_the_api_is_an_html_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    assert_html(client.post("/admin/login/", {"username": "x" * 4096, "password": "pw"}), 400)
