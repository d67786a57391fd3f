"""Our OpenAPI document names every responders' operation (follow-ups, actions, timeline
items, attachments, relationships) as incident.io's documents do, at the same path and
method."""

import pytest

from incidents.api.v1.views.utilities import openapi_document
from tests.contract import _document

TAGS = {
    "Follow-ups V2", "Follow-ups V3", "Actions V2", "Actions V3", "Incident Timeline Items V2",
    "Incident Attachments V1", "Incident Relationships V1",
}


@pytest.fixture
def ours():
    openapi_document.cache_clear()
    return openapi_document()["paths"]


def test_every_responders_operation_is_documented_as_incident_io_names_it(ours):
    expected = {}
    for name in ("incident-io-openapi-full.json", "incident-io-openapi.json"):
        for path, methods in _document(name)["paths"].items():
            for method, operation in methods.items():
                if set(operation.get("tags", [])) & TAGS:
                    expected[(path, method)] = operation["operationId"]
    assert len(expected) == 30
    for (path, method), operation_id in expected.items():
        assert ours.get(path, {}).get(method, {}).get("operationId") == operation_id, (method, path)
