"""Every environment variable the settings read, declared once.

A ``Variable`` has its name, the ``Kind`` that parses its text (and says, for the table,
what it accepts), its default spelt as the environment would spell it (parsed like any
value, so a default cannot be malformed either), what it means, and optionally a ``Rule``
that involves other variables. config/settings.py reads them through ``load()``, which
parses every one of them when the settings are imported and refuses a value it cannot
use with ImproperlyConfigured naming the variable and the value.
"""

from __future__ import annotations

import ipaddress
import math
import re
import zoneinfo
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import environ
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.mail.message import sanitize_address
from django.core.validators import validate_email

from config.secret_key import is_known_development_key

BASE_DIR = Path(__file__).resolve().parent.parent
#: The one Env: every variable is read from its ENVIRON, and its parsers read the URLs.
ENV = environ.Env()

Getter = Callable[[str], Any]


class Invalid(ValueError):
    """A value its kind refuses; the message says what was expected."""


@dataclass(frozen=True)
class Kind:
    """How a variable's text becomes its value, and what it accepts, for the table."""

    parse: Callable[[str], Any]
    accepts: str
    #: flags: set but empty counts as unset (``DEBUG=`` in an env file)
    blank_is_unset: bool = False
    #: what a message may show of a value (URLs: no password)
    redact: Callable[[str], str] | None = None
    #: URLs: the query options each group of schemes takes
    options: tuple[Schemes, ...] = ()


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


# --- kinds -------------------------------------------------------------------------------

_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def flag() -> Kind:
    # Not environ's bool, which reads any word it does not know (a typo) as "no".
    def parse(raw: str) -> bool:
        word = raw.strip().lower()
        if word not in _TRUE + _FALSE:
            raise Invalid("must be true or false")
        return word in _TRUE

    return Kind(parse, "`true` or `false`", blank_is_unset=True)


def integer(*, minimum: int) -> Kind:
    def parse(raw: str) -> int:
        try:
            number = int(raw.strip())
        except ValueError:
            raise Invalid("must be a whole number") from None
        if number < minimum:
            raise Invalid(f"must be at least {minimum}")
        return number

    return Kind(parse, f"whole number ≥ {minimum}")


def number(*, above: float) -> Kind:
    # Not environ's float, which drops every character but digits, "," and "." (so
    # "1e3" is 13 and "0.5s" is 0.5).
    def parse(raw: str) -> float:
        try:
            value = float(raw.strip())
        except ValueError:
            raise Invalid("must be a number") from None
        if not (math.isfinite(value) and value > above):
            raise Invalid(f"must be more than {above:g}")
        return value

    return Kind(parse, f"number > {above:g}")


def text(*, blank: bool = True) -> Kind:
    def parse(raw: str) -> str:
        if not blank and not raw.strip():
            raise Invalid("must not be empty")
        return raw

    return Kind(parse, "text")


def choice(*words: str) -> Kind:
    """One of ``words``, in any case; the value is the word as declared."""

    def parse(raw: str) -> str:
        for word in words:
            if raw.strip().lower() == word.lower():
                return word
        raise Invalid(f"must be {_either(words)}")

    return Kind(parse, _either([f"`{word}`" for word in words]))


def path() -> Kind:
    def parse(raw: str) -> Path:
        if not raw.strip():
            raise Invalid("must not be empty")
        return Path(raw.strip())

    return Kind(parse, "a path")


def time_zone() -> Kind:
    # Django checks the name only against /usr/share/zoneinfo, where there is one, and
    # with tzdata alone fails at the first time it converts.
    def parse(raw: str) -> str:
        try:
            zoneinfo.ZoneInfo(raw)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise Invalid("is not a time zone name (UTC, Europe/Paris, America/New_York)") from None
        return raw

    return Kind(parse, "a time zone name (`Europe/Paris`)")


