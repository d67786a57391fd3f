"""Settings, read from the environment through django-environ.

Every variable has an embedded default under ``var/`` that works on a fresh machine
(SQLite, a filesystem Celery broker, mail written to files); production sets
DATABASE_URL, CELERY_BROKER_URL, CACHE_URL and EMAIL_URL (see docs/configuration.md).

Every variable is declared once in config/environment/variables.py and read here
through ``load()``, which parses and checks all of them at import: a malformed or
out-of-range value stops the process at start-up, naming the variable, rather than
failing at first use.
"""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE, NONE, SELF

from config.environment import load, refusal
from config.secret_key import generated_secret_key
from config.sign_in import sign_in_settings
from core.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
env = load()

VAR_DIR = env["VAR_DIR"]
try:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
except OSError as exc:
    raise refusal("VAR_DIR", str(VAR_DIR), f"cannot be created ({exc.strerror})") from None
DEBUG = env["DEBUG"]
# Unset, the key is made at random once and kept in var/secret_key (0600), so every
# process on this machine agrees; several machines must share one SECRET_KEY
# (REQUIRE_SECRET_KEY=true refuses to start without it). A public key never runs with
# DEBUG off (config/environment/variables.py refuses both).
SECRET_KEY = env["SECRET_KEY"] or generated_secret_key(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env["ALLOWED_HOSTS"]
CSRF_TRUSTED_ORIGINS = env["CSRF_TRUSTED_ORIGINS"]
SITE_URL = env["SITE_URL"]

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
    # The audit log (docs/audit-log.md): django-auditlog writes audit.AuditEntry.
    "auditlog",
    "core",
    "incidents",
    "statuspages",
    "alerts",
    "notifications",
    "audit",
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
    # Changes made in this request are audited as its user (the API narrows it to its key).
    "core.audit.AuditContextMiddleware",
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

DATABASES = {"default": env["DATABASE_URL"]}
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
    DATABASES["default"].setdefault("CONN_MAX_AGE", env["CONN_MAX_AGE"])
    # A kept connection is checked before each request reuses it, so one the server closed
    # while idle (a restart, pg_terminate_backend) is replaced, not failed on. Django's
    # test client skips the check; tests/config/test_database.py serves through WSGI.
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
# PostgreSQL's OPTIONS (server-side binding, statements prepared after five runs) come
# typed from DATABASE_URL's query options, declared in config/environment/urls.py.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # The file cache is shared by every process on one machine (the rate limiter needs
    # that); production points CACHE_URL at Redis.
    "default": env["CACHE_URL"],
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Redis is only an accelerator: short timeouts, and a circuit breaker that stops trying
    # it for a while after failures, so a Redis down or hung costs milliseconds, not
    # seconds (core/cache.py). Options in CACHE_URL's query string win.
    CACHES["default"]["BACKEND"] = "core.cache.ResilientRedisCache"
    for _option, _value in {
        "socket_connect_timeout": env["CACHE_CONNECT_TIMEOUT"],
        "socket_timeout": env["CACHE_READ_TIMEOUT"],
        "breaker_failures": env["CACHE_BREAKER_FAILURES"],
        "breaker_reset_seconds": env["CACHE_BREAKER_RESET_SECONDS"],
    }.items():
        CACHES["default"].setdefault("OPTIONS", {}).setdefault(_option, _value)

# Everything the site does only for speed is one backend, named by ACCELERATION_BACKEND
# (core/acceleration.py). API_ACCELERATION picks the accelerated one (on by default, since
# it serves the same answers faster) or the plain one (every request takes Django's and
# DRF's ordinary path). The accelerated backend wants its own cache backend on Redis and
# database engine on PostgreSQL (its class, core/accel/backend.py, says why): set here.
API_ACCELERATION = env["API_ACCELERATION"]
ACCELERATION_BACKEND = "core.accel.backend.Accelerated" if API_ACCELERATION else "core.acceleration.Acceleration"
# The memory each web process gives to the latest body of each list query (accelerated).
API_LIST_PAGE_CACHE_MB = env["API_LIST_PAGE_CACHE_MB"]
if ACCELERATION_BACKEND == "core.accel.backend.Accelerated":
    if CACHES["default"]["BACKEND"] == "core.cache.ResilientRedisCache":
        CACHES["default"]["BACKEND"] = "core.accel.redis.AcceleratedRedisCache"
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "core.accel.postgresql"

_mail = env["EMAIL_URL"]
EMAIL_BACKEND = _mail["EMAIL_BACKEND"]
EMAIL_HOST = _mail["EMAIL_HOST"]
EMAIL_PORT = _mail["EMAIL_PORT"]
EMAIL_HOST_USER = _mail["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _mail["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _mail["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _mail["EMAIL_USE_SSL"]
# filemail:/// (the default) writes each message as a file under var/mail, readable
# locally; filemail:///some/dir picks the folder (relative to the project).
EMAIL_FILE_PATH = None
if EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    EMAIL_FILE_PATH = str(BASE_DIR / _mail["EMAIL_FILE_PATH"] if _mail["EMAIL_FILE_PATH"] else VAR_DIR / "mail")
# A mail server that stops answering must not hold a worker (and its claimed rows) forever.
EMAIL_TIMEOUT = env["EMAIL_TIMEOUT"]
DEFAULT_FROM_EMAIL = env["DEFAULT_FROM_EMAIL"]
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Emails to status page subscribers (notifications/services/delivery.py).
NOTIFICATIONS_FROM_EMAIL = env["NOTIFICATIONS_FROM_EMAIL"]
NOTIFICATIONS_REPLY_TO = env["NOTIFICATIONS_REPLY_TO"]
#: the right-hand side of the emails' Message-IDs (blank: SITE_URL's host)
NOTIFICATIONS_MESSAGE_ID_DOMAIN = env["NOTIFICATIONS_MESSAGE_ID_DOMAIN"]
#: subscribers per batch task: one rendering and one SMTP connection each
NOTIFICATIONS_BATCH_SIZE = env["NOTIFICATIONS_BATCH_SIZE"]
#: how long a batch holds the rows it claimed; a dead worker's rows are claimable after it
NOTIFICATIONS_CLAIM_SECONDS = env["NOTIFICATIONS_CLAIM_SECONDS"]
#: how often the sweep re-enqueues what the broker lost (and how old that must be)
NOTIFICATIONS_SWEEP_SECONDS = env["NOTIFICATIONS_SWEEP_SECONDS"]
#: temporary SMTP failures: backoff doubles from BASE up to MAX, for MAX_RETRIES task
#: retries; the sweep keeps trying after that, so nothing is dropped
NOTIFICATIONS_RETRY_BASE_SECONDS = env["NOTIFICATIONS_RETRY_BASE_SECONDS"]
NOTIFICATIONS_RETRY_MAX_SECONDS = env["NOTIFICATIONS_RETRY_MAX_SECONDS"]
NOTIFICATIONS_MAX_RETRIES = env["NOTIFICATIONS_MAX_RETRIES"]
#: permanent refusals (5xx) in a row after which an address is suppressed
NOTIFICATIONS_SUPPRESS_AFTER_BOUNCES = env["NOTIFICATIONS_SUPPRESS_AFTER_BOUNCES"]
#: webhooks (docs/webhooks.md): how long a receiver has to answer, and how long a rotated
#: secret keeps signing beside the new one
WEBHOOK_TIMEOUT_SECONDS = env["WEBHOOK_TIMEOUT_SECONDS"]
WEBHOOK_ROTATION_GRACE_HOURS = env["WEBHOOK_ROTATION_GRACE_HOURS"]
#: hosts a webhook may reach although they resolve to loopback or private addresses
WEBHOOK_ALLOWED_HOSTS = env["WEBHOOK_ALLOWED_HOSTS"]
WEBHOOK_DISABLE_AFTER_FAILURES = env["WEBHOOK_DISABLE_AFTER_FAILURES"]
WEBHOOK_DISABLE_AFTER_HOURS = env["WEBHOOK_DISABLE_AFTER_HOURS"]
#: Standard Webhooks' schedule: the attempts' offsets (seconds) from the event, each with
#: ±10% jitter: at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h
WEBHOOK_RETRY_SCHEDULE = tuple(
    offset * env["WEBHOOK_RETRY_SCALE"] for offset in (0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)
)

# Alerts in (alerts/services/events.py): the raw copy of each event kept for the admin.
ALERTS_PAYLOAD_MAX_KB = env["ALERTS_PAYLOAD_MAX_KB"]
ALERTS_EVENT_RETENTION_DAYS = env["ALERTS_EVENT_RETENTION_DAYS"]
ALERTS_HEARTBEAT_CHECK_SECONDS = env["ALERTS_HEARTBEAT_CHECK_SECONDS"]

CELERY_BROKER_URL = env["CELERY_BROKER_URL"]
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
CELERY_TASK_ALWAYS_EAGER = env["CELERY_TASK_ALWAYS_EAGER"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic work, run by `celery -A config beat` (or a worker started with --beat, as the
# quick start does); its schedule state lives under var/.
CELERY_BEAT_SCHEDULE = {
    "advance-maintenance": {"task": "statuspages.tasks.advance_maintenance", "schedule": 60.0},
    "purge-alert-events": {"task": "alerts.tasks.purge_alert_events", "schedule": 3600.0},
    # Exports a page missed (a lost message) or that the day rolled over (no-op unless
    # STATUSPAGES_EXPORT_DIR is set).
    "sweep-exports": {"task": "statuspages.tasks.sweep_exports", "schedule": 300.0},
    "check-heartbeats": {"task": "alerts.tasks.check_heartbeats", "schedule": float(ALERTS_HEARTBEAT_CHECK_SECONDS)},
    "purge-audit-log": {"task": "audit.tasks.purge_audit_log", "schedule": 3600.0},
    "sweep-notifications": {"task": "notifications.tasks.delivery.sweep_notifications", "schedule": float(NOTIFICATIONS_SWEEP_SECONDS)},
}
# The audit log (docs/audit-log.md): django-auditlog writes our entry model, with typed
# JSON before/after values; entries older than AUDIT_LOG_RETENTION_DAYS are purged hourly.
AUDITLOG_LOGENTRY_MODEL = "audit.AuditEntry"
# django-auditlog's own migrations create its entry table whether or not it is swapped
# out: an unused table whose foreign key to users breaks PostgreSQL's TRUNCATE (flush).
MIGRATION_MODULES = {"auditlog": None}
AUDITLOG_STORE_JSON_CHANGES = True
AUDIT_LOG_RETENTION_DAYS = env["AUDIT_LOG_RETENTION_DAYS"]
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# The languages the public status site ships complete catalogues for
# (statuspages/locale, notifications/locale; docs/status-pages.md): a reader gets the one
# their cookie or Accept-Language names, else the page's default. The admin stays English.
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ja", "日本語"),
]
TIME_ZONE = env["TIME_ZONE"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = str(env["STATIC_ROOT"])

BEHIND_TLS_PROXY = env["BEHIND_TLS_PROXY"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env["SECURE_COOKIES"]
# Behind TLS, plain HTTP is redirected and browsers are told to use HTTPS only (HSTS, a
# year by default); SECURE_HSTS_SECONDS=0 turns HSTS off.
SECURE_SSL_REDIRECT = env["SECURE_SSL_REDIRECT"]
SECURE_HSTS_SECONDS = env["SECURE_HSTS_SECONDS"]
SECURE_HSTS_INCLUDE_SUBDOMAINS = env["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
SECURE_HSTS_PRELOAD = env["SECURE_HSTS_PRELOAD"]

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
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ADMIN_PASSWORD_LOGIN: all staff, superusers only (break-glass), or nobody.
    "core.sign_in.backends.PasswordBackend",
    # The company's identity provider (core/sign_in/), inert while OIDC_ISSUER is empty.
    "core.sign_in.backends.ProviderBackend",
]
LOGIN_FAILURE_LIMIT = env["LOGIN_FAILURE_LIMIT"]
LOGIN_FAILURE_LIMIT_PER_IP = env["LOGIN_FAILURE_LIMIT_PER_IP"]
# How many proxies of ours append to X-Forwarded-For before a request reaches us: the
# client's address is the entry the outermost one wrote (core/net.py), for every limit.
TRUSTED_PROXY_COUNT = env["TRUSTED_PROXY_COUNT"]
AXES_HANDLER = "core.login_lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=env["LOGIN_COOLOFF_MINUTES"])
AXES_CLIENT_IP_CALLABLE = "core.login_lockout.client_ip"
AXES_VERBOSE = False  # no banner on every start; lockouts are still logged

# Signing in through the company's OpenID Connect provider (config/sign_in.py).
globals().update(sign_in_settings(env))

# API behaviour (see incidents/api).
# Requests per API key and minute: a bucket of core/ratelimit.py, as is each limit below
# (0 turns a limit off).
API_RATE_LIMIT_PER_MINUTE = env["API_RATE_LIMIT_PER_MINUTE"]
# Tokens that open no key, per client address and minute; past them, 429.
API_AUTH_FAILURES_PER_MINUTE = env["API_AUTH_FAILURES_PER_MINUTE"]
# The subscribe form's requests per client address and hour; past them, a 429 page.
SUBSCRIBE_REQUESTS_PER_HOUR = env["SUBSCRIBE_REQUESTS_PER_HOUR"]
# Confirmation (or reminder) emails per email address and status page and hour; past
# them, nothing is sent and the form answers as usual.
SUBSCRIBE_EMAILS_PER_HOUR = env["SUBSCRIBE_EMAILS_PER_HOUR"]

API_EGRESS_IP_RANGES = env["API_EGRESS_IP_RANGES"]

# The largest request body read (API bodies and forms alike); a larger one is refused with
# 413 on API paths, 400 elsewhere. Django's own default, 2.5 MiB, unless set.
MAX_REQUEST_BODY_MB = env["MAX_REQUEST_BODY_MB"]
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
        "IncidentV1StatusEnum": "incidents.api.v1.serializers.incidents.V1_STATUSES",
        "IncidentsCreatePayloadV1ModeEnum": "incidents.api.v1.serializers.incidents.V1_CREATE_MODES",
        "IncidentModeEnum": "incidents.models.Mode.values",
        "AlertStatusEnum": "alerts.models.AlertStatus",
        # Follow-ups' and actions' statuses are the same four strings.
        "FollowUpStatusEnum": "incidents.models.FollowUpStatus.values",
        "ExternalIssueProviderEnum": "incidents.models.ExternalIssueProvider.values",
        "ExternalIssueProviderV2Enum": "incidents.api.v2.serializers.follow_ups.PROVIDERS",
    },
    # Shapes we build as plain dicts (incidents, updates, people) are documented with
    # incident.io's own components, added after the enums are named (incidents/api/openapi).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "incidents.api.openapi.add_vendor_components",
    ],
}

# Every line carries the request's id (X-Request-Id, an error body's request_id) or the
# Celery task's (core/logs.py); LOG_FORMAT=json writes one JSON object a line.
LOG_FORMAT = env["LOG_FORMAT"]
LOGGING = logging_config(level=env["LOG_LEVEL"], json=LOG_FORMAT == "json")

# The status page screens say how many subscribers an update would email; the counter is
# the notifications app's, which statuspages (the app below it) does not import.
STATUSPAGES_REACH_COUNTER = "notifications.selectors.count_reach"
# Days of past incidents on a page's front (today included).
STATUSPAGES_PAST_INCIDENT_DAYS = env["STATUSPAGES_PAST_INCIDENT_DAYS"]
# The public site written as plain files after each change (statuspages/export/), and the
# Cache-Control of its live responses (statuspages/views/serving.py): both keep a page up
# while the application is not.
STATUSPAGES_EXPORT_DIR = env["STATUSPAGES_EXPORT_DIR"]
STATUSPAGES_EXPORT_DELAY = env["STATUSPAGES_EXPORT_DELAY"]
STATUSPAGES_CACHE_MAX_AGE = env["STATUSPAGES_CACHE_MAX_AGE"]
STATUSPAGES_CACHE_S_MAXAGE = env["STATUSPAGES_CACHE_S_MAXAGE"]
STATUSPAGES_CACHE_STALE_WHILE_REVALIDATE = env["STATUSPAGES_CACHE_STALE_WHILE_REVALIDATE"]
STATUSPAGES_CACHE_STALE_IF_ERROR = env["STATUSPAGES_CACHE_STALE_IF_ERROR"]
