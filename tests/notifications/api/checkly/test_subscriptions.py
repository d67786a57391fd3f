"""Checkly's subscription operations, checked against Checkly's document with the real
validator: list, bulk create (autoVerify, more than Checkly's 100 items), delete."""

import pytest

from notifications.models import Source, Subscriber, Suppression
from statuspages.api.checkly.ids import guid
from tests.contract import assert_matches_contract
from tests.statuspages.api.checkly.conftest import DOCUMENT, anonymous, checkly, publisher, reader  # noqa: F401

from ...conftest import subscriber

pytestmark = pytest.mark.django_db

LIST = "getV1StatuspagesStatuspageidSubscriptions"
BULK = "postV1StatuspagesStatuspageidSubscriptionsBulk"
DELETE = "deleteV1StatuspagesStatuspageidSubscriptionsSubscriptionid"


def items(*emails):
    return [{"type": "EMAIL", "config": email} for email in emails]


def test_the_list_shows_each_subscription_with_its_state_oldest_first(reader, page):
    ann = subscriber(page, "ann@example.com")
    bob = subscriber(page, "bob@example.com", confirmed=False)
    subscriber(page, "gone@example.com", suppression=Suppression.UNSUBSCRIBED)
    body = checkly(reader.get(f"/v1/status-pages/{guid(page.pk)}/subscriptions"), LIST)
    assert [(s["id"], s["address"], s["status"], s["type"]) for s in body] == [
        (guid(ann.pk), "ann@example.com", "VERIFIED", "EMAIL"),
        (guid(bob.pk), "bob@example.com", "PENDING", "EMAIL"),
    ]
    assert body[0]["created_at"] == ann.created_at.date().isoformat()


@pytest.mark.parametrize("n", [1, 30])
def test_the_list_costs_the_same_queries_for_one_or_many(reader, page, n, django_assert_num_queries):
    for i in range(n):
        subscriber(page, f"u{i}@example.com")
    # key lookup, the page, its subscribers
    with django_assert_num_queries(3):
        assert len(reader.get(f"/v1/status-pages/{guid(page.pk)}/subscriptions").json()) == n


def test_the_list_of_an_unknown_page_is_checklys_404(reader, db):
    body = checkly(reader.get("/v1/status-pages/2b6e8f2a-47d5-4a4c-9a46-2f7c1e0c6d11/subscriptions"), LIST, 404)
    assert "status page" in body["message"]


def test_the_list_needs_a_key(anonymous, page):
    checkly(anonymous.get(f"/v1/status-pages/{guid(page.pk)}/subscriptions"), LIST, 401)


def test_a_bulk_create_with_auto_verify_confirms_at_once_and_mails_nobody(publisher, page, mailoutbox, django_capture_on_commit_callbacks):
    subscriber(page, "known@example.com")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = publisher.post(
            f"/v1/status-pages/{guid(page.pk)}/subscriptions/bulk",
            {"subscriptions": items("New@example.com", "known@example.com", "new@example.com"), "autoVerify": True},
        )
    body = checkly(response, BULK, 201)
    assert body == {"created": 1, "skipped": 2, "status": "VERIFIED"}
    new = Subscriber.objects.get(email="new@example.com")
    assert new.is_notifiable and new.source == Source.API and new.all_components
    assert callbacks == [] and mailoutbox == []


def test_a_bulk_create_without_auto_verify_sends_confirmations(publisher, page, mailoutbox, django_capture_on_commit_callbacks, eager):
    with django_capture_on_commit_callbacks(execute=True):
        response = publisher.post(f"/v1/status-pages/{guid(page.pk)}/subscriptions/bulk", {"subscriptions": items("a@example.com", "b@example.com")})
    assert checkly(response, BULK, 201) == {"created": 2, "skipped": 0, "status": "PENDING"}
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.com", "b@example.com"]
    assert not Subscriber.objects.filter(confirmed_at__isnull=False).exists()


