"""Fixtures of the notifications tests: a page with components, Celery run in the test
process, and subscribers in each state."""

import pytest
from django.utils import timezone

from notifications.models import Source, Subscriber, Suppression
from tests.factories import status_page

from .smtp import SmtpServer


@pytest.fixture
def eager():
    """Tasks run where they are sent, and raise what they raise (on commit: with
    django_capture_on_commit_callbacks)."""
    from config.celery import app

    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


@pytest.fixture
def page(db):
    """A page showing API and Dashboard (top level) and Cards (in the Payments group)."""
    return status_page("Acme status", "acme", components=["API", "Dashboard"], groups={"Payments": ["Cards"]})


def subscriber(page, email="ann@example.com", *, confirmed=True, suppression=Suppression.NONE, source=Source.FORM, **fields):
    return Subscriber.objects.create(
        status_page=page,
        email=email,
        confirmed_at=timezone.now() if confirmed else None,
        suppression=suppression,
        source=source,
        **fields,
    )


def subscribe(page, email, *, components=(), confirmed=True, **fields):
    """A subscriber of ``page``: every component, or only ``components`` (names)."""
    subscriber = Subscriber.objects.create(
        status_page=page, email=email, all_components=not components,
        confirmed_at=timezone.now() if confirmed else None, **fields,
    )
    if components:
        subscriber.components.set([page.test_components[name] for name in components])
    return subscriber


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server; Django's SMTP backend points at it."""
    server = SmtpServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    yield server
    server.recorder.release()
    server.stop()


def use_broker(url: str) -> str:
    """Point this process's Celery app at another broker; returns the one it had. The app
    caches its connection pools, so they are dropped too."""
    from config.celery import app

    before, app.conf.broker_url = app.conf.broker_url, url
    app._pool = None
    app.amqp._producer_pool = None
    return before


@pytest.fixture(autouse=True)
def _broker_in_memory():
    """Tasks sent without a worker (not eager) go to kombu's in-memory transport, not to
    the embedded broker's folder under var/."""
    before = use_broker("memory://")
    yield
    use_broker(before)
