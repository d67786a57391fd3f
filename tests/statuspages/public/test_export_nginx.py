"""A page's export served by a real nginx (Debian's), with the recipe we ship
(docs/recipes/nginx-status-export.conf), while nothing of the application answers: no
server runs, the database is blocked (any query fails the test) and the cache is emptied.
The front page, an incident, summary.json and the feeds answer 200 with the last state,
the live site's bytes and content types; a change made once the application is back shows
through nginx after the export that change sets off.

Skipped without nginx, unless ``REQUIRE_NGINX=1`` (CI sets it) makes that a failure.
nginx runs unprivileged on a free port with its own prefix, configuration and logs.
"""

import gzip
import os
import urllib.error
import urllib.request

import pytest
from django.core.cache import cache
from django.utils import timezone

from statuspages import services
from tests import nginx as nginx_server

from .conftest import incident

pytestmark = pytest.mark.django_db


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body


@pytest.fixture
def nginx(tmp_path):
    if not os.path.exists(nginx_server.BINARY):
        if os.environ.get("REQUIRE_NGINX"):
            pytest.fail(f"nginx is not at {nginx_server.BINARY} (REQUIRE_NGINX is set): apt-get install nginx")
        pytest.skip("nginx is not installed (apt-get install nginx); CI runs this")
    export, port = tmp_path / "export", nginx_server.free_port()
    process = nginx_server.start(tmp_path / "nginx", port, export / "acme")

    def get(path, headers=None) -> Answer:
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
        try:
            with urllib.request.build_opener(NoRedirects).open(request, timeout=10) as response:
                return Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers, error.read())

    try:
        yield get, export
    finally:
        nginx_server.stop(process)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def eager(settings):
    from config.celery import app

    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


def test_the_exported_page_keeps_answering_from_nginx_with_the_application_down(
    client, page, nginx, settings, eager, monkeypatch, django_db_blocker, django_capture_on_commit_callbacks,
):
    get, export = nginx
    settings.STATUSPAGES_EXPORT_DIR = export
    # The clock stopped: today's availability under the open impact is the same for the
    # export and the live requests it is compared with, whichever backend renders them.
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    with django_capture_on_commit_callbacks(execute=True):  # a change: the export task runs
        found = incident(page, name="Cards declined", statuses={"Cards": "partial_outage"})
    paths = [
        "/status/acme/", f"/status/acme/incidents/{found.pk}/", "/status/acme/api/v2/summary.json",
        "/status/acme/feed.atom", "/status/acme/feed.rss", "/status/acme/badge.svg",
    ]
    live = {path: client.get(path) for path in paths}

    # The application is down: nothing may read its database or its cache from here on.
    cache.clear()
    with django_db_blocker.block():
        for path in paths:
            answer = get(path)
            assert answer.status == 200, path
            assert answer.headers["Content-Type"] == live[path]["Content-Type"], path
            assert answer.body == live[path].content, path
            assert "stale-if-error=86400" in answer.headers["Cache-Control"]
        assert b"Cards declined" in get("/status/acme/").body
        assert b'"indicator":"major"' in get("/status/acme/api/v2/summary.json").body.replace(b" ", b"")
        assert get("/").body == live["/status/acme/"].content  # the root: the page's front
        packed = get("/status/acme/", {"Accept-Encoding": "gzip"})
        assert packed.headers["Content-Encoding"] == "gzip" and gzip.decompress(packed.body) == live["/status/acme/"].content
        style = get("/static/statuspages/status.css")
        assert style.status == 200 and style.headers["Content-Type"] == "text/css; charset=utf-8"
        assert get("/status/acme/api/v2/status.json").headers["Access-Control-Allow-Origin"] == "*"
        missing = get("/status/acme/incidents/nothing-here/")
        assert missing.status == 404 and b"Acme status" in missing.body
        assert get("/status/acme/subscribe/").status == 302  # to the application, for when it is back

    # The application is back: a change shows through nginx once its export has run.
    with django_capture_on_commit_callbacks(execute=True):
        services.post_incident_update(actor=None, page_incident=found, status="resolved", message="All fixed.",
                                      component_statuses={page.test_components["Cards"]: "operational"})
    with django_db_blocker.block():
        assert b"All fixed." in get(f"/status/acme/incidents/{found.pk}/").body
        assert b'"indicator":"none"' in get("/status/acme/api/v2/summary.json").body.replace(b" ", b"")
        assert b"All fixed." in get("/status/acme/feed.atom").body
