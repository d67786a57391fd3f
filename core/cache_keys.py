"""Every key in the shared cache is built here, so an upgrade or a changed setting never
reads an entry of the old shape (Zulip prefixes every key per deploy the same way).

- ``cache_key(namespace, *parts)``: what is derived from the data and shaped by the code
  (renderings, cached rows, rendered pages). Its prefix is the deploy's
  ``deploy_version()``: a digest of our code, templates and static files, and of every
  setting that shapes a response (``SHAPING_SETTINGS``). A deploy that changes any of
  them starts from an empty cache; the old entries age out.
- ``state_key(namespace, *parts)``: what is not derived (rate-limit buckets, locks, the
  version tokens that mark a change): kept across deploys, so an upgrade hands nobody a
  fresh allowance, and a change made by a process still on the release before (a worker
  not yet restarted) moves the tokens the new release's entries are checked against.

Namespaces are one word per kind of entry (``api-key``, ``rendering``, ``rate``...), so
one kind can be found and dropped by pattern.
"""

from __future__ import annotations

import hashlib
from functools import cache as memoise
from pathlib import Path

from django.conf import settings

#: the packages whose files shape what is cached (the apps and the project)
PACKAGES = ("config", "core", "incidents", "statuspages", "notifications")
#: files that shape a rendering: code, templates, styles, scripts and translations
SUFFIXES = frozenset({".py", ".html", ".txt", ".css", ".js", ".svg", ".json", ".xml", ".subject", ".po", ".mo"})
#: settings a response's shape depends on (links, time zone, static paths, language,
#: the sanitiser's and renderers' switches); a change to any starts a new prefix
SHAPING_SETTINGS = ("SITE_URL", "TIME_ZONE", "STATIC_URL", "LANGUAGE_CODE", "LANGUAGES", "USE_TZ", "DEBUG", "STATUSPAGES_PAST_INCIDENT_DAYS")
_ROOT = Path(__file__).resolve().parent.parent


@memoise
def code_version() -> str:
    """A digest of every file that shapes a rendering, read once per process. Migrations
    do not shape renderings and are left out."""
    digest = hashlib.sha256()
    for package in PACKAGES:
        for path in sorted((_ROOT / package).rglob("*")):
            if path.suffix in SUFFIXES and "migrations" not in path.parts and "__pycache__" not in path.parts:
                digest.update(path.relative_to(_ROOT).as_posix().encode())
                digest.update(b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_versions: tuple[object, str] | None = None


def deploy_version() -> str:
    """The code's digest and the shaping settings', computed once per settings (tests
    that override a setting get a prefix of their own)."""
    global _versions
    current = settings._wrapped  # a new object whenever settings are overridden
    if _versions is None or _versions[0] is not current:
        shaping = "\0".join(f"{name}={getattr(settings, name, '')!r}" for name in SHAPING_SETTINGS)
        version = hashlib.sha256(f"{code_version()}\0{shaping}".encode()).hexdigest()[:12]
        _versions = (current, version)
    return _versions[1]


def cache_key(namespace: str, *parts: object) -> str:
    """The key of a derived entry: ``<namespace>:<deploy>:<parts...>``."""
    return ":".join((namespace, deploy_version(), *map(str, parts)))


def state_key(namespace: str, *parts: object) -> str:
    """The key of an entry that is state, not a copy (a rate-limit bucket): ``<namespace>:<parts...>``."""
    return ":".join((namespace, *map(str, parts)))
