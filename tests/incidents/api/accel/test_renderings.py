"""With acceleration, rendered incidents are cached and list pages kept in memory, under
the deploy's prefix (core.cache_keys): a cached body is served only when it is what
rendering now would give."""

import pytest
from django.core.cache import cache

from core import cache_keys
from incidents import selectors, services
from incidents.api.accel import renderings
from tests.factories import declare

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("accelerated")]


def _shown(client, incident):
    response = client.get(f"/v2/incidents/{incident.pk}")
    assert response.status_code == 200
    return response.json()["incident"]


@pytest.fixture
def cache_reads(monkeypatch):
    """Counts the reads the API makes of the tests' cache, by method (a get_many's own
    gets are not counted again)."""
    from django.core.cache.backends.locmem import LocMemCache

    reads, depth = [], [0]
    for method in ("get", "get_many"):
        original = getattr(LocMemCache, method)

        def counted(self, *args, _original=original, _method=method, **kwargs):
            if not depth[0]:
                reads.append(_method)
            depth[0] += 1
            try:
                return _original(self, *args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(LocMemCache, method, counted)
    return reads


def test_a_warm_show_reads_the_cache_once(viewer, cache_reads):
    incident = declare("Warm")
    first = _shown(viewer, incident)
    cache_reads.clear()
    # The key, the version tokens and the incident's rendering come in one read.
    assert _shown(viewer, incident) == first
    assert cache_reads == ["get_many"]


def test_a_polled_list_page_reads_the_cache_once(viewer, cache_reads):
    declare("One")
    declare("Two")
    first = viewer.get("/v2/incidents").json()
    cache_reads.clear()
    # The key and the version tokens come in one read, the page built last time from this
    # process's memory; the database still says which incidents the page holds.
    assert viewer.get("/v2/incidents").json() == first
    assert cache_reads == ["get_many"]


def test_a_rendering_is_replaced_when_its_incident_changes(viewer):
    incident = declare("Before")
    _shown(viewer, incident)
    services.edit_incident(incident=incident, actor=None, name="After")
    assert _shown(viewer, incident)["name"] == "After"
    # One entry per incident, holding its latest rendering: stale ones do not pile up.
    signature, body = cache.get(renderings.rendering_key("v2", incident.pk))
    (revision,) = selectors.revisions().restrict(viewer.key).filter(pk=incident.pk)
    assert b'"After"' in body and signature.startswith(f"{revision.revision}:")


def test_a_new_site_url_shows_on_the_next_request(viewer, settings):
    incident = declare("Linked")
    settings.SITE_URL = "https://old.example.com"
    assert _shown(viewer, incident)["permalink"].startswith("https://old.example.com/")
    assert viewer.get("/v2/incidents").json()["incidents"][0]["permalink"].startswith("https://old.example.com/")
    settings.SITE_URL = "https://new.example.com"
    assert _shown(viewer, incident)["permalink"].startswith("https://new.example.com/")
    assert viewer.get("/v2/incidents").json()["incidents"][0]["permalink"].startswith("https://new.example.com/")


def test_a_new_render_version_shows_the_new_shape_on_the_next_request(viewer, monkeypatch):
    incident = declare("Shaped")
    assert "summary" not in _shown(viewer, incident)
    assert "summary" not in viewer.get("/v2/incidents").json()["incidents"][0]
    # A deploy changes the code that renders incidents (here: it always shows a summary)
    # and, with it, the code's version.
    from incidents.api.v2.views import incidents as views

    original = views.render_incident_v2
    monkeypatch.setattr(views, "render_incident_v2", lambda incident, parts: {**original(incident, parts), "summary": "new"})
    assert "summary" not in _shown(viewer, incident)  # the same code version: the cached shape
    monkeypatch.setattr(cache_keys, "code_version", lambda: "the next release")
    monkeypatch.setattr(cache_keys, "_versions", None)
    assert _shown(viewer, incident)["summary"] == "new"
    assert viewer.get("/v2/incidents").json()["incidents"][0]["summary"] == "new"


def test_a_rendering_is_kept_under_the_settings_that_shape_it(settings):
    first = renderings.rendering_key("v2", "01J")
    settings.TIME_ZONE = "Europe/Paris"
    assert renderings.rendering_key("v2", "01J") != first
    settings.TIME_ZONE = "UTC"
    assert renderings.rendering_key("v2", "01J") == first


def test_list_pages_kept_in_memory_stay_within_their_budget(settings):
    settings.API_LIST_PAGE_CACHE_MB = 10 / 1024 / 1024  # ten bytes
    pages = renderings.Pages()
    pages.put(("v2", "a"), "sig-a", b"aaaa")
    pages.put(("v2", "b"), "sig-b", b"bbbb")
    assert pages.get(("v2", "a"), "sig-a") == b"aaaa"  # now the most recently used
    assert pages.get(("v2", "a"), "another signature") is None
    pages.put(("v2", "c"), "sig-c", b"cccc")  # 12 bytes: the least recently used goes
    assert pages.get(("v2", "b"), "sig-b") is None
    assert pages.get(("v2", "a"), "sig-a") == b"aaaa" and pages.get(("v2", "c"), "sig-c") == b"cccc"
    pages.put(("v2", "a"), "sig-a2", b"a")  # replacing an entry frees its bytes
    assert pages.size == 5 and pages.get(("v2", "a"), "sig-a2") == b"a"
    pages.put(("v2", "d"), "sig-d", b"d" * 11)  # larger than the whole budget: not kept
    assert pages.get(("v2", "d"), "sig-d") is None and pages.size == 5


def test_no_memory_for_list_pages_turns_them_off(viewer, settings):
    settings.API_LIST_PAGE_CACHE_MB = 0
    declare("Listed")
    assert viewer.get("/v2/incidents").status_code == 200
    assert renderings.PAGES.entries == {} and renderings.PAGES.size == 0
