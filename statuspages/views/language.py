"""The language switcher's target: links, not a form, since the pages that carry them are
cached and shared by every reader and so can hold no CSRF token. Following one sets
Django's language cookie (the one ``set_language`` writes) and goes back to the page it was
followed from. Choosing a language is no action anyone could be tricked into to their
harm, so a GET may do it."""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from statuspages.languages import supported


@never_cache
@require_safe
def choose_language(request, slug: str, language: str):
    chosen = supported(language)
    if chosen is None or chosen != language:
        raise Http404("The site does not speak this language")
    back = request.GET.get("next", "")
    if not (back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})):
        back = reverse("statuspages:page", args=[slug])
    response = HttpResponseRedirect(back)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        chosen,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
        path=settings.LANGUAGE_COOKIE_PATH,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE or settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response
