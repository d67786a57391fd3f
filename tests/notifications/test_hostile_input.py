"""Hostile input on every subscription endpoint: the public form, the links of
subscriber emails (confirm, unsubscribe, preferences) and Checkly's subscription calls.
Forged and replayed tokens, overlong fields, control characters, odd encodings: each is
answered 4xx (or the usual page), never 5xx, and changes nothing it should not. (Cachet's
API and incident.io's status page API have no subscriber endpoints.)"""

import pytest
from django.core import signing
from django.test import Client

from notifications import services
from notifications.links import confirm_url, preferences_url, unsubscribe_url
from notifications.models import Subscriber, Suppression
from statuspages.api.checkly.ids import guid
from tests.statuspages.api.checkly.conftest import assert_checkly_error, publisher, reader  # noqa: F401

from .conftest import subscriber
from .test_views import path

pytestmark = pytest.mark.django_db

FORM = "/status/acme/subscribe/"

HOSTILE_EMAILS = [
    "ann@example.com\x00",
    "ann\x00@example.com",
    "ann@example.com\r\nBcc: all@example.com",
    "ann\u202e@example.com",  # right-to-left override
    "ann@exa\u200bmple.com",  # zero-width space
    "ann@ex\u00e4mple..com",
    '"ann\\\x0b"@example.com',
    "a" * 10_000 + "@example.com",
    "ann@" + "a." * 200 + "com",
    "ann@[::1]",
    "ann@[IPv6:::1]",
    "ann@127.0.0.1",
    "@",
    "",
]


@pytest.fixture
def visitor():
    return Client()


@pytest.mark.parametrize("email", HOSTILE_EMAILS)
def test_the_form_answers_hostile_addresses_without_a_5xx(visitor, page, email):
    response = visitor.post(FORM, {"email": email, "scope": "all"})
    assert response.status_code in (200, 400), response.status_code
    for stored in Subscriber.objects.values_list("email", flat=True):
        assert stored.isascii() and stored.isprintable() and len(stored) <= 254


@pytest.mark.parametrize(
    "data",
    [
        {"email": "ann@example.com", "scope": "some", "components": ["x"]},
        {"email": "ann@example.com", "scope": "some", "components": [str(2**70)]},
        {"email": "ann@example.com", "scope": "some", "components": ["-1", "\x00"]},
        {"email": "ann@example.com", "scope": "\x00"},
        {"email": ["a@example.com", "b@example.com"], "scope": "all"},
        {"scope": "all"},
        {},
    ],
)
def test_the_form_answers_hostile_fields_without_a_5xx(visitor, page, data):
    assert visitor.post(FORM, data).status_code in (200, 400)


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"email=%FF%FE%00&scope=all", "application/x-www-form-urlencoded"),
        (b"email=\xff\xfe&scope=all", "application/x-www-form-urlencoded"),
        (b"email=%ED%A0%80%40example.com&scope=all", "application/x-www-form-urlencoded"),  # a surrogate
        (b"email=ann%40example.com&scope=all", "application/x-www-form-urlencoded; charset=utf-7"),
        (b"\x00\x01\x02", "multipart/form-data; boundary=x"),
        (b'{"email": "ann@example.com"}', "application/json"),
    ],
)
def test_the_form_answers_odd_encodings_without_a_5xx(visitor, page, body, content_type):
    assert visitor.generic("POST", FORM, body, content_type=content_type).status_code in (200, 400)


@pytest.mark.parametrize("email", ["=1+1@example.com\t", "%00@example.com", "+x@example.com", "-@example.com"])
def test_odd_but_valid_addresses_are_taken_as_text(visitor, page, email):
    """Valid addresses (every character is atext) that a spreadsheet would take for a
    formula: taken, stored trimmed, and neutralised by the CSV export (test_subscribers)."""
    assert visitor.post(FORM, {"email": email, "scope": "all"}).status_code == 200
    assert Subscriber.objects.get().email == email.strip()


def test_the_form_of_an_overlong_or_odd_slug_is_404(visitor, db):
    # (An overlong slug reaches the page cache's key: the status pages' caching, not tested here.)
    for slug in ["%00", "..%2F..%2Fetc", "\u00e9"]:
        assert visitor.get(f"/status/{slug}/subscribe/").status_code == 404


def tokens(ann) -> dict[str, str]:
    return {"confirm": path(confirm_url(ann)), "unsubscribe": path(unsubscribe_url(ann)), "preferences": path(preferences_url(ann))}


@pytest.mark.parametrize("kind", ["confirm", "unsubscribe", "preferences"])
@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # one character changed
        lambda token: token + "x" * 10_000,  # overlong
        lambda token: "x" * 5000,
        lambda token: "%00%FF",
        lambda token: "\u00e9\u202e",
        lambda token: signing.dumps("01ARZ3NDEKTSV4RRFFQ69G5FAV", salt="notifications.subscriber.manage"),  # nobody's id
        lambda token: signing.dumps(["01ARZ3NDEKTSV4RRFFQ69G5FAV", 0], salt="notifications.subscriber.confirm"),
        lambda token: signing.dumps({"$": 1} , salt="notifications.subscriber.confirm"),
    ],
)
def test_a_forged_link_is_the_invalid_link_page_and_changes_nothing(visitor, page, kind, forge):
    ann = subscriber(page, confirmed=False)
    link = tokens(ann)[kind]
    base, token = link.rstrip("/").rsplit("/", 1)
    forged = f"{base}/{forge(token)}/"
    assert visitor.get(forged).status_code == 404
    assert visitor.post(forged, {"List-Unsubscribe": "One-Click"}).status_code in (403, 404)
    ann.refresh_from_db()
    assert not ann.is_confirmed and not ann.suppression


