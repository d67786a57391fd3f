"""Cache-Control for CDNs on the public site (statuspages/views/serving.py): every response
an anonymous reader gets of a public page may be kept by shared caches, briefly, and
served stale while the site is down; nothing staff see, nothing of a private page, and
no form, admin screen or API response ever is."""

import pytest
from django.test import Client
from django.utils.cache import get_max_age

from statuspages import services

from .conftest import incident

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    found = {}
    for part in response["Cache-Control"].split(","):
        name, _, value = part.strip().partition("=")
        found[name] = value
    return found


def test_public_responses_say_how_long_caches_may_keep_and_serve_them_stale(client, page, settings):
    found = incident(page)
    settings.STATUSPAGES_CACHE_MAX_AGE, settings.STATUSPAGES_CACHE_S_MAXAGE = 5, 45
    settings.STATUSPAGES_CACHE_STALE_WHILE_REVALIDATE, settings.STATUSPAGES_CACHE_STALE_IF_ERROR = 20, 3600
    for path in ("/status/acme/", f"/status/acme/incidents/{found.pk}/", "/status/acme/api/v2/summary.json",
                 "/status/acme/feed.atom", "/status/acme/badge.svg", "/status/acme/history/"):
        response = client.get(path)
        assert directives(response) == {
            "public": "", "max-age": "5", "s-maxage": "45", "stale-while-revalidate": "20", "stale-if-error": "3600",
        }, path
        again = client.get(path, headers={"If-None-Match": response["ETag"]})
        assert again.status_code == 304 and again["Cache-Control"] == response["Cache-Control"], path


def test_the_defaults_let_a_cdn_ride_out_a_day_long_outage(client, page):
    response = client.get("/status/acme/")
    assert get_max_age(response) == 10
    assert directives(response)["s-maxage"] == "30" and directives(response)["stale-if-error"] == "86400"


def test_what_staff_see_and_private_pages_are_for_no_shared_cache(client, staff_reader, page):
    mine = directives(staff_reader.get("/status/acme/"))
    assert "private" in mine and "no-cache" in mine and "s-maxage" not in mine and "public" not in mine
    services.save_status_page(actor=None, page=page, is_public=False)
    hidden = directives(staff_reader.get("/status/acme/api/v2/summary.json"))
    assert "private" in hidden and "s-maxage" not in hidden and "stale-if-error" not in hidden


def test_forms_the_admin_and_the_api_are_never_cached_for_everyone(staff_client, page, api):
    subscribe = Client().get("/status/acme/subscribe/")  # an anonymous reader's form
    assert subscribe.status_code == 200 and b"csrfmiddlewaretoken" in subscribe.content
    for response in (subscribe, staff_client.get("/admin/"), api.get("/v2/incidents")):
        assert response.status_code == 200
        control = response.get("Cache-Control", "")
        assert "public" not in control and "s-maxage" not in control and "stale-if-error" not in control
