"""Subscribing (double opt-in, no duplicates, no enumeration, limits), confirming,
leaving, changing components and importing."""

import math

import pytest
from django.db import connection

from audit.models import AuditEntry
from core.exceptions import DomainError
from notifications import services
from notifications.links import confirm_url, preferences_url
from notifications.models import Confirmation, Delivery, DeliveryState, Source, Subscriber, Suppression
from notifications.services import confirmations
from statuspages import services as pages

from ..conftest import subscriber

pytestmark = pytest.mark.django_db


def ask(page, email="Ann@Example.com ", components=None, client_address="192.0.2.1"):
    return services.request_subscription(
        status_page=page, email=email, components=components, source=Source.FORM, client_address=client_address
    )


def test_asking_creates_an_unconfirmed_lower_cased_subscriber_and_mails_a_confirmation_link(
    page, eager, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ann = ask(page)
    assert ann.email == "ann@example.com" and not ann.is_confirmed and ann.all_components
    assert ann.source == Source.FORM and ann.confirmation_sent_at is not None
    [mail] = mailoutbox
    assert mail.to == ["ann@example.com"] and "Confirm your subscription to Acme status" == mail.subject
    assert confirm_url(ann).split("/confirm/")[0] in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html" and "Confirm my subscription" in html


def test_nothing_is_mailed_before_the_transaction_commits(page, eager, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ask(page)
    assert mailoutbox == [] and len(callbacks) == 1


def test_asking_again_reuses_the_row_and_takes_the_new_choice_of_components(page, mailoutbox, eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = ask(page)
    with django_capture_on_commit_callbacks(execute=True):
        again = ask(page, "ann@example.com", components=[page.test_components["API"]])
    assert first.pk == again.pk and Subscriber.objects.count() == 1
    assert not again.all_components and list(again.components.all()) == [page.test_components["API"]]
    assert len(mailoutbox) == 2


def test_a_subscribed_address_gets_the_same_answer_a_reminder_and_keeps_its_components(
    page, mailoutbox, eager, django_capture_on_commit_callbacks
):
    ann = subscriber(page, all_components=True)
    with django_capture_on_commit_callbacks(execute=True):
        answer = ask(page, components=[page.test_components["API"]])
    assert answer.pk == ann.pk
    ann.refresh_from_db()
    assert ann.all_components and ann.is_confirmed
    [mail] = mailoutbox
    assert mail.subject == "You already follow Acme status" and preferences_url(ann).split("/subscription/")[0] in mail.body


def test_an_unsubscribed_address_asking_again_must_confirm_again(page, django_capture_on_commit_callbacks):
    ann = subscriber(page, suppression=Suppression.UNSUBSCRIBED)
    ask(page)
    ann.refresh_from_db()
    assert not ann.is_confirmed and not ann.is_notifiable
    ann = services.confirm(subscriber=ann)
    assert ann.is_notifiable and ann.suppression == ""


def test_the_address_limit_silently_stops_sending(page, mailoutbox, eager, django_capture_on_commit_callbacks, settings):
    assert settings.SUBSCRIBE_EMAILS_PER_HOUR == 3
    answers = []
    for n in range(3 + 2):
        with django_capture_on_commit_callbacks(execute=True):
            answers.append(ask(page, client_address=f"192.0.2.{n}"))
    assert all(answers[:3]) and answers[-1] is None
    assert len(mailoutbox) == 3 and Subscriber.objects.count() == 1


def test_the_address_limit_is_per_page(page, settings):
    other = pages.save_status_page(actor=None, name="Other", slug="other")
    for _ in range(settings.SUBSCRIBE_EMAILS_PER_HOUR):
        ask(page, client_address=None)
    assert ask(other, client_address=None) is not None


def test_the_ip_limit_refuses_with_a_retry_after(page, settings):
    assert settings.SUBSCRIBE_REQUESTS_PER_HOUR == 20
    for n in range(20):
        ask(page, f"user{n}@example.com")
    with pytest.raises(services.SubscribeRateLimited) as refused:
        ask(page, "one-more@example.com")
    assert refused.value.retry_after > 0
    assert not Subscriber.objects.filter(email="one-more@example.com").exists()
    assert ask(page, "one-more@example.com", client_address="198.51.100.7") is not None


def test_an_invalid_address_is_refused_naming_the_field(page):
    with pytest.raises(DomainError) as refused:
        ask(page, "not an address")
    assert refused.value.field == "email" and not Subscriber.objects.exists()


def test_components_must_be_on_the_page_and_at_least_one(page):
    elsewhere = pages.create_component(actor=None, name="Elsewhere")
    with pytest.raises(DomainError):
        ask(page, components=[elsewhere])
    with pytest.raises(DomainError):
        ask(page, components=[])
    assert not Subscriber.objects.exists()


def test_confirming_twice_keeps_the_first_confirmation(page):
    ann = subscriber(page, confirmed=False)
    first = services.confirm(subscriber=ann).confirmed_at
    assert services.confirm(subscriber=ann).confirmed_at == first


def test_unsubscribing_suppresses_and_skips_queued_deliveries(page):
    ann, bob = subscriber(page), subscriber(page, "bob@example.com")
    incident = pages.publish_incident(actor=None, status_page=page, name="Down", message="Looking")
    update = incident.updates.get()
    Delivery.objects.create(subscriber=ann, incident_update=update)
    Delivery.objects.create(subscriber=bob, incident_update=update)
    ann = services.unsubscribe(subscriber=ann)
    assert ann.suppression == Suppression.UNSUBSCRIBED and not ann.is_notifiable and ann.suppressed_at
    assert dict(Delivery.objects.values_list("subscriber__email", "state")) == {
        "ann@example.com": DeliveryState.SKIPPED,
        "bob@example.com": DeliveryState.QUEUED,
    }


def test_unsubscribing_keeps_a_bounce_as_the_reason(page):
    ann = services.unsubscribe(subscriber=subscriber(page, suppression=Suppression.BOUNCED))
    assert ann.suppression == Suppression.BOUNCED


def test_changing_components(page):
    ann = subscriber(page)
    services.change_components(subscriber=ann, all_components=False, components=[page.test_components["Cards"]])
    ann.refresh_from_db()
    assert not ann.all_components and [c.name for c in ann.components.all()] == ["Cards"]
    services.change_components(subscriber=ann, all_components=True, components=[])
    ann.refresh_from_db()
    assert ann.all_components and not ann.components.exists()


def test_choosing_some_components_but_none_is_refused(page):
    with pytest.raises(DomainError):
        services.change_components(subscriber=subscriber(page), all_components=False, components=[])


def test_an_import_creates_new_addresses_once_and_skips_the_known(page):
    subscriber(page, "known@example.com", suppression=Suppression.UNSUBSCRIBED)
    result = services.import_subscribers(
        status_page=page,
        emails=["A@example.com", "a@example.com", "known@example.com", "b@example.com"],
        confirmed=True,
        source=Source.IMPORT,
    )
    assert (result.created, result.skipped) == (2, 2)
    assert set(Subscriber.objects.filter(source=Source.IMPORT).values_list("email", flat=True)) == {"a@example.com", "b@example.com"}
    assert all(s.is_notifiable for s in Subscriber.objects.filter(source=Source.IMPORT))
    # An import never re-subscribes an address that left.
    assert Subscriber.objects.get(email="known@example.com").suppression == Suppression.UNSUBSCRIBED


def test_an_import_with_an_invalid_address_names_it_and_creates_nothing(page):
    with pytest.raises(DomainError) as refused:
        services.import_subscribers(status_page=page, emails=["a@example.com", "nope"], confirmed=True, source=Source.API)
    assert "item 1" in refused.value.message and not Subscriber.objects.exists()


def test_an_unconfirmed_import_mails_every_new_address_in_batched_tasks(
    page, eager, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(confirmations, "CONFIRMATIONS_PER_TASK", 2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.import_subscribers(status_page=page, emails=[f"u{n}@example.com" for n in range(5)], confirmed=False, source=Source.API)
    assert len(callbacks) == 3  # 2 + 2 + 1 addresses
    assert sorted(m.to[0] for m in mailoutbox) == [f"u{n}@example.com" for n in range(5)]
    assert not Subscriber.objects.filter(confirmed_at__isnull=False).exists()


def audit_inserts(rows: int) -> int:
    """The inserts of ``rows`` audit entries: one on PostgreSQL; on SQLite, one per batch
    its 999 parameters allow (Django's ``bulk_batch_size``: 45 entries of 22 columns)."""
    fields = [field for field in AuditEntry._meta.concrete_fields if not field.primary_key]
    return math.ceil(rows / connection.ops.bulk_batch_size(fields, [None] * rows))


@pytest.mark.parametrize("n", [1, 50])
def test_an_import_costs_the_same_queries_for_one_address_or_many(page, n, django_assert_num_queries):
    # savepoint, the page's known addresses, the INSERT, release; the audit log: which of
    # the rows were made (conflicts are ignored), their entries
    with django_assert_num_queries(4 + 1 + audit_inserts(n)):
        services.import_subscribers(status_page=page, emails=[f"u{i}@example.com" for i in range(n)], confirmed=True, source=Source.API)


@pytest.mark.parametrize("n", [1, 50])
def test_an_unconfirmed_import_costs_the_same_queries_for_one_address_or_many(page, n, django_assert_num_queries):
    waiting = [subscriber(page, f"w{i}@example.com", confirmed=False).pk for i in range(n)]
    Subscriber.objects.filter(pk__in=waiting).update(confirmation_sent_at=None)
    emails = [f"u{i}@example.com" for i in range(n)] + [f"w{i}@example.com" for i in range(n)]
    # savepoint, the page's known addresses, the INSERT, the new rows read back, their
    # outbox rows; the waiting addresses' confirmation_sent_at, their outbox rows; release;
    # the audit log: which of the rows were made, their entries (confirmation_sent_at is
    # bookkeeping, not audited)
    with django_assert_num_queries(8 + 1 + audit_inserts(n)):
        services.import_subscribers(status_page=page, emails=emails, confirmed=False, source=Source.API)
    assert Confirmation.objects.count() == 2 * n


def test_quoted_and_escaped_spellings_of_one_inbox_share_its_limit(page, mailoutbox, eager, django_capture_on_commit_callbacks, settings):
    """The flood of issue 17: eight spellings of one mailbox, each once. Past the limit of
    the one normalised address, nothing more is sent (and the answer is the same)."""
    assert settings.SUBSCRIBE_EMAILS_PER_HOUR == 3
    spellings = ["victim@example.com", '"victim"@example.com', '"v\\ictim"@example.com', "VICTIM@example.com",
                 '"vi\\ctim"@EXAMPLE.com', " victim@example.com", '"\\victim"@example.com', "Victim@Example.Com"]
    for n, spelling in enumerate(spellings):
        with django_capture_on_commit_callbacks(execute=True):
            ask(page, spelling, client_address=f"192.0.2.{n}")
    assert len(mailoutbox) == 3 and list(Subscriber.objects.values_list("email", flat=True)) == ["victim@example.com"]


@pytest.mark.parametrize("email", ['"vic\\\ttim"@example.com', '"vic tim"@example.com', "victim@[127.0.0.1]", "victim@localhost"])
def test_undeliverable_spellings_are_refused_naming_the_field(page, email):
    with pytest.raises(DomainError) as refused:
        ask(page, email)
    assert refused.value.field == "email" and not Subscriber.objects.exists()


def test_the_client_limit_counts_an_ipv6_client_by_its_64(page, settings):
    settings.SUBSCRIBE_REQUESTS_PER_HOUR = 20
    for n in range(20):
        ask(page, f"u{n}@example.com", client_address=f"2001:db8:1:2::{n + 1:x}")
    with pytest.raises(services.SubscribeRateLimited):
        ask(page, "one-more@example.com", client_address="2001:db8:1:2:abcd::1")
    assert ask(page, "elsewhere@example.com", client_address="2001:db8:1:3::1") is not None


def test_asking_again_while_the_confirmation_is_still_on_its_way_sends_one(page, mailoutbox, eager, django_capture_on_commit_callbacks):
    """The broker lost the first task, or has not delivered it yet: the outbox row waits,
    and asking again adds nothing to it. One email, not one per ask."""
    with django_capture_on_commit_callbacks(execute=False):
        ask(page)
    with django_capture_on_commit_callbacks(execute=True):
        ask(page, client_address="192.0.2.2")
    assert len(mailoutbox) == 1 and Confirmation.objects.get().state == DeliveryState.SENT
