"""The quick start's links open where its server listens: with SITE_URL unset, the
server and the worker it starts build every absolute link (emails, feeds, status.json)
from ``--addrport``; a SITE_URL that is set wins."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from incidents.management.commands.quickstart import site_url_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "addrport, environ, expected",
    [
        ("127.0.0.1:8123", {}, "http://127.0.0.1:8123"),
        ("0.0.0.0:8000", {}, "http://127.0.0.1:8000"),
        ("[::1]:8001", {}, "http://[::1]:8001"),
        ("8002", {}, "http://127.0.0.1:8002"),
        ("127.0.0.1:8123", {"SITE_URL": "https://status.example.com/"}, "https://status.example.com"),
        ("127.0.0.1:8123", {"SITE_URL": "  "}, "http://127.0.0.1:8123"),
    ],
)
def test_site_url_from_addrport_when_unset(addrport, environ, expected):
    site_url, env = site_url_for(addrport, environ)
    assert site_url == expected
    assert env["SITE_URL"].rstrip("/") == expected


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_quick_starts_server_links_to_its_own_address(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL", "EMAIL_URL"}}
    env.update(VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="config.settings")
    quickstart = subprocess.Popen(
        [sys.executable, "manage.py", "quickstart", "--addrport", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        deadline, answer = time.monotonic() + 240, None
        while time.monotonic() < deadline and quickstart.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/status/acme/api/v2/status.json", timeout=5) as response:
                    answer = json.load(response)
                break
            except OSError:
                time.sleep(1)
        assert answer is not None, "the quick start's server never answered"
        assert answer["page"]["url"] == f"http://127.0.0.1:{port}/status/acme/"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/status/acme/feed.atom", timeout=5) as response:
            feed = response.read().decode()
        assert f'href="http://127.0.0.1:{port}/status/acme/' in feed and "localhost:8000" not in feed
    finally:
        os.killpg(quickstart.pid, 15)
        output = quickstart.communicate(timeout=30)[0]
    assert f"SITE_URL=http://127.0.0.1:{port}" in output
