"""SECRET_KEY and the deployment checks, each in a fresh interpreter with its own environment."""

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from config.secret_key import KNOWN_DEVELOPMENT_KEYS

ROOT = Path(__file__).resolve().parents[2]
PROBE = "import django; from django.conf import settings; django.setup(); print(settings.SECRET_KEY)"
# What the environment of the machine running the tests may set and the probes must not see.
SCRUBBED = {"DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "CACHE_URL", "DEBUG", "ALLOWED_HOSTS", "SECRET_KEY",
            "REQUIRE_SECRET_KEY", "BEHIND_TLS_PROXY", "SECURE_COOKIES", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
            "CSRF_TRUSTED_ORIGINS", "SITE_URL", "LOG_FORMAT",
            "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the browser tests set it in this process


def _env(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path / "var"), **env})
    return clean


def _secret_key(tmp_path, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=_env(tmp_path, **env), capture_output=True, text=True)


def test_embedded_default_makes_a_random_key_once_and_keeps_it(tmp_path):
    first, second = _secret_key(tmp_path), _secret_key(tmp_path)
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip()
    assert key == second.stdout.strip() and len(key) >= 50 and key not in KNOWN_DEVELOPMENT_KEYS
    kept = tmp_path / "var" / "secret_key"
    assert kept.read_text().strip() == key
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_each_installation_gets_its_own_key(tmp_path):
    assert _secret_key(tmp_path / "a").stdout != _secret_key(tmp_path / "b").stdout


def test_processes_starting_together_agree_on_the_key(tmp_path):
    env = _env(tmp_path)
    processes = [subprocess.Popen([sys.executable, "-c", PROBE], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) for _ in range(6)]
    keys = {process.communicate()[0].strip() for process in processes}
    assert len(keys) == 1 and "" not in keys
    # no temporary file is left behind by the processes that lost the race
    assert [path.name for path in (tmp_path / "var").iterdir() if "secret" in path.name] == ["secret_key"]


def test_an_explicit_secret_key_wins(tmp_path):
    assert _secret_key(tmp_path, SECRET_KEY="x" * 60).stdout.strip() == "x" * 60
    assert not (tmp_path / "var" / "secret_key").exists()


@pytest.mark.parametrize("key", [*KNOWN_DEVELOPMENT_KEYS, "django-insecure-" + "a" * 50])
def test_a_known_development_key_is_refused_with_debug_off(tmp_path, key):
    refused = _secret_key(tmp_path, SECRET_KEY=key)
    assert refused.returncode != 0 and "SECRET_KEY" in refused.stderr
    assert _secret_key(tmp_path, SECRET_KEY=key, DEBUG="true").stdout.strip() == key


def test_require_secret_key_refuses_to_make_one(tmp_path):
    refused = _secret_key(tmp_path, REQUIRE_SECRET_KEY="true")
    assert refused.returncode != 0 and "REQUIRE_SECRET_KEY" in refused.stderr


def _production_exports() -> str:
    """The ``export`` lines of docs/production.md's first settings block, as an operator pastes them."""
    runbook = (ROOT / "docs" / "production.md").read_text()
    block = re.search(r"```sh\n(.*?)```", runbook, re.S).group(1)
    exports = [line for line in block.splitlines() if line.startswith("export ")]
    assert any(line.startswith("export SECRET_KEY=") for line in exports)
    return "\n".join(exports)


def test_check_deploy_with_the_runbooks_production_settings_reports_nothing(tmp_path):
    script = f"{_production_exports()}\nexec {sys.executable} manage.py check --deploy --fail-level WARNING"
    result = subprocess.run(["bash", "-euc", script], cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_check_deploy_warns_without_tls_settings(tmp_path):
    # The check above can fail: the embedded default (no TLS) is not ready for the internet.
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=_env(tmp_path),
                            capture_output=True, text=True)
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


@pytest.mark.parametrize("site_url", [None, "http://127.0.0.1:8123", "http://[::1]:8000", "http://app.localhost"])
def test_check_deploy_warns_when_site_url_is_unset_or_this_machines_alone(tmp_path, site_url):
    env = _env(tmp_path) if site_url is None else _env(tmp_path, SITE_URL=site_url)
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert "core.W001" in result.stderr and "SITE_URL" in result.stderr
    plain = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert "core.W001" not in plain.stderr  # development: no warning


def test_check_deploy_is_quiet_about_a_public_site_url(tmp_path):
    env = _env(tmp_path, SITE_URL="https://incidents.example.com")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert "core.W001" not in result.stderr
