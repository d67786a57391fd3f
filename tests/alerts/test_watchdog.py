"""A dead man's switch with a real Prometheus Alertmanager: its always-firing
``Watchdog`` alert, routed to a heartbeat source's ping URL, keeps the heartbeat alive;
stopping Alertmanager makes the beat's check fire the heartbeat's alert, and starting it
again resolves it.

Alertmanager runs on its own timers, so the test polls (and runs the check as the beat
would, every half second) until a deadline. PostgreSQL only, for the reason
tests/alerts/test_alertmanager.py gives; skipped without the binary unless
``REQUIRE_ALERTMANAGER=1``.
"""

import os
import subprocess
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from alerts import services
from alerts.models import Alert, AlertStatus, Heartbeat
from tests.alerts.factories import make_source
from tests.alerts.test_alertmanager import BINARY, _ready, free_port, push, wait_for

INTERVAL = 3


class Alertmanager:
    """One Alertmanager with the configuration a self-hoster writes for the Watchdog
    (docs/alerts.md), short timers, started and stopped by the test."""

    def __init__(self, tmp_path, ping_url, secret):
        self.tmp_path, self.port, self.process = tmp_path, free_port(), None
        (tmp_path / "alertmanager.yml").write_text(f"""
route:
  receiver: blackhole
  routes:
    - receiver: heartbeat
      matchers: ['alertname="Watchdog"']
      group_wait: 0s
      group_interval: 1s
      repeat_interval: 1s
receivers:
  - name: blackhole
  - name: heartbeat
    webhook_configs:
      - url: {ping_url}
        send_resolved: false
        http_config:
          authorization:
            credentials: {secret}
""")

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.log = open(self.tmp_path / "alertmanager.log", "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                BINARY,
                f"--config.file={self.tmp_path / 'alertmanager.yml'}",
                f"--storage.path={self.tmp_path / 'data'}",
                f"--web.listen-address=127.0.0.1:{self.port}",
                "--cluster.listen-address=",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for(lambda: _ready(self.base), "Alertmanager to start", self.tmp_path)
        # Prometheus sends its always-firing Watchdog again and again; one with an end
        # an hour away stands for that here.
        ends = (datetime.now(UTC) + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
        push(self.base, [{"labels": {"alertname": "Watchdog", "severity": "none"}, "endsAt": ends}])

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.log.close()


@pytest.fixture
def watchdog(tmp_path, live_server, transactional_db):
    if not os.path.exists(BINARY):
        if os.environ.get("REQUIRE_ALERTMANAGER"):
            pytest.fail(f"Alertmanager is not at {BINARY} (REQUIRE_ALERTMANAGER is set): apt-get install prometheus-alertmanager")
        pytest.skip("prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager); CI runs this")
    source = make_source("heartbeat", name="Prometheus watchdog", heartbeat_options={"interval_seconds": INTERVAL})
    manager = Alertmanager(tmp_path, f"{live_server.url}/v2/heartbeat/{source.pk}/ping", source.secret)
    try:
        yield source, manager
    finally:
        manager.stop()


def last_ping(source):
    return Heartbeat.objects.get(source=source).last_ping_at


def heartbeat_alerts(source):
    return list(Alert.objects.filter(source=source).values_list("status", flat=True))


def checking(source, status):
    """A condition for wait_for: run the beat's check, then look at the alert."""

    def condition():
        services.check_heartbeats()
        return heartbeat_alerts(source) == [status]

    return condition


def test_the_beat_schedule_runs_the_heartbeat_check():
    entry = settings.CELERY_BEAT_SCHEDULE["check-heartbeats"]
    assert entry == {"task": "alerts.tasks.check_heartbeats", "schedule": float(settings.ALERTS_HEARTBEAT_CHECK_SECONDS)}


@pytest.mark.postgres
def test_alertmanagers_watchdog_keeps_a_heartbeat_alive_and_its_silence_fires_it(watchdog):
    source, manager = watchdog
    manager.start()
    wait_for(lambda: last_ping(source) is not None, "the Watchdog's first ping", manager.tmp_path)
    first = last_ping(source)
    # Twice the interval with the check running: the Watchdog's pings keep it quiet.
    deadline = time.monotonic() + 2 * INTERVAL
    while time.monotonic() < deadline:
        assert services.check_heartbeats() == 0
        time.sleep(0.5)
    assert last_ping(source) > first and heartbeat_alerts(source) == []

    manager.stop()
    wait_for(checking(source, AlertStatus.FIRING), "the heartbeat's alert to fire", manager.tmp_path)
    [alert] = Alert.objects.filter(source=source)
    assert alert.title == "No heartbeat from Prometheus watchdog"

    manager.start()
    wait_for(checking(source, AlertStatus.RESOLVED), "the heartbeat's alert to resolve", manager.tmp_path)
    assert Alert.objects.filter(source=source).count() == 1
