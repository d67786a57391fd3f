"""GET /v2/incidents/{id}, the API's most requested read, served without DRF's request
cycle when nothing about the request is out of the ordinary.

The fast path takes the steps the DRF view takes, in the same order: the key (from the
gate's cache round trip, ``incidents.api.gate``), its role, its rate limit, the
incident's row (which decides whether the key may see it, and how fresh its rendering
must be), then the rendering. It saves DRF's request wrapping, content negotiation and
response finalising, and it sends the incident's query before the cache round trip, so
that the two overlap (``selectors.incident_stamp_ahead``).

Anything else goes to the DRF view, which answers exactly as it always does, errors in
incident.io's shape included: another method, a query string, an Accept header that is
not JSON's, no key or a bad one, a missing role, the rate limit, an incident the key
may not see. What the fast path already did is left on the request and reused: the key
is not looked up twice, nor the request charged twice against its rate limit.
"""

from functools import update_wrapper

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from incidents import caching, selectors, services

from . import fragments, gate
from .auth import bearer_token
from .errors import RateLimited
from .ratelimit import check_rate_limit

#: Accept headers the DRF view answers with JSON, its only renderer (others go to it)
JSON_ACCEPTS = frozenset({"", "*/*", "application/json"})


def show(drf_view, *, dialect: str, roles: tuple[str, ...], body):
    """Wrap ``drf_view`` (a viewset's ``{"get": "retrieve"}`` view) with the fast path.
    ``body(incident, tokens, prefetched)`` builds the response's body from the
    incident's ``selectors.IncidentStamp``, the version tokens and the prefetched cache
    entries, as the DRF view's action does."""
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
        ):
            return drf_view(request, pk=pk)
        request.cache_prefetch = [fragments.key(dialect, pk)]
        with selectors.incident_stamp_ahead(pk) as stamp:
            token_hash, cached = gate.read(request, token)
            stamp.wait()  # the connection is free again: a key not in the cache is read from it
        key = services.authenticate_token_hash(token_hash, cached=cached)
        request.admitted = (token, key)
        if key is None or not key.has_role(*roles):
            return drf_view(request, pk=pk)
        try:
            check_rate_limit(request, key)
        except RateLimited:
            return drf_view(request, pk=pk)
        incident = stamp.seen_by(key)
        if incident is None:
            return drf_view(request, pk=pk)
        response = HttpResponse(
            body(incident, caching.versions(request.cache_versions), request.cache_prefetched),
            content_type="application/json",
        )
        response["Allow"] = allow
        for header, value in request.rate_limit_headers.items():
            response[header] = value
        return response

    # What Django (csrf_exempt) and drf-spectacular (cls, initkwargs, actions) read off a
    # viewset's view: the schema and the URL conf see the DRF view.
    return csrf_exempt(update_wrapper(view, drf_view))
