import os

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from incidents.models import CustomFieldValue, FieldType, IncidentRole, IncidentRoleAssignment, IncidentTimestamp
from tests.factories import ApiKeyFactory, CustomFieldFactory, CustomFieldOptionFactory, UserFactory, declare


class ApiClient(Client):
    """A Django test client that sends a Bearer token and JSON bodies."""

    def __init__(self, token=None, **kwargs):
        super().__init__(**kwargs)
        self.token = token

    def _headers(self, headers):
        headers = dict(headers or {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return headers

    def get(self, path, data=None, headers=None, **extra):
        return super().get(path, data, headers=self._headers(headers), **extra)

    def delete(self, path, data=None, headers=None, **extra):
        return super().delete(path, data, headers=self._headers(headers), **extra)

    def post(self, path, data=None, headers=None, content_type="application/json", **extra):
        return super().post(path, data, content_type=content_type, headers=self._headers(headers), **extra)

    def put(self, path, data=None, headers=None, content_type="application/json", **extra):
        return super().put(path, data, content_type=content_type, headers=self._headers(headers), **extra)


def make_client(*roles, name="Test key"):
    key = ApiKeyFactory(roles=roles, name=name)
    # Mark the key as just used, so the once-a-minute last_used_at write does not show up
    # in query counts.
    key.last_used_at = timezone.now()
    key.save(update_fields=["last_used_at"])
    client = ApiClient(key.token)
    client.key = key
    return client


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


def redis_cache(settings) -> str:
    """Point the default cache at the real Redis (REDIS_URL; skipped without it) under a
    prefix of the test's own, with the backend the settings would pick; returns the prefix."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set (CI sets it)")
    prefix = f"api-test-{get_random_string(8)}"
    backend = (
        "incidents.api.accel.redis.AcceleratedRedisCache"
        if settings.API_ACCELERATION
        else "incidents.cache.ResilientRedisCache"
    )
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": redis_url, "KEY_PREFIX": prefix}}
    return prefix


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


# --- what declaring an incident costs, in v1 and v2 alike --------------------------------------
#
# The budgets of the declaration query-count tests (v1/test_incidents.py and
# v2/test_incidents.py), first with cold caches, then warm (with acceleration, the key and
# the configuration then come from the cache; without it, they are read for every request).
# SAVEPOINT/RELEASE are the service's transaction, nested in the test's.

# Key; configuration (roles, custom fields, their options, timestamps), which resolves the
# body and renders the answer; severities, types and statuses (loaded into the
# configuration on first use).
DECLARATION_READS = 1 + 4 + 3
# Users by id; users by email; SAVEPOINT; first update; timestamp values; role assignments;
# custom field values; counter (UPDATE, then SELECT); incident; RELEASE. The answer is
# rendered from what was written: no re-read.
DECLARATION_WRITES = 2 + 9


@pytest.fixture
def declaration_body(severities):
    """A declaration with a severity, 2 role assignments (one assignee named by id, one by
    email), 2 custom fields (a multi-select with two options, a text) and a timestamp."""
    affected = CustomFieldFactory(name="Affected services", field_type=FieldType.MULTI_SELECT)
    api, web = (CustomFieldOptionFactory(custom_field=affected, value=value) for value in ("API", "Web"))
    cause = CustomFieldFactory(name="Root cause", field_type=FieldType.TEXT)
    lead, reporter = UserFactory(), UserFactory()
    roles = {role.role_type: role.pk for role in IncidentRole.objects.all()}
    impact_started = IncidentTimestamp.objects.get(name="Impact started at")
    # The first declaration ever creates the reference counter; measure the ones after.
    declare("An earlier incident")

    def make(idempotency_key):
        return {
            "idempotency_key": idempotency_key,
            "visibility": "public",
            "name": "Checkout is down",
            "severity_id": severities["Major"].pk,
            "incident_role_assignments": [
                {"incident_role_id": roles["lead"], "assignee": {"id": str(lead.pk)}},
                {"incident_role_id": roles["reporter"], "assignee": {"email": reporter.email}},
            ],
            "custom_field_entries": [
                {"custom_field_id": affected.pk, "values": [{"value_option_id": api.pk}, {"value_option_id": web.pk}]},
                {"custom_field_id": cause.pk, "values": [{"value_text": "A bad deploy"}]},
            ],
            "incident_timestamp_values": [
                {"incident_timestamp_id": impact_started.pk, "value": "2024-05-01T10:00:00Z"}
            ],
        }

    return make


def assert_declaration_stored(incident_id):
    """What ``declaration_body`` declares was written: its 2 role assignments and 3 custom
    field values."""
    assert IncidentRoleAssignment.objects.filter(incident_id=incident_id).count() == 2
    assert CustomFieldValue.objects.filter(incident_id=incident_id).count() == 3
