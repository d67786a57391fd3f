"""One rule per role, whatever the dialect (``core.api.roles``): every route of the status
page dialects (incident.io's status page API, Cachet, Checkly, and Checkly's
subscriptions) asks for the roles the table gives its kind of operation, and a key with
only the publisher role reads the same data through each of them."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from core.api import roles
from core.api.auth import HasApiRole
from core.api.base import ApiViewSet
from core.models import ApiRole
from statuspages.api.cachet.base import READERS
from tests.clients import make_client
from tests.factories import status_page

#: the modules whose viewsets serve status page data, in any dialect
STATUS_PAGE_DIALECTS = ("statuspages.api.", "notifications.api.checkly")


def routes(patterns=None, prefix=""):
    """(path, viewset class, action) of every DRF route."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            cls, actions = getattr(pattern.callback, "cls", None), getattr(pattern.callback, "actions", None)
            if cls is not None and actions and issubclass(cls, ApiViewSet):
                for action in actions.values():
                    yield prefix + str(pattern.pattern), cls, action


def status_page_routes():
    return sorted(
        {(path, cls, action) for path, cls, action in routes() if cls.__module__.startswith(STATUS_PAGE_DIALECTS)},
        key=lambda route: (route[0], route[2]),
    )


#: the routes open to anyone (a key, if sent, must still be valid): the vendors' documents,
#: Cachet's ping, version and status, and Cachet's public reads
OPEN_ACTIONS = {"document", "ping", "version", "status", "list", "retrieve"}


def required(cls, action) -> tuple[str, ...] | None:
    """The roles a route asks for; None: open to anyone."""
    checks_roles = any(issubclass(permission, HasApiRole) for permission in cls.permission_classes)
    if not checks_roles or action in getattr(cls, "public_actions", ()):
        return None
    return tuple(cls.roles[action])


def test_every_dialect_has_routes_to_walk():
    modules = {cls.__module__.split(".")[2] for _, cls, _ in status_page_routes() if cls.__module__.startswith("statuspages")}
    assert {"incidentio", "cachet", "checkly"} <= modules
    assert any(cls.__module__.startswith("notifications") for _, cls, _ in status_page_routes())


@pytest.mark.parametrize("path_, cls, action", status_page_routes(), ids=lambda v: getattr(v, "__name__", str(v)))
def test_every_route_asks_for_the_roles_of_its_kind_of_operation(path_, cls, action):
    asked = required(cls, action)
    if asked is None:
        # Open to anyone; Cachet's reads show more to a key with the table's read roles
        # (it reads as Cachet's signed-in user: statuspages.api.cachet.base.READERS).
        assert action in OPEN_ACTIONS, (path_, cls.__name__, action)
        assert READERS == roles.roles_for("status_pages", roles.READ)
        return
    assert set(asked) == set(roles.roles_for("status_pages", roles.operation_of(action))), (path_, cls.__name__, action)


# --- what a key with one role gets, dialect by dialect -------------------------------------------

READS = [
    "/v2/status_pages",
    "/v2/status_page_incidents?status_page_id={page}",
    "/v2/status_page_components",
    "/api/incidents",
    "/api/components",
    "/v1/status-pages",
    "/v1/status-pages/incidents",
    "/v1/status-pages/services",
    "/v1/status-pages/{guid}/subscriptions",
]


@pytest.fixture
def page(db):
    return status_page("Acme status", "acme", is_default=True, components=["API"])


@pytest.mark.parametrize("role", [ApiRole.STATUS_PAGE_PUBLISHER, ApiRole.STATUS_PAGE_VIEWER])
@pytest.mark.parametrize("path_", READS)
def test_a_status_page_role_reads_through_every_dialect(page, role, path_):
    from statuspages.api.checkly.ids import guid

    response = make_client(role, name=f"{role} key").get(path_.format(page=page.pk, guid=guid(page.pk)))
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "path_, body",
    [
        ("/v2/status_page_components", {"name": "New"}),
        ("/api/components", {"name": "New", "status": 1}),
        ("/v1/status-pages/services", {"name": "New"}),
    ],
)
def test_a_viewer_writes_through_no_dialect(page, path_, body):
    response = make_client(ApiRole.STATUS_PAGE_VIEWER, name="Viewer key").post(path_, body)
    assert response.status_code == 403, response.content