def test_a_token_of_one_purpose_or_page_does_not_open_another(visitor, page):
    ann = subscriber(page, confirmed=False)
    links = tokens(ann)
    confirm_token = links["confirm"].rstrip("/").rsplit("/", 1)[1]
    manage_token = links["unsubscribe"].rstrip("/").rsplit("/", 1)[1]
    assert visitor.post(links["unsubscribe"].replace(manage_token, confirm_token), {"List-Unsubscribe": "One-Click"}).status_code == 404
    assert visitor.get(links["confirm"].replace(confirm_token, manage_token)).status_code == 404
    assert visitor.get(links["confirm"].replace("/acme/", "/other/")).status_code == 404
    ann.refresh_from_db()
    assert not ann.suppression and not ann.is_confirmed


def test_replaying_links_changes_nothing_more(visitor, page):
    ann = subscriber(page, confirmed=False)
    links = tokens(ann)
    assert [visitor.post(links["confirm"]).status_code for _ in range(3)] == [200, 200, 200]
    ann.refresh_from_db()
    confirmed_at = ann.confirmed_at
    assert [visitor.post(links["unsubscribe"], {"List-Unsubscribe": "One-Click"}).status_code for _ in range(3)] == [200] * 3
    # The confirmation link is spent: replayed after leaving, it is refused (item 6).
    assert visitor.post(links["confirm"]).status_code == 404
    ann.refresh_from_db()
    assert ann.suppression == Suppression.UNSUBSCRIBED and ann.confirmed_at == confirmed_at
    services.request_subscription(status_page=page, email=ann.email)  # asking again: a new link
    ann.refresh_from_db()
    assert visitor.post(links["confirm"]).status_code == 404 and visitor.post(tokens(ann)["confirm"]).status_code == 200


def test_hostile_preferences_are_refused_without_a_5xx(visitor, page):
    ann = subscriber(page)
    link = tokens(ann)["preferences"]
    for data in [{"scope": "some", "components": ["x", str(2**70)]}, {"scope": "\x00"}, {"scope": "some"}, {}]:
        assert visitor.post(link, data).status_code in (200, 400)
    ann.refresh_from_db()
    assert ann.all_components


# Checkly ----------------------------------------------------------------------------------


def bulk_url(page) -> str:
    return f"/v1/status-pages/{guid(page.pk)}/subscriptions/bulk"


@pytest.mark.parametrize(
    "body",
    [
        {"subscriptions": "ann@example.com"},
        {"subscriptions": [None]},
        {"subscriptions": [[]]},
        {"subscriptions": [{"type": "EMAIL", "config": None}]},
        {"subscriptions": [{"type": "EMAIL", "config": 7}]},
        {"subscriptions": [{"type": "EMAIL", "config": ["ann@example.com"]}]},
        {"subscriptions": [{"type": "EMAIL", "config": {"address": "ann@example.com"}}]},
        {"subscriptions": [{"type": ["EMAIL"], "config": "ann@example.com"}]},
        {"subscriptions": [{"type": "EMAIL", "config": email} for email in HOSTILE_EMAILS]},
        *({"subscriptions": [{"type": "EMAIL", "config": email}]} for email in HOSTILE_EMAILS),
        {"subscriptions": [{"type": "EMAIL", "config": "ann@example.com"}], "autoVerify": "perhaps"},
        {"subscriptions": [{"type": "EMAIL", "config": "ann@example.com"}], "autoVerify": None},
        [],
        "ann@example.com",
        None,
    ],
)
def test_checklys_bulk_call_refuses_hostile_items_with_its_4xx(publisher, page, body):  # noqa: F811
    response = publisher.post(bulk_url(page), body)
    assert response.status_code in (400, 422), response.content
    assert_checkly_error(response, response.status_code)
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize(
    "raw, content_type",
    [
        (b'{"subscriptions": [{"type": "EMAIL", "config": "\xff\xfe"}]}', "application/json"),
        (b'{"subscriptions": [', "application/json"),
        (b'{"subscriptions": [{"type": "EMAIL", "config": "\\ud800@example.com"}]}', "application/json"),
        (b"\x00" * 100, "application/json"),
        (b"subscriptions=ann@example.com", "application/x-www-form-urlencoded"),
        (b"<xml/>", "application/xml"),
    ],
)
def test_checklys_bulk_call_refuses_odd_encodings_with_its_4xx(publisher, page, raw, content_type):  # noqa: F811
    response = publisher.generic("POST", bulk_url(page), raw, content_type=content_type, headers=publisher._headers(None))
    assert 400 <= response.status_code < 500, response.content
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("page_id", ["x" * 5000, "%00", "00000000-0000-0000-0000-000000000000", "\u00e9"])
def test_checklys_subscription_calls_with_odd_ids_are_404(publisher, reader, page, page_id):  # noqa: F811
    assert reader.get(f"/v1/status-pages/{page_id}/subscriptions").status_code == 404
    assert publisher.post(f"/v1/status-pages/{page_id}/subscriptions/bulk", {"subscriptions": []}).status_code in (404, 422)
    assert publisher.delete(f"/v1/status-pages/{guid(page.pk)}/subscriptions/{page_id}").status_code == 404
