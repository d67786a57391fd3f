"""Handing work to the broker from web requests without waiting for it.

kombu spends seconds failing to reach a dead Redis, and may hang on an unreachable one:
a request that publishes an update or retries deliveries must not. The message leaves
from one background thread (in order; Python waits for it at exit); if it is lost, the
database still says what is to be done and the periodic sweep enqueues it."""

import logging
from concurrent.futures import Future, ThreadPoolExecutor

from celery import current_app

log = logging.getLogger(__name__)

_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notifications-enqueue")


def _safely(send, *args) -> None:
    try:
        send(*args)
    except Exception:
        log.warning("Could not enqueue %s%r; the sweep will", getattr(send, "__name__", send), args, exc_info=True)


def in_background(send, *args) -> Future | None:
    """Call ``send(*args)`` from the background thread (eager mode, as in tests, calls it
    here and now)."""
    if current_app.conf.task_always_eager:
        _safely(send, *args)
        return None
    return _background.submit(_safely, send, *args)
