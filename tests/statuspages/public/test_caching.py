"""The public site's cache: version tokens that every service's change bumps
(statuspages/caching.py) and, accelerated (statuspages/accel.py), pages kept by slug and
bodies rendered once under a crowd."""

import gzip
import threading
import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from statuspages import accel, caching, services
from tests.factories import status_page

from .conftest import component, incident

pytestmark = pytest.mark.django_db


def rendered(text="body"):
    return caching.Rendered(text.encode(), "text/plain")


class Renders:
    """A render function that counts its calls."""

    def __init__(self, text="body", delay=0.0):
        self.calls, self.text, self.delay, self.lock = 0, text, delay, threading.Lock()

    def __call__(self):
        with self.lock:
            self.calls += 1
        if self.delay:
            time.sleep(self.delay)
        return rendered(self.text)


# --- versions -----------------------------------------------------------------------------------


def test_a_change_to_a_page_bumps_its_version_only(page):
    other = status_page(name="Other", slug="other")
    before, other_before = caching.versions(page.pk), caching.versions(other.pk)
    incident(page)
    after = caching.versions(page.pk)
    assert after.page != before.page and after.everything == before.everything
    assert caching.versions(other.pk) == other_before


def test_a_change_to_a_shared_component_bumps_every_page(page):
    before = caching.versions(page.pk)
    services.update_component(actor=None, component=component(page, "API"), name="Public API")
    after = caching.versions(page.pk)
    assert after.everything != before.everything and after.page == before.page


def test_deleting_a_page_bumps_every_page_so_its_slug_stops_answering(page):
    before = caching.versions(page.pk).everything
    services.delete_status_page(actor=None, page=page)
    assert caching.versions("any").everything != before


def test_versions_are_bumped_again_when_the_transaction_commits(page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        incident(page)
    at_once = caching.versions(page.pk)
    for callback in callbacks:
        callback()
    assert caching.versions(page.pk).page != at_once.page


def test_a_version_lost_from_the_cache_starts_a_new_generation(page):
    before = caching.versions(page.pk)
    cache.clear()
    after = caching.versions(page.pk)
    assert after != before and caching.versions(page.pk) == after
    assert after.changed_at >= before.changed_at


def test_versions_outlive_a_deploy_and_the_bodies_they_version_do_not(page, settings):
    tokens, body = caching.page_key(page.pk), accel._body_key('"v1"')
    settings.SITE_URL = "https://status.example.net"  # a new deploy prefix
    assert caching.page_key(page.pk) == tokens and accel._body_key('"v1"') != body


# --- pages by slug --------------------------------------------------------------------------------


@pytest.mark.usefixtures("accelerated")
def test_a_page_is_read_once_then_kept_while_its_version_holds(page, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert caching.backend().page_by_slug("acme")[0] == page
    with django_assert_num_queries(0):
        assert caching.backend().page_by_slug("acme")[0] == page
    services.save_status_page(actor=None, page=page, slug="acme-2")
    with django_assert_num_queries(1):
        assert caching.backend().page_by_slug("acme") == (None, None)
    assert caching.backend().page_by_slug("acme-2")[0].slug == "acme-2"


@pytest.mark.usefixtures("plain")
def test_without_acceleration_a_page_is_read_every_time(page, django_assert_num_queries):
    for _ in range(2):
        with django_assert_num_queries(1):
            assert caching.backend().page_by_slug("acme")[0] == page


# --- rendered once ------------------------------------------------------------------------------


@pytest.mark.usefixtures("accelerated")
def test_a_body_is_rendered_once_and_kept():
    render = Renders()
    assert caching.backend().render_once('"v1"', render) == rendered() == caching.backend().render_once('"v1"', render)
    assert render.calls == 1
    caching.backend().render_once('"v2"', render)  # another version
    assert render.calls == 2


@pytest.mark.usefixtures("accelerated")
def test_a_body_is_kept_gzipped_beside_from_the_same_render():
    render = Renders("a long body " * 50)
    packed = caching.backend().render_once('"v1"', render, compressed=True)
    assert packed.encoding == "gzip" and gzip.decompress(packed.content) == render().content
    assert caching.backend().render_once('"v1"', render) == rendered("a long body " * 50)
    assert render.calls == 2  # the one render, and the one above to compare with


@pytest.mark.usefixtures("accelerated")
def test_a_small_body_is_not_worth_compressing():
    assert caching.backend().render_once('"v1"', Renders("tiny"), compressed=True) == rendered("tiny")


@pytest.mark.usefixtures("plain")
def test_without_acceleration_every_request_renders():
    render = Renders()
    caching.backend().render_once('"v1"', render)
    caching.backend().render_once('"v1"', render)
    assert render.calls == 2 and not cache.get(accel._body_key('"v1"'))


@pytest.mark.usefixtures("accelerated")
def test_a_request_that_finds_the_lock_taken_waits_for_the_renderer(monkeypatch):
    key = accel._body_key('"v1"')
    cache.add(f"{key}:lock", 1)

    def renderer_finishes(seconds):  # the other request's render lands while this one waits
        cache.set(key, rendered("theirs"))
        cache.delete(f"{key}:lock")

    monkeypatch.setattr(accel, "time", SimpleNamespace(sleep=renderer_finishes, monotonic=time.monotonic))
    render = Renders("mine")
    assert caching.backend().render_once('"v1"', render) == rendered("theirs") and render.calls == 0


@pytest.mark.usefixtures("accelerated")
def test_a_request_that_waits_in_vain_renders_itself(monkeypatch):
    key = accel._body_key('"v1"')
    cache.add(f"{key}:lock", 1)  # held by a renderer that never finishes
    clock = [0.0]
    frozen = SimpleNamespace(monotonic=lambda: clock[0], sleep=lambda seconds: clock.__setitem__(0, clock[0] + seconds))
    monkeypatch.setattr(accel, "time", frozen)
    render = Renders("mine")
    assert caching.backend().render_once('"v1"', render) == rendered("mine") and render.calls == 1
    assert clock[0] == pytest.approx(accel.WAIT_SECONDS, abs=2 * accel.POLL_SECONDS)


@pytest.mark.usefixtures("accelerated")
def test_a_request_stops_waiting_when_the_renderer_failed(monkeypatch):
    key = accel._body_key('"v1"')
    cache.add(f"{key}:lock", 1)
    waits = []

    def renderer_fails(seconds):
        waits.append(seconds)
        cache.delete(f"{key}:lock")  # released without a body

    monkeypatch.setattr(accel, "time", SimpleNamespace(sleep=renderer_fails, monotonic=time.monotonic))
    render = Renders("mine")
    assert caching.backend().render_once('"v1"', render) == rendered("mine")
    assert render.calls == 1 and len(waits) == 1


@pytest.mark.usefixtures("accelerated")
def test_a_failed_render_releases_the_lock():

    def broken():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        caching.backend().render_once('"v1"', broken)
    assert cache.get(f"{accel._body_key(chr(34) + 'v1' + chr(34))}:lock") is None


@pytest.mark.usefixtures("accelerated")
def test_a_crowd_on_a_cold_cache_renders_once():
    render = Renders(delay=0.2)  # slow enough that every reader arrives while it renders
    start = threading.Barrier(20)
    bodies = []

    def reader():
        start.wait()
        bodies.append(caching.backend().render_once('"cold"', render))

    readers = [threading.Thread(target=reader) for _ in range(20)]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join()
    assert render.calls == 1 and bodies == [rendered()] * 20
