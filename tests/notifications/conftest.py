"""Fixtures of the notifications tests: a page with components, Celery run in the test
process, and subscribers in each state."""

import pytest
from django.utils import timezone

from notifications.models import Source, Subscriber, Suppression
from tests.factories import status_page


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
