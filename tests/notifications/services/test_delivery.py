"""Exactly once: a delivery row per (update, subscriber), claimed by one conditional
UPDATE, marked sent as soon as the server accepts; temporary failures wait and come
back, permanent ones are recorded; the sweep re-enqueues what the broker lost."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from notifications import services
from notifications.models import Delivery, DeliveryState, Subscriber, Suppression
from statuspages import services as pages
from statuspages.models import PageIncidentUpdate, Visibility
from tests.factories import status_page

from ..conftest import subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def page():
    return status_page(components=["API", "Dashboard"])


def publish(page, **fields):
    incident = pages.publish_incident(
        actor=None, status_page=page, name="Errors", message="Looking",
        component_statuses={page.test_components["API"]: "partial_outage"}, notify_subscribers=True, **fields,
    )
    return incident.updates.get()


def many(page, n):
    return [subscribe(page, f"user{i:03}@example.com") for i in range(n)]


def batch(update, first="0", last="z"):
    return services.send_batch(kind="incident", update_id=update.pk, first_subscriber_id=first, last_subscriber_id=last)


def recipients():
    return sorted(to for m in mail.outbox for to in m.to)


def test_fan_out_emails_every_subscriber_once_in_batches_and_marks_the_update(page, eager, settings):
    settings.NOTIFICATIONS_BATCH_SIZE = 4
    subscribers = many(page, 10)
    update = publish(page)
    with mock.patch("notifications.services.delivery._enqueue_batch", wraps=services.delivery._enqueue_batch) as enqueued:
        assert services.fan_out(kind="incident", update_id=update.pk) == 3
    assert enqueued.call_count == 3
    assert recipients() == sorted(s.email for s in subscribers)
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
    update.refresh_from_db()
    assert update.notified_at is not None


def test_fan_out_run_twice_creates_no_second_row_and_sends_nothing_more(page, eager):
    many(page, 5)
    update = publish(page)
    services.fan_out(kind="incident", update_id=update.pk)
    PageIncidentUpdate.objects.filter(pk=update.pk).update(notified_at=None)  # as if it died before its mark
    services.fan_out(kind="incident", update_id=update.pk)
    assert len(mail.outbox) == 5 and Delivery.objects.count() == 5


def test_a_batch_run_twice_sends_once(page):
    many(page, 3)
    update = publish(page)
    services.fan_out(kind="incident", update_id=update.pk)  # not eager: rows recorded, batches queued elsewhere
    assert batch(update).sent == 3
    again = batch(update)
    assert again.claimed == 0 and len(mail.outbox) == 3


def test_rows_another_worker_holds_are_left_alone_until_its_claim_runs_out(page):
    many(page, 2)
    update = publish(page)
    services.fan_out(kind="incident", update_id=update.pk)
    held_until = timezone.now() + timedelta(minutes=5)
    Delivery.objects.update(state=DeliveryState.SENDING, claimed_until=held_until, claim_token="other")
    assert batch(update).claimed == 0 and mail.outbox == []
    Delivery.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))  # that worker died
    assert batch(update).sent == 2
    assert Delivery.objects.filter(state=DeliveryState.SENT, attempts=1).count() == 2


def test_an_address_unsubscribed_during_a_fan_out_is_skipped(page):
    first, second = many(page, 2)
    update = publish(page)
    services.fan_out(kind="incident", update_id=update.pk)
    Subscriber.objects.filter(pk=first.pk).update(suppression=Suppression.UNSUBSCRIBED, suppressed_at=timezone.now())
    outcome = batch(update)
    assert (outcome.sent, outcome.skipped) == (1, 1) and recipients() == [second.email]
    assert Delivery.objects.get(subscriber=first).state == DeliveryState.SKIPPED


def test_an_incident_made_private_before_its_batch_sends_nothing(page):
    many(page, 2)
    update = publish(page)
    services.fan_out(kind="incident", update_id=update.pk)
    update.page_incident.visibility = Visibility.STAFF
    update.page_incident.save()
    assert batch(update).skipped == 2 and mail.outbox == []


def test_a_private_incident_is_never_fanned_out(page, eager):
    many(page, 2)
    update = publish(page, visibility=Visibility.STAFF)
    assert services.fan_out(kind="incident", update_id=update.pk) == 0
    assert not Delivery.objects.exists() and mail.outbox == []


def test_each_row_is_marked_sent_with_its_message_id(page):
    (subscriber,) = many(page, 1)
    update = publish(page)
    services.fan_out(kind="incident", update_id=update.pk)
    batch(update)
    row = Delivery.objects.get()
    assert row.state == DeliveryState.SENT and row.sent_at and row.claimed_until is None
    assert row.message_id == mail.outbox[0].extra_headers["Message-ID"] and str(subscriber.pk) in row.message_id


# Through a real SMTP server ---------------------------------------------------------------


def test_a_permanent_refusal_fails_the_row_with_the_servers_reason(page, smtp_server, speed):
    bad, good = subscribe(page, "gone@example.com"), subscribe(page, "here@example.com")
    smtp_server.recorder.refuse["gone@example.com"] = "550 5.1.1 No such user"
    update = publish(page)
    services.fan_out(kind="incident", update_id=update.pk)
    outcome = batch(update)
    assert (outcome.sent, outcome.failed, outcome.retry_in) == (1, 1, None)
    failed = Delivery.objects.get(subscriber=bad)
    assert failed.state == DeliveryState.FAILED and failed.error == "550 5.1.1 No such user"
    assert smtp_server.recorder.recipients() == [good.email]
    bad.refresh_from_db()
    assert bad.hard_bounces == 1 and bad.suppression == ""


def test_an_address_is_suppressed_after_repeated_hard_bounces(page, smtp_server, settings):
    settings.NOTIFICATIONS_SUPPRESS_AFTER_BOUNCES = 2
    bad = subscribe(page, "gone@example.com")
    smtp_server.recorder.refuse[bad.email] = "550 5.1.1 No such user"
    for _ in range(2):
        update = publish(page)
        services.fan_out(kind="incident", update_id=update.pk)
        batch(update)
    bad.refresh_from_db()
    assert bad.suppression == Suppression.BOUNCED and bad.suppressed_at is not None
    update = publish(page)
    assert services.fan_out(kind="incident", update_id=update.pk) == 0


def test_a_temporary_refusal_puts_the_row_back_with_a_backoff(page, smtp_server):
    subscriber = subscribe(page, "busy@example.com")
    smtp_server.recorder.refuse[subscriber.email] = "451 4.3.0 Mailbox busy"
    update = publish(page)
    services.fan_out(kind="incident", update_id=update.pk)
    outcome = batch(update)
    assert outcome.retry_in and outcome.sent == 0
    row = Delivery.objects.get()
    assert row.state == DeliveryState.QUEUED and row.claimed_until > timezone.now() and "451" in row.error
    assert batch(update).claimed == 0  # still waiting out its backoff
    del smtp_server.recorder.refuse[subscriber.email]
    Delivery.objects.update(claimed_until=timezone.now())
    assert batch(update).sent == 1 and smtp_server.recorder.recipients() == [subscriber.email]


def test_a_dead_mail_server_delays_and_loses_nothing(page, smtp_server, speed):
    subscribers = many(page, 3)
    update = publish(page)
    services.fan_out(kind="incident", update_id=update.pk)
    smtp_server.stop()
    outcome = batch(update)
    assert outcome.retry_in and outcome.sent == 0
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.QUEUED}
    smtp_server.start()
    Delivery.objects.update(claimed_until=timezone.now())
    assert batch(update).sent == 3
    assert sorted(smtp_server.recorder.recipients()) == sorted(s.email for s in subscribers)
    assert list(Delivery.objects.values_list("attempts", flat=True)) == [2, 2, 2]


def test_the_backoff_grows_with_the_attempts_and_is_jittered(settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS, settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 10, 60
    firsts = {services.delivery.backoff_seconds(1) for _ in range(20)}
    assert all(5 <= s <= 10 for s in firsts) and len(firsts) > 1
    assert all(20 <= services.delivery.backoff_seconds(3) <= 40 for _ in range(20))
    assert all(30 <= services.delivery.backoff_seconds(9) <= 60 for _ in range(20))


# The sweep and the admin's retry ----------------------------------------------------------


def test_the_sweep_enqueues_updates_whose_fan_out_never_happened(page, settings):
    update = publish(page)
    PageIncidentUpdate.objects.filter(pk=update.pk).update(created_at=timezone.now() - timedelta(seconds=settings.NOTIFICATIONS_SWEEP_SECONDS + 1))
    recent = publish(page)
    with mock.patch("notifications.tasks.fan_out.delay") as delay:
        assert services.sweep()["fan_outs"] == 1
    delay.assert_called_once_with("incident", str(update.pk))
    assert recent.pk != update.pk


def test_the_sweep_enqueues_batches_for_rows_nobody_works_on(page, settings):
    settings.NOTIFICATIONS_BATCH_SIZE = 2
    many(page, 5)
    update = publish(page)
    services.fan_out(kind="incident", update_id=update.pk)
    rows = list(Delivery.objects.order_by("subscriber_id"))
    now = timezone.now()
    Delivery.objects.filter(pk=rows[0].pk).update(state=DeliveryState.SENDING, claimed_until=now - timedelta(seconds=1))  # dead worker
    Delivery.objects.filter(pk=rows[1].pk).update(state=DeliveryState.SENDING, claimed_until=now + timedelta(minutes=1))  # at work
    Delivery.objects.filter(pk=rows[2].pk).update(created_at=now - timedelta(hours=1))  # its batch was lost
    Delivery.objects.filter(pk=rows[3].pk).update(claimed_until=now + timedelta(minutes=1))  # backing off
    with mock.patch("notifications.tasks.send_batch.delay") as delay:
        swept = services.sweep()
    assert swept["batches"] == 1
    delay.assert_called_once_with("incident", str(update.pk), rows[0].subscriber_id, rows[2].subscriber_id)


def test_retrying_failed_deliveries_sends_them_again(page, smtp_server, django_capture_on_commit_callbacks):
    bad = subscribe(page, "gone@example.com")
    smtp_server.recorder.refuse[bad.email] = "550 5.1.1 No such user"
    update = publish(page)
    services.fan_out(kind="incident", update_id=update.pk)
    batch(update)
    del smtp_server.recorder.refuse[bad.email]
    with mock.patch("notifications.tasks.send_batch.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            assert services.retry_failed(kind="incident", update_id=update.pk) == 1
        from notifications.enqueue import _background

        _background.submit(lambda: None).result(timeout=30)  # the enqueue thread has run
    delay.assert_called_once()
    assert batch(update).sent == 1 and smtp_server.recorder.recipients() == [bad.email]


# Real concurrency -------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_batches_racing_for_the_same_rows_send_each_once(page):
    from django.db import connection

    many(page, 40)
    update = publish(page)
    services.fan_out(kind="incident", update_id=update.pk)
    start = threading.Barrier(4)
    errors = []

    def race():
        try:
            start.wait()
            batch(update)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=race) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(mail.outbox) == 40 and len(set(recipients())) == 40
    assert Delivery.objects.filter(state=DeliveryState.SENT, attempts=1).count() == 40
