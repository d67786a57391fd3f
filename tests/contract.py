"""Check requests and responses against incident.io's published OpenAPI document with
openapi-core, a real validator. Built once per test session (it takes about a second)."""

import functools
import json
import os
import re
from pathlib import Path
from urllib.parse import urlparse

from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DIR = Path(os.environ.get("REFERENCE_DIR", ROOT / "tests" / "reference"))


@functools.cache
def _base_path(name: str) -> str:
    """The path the document's first server puts before every operation's (Cachet's
    ``http://localhost/api``: ``/api``; "" for incident.io's and Checkly's)."""
    servers = json.loads((REFERENCE_DIR / name).read_text()).get("servers") or [{"url": ""}]
    return urlparse(servers[0]["url"]).path.rstrip("/")


@functools.cache
def _document(name: str) -> dict:
    # openapi-core's YAML loader rejects the "\u0000" escapes in some patterns; json doesn't.
    spec = json.loads((REFERENCE_DIR / name).read_text())
    # The document names the vendor's servers; we validate paths (under the server's own
    # base path, if it has one), not hosts.
    spec["servers"] = [{"url": "http://testserver" + _base_path(name)}]
    return spec


@functools.cache
def _openapi(name: str) -> OpenAPI:
    return OpenAPI.from_dict(_document(name))


@functools.cache
def _operations(name: str) -> list[tuple[str, re.Pattern, str]]:
    operations = []
    base = _base_path(name)
    for template, methods in _document(name)["paths"].items():
        template = base + template
        pattern = re.compile("^" + re.sub(r"\{([^}]+)\}", r"(?P<\1>[^/]+)", template) + "$")
        for method, operation in methods.items():
            operations.append((method.upper(), pattern, operation["operationId"], template))
    # Literal paths win over templated ones (/v1/openapiV3.json before /v1/{x}).
    operations.sort(key=lambda op: op[3].count("{"))
    return operations


def operation_for(method: str, path: str, document: str = "incident-io-openapi.json"):
    """(operation id, path template, path parameters) of a request, or Nones. The template
    is the request's whole path, with the server's base path."""
    for op_method, pattern, operation_id, template in _operations(document):
        match = pattern.match(path)
        if op_method == method.upper() and match:
            return operation_id, template, match.groupdict()
    return None, None, None


def _openapi_request(wsgi_request, template, path_args) -> MockRequest:
    headers = {k: v for k, v in wsgi_request.headers.items()}
    return MockRequest(
        "http://testserver",
        wsgi_request.method.lower(),
        wsgi_request.path,
        path_pattern=template,
        args=[(k, v) for k, values in wsgi_request.GET.lists() for v in values],
        view_args=path_args,
        headers=headers,
        data=wsgi_request.body if wsgi_request.method not in ("GET", "DELETE") else None,
        content_type=wsgi_request.content_type or "application/json",
    )


def assert_matches_contract(response, operation_id: str, *, document: str = "incident-io-openapi.json", request: bool = True):
    """The response (and, for successful calls, the request) must match ``operation_id``
    in the reference document: path, method, status code, body schema."""
    wsgi_request = response.wsgi_request
    found, template, path_args = operation_for(wsgi_request.method, wsgi_request.path, document)
    assert found == operation_id, f"{wsgi_request.method} {wsgi_request.path} is {found}, expected {operation_id}"
    api = _openapi(document)
    openapi_request = _openapi_request(wsgi_request, template, path_args)
    if request and response.status_code < 400:
        api.validate_request(openapi_request)
    content_type = response.get("Content-Type", "application/json").split(";")[0]
    api.validate_response(
        openapi_request,
        MockResponse(response.content, status_code=response.status_code, headers=dict(response.headers), content_type=content_type),
    )
    return response.json() if response.content else None
