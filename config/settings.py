"""Settings, read from the environment through django-environ.

Every variable has an embedded default under ``var/`` that works on a fresh machine
(SQLite, a filesystem Celery broker, mail written to files); production sets
DATABASE_URL, CELERY_BROKER_URL, CACHE_URL and EMAIL_URL (see README.md).
Malformed values fail at start-up rather than at first use.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.secret_key import generated_secret_key, is_known_development_key
from core.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _flag(name: str, default: bool) -> bool:
    """A yes/no variable; anything but those words fails at start-up (django-environ's
    own bool reads a typo as "no")."""
    raw = env.str(name, default="").strip().lower()
    if not raw:
        return default
    if raw not in _TRUE + _FALSE:
        raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")
    return raw in _TRUE


DEBUG = _flag("DEBUG", False)
VAR_DIR.mkdir(parents=True, exist_ok=True)
# Unset, the key is made at random once and kept in var/secret_key (0600), so every
# process on this machine agrees; several machines must share one SECRET_KEY
# (REQUIRE_SECRET_KEY=true refuses to start without it). A public key never runs with DEBUG off.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if _flag("REQUIRE_SECRET_KEY", False):
        raise ImproperlyConfigured("SECRET_KEY must be set when REQUIRE_SECRET_KEY is on")
    SECRET_KEY = generated_secret_key(VAR_DIR / "secret_key")
if not DEBUG and is_known_development_key(SECRET_KEY):
    raise ImproperlyConfigured("SECRET_KEY is a published development key: set a random one (or DEBUG=true)")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Trigram index expressions (OpClass) on PostgreSQL; inert on SQLite.
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    # Swagger UI's files, served from our static files: production may have no CDN access.
    "drf_spectacular_sidecar",
    # CSV import and export of subscribers in the admin.
    "import_export",
    "axes",
    "core",
    "incidents",
    "statuspages",
    "notifications",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    # Before anything reads the request: NUL, which no id, filter or cursor can hold.
    "core.middleware.RefuseNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.csp.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Before the apps' templates: adds our favicon to the admin's and the API docs' pages,
        # and keeps Redoc from fetching fonts from the internet.
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    # A kept connection is checked before each request reuses it, so one the server closed
    # while idle (a restart, pg_terminate_backend) is replaced, not failed on. Django's
    # test client skips the check; tests/config/test_database.py serves through WSGI.
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound by the server, and statements run five times on a connection
    # prepared there (psycopg's prepare_threshold; Django turns it off by default): a
    # prepared primary-key lookup costs PostgreSQL less than half the CPU of a planned
    # one. Behind PgBouncer's transaction pooling (before 1.21), which cannot keep a
    # connection's prepared statements, set DATABASE_URL=postgres://...?prepare_threshold=none.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["server_side_binding"] = str(_options.get("server_side_binding", True)).lower() in _TRUE
    _threshold = str(_options.get("prepare_threshold", 5)).strip().lower()
    if _threshold in ("", "none", "off", "false"):
        _options["prepare_threshold"] = None
    elif _threshold.isdigit():
        _options["prepare_threshold"] = int(_threshold)
    else:
        raise ImproperlyConfigured(f"DATABASE_URL: prepare_threshold must be a number or none, not {_threshold!r}")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # The file cache is shared by every process on one machine (the rate limiter needs
    # that); production points CACHE_URL at Redis.
    "default": env.cache_url("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}"),
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Redis is only an accelerator: short timeouts, and a circuit breaker that stops trying
    # it for a while after failures, so a Redis down or hung costs milliseconds, not
    # seconds (core/cache.py). Options in CACHE_URL's query string win.
    CACHES["default"]["BACKEND"] = "core.cache.ResilientRedisCache"
    for _option, _value in {
        "socket_connect_timeout": env.float("CACHE_CONNECT_TIMEOUT", default=0.25),
        "socket_timeout": env.float("CACHE_READ_TIMEOUT", default=0.5),
        "breaker_failures": env.int("CACHE_BREAKER_FAILURES", default=3),
        "breaker_reset_seconds": env.float("CACHE_BREAKER_RESET_SECONDS", default=5.0),
    }.items():
        CACHES["default"].setdefault("OPTIONS", {}).setdefault(_option, _value)

# Everything the site does only for speed is one backend, named by ACCELERATION_BACKEND
# (core/acceleration.py). API_ACCELERATION picks the accelerated one (on by default, since
# it serves the same answers faster) or the plain one (every request takes Django's and
# DRF's ordinary path). The accelerated backend wants its own cache backend on Redis and
# database engine on PostgreSQL (its class, core/accel/backend.py, says why): set here.
API_ACCELERATION = _flag("API_ACCELERATION", True)
ACCELERATION_BACKEND = "core.accel.backend.Accelerated" if API_ACCELERATION else "core.acceleration.Acceleration"
# The memory each web process gives to the latest body of each list query (accelerated).
API_LIST_PAGE_CACHE_MB = env.int("API_LIST_PAGE_CACHE_MB", default=32)
if ACCELERATION_BACKEND == "core.accel.backend.Accelerated":
    if CACHES["default"]["BACKEND"] == "core.cache.ResilientRedisCache":
        CACHES["default"]["BACKEND"] = "core.accel.redis.AcceleratedRedisCache"
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "core.accel.postgresql"

# filemail:/// (the default) writes each message as a file under var/mail, readable
# locally; filemail:///some/dir picks the folder (relative to the project).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="filemail:///")
if EMAIL_CONFIG.get("EMAIL_BACKEND", "").endswith("filebased.EmailBackend"):
    _mail = EMAIL_CONFIG.get("EMAIL_FILE_PATH") or ""
    EMAIL_CONFIG["EMAIL_FILE_PATH"] = str(BASE_DIR / _mail if _mail else VAR_DIR / "mail")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Incident Tracker <incidents@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that stops answering must not hold a worker (and its claimed rows) forever.
EMAIL_TIMEOUT = EMAIL_CONFIG.get("EMAIL_TIMEOUT") or env.int("EMAIL_TIMEOUT", default=30)

# Emails to status page subscribers (notifications/services/delivery.py).
NOTIFICATIONS_FROM_EMAIL = env.str("NOTIFICATIONS_FROM_EMAIL", default=DEFAULT_FROM_EMAIL)
NOTIFICATIONS_REPLY_TO = env.list("NOTIFICATIONS_REPLY_TO", default=[])
#: the right-hand side of the emails' Message-IDs (blank: SITE_URL's host)
NOTIFICATIONS_MESSAGE_ID_DOMAIN = env.str("NOTIFICATIONS_MESSAGE_ID_DOMAIN", default="")
#: subscribers per batch task: one rendering and one SMTP connection each
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", default=200)
#: how long a batch holds the rows it claimed; a dead worker's rows are claimable after it
NOTIFICATIONS_CLAIM_SECONDS = env.int("NOTIFICATIONS_CLAIM_SECONDS", default=300)
#: how often the sweep re-enqueues what the broker lost (and how old that must be)
NOTIFICATIONS_SWEEP_SECONDS = env.int("NOTIFICATIONS_SWEEP_SECONDS", default=60)
#: temporary SMTP failures: backoff doubles from BASE up to MAX, for MAX_RETRIES task
#: retries; the sweep keeps trying after that, so nothing is dropped
NOTIFICATIONS_RETRY_BASE_SECONDS = env.int("NOTIFICATIONS_RETRY_BASE_SECONDS", default=30)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.int("NOTIFICATIONS_RETRY_MAX_SECONDS", default=3600)
NOTIFICATIONS_MAX_RETRIES = env.int("NOTIFICATIONS_MAX_RETRIES", default=10)
#: permanent refusals (5xx) in a row after which an address is suppressed
NOTIFICATIONS_SUPPRESS_AFTER_BOUNCES = env.int("NOTIFICATIONS_SUPPRESS_AFTER_BOUNCES", default=3)
for _name in ("BATCH_SIZE", "CLAIM_SECONDS", "SWEEP_SECONDS", "RETRY_BASE_SECONDS", "RETRY_MAX_SECONDS", "SUPPRESS_AFTER_BOUNCES"):
    if vars()[f"NOTIFICATIONS_{_name}"] < 1:
        raise ImproperlyConfigured(f"NOTIFICATIONS_{_name} must be at least 1")

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's filesystem transport: an embedded broker that needs no server.
    _queue = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    for _folder in (_queue, VAR_DIR / "celery" / "control"):
        _folder.mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = _flag("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic work, run by `celery -A config beat` (or a worker started with --beat, as the
# quick start does); its schedule state lives under var/.
CELERY_BEAT_SCHEDULE = {
    "advance-maintenance": {"task": "statuspages.tasks.advance_maintenance", "schedule": 60.0},
    "sweep-notifications": {"task": "notifications.tasks.delivery.sweep_notifications", "schedule": float(NOTIFICATIONS_SWEEP_SECONDS)},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "static"))

BEHIND_TLS_PROXY = _flag("BEHIND_TLS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _flag("SECURE_COOKIES", BEHIND_TLS_PROXY)
# Behind TLS, plain HTTP is redirected and browsers are told to use HTTPS only (HSTS, a
# year by default); SECURE_HSTS_SECONDS=0 turns HSTS off.
SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", BEHIND_TLS_PROXY)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if BEHIND_TLS_PROXY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _flag("SECURE_HSTS_PRELOAD", True)

# Content-Security-Policy (django-csp): pages run and style themselves only from our own
# static files; the few inline blocks carry the response's nonce (the API docs) or their
# hash (a status page's brand colours, statuspages/views/pages.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # data: for the admin's and Swagger UI's icons inlined in their stylesheets
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Failed logins (core/login_lockout.py): after LOGIN_FAILURE_LIMIT failures for one
# username from one address, or LOGIN_FAILURE_LIMIT_PER_IP from one address for any
# usernames, logins from there are refused (429, even with the right password) until
# LOGIN_COOLOFF_MINUTES pass without a failure; `manage.py axes_reset...` lifts it sooner.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_LIMIT_PER_IP = env.int("LOGIN_FAILURE_LIMIT_PER_IP", default=20)
if min(LOGIN_FAILURE_LIMIT, LOGIN_FAILURE_LIMIT_PER_IP) < 1:
    raise ImproperlyConfigured("LOGIN_FAILURE_LIMIT and LOGIN_FAILURE_LIMIT_PER_IP must be at least 1")
# How many proxies of ours append to X-Forwarded-For before a request reaches us.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if BEHIND_TLS_PROXY else 0)
AXES_HANDLER = "core.login_lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_CLIENT_IP_CALLABLE = "core.login_lockout.client_ip"
AXES_VERBOSE = False  # no banner on every start; lockouts are still logged

# API behaviour (see incidents/api).
API_RATE_LIMIT_PER_MINUTE = env.int("API_RATE_LIMIT_PER_MINUTE", default=1200)
# Tokens that open no key, per client address (REMOTE_ADDR) and minute; past them, 429.
API_AUTH_FAILURES_PER_MINUTE = env.int("API_AUTH_FAILURES_PER_MINUTE", default=60)


def _cidrs(values: list[str]) -> list[str]:
    # Normalised ("10.0.0.1" -> "10.0.0.1/32"), so /v1/ip_ranges always answers CIDRs.
    try:
        return [str(ipaddress.ip_network(value.strip(), strict=False)) for value in values if value.strip()]
    except ValueError as exc:
        raise ImproperlyConfigured(f"API_EGRESS_IP_RANGES: {exc}") from None


API_EGRESS_IP_RANGES = _cidrs(env.list("API_EGRESS_IP_RANGES", default=[]))

# The largest request body read (API bodies and forms alike); a larger one is refused with
# 413 on API paths, 400 elsewhere. Django's own default, 2.5 MiB, unless set.
MAX_REQUEST_BODY_MB = env.float("MAX_REQUEST_BODY_MB", default=2.5)
if MAX_REQUEST_BODY_MB <= 0:
    raise ImproperlyConfigured(f"MAX_REQUEST_BODY_MB must be more than 0, not {MAX_REQUEST_BODY_MB}")
DATA_UPLOAD_MAX_MEMORY_SIZE = int(MAX_REQUEST_BODY_MB * 2**20)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["core.api.renderers.FastJSONRenderer"],
    # orjson, within the body size limit below and a nesting limit (core/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "core.api.errors.api_exception_handler",
    # ISO 8601 with "Z": what incident.io's date-time fields look like.
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Incident Tracker API",
    "DESCRIPTION": "incident.io-compatible API of a self-hosted incident tracker.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": False,
    # Served at /v1/openapiV3.json (incident.io's path) and browsed at /api/docs/.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The system's fonts instead of Google's: the docs load nothing from outside.
    "REDOC_UI_SETTINGS": {
        "theme": {
            "typography": {
                "fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
                "headings": {"fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},
                "code": {"fontFamily": "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace"},
            }
        }
    },
    # validatorUrl: no badge fetched from swagger.io's online validator.
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True, "validatorUrl": None},
    # One name for a choice set several fields share (spectacular warns otherwise).
    "ENUM_NAME_OVERRIDES": {
        "APIKeyRoleNameEnum": "incidents.api.v1.serializers.api_keys.ROLE_NAMES",
        "UserSeatEnum": "incidents.api.v2.serializers.users.SEATS",
        "IncidentV1StatusEnum": "incidents.api.v1.serializers.incidents.V1_STATUSES",
        "IncidentV1ModeEnum": "incidents.api.v1.serializers.incidents.V1_MODES",
        "IncidentsCreatePayloadV1ModeEnum": "incidents.api.v1.serializers.incidents.V1_CREATE_MODES",
        "IncidentModeEnum": "incidents.models.Mode.values",
    },
}

# Every line carries the request's id (X-Request-Id, an error body's request_id) or the
# Celery task's (core/logs.py); LOG_FORMAT=json writes one JSON object a line.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = logging_config(level=env.str("LOG_LEVEL", default="INFO"), json=LOG_FORMAT == "json")

# The status page screens say how many subscribers an update would email; the counter is
# the notifications app's, which statuspages (the app below it) does not import.
STATUSPAGES_REACH_COUNTER = "notifications.selectors.count_reach"
