"""The Celery application: `celery -A config worker` starts a worker."""

import os

from celery import Celery, signals

from core import logs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Every task acts as itself in the audit log (core/tasks.py).
app = Celery("config", task_cls="core.tasks:Task")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect
def _log_through_django_settings(**kwargs):
    """The worker logs through settings.LOGGING (LOG_LEVEL, LOG_FORMAT, the ids of
    core/logs.py) rather than Celery's own set-up."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@signals.task_prerun.connect
def _bind_task_id(task_id=None, task=None, **kwargs):
    # Every line a task logs carries its id; an eager task run inside a request keeps
    # the request's id too.
    task.request.log_token = logs.task_id.set(task_id)


@signals.task_postrun.connect
def _unbind_task_id(task=None, **kwargs):
    token = getattr(task.request, "log_token", None)
    if token is not None:
        logs.task_id.reset(token)
