"""The public subscriber pages: the form keeps CSRF, answers alike for every address and
is never cached; links from emails need no login; a GET never unsubscribes; RFC 8058's
one-click POST works without CSRF."""

import re

import pytest
from django.test import Client

from notifications.links import confirm_url, preferences_url, unsubscribe_url
from notifications.models import Subscriber, Suppression

from .conftest import subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    """A client that enforces CSRF, as a browser's requests are checked."""
    return Client(enforce_csrf_checks=True)


def path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def csrf_post(client, url, data):
    page = client.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    return client.post(url, {**data, "csrfmiddlewaretoken": token})


def test_the_cached_status_page_links_to_the_form_and_holds_no_csrf_token(client, page):
    body = client.get("/status/acme/").content.decode()
    assert 'href="/status/acme/subscribe/"' in body and "csrfmiddlewaretoken" not in body


def test_the_form_is_uncached_and_carries_a_csrf_token(browser, page):
    response = browser.get("/status/acme/subscribe/")
    assert response.status_code == 200 and "csrfmiddlewaretoken" in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert "API" in response.content.decode() and "Cards" in response.content.decode()


def test_posting_the_form_without_its_csrf_token_is_refused(browser, page):
    response = browser.post("/status/acme/subscribe/", {"email": "ann@example.com", "scope": "all"})
    assert response.status_code == 403 and not Subscriber.objects.exists()


def test_subscribing_from_the_form_answers_the_same_for_a_new_and_a_subscribed_address(browser, page):
    subscriber(page, "known@example.com")
    new = csrf_post(browser, "/status/acme/subscribe/", {"email": "new@example.com", "scope": "all"})
    known = csrf_post(browser, "/status/acme/subscribe/", {"email": "known@example.com", "scope": "all"})
    assert new.status_code == known.status_code == 200
    assert new.content.decode().replace("new@example.com", "X") == known.content.decode().replace("known@example.com", "X")
    assert Subscriber.objects.get(email="new@example.com").confirmed_at is None


def test_the_form_takes_a_choice_of_components(browser, page):
    api = page.test_components["API"]
    csrf_post(browser, "/status/acme/subscribe/", {"email": "ann@example.com", "scope": "some", "components": [api.pk]})
    ann = Subscriber.objects.get()
    assert not ann.all_components and list(ann.components.all()) == [api]


