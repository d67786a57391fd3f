"""The fuzz run (tests/fuzz.py) against incident.io's API as our own document describes
it (/v1/openapiV3.json): every operation, with a key holding every role, over a few rows
of each kind so lists render real records."""

import pytest

from core.models import ApiRole
from tests import fuzz
from tests.clients import make_client
from tests.factories import IncidentFactory, status_page

DOCUMENT = "/v1/openapiV3.json"


@pytest.fixture
def client(db, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 100_000
    IncidentFactory(with_roles=True, with_custom_fields=True)
    status_page(is_default=True, components=["API"])
    return make_client(*ApiRole.values, name="Fuzz key")


@pytest.mark.parametrize("operation", fuzz.operations(DOCUMENT))
def test_fuzzed_requests_get_no_5xx_and_documented_answers(client, operation):
    fuzz.fuzz(DOCUMENT, operation, client)
