"""The public site's subscriber pages: the subscribe form, confirming, unsubscribing and
a subscriber's preferences.

They are served apart from the cached public pages (whose bodies are shared by every
reader, so they can hold no per-session CSRF token): the cached page only links to
``/status/<slug>/subscribe/``, which is rendered for each request, with its CSRF token,
and never cached. Links from emails carry a signed token (``notifications.tokens``): no
login. A GET never changes anything; a link's action is a button (a POST). The one
exception to CSRF is RFC 8058's one-click unsubscribe: a mail client POSTs
``List-Unsubscribe=One-Click`` to the unsubscribe link, without a token of ours.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from core.api.auth import authenticate, bearer_token
from core.exceptions import DomainError
from core.net import client_address
from statuspages.languages import reader_language
from statuspages.views.pages import brand_of, page_csp
from statuspages.views.serving import resolve

from . import services
from .forms import ALL, SOME, ComponentsForm, SubscribeForm
from .links import path_of
from .models import Subscriber
from .tokens import InvalidToken, Purpose, read_token

ONE_CLICK = "One-Click"


def _render(request, template: str, page, *, status: int = 200, **context):
    language = reader_language(request, page.default_language)  # as the cached pages choose it
    with translation.override(language):
        response = render(request, f"notifications/{template}", {"page": page, "brand": brand_of(page), **context}, status=status)
    response["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language"])
    # Pages reached by a signed link: the link must not leak to other sites, nor be
    # indexed. Not "no-referrer": a browser then sends its forms with "Origin: null",
    # which CSRF checking refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    response._csp_update = page_csp(page)  # the page's colours and logo, as on the cached pages
    return response


def _keyed(request) -> bool:
    """Whether the request carries a valid API key (``Authorization: Bearer``). A token
    that opens none counts against its address's failed authentications, as on the API."""
    token = bearer_token(request)
    return bool(token) and authenticate(request, token) is not None


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request, slug: str):
    """The form. The per-client limit counts the shared client address
    (``core.net.client_address``, honouring ``TRUSTED_PROXY_COUNT``) by network, and never
    refuses a request carrying a valid API key: behind a proxy every client shares an
    address. Such a request needs no CSRF token either: a key is no ambient credential a
    browser sends by itself. Every other request is CSRF-checked."""
    if request.method == "POST" and _keyed(request):
        return _subscribe(request, slug, limited=False)
    return _protected_subscribe(request, slug)


def _subscribe(request, slug: str, *, limited: bool = True):
    page, _ = resolve(request, slug)
    form = SubscribeForm(request.POST or None, page=page)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_subscription(
                status_page=page,
                email=form.cleaned_data["email"],
                components=form.chosen(),
                source="form",
                client_address=client_address(request) if limited else None,
            )
        except services.SubscribeRateLimited as exc:
            form.add_error(None, gettext_lazy("Too many requests from your network: please try again later."))
            response = _render(request, "subscribe.html", page, form=form, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            # The same answer whatever the address's state (and whether a limit swallowed it).
            return _render(request, "subscribe_sent.html", page, email=form.cleaned_data["email"])
    return _render(request, "subscribe.html", page, form=form, status=400 if form.errors else 200)


_protected_subscribe = csrf_protect(_subscribe)


def _subscriber(request, slug: str, token: str, purpose: Purpose) -> Subscriber:
    try:
        subscriber = read_token(token, purpose)
    except InvalidToken:
        subscriber = None
    if subscriber is None or subscriber.status_page.slug != slug:
        raise _InvalidLink(slug)
    return subscriber


class _InvalidLink(Exception):
    def __init__(self, slug: str):
        self.slug = slug


def _invalid_link(request, slug: str):
    page, _ = resolve(request, slug)
    return _render(request, "invalid_link.html", page, status=404)


def _token_view(purpose: Purpose):
    """Look the token's subscriber up (an invalid, expired or foreign link answers a 404
    page in the page's look) and pass it on."""

    def decorator(view):
        def wrapped(request, slug: str, token: str):
            try:
                subscriber = _subscriber(request, slug, token, purpose)
            except _InvalidLink:
                return _invalid_link(request, slug)
            return view(request, subscriber)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return never_cache(require_http_methods(["GET", "HEAD", "POST"])(wrapped))

    return decorator


@_token_view(Purpose.CONFIRM)
def confirm(request, subscriber: Subscriber):
    """GET: a button to confirm (mail scanners that follow links confirm nothing); POST:
    confirm."""
    page = subscriber.status_page
    if request.method == "POST":
        subscriber = services.confirm(subscriber=subscriber)
        return _render(request, "confirmed.html", page, subscriber=subscriber, preferences_url=path_of("notifications:preferences", subscriber, Purpose.MANAGE))
    return _render(request, "confirm.html", page, subscriber=subscriber)


@_token_view(Purpose.MANAGE)
def _unsubscribe_page(request, subscriber: Subscriber):
    page = subscriber.status_page
    if request.method == "POST":
        subscriber = services.unsubscribe(subscriber=subscriber)
        return _render(request, "unsubscribed.html", page, subscriber=subscriber)
    return _render(request, "unsubscribe.html", page, subscriber=subscriber, done=bool(subscriber.suppression))


_protected_unsubscribe_page = csrf_protect(_unsubscribe_page)


@csrf_exempt
def unsubscribe(request, slug: str, token: str):
    """GET: a page with a button (a GET never unsubscribes: link scanners follow links);
    POST from that button: unsubscribe, CSRF-checked. RFC 8058's one-click POST
    (``List-Unsubscribe=One-Click``, sent by mail clients without any cookie) is the
    only request this view takes without a CSRF token: the signed link is its proof."""
    if request.method == "POST" and request.POST.get("List-Unsubscribe") == ONE_CLICK:
        return _unsubscribe_page(request, slug=slug, token=token)
    return _protected_unsubscribe_page(request, slug=slug, token=token)


@_token_view(Purpose.MANAGE)
def preferences(request, subscriber: Subscriber):
    """Change the components a subscriber hears about; leaving is a button posting to the
    unsubscribe link."""
    page = subscriber.status_page
    initial = {"scope": ALL if subscriber.all_components else SOME, "components": list(subscriber.components.all())}
    form = ComponentsForm(request.POST or None, page=page, initial=initial)
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            subscriber = services.change_components(
                subscriber=subscriber, all_components=form.cleaned_data["scope"] == ALL, components=form.chosen() or ()
            )
            saved = True
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return _render(
        request,
        "preferences.html",
        page,
        subscriber=subscriber,
        form=form,
        saved=saved,
        unsubscribe_url=path_of("notifications:unsubscribe", subscriber, Purpose.MANAGE),
        status=400 if form.errors else 200,
    )


