"""Alertmanager's own PagerDuty receiver (``pagerduty_configs``) pointed at this
tracker's ``/v2/enqueue`` with a ``pager_duty`` source's secret as the routing key, as
docs/alerts.md configures it: a real Alertmanager's triggers open alerts here and its
resolves close them. PostgreSQL only, for the reason tests/alerts/test_alertmanager.py
gives."""

import os
import subprocess
from datetime import UTC, datetime, timedelta

import pytest

from alerts.models import Alert
from tests.alerts.factories import make_source
from tests.alerts.test_alertmanager import BINARY, _ready, am_alert, free_port, push, wait_for


@pytest.mark.postgres
def test_alertmanagers_pagerduty_receiver_opens_and_resolves_alerts_here(tmp_path, live_server, transactional_db):
    if not os.path.exists(BINARY):
        if os.environ.get("REQUIRE_ALERTMANAGER"):
            pytest.fail(f"Alertmanager is not at {BINARY} (REQUIRE_ALERTMANAGER is set)")
        pytest.skip("prometheus-alertmanager is not installed")
    source = make_source("pager_duty", name="Alertmanager via PagerDuty")
    port = free_port()
    (tmp_path / "alertmanager.yml").write_text(f"""
route:
  receiver: incident-tracker-pd
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: incident-tracker-pd
    pagerduty_configs:
      - routing_key: {source.secret}
        url: {live_server.url}/v2/enqueue
        send_resolved: true
""")
    log = open(tmp_path / "alertmanager.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [BINARY, f"--config.file={tmp_path / 'alertmanager.yml'}", f"--storage.path={tmp_path / 'data'}",
         f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="],
        stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _ready(base), "Alertmanager to start", tmp_path)
        push(base, [am_alert("HighCPU", "web-1"), am_alert("DiskFull", "db-1")])
        # One PagerDuty event per Alertmanager group (group_by: alertname).
        wait_for(lambda: Alert.objects.filter(status="firing").count() == 2, "two alerts to fire here", tmp_path)
        ended = datetime.now(UTC) - timedelta(seconds=1)
        push(base, [am_alert("HighCPU", "web-1", ends=ended)])
        wait_for(
            lambda: sorted(Alert.objects.values_list("status", flat=True)) == ["firing", "resolved"],
            "the HighCPU alert to resolve here",
            tmp_path,
        )
        assert all(a.source_id == source.pk for a in Alert.objects.all())
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