def site_url() -> Kind:
    def parse(raw: str) -> str:
        url = raw.strip()
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 (a port that is no number raises here)
        except ValueError as exc:
            raise Invalid(str(exc)) from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Invalid("must be an absolute http:// or https:// URL (https://incidents.example.com)")
        if parts.username or parts.password or parts.query or parts.fragment:
            raise Invalid("must have no user, query or fragment: links are made by appending paths to it")
        return url.rstrip("/")

    return Kind(parse, "an absolute `http://` or `https://` URL")


def address() -> Kind:
    return Kind(_address, "an email address, with or without a name (`Name <name@example.com>`)")


def addresses() -> Kind:
    def parse(raw: str) -> list[str]:
        found = _items(raw)
        for item in found:
            try:
                _address(item)
            except Invalid as exc:
                raise Invalid(f"{item!r} {exc}") from None
        return found

    return Kind(parse, "comma-separated email addresses")


def hosts() -> Kind:
    def parse(raw: str) -> list[str]:
        names = _items(raw)
        for name in names:
            if name != "*" and not _HOST.fullmatch(name.lower()):
                raise Invalid(f"{name!r} is not a host name: write example.com (.example.com for it and its "
                              "subdomains, * for any), with no scheme, port or path")
        return names

    return Kind(parse, "comma-separated host names (`.example.com`: it and its subdomains)")


def origins() -> Kind:
    def parse(raw: str) -> list[str]:
        found = _items(raw)
        for origin in found:
            try:
                parts = urlsplit(origin)
            except ValueError:
                parts = None
            if not (parts and parts.scheme in ("http", "https") and parts.netloc) or parts.path or parts.query or parts.fragment:
                raise Invalid(f"{origin!r} is not an origin: write https://example.com (a scheme and a host, no path)")
        return found

    return Kind(parse, "comma-separated origins (`https://example.com`)")


def domain() -> Kind:
    def parse(raw: str) -> str:
        name = raw.strip()
        if name and not _DOMAIN.fullmatch(name):
            raise Invalid("is not a domain name (example.com)")
        return name

    return Kind(parse, "a domain name, or empty")


def cidrs() -> Kind:
    def parse(raw: str) -> list[str]:
        # Normalised ("10.0.0.1" -> "10.0.0.1/32"), so /v1/ip_ranges always answers CIDRs.
        try:
            return [str(ipaddress.ip_network(item, strict=False)) for item in _items(raw)]
        except ValueError as exc:
            raise Invalid(str(exc)) from None

    return Kind(parse, "comma-separated IPv4/IPv6 networks (CIDR) or addresses")


def _items(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


#: what Django's request.get_host() accepts (its host_validation_re), or a leading-dot pattern
_HOST = re.compile(r"\.?[a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\]")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")


def _address(raw: str) -> str:
    # Refused here when Django would refuse it at the first send (sanitize_address), and
    # when it is no address at all ("nope", which sanitize_address lets through).
    value = raw.strip()
    try:
        validate_email(parseaddr(value)[1])
        sanitize_address(value, "utf-8")
    except (ValidationError, ValueError, TypeError):
        raise Invalid("is not an email address (Name <name@example.com>, or name@example.com)") from None
    return value


def _either(words) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


# --- URLs and their query options ----------------------------------------------------------

@dataclass(frozen=True)
class Option:
    """A query option a URL takes (``?name=value``), and the key of the parsed URL's dict
    it sets: ``OPTIONS.<key>`` inside its OPTIONS, or a key of the dict itself."""

    name: str
    kind: Kind
    setting: str
    means: str
    #: as the query would spell it; None: not set at all unless given
    default: str | None = None


@dataclass(frozen=True)
class Schemes:
    """URL schemes that take the same query options."""

    names: tuple[str, ...]
    options: tuple[Option, ...] = ()


def _scheme_of(url: str, groups: tuple[Schemes, ...]) -> Schemes:
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    for group in groups:
        if scheme in group.names:
            return group
    known = ", ".join(f"{name}://" for group in groups for name in group.names)
    raise Invalid(f"{'scheme ' + repr(scheme) if scheme else 'no scheme'} is not one of {known}")


def _query(url: str, group: Schemes) -> tuple[str, dict[str, Any]]:
    """The URL without its query, and the query's options by setting; an option not
    declared for the scheme is refused, naming those that are."""
    if "#" in url:
        raise Invalid("has a '#': percent-encode it as %23 (in a password, say)")
    base, _, query = url.partition("?")
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=True) if query else []
    except ValueError:
        raise Invalid(f"has a malformed query string {query!r}") from None
    declared = {option.name: option for option in group.options}
    given: dict[str, str] = {}
    for name, raw in pairs:
        if name.lower() not in declared:
            known = ", ".join(declared) or "none"
            raise Invalid(f"unknown query option {name!r} for {group.names[0]}:// (known: {known})")
        if name.lower() in given:
            raise Invalid(f"query option {name!r} is given twice")
        given[name.lower()] = raw
    settings: dict[str, Any] = {}
    for option in group.options:
        raw = given.get(option.name, option.default)
        if raw is None:
            continue
        try:
            settings[option.setting] = option.kind.parse(raw)
        except Invalid as exc:
            raise Invalid(f"query option {option.name}={raw!r} {exc}") from None
    return base, settings


