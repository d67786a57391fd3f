"""Publishing hands the fan-out to the broker without waiting for it: a dead or hanging
broker neither fails nor holds up the publish, and the sweep enqueues what it missed."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from notifications import services
from notifications.receivers import enqueue_fan_out
from statuspages import services as pages
from statuspages.models import PageIncidentUpdate
from tests.factories import status_page

pytestmark = pytest.mark.django_db


def publish(page, notify=True):
    return pages.publish_incident(actor=None, status_page=page, name="Errors", message="Looking", notify_subscribers=notify)


def test_publishing_enqueues_one_fan_out_after_the_commit(django_capture_on_commit_callbacks):
    page = status_page()
    with mock.patch("notifications.receivers.enqueue_fan_out") as enqueue:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            incident = publish(page)
        enqueue.assert_not_called()  # nothing leaves before the commit
        for callback in callbacks:
            callback()
    enqueue.assert_called_once_with(incident.updates.get())


def test_an_update_without_notify_subscribers_enqueues_nothing(django_capture_on_commit_callbacks):
    with mock.patch("notifications.receivers.enqueue_fan_out") as enqueue:
        with django_capture_on_commit_callbacks(execute=True):
            publish(status_page(), notify=False)
    enqueue.assert_not_called()


def test_a_hanging_broker_does_not_hold_up_publishing_and_the_sweep_catches_up(django_capture_on_commit_callbacks, settings):
    answer = threading.Event()

    def hanging_then_dead(*args, **kwargs):
        answer.wait(30)
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    futures = []

    def enqueue(update):
        futures.append(enqueue_fan_out(update))

    with mock.patch("notifications.tasks.fan_out.apply_async", side_effect=hanging_then_dead):
        with mock.patch("notifications.receivers.enqueue_fan_out", side_effect=enqueue):
            with django_capture_on_commit_callbacks(execute=True):
                incident = publish(status_page())
        (future,) = futures
        assert not future.done()  # the publish call returned while the broker had not answered
        answer.set()
        future.result(timeout=30)
    update = incident.updates.get()
    assert update.notified_at is None  # the outbox still says: to be done
    PageIncidentUpdate.objects.filter(pk=update.pk).update(created_at=timezone.now() - timedelta(seconds=settings.NOTIFICATIONS_SWEEP_SECONDS + 1))
    with mock.patch("notifications.tasks.fan_out.delay") as delay:
        services.sweep()
    delay.assert_called_once_with("incident", str(update.pk))


def test_a_dead_broker_is_logged_not_raised(caplog):
    update = publish(status_page()).updates.get()
    with mock.patch("notifications.tasks.fan_out.apply_async", side_effect=OperationalError("refused")):
        enqueue_fan_out(update).result(timeout=30)
    assert "the sweep will" in caplog.text and "OperationalError: refused" in caplog.text
