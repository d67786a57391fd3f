"""The base of every Celery task (config/celery.py names it the app's ``task_cls``, so
``shared_task`` builds on it): each run acts as the task in the audit log
(core/audit.py), or, run eagerly inside a request, as that request's actor."""

from celery import Task as CeleryTask

from core import audit


class Task(CeleryTask):
    def __call__(self, *args, **kwargs):
        with audit.acting(audit.task_context(self.name)):
            return super().__call__(*args, **kwargs)