def _place(config: dict, settings: dict[str, Any]) -> dict:
    for setting, value in settings.items():
        where, _, key = setting.rpartition(".")
        (config.setdefault(where, {}) if where else config)[key] = value
    return config


def _redacted(raw: str) -> str:
    """The URL(s) as a message may show them: any password replaced."""
    shown = []
    for url in raw.split(";"):
        try:
            parts = urlsplit(url)
            hidden = parts.password is not None
        except ValueError:
            return "(a URL that cannot be parsed)"
        if hidden:
            host = parts.netloc.rpartition("@")[2]
            url = urlunsplit(parts._replace(netloc=f"{parts.username or ''}:(hidden)@{host}"))
        shown.append(url)
    return ";".join(shown)


def _prepare_threshold() -> Kind:
    count = integer(minimum=0)

    def parse(raw: str) -> int | None:
        return None if raw.strip().lower() in ("", "none", "off", "false") else count.parse(raw)

    return Kind(parse, "whole number ≥ 0, or `none`")


POSTGRESQL = Schemes(("postgres", "postgresql", "pgsql", "psql"), (
    # Parameters bound by the server, and statements run five times on a connection
    # prepared there (Django turns psycopg's prepare_threshold off by default): a prepared
    # primary-key lookup costs PostgreSQL less than half the CPU of a planned one.
    Option("server_side_binding", flag(), "OPTIONS.server_side_binding",
           "parameters bound by the server rather than interpolated by psycopg", default="true"),
    Option("prepare_threshold", _prepare_threshold(), "OPTIONS.prepare_threshold",
           "runs of a statement on a connection after which it is prepared there; `none` behind PgBouncer's "
           "transaction pooling before 1.21, which cannot keep a connection's prepared statements", default="5"),
    Option("sslmode", choice("disable", "allow", "prefer", "require", "verify-ca", "verify-full"), "OPTIONS.sslmode",
           "libpq's TLS mode (`verify-full` checks the server's certificate and name)"),
    Option("sslrootcert", text(blank=False), "OPTIONS.sslrootcert", "the CA certificates to check the server's against"),
    Option("sslcert", text(blank=False), "OPTIONS.sslcert", "a client certificate"),
    Option("sslkey", text(blank=False), "OPTIONS.sslkey", "the client certificate's key"),
    Option("connect_timeout", integer(minimum=0), "OPTIONS.connect_timeout",
           "seconds to wait for a connection (`0`: for ever)"),
    Option("application_name", text(blank=False), "OPTIONS.application_name",
           "the name the server shows for our connections (`pg_stat_activity`)"),
    Option("conn_max_age", integer(minimum=0), "CONN_MAX_AGE", "wins over `CONN_MAX_AGE`"),
    Option("conn_health_checks", flag(), "CONN_HEALTH_CHECKS",
           "a kept connection is checked before a request reuses it (on unless `false`)"),
    Option("disable_server_side_cursors", flag(), "DISABLE_SERVER_SIDE_CURSORS",
           "`true` behind PgBouncer's transaction pooling, as Django advises"),
))
DATABASE_SCHEMES = (Schemes(("sqlite",)), POSTGRESQL)


