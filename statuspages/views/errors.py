"""The public site's own 404 and 500 pages, in the page's look (``config.urls`` names these
handlers): under ``/status/``, a reader who follows a dead link lands on a page that says
so and leads back; everything else (the APIs, the admin) gets ``core``'s answer.

Both are plain HTML with the site's stylesheet and nothing else: no script, no inline
style, nothing from another origin, so the Content-Security-Policy holds. The 500 page
reads nothing (the database may be why it is shown); the 404 page looks the page up by its
slug (1 query) to name it and link to it."""

from __future__ import annotations

import re

from django.http import HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.utils import translation
from django.utils.cache import patch_vary_headers

from core.api import errors as core_errors
from statuspages.languages import reader_language
from statuspages.selectors import pages_for

_PUBLIC = re.compile(r"^/status/(?:(?P<slug>[-a-zA-Z0-9_]+)/)?")


def _public(path: str) -> re.Match | None:
    """The public site's paths, but not Statuspage's JSON under a page (an API's errors
    stay the API's)."""
    match = _PUBLIC.match(path)
    if match is None or "/api/" in path[match.end() - 1 :] or core_errors.is_api_path(path):
        return None
    return match


def handler404(request, exception=None):
    match = _public(request.path)
    if match is None:
        return core_errors.handler404(request, exception)
    page = None
    if match["slug"] and len(match["slug"]) <= 100:
        page = pages_for(staff=False).filter(slug=match["slug"]).first()
    with translation.override(reader_language(request, page.default_language if page else None)):
        body = loader.render_to_string("statuspages/404.html", {"page": page}, request)
    response = HttpResponseNotFound(body)
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


def handler500(request):
    if _public(request.path) is None:
        return core_errors.handler500(request)
    try:
        with translation.override(reader_language(request, None)):  # the headers only: no query
            body = loader.get_template("statuspages/500.html").render()  # no context: nothing may fail here
    except Exception:  # noqa: BLE001 - the last resort must answer
        return core_errors.handler500(request)
    response = HttpResponseServerError(body)
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response
