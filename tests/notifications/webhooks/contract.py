"""Webhook bodies checked against incident.io's own schemas (the document's x-webhooks),
with openapi-schema-validator (OpenAPI 3.0's dialect of JSON Schema)."""

import functools
import json

from openapi_schema_validator import OAS30Validator

from .conftest import FULL_DOCUMENT


@functools.cache
def _document() -> dict:
    return json.loads(FULL_DOCUMENT.read_text())


def assert_matches_webhook_schema(body: dict) -> None:
    """``body`` is what incident.io's document says the event ``body["event_type"]`` sends."""
    event_type = body["event_type"]
    operation = _document()["x-webhooks"][f"/x-webhooks/{event_type}"]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    OAS30Validator({"$ref": ref, "components": _document()["components"]}).validate(body)