def database_url() -> Kind:
    def parse(raw: str) -> dict:
        url = raw.strip()
        group = _scheme_of(url, DATABASE_SCHEMES)
        base, settings = _query(url, group)
        config = ENV.db_url_config(base)
        if group is POSTGRESQL and not config["NAME"]:
            raise Invalid("names no database (postgres://user:password@host:5432/name)")
        return _place(config, settings)

    return Kind(parse, "`sqlite:///path` or `postgres://user:password@host:port/name`", redact=_redacted,
                options=DATABASE_SCHEMES)


_CACHE_OPTIONS = (
    Option("timeout", integer(minimum=0), "TIMEOUT", "seconds an entry lives unless its writer says (Django's 300)"),
    Option("key_prefix", text(blank=False), "KEY_PREFIX", "put before every key, so that sites can share one cache"),
)
REDIS = Schemes(("redis", "rediss"), (
    *_CACHE_OPTIONS,
    Option("socket_connect_timeout", number(above=0), "OPTIONS.socket_connect_timeout", "wins over `CACHE_CONNECT_TIMEOUT`"),
    Option("socket_timeout", number(above=0), "OPTIONS.socket_timeout", "wins over `CACHE_READ_TIMEOUT`"),
    Option("breaker_failures", integer(minimum=1), "OPTIONS.breaker_failures", "wins over `CACHE_BREAKER_FAILURES`"),
    Option("breaker_reset_seconds", number(above=0), "OPTIONS.breaker_reset_seconds",
           "wins over `CACHE_BREAKER_RESET_SECONDS`"),
))
_CULLED = (
    *_CACHE_OPTIONS,
    Option("max_entries", integer(minimum=1), "OPTIONS.MAX_ENTRIES", "entries kept before the oldest are culled (300)"),
    Option("cull_frequency", integer(minimum=0), "OPTIONS.CULL_FREQUENCY",
           "1/n of the entries culled when full (3; `0`: all)"),
)
CACHE_SCHEMES = (Schemes(("filecache",), _CULLED), Schemes(("locmemcache",), _CULLED), Schemes(("dummycache",), _CACHE_OPTIONS), REDIS)


def cache_url() -> Kind:
    def parse(raw: str) -> dict:
        url = raw.strip()
        group = _scheme_of(url, CACHE_SCHEMES)
        base, settings = _query(url, group)
        config = ENV.cache_url_config(base)
        if group.names == ("filecache",) and not config["LOCATION"]:
            raise Invalid("names no folder (filecache:///path/to/folder)")
        if group is REDIS and not (urlsplit(base).hostname or urlsplit(base).path):
            raise Invalid("names no server (redis://host:6379/1)")
        return _place(config, settings)

    return Kind(parse, "`filecache:///path`, `locmemcache://`, `dummycache://` or `redis://host:port/db`",
                redact=_redacted, options=CACHE_SCHEMES)


SMTP = Schemes(("smtp", "smtps", "smtp+tls", "smtp+ssl"), (
    Option("email_use_tls", flag(), "EMAIL_USE_TLS", "STARTTLS after connecting (what `smtp+tls://` says)"),
    Option("email_use_ssl", flag(), "EMAIL_USE_SSL", "TLS from the first byte (what `smtp+ssl://` says)"),
))
MAIL_SCHEMES = (SMTP, Schemes(("filemail",)), Schemes(("consolemail",)), Schemes(("memorymail",)), Schemes(("dummymail",)))


