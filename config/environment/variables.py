"""The declarations: every environment variable the settings read, by topic."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config.environment.kinds import (
    Getter, Kind, address, addresses, choice, cidrs, domain, domains, flag, hosts, integer, issuer, number, optional_path,
    origins, path, site_url, text, time_zone, words,
)
from config.environment.urls import broker_url, cache_url, database_url, email_url
from config.secret_key import is_known_development_key

BASE_DIR = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Rule:
    """A condition on a variable's value that involves others (``holds(value, get)``)."""

    holds: Callable[[Any, Getter], bool]
    says: str


@dataclass(frozen=True)
class Variable:
    name: str
    kind: Kind
    #: as the environment would spell it, or made from other variables (``get(name)``)
    default: str | Callable[[Getter], str]
    means: str
    #: the table's default column where the default is made, or needs a word
    default_text: str = ""
    rule: Rule | None = None
    #: never repeated in a message
    secret: bool = False

    def __post_init__(self):
        if callable(self.default) and not self.default_text:
            raise TypeError(f"{self.name}: a default made from other variables needs default_text")


@dataclass(frozen=True)
class Topic:
    title: str
    intro: str
    variables: tuple[Variable, ...]


def _behind_tls(on: str, off: str) -> Callable[[Getter], str]:
    return lambda get: on if get("BEHIND_TLS_PROXY") else off


_WHO_MAY_SIGN_IN = ("OIDC_ALLOWED_EMAIL_DOMAINS", "OIDC_VIEWERS_GROUPS", "OIDC_RESPONDERS_GROUPS", "OIDC_MANAGERS_GROUPS")