def test_a_bulk_create_takes_more_than_checklys_100_items(publisher, page):
    response = publisher.post(
        f"/v1/status-pages/{guid(page.pk)}/subscriptions/bulk",
        {"subscriptions": items(*(f"u{n}@example.com" for n in range(2500))), "autoVerify": True},
    )
    # The request is our documented extension (Checkly's maxItems is 100); the answer is Checkly's.
    assert assert_matches_contract(response, BULK, document=DOCUMENT, request=False) == {"created": 2500, "skipped": 0, "status": "VERIFIED"}
    assert Subscriber.objects.count() == 2500


@pytest.mark.parametrize(
    "payload, words",
    [
        ({"subscriptions": []}, "subscriptions"),
        ({}, "subscriptions"),
        ({"subscriptions": [{"type": "SMS", "config": "+1555"}]}, "type must be EMAIL"),
        ({"subscriptions": items("a@example.com", "not an address")}, "item 1"),
        ({"subscriptions": [{"type": "EMAIL"}]}, "config"),
        # The column holds 254 characters: a longer address is the dialect's 422, not a 500.
        ({"subscriptions": items("a" * 300 + "@example.com")}, "item 0"),
        ({"subscriptions": items("a@" + "b" * 300 + ".com")}, "item 0"),
        ({"subscriptions": items("ok@example.com", "victim@[127.0.0.1]")}, "item 1"),
        ({"subscriptions": items('"vic tim"@example.com')}, "item 0"),
        ({"subscriptions": items("ann@example.com\r\nBcc: x@example.com")}, "item 0"),
    ],
)
def test_a_bad_bulk_create_is_refused_naming_what_is_wrong_and_creates_nothing(publisher, page, payload, words):
    body = checkly(publisher.post(f"/v1/status-pages/{guid(page.pk)}/subscriptions/bulk", payload), BULK, 422)
    assert body["message"].startswith("subscriptions:") and words in body["message"]
    assert not Subscriber.objects.exists()


def test_a_bulk_create_needs_the_publisher_role(reader, page):
    checkly(reader.post(f"/v1/status-pages/{guid(page.pk)}/subscriptions/bulk", {"subscriptions": items("a@example.com")}), BULK, 403)
    assert not Subscriber.objects.exists()


def test_deleting_a_subscription_answers_204_and_forgets_it(publisher, page):
    ann = subscriber(page)
    checkly(publisher.delete(f"/v1/status-pages/{guid(page.pk)}/subscriptions/{guid(ann.pk)}"), DELETE, 204)
    assert not Subscriber.objects.exists()


def test_a_subscription_of_another_page_is_404(publisher, page):
    from statuspages import services as pages

    other = pages.save_status_page(actor=None, name="Other", slug="other")
    ann = subscriber(other)
    checkly(publisher.delete(f"/v1/status-pages/{guid(page.pk)}/subscriptions/{guid(ann.pk)}"), DELETE, 404)
    assert Subscriber.objects.exists()


def test_a_bulk_body_over_djangos_cap_is_taken(publisher, page, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = publisher.post(
        f"/v1/status-pages/{guid(page.pk)}/subscriptions/bulk", {"subscriptions": items(*(f"u{n}@example.com" for n in range(100))), "autoVerify": True}
    )
    assert response.status_code == 201 and Subscriber.objects.count() == 100


def test_a_bulk_body_over_our_cap_is_413(publisher, page, monkeypatch):
    from notifications.api.checkly import views

    monkeypatch.setattr(views, "BULK_MAX_BYTES", 100)
    response = publisher.post(f"/v1/status-pages/{guid(page.pk)}/subscriptions/bulk", {"subscriptions": items(*(f"u{n}@example.com" for n in range(10)))})
    body = checkly(response, BULK, 413)
    assert "several calls" in body["message"] and not Subscriber.objects.exists()
