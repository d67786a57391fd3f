import pytest
from django.contrib.staticfiles import finders

from tests.factories import status_page

pytestmark = pytest.mark.django_db

FAVICON = '<link rel="icon" href="/static/incidents/favicon.svg" type="image/svg+xml">'


@pytest.mark.parametrize("path", ["/api/docs/", "/api/docs/redoc/"])
def test_api_docs_tell_the_browser_to_load_nothing_from_elsewhere(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'" and policy["img-src"] == "'self' data:"
    assert "http" not in response["Content-Security-Policy"]
    # the inline start-up script runs by the response's nonce, not by 'unsafe-inline'
    nonce = policy["script-src"].split("'nonce-")[1].rstrip("'")
    assert f'<script nonce="{nonce}">' in response.content.decode() and "unsafe-inline" not in policy["script-src"]


def test_redoc_page_links_no_web_fonts(client):
    html = client.get("/api/docs/redoc/").content.decode()
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
    assert "/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js" in html
    assert "system-ui" in html  # the theme's fonts are the system's


def test_admin_docs_and_status_pages_link_our_own_favicon(client):
    status_page(slug="acme")
    for path in ["/admin/login/", "/api/docs/", "/api/docs/redoc/", "/status/acme/"]:
        assert FAVICON in client.get(path).content.decode(), path
    assert finders.find("incidents/favicon.svg")
