"""A page that outlives its server: each public page's site written as plain files
(``STATUSPAGES_EXPORT_DIR/<slug>``) that nginx or a bucket serves while the application,
its database and its cache are down (docs/status-pages.md).

- ``site``: what an export holds, rendered through the live site's own views;
- ``publishing``: the atomic switch from one export to the next;
- ``scheduling``: after every change (``page_changed``), once per burst, a Celery task
  (``statuspages.tasks.export_page``) exports what changed; a periodic sweep catches
  what the broker missed and what time alone changes (the day bars roll over).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from statuspages.models import StatusPage

from . import publishing
from .site import ExportError, Written, render_site

__all__ = ["ExportError", "Written", "export_to", "export_page", "prune", "render_site"]


def export_to(page: StatusPage, directory: Path) -> list[Written]:
    """Write the page's public site to ``directory``, atomically (``publishing``)."""
    written: list[Written] = []
    publishing.replace(Path(directory), lambda tree: written.extend(render_site(page, tree)))
    return written


def export_dir() -> Path | None:
    configured = settings.STATUSPAGES_EXPORT_DIR
    return Path(configured) if configured else None


def export_page(page_id: str) -> list[Written]:
    """Export one page under ``STATUSPAGES_EXPORT_DIR`` (nothing when it is unset); a page
    gone private, deleted, or renamed is taken down from there."""
    root = export_dir()
    if root is None:
        return []
    page = StatusPage.objects.filter(pk=page_id, is_public=True).first()
    prune(root)
    return export_to(page, root / page.slug) if page is not None else []


def prune(root: Path) -> list[str]:
    """Take down the exports under ``root`` of pages no longer public under that slug."""
    if not root.is_dir():
        return []
    public = set(StatusPage.objects.filter(is_public=True).values_list("slug", flat=True))
    removed = []
    for entry in root.iterdir():
        if entry.is_symlink() and entry.name not in public and publishing.remove(entry):
            removed.append(entry.name)
    return removed
