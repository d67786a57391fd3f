"""A real Prometheus Alertmanager (Debian's ``prometheus-alertmanager``), started here
with its own configuration on a free port, its webhook receiver pointed at our events
URL on a live server: alerts pushed into it arrive as our alerts, and resolving them in
Alertmanager resolves ours.

Skipped without the binary, unless ``REQUIRE_ALERTMANAGER=1`` (CI sets it) makes that a
failure. PostgreSQL only: Alertmanager sends each group at once, in parallel, while the
test reads, and the live server's threads share one connection to the in-memory SQLite
database, which cannot take that (CI runs it on PostgreSQL). Alertmanager works on its own timers (group_wait, group_interval), so the test
polls our database until a deadline rather than freezing a clock.
"""

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest

from alerts.models import Alert, IncidentAlert
from incidents.models import Incident
from tests.alerts.factories import make_route, make_source

BINARY = os.environ.get("ALERTMANAGER") or shutil.which("prometheus-alertmanager") or "/usr/bin/prometheus-alertmanager"
DEADLINE_SECONDS = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def alertmanager(tmp_path, live_server, transactional_db):
    if not os.path.exists(BINARY):
        if os.environ.get("REQUIRE_ALERTMANAGER"):
            pytest.fail(f"Alertmanager is not at {BINARY} (REQUIRE_ALERTMANAGER is set): apt-get install prometheus-alertmanager")
        pytest.skip("prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager); CI runs this")
    source = make_source("alertmanager", name="Prometheus")
    port = free_port()
    # The configuration a self-hoster writes (docs/alerts.md), with short timers.
    config = f"""
route:
  receiver: incident-tracker
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: incident-tracker
    webhook_configs:
      - url: {live_server.url}/v2/alert_events/alertmanager/{source.pk}
        send_resolved: true
        http_config:
          authorization:
            credentials: {source.secret}
"""
    (tmp_path / "alertmanager.yml").write_text(config)
    log = open(tmp_path / "alertmanager.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            BINARY,
            f"--config.file={tmp_path / 'alertmanager.yml'}",
            f"--storage.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _ready(base), "Alertmanager to start", tmp_path)
        yield base, tmp_path, source
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _ready(base) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/-/ready", timeout=1) as answer:
            return answer.status == 200
    except OSError:
        return False


def wait_for(condition, what, tmp_path):
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    log = (tmp_path / "alertmanager.log").read_text(errors="replace")[-3000:]
    pytest.fail(f"timed out waiting for {what}; Alertmanager's log:\n{log}")


def push(base, alerts):
    request = urllib.request.Request(
        f"{base}/api/v2/alerts", data=json.dumps(alerts).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.status == 200


def am_alert(name, instance, *, ends=None):
    alert = {
        "labels": {"alertname": name, "instance": instance, "severity": "critical"},
        "annotations": {"summary": f"{name} on {instance}"},
        "generatorURL": "http://prometheus.example/graph",
    }
    if ends is not None:
        alert["endsAt"] = ends.isoformat().replace("+00:00", "Z")
    return alert


def statuses():
    return {(a.title, a.status) for a in Alert.objects.all()}


@pytest.mark.postgres
def test_alerts_pushed_to_alertmanager_arrive_and_resolving_them_there_resolves_ours(alertmanager):
    base, tmp_path, _ = alertmanager
    pushed = [am_alert("HighCPU", "web-1"), am_alert("HighCPU", "web-2"), am_alert("DiskFull", "db-1")]
    push(base, pushed)
    firing = {("HighCPU on web-1", "firing"), ("HighCPU on web-2", "firing"), ("DiskFull on db-1", "firing")}
    wait_for(lambda: statuses() == firing, "the three alerts to fire here", tmp_path)
    alerts = {a.title: a for a in Alert.objects.all()}
    # Alertmanager's groups (group_by: alertname) arrive with their groupKey.
    assert alerts["HighCPU on web-1"].metadata["group_key"] == alerts["HighCPU on web-2"].metadata["group_key"]
    assert alerts["HighCPU on web-1"].metadata["group_key"] != alerts["DiskFull on db-1"].metadata["group_key"]
    assert all(len(a.dedup_key) == 16 and a.severity == "critical" for a in alerts.values())

    # Resolving in Alertmanager: the same alerts with an end in the past.
    ended = datetime.now(UTC) - timedelta(seconds=1)
    push(base, [am_alert("HighCPU", "web-1", ends=ended), am_alert("DiskFull", "db-1", ends=ended)])
    resolved = {("HighCPU on web-1", "resolved"), ("HighCPU on web-2", "firing"), ("DiskFull on db-1", "resolved")}
    wait_for(lambda: statuses() == resolved, "two alerts to resolve here", tmp_path)
    assert Alert.objects.count() == 3


def incidents_by_alert():
    return {link.alert.title: (link.incident.name, link.incident.status.category) for link in IncidentAlert.objects.select_related("alert", "incident__status")}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # and the incidents' default statuses seeded
def test_alertmanagers_groups_become_one_incident_each_and_resolve_with_their_alerts(alertmanager):
    base, tmp_path, source = alertmanager
    # A route grouping by Alertmanager's group (its groupKey), as docs/alerts.md shows.
    make_route(
        source,
        grouping_keys=["alert.metadata.group_key"],
        grouping_window_seconds=3600,
        name_template="{{ alert.metadata.labels.alertname }} firing",
        start_in_triage=False,
        when_resolved="resolve",
    )
    push(base, [am_alert("HighCPU", "web-1"), am_alert("HighCPU", "web-2"), am_alert("DiskFull", "db-1")])
    wait_for(lambda: len(incidents_by_alert()) == 3, "the three alerts to reach their incidents", tmp_path)
    assert incidents_by_alert() == {
        "HighCPU on web-1": ("HighCPU firing", "live"),
        "HighCPU on web-2": ("HighCPU firing", "live"),
        "DiskFull on db-1": ("DiskFull firing", "live"),
    }
    assert Incident.objects.count() == 2

    ended = datetime.now(UTC) - timedelta(seconds=1)
    push(base, [am_alert("HighCPU", "web-1", ends=ended), am_alert("DiskFull", "db-1", ends=ended)])
    wait_for(
        lambda: Incident.objects.filter(name="DiskFull firing", status__category="closed").exists(),
        "the DiskFull incident to close with its alert",
        tmp_path,
    )
    # One of HighCPU's alerts still fires: its incident stays open.
    assert Incident.objects.get(name="HighCPU firing").status.category == "live"
    push(base, [am_alert("HighCPU", "web-2", ends=datetime.now(UTC) - timedelta(seconds=1))])
    wait_for(
        lambda: Incident.objects.filter(name="HighCPU firing", status__category="closed").exists(),
        "the HighCPU incident to close with its last alert",
        tmp_path,
    )
    assert Incident.objects.count() == 2
