"""How a variable's text becomes its value: one ``Kind`` per shape of value, each refusing
what it cannot use with ``Invalid`` (whose message says what was expected) and saying, for
the table, what it accepts."""

from __future__ import annotations

import ipaddress
import math
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ValidationError
from django.core.mail.message import sanitize_address
from django.core.validators import validate_email

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


def optional_path() -> Kind:
    """An absolute path (processes started in other folders agree on it), or nothing
    (blank: the feature it enables is off)."""

    def parse(raw: str) -> Path | None:
        if not raw.strip():
            return None
        if not Path(raw.strip()).is_absolute():
            raise Invalid("must be an absolute path")
        return Path(raw.strip())

    return Kind(parse, "an absolute path, or blank")


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
            _ = parts.port  # a port that is no number raises here
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


def issuer() -> Kind:
    """An OpenID issuer: an absolute URL whose discovery document is ``<it>/.well-known/
    openid-configuration`` (a path is allowed: Keycloak's realms), or empty."""

    def parse(raw: str) -> str:
        url = raw.strip()
        if not url:
            return ""
        try:
            parts = urlsplit(url)
            _ = parts.port
        except ValueError as exc:
            raise Invalid(str(exc)) from None
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise Invalid("must be an absolute https:// URL with no query (https://sso.example.com/realms/staff)")
        return url.rstrip("/")

    return Kind(parse, "an absolute `https://` URL, or empty")


def domains() -> Kind:
    def parse(raw: str) -> list[str]:
        names = [name.lower() for name in _items(raw)]
        for name in names:
            if not _DOMAIN.fullmatch(name):
                raise Invalid(f"{name!r} is not a domain name (example.com)")
        return names

    return Kind(parse, "comma-separated domain names")


def words() -> Kind:
    # Any text: a provider's group names may hold spaces and slashes (Keycloak's "/sre/on-call").
    return Kind(_items, "text")


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
