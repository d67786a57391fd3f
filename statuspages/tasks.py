"""Celery entry points of the status pages (beat runs them on a schedule: config/settings.py)."""

from celery import shared_task

from . import export, services
from .export import scheduling
from .models import StatusPage


@shared_task(acks_late=True, ignore_result=True)
def advance_maintenance() -> int:
    """Start and complete automated maintenance at its window's edges (every minute)."""
    return services.advance_due_maintenance()


@shared_task(acks_late=True, ignore_result=True)
def export_page(page_id: str) -> int:
    """Write one page's public site to STATUSPAGES_EXPORT_DIR (statuspages.export)."""
    scheduling.claim(page_id)
    page = StatusPage.objects.filter(pk=page_id).first()
    shown = scheduling.stamp(page) if page is not None else None
    written = export.export_page(page_id)
    if page is not None and written:
        scheduling.record(page, shown)
    return len(written)


@shared_task(acks_late=True, ignore_result=True)
def export_every_page() -> int:
    """After a change every page may show (a shared component): export them all."""
    scheduling.claim(scheduling.EVERY_PAGE)
    return sum(export_page(page.pk) for page in scheduling.public_pages())


@shared_task(acks_late=True, ignore_result=True)
def sweep_exports() -> int:
    """Export the pages whose export may be stale, and take down those of pages gone
    private or away (every few minutes, when STATUSPAGES_EXPORT_DIR is set)."""
    from . import export
    root = export.export_dir()
    if root is None:
        return 0
    export.prune(root)
    stale = scheduling.stale_pages()
    for page in stale:
        export_page(page.pk)
    return len(stale)
