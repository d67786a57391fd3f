"""Our own OpenAPI document describes each status page operation under incident.io's
operation id, success status and body component (the routes of incidents/api are checked
by tests/incidents/api/test_openapi.py; these live in statuspages)."""

import re

import pytest

from incidents.api.v1.views.utilities import openapi_document
from statuspages.api.incidentio import urls
from tests.contract import _document, operation_for

REFERENCE = "incident-io-openapi.json"


def routed_operations() -> list[tuple[str, str]]:
    """(METHOD, path template) of every route of the dialect; ``<str:pk>`` is ``{id}``."""
    operations = []
    for pattern in urls.urlpatterns:
        route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "{id}" if m[1] == "pk" else "{%s}" % m[1], str(pattern.pattern))
        # DRF adds HEAD to a viewset's GET routes once they have served a request.
        operations += [(method.upper(), "/" + route) for method in pattern.callback.actions if method != "head"]
    return operations


def reference_status_page_operations() -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, methods in _document(REFERENCE)["paths"].items()
        for method, operation in methods.items()
        if operation["operationId"].startswith(("Status Pages V2#", "Status Page Components V2#"))
    }


@pytest.fixture(scope="module")
def ours():
    openapi_document.cache_clear()
    return openapi_document()


def test_every_status_page_operation_of_the_reference_is_routed():
    assert set(routed_operations()) == reference_status_page_operations()
    assert len(routed_operations()) == 21


def test_each_operation_carries_the_reference_id_status_and_body(ours):
    reference = _document(REFERENCE)
    wrong = []
    for method, path in routed_operations():
        expected, template, _ = operation_for(method, path)
        theirs = reference["paths"][template][method.lower()]
        mine = ours["paths"].get(path, {}).get(method.lower(), {})
        if mine.get("operationId") != expected:
            wrong.append(f"{method} {path}: operation id {mine.get('operationId')!r}, expected {expected!r}")
        if mine.get("tags") != theirs["tags"]:
            wrong.append(f"{expected}: tags {mine.get('tags')}, reference {theirs['tags']}")
        code = min(c for c in theirs["responses"] if c.startswith("2"))
        documented = [c for c in mine.get("responses", {}) if c.startswith("2")]
        if documented != [code]:
            wrong.append(f"{expected}: reference answers {code}, ours documents {documented}")
            continue
        schema = theirs["responses"][code].get("content", {}).get("application/json", {}).get("schema")
        our_schema = mine["responses"][code].get("content", {}).get("application/json", {}).get("schema")
        if (schema or {}).get("$ref") != (our_schema or {}).get("$ref"):
            wrong.append(f"{expected}: reference body {schema}, ours {our_schema}")
        their_body = theirs.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
        our_body = mine.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
        if their_body.get("$ref") != our_body.get("$ref"):
            wrong.append(f"{expected}: reference request {their_body}, ours {our_body}")
    assert not wrong, "\n".join(wrong)


def test_query_parameters_are_the_references(ours):
    reference = _document(REFERENCE)
    wrong = []
    for method, path in routed_operations():
        _, template, _ = operation_for(method, path)
        theirs = {(p["name"], p.get("required", False)) for p in reference["paths"][template][method.lower()].get("parameters", []) if p["in"] == "query"}
        mine = {(p["name"], p.get("required", False)) for p in ours["paths"][path][method.lower()].get("parameters", []) if p["in"] == "query"}
        if theirs != mine:
            wrong.append(f"{method} {path}: reference {sorted(theirs)}, ours {sorted(mine)}")
    assert not wrong, "\n".join(wrong)
