"""How every public response is served: the page looked up (404 for a private page unless
the reader is logged-in staff), its ETag and Last-Modified from the page's versions
(``caching``), a 304 when the reader's copy is current (Django's ``condition``), else the
body, as the acceleration backend serves it (``caching.PageCache``): rendered for every
request (plain), or once per version and audience and sent gzipped to readers that accept
it (accelerated)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition, require_safe

from statuspages import caching, selectors
from statuspages.languages import reader_language
from statuspages.models import StatusPage


@dataclass
class PublicRequest:
    """What one request to the public site has learnt about itself before rendering."""

    page: StatusPage
    #: a logged-in staff member: sees private pages and staff-only incidents
    staff: bool
    #: the language the body is in (``statuspages.languages``)
    language: str
    versions: caching.Versions
    #: the ETag of what the page shows to this audience, which keys its rendered body
    version: str
    #: the body is sent compressed (accelerated, to a reader that accepts gzip)
    compressed: bool
    #: the ETag of the representation sent (a compressed one differs from the plain one)
    etag: str
    last_modified: datetime


def public_state(request) -> PublicRequest:
    return request.statuspage_public


def reader_is_staff(request) -> bool:
    # Without a session cookie this reads nothing: an anonymous reader costs no query.
    user = request.user
    return bool(user.is_authenticated and user.is_staff)


#: no page's slug is longer (its column): a longer one is no page, and never reaches a cache key
SLUG_MAX = StatusPage._meta.get_field("slug").max_length


def resolve(request, slug: str) -> tuple[StatusPage, caching.Versions]:
    if len(slug) > SLUG_MAX:
        raise Http404("No such status page")
    page, versions = caching.backend().page_by_slug(slug)
    if page is None or not selectors.may_open(page, staff=reader_is_staff(request)):
        raise Http404("No such status page")
    return page, versions


def cdn_cache_control() -> dict:
    """What an anonymous reader's response to a public page says to caches: a browser may
    reuse it briefly (a 304 after that costs no rendering), a CDN a little longer, and
    through an outage of this site for ``stale-if-error``. What staff see, or a private
    page, is for nobody else's cache and asked for each time."""
    return {
        "public": True,
        "max_age": settings.STATUSPAGES_CACHE_MAX_AGE,
        "s_maxage": settings.STATUSPAGES_CACHE_S_MAXAGE,
        "stale_while_revalidate": settings.STATUSPAGES_CACHE_STALE_WHILE_REVALIDATE,
        "stale_if_error": settings.STATUSPAGES_CACHE_STALE_IF_ERROR,
    }


def _etag(request, **kwargs):
    return request.statuspage_public.etag


def _last_modified(request, **kwargs):
    return request.statuspage_public.last_modified


def public_view(
    name: str,
    *,
    fresh_for: int | None = None,
    params: Mapping[str, Callable[[str | None], str]] | None = None,
    cors: bool = False,
    csp=None,
):
    """Serve ``render(request, page, **kwargs) -> HttpResponse`` (200, or raising Http404)
    at ``/status/<slug>/...``.

    ``name`` and the URL's other arguments (and the query ``params`` named, nothing else)
    tell one response of a page from another; each of ``params`` maps to the function
    that normalises its raw value (None when absent) to the one spelling that reaches the
    cache key, so ``?page=01``, ``?page=1`` and no ``page`` at all are one entry, and junk
    values cannot multiply entries; ``fresh_for``: content that time alone
    changes is versioned by windows of that many seconds as well; ``cors``: a public
    page's response may be read by scripts of any origin (JSON, badges); ``csp(page)``:
    what the page's HTML adds to the Content-Security-Policy (the header is written for
    every response, a body kept from an earlier one included)."""

    def decorator(render):
        @condition(etag_func=_etag, last_modified_func=_last_modified)
        def conditional(request, **kwargs):
            state = public_state(request)

            def rendered() -> caching.Rendered:
                with timezone.override(state.page.time_zone), translation.override(state.language):
                    response = render(request, state.page, **kwargs)
                return caching.Rendered(response.content, response["Content-Type"])

            body = caching.backend().render_once(state.version, rendered, compressed=state.compressed)
            response = HttpResponse(body.content, content_type=body.content_type)
            if body.encoding:
                response["Content-Encoding"] = body.encoding
            return response

        @require_safe
        @wraps(render)
        def view(request, slug: str, page: StatusPage | None = None, **kwargs):
            if page is None:
                page, versions = resolve(request, slug)
            else:
                versions = caching.versions(page.pk)
            staff = reader_is_staff(request)
            number, began = caching.window(fresh_for)
            language = reader_language(request, page.default_language)
            variant = [
                name,
                f"lang={language}",
                *(f"{k}={v}" for k, v in sorted(kwargs.items())),
                *(f"{p}={normalise(request.GET.get(p))}" for p, normalise in (params or {}).items()),
            ]
            version = caching.etag_of(page.pk, versions.everything, versions.page, staff, number, *variant)
            compressed = caching.backend().compressed(request)
            request.statuspage_public = PublicRequest(
                page=page,
                staff=staff,
                language=language,
                versions=versions,
                version=version,
                compressed=compressed,
                etag=f'{version[:-1]}-gzip"' if compressed else version,
                last_modified=max(versions.changed_at, began) if began else versions.changed_at,
            )
            response = conditional(request, **kwargs)
            shared = page.is_public and not staff
            patch_cache_control(response, **(cdn_cache_control() if shared else {"private": True, "no_cache": True}))
            # One reader's language is never another's: the body's version names it, and a
            # shared cache is told it depends on these headers.
            patch_vary_headers(response, ["Cookie", "Accept-Encoding", "Accept-Language"])
            response["Content-Language"] = language
            if cors and shared:
                response["Access-Control-Allow-Origin"] = "*"
            if csp is not None:
                response._csp_update = csp(page)  # django-csp's per-response additions
            return response

        return view

    return decorator
