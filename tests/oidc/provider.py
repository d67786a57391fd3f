"""A real OpenID provider for the sign-in tests: panva's ``oidc-provider`` (npm), run by
Node from tests/oidc/provider/ (server.js says what it serves).

Its packages are installed with ``npm ci`` from the committed package-lock.json the first
time a test needs them (.ci/run installs them up front). Without Node or npm these tests
are skipped, so the README's test command works on a fresh machine; CI sets
``REQUIRE_OIDC_PROVIDER=1``, which turns that into a failure.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "provider"
CLIENT_ID = "incident-tracker"
CLIENT_SECRET = "tracker-secret-for-tests-only"


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_OIDC_PROVIDER"):
        pytest.fail(f"{reason} (REQUIRE_OIDC_PROVIDER is set)")
    pytest.skip(f"{reason}; CI runs these")


def ensure_installed() -> str:
    """Node's path, with the provider's packages installed."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        _unavailable("Node.js and npm are not installed (apt-get install nodejs npm)")
    if not (HERE / "node_modules" / "oidc-provider" / "package.json").exists():
        result = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HERE, capture_output=True, text=True,
                                timeout=300)
        if result.returncode != 0:
            _unavailable(f"npm ci in {HERE} failed: {result.stderr[-500:]}")
    return node


@dataclass
class Provider:
    """A running provider: its issuer, the people it knows, and what it has seen."""

    issuer: str
    accounts_file: Path
    process: subprocess.Popen
    lines: queue.Queue = field(default_factory=queue.Queue)
    events: list[dict] = field(default_factory=list)

    def set_accounts(self, accounts: dict[str, dict]) -> None:
        """Who may log in at the provider (any password), with their claims; read at
        every sign-in, so a change applies to the next one."""
        tmp = self.accounts_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(accounts))
        tmp.replace(self.accounts_file)

    def authorization_requests(self) -> list[dict]:
        """The parameters of every authorization request the provider accepted so far."""
        while not self.lines.empty():
            self.events.append(self.lines.get_nowait())
        return [event["params"] for event in self.events if event.get("event") == "authorization"]


def start(*, redirect_uri: str, directory: Path) -> Provider:
    node = ensure_installed()
    accounts_file = directory / "accounts.json"
    accounts_file.write_text("{}")
    clients = [{
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [redirect_uri],
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "client_secret_post",
    }]
    env = {**os.environ, "PORT": "0", "CLIENTS_JSON": json.dumps(clients), "ACCOUNTS_FILE": str(accounts_file)}
    process = subprocess.Popen([node, "server.js"], cwd=HERE, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()

    def read():
        for line in process.stdout:
            try:
                lines.put(json.loads(line))
            except ValueError:
                continue

    threading.Thread(target=read, daemon=True).start()
    try:
        first = lines.get(timeout=30)
    except queue.Empty:
        process.kill()
        raise RuntimeError(f"the OpenID provider did not start: {process.stderr.read()[-2000:]}") from None
    assert first["event"] == "listening", first
    return Provider(issuer=first["issuer"], accounts_file=accounts_file, process=process, lines=lines)


def stop(provider: Provider) -> None:
    provider.process.terminate()
    try:
        provider.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        provider.process.kill()
