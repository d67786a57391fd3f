"""How every public response is served (statuspages/views/serving.py): ETag and
Last-Modified from the page's version, 304 when nothing changed, a change shown on the
next request, headers for shared caches, and one render for a crowd. With the speed
switch on and off (``speed``): conditional GET holds in both."""

import gzip
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.utils.http import http_date

from statuspages import caching, services
from statuspages.views import pages

from .conftest import component, incident, maintenance

pytestmark = pytest.mark.django_db


@pytest.fixture
def routes(page):
    """Every kind of public response of the page."""
    found = incident(page, statuses={"API": "partial_outage"})
    planned = maintenance(page)
    api = component(page, "API")
    return [
        "/status/acme/",
        f"/status/acme/incidents/{found.pk}/",
        f"/status/acme/maintenance/{planned.pk}/",
        "/status/acme/history/",
        "/status/acme/feed.atom",
        "/status/acme/feed.rss",
        "/status/acme/badge.svg",
        f"/status/acme/components/{api.pk}/badge.svg",
        *(f"/status/acme/api/v2/{doc}" for doc in (
            "status.json", "summary.json", "components.json", "incidents.json", "incidents/unresolved.json",
            "scheduled-maintenances.json", "scheduled-maintenances/upcoming.json", "scheduled-maintenances/active.json",
        )),
    ]


def test_every_response_is_304_when_the_reader_has_it_already(client, routes, speed):
    for path in routes:
        first = client.get(path)
        assert first.status_code == 200, path
        assert first["ETag"].startswith('"') and first["Last-Modified"], path
        again = client.get(path, headers={"If-None-Match": first["ETag"]})
        assert again.status_code == 304 and again.content == b"", path
        assert again["ETag"] == first["ETag"]
        since = client.get(path, headers={"If-Modified-Since": first["Last-Modified"]})
        assert since.status_code == 304, path


def test_responses_of_one_page_have_distinct_etags(client, routes):
    assert len({client.get(path)["ETag"] for path in routes}) == len(routes)


def test_a_change_shows_on_the_next_request(client, page, speed):
    paths = ["/status/acme/", "/status/acme/api/v2/summary.json", "/status/acme/feed.atom", "/status/acme/badge.svg"]
    before = {path: client.get(path) for path in paths}
    for response in before.values():
        assert b"Checkout down" not in response.content
    incident(page, name="Checkout down", statuses={"Cards": "full_outage"})
    for path, old in before.items():
        response = client.get(path, headers={"If-None-Match": old["ETag"]})
        assert response.status_code == 200 and response["ETag"] != old["ETag"], path
        assert b"Checkout down" in response.content or b"major outage" in response.content, path


def test_a_change_to_a_shared_component_shows_on_every_page(client, page, speed):
    first = client.get("/status/acme/")
    services.update_component(actor=None, component=component(page, "API"), name="Public API")
    response = client.get("/status/acme/", headers={"If-None-Match": first["ETag"]})
    assert response.status_code == 200 and b"Public API" in response.content


def test_last_modified_is_when_the_page_last_changed(client, page):
    incident(page)
    changed_at = caching.versions(page.pk).changed_at
    # An incident page changes only with the page; the front also with time (its window).
    found = page.incidents.get()
    assert client.get(f"/status/acme/incidents/{found.pk}/")["Last-Modified"] == http_date(changed_at.timestamp())


def test_what_time_alone_changes_is_revalidated_within_a_minute(client, page, frozen_window):
    found = incident(page)
    front, detail = client.get("/status/acme/"), client.get(f"/status/acme/incidents/{found.pk}/")
    frozen_window.now += pages.FRESH_FOR
    assert client.get("/status/acme/", headers={"If-None-Match": front["ETag"]}).status_code == 200
    assert client.get(f"/status/acme/incidents/{found.pk}/", headers={"If-None-Match": detail["ETag"]}).status_code == 304


def test_shared_caches_may_keep_public_responses_but_not_what_staff_see(client, staff_reader, page):
    public = client.get("/status/acme/")
    assert "public" in public["Cache-Control"] and "s-maxage=" in public["Cache-Control"]
    assert "Cookie" in public["Vary"]
    mine = staff_reader.get("/status/acme/")
    assert "private" in mine["Cache-Control"] and mine["ETag"] != public["ETag"]


def test_scripts_of_any_origin_may_read_a_public_page_json_and_badges(client, staff_reader, page):
    assert client.get("/status/acme/api/v2/status.json")["Access-Control-Allow-Origin"] == "*"
    assert client.get("/status/acme/badge.svg")["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/status/acme/")
    services.save_status_page(actor=None, page=page, is_public=False)
    assert "Access-Control-Allow-Origin" not in staff_reader.get("/status/acme/api/v2/status.json")


@pytest.mark.usefixtures("accelerated")
def test_accelerated_bodies_are_sent_gzipped_to_readers_that_accept_them(client, page):
    plain = client.get("/status/acme/")
    packed = client.get("/status/acme/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content and len(packed.content) < len(plain.content) / 4
    assert packed["ETag"] != plain["ETag"] and "Accept-Encoding" in packed["Vary"]
    again = client.get("/status/acme/", headers={"Accept-Encoding": "gzip", "If-None-Match": packed["ETag"]})
    assert again.status_code == 304


@pytest.mark.usefixtures("plain")
def test_without_acceleration_nothing_is_compressed(client, page):
    response = client.get("/status/acme/", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response and b"<html" in response.content


@pytest.mark.usefixtures("plain")
def test_without_acceleration_every_request_renders(client, page, monkeypatch):
    renders = []
    overview = pages.selectors.page_overview
    monkeypatch.setattr(pages.selectors, "page_overview", lambda *a, **k: renders.append(1) or overview(*a, **k))
    client.get("/status/acme/")
    client.get("/status/acme/")
    assert len(renders) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("accelerated")
def test_a_crowd_after_a_change_renders_the_page_once(page, monkeypatch):
    """Twelve readers at once on a cold cache, each on its own connection: one renders."""
    renders, overview, lock = [], pages.selectors.page_overview, threading.Lock()

    def slow_overview(*args, **kwargs):
        with lock:
            renders.append(1)
        time.sleep(0.3)  # long enough that every reader arrives while it renders
        return overview(*args, **kwargs)

    monkeypatch.setattr(pages.selectors, "page_overview", slow_overview)
    Client().get("/status/acme/")  # warm the page lookup; the change below makes the body cold
    incident(page, name="Checkout down")
    renders.clear()
    start, answers = threading.Barrier(12), []

    def reader():
        try:
            start.wait()
            response = Client().get("/status/acme/")
            answers.append((response.status_code, b"Checkout down" in response.content))
        finally:
            connection.close()

    readers = [threading.Thread(target=reader) for _ in range(12)]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join()
    assert answers == [(200, True)] * 12 and len(renders) == 1
