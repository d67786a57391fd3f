"""Settings come from the environment; check the parsing in a fresh interpreter each time."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.environment import VARIABLES

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


def _environment(tmp_path, **env) -> dict[str, str]:
    """This process's environment without any variable the settings read (the machine
    running the tests may set some), plus ``env``."""
    clean = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    return {**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path / "var"), **env}


def _run(code: str, tmp_path, **env) -> subprocess.CompletedProcess:
    environment = _environment(tmp_path, **env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True)


def _settings(tmp_path, **env):
    result = _run(PROBE, tmp_path, **env)
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


def _read(tmp_path, expression: str, **env):
    probe = f"import json; from django.conf import settings; print(json.dumps({expression}, default=str))"
    result = _run(probe, tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_database_urls_query_options_are_typed_and_put_where_django_reads_them(tmp_path):
    database = _read(
        tmp_path, "settings.DATABASES['default']", API_ACCELERATION="false",
        DATABASE_URL="postgres://app@db.internal/incidents?sslmode=verify-full&connect_timeout=5&application_name=incidents"
                     "&conn_max_age=0&disable_server_side_cursors=true&PREPARE_THRESHOLD=none",
    )
    assert database["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": None, "sslmode": "verify-full",
                                   "connect_timeout": 5, "application_name": "incidents"}
    assert (database["CONN_MAX_AGE"], database["DISABLE_SERVER_SIDE_CURSORS"], database["CONN_HEALTH_CHECKS"]) == (0, True, True)


def test_conn_max_age_applies_to_postgresql_only(tmp_path):
    assert _read(tmp_path, "settings.DATABASES['default']['CONN_MAX_AGE']", CONN_MAX_AGE="5",
                 DATABASE_URL="postgres://app@db.internal/incidents") == 5
    assert _read(tmp_path, "settings.DATABASES['default'].get('CONN_MAX_AGE')", CONN_MAX_AGE="5") is None


EMAIL = (
    "[settings.EMAIL_BACKEND.rsplit('.', 2)[1], settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER, "
    "settings.EMAIL_HOST_PASSWORD, settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL, settings.EMAIL_FILE_PATH, settings.EMAIL_TIMEOUT]"
)


@pytest.mark.parametrize("url, timeout, expected", [
    ("smtp+tls://mailer:pw@smtp.example.com:587", "30", ["smtp", "smtp.example.com", 587, "mailer", "pw", True, False, None, 30]),
    ("smtp+ssl://smtp.example.com", "5", ["smtp", "smtp.example.com", 465, "", "", False, True, None, 5]),
    ("smtp://127.0.0.1:8025?email_use_tls=true", "30", ["smtp", "127.0.0.1", 8025, "", "", True, False, None, 30]),
    ("smtp://smtp.example.com", "30", ["smtp", "smtp.example.com", 25, "", "", False, False, None, 30]),
    ("consolemail://", "30", ["console", "localhost", 25, "", "", False, False, None, 30]),
])
def test_the_mail_settings_are_assigned_by_name(tmp_path, url, timeout, expected):
    assert _read(tmp_path, EMAIL, EMAIL_URL=url, EMAIL_TIMEOUT=timeout) == expected


def test_filemail_writes_under_var_or_under_the_checkout(tmp_path):
    assert _read(tmp_path, "settings.EMAIL_FILE_PATH") == str(tmp_path / "var" / "mail")
    assert _read(tmp_path, "settings.EMAIL_FILE_PATH", EMAIL_URL="filemail:///some/dir") == str(ROOT / "some" / "dir")


def test_the_mail_url_adds_no_other_setting(tmp_path):
    # vars().update() used to add whatever the URL parser returned, OPTIONS among them.
    assert _read(tmp_path, "hasattr(settings, 'OPTIONS')", EMAIL_URL="smtp://smtp.example.com") is False


def test_the_cache_urls_options_are_typed(tmp_path):
    cache = _read(tmp_path, "settings.CACHES['default']", CACHE_URL="locmemcache://?max_entries=500&cull_frequency=0&timeout=60")
    assert (cache["OPTIONS"], cache["TIMEOUT"]) == ({"MAX_ENTRIES": 500, "CULL_FREQUENCY": 0}, 60)


def test_the_broker_url_may_list_failovers(tmp_path):
    url = "redis://a.internal:6379/0;redis://b.internal:6379/0"
    assert _read(tmp_path, "settings.CELERY_BROKER_URL", CELERY_BROKER_URL=url) == url


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


# What stops the process at start-up: (variable, value, words its message has besides the
# variable's name), and the other variables the case needs.
REFUSALS = [
    ("DEBUG", "sometimes", "true or false"),
    ("VAR_DIR", "/dev/null/var", "cannot be created"),
    ("VAR_DIR", "", "must not be empty"),
    ("SITE_URL", "incidents.example.com", "absolute http:// or https:// URL"),
    ("SITE_URL", "ftp://incidents.example.com", "http:// or https://"),
    ("SITE_URL", "https://", "absolute"),
    ("SITE_URL", "https://incidents.example.com/?from=mail", "no user, query or fragment"),
    ("SITE_URL", "https://incidents.example.com:https", "Port"),
    ("TIME_ZONE", "Mars/Olympus_Mons", "not a time zone"),
    ("TIME_ZONE", "", "not a time zone"),
    ("STATIC_ROOT", " ", "must not be empty"),
    ("DATABASE_URL", "nosuchdb://x", "scheme 'nosuchdb' is not one of sqlite://, postgres://"),
    ("DATABASE_URL", "mysql://app@db.internal/incidents", "is not one of"),
    ("DATABASE_URL", "db.sqlite3", "no scheme"),
    ("DATABASE_URL", "postgres://app@db.internal/incidents?server_side_bindng=false",
     "unknown query option 'server_side_bindng' for postgres:// (known: server_side_binding, prepare_threshold, sslmode"),
    ("DATABASE_URL", "postgres://app@db.internal/incidents?server_side_binding=maybe",
     "server_side_binding='maybe' must be true or false"),
    ("DATABASE_URL", "postgres://app@db.internal/incidents?prepare_threshold=often",
     "prepare_threshold='often' must be a whole number"),
    ("DATABASE_URL", "postgres://app@db.internal/incidents?prepare_threshold=-1", "at least 0"),
    ("DATABASE_URL", "postgres://app@db.internal/incidents?prepare_threshold=1&prepare_threshold=2", "given twice"),
    ("DATABASE_URL", "postgres://app@db.internal/incidents?sslmode=required", "must be disable, allow, prefer, require"),
    ("DATABASE_URL", "postgres://app@db.internal/incidents?conn_max_age=-5", "at least 0"),
    ("DATABASE_URL", "postgres://app@db.internal/incidents?atomic_requests=true", "unknown query option 'atomic_requests'"),
    ("DATABASE_URL", "postgres://app@db.internal:five/incidents", "port that is no number"),
    ("DATABASE_URL", "postgres://app:pass/word@db.internal/incidents", "port that is no number"),
    ("DATABASE_URL", "postgres://ap/p@db.internal/incidents", "an '@' after its host"),
    ("DATABASE_URL", "postgres://app@db.internal", "names no database"),
    ("DATABASE_URL", "postgres://app:pass#word@db.internal/incidents", "percent-encode"),
    ("DATABASE_URL", "sqlite:////srv/incidents/db.sqlite3?timeout=5",
     "unknown query option 'timeout' for sqlite:// (known: none)"),
    ("CONN_MAX_AGE", "-1", "at least 0"),
    ("CONN_MAX_AGE", "forever", "whole number"),
    ("CACHE_URL", "carrier-pigeon://coop", "scheme 'carrier-pigeon' is not one of filecache://"),
    ("CACHE_URL", "memcache://cache.internal:11211", "is not one of"),
    ("CACHE_URL", "redis://cache.internal:6379/1?socket_timout=1", "unknown query option 'socket_timout' for redis://"),
    ("CACHE_URL", "redis://cache.internal:6379/1?socket_timeout=0", "socket_timeout='0' must be more than 0"),
    ("CACHE_URL", "redis://cache.internal:6379/1?breaker_failures=none", "must be a whole number"),
    ("CACHE_URL", "redis://", "names no server"),
    ("CACHE_URL", "filecache://", "names no folder"),
    ("CACHE_URL", "locmemcache://?max_entries=0", "at least 1"),
    ("CACHE_CONNECT_TIMEOUT", "0", "more than 0"),
    ("CACHE_READ_TIMEOUT", "soon", "must be a number"),
    ("CACHE_READ_TIMEOUT", "-0.5", "more than 0"),
    ("CACHE_READ_TIMEOUT", "nan", "more than 0"),
    ("CACHE_BREAKER_FAILURES", "0", "at least 1"),
    ("CACHE_BREAKER_RESET_SECONDS", "0", "more than 0"),
    ("CELERY_BROKER_URL", "carrier-pigeon://coop", "scheme 'carrier-pigeon' is not one of filesystem://, redis://"),
    ("CELERY_BROKER_URL", "redis://a.internal;kafka://b.internal", "scheme 'kafka'"),
    ("CELERY_TASK_ALWAYS_EAGER", "perhaps", "true or false"),
    ("EMAIL_URL", "carrier-pigeon://coop", "scheme 'carrier-pigeon' is not one of smtp://"),
    ("EMAIL_URL", "smtp://", "names no server"),
    ("EMAIL_URL", "smtp://smtp.example.com:twenty-five", "port that is no number"),
    ("EMAIL_URL", "smtp://smtp.example.com?timeout=5",
     "unknown query option 'timeout' for smtp:// (known: email_use_tls, email_use_ssl)"),
    ("EMAIL_URL", "smtp+tls://smtp.example.com:587?email_use_ssl=true", "both STARTTLS and implicit TLS"),
    ("EMAIL_URL", "smtp+tls://smtp.example.com?email_use_tls=maybe", "true or false"),
    ("EMAIL_URL", "smtp://smtp.example.com/outbox", "has a path"),
    ("EMAIL_URL", "filemail://var/mail", "has a host"),
    ("EMAIL_URL", "consolemail:///var/mail", "has a path"),
    ("EMAIL_TIMEOUT", "0", "at least 1"),
    ("DEFAULT_FROM_EMAIL", "nope", "not an email address"),
    ("DEFAULT_FROM_EMAIL", "Status status@example.com", "not an email address"),
    ("DEFAULT_FROM_EMAIL", "status@example.com, ops@example.com", "not an email address"),
    ("DEFAULT_FROM_EMAIL", "", "not an email address"),
    ("SECRET_KEY", "django-insecure-" + "a" * 50, "must not be a published development key unless DEBUG is on"),
    ("REQUIRE_SECRET_KEY", "true", "SECRET_KEY must be set"),
    ("ALLOWED_HOSTS", "", "must not be empty while DEBUG is off"),
    ("ALLOWED_HOSTS", "https://incidents.example.com", "not a host name"),
    ("ALLOWED_HOSTS", "incidents.example.com:8000", "not a host name"),
    ("ALLOWED_HOSTS", "*.example.com", "not a host name"),
    ("CSRF_TRUSTED_ORIGINS", "incidents.example.com", "not an origin"),
    ("CSRF_TRUSTED_ORIGINS", "https://incidents.example.com/", "not an origin"),
    ("BEHIND_TLS_PROXY", "y", "true or false"),
    ("SECURE_COOKIES", "maybe", "true or false"),
    ("SECURE_SSL_REDIRECT", "sure", "true or false"),
    ("SECURE_HSTS_SECONDS", "-1", "at least 0"),
    ("SECURE_HSTS_INCLUDE_SUBDOMAINS", "sure", "true or false"),
    ("SECURE_HSTS_PRELOAD", "sure", "true or false"),
    ("TRUSTED_PROXY_COUNT", "-1", "at least 0"),
    ("LOGIN_FAILURE_LIMIT", "0", "at least 1"),
    ("LOGIN_FAILURE_LIMIT_PER_IP", "0", "at least 1"),
    ("LOGIN_COOLOFF_MINUTES", "0", "at least 1"),
    ("OIDC_ISSUER", "sso.example.com", "absolute https:// URL"),
    ("OIDC_ISSUER", "https://sso.example.com/realms/staff?x=1", "absolute https:// URL"),
    ("OIDC_ISSUER", "https://sso.example.com", "otherwise everyone at the provider could sign in"),
    ("OIDC_SCOPES", "email profile", "must include openid"),
    ("OIDC_SIGN_ALGORITHM", "HS256", "ES384 or ES512"),
    ("OIDC_ALLOWED_EMAIL_DOMAINS", "example.com,@example.org", "'@example.org' is not a domain name"),
    ("OIDC_DOMAIN_GROUP", "admins", "viewers, responders or managers"),
    ("ADMIN_PASSWORD_LOGIN", "off", "cannot be off without OIDC_ISSUER"),
    ("ADMIN_PASSWORD_LOGIN", "some", "all, superusers or off"),
    ("API_RATE_LIMIT_PER_MINUTE", "lots", "whole number"),
    ("API_RATE_LIMIT_PER_MINUTE", "-1", "at least 0"),
    ("API_AUTH_FAILURES_PER_MINUTE", "-60", "at least 0"),
    ("API_ACCELERATION", "sometimes", "true or false"),
    ("API_LIST_PAGE_CACHE_MB", "-1", "at least 0"),
    ("API_EGRESS_IP_RANGES", "203.0.113.0/24,not-an-address", "does not appear to be"),
    ("MAX_REQUEST_BODY_MB", "big", "must be a number"),
    ("MAX_REQUEST_BODY_MB", "0", "more than 0"),
    ("SUBSCRIBE_REQUESTS_PER_HOUR", "-1", "at least 0"),
    ("SUBSCRIBE_EMAILS_PER_HOUR", "some", "whole number"),
    ("NOTIFICATIONS_FROM_EMAIL", "status at example.com", "not an email address"),
    ("NOTIFICATIONS_REPLY_TO", "support@example.com,nobody", "'nobody' is not an email address"),
    ("NOTIFICATIONS_MESSAGE_ID_DOMAIN", "example.com>", "not a domain name"),
    ("NOTIFICATIONS_BATCH_SIZE", "0", "at least 1"),
    ("NOTIFICATIONS_CLAIM_SECONDS", "0", "at least 1"),
    ("NOTIFICATIONS_SWEEP_SECONDS", "-5", "at least 1"),
    ("NOTIFICATIONS_RETRY_BASE_SECONDS", "0", "at least 1"),
    ("NOTIFICATIONS_RETRY_MAX_SECONDS", "10", "at least NOTIFICATIONS_RETRY_BASE_SECONDS"),
    ("NOTIFICATIONS_MAX_RETRIES", "-1", "at least 0"),
    ("STATUSPAGES_PAST_INCIDENT_DAYS", "-1", "at least 0"),
    ("STATUSPAGES_PAST_INCIDENT_DAYS", "two weeks", "whole number"),
    ("STATUSPAGES_EXPORT_DIR", "var/exports", "must be an absolute path"),
    ("STATUSPAGES_EXPORT_DELAY", "-1", "at least 0"),
    ("STATUSPAGES_CACHE_MAX_AGE", "ten", "whole number"),
    ("STATUSPAGES_CACHE_S_MAXAGE", "-30", "at least 0"),
    ("STATUSPAGES_CACHE_STALE_WHILE_REVALIDATE", "-1", "at least 0"),
    ("STATUSPAGES_CACHE_STALE_IF_ERROR", "a day", "whole number"),
    ("NOTIFICATIONS_SUPPRESS_AFTER_BOUNCES", "0", "at least 1"),
    ("WEBHOOK_TIMEOUT_SECONDS", "0", "more than 0"),
    ("WEBHOOK_ROTATION_GRACE_HOURS", "-1", "at least 0"),
    ("WEBHOOK_RETRY_SCALE", "none", "must be a number"),
    ("WEBHOOK_DISABLE_AFTER_FAILURES", "0", "at least 1"),
    ("WEBHOOK_DISABLE_AFTER_HOURS", "soon", "must be a number"),
    ("WEBHOOK_ALLOWED_HOSTS", "http://hooks.example.com", "is not a host name"),
    ("ALERTS_PAYLOAD_MAX_KB", "0", "at least 1"),
    ("ALERTS_EVENT_RETENTION_DAYS", "forever", "whole number"),
    ("ALERTS_HEARTBEAT_CHECK_SECONDS", "0", "at least 1"),
    ("AUDIT_LOG_RETENTION_DAYS", "0", "at least 1"),
    ("LOG_LEVEL", "loud", "DEBUG, INFO, WARNING, ERROR or CRITICAL"),
    ("LOG_FORMAT", "xml", "text or json"),
]
START = "from django.conf import settings; settings.INSTALLED_APPS"


def _start(tmp_path, **env) -> subprocess.CompletedProcess:
    """A fresh interpreter that reads the settings, as every process does when it starts."""
    return _run(START, tmp_path, **env)


@pytest.mark.parametrize("variable, value, words", REFUSALS)
def test_a_value_the_settings_cannot_use_stops_the_process_naming_it(tmp_path, variable, value, words):
    result = _start(tmp_path, **{variable: value})
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith(f"django.core.exceptions.ImproperlyConfigured: {variable}"), result.stderr
    assert words in message


def test_every_declared_variable_has_a_refusal_or_takes_any_text():
    refused = {variable for variable, _, _ in REFUSALS}
    assert {name for name, v in VARIABLES.items() if v.kind.accepts != "text"} <= refused


def test_a_refusal_never_repeats_a_secret(tmp_path):
    result = _start(tmp_path, SECRET_KEY="django-insecure-do-not-print-me")
    assert result.returncode != 0 and "do-not-print-me" not in result.stderr and "SECRET_KEY=(hidden)" in result.stderr


@pytest.mark.parametrize("variable, url, shown", [
    ("DATABASE_URL", "postgres://app:s3cret-pw@db.internal/incidents?bogus=1",
     "postgres://app:(hidden)@db.internal/incidents?bogus=1"),
    # an unencoded "#" or "/" ends urlsplit's netloc inside the password
    ("DATABASE_URL", "postgres://app:s3cret#pw@db.internal/incidents", "postgres://app:(hidden)@db.internal/incidents"),
    ("CACHE_URL", "redis://:s3cret/pw@cache.internal:6379/1?bogus=1", "redis://:(hidden)@cache.internal:6379/1?bogus=1"),
    ("EMAIL_URL", "smtp://mailer:s3cret/pw@smtp.example.com", "smtp://mailer:(hidden)@smtp.example.com"),
    ("CELERY_BROKER_URL", "redis://:s3cret-pw@a.internal;kafka://app:s3cret-pw@b.internal",
     "redis://:(hidden)@a.internal;kafka://app:(hidden)@b.internal"),
])
def test_a_refusal_never_repeats_a_urls_password(tmp_path, variable, url, shown):
    result = _start(tmp_path, **{variable: url})
    assert result.returncode != 0 and "s3cret" not in result.stderr
    assert f"{variable}={shown!r}" in result.stderr


def test_a_rule_names_the_default_it_checked(tmp_path):
    result = _start(tmp_path, NOTIFICATIONS_RETRY_BASE_SECONDS="7200")
    message = "NOTIFICATIONS_RETRY_MAX_SECONDS (unset, so '3600'): must be at least NOTIFICATIONS_RETRY_BASE_SECONDS"
    assert message in result.stderr


def test_values_are_read_leniently_where_the_meaning_is_plain(tmp_path):
    read = _read(
        tmp_path, "[settings.SITE_URL, settings.ALLOWED_HOSTS, settings.LOGGING['root']['level'], settings.LOG_FORMAT, "
                  "settings.NOTIFICATIONS_REPLY_TO, settings.DEBUG]",
        SITE_URL="https://incidents.example.com/", ALLOWED_HOSTS="incidents.example.com, .example.org", LOG_LEVEL="warning",
        LOG_FORMAT="JSON", NOTIFICATIONS_REPLY_TO="Support <support@example.com>, ops@example.com", DEBUG="",
    )
    assert read == [
        "https://incidents.example.com", ["incidents.example.com", ".example.org"], "WARNING", "json",
        ["Support <support@example.com>", "ops@example.com"], False,
    ]


def test_no_allowed_hosts_is_fine_with_debug_on(tmp_path):
    # Django then answers localhost only, which is what a developer runs.
    assert _start(tmp_path, ALLOWED_HOSTS="", DEBUG="true").returncode == 0


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
