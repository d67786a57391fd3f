"""The URL variables (database, cache, mail, broker): the schemes each accepts and, per
scheme, the query options it takes, each with its kind, its default and where it goes in
the dict Django reads; anything else is refused, naming what is known."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from config.environment.kinds import ENV, Invalid, Kind, Option, Schemes, choice, flag, integer, number, text


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
    # Checked here so that django-environ's messages, which quote a port's text (a
    # password's, when an unencoded "/" ended the host early), are never shown.
    try:
        parts = urlsplit(base)
        _ = parts.port
    except ValueError:
        raise Invalid("has a port that is no number (or an unencoded '/' in a password: percent-encode it as %2F)") from None
    if "@" in parts.path:
        raise Invalid("has an '@' after its host: percent-encode '/' (%2F) and '@' (%40) in a user name or password")
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


def _parsed(raw: str, groups: tuple[Schemes, ...], reader: Callable[[str], dict]) -> tuple[Schemes, str, dict, dict[str, Any]]:
    """The URL's group of schemes, the URL without its query, django-environ's reading of
    that, and the query's options by setting."""
    url = raw.strip()
    group = _scheme_of(url, groups)
    base, settings = _query(url, group)
    return group, base, reader(base), settings


def _place(config: dict, settings: dict[str, Any]) -> dict:
    for setting, value in settings.items():
        where, _, key = setting.rpartition(".")
        (config.setdefault(where, {}) if where else config)[key] = value
    return config


def _redacted(raw: str) -> str:
    """The URL(s) as a message may show them: whatever follows the user name up to the
    last "@" hidden. Not urlsplit's reading, which a malformed URL defeats (an unencoded
    "#" or "/" in a password ends its netloc early)."""
    shown = []
    for url in raw.split(";"):  # kombu's failover list
        scheme, separator, rest = url.partition("://")
        userinfo, at, host = rest.rpartition("@")
        if separator and at and ":" in userinfo:
            url = f"{scheme}://{userinfo.partition(':')[0]}:(hidden)@{host}"
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
        group, _, config, settings = _parsed(raw, DATABASE_SCHEMES, ENV.db_url_config)
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
CACHE_SCHEMES = (
    Schemes(("filecache",), _CULLED), Schemes(("locmemcache",), _CULLED), Schemes(("dummycache",), _CACHE_OPTIONS), REDIS,
)


def cache_url() -> Kind:
    def parse(raw: str) -> dict:
        group, base, config, settings = _parsed(raw, CACHE_SCHEMES, ENV.cache_url_config)
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
        group, base, parsed, settings = _parsed(raw, MAIL_SCHEMES, ENV.email_url_config)
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

    return Kind(parse, "`smtp+tls://user:password@host:port` (or `smtp://`, `smtps://`, `smtp+ssl://`), "
                "`filemail:///folder`, `consolemail://`, `memorymail://` or `dummymail://`", redact=_redacted,
                options=MAIL_SCHEMES)


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
