"""When exports run: after each change, once per burst, and by a periodic sweep.

``page_changed`` (sent by every service) asks, once the transaction commits, for an
export of the pages named (None: of every page, since a shared component moved or a page
went away) ``STATUSPAGES_EXPORT_DELAY`` seconds later. A mark in the cache says one is
already due: the changes of a burst ride on the first one's task, which clears the mark
before it reads anything, so a change after that asks for one more (nothing is missed,
and a burst renders once or twice, never once a change). While the cache is unreachable
every change enqueues: more renders, none missed. The sweep (beat) re-exports a page
whose versions moved since its last export (a lost message, a change made while the
setting was off) or whose day rolled over in its zone (the 90-day bars move).
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from core.cache_keys import state_key
from statuspages import caching
from statuspages.models import StatusPage
from statuspages.signals import page_changed

log = logging.getLogger(__name__)

EVERY_PAGE = "all"


def _due_key(target: str) -> str:
    return state_key("page-export", "due", target)


def _done_key(page_id: str) -> str:
    return state_key("page-export", "done", page_id)


def _task(name: str):
    # By name from Celery's registry: the tasks module imports this one.
    return current_app.tasks[f"statuspages.tasks.{name}"]


def _enqueue(target: str) -> None:
    delay = settings.STATUSPAGES_EXPORT_DELAY
    # The mark outlives a lost message by a while only: the next change then asks again.
    if not cache.add(_due_key(target), 1, timeout=max(60, delay * 10)) and cache.get(_due_key(target)) is not None:
        return
    try:
        if target == EVERY_PAGE:
            _task("export_every_page").apply_async(countdown=delay)
        else:
            _task("export_page").apply_async((target,), countdown=delay)
    except Exception:  # noqa: BLE001 - the broker is down: the sweep exports it later
        cache.delete(_due_key(target))
        log.warning("Could not enqueue the export of %s; the sweep will", target, exc_info=True)


def request_export(status_page_ids) -> None:
    """Ask for an export of these pages (None: every page) after the delay."""
    if not settings.STATUSPAGES_EXPORT_DIR:
        return
    if status_page_ids is None or None in status_page_ids:
        _enqueue(EVERY_PAGE)
    else:
        for page_id in status_page_ids:
            _enqueue(str(page_id))


def claim(target: str) -> None:
    """The task for ``target`` starts: changes from now on ask for another."""
    cache.delete(_due_key(target))


def stamp(page: StatusPage) -> tuple[str, str, str]:
    """What the page shows now, as far as the sweep can tell: its versions and its day."""
    versions = caching.versions(page.pk)
    day = timezone.now().astimezone(ZoneInfo(page.time_zone)).date().isoformat()
    return versions.everything, versions.page, day


def record(page: StatusPage, shown: tuple[str, str, str]) -> None:
    """Remember what an export of ``page`` showed (its ``stamp`` as the export began)."""
    cache.set(_done_key(page.pk), shown, timeout=None)


def public_pages() -> list[StatusPage]:
    return list(StatusPage.objects.filter(is_public=True).order_by("slug"))


def stale_pages() -> list[StatusPage]:
    """The public pages whose export may be out of date (2 cache round trips a page)."""
    return [page for page in public_pages() if cache.get(_done_key(page.pk)) != stamp(page)]


def _page_changed(sender, status_page_ids=None, **kwargs):
    if settings.STATUSPAGES_EXPORT_DIR:
        ids = None if status_page_ids is None else list(status_page_ids)
        transaction.on_commit(lambda: request_export(ids))


def connect() -> None:
    page_changed.connect(_page_changed, dispatch_uid="statuspages-export")
