"""What a page's export holds, rendered by the live site itself.

Every file is the body of a GET to the live site's own URL, made through Django's full
request handling (``django.test.Client``: every middleware, the same views, the same
acceleration backend), by an anonymous reader: the bytes a static server sends are the
bytes the application would have sent, and private pages and staff-only incidents are
never in them. There is no second rendering path to keep in step.

Links stay as the live site writes them, root-relative (``/status/<slug>/...``,
``/static/...``) or absolute on ``SITE_URL`` (feeds, JSON): the export mirrors the
site's paths, so it works served at the root of any host. A URL ``.../`` is written as
``.../index.html``; the front page is also written as the root's ``index.html``, and the
history's older pages (``?page=N``, which a static server cannot tell apart) as
``history/N.html`` (the nginx recipe maps the query to them). ``404.html`` is the public
site's own not-found page.
"""

from __future__ import annotations

import gzip
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse

from statuspages.models import Component, Maintenance, StatusPage

from ..views.reads import incidents_of, shown_on

#: Statuspage's JSON documents under a page (statuspages/public_urls.py)
JSON_DOCUMENTS = (
    "status.json", "summary.json", "components.json", "incidents.json", "incidents/unresolved.json",
    "scheduled-maintenances.json", "scheduled-maintenances/upcoming.json", "scheduled-maintenances/active.json",
)
#: kinds of file worth a gzipped copy beside them (nginx's ``gzip_static``)
COMPRESSIBLE = (".html", ".json", ".atom", ".rss", ".svg", ".css", ".js", ".xml")
#: a history this long is a loop, not a history (each page is three months)
MAX_HISTORY_PAGES = 400

_ASSET = re.compile(r'(?:href|src)="([^"#?]+)')


class ExportError(Exception):
    pass


@dataclass(frozen=True)
class Written:
    path: str
    content_type: str
    size: int


def reader() -> Client:
    """An anonymous reader at ``SITE_URL``'s host and scheme (``ALLOWED_HOSTS`` and the
    TLS redirect see the request the site's readers make)."""
    address = urlsplit(settings.SITE_URL)
    return Client(HTTP_HOST=address.netloc or "localhost", raise_request_exception=True)


def file_for(url_path: str) -> str:
    """Where the response to a URL path lives in the export (relative, no leading slash)."""
    relative = url_path.lstrip("/")
    return relative + "index.html" if relative.endswith("/") or not relative else relative


def routes(page: StatusPage) -> list[str]:
    """Every URL of the page's public site but the history's older pages (found by
    following them): the front, each incident an anonymous reader may open, each
    maintenance, each component's page, the history, the feeds, the badges and the JSON."""
    slug = page.slug
    incident_ids = incidents_of(page, staff=False).order_by("published_at", "id").values_list("pk", flat=True)
    maintenance_ids = Maintenance.objects.filter(status_page=page).order_by("starts_at", "id").values_list("pk", flat=True)
    component_ids = Component.objects.filter(shown_on(page)).order_by("pk").values_list("pk", flat=True).distinct()
    return [
        reverse("statuspages:page", args=[slug]),
        reverse("statuspages:history", args=[slug]),
        reverse("statuspages:feed-atom", args=[slug]),
        reverse("statuspages:feed-rss", args=[slug]),
        reverse("statuspages:badge", args=[slug]),
        *(reverse("statuspages:component-badge", args=[slug, pk]) for pk in component_ids),
        *(reverse("statuspages:component", args=[slug, pk]) for pk in component_ids),
        *(reverse("statuspages:incident", args=[slug, pk]) for pk in incident_ids),
        *(reverse("statuspages:maintenance", args=[slug, pk]) for pk in maintenance_ids),
        *(reverse("statuspages:page", args=[slug]) + f"api/v2/{document}" for document in JSON_DOCUMENTS),
    ]


def _write(root: Path, relative: str, content: bytes) -> None:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    if relative.endswith(COMPRESSIBLE):
        # mtime=0: the same body always packs to the same bytes
        (root / f"{relative}.gz").write_bytes(gzip.compress(content, compresslevel=9, mtime=0))


def _static_file(url: str) -> Path | None:
    """The file behind a URL of our static files: collected (STATIC_ROOT, hashed names
    included) or, before ``collectstatic``, where the finders find it."""
    name = url[len(static("")) :]
    if ".." in name.split("/"):
        return None
    if staticfiles_storage.exists(name):
        return Path(staticfiles_storage.path(name))
    found = finders.find(name)
    return Path(found) if found else None


def render_site(page: StatusPage, root: Path) -> list[Written]:
    """Write the page's public site under ``root`` (an empty directory)."""
    if not page.is_public:
        raise ExportError(f"{page.slug}: only public pages are exported")
    client = reader()
    written: list[Written] = []
    assets: set[str] = set()

    def fetch(url: str, relative: str | None = None, *, status: int = 200) -> bytes | None:
        response = client.get(url, secure=settings.SITE_URL.startswith("https:"))
        if response.status_code != status:
            if status == 200 and response.status_code == 404:
                return None
            raise ExportError(f"{url} answered {response.status_code}, not {status}")
        content = response.content
        relative = relative or file_for(url)
        _write(root, relative, content)
        written.append(Written(relative, response["Content-Type"], len(content)))
        if response["Content-Type"].startswith("text/html"):
            assets.update(found for found in _ASSET.findall(content.decode()) if found.startswith(static("")))
        return content

    front = reverse("statuspages:page", args=[page.slug])
    for url in routes(page):
        # A row deleted since routes() read it is no longer the site's: left out.
        if fetch(url) is not None and url == front:
            _write(root, "index.html", (root / file_for(url)).read_bytes())
    history = reverse("statuspages:history", args=[page.slug])
    for number in range(2, MAX_HISTORY_PAGES):
        if fetch(f"{history}?page={number}", f"{file_for(history)[: -len('index.html')]}{number}.html") is None:
            break
    fetch(front + "incidents/-/", "404.html", status=404)
    for url in sorted(assets):
        source = _static_file(url)
        if source is None:
            raise ExportError(f"{url}: no such static file (run collectstatic?)")
        _write(root, url.lstrip("/"), source.read_bytes())
        written.append(Written(url.lstrip("/"), "", source.stat().st_size))
    os.chmod(root, 0o755)
    return written