def test_choosing_some_components_but_none_is_a_form_error(browser, page):
    response = csrf_post(browser, "/status/acme/subscribe/", {"email": "ann@example.com", "scope": "some"})
    assert response.status_code == 400 and "Choose at least one component" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_the_ip_limit_answers_429_with_retry_after(browser, page, settings):
    settings.SUBSCRIBE_REQUESTS_PER_HOUR = 1
    csrf_post(browser, "/status/acme/subscribe/", {"email": "a@example.com", "scope": "all"})
    response = csrf_post(browser, "/status/acme/subscribe/", {"email": "b@example.com", "scope": "all"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["a@example.com"]


def test_the_ip_limit_counts_the_client_our_proxy_saw_not_what_it_wrote(page, settings):
    # Behind one proxy of ours: one client, whatever it writes to the left of the entry
    # our proxy appended, and another client behind the same proxy has an allowance of its own.
    settings.SUBSCRIBE_REQUESTS_PER_HOUR = 1
    settings.TRUSTED_PROXY_COUNT = 1

    def post(forwarded, email):
        browser = Client(enforce_csrf_checks=True, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        return csrf_post(browser, "/status/acme/subscribe/", {"email": email, "scope": "all"})

    assert post("203.0.113.5", "a@example.com").status_code == 200
    assert post("6.6.6.6, 203.0.113.5", "b@example.com").status_code == 429
    assert post("203.0.113.6", "c@example.com").status_code == 200


def test_the_form_of_an_unknown_page_is_404(client, db):
    assert client.get("/status/nope/subscribe/").status_code == 404


def test_a_get_of_the_confirmation_link_confirms_nothing_and_its_button_does(browser, page):
    ann = subscriber(page, confirmed=False)
    url = path(confirm_url(ann))
    page_ = browser.get(url)
    assert page_.status_code == 200 and page_["Referrer-Policy"] == "same-origin"
    ann.refresh_from_db()
    assert not ann.is_confirmed
    response = csrf_post(browser, url, {})
    ann.refresh_from_db()
    assert response.status_code == 200 and ann.is_confirmed and "You are subscribed" in response.content.decode()


def test_a_forged_or_foreign_link_answers_a_404_page(client, page):
    ann = subscriber(page)
    assert client.get(path(unsubscribe_url(ann)) .replace("/subscription/", "/subscription/x")).status_code == 404
    from statuspages import services as pages

    pages.save_status_page(actor=None, name="Other", slug="other")
    assert client.get(path(unsubscribe_url(ann)).replace("/acme/", "/other/")).status_code == 404


def test_a_get_of_the_unsubscribe_link_does_not_unsubscribe(client, page):
    ann = subscriber(page)
    response = client.get(path(unsubscribe_url(ann)))
    ann.refresh_from_db()
    assert response.status_code == 200 and ann.is_notifiable


def test_the_unsubscribe_button_needs_its_csrf_token(browser, page):
    ann = subscriber(page)
    url = path(unsubscribe_url(ann))
    assert browser.post(url, {}).status_code == 403
    ann.refresh_from_db()
    assert ann.is_notifiable
    assert csrf_post(browser, url, {}).status_code == 200
    ann.refresh_from_db()
    assert ann.suppression == Suppression.UNSUBSCRIBED


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "multipart/form-data"])
def test_the_one_click_post_unsubscribes_without_csrf(browser, page, content_type):
    ann = subscriber(page)
    url = path(unsubscribe_url(ann))
    if content_type == "multipart/form-data":
        response = browser.post(url, {"List-Unsubscribe": "One-Click"})
    else:
        response = browser.post(url, "List-Unsubscribe=One-Click", content_type=content_type)
    ann.refresh_from_db()
    assert response.status_code == 200 and ann.suppression == Suppression.UNSUBSCRIBED


def test_the_one_click_post_with_a_forged_link_changes_nothing(browser, page):
    ann = subscriber(page)
    url = path(unsubscribe_url(ann)).replace("/subscription/", "/subscription/x")
    assert browser.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded").status_code == 404
    ann.refresh_from_db()
    assert ann.is_notifiable


def test_preferences_change_components_and_offer_to_leave(browser, page):
    ann = subscriber(page)
    url = path(preferences_url(ann))
    cards = page.test_components["Cards"]
    response = csrf_post(browser, url, {"scope": "some", "components": [cards.pk]})
    ann.refresh_from_db()
    assert response.status_code == 200 and not ann.all_components and list(ann.components.all()) == [cards]
    assert f'action="{path(unsubscribe_url(ann))}"'.split("/unsubscribe/")[0].split("/subscription/")[0] in response.content.decode()
    assert "Unsubscribe" in response.content.decode()


def test_the_form_lists_the_components_in_the_pages_order(client, page):
    def order(body):
        return sorted(["API", "Dashboard", "Cards"], key=lambda name: body.index(f">{name}<"))

    front = client.get("/status/acme/").content.decode().replace('class="component-name">', ">")
    form = client.get("/status/acme/subscribe/").content.decode().replace("<span>", ">")
    assert order(form) == order(front)


def test_the_form_takes_a_quoted_spelling_as_the_one_address(browser, page):
    assert csrf_post(browser, "/status/acme/subscribe/", {"email": '"Ann"@Example.com', "scope": "all"}).status_code == 200
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["ann@example.com"]


@pytest.mark.parametrize("email", ["ann@[127.0.0.1]", '"a nn"@example.com', "ann@localhost", "a" * 65 + "@example.com"])
def test_the_form_refuses_an_address_no_mail_system_would_deliver(browser, page, email):
    response = csrf_post(browser, "/status/acme/subscribe/", {"email": email, "scope": "all"})
    assert response.status_code == 400 and "not an email address" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_the_form_refuses_an_overlong_address_as_checklys_bulk_call_does(browser, page):
    response = csrf_post(browser, "/status/acme/subscribe/", {"email": "a" * 300 + "@example.com", "scope": "all"})
    assert response.status_code == 400 and not Subscriber.objects.exists()


def test_an_old_confirmation_link_does_not_resubscribe_after_unsubscribing(browser, page):
    """Issue 17, item 6: confirm, leave with one click, then post the old confirmation
    link: the link is dead (a 404 page) and the address stays suppressed."""
    ann = subscriber(page, confirmed=False)
    link = path(confirm_url(ann))
    assert csrf_post(browser, link, {}).status_code == 200
    response = browser.post(path(unsubscribe_url(ann)), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert browser.get(link).status_code == 404
    assert Client().post(link).status_code == 404  # the replayed POST, CSRF aside
    ann.refresh_from_db()
    assert ann.suppression == Suppression.UNSUBSCRIBED and not ann.is_notifiable


def test_asking_again_after_leaving_sends_a_link_that_works_and_the_old_one_stays_dead(browser, page):
    from notifications import services

    ann = subscriber(page, confirmed=False)
    old = path(confirm_url(ann))
    csrf_post(browser, old, {})
    services.unsubscribe(subscriber=ann)
    ann.refresh_from_db()
    new = path(confirm_url(ann))
    assert new != old
    assert browser.get(old).status_code == 404 and browser.get(new).status_code == 200
    assert csrf_post(browser, new, {}).status_code == 200
    ann.refresh_from_db()
    assert ann.is_notifiable


def test_behind_a_cdn_and_our_proxy_each_visitor_has_an_allowance_of_their_own(page, settings):
    """Issue 17, item 5: two proxies of ours (a CDN edge, then our load balancer). Every
    visitor reaches us from the same edge; the limit counts the entry the edge wrote."""
    settings.SUBSCRIBE_REQUESTS_PER_HOUR = 1
    settings.TRUSTED_PROXY_COUNT = 2

    def post(visitor, email):
        forwarded = f"{visitor}, 198.51.100.1"  # what the visitor's browser reached, then the edge
        browser = Client(enforce_csrf_checks=True, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        return csrf_post(browser, "/status/acme/subscribe/", {"email": email, "scope": "all"})

    assert post("203.0.113.5", "a@example.com").status_code == 200
    assert post("203.0.113.6", "b@example.com").status_code == 200
    assert post("203.0.113.5", "c@example.com").status_code == 429


def test_a_request_with_a_valid_api_key_is_never_refused_by_the_client_limit(page, settings):
    """A service subscribing its users from one address (behind a proxy, every client
    shares one) holds a key: the per-client limit does not apply to it. A key is no
    ambient credential a browser sends by itself, so it needs no CSRF token either."""
    from tests.clients import make_client

    settings.SUBSCRIBE_REQUESTS_PER_HOUR = 1
    keyed = Client(HTTP_AUTHORIZATION=f"Bearer {make_client('viewer').key.token}", enforce_csrf_checks=True)
    for n in range(3):
        assert keyed.post("/status/acme/subscribe/", {"email": f"u{n}@example.com", "scope": "all"}).status_code == 200
    assert Subscriber.objects.count() == 3


def test_an_invalid_api_key_earns_nothing(page, settings):
    settings.SUBSCRIBE_REQUESTS_PER_HOUR = 1
    forged = Client(HTTP_AUTHORIZATION="Bearer not-a-key", enforce_csrf_checks=True)
    assert forged.post("/status/acme/subscribe/", {"email": "a@example.com", "scope": "all"}).status_code == 403  # CSRF
    assert csrf_post(forged, "/status/acme/subscribe/", {"email": "a@example.com", "scope": "all"}).status_code == 200
    assert csrf_post(forged, "/status/acme/subscribe/", {"email": "b@example.com", "scope": "all"}).status_code == 429
