"""Incidents changing while the Celery broker (a redis-server of the test's own) is
killed: the API answers as usual, every event waits in the outbox, and once the broker
is back a real worker (with beat's sweep) delivers each to every webhook endpoint and
chat destination exactly once, under the webhook-id it was recorded with.

Needs PostgreSQL (the worker shares the test database) and a ``redis-server`` binary,
as tests/notifications/test_subscribe_faults.py (its email equivalent)."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from notifications.models import DeliveryState, WebhookDelivery, WebhookMessage
from notifications.services import chat, webhooks
from tests.clients import make_client
from tests.core.test_cache_faults import RedisServer, _redis_server
from tests.notifications.conftest import use_broker
from tests.notifications.smtp import SmtpServer
from tests.notifications.test_worker import PATIENCE, Worker

from .receiver import Receiver
from .test_worker import ROLES, all_done, declare_and_close, posted

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WHILE_DOWN = 4


@pytest.fixture
def broker(tmp_path):
    server = RedisServer(_redis_server(), tmp_path)
    server.start()
    before = use_broker(server.url)
    yield server
    use_broker(before)
    server.stop()


@pytest.fixture
def worker(tmp_path, broker):
    mail = SmtpServer().start()
    started = Worker(tmp_path, broker.url, mail)
    started.env.update(
        {
            "WEBHOOK_RETRY_SCALE": "0.001",
            "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
            "WEBHOOK_TIMEOUT_SECONDS": "2",
            "NOTIFICATIONS_CLAIM_SECONDS": "4",
        }
    )
    yield started
    started.stop()
    mail.stop()


@pytest.fixture
def receivers():
    started = [Receiver().start() for _ in range(2)]
    yield started
    for receiver in started:
        receiver.stop()


def wait_for(condition, worker: Worker, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}:\n{worker.tail()}")
        time.sleep(0.2)


def test_events_made_while_the_broker_is_down_are_delivered_once_each_when_it_returns(broker, worker, receivers, statuses):
    hook_receiver, chat_receiver = receivers
    endpoint = webhooks.create_endpoint(url=hook_receiver.url)
    chat.create_destination(kind="slack", url=chat_receiver.url)
    api = make_client(*ROLES)
    worker.start()
    declare_and_close(api, 1, statuses["Closed"])
    wait_for(all_done, worker, "the events made while the broker was up")
    before = WebhookMessage.objects.count()

    broker.kill()
    started = time.monotonic()
    # Another key: its idempotency keys (k0, k1...) are its own. Every answer is 2xx.
    declare_and_close(make_client(*ROLES), WHILE_DOWN, statuses["Closed"])
    assert time.monotonic() - started < 30  # the broker's absence costs the requests little
    made = WebhookMessage.objects.count() - before
    # webhook: created, updated, status updated; chat: declared, resolved
    assert made == WHILE_DOWN * (3 + 2)
    waiting = WebhookDelivery.objects.filter(state=DeliveryState.QUEUED)
    assert waiting.count() == made and len(hook_receiver.requests) == 3

    broker.start()  # the same port, empty: whatever the queue held is gone
    wait_for(lambda: all_done() and WebhookDelivery.objects.filter(state=DeliveryState.SENT).count() == before + made, worker,
             "every delivery once the broker is back")
    time.sleep(3)  # a few more sweeps: nothing goes twice
    hooks = posted(hook_receiver, endpoint.secret)
    chats = Counter(request["headers"]["webhook-id"] for request in chat_receiver.requests)
    assert set(hooks) | set(chats) == set(WebhookMessage.objects.values_list("msg_id", flat=True))
    assert all(count == 1 for count in hooks.values()) and all(count == 1 for count in chats.values())
    assert len(chats) == 2 * (1 + WHILE_DOWN)
