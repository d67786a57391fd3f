"""``GET /v2/incidents/{id}``, the API's most requested read, served without DRF's
request cycle when nothing about the request is out of the ordinary.

It takes the steps the DRF view takes, in the same order and through the same functions:
the key (``auth.authenticate``, through the gate, which also reads the incident's cached
rendering), its role, its rate limit (``throttling.check``), the incident as the key may
see it (``restricted()``, as the viewset's base narrows its rows), then the rendering. It saves DRF's request wrapping,
content negotiation and response finalising.

Anything else goes to the DRF view, which answers as it always does, errors in
incident.io's shape included: another method, a query string, an Accept header that is
not JSON's, an id that cannot be one, no key or a bad one, a missing role, the rate limit, an incident the key may
not see. What the fast path did is on the request's state and reused: the key is not
looked up twice, nor the request charged twice.
"""

from django.http import HttpResponse

from core.api import throttling
from core.api.auth import authenticate, bearer_token
from core.api.state import state_of
from core.models.restricted import restricted
from incidents import selectors

from . import renderings

#: Accept headers the DRF view answers with JSON, its only renderer (others go to it)
JSON_ACCEPTS = frozenset({"", "*/*", "application/json"})


def accelerated_show(drf_view, *, dialect: str, render_many):
    """Wrap ``drf_view`` (a viewset's ``{"get": "retrieve"}`` view, whose action's roles
    are read from the viewset) with the fast path; ``render_many(ids)`` renders incidents
    as the DRF view does. The accelerated backend installs it
    (``incidents.api.acceleration.show_view``)."""
    roles = drf_view.cls.roles["retrieve"]
    # The Allow header DRF sets: the methods of the view's actions, HEAD with GET (as DRF's
    # view function adds it), OPTIONS.
    view_instance = drf_view.cls(**drf_view.initkwargs)
    for method, action in drf_view.actions.items():
        setattr(view_instance, method, getattr(view_instance, action))
    if "get" in drf_view.actions:
        view_instance.head = view_instance.get
    allow = ", ".join(view_instance.allowed_methods)

    def view(request, pk):
        token = bearer_token(request)
        if (
            request.method != "GET"
            or request.META.get("QUERY_STRING")
            or request.META.get("HTTP_ACCEPT", "") not in JSON_ACCEPTS
            or not token
            # Ids and reference numbers are ASCII letters and digits: anything else names
            # no incident (the DRF view answers its 404) and is no cache key.
            or not (pk.isascii() and pk.isalnum() and len(pk) <= 26)
        ):
            return drf_view(request, pk=pk)
        state_of(request).prefetch = [renderings.rendering_key(dialect, pk)]
        key = authenticate(request, token)
        if key is None or not key.has_role(*roles):
            return drf_view(request, pk=pk)
        rate_limit = throttling.check(request, key)
        if rate_limit is not None and not rate_limit.allowed:
            return drf_view(request, pk=pk)
        incident = selectors.find_incident(restricted(selectors.revisions(), key), pk)
        if incident is None:
            return drf_view(request, pk=pk)
        response = HttpResponse(renderings.incident_body(request, dialect, incident, render_many), content_type="application/json")
        response["Allow"] = allow
        for header, value in (rate_limit.headers() if rate_limit else {}).items():
            response[header] = value
        return response

    return view