def email_url() -> Kind:
    """Django's EMAIL_* settings, by name; EMAIL_FILE_PATH as written (relative to the checkout)."""

    def parse(raw: str) -> dict[str, Any]:
        url = raw.strip()
        group = _scheme_of(url, MAIL_SCHEMES)
        base, settings = _query(url, group)
        parsed = ENV.email_url_config(base)
        mail = {"EMAIL_BACKEND": parsed["EMAIL_BACKEND"], "EMAIL_HOST": parsed["EMAIL_HOST"] or "localhost",
                "EMAIL_HOST_USER": parsed["EMAIL_HOST_USER"] or "", "EMAIL_HOST_PASSWORD": parsed["EMAIL_HOST_PASSWORD"] or "",
                "EMAIL_USE_TLS": parsed.get("EMAIL_USE_TLS", False), "EMAIL_USE_SSL": parsed.get("EMAIL_USE_SSL", False),
                "EMAIL_FILE_PATH": parsed["EMAIL_FILE_PATH"], **settings}
        if group is SMTP:
            if not parsed["EMAIL_HOST"]:
                raise Invalid("names no server (smtp+tls://user:password@smtp.example.com:587)")
            if parsed["EMAIL_FILE_PATH"]:
                raise Invalid("has a path, which SMTP does not take")
            if mail["EMAIL_USE_TLS"] and mail["EMAIL_USE_SSL"]:
                raise Invalid("asks for both STARTTLS and implicit TLS: use smtp+tls:// or smtp+ssl://")
            # what smtplib connects to when no port is given
            mail["EMAIL_PORT"] = parsed["EMAIL_PORT"] or (465 if mail["EMAIL_USE_SSL"] else 25)
        else:
            if urlsplit(base).netloc:
                raise Invalid(f"has a host, which {group.names[0]}:// does not take (filemail:///folder/in/the/checkout)")
            if parsed["EMAIL_FILE_PATH"] and group.names != ("filemail",):
                raise Invalid(f"has a path, which {group.names[0]}:// does not take")
            mail["EMAIL_PORT"] = 25
        return mail

    return Kind(parse, "`smtp://`, `smtp+tls://`, `smtp+ssl://` `user:password@host:port`, `filemail:///folder`, "
                "`consolemail://`, `memorymail://` or `dummymail://`", redact=_redacted, options=MAIL_SCHEMES)


#: kombu's transports that need nothing we do not install (the part before a "+")
BROKERS = ("filesystem", "redis", "rediss", "sentinel", "amqp", "amqps", "pyamqp", "memory")


def broker_url() -> Kind:
    def parse(raw: str) -> str:
        url = raw.strip()
        for alternative in url.split(";"):  # kombu's failover list
            scheme = alternative.partition("://")[0].lower() if "://" in alternative else ""
            if scheme.partition("+")[0] not in BROKERS:
                known = ", ".join(f"{name}://" for name in BROKERS)
                raise Invalid(f"{'scheme ' + repr(scheme) if scheme else 'no scheme'} is not one of {known}")
        return url

    return Kind(parse, ", ".join(f"`{name}://`" for name in BROKERS), redact=_redacted)


# --- the declarations ----------------------------------------------------------------------

def _behind_tls(on: str, off: str) -> Callable[[Getter], str]:
    return lambda get: on if get("BEHIND_TLS_PROXY") else off


