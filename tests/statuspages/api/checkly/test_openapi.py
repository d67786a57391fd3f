"""Checkly's document, served for this dialect: Checkly's own operations for what we
route, unchanged but for the servers; and none of these views in our incident.io one."""

import re

import pytest
from django.urls import resolve

from incidents.api.v1.views.utilities import openapi_document
from notifications.api.checkly import urls as subscription_urls
from statuspages.api.checkly import urls as checkly_urls
from statuspages.api.checkly.views.openapi import checkly_document
from tests.contract import _document

from .conftest import DOCUMENT

pytestmark = pytest.mark.django_db


def routed() -> set[tuple[str, str]]:
    """(METHOD, Checkly's path template) of every route of the dialect but the document's."""
    names = {"pk": None, "incident_pk": "incidentId", "status_page_id": "statusPageId"}
    operations = set()
    for pattern in [*checkly_urls.urlpatterns, *subscription_urls.urlpatterns]:
        route = "/" + str(pattern.pattern)
        if route.endswith("openapi.json"):
            continue
        resource = route.split("/")[3] if route.count("/") > 2 else ""
        default = {"services": "serviceId", "incidents": "incidentId"}.get(resource, "statusPageId")
        if route.endswith("incident-updates/<str:pk>"):
            default = "incidentUpdateId"
        if route.endswith("subscriptions/<str:pk>"):
            default = "subscriptionId"
        template = re.sub(r"<str:(\w+)>", lambda m: "{%s}" % (names[m[1]] or default), route)
        # DRF adds HEAD to a GET's actions once the view has served a request.
        operations |= {(method.upper(), template) for method in pattern.callback.actions if method != "head"}
    return operations


def referenced(node) -> set[str]:
    if isinstance(node, dict):
        return {node["$ref"].rsplit("/", 1)[1]} if "$ref" in node else set().union(*map(referenced, node.values()), set())
    if isinstance(node, list):
        return set().union(*map(referenced, node), set())
    return set()


def test_every_status_page_operation_is_routed():
    reference = _document(DOCUMENT)["paths"]
    expected = {(method.upper(), path) for path, methods in reference.items() if path.startswith("/v1/status-pages") for method in methods}
    assert routed() == expected


def test_the_served_document_is_checklys_for_what_we_route(anonymous, settings):
    checkly_document.cache_clear()
    response = anonymous.get("/v1/status-pages/openapi.json")
    assert response.status_code == 200
    served = response.json()
    reference = _document(DOCUMENT)
    assert served["servers"][0]["url"] == settings.SITE_URL
    assert {(m.upper(), p) for p, methods in served["paths"].items() for m in methods} == routed()
    for path, methods in served["paths"].items():
        assert methods == reference["paths"][path]
    # Exactly the schemas those operations reach, as Checkly wrote them.
    reached, frontier = set(), referenced(served["paths"])
    while frontier - reached:
        reached |= frontier
        frontier = reached | referenced([reference["components"]["schemas"][name] for name in reached])
    assert set(served["components"]["schemas"]) == reached
    for name, schema in served["components"]["schemas"].items():
        assert schema == reference["components"]["schemas"][name]
    assert served["components"]["securitySchemes"] == reference["components"]["securitySchemes"]


def test_none_of_the_dialects_views_is_in_our_incident_io_document():
    openapi_document.cache_clear()
    ours = openapi_document()
    assert not [path for path in ours["paths"] if path.startswith("/v1/status-pages")]
    # ...though they are routed, so the generator saw them and left them out.
    assert resolve("/v1/status-pages").url_name == "checkly-status-pages"
