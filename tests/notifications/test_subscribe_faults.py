"""Subscribing with the broker's Redis killed and restarted, with real parts: a
redis-server of the test's own (the broker), a Celery worker process with beat, a real
SMTP server (aiosmtpd) and the subscribe form and Checkly's bulk call served in this
process. Nothing answers 5xx, nothing is lost, and each address gets exactly one
confirmation, also the ones asked for twice while Redis was away.

Needs PostgreSQL (the worker shares the test database) and a ``redis-server`` binary."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from django.test import Client

from notifications.models import Confirmation, DeliveryState, Subscriber
from statuspages.api.checkly.ids import guid
from tests.clients import make_client
from tests.core.test_cache_faults import RedisServer, _redis_server
from tests.factories import status_page

from .conftest import use_broker
from .smtp import SmtpServer
from .test_worker import PATIENCE, Worker

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BEFORE = ["before@example.com"]
FORM = [f"form{n}@example.com" for n in range(8)]
BULK = [f"bulk{n:02}@example.com" for n in range(20)]


@pytest.fixture
def broker(tmp_path):
    server = RedisServer(_redis_server(), tmp_path)
    server.start()
    before = use_broker(server.url)
    yield server
    use_broker(before)
    server.stop()


@pytest.fixture
def mail_server():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def worker(tmp_path, broker, mail_server):
    started = Worker(tmp_path, broker.url, mail_server).start()
    yield started
    started.stop()


def wait_for(condition, worker: Worker, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}:\n{worker.tail()}")
        time.sleep(0.2)


def subscribe(client: Client, email: str) -> int:
    return client.post("/status/acme/subscribe/", {"email": email, "scope": "all"}).status_code


def bulk(publisher, page, emails) -> int:
    body = {"subscriptions": [{"type": "EMAIL", "config": email} for email in emails], "autoVerify": False}
    return publisher.post(f"/v1/status-pages/{guid(page.pk)}/subscriptions/bulk", body).status_code


def test_subscribing_while_the_brokers_redis_is_killed_loses_nothing_and_sends_one_each(broker, worker, mail_server):
    page = status_page("Acme status", "acme", components=["API"])
    visitor, publisher = Client(), make_client("status_page_publisher")
    received = lambda: Counter(mail_server.recorder.recipients())  # noqa: E731

    assert subscribe(visitor, BEFORE[0]) == 200
    wait_for(lambda: received() == Counter(BEFORE), worker, "the confirmation sent while Redis was up")

    broker.kill()
    answers = [subscribe(visitor, email) for email in FORM]
    answers += [subscribe(visitor, email.upper()) for email in FORM[:3]]  # asked again, in another spelling
    answers += [bulk(publisher, page, BULK), bulk(publisher, page, BULK[:10])]  # the caller retries
    assert answers == [200] * (len(FORM) + 3) + [201, 201]
    assert Subscriber.objects.count() == len(BEFORE + FORM + BULK)
    assert Confirmation.objects.filter(state=DeliveryState.QUEUED).count() == len(FORM + BULK)

    broker.start()  # the same port, empty: whatever the queue held is gone
    everyone = Counter(BEFORE + FORM + BULK)
    wait_for(lambda: received() == everyone, worker, "every confirmation once Redis is back")
    time.sleep(3)  # a few more sweeps: nothing goes twice
    assert received() == everyone
    assert set(Confirmation.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
    subjects = {str(m["Subject"]) for m in mail_server.recorder.messages}
    assert subjects == {"Confirm your subscription to Acme status"}
