"""Settings come from the environment; check the parsing in a fresh interpreter each time."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    "print(json.dumps({'db': settings.DATABASES['default']['ENGINE'], 'name': str(settings.DATABASES['default']['NAME']),"
    "'broker': settings.CELERY_BROKER_URL, 'email': settings.EMAIL_BACKEND, 'tls': getattr(settings, 'EMAIL_USE_TLS', False),"
    "'host': getattr(settings, 'EMAIL_HOST', None), 'port': getattr(settings, 'EMAIL_PORT', None), 'mail_path': getattr(settings, 'EMAIL_FILE_PATH', None),"
    "'cache': settings.CACHES['default']['BACKEND'], 'debug': settings.DEBUG, 'hosts': settings.ALLOWED_HOSTS,"
    "'from': settings.DEFAULT_FROM_EMAIL, 'rate': settings.API_RATE_LIMIT_PER_MINUTE,"
    "'no_prepare': settings.DATABASES['default'].get('DISABLE_SERVER_SIDE_CURSORS', False)}))"
)


def _settings(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {
        "DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "CACHE_URL", "DEBUG", "ALLOWED_HOSTS", "DEFAULT_FROM_EMAIL", "SECRET_KEY"}}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path / "var"), **env})
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(result.stderr)
    return json.loads(result.stdout)


def test_defaults_are_embedded(tmp_path):
    s = _settings(tmp_path)
    assert s["db"] == "django.db.backends.sqlite3" and s["name"].startswith(str(tmp_path / "var"))
    assert s["broker"] == "filesystem://"
    assert s["email"] == "django.core.mail.backends.filebased.EmailBackend"
    assert s["mail_path"] == str(tmp_path / "var" / "mail")
    assert s["cache"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert s["debug"] is False and s["rate"] == 1200


def test_production_values_are_parsed(tmp_path):
    s = _settings(
        tmp_path,
        DATABASE_URL="postgres://app:secret@db.internal:5432/incidents",
        CELERY_BROKER_URL="redis://cache.internal:6379/0",
        EMAIL_URL="smtp+tls://mailer:pw@smtp.example.com:587",
        CACHE_URL="redis://cache.internal:6379/1",
        ALLOWED_HOSTS="status.example.com,incidents.example.com",
        DEFAULT_FROM_EMAIL="Status <status@example.com>",
        DEBUG="true",
        API_RATE_LIMIT_PER_MINUTE="60",
    )
    assert s["db"] == "config.postgresql" and s["name"] == "incidents"
    assert s["broker"] == "redis://cache.internal:6379/0"
    assert (s["email"], s["tls"], s["host"], s["port"]) == ("django.core.mail.backends.smtp.EmailBackend", True, "smtp.example.com", 587)
    assert s["cache"] == "config.cache.ReusingRedisCache"
    assert s["hosts"] == ["status.example.com", "incidents.example.com"]
    assert s["from"] == "Status <status@example.com>" and s["debug"] is True and s["rate"] == 60


@pytest.mark.parametrize("flag, disabled", [("true", True), ("false", False), ("1", True), ("0", False)])
def test_prepared_statements_can_be_turned_off_for_pgbouncer(tmp_path, flag, disabled):
    s = _settings(tmp_path, DATABASE_URL=f"postgres://app@db.internal:6432/incidents?disable_server_side_cursors={flag}")
    assert s["no_prepare"] is disabled
    assert _settings(tmp_path, DATABASE_URL="postgres://app@db.internal:5432/incidents")["no_prepare"] is False


@pytest.mark.parametrize("env", [{"EMAIL_URL": "carrier-pigeon://coop"}, {"DATABASE_URL": "nosuchdb://x"}, {"API_RATE_LIMIT_PER_MINUTE": "lots"}])
def test_malformed_values_fail_loudly(tmp_path, env):
    with pytest.raises(RuntimeError):
        _settings(tmp_path, **env)
