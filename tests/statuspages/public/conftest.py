"""Fixtures of the public site's tests: a page with groups and components, anonymous and
staff readers, and a frozen clock for what time alone changes."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from statuspages import caching, services
from tests.factories import status_page


@pytest.fixture(autouse=True)
def frozen_window(monkeypatch):
    """The clock that picks the window of time-dependent content, frozen (a test would
    otherwise see a new ETag when it crosses a minute); ``frozen_window.now += 60`` moves it."""
    frozen = SimpleNamespace(now=timezone.now().timestamp())
    monkeypatch.setattr(caching, "clock", lambda: frozen.now)
    return frozen


@pytest.fixture
def page(db):
    return status_page(
        name="Acme status", slug="acme", time_zone="Europe/Paris",
        components=["API", "Dashboard"], groups={"Payments": ["Cards", "Invoices"]},
    )


def component(page, name):
    return page.test_components[name]


def incident(page, name="Elevated errors", message="We are looking into it.", statuses=None, **fields):
    """A page incident through the services; ``statuses``: {component name: status}."""
    return services.publish_incident(
        actor=None, status_page=page, name=name, message=message,
        component_statuses={component(page, n): s for n, s in (statuses or {}).items()}, **fields,
    )


def maintenance(page, name="Database upgrade", *, hours_from_now=2, hours=1, components=("API",), **fields):
    starts = timezone.now() + timedelta(hours=hours_from_now)
    return services.schedule_maintenance(
        actor=None, status_page=page, name=name, message="We will upgrade the database.",
        starts_at=starts, ends_at=starts + timedelta(hours=hours),
        components=[component(page, n) for n in components], **fields,
    )


@pytest.fixture
def staff_reader(staff):
    """A logged-in staff member's browser (``client`` stays anonymous)."""
    from django.test import Client

    browser = Client()
    browser.force_login(staff)
    return browser
