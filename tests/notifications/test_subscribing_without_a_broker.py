"""Subscribing while the broker is down (issue 17, item 3): the form and Checkly's bulk
call answer as usual, each address is owed exactly one confirmation (an outbox row written
with it), and the sweep sends what the broker never got. Asking again re-sends to an
address still waiting, at most once per interval, never while one is on its way.

The broker here is an address nothing listens on; tests/notifications/test_subscribe_faults.py
does the same with a real Redis killed and restarted, a real worker and a real SMTP server."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from notifications import enqueue
from notifications.models import Confirmation, DeliveryState, Subscriber
from notifications.services import confirmations
from statuspages.api.checkly.ids import guid
from tests.statuspages.api.checkly.conftest import checkly, publisher  # noqa: F401

from .conftest import subscriber, use_broker
from .smtp import free_port
from .test_views import csrf_post

pytestmark = pytest.mark.django_db(transaction=True)

BULK = "postV1StatuspagesStatuspageidSubscriptionsBulk"


@pytest.fixture
def dead_broker():
    """A Redis broker nobody answers at; tasks are sent, not run here."""
    before = use_broker(f"redis://127.0.0.1:{free_port()}/0")
    yield
    settle()
    use_broker(before)


def settle() -> None:
    """Wait for what the background thread was asked to enqueue (it gives up on a dead broker)."""
    enqueue._background.submit(lambda: None).result(timeout=60)


def bulk(client, page, *emails, auto_verify=False):
    body = {"subscriptions": [{"type": "EMAIL", "config": email} for email in emails], "autoVerify": auto_verify}
    return client.post(f"/v1/status-pages/{guid(page.pk)}/subscriptions/bulk", body)


def overdue(settings) -> None:
    """Every outbox row older than a sweep period, as if the broker had been down that long."""
    Confirmation.objects.update(created_at=timezone.now() - timedelta(seconds=settings.NOTIFICATIONS_SWEEP_SECONDS + 1))


def test_the_form_answers_while_the_broker_is_down_and_the_sweep_sends_the_confirmation(
    page, dead_broker, mailoutbox, settings, eager_sweep
):
    browser = Client(enforce_csrf_checks=True)
    response = csrf_post(browser, "/status/acme/subscribe/", {"email": "ann@example.com", "scope": "all"})
    assert response.status_code == 200 and "ann@example.com" in response.content.decode()
    settle()
    ann = Subscriber.objects.get()
    assert Confirmation.objects.get().subscriber == ann and mailoutbox == []
    # Asked again before anything went out: still one owed, not two.
    assert csrf_post(browser, "/status/acme/subscribe/", {"email": "Ann@Example.com", "scope": "all"}).status_code == 200
    settle()
    assert Confirmation.objects.filter(state=DeliveryState.QUEUED).count() == 1
    overdue(settings)
    eager_sweep()
    assert [m.to for m in mailoutbox] == [["ann@example.com"]]
    assert Confirmation.objects.get().state == DeliveryState.SENT


def test_checklys_bulk_call_answers_201_while_the_broker_is_down_and_a_retry_adds_nothing(
    page, publisher, dead_broker, mailoutbox, settings, eager_sweep  # noqa: F811
):
    emails = [f"u{n}@example.com" for n in range(3)]
    assert checkly(bulk(publisher, page, *emails), BULK, 201) == {"created": 3, "skipped": 0, "status": "PENDING"}
    assert checkly(bulk(publisher, page, *emails), BULK, 201) == {"created": 0, "skipped": 3, "status": "PENDING"}
    settle()
    assert Confirmation.objects.filter(state=DeliveryState.QUEUED).count() == 3
    overdue(settings)
    eager_sweep()
    assert sorted(m.to[0] for m in mailoutbox) == emails


def test_a_bulk_retry_re_sends_to_an_address_still_waiting_once_per_interval(page, publisher, mailoutbox, eager, settings):  # noqa: F811
    """The first confirmation went (or was lost in the recipient's spam); the caller asks
    again: re-sent, not refused as "already there", and the limit's interval holds."""
    waiting = subscriber(page, "waiting@example.com", confirmed=False, confirmation_sent_at=timezone.now() - timedelta(hours=2))
    subscriber(page, "on@example.com")
    assert checkly(bulk(publisher, page, "waiting@example.com", "on@example.com"), BULK, 201)["skipped"] == 2
    assert [m.to for m in mailoutbox] == [["waiting@example.com"]]
    assert checkly(bulk(publisher, page, "waiting@example.com"), BULK, 201)["skipped"] == 1
    assert len(mailoutbox) == 1  # within SUBSCRIBE_EMAILS_PER_HOUR's interval: nothing more
    waiting.refresh_from_db()
    assert waiting.confirmation_sent_at > timezone.now() - timedelta(minutes=1)


@pytest.fixture
def eager_sweep(settings):
    """Run the sweep here, with the tasks it enqueues run in this process."""
    from config.celery import app

    def sweep():
        settle()
        before = app.conf.task_always_eager, app.conf.task_eager_propagates
        app.conf.task_always_eager = app.conf.task_eager_propagates = True
        try:
            return confirmations.sweep()
        finally:
            app.conf.task_always_eager, app.conf.task_eager_propagates = before

    return sweep