TOPICS = (
    Topic("General", "Where the embedded defaults keep their files, and what every process shares.", (
        Variable("VAR_DIR", path(), lambda get: str(BASE_DIR / "var"),
                 "where the embedded defaults keep their files (SQLite, cache, broker, mail, secret key)",
                 default_text="`var/` in the checkout"),
        Variable("DEBUG", flag(), "false", "`false` in production: `true` shows tracebacks to anyone who causes one"),
        Variable("SITE_URL", site_url(), "http://localhost:8000",
                 "the site's address as users reach it, used in links in emails and the API "
                 "(`https://incidents.example.com`)"),
        Variable("TIME_ZONE", time_zone(), "UTC", "the zone the admin shows times in (stored times are UTC)"),
        Variable("STATIC_ROOT", path(), lambda get: str(get("VAR_DIR") / "static"),
                 "where `manage.py collectstatic` puts the static files the web server serves",
                 default_text="`static/` under `VAR_DIR`"),
    )),
    Topic("Database", "", (
        Variable("DATABASE_URL", database_url(), lambda get: f"sqlite:///{get('VAR_DIR') / 'db.sqlite3'}",
                 "`postgres://user:pass@db:5432/incidents` (`?prepare_threshold=none` behind PgBouncer's "
                 "transaction pooling)",
                 default_text="`sqlite:///` `db.sqlite3` under `VAR_DIR`"),
        Variable("CONN_MAX_AGE", integer(minimum=0), "60",
                 "seconds a PostgreSQL connection is reused (checked before each request, so one the server "
                 "closed is replaced); `conn_max_age` in `DATABASE_URL` wins"),
    )),
    Topic("Cache", "", (
        Variable("CACHE_URL", cache_url(), lambda get: f"filecache://{get('VAR_DIR') / 'cache'}",
                 "`redis://redis:6379/1` (the file cache is shared by the processes of one machine only)",
                 default_text="`filecache://` `cache/` under `VAR_DIR`"),
        Variable("CACHE_CONNECT_TIMEOUT", number(above=0), "0.25",
                 "seconds a cache call waits for Redis to connect (`?socket_connect_timeout=` in `CACHE_URL` wins)"),
        Variable("CACHE_READ_TIMEOUT", number(above=0), "0.5",
                 "seconds a cache call waits for each reply from Redis (`?socket_timeout=` in `CACHE_URL` wins)"),
        Variable("CACHE_BREAKER_FAILURES", integer(minimum=1), "3",
                 "failed cache calls in a row after which a process stops calling Redis for a while"),
        Variable("CACHE_BREAKER_RESET_SECONDS", number(above=0), "5",
                 "how long a process leaves Redis alone after those failures, before it tries one call"),
    )),
    Topic("Background tasks", "", (
        Variable("CELERY_BROKER_URL", broker_url(), "filesystem://",
                 "`redis://redis:6379/0` (the default, kombu's file transport, keeps its queue under `VAR_DIR`)"),
        Variable("CELERY_TASK_ALWAYS_EAGER", flag(), "false",
                 "`true` runs each task inside the process that sends it, with no worker (for trying things out)"),
    )),
    Topic("Email", "", (
        Variable("EMAIL_URL", email_url(), "filemail:///",
                 "`smtp+tls://user:pass@smtp.example.com:587` (`smtp+ssl://…:465` for implicit TLS); "
                 "`filemail:///` writes each message as a file under `VAR_DIR`'s `mail/`, "
                 "`filemail:///some/dir` under the checkout"),
        Variable("EMAIL_TIMEOUT", integer(minimum=1), "30", "seconds before a silent mail server counts as a temporary failure"),
        Variable("DEFAULT_FROM_EMAIL", address(), "Incident Tracker <incidents@localhost>",
                 "the sender of the site's emails (`Status <status@example.com>`)"),
    )),
    Topic("Security", "", (
        Variable("SECRET_KEY", text(), "",
                 "a long random string, the same on every machine; a published development key (or Django's "
                 "`django-insecure-…`) is refused unless `DEBUG` is on",
                 default_text="made at random on first start and kept in `VAR_DIR`'s `secret_key` (mode 0600)",
                 rule=Rule(lambda key, get: get("DEBUG") or not is_known_development_key(key),
                           "is a published development key: set a random one (or DEBUG=true)"),
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
                 "proxies of yours that append to `X-Forwarded-For`; the client's address is the entry the "
                 "outermost one wrote", default_text="`1` behind TLS, else `0`"),
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
    Topic("API", "", (
        Variable("API_RATE_LIMIT_PER_MINUTE", integer(minimum=0), "1200", "requests per API key per minute (`0`: no limit)"),
        Variable("API_AUTH_FAILURES_PER_MINUTE", integer(minimum=0), "60",
                 "API requests with a token that opens no key, per client address (`REMOTE_ADDR`) per minute; past "
                 "them, 429 without a database lookup (`0`: no limit)"),
        Variable("API_ACCELERATION", flag(), "true",
                 "`false` runs every API request through DRF's plain path (see \"Acceleration\")"),
        Variable("API_LIST_PAGE_CACHE_MB", integer(minimum=0), "32",
                 "memory each web process gives to list pages with acceleration on (`0`: none)"),
        Variable("API_EGRESS_IP_RANGES", cidrs(), "", "the networks `/v1/ip_ranges` reports"),
        Variable("MAX_REQUEST_BODY_MB", number(above=0), "2.5",
                 "the largest request body read, in MiB: larger ones are refused (413 on API paths, naming the "
                 "limit; 400 elsewhere)"),
    )),
    Topic("Notifications", "", (
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
        Variable("NOTIFICATIONS_ACCELERATION", flag(), lambda get: str(get("API_ACCELERATION")),
                 "`true`: a batch serialises its MIME message once and swaps each address and link in "
                 "(`notifications/accel.py`); `false`: Django builds every message",
                 default_text="`API_ACCELERATION`"),
    )),
    Topic("Logs", "", (
        Variable("LOG_LEVEL", choice("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), "INFO", "the least severe level written"),
        Variable("LOG_FORMAT", choice("text", "json"), "text",
                 "`json`: one JSON object a line (`time`, `level`, `logger`, `message`, `request_id`, `task_id`, "
                 "`exc_info`) for a log shipper"),
    )),
)

VARIABLES = {variable.name: variable for topic in TOPICS for variable in topic.variables}


# --- reading -------------------------------------------------------------------------------

class Values(Mapping):
    """Every declared variable's value; asking for one not declared stops the process."""

    def __init__(self, values: dict[str, Any]):
        self._values = values

    def __getitem__(self, name: str) -> Any:
        if name not in self._values:
            raise ImproperlyConfigured(f"{name} is read by the settings but not declared in config/environment.py")
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def load(source: Mapping[str, str] | None = None) -> Values:
    """Every variable parsed and checked, from ``source`` (the process's environment)."""
    source = ENV.ENVIRON if source is None else source
    values: dict[str, Any] = {}

    def get(name: str) -> Any:
        if name not in values:
            variable = VARIABLES[name]
            raw, given = _raw(variable, source, get)
            try:
                values[name] = variable.kind.parse(raw)
            except (ValueError, ImproperlyConfigured) as exc:  # ours, and django-environ's URL parsers'
                raise refusal(name, raw, str(exc) or type(exc).__name__, given=given) from None
        return values[name]

    for name in VARIABLES:
        get(name)
    for name, variable in VARIABLES.items():
        if variable.rule and not variable.rule.holds(values[name], get):
            raw, given = _raw(variable, source, get)
            raise refusal(name, raw, variable.rule.says, given=given)
    return Values(values)


def _raw(variable: Variable, source: Mapping[str, str], get: Getter) -> tuple[str, bool]:
    """The variable's text, and whether it was given (or is the default)."""
    # Taken as written: no "$OTHER_VARIABLE" expansion (django-environ's), which would
    # turn a secret that starts with "$" into another variable's value.
    raw = source.get(variable.name)
    if raw is None or (variable.kind.blank_is_unset and not raw.strip()):
        return (variable.default(get) if callable(variable.default) else variable.default), False
    return raw, True


def refusal(name: str, raw: str, reason: str, *, given: bool = True) -> ImproperlyConfigured:
    """What stops the process: the variable, its value (unless secret) and why."""
    kind = VARIABLES[name].kind
    shown = "(hidden)" if VARIABLES[name].secret else repr(kind.redact(raw) if kind.redact else raw)
    return ImproperlyConfigured(f"{name}={shown}: {reason}" if given else f"{name} (unset, so {shown}): {reason}")
