import importlib

import pytest
from django.apps import apps
from django.db import connection

from incidents.models import IncidentRole, IncidentStatus, Severity
from tests.clients import ACCELERATED, PLAIN, ApiClient, make_client, redis_cache


#: Tests that go through a seam of the acceleration backend (core/acceleration.py) with
#: whichever backend the settings pick (API_ACCELERATION): every API request (the key's
#: admission), the incident API's lists and shows, the public site's pages, a batch's
#: emails over SMTP, the database engine. They are marked ``accel``, and CI runs them
#: again with the plain backend (``API_ACCELERATION=false pytest -m accel``, .ci/run). A
#: test that picks its backend itself (the ``accelerated``, ``plain`` and ``speed``
#: fixtures) runs the same either way, and is not marked.
ACCELERATION_SEAMS = (
    "tests/alerts/api/",
    "tests/audit/test_entry_points.py",
    "tests/audit/test_export.py",
    "tests/browser/test_public_status_page.py",
    "tests/browser/test_status_page_languages.py",
    "tests/browser/test_subscribing.py",
    "tests/config/test_database.py",
    "tests/core/accel/test_postgresql.py",
    "tests/core/api/",
    "tests/core/test_ratelimit.py",
    "tests/incidents/api/",
    "tests/notifications/api/",
    "tests/notifications/services/test_delivery.py",
    "tests/notifications/test_views.py",
    "tests/statuspages/api/",
    "tests/statuspages/public/",
    "tests/statuspages/i18n/",
)
PICKS_ITS_BACKEND = frozenset({"accelerated", "plain", "speed"})


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    root = config.rootpath
    for item in items:
        path = item.path.relative_to(root).as_posix()
        if path.startswith(ACCELERATION_SEAMS) and PICKS_ITS_BACKEND.isdisjoint(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.accel)

    # The default database decides which tests can run: PostgreSQL-only tests (row locks,
    # real concurrency) are skipped on SQLite, never faked.
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _defaults_for_transactional_tests(request):
    """Transactional tests end with a flush that also removes the rows the data migration
    created (statuses, severities, roles, type, timestamps); put them back first. The
    seeding is idempotent."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction", False):
        return
    request.getfixturevalue("transactional_db")
    importlib.import_module("incidents.migrations.0002_defaults").create_defaults(apps, None)


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    from incidents.api.accel import renderings

    cache.clear()
    renderings.PAGES.entries.clear()
    renderings.PAGES.size = 0


@pytest.fixture
def accelerated(settings):
    """The accelerated backend, whatever API_ACCELERATION says (tests of the accel packages)."""
    settings.ACCELERATION_BACKEND = ACCELERATED


@pytest.fixture
def plain(settings):
    """The plain backend, whatever API_ACCELERATION says."""
    settings.ACCELERATION_BACKEND = PLAIN


@pytest.fixture(params=[ACCELERATED, PLAIN], ids=["accelerated", "plain"])
def speed(request, settings):
    """Both backends, whatever API_ACCELERATION says: True when accelerated."""
    settings.ACCELERATION_BACKEND = request.param
    return request.param == ACCELERATED


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("staff", "staff@example.com", "pw-staff-123")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def statuses():
    return {s.name: s for s in IncidentStatus.objects.all()}


@pytest.fixture
def severities():
    return {s.name: s for s in Severity.objects.all()}


@pytest.fixture
def lead_role():
    return IncidentRole.objects.get(role_type="lead")


@pytest.fixture
def on_postgres():
    return connection.vendor == "postgresql"


# --- API clients ---------------------------------------------------------------------------


@pytest.fixture
def api_as(db):
    """api_as("viewer", "incident_creator") -> a client holding a key with those roles."""
    return make_client


@pytest.fixture
def api(db):
    """A client whose key can do everything (global_access)."""
    return make_client("global_access", name="Global key")


@pytest.fixture
def viewer(db):
    return make_client("viewer", name="Viewer key")


@pytest.fixture
def anonymous(db):
    return ApiClient()


@pytest.fixture(params=["locmem", "redis"])
def cache_backend(request, settings):
    """Every behaviour twice: on the tests' local-memory cache and on Redis (with
    acceleration, the gate spends in the same Lua call that reads the key), when
    REDIS_URL is set."""
    if request.param == "redis":
        prefix = redis_cache(settings)
        yield request.param
        from django.core.cache import cache

        client = cache._cache.get_client()
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        return
    yield request.param
