"""What every log line says about where it was written: the request's id (the one in an
error body and in ``X-Request-Id``) or the Celery task's.

RequestIdMiddleware sets ``request_id`` for the time a request is handled, the worker
sets ``task_id`` for the time a task runs (config/celery.py), and ``ContextFilter``, on
each handler of settings.LOGGING, copies them onto every record, whoever logs it.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
task_id: ContextVar[str | None] = ContextVar("task_id", default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s task_id=%(task_id)s %(message)s"
# LOG_FORMAT=json: one object a line, with the same fields (absent ids are null).
JSON_FORMAT = "%(levelname)s %(name)s %(request_id)s %(task_id)s %(message)s"
JSON_RENAMED = {"levelname": "level", "name": "logger"}


class ContextFilter(logging.Filter):
    """Adds ``request_id`` and ``task_id`` to each record written while they are known
    (one the caller passed in ``extra`` is kept)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, variable in (("request_id", request_id), ("task_id", task_id)):
            value = variable.get()
            if value is not None and getattr(record, name, None) is None:
                setattr(record, name, value)
        return True


@contextmanager
def bound(variable: ContextVar, value: str):
    """``variable`` is ``value`` inside the block, and what it was before after it."""
    token = variable.set(value)
    try:
        yield
    finally:
        variable.reset(token)


def logging_config(*, level: str, json: bool) -> dict:
    """settings.LOGGING: everything to stderr through one handler that adds the ids."""
    if json:
        formatter = {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": JSON_FORMAT, "rename_fields": JSON_RENAMED,
                     "timestamp": "time"}  # ISO 8601, UTC
    else:
        formatter = {"()": "logging.Formatter", "fmt": TEXT_FORMAT, "defaults": {"request_id": "-", "task_id": "-"}}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "core.logs.ContextFilter"}},
        "formatters": {"default": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["context"], "formatter": "default"}},
        "root": {"handlers": ["console"], "level": level},
        # Django's own console handler would print its records (a 500's among them) a
        # second time with DEBUG on: they reach the root's handler like every other.
        "loggers": {"django": {"handlers": [], "level": "INFO"}},
    }