TOPICS = (
    Topic("General", "Where the embedded defaults keep their files, and what every process shares.", (
        Variable("VAR_DIR", path(), lambda get: str(BASE_DIR / "var"),
                 "where the embedded defaults keep their files (SQLite, cache, broker, mail, secret key)",
                 default_text="`var/` in the checkout"),
        Variable("DEBUG", flag(), "false", "`false` in production: `true` shows tracebacks to anyone who causes one"),
        Variable("SITE_URL", site_url(), "http://localhost:8000",
                 "the site's address as users reach it, the one source of every absolute link (emails, feeds, "
                 "Statuspage's JSON, the API) (`https://incidents.example.com`); the quick start sets it from "
                 "`--addrport` when unset, and `check --deploy` warns while it is this machine's alone (`core.W001`)"),
        Variable("TIME_ZONE", time_zone(), "UTC", "the zone the admin shows times in (stored times are UTC)"),
        Variable("STATIC_ROOT", path(), lambda get: str(get("VAR_DIR") / "static"),
                 "where `manage.py collectstatic` puts the static files the web server serves",
                 default_text="`VAR_DIR`'s `static/`"),
    )),
    Topic("Database", "SQLite in `VAR_DIR` by default, for one machine; PostgreSQL in production.", (
        Variable("DATABASE_URL", database_url(), lambda get: f"sqlite:///{get('VAR_DIR') / 'db.sqlite3'}",
                 "the database; in production `postgres://user:pass@db:5432/incidents` "
                 "(`?prepare_threshold=none` behind PgBouncer's transaction pooling)",
                 default_text="SQLite, `VAR_DIR`'s `db.sqlite3`"),
        Variable("CONN_MAX_AGE", integer(minimum=0), "60",
                 "seconds a PostgreSQL connection is reused (checked before each request, so one the server "
                 "closed is replaced); `conn_max_age` in `DATABASE_URL` wins"),
    )),
    Topic("Cache", "What every process must share: the rate limits and the API's cached renderings. Redis is "
          "only an accelerator: short timeouts, and a breaker that stops calling it for a while after "
          "failures, keep a Redis that is down or hung from slowing requests by more than milliseconds.", (
        Variable("CACHE_URL", cache_url(), lambda get: f"filecache://{get('VAR_DIR') / 'cache'}",
                 "the cache; in production `redis://redis:6379/1` (the file cache is shared by the processes of "
                 "one machine only)",
                 default_text="a file cache, `VAR_DIR`'s `cache/`"),
        Variable("CACHE_CONNECT_TIMEOUT", number(above=0), "0.25",
                 "seconds a cache call waits for Redis to connect (`?socket_connect_timeout=` in `CACHE_URL` wins)"),
        Variable("CACHE_READ_TIMEOUT", number(above=0), "0.5",
                 "seconds a cache call waits for each reply from Redis (`?socket_timeout=` in `CACHE_URL` wins)"),
        Variable("CACHE_BREAKER_FAILURES", integer(minimum=1), "3",
                 "failed cache calls in a row after which a process stops calling Redis for a while"),
        Variable("CACHE_BREAKER_RESET_SECONDS", number(above=0), "5",
                 "how long a process leaves Redis alone after those failures, before it tries one call"),
    )),
    Topic("Background tasks", "Celery's broker, which the web processes and the workers must share.", (
        Variable("CELERY_BROKER_URL", broker_url(), "filesystem://",
                 "the broker; in production `redis://redis:6379/0` (the default, kombu's file transport, keeps "
                 "its queue in `VAR_DIR`, for one machine)"),
        Variable("CELERY_TASK_ALWAYS_EAGER", flag(), "false",
                 "`true` runs each task inside the process that sends it, with no worker (for trying things out)"),
    )),
    Topic("Email", "How the site sends mail, and as whom.", (
        Variable("EMAIL_URL", email_url(), "filemail:///",
                 "how mail is sent; in production `smtp+tls://user:pass@smtp.example.com:587` "
                 "(`smtp+ssl://…:465` for implicit TLS); `filemail:///` writes each message as a file in "
                 "`VAR_DIR`'s `mail/`, `filemail:///some/dir` in that folder of the checkout"),
        Variable("EMAIL_TIMEOUT", integer(minimum=1), "30", "seconds before a silent mail server counts as a temporary failure"),
        Variable("DEFAULT_FROM_EMAIL", address(), "Incident Tracker <incidents@localhost>",
                 "the sender of the site's emails; in production `Status <status@example.com>`"),
    )),
    Topic("Security", "Keys, hosts, TLS behind a proxy, and admin login lockouts.", (
        Variable("SECRET_KEY", text(), "",
                 "a long random string, the same on every machine (a published key is one in this repository, "
                 "or Django's `django-insecure-…`)",
                 default_text="made at random on first start and kept in `VAR_DIR`'s `secret_key` (mode 0600)",
                 rule=Rule(lambda key, get: get("DEBUG") or not is_known_development_key(key),
                           "must not be a published development key unless DEBUG is on"),
                 secret=True),
        Variable("REQUIRE_SECRET_KEY", flag(), "false",
                 "`true` refuses to start without `SECRET_KEY` (several machines must share one key)",
                 rule=Rule(lambda required, get: not required or bool(get("SECRET_KEY")),
                           "SECRET_KEY must be set when REQUIRE_SECRET_KEY is on")),
        Variable("ALLOWED_HOSTS", hosts(), "localhost,127.0.0.1,[::1],testserver",
                 "the host names the site answers to (`incidents.example.com`)",
                 rule=Rule(lambda names, get: bool(names) or get("DEBUG"),
                           "must not be empty while DEBUG is off: every request would be refused (400)")),
        Variable("CSRF_TRUSTED_ORIGINS", origins(), "",
                 "origins whose forms may post to the site (`https://incidents.example.com`)"),
        Variable("BEHIND_TLS_PROXY", flag(), "false",
                 "`true` behind a proxy that terminates TLS and sets `X-Forwarded-Proto`; turns the four below on"),
        Variable("SECURE_COOKIES", flag(), _behind_tls("true", "false"),
                 "session and CSRF cookies only over HTTPS", default_text="`BEHIND_TLS_PROXY`"),
        Variable("SECURE_SSL_REDIRECT", flag(), _behind_tls("true", "false"),
                 "plain HTTP is redirected to HTTPS", default_text="`BEHIND_TLS_PROXY`"),
        Variable("SECURE_HSTS_SECONDS", integer(minimum=0), _behind_tls("31536000", "0"),
                 "how long browsers use HTTPS only (HSTS); start low (`300`) while trying, `0` turns it off",
                 default_text="`31536000` behind TLS, else `0`"),
        Variable("TRUSTED_PROXY_COUNT", integer(minimum=0), _behind_tls("1", "0"),
                 "proxies of yours that append to `X-Forwarded-For`; the client's address, for every limit (API "
                 "authentication failures, the subscribe form, admin logins), is the entry the outermost one wrote "
                 "(`0`: the peer, `REMOTE_ADDR`)", default_text="`1` behind TLS, else `0`"),
        Variable("SECURE_HSTS_INCLUDE_SUBDOMAINS", flag(), "true", "HSTS's `includeSubDomains`"),
        Variable("SECURE_HSTS_PRELOAD", flag(), "true",
                 "HSTS's `preload` (matters only if you submit your domain to browsers' preload list)"),
        Variable("LOGIN_FAILURE_LIMIT", integer(minimum=1), "5",
                 "failed logins for one username from one address before that pair is locked out"),
        Variable("LOGIN_FAILURE_LIMIT_PER_IP", integer(minimum=1), "20",
                 "failed logins from one address, whatever the usernames, before the address is locked out"),
        Variable("LOGIN_COOLOFF_MINUTES", integer(minimum=1), "15",
                 "a lockout ends this long after its last failed attempt (`manage.py axes_reset…` lifts it sooner)"),
    )),
    Topic("Sign-in", "Staff sign in to the admin through the company's OpenID Connect provider (docs/sign-in.md): "
          "off while `OIDC_ISSUER` is empty, and then the admin's password login is the only one, as before.", (
        Variable("OIDC_ISSUER", issuer(), "",
                 "the provider's issuer; its endpoints are read from `<issuer>/.well-known/openid-configuration` "
                 "(`https://sso.example.com/realms/staff`); empty: no sign-in through a provider",
                 rule=Rule(lambda url, get: not url or any(get(name) for name in _WHO_MAY_SIGN_IN),
                           "needs OIDC_ALLOWED_EMAIL_DOMAINS or a mapped group (OIDC_VIEWERS_GROUPS, ...): "
                           "otherwise everyone at the provider could sign in")),
        Variable("OIDC_PROVIDER_NAME", text(blank=False), "single sign-on",
                 "the provider's name on the login page's button (\"Sign in with Keycloak\")"),
        Variable("OIDC_CLIENT_ID", text(), "", "the client id this site has at the provider",
                 rule=Rule(lambda client, get: bool(client) or not get("OIDC_ISSUER"),
                           "must be set when OIDC_ISSUER is")),
        Variable("OIDC_CLIENT_SECRET", text(), "", "the client's secret (a confidential client; PKCE is used as well)",
                 rule=Rule(lambda secret, get: bool(secret) or not get("OIDC_ISSUER"),
                           "must be set when OIDC_ISSUER is"),
                 secret=True),
        Variable("OIDC_SCOPES", text(blank=False), "openid email profile",
                 "the scopes asked for; add the one that releases the groups claim if the provider needs one "
                 "(`openid email profile groups`)",
                 rule=Rule(lambda scopes, get: "openid" in scopes.split(), "must include openid")),
        Variable("OIDC_SIGN_ALGORITHM", choice("RS256", "RS384", "RS512", "ES256", "ES384", "ES512"), "RS256",
                 "the algorithm the provider signs ID tokens with (keys from its JWKS)"),
        Variable("OIDC_ALLOWED_EMAIL_DOMAINS", domains(), "",
                 "email domains that may sign in (`example.com,example.org`); empty: any, if a mapped group lets them in"),
        Variable("OIDC_GROUPS_CLAIM", text(blank=False), "groups",
                 "the claim (in the ID token or userinfo) that lists a person's groups at the provider"),
        Variable("OIDC_VIEWERS_GROUPS", words(), "",
                 "provider groups (comma-separated) whose members are *Incident viewers* here (`incident-viewers`)"),
        Variable("OIDC_RESPONDERS_GROUPS", words(), "",
                 "provider groups (comma-separated) whose members are *Incident responders* here (`sre,on-call`)"),
        Variable("OIDC_MANAGERS_GROUPS", words(), "",
                 "provider groups (comma-separated) whose members are *Incident managers* here (`incident-managers`)"),
        Variable("OIDC_DOMAIN_GROUP", choice("viewers", "responders", "managers"), "viewers",
                 "with no groups mapped, the group everyone from an allowed domain gets"),
        Variable("ADMIN_PASSWORD_LOGIN", choice("all", "superusers", "off"),
                 lambda get: "superusers" if get("OIDC_ISSUER") else "all",
                 "who may still log in to the admin with a password kept here: `all` staff, `superusers` only (a "
                 "break-glass account for when the provider is down), or nobody (`off`)",
                 default_text="`superusers` with `OIDC_ISSUER`, else `all`",
                 rule=Rule(lambda mode, get: mode != "off" or bool(get("OIDC_ISSUER")),
                           "cannot be off without OIDC_ISSUER: nobody could log in")),
    )),
    Topic("API", "The incident.io-compatible API.", (
        Variable("API_RATE_LIMIT_PER_MINUTE", integer(minimum=0), "1200", "requests per API key per minute (`0`: no limit)"),
        Variable("API_AUTH_FAILURES_PER_MINUTE", integer(minimum=0), "60",
                 "API requests with a token that opens no key, per client address (`TRUSTED_PROXY_COUNT`) per "
                 "minute; past them, 429 without a database lookup (`0`: no limit)"),
        Variable("API_ACCELERATION", flag(), "true",
                 "`true`: the accelerated backend (`core/accel/`: cached keys and renderings, pages rendered once and "
                 "gzipped, a batch's email built once); `false`: the plain one (DRF's ordinary path, every page read "
                 "and rendered, every email built by Django)"),
        Variable("API_LIST_PAGE_CACHE_MB", integer(minimum=0), "32",
                 "memory each web process gives to list pages with acceleration on (`0`: none)"),
        Variable("API_EGRESS_IP_RANGES", cidrs(), "", "the networks `/v1/ip_ranges` reports"),
        Variable("MAX_REQUEST_BODY_MB", number(above=0), "2.5",
                 "the largest request body read, in MiB: larger ones are refused (413 on API paths, naming the "
                 "limit; 400 elsewhere)"),
    )),
    Topic("Notifications", "Emails to status page subscribers, sent by the workers in batches.", (
        Variable("SUBSCRIBE_REQUESTS_PER_HOUR", integer(minimum=0), "20",
                 "subscribe form requests per client network (`TRUSTED_PROXY_COUNT`; an IPv6 client by its /64) per "
                 "hour; past them, a 429 page, never for a request with a valid API key (`0`: no limit)"),
        Variable("SUBSCRIBE_EMAILS_PER_HOUR", integer(minimum=0), "3",
                 "confirmation (or reminder) emails per normalised email address and status page per hour; past "
                 "them, nothing is sent and the form answers as usual (`0`: no limit)"),
        Variable("NOTIFICATIONS_FROM_EMAIL", address(), lambda get: get("DEFAULT_FROM_EMAIL"),
                 "the sender of subscribers' emails (`Example Status <status@example.com>`)",
                 default_text="`DEFAULT_FROM_EMAIL`"),
        Variable("NOTIFICATIONS_REPLY_TO", addresses(), "", "where subscribers' replies go (`support@example.com`)"),
        Variable("NOTIFICATIONS_MESSAGE_ID_DOMAIN", domain(), "", "the domain in the emails' `Message-ID`s",
                 default_text="`SITE_URL`'s host"),
        Variable("NOTIFICATIONS_BATCH_SIZE", integer(minimum=1), "200",
                 "subscribers per batch task (one rendering, one SMTP connection)"),
        Variable("NOTIFICATIONS_CLAIM_SECONDS", integer(minimum=1), "300",
                 "how long a batch holds its rows; a dead worker's rows are sent by another after it"),
        Variable("NOTIFICATIONS_SWEEP_SECONDS", integer(minimum=1), "60",
                 "how often the sweep re-enqueues what the broker lost (updates published while it was down)"),
        Variable("NOTIFICATIONS_RETRY_BASE_SECONDS", integer(minimum=1), "30",
                 "the first backoff after a temporary SMTP failure; it doubles, with jitter, up to the maximum"),
        Variable("NOTIFICATIONS_RETRY_MAX_SECONDS", integer(minimum=1), "3600", "the longest backoff",
                 rule=Rule(lambda longest, get: longest >= get("NOTIFICATIONS_RETRY_BASE_SECONDS"),
                           "must be at least NOTIFICATIONS_RETRY_BASE_SECONDS")),
        Variable("NOTIFICATIONS_MAX_RETRIES", integer(minimum=0), "10",
                 "task retries after temporary failures; the sweep keeps trying after them"),
        Variable("NOTIFICATIONS_SUPPRESS_AFTER_BOUNCES", integer(minimum=1), "3",
                 "permanent refusals in a row after which an address is suppressed"),
        Variable("WEBHOOK_TIMEOUT_SECONDS", number(above=0), "10",
                 "how long a webhook receiver has to connect and answer before the attempt counts as failed"),
        Variable("WEBHOOK_ROTATION_GRACE_HOURS", integer(minimum=0), "24",
                 "how long a webhook endpoint's rotated secret keeps signing beside the new one"),
        Variable("WEBHOOK_ALLOWED_HOSTS", hosts(), "",
                 "hosts a webhook endpoint may reach although they resolve to a loopback, private, link-local or "
                 "metadata address (`hooks.internal.example.com`); every other such address is refused"),
        Variable("WEBHOOK_DISABLE_AFTER_FAILURES", integer(minimum=1), "10",
                 "failed attempts in a row after which a webhook endpoint or chat destination is disabled and its "
                 "owners emailed (once it has also been failing for `WEBHOOK_DISABLE_AFTER_HOURS`)"),
        Variable("WEBHOOK_DISABLE_AFTER_HOURS", number(above=-1), "24",
                 "how long an endpoint must have been failing, with no success, before it is disabled"),
        Variable("WEBHOOK_RETRY_SCALE", number(above=0), "1",
                 "multiplies Standard Webhooks' retry schedule (at once, 5 s, 5 min ... 24 h); only drills and tests "
                 "change it (`0.001`: a day's retries in 86 seconds)"),
    )),
    Topic("Alerts", "Events from monitoring (incident.io's HTTP shape, Alertmanager) and the raw payloads kept "
          "for the admin.", (
        Variable("ALERTS_PAYLOAD_MAX_KB", integer(minimum=1), "64",
                 "the most of each event's raw body kept, in KiB (the alert is made from the whole event; only the "
                 "copy shown in the admin is cut)"),
        Variable("ALERTS_EVENT_RETENTION_DAYS", integer(minimum=1), "30",
                 "how long raw events are kept (from their last repeat); an hourly task deletes older ones (alerts stay)"),
        Variable("ALERTS_HEARTBEAT_CHECK_SECONDS", integer(minimum=1), "30",
                 "how often the beat checks heartbeat sources for missed pings: a heartbeat's alert fires at most "
                 "this long after it is due"),
    )),
    Topic("Audit log", "Who changed what, when and from where (docs/audit-log.md).", (
        Variable("AUDIT_LOG_RETENTION_DAYS", integer(minimum=1), "365",
                 "how long audit log entries are kept; an hourly task deletes older ones"),
    )),
    Topic("Status pages", "The public site: its front page, its export as plain files, its caching by CDNs.", (
        Variable("STATUSPAGES_PAST_INCIDENT_DAYS", integer(minimum=0), "14",
                 "days of past incidents the front page lists under the components, by day, today included "
                 "(`0`: none; older ones are in the incident history)"),
        Variable("STATUSPAGES_EXPORT_DIR", optional_path(), "",
                 "where each public page's site is written as plain files after every change, one directory a page "
                 "(`<slug>`, a symlink switched atomically) for nginx or a bucket to serve while the application is "
                 "down (docs/status-pages.md); blank: nothing is exported"),
        Variable("STATUSPAGES_EXPORT_DELAY", integer(minimum=0), "10",
                 "seconds an export waits after a change, so a burst of changes is rendered once"),
        Variable("STATUSPAGES_CACHE_MAX_AGE", integer(minimum=0), "10",
                 "`max-age` of the public site's responses: seconds a reader's browser may reuse one unasked"),
        Variable("STATUSPAGES_CACHE_S_MAXAGE", integer(minimum=0), "30",
                 "`s-maxage`: seconds a CDN or shared cache may serve one unasked"),
        Variable("STATUSPAGES_CACHE_STALE_WHILE_REVALIDATE", integer(minimum=0), "30",
                 "`stale-while-revalidate`: seconds past that a cache may serve one while it fetches the next"),
        Variable("STATUSPAGES_CACHE_STALE_IF_ERROR", integer(minimum=0), "86400",
                 "`stale-if-error`: seconds a cache may keep serving one while the site errs or is unreachable"),
    )),
    Topic("Logs", "Everything is written to standard error; every line carries the request's id or the "
          "Celery task's.", (
        Variable("LOG_LEVEL", choice("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), "INFO", "the least severe level written"),
        Variable("LOG_FORMAT", choice("text", "json"), "text",
                 "`json`: one JSON object a line (`time`, `level`, `logger`, `message`, `request_id`, `task_id`, "
                 "`exc_info`) for a log shipper"),
    )),
)

VARIABLES = {variable.name: variable for topic in TOPICS for variable in topic.variables}
