"""A real nginx (Debian's) serving a status page's export with the recipe we ship
(docs/recipes/nginx-status-export.conf), unprivileged, on a port of its own, with its own
prefix, configuration and logs: used by tests/statuspages/public/test_export_nginx.py and
bench/public_bench.py."""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

BINARY = os.environ.get("NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
RECIPE = Path(__file__).resolve().parents[1] / "docs" / "recipes" / "nginx-status-export.conf"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def config(prefix: Path, port: int, export: Path) -> str:
    """The main configuration: the recipe's server block on ``port`` serving ``export``."""
    server = RECIPE.read_text()
    for line, mine in (
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("root /srv/status/acme;", f"root {export};"),
    ):
        if line not in server:
            raise AssertionError(f"the recipe lost {line!r}")
        server = server.replace(line, mine)
    (prefix / "status.conf").write_text(server)
    # Run as root (a container), nginx would hand requests to workers running as nobody,
    # which may not read a private temporary directory.
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    temp = " ".join(f"{kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""
{user}
worker_processes 1;
daemon off;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    {temp}
    include {prefix / "status.conf"};
}}
"""


def start(prefix: Path, port: int, export: Path, *, deadline: float = 20) -> subprocess.Popen:
    """nginx on ``port``, answering (any status) before this returns."""
    prefix.mkdir(parents=True, exist_ok=True)
    (prefix / "nginx.conf").write_text(config(prefix, port, export))
    with open(prefix / "stderr.log", "wb") as log:
        process = subprocess.Popen(
            [BINARY, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")],
            stdout=log, stderr=subprocess.STDOUT,
        )
    until = time.monotonic() + deadline
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return process
        except urllib.error.HTTPError:
            return process  # it answers
        except OSError:
            if process.poll() is not None or time.monotonic() > until:
                process.kill()
                raise RuntimeError(f"nginx did not start: {(prefix / 'stderr.log').read_text()} {(prefix / 'error.log').read_text()}") from None
            time.sleep(0.05)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=10)
