"""The fuzz run (tests/fuzz.py) against the status page dialects' documents as we serve
them: Cachet's (/api/openapi.json) and Checkly's (/v1/status-pages/openapi.json); the
incident.io status page operations are in our incident.io document
(tests/incidents/api/test_fuzz.py). A key holding every role, over a default page with
components, an incident and a maintenance, so lists render real records."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import ApiRole
from statuspages import services
from tests import fuzz
from tests.clients import make_client
from tests.factories import status_page
from tests.statuspages.api.cachet.conftest import assert_cachet_error
from tests.statuspages.api.checkly.conftest import assert_checkly_error

CACHET = "/api/openapi.json"
CHECKLY = "/v1/status-pages/openapi.json"


def cachet_error(response, status: int) -> None:
    """Laravel's error body: ``{"message"}``, with ``errors`` (field -> messages) on a 422."""
    if status != 422:
        assert_cachet_error(response, status)
        return
    body = response.json()
    assert set(body) == {"message", "errors"} and isinstance(body["message"], str)
    assert all(isinstance(messages, list) and messages for messages in body["errors"].values())


@pytest.fixture
def client(db, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 100_000
    page = status_page(is_default=True, components=["API"], groups={"Payments": ["Cards"]})
    api = page.test_components["API"]
    services.publish_incident(
        actor=None, status_page=page, name="Elevated errors", message="Looking into it.",
        component_statuses={api: "degraded_performance"},
    )
    start = timezone.now() + timedelta(hours=2)
    services.schedule_maintenance(
        actor=None, status_page=page, name="Database upgrade", message="Brief downtime.",
        starts_at=start, ends_at=start + timedelta(hours=1), components=[api],
    )
    return make_client(*ApiRole.values, name="Fuzz key")


@pytest.mark.parametrize("operation", fuzz.operations(CACHET))
def test_fuzzed_cachet_requests_get_no_5xx_and_documented_answers(client, operation):
    fuzz.fuzz(CACHET, operation, client, undocumented_error=cachet_error)


@pytest.mark.parametrize("operation", fuzz.operations(CHECKLY))
def test_fuzzed_checkly_requests_get_no_5xx_and_documented_answers(client, operation):
    fuzz.fuzz(CHECKLY, operation, client, undocumented_error=assert_checkly_error)
