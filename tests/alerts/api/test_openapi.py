"""Our served OpenAPI document names every alert operation we route with incident.io's
operation id and success status, as its whole document has them."""

import re

import pytest

from alerts.api import urls
from incidents.api.v1.views.utilities import openapi_document
from tests.contract import _document, operation_for

FULL = "incident-io-openapi-full.json"
#: ours only: the other kinds' events URLs are not in incident.io's public document
OURS_ONLY = {
    ("POST", "/v2/alert_events/alertmanager/{alert_source_config_id}"),
    ("POST", "/v2/alert_events/grafana/{alert_source_config_id}"),
    ("POST", "/v2/alert_events/pager_duty/{alert_source_config_id}"),
    ("POST", "/v2/enqueue"),
}


def routed():
    for pattern in urls.urlpatterns:
        route = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "{id}" if m[1] == "pk" else "{" + m[1] + "}", str(pattern.pattern))
        actions = getattr(pattern.callback, "actions", None)
        if actions is None:
            view_class = pattern.callback.view_class
            actions = {m: m for m in view_class.http_method_names if m != "options" and hasattr(view_class, m)}
        # DRF adds HEAD to a viewset's GET routes once they have served a request.
        yield from ((method.upper(), route) for method in actions if method != "head")


@pytest.fixture(scope="module")
def ours():
    openapi_document.cache_clear()
    return openapi_document()


def test_every_alert_route_is_incident_ios_operation_with_its_success_status(ours):
    reference = _document(FULL)
    checked = 0
    for method, path in routed():
        if (method, path) in OURS_ONLY:
            continue
        expected, template, _ = operation_for(method, path, FULL)
        assert expected, f"{method} {path} is not in incident.io's document"
        mine = ours["paths"][path][method.lower()]
        assert mine["operationId"] == expected
        theirs = reference["paths"][template][method.lower()]["responses"]
        assert [c for c in mine["responses"] if c.startswith("2")] == [min(c for c in theirs if c.startswith("2"))]
        checked += 1
    assert checked == 22
