"""With acceleration, rendered incidents are cached and list pages kept in memory, keyed
by a render version: a cached body is served only when it is what rendering now would give."""

import pytest
from django.core.cache import cache

from incidents import selectors, services
from incidents.api.accel import renderings
from tests.factories import declare

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("accelerated")]


def _shown(client, incident):
    response = client.get(f"/v2/incidents/{incident.pk}")
    assert response.status_code == 200
    return response.json()["incident"]


''' + open('/tmp/accel_part.py').read() + '''

def test_a_rendering_is_replaced_when_its_incident_changes(viewer):
    incident = declare("Before")
    _shown(viewer, incident)
    services.edit_incident(incident=incident, actor=None, name="After")
    assert _shown(viewer, incident)["name"] == "After"
    # One entry per incident, holding its latest rendering: stale ones do not pile up.
    signature, body = cache.get(renderings.rendering_key("v2", incident.pk))
    (revision,) = selectors.revisions_visible_to(viewer.key).filter(pk=incident.pk)
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
    monkeypatch.setattr(renderings, "code_version", lambda: "the next release")
    assert _shown(viewer, incident)["summary"] == "new"
    assert viewer.get("/v2/incidents").json()["incidents"][0]["summary"] == "new"


def test_the_render_version_follows_the_code_and_the_settings(settings):
    first = renderings.render_version()
    settings.TIME_ZONE = "Europe/Paris"
    assert renderings.render_version() != first
    settings.TIME_ZONE = "UTC"
    assert renderings.render_version() == first
    assert len(renderings.code_version()) == 16 and renderings.code_version() == renderings.code_version()


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
