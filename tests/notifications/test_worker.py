"""Real parts: a Celery worker process (``celery -A config worker --beat``) on the Redis
broker, a real SMTP server in this process (aiosmtpd), a database both share, and an
update published through the API. Every confirmed subscriber gets exactly one message,
also when the worker is SIGKILLed half-way and restarted, and when the mail server is
away for a while.

Needs PostgreSQL (a database the worker process can reach: pytest's SQLite database is
in memory) and REDIS_URL (its database number is the broker's)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from notifications.models import Delivery, DeliveryState, Subscriber, Suppression
from tests.clients import make_client
from tests.factories import status_page

from .conftest import use_broker
from .smtp import SmtpServer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CONFIRMED = 150
#: every wait below gives up after this long: the test fails rather than hangs
PATIENCE = 180


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set: the worker needs the Redis broker")
    import redis

    # Whatever an earlier run left in this database's Celery queue goes.
    redis.Redis.from_url(url).delete("celery", "unacked", "unacked_index", "unacked_mutex")
    before = use_broker(url)
    yield url
    use_broker(before)


@pytest.fixture
def mail_server():
    server = SmtpServer().start()
    yield server
    server.recorder.release()
    server.stop()


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """``celery -A config worker --beat`` in the project directory, in its own process group."""

    def __init__(self, tmp_path: Path, redis_url: str, mail_server: SmtpServer):
        self.log = tmp_path / "worker.log"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": redis_url,
            "EMAIL_URL": mail_server.url,
            "VAR_DIR": str(tmp_path / "var"),
            "SITE_URL": settings.SITE_URL,
            "NOTIFICATIONS_BATCH_SIZE": "20",
            "NOTIFICATIONS_CLAIM_SECONDS": "4",
            "NOTIFICATIONS_SWEEP_SECONDS": "1",
            "NOTIFICATIONS_RETRY_BASE_SECONDS": "1",
            "NOTIFICATIONS_RETRY_MAX_SECONDS": "2",
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--beat", "--concurrency", "2",
                   "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def kill(self) -> None:
        """SIGKILL the worker and its pool: no goodbye, no acknowledgement."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def tail(self) -> str:
        return self.log.read_text()[-4000:] if self.log.exists() else ""


@pytest.fixture
def worker(tmp_path, redis_url, mail_server):
    started = Worker(tmp_path, redis_url, mail_server)
    yield started
    started.stop()


@pytest.fixture
def page():
    page = status_page(components=["API", "Dashboard"])
    now = timezone.now()
    Subscriber.objects.bulk_create(
        [Subscriber(status_page=page, email=f"reader{i:04}@example.com", confirmed_at=now) for i in range(CONFIRMED)]
        + [Subscriber(status_page=page, email="pending@example.com"),
           Subscriber(status_page=page, email="left@example.com", confirmed_at=now,
                      suppression=Suppression.UNSUBSCRIBED, suppressed_at=now)]
    )
    return page


def publish_through_the_api(page) -> dict:
    publisher = make_client("status_page_publisher")
    response = publisher.post("/v2/status_page_incidents", {
        "status_page_id": page.pk, "name": "Checkout is failing", "incident_status": "investigating",
        "idempotency_key": "alert-1", "message": "We are looking into it.", "notify_subscribers": True,
        "component_statuses": [{"component_id": page.test_components["API"].pk, "component_status": "full_outage"}],
    })
    assert response.status_code == 201, response.content
    return response.json()["status_page_incident"]


def wait_for(condition, worker: Worker, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if worker.process.poll() is not None and worker.process.returncode not in (-signal.SIGKILL,):
            pytest.fail(f"the worker stopped ({worker.process.returncode}) before {what}:\n{worker.tail()}")
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}:\n{worker.tail()}")
        time.sleep(0.2)


def all_sent() -> bool:
    return Delivery.objects.filter(state=DeliveryState.SENT).count() == CONFIRMED


def assert_each_confirmed_reader_got_exactly_one(mail_server):
    received = Counter(mail_server.recorder.recipients())
    assert received == Counter({f"reader{i:04}@example.com": 1 for i in range(CONFIRMED)})
    assert Delivery.objects.count() == CONFIRMED


def test_every_confirmed_subscriber_gets_exactly_one_email_with_the_right_headers(page, worker, mail_server):
    worker.start()
    incident = publish_through_the_api(page)
    wait_for(all_sent, worker, "every delivery to be sent")
    assert_each_confirmed_reader_got_exactly_one(mail_server)
    message_ids = dict(Delivery.objects.values_list("subscriber__email", "message_id"))
    for message in mail_server.recorder.messages:
        header = lambda name: " ".join(str(message[name]).split())  # unfolded  # noqa: E731
        assert header("Subject") == "[Acme status] Checkout is failing: Investigating"
        assert header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
        assert header("List-Unsubscribe").startswith(f"<{settings.SITE_URL}/")
        assert header("Message-ID") == message_ids[header("To")]
        assert header("Message-ID").startswith(f"<incident-{incident['id']}.")
        assert {part.get_content_type() for part in message.walk()} >= {"text/plain", "text/html"}


def test_a_worker_killed_half_way_and_restarted_still_sends_exactly_one_each(page, worker, mail_server):
    recorder = mail_server.recorder
    recorder.hold_after = 25  # from then on the server keeps the worker waiting on RCPT
    worker.start()
    publish_through_the_api(page)
    wait_for(recorder.holding.is_set, worker, "the worker to be half-way")
    worker.kill()
    recorder.release()
    assert 0 < len(recorder.messages) < CONFIRMED
    # Rows the dead worker held stay claimed until their claim runs out; nobody lost them.
    assert Delivery.objects.filter(state=DeliveryState.SENDING).exists()
    worker.start()
    wait_for(all_sent, worker, "every delivery to be sent after the restart")
    assert_each_confirmed_reader_got_exactly_one(mail_server)
    assert Delivery.objects.filter(attempts__gt=1).exists()  # the rows the dead worker held were taken again


def test_a_mail_server_away_for_a_while_delays_delivery_and_loses_nothing(page, worker, mail_server):
    mail_server.stop()
    worker.start()
    publish_through_the_api(page)
    waiting = Delivery.objects.filter(state=DeliveryState.QUEUED, attempts__gte=2).exclude(error="")
    wait_for(waiting.exists, worker, "the worker to have tried and backed off twice")
    assert mail_server.recorder.messages == []
    mail_server.start()
    wait_for(all_sent, worker, "every delivery to be sent once the server is back")
    assert_each_confirmed_reader_got_exactly_one(mail_server)
