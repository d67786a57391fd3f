"""Settings come from the environment; check the parsing in a fresh interpreter each time."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    "print(json.dumps({'db': settings.DATABASES['default']['ENGINE'], 'name': str(settings.DATABASES['default']['NAME']),"
    "'broker': settings.CELERY_BROKER_URL, 'email': settings.EMAIL_BACKEND, 'tls': getattr(settings, 'EMAIL_USE_TLS', False),"
    "'host': getattr(settings, 'EMAIL_HOST', None), 'port': getattr(settings, 'EMAIL_PORT', None), 'mail_path': getattr(settings, 'EMAIL_FILE_PATH', None),"
    "'cache': settings.CACHES['default']['BACKEND'], 'debug': settings.DEBUG, 'hosts': settings.ALLOWED_HOSTS,"
    "'from': settings.DEFAULT_FROM_EMAIL, 'rate': settings.API_RATE_LIMIT_PER_MINUTE,"
    "'options': settings.DATABASES['default'].get('OPTIONS', {}), 'accel': settings.API_ACCELERATION, 'backend': settings.ACCELERATION_BACKEND,"
    "'pages': settings.API_LIST_PAGE_CACHE_MB, 'cache_options': settings.CACHES['default'].get('OPTIONS', {})}))"
)


def _settings(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {
        "DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "CACHE_URL", "DEBUG", "ALLOWED_HOSTS", "DEFAULT_FROM_EMAIL", "SECRET_KEY",
        "API_ACCELERATION", "API_LIST_PAGE_CACHE_MB", "CACHE_CONNECT_TIMEOUT", "CACHE_READ_TIMEOUT", "CACHE_BREAKER_FAILURES",
        "CACHE_BREAKER_RESET_SECONDS"}}
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
    assert s["accel"] is True and s["backend"] == "core.accel.backend.Accelerated" and s["pages"] == 32


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
    assert s["db"] == "core.accel.postgresql" and s["name"] == "incidents"
    assert s["options"] == {"server_side_binding": True, "prepare_threshold": 5}
    assert s["broker"] == "redis://cache.internal:6379/0"
    assert (s["email"], s["tls"], s["host"], s["port"]) == ("django.core.mail.backends.smtp.EmailBackend", True, "smtp.example.com", 587)
    assert s["cache"] == "core.accel.redis.AcceleratedRedisCache"
    assert s["hosts"] == ["status.example.com", "incidents.example.com"]
    assert s["from"] == "Status <status@example.com>" and s["debug"] is True and s["rate"] == 60


@pytest.mark.parametrize("value, threshold", [("none", None), ("0", 0), ("10", 10)])
def test_prepared_statements_can_be_turned_off_for_pgbouncer(tmp_path, value, threshold):
    s = _settings(tmp_path, DATABASE_URL=f"postgres://app@db.internal:6432/incidents?prepare_threshold={value}")
    assert s["options"]["prepare_threshold"] == threshold


def test_server_side_binding_can_be_turned_off(tmp_path):
    s = _settings(tmp_path, DATABASE_URL="postgres://app@db.internal:5432/incidents?server_side_binding=false")
    assert s["options"]["server_side_binding"] is False


def test_acceleration_off_is_the_plain_backend_with_djangos_redis_cache(tmp_path):
    s = _settings(tmp_path, CACHE_URL="redis://cache.internal:6379/1", API_ACCELERATION="false", API_LIST_PAGE_CACHE_MB="8")
    assert s["accel"] is False and s["backend"] == "core.acceleration.Acceleration" and s["pages"] == 8
    assert s["cache"] == "core.cache.ResilientRedisCache"
    s = _settings(tmp_path, DATABASE_URL="postgres://app@db.internal:5432/incidents", API_ACCELERATION="false")
    assert s["db"] == "django.db.backends.postgresql"


def test_the_caches_redis_has_short_timeouts_and_a_breaker(tmp_path):
    s = _settings(tmp_path, CACHE_URL="redis://cache.internal:6379/1")
    assert s["cache_options"] == {
        "socket_connect_timeout": 0.25, "socket_timeout": 0.5, "breaker_failures": 3, "breaker_reset_seconds": 5.0
    }
    s = _settings(
        tmp_path, CACHE_URL="redis://cache.internal:6379/1?socket_timeout=2", CACHE_CONNECT_TIMEOUT="0.1",
        CACHE_READ_TIMEOUT="0.3", CACHE_BREAKER_FAILURES="5", CACHE_BREAKER_RESET_SECONDS="30",
    )
    # The URL's own options win over the variables.
    assert s["cache_options"] == {
        "socket_connect_timeout": 0.1, "socket_timeout": 2, "breaker_failures": 5, "breaker_reset_seconds": 30.0
    }


@pytest.mark.parametrize(
    "env",
    [
        {"EMAIL_URL": "carrier-pigeon://coop"},
        {"CACHE_URL": "redis://cache.internal:6379/1", "CACHE_READ_TIMEOUT": "soon"},
        {"DATABASE_URL": "nosuchdb://x"},
        {"API_RATE_LIMIT_PER_MINUTE": "lots"},
        {"API_ACCELERATION": "sometimes"},
        {"DATABASE_URL": "postgres://app@db/incidents?prepare_threshold=often"},
        {"MAX_REQUEST_BODY_MB": "big"},
        {"MAX_REQUEST_BODY_MB": "0"},
    ],
)
def test_malformed_values_fail_loudly(tmp_path, env):
    with pytest.raises(RuntimeError):
        _settings(tmp_path, **env)


@pytest.mark.parametrize("value, size", [(None, 2621440), ("10", 10 * 2**20), ("0.5", 2**19)])
def test_body_limit_is_read_in_mib(tmp_path, value, size):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path / "var")}
    env.pop("MAX_REQUEST_BODY_MB", None)
    if value is not None:
        env["MAX_REQUEST_BODY_MB"] = value
    probe = "import django; from django.conf import settings; django.setup(); print(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == str(size), result.stderr


def _egress_setting(value: str) -> subprocess.CompletedProcess:
    """API_EGRESS_IP_RANGES (what GET /v1/ip_ranges lists) as a fresh process reads it;
    unlike ``_settings``, the rest of the environment is left as it is."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "API_EGRESS_IP_RANGES": value}
    probe = "import django; from django.conf import settings; django.setup(); print(','.join(settings.API_EGRESS_IP_RANGES))"
    return subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True)


def test_egress_ranges_setting_is_read_as_cidrs():
    result = _egress_setting("203.0.113.0/24, 198.51.100.7,2001:db8::/32")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "203.0.113.0/24,198.51.100.7/32,2001:db8::/32"


def test_malformed_egress_ranges_setting_stops_the_process():
    result = _egress_setting("203.0.113.0/24,not-an-address")
    assert result.returncode != 0 and "API_EGRESS_IP_RANGES" in result.stderr
