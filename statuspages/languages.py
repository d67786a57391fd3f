"""Which language a reader of the public site gets: the one they picked with the switcher
(Django's language cookie, the one ``set_language`` writes), else the first of their
browser's ``Accept-Language`` the site speaks, else the page's ``default_language``.

The public bodies are cached and shared, so the language is part of each body's version
(``views.serving``), and responses say ``Vary: Accept-Language, Cookie``. No middleware:
the admin and the APIs stay in English whatever the browser asks for.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation.trans_real import parse_accept_lang_header


def shipped() -> tuple[str, ...]:
    """The languages the public site has complete catalogues for (``LANGUAGES``)."""
    return tuple(code for code, _ in settings.LANGUAGES)


def supported(code: str | None) -> str | None:
    """The shipped language ``code`` (``de-AT``, ``ja_JP``, ``FR``) asks for, or None."""
    if not code:
        return None
    code = code.lower().replace("_", "-")
    languages = shipped()
    if code in languages:
        return code
    primary = code.split("-", 1)[0]
    return primary if primary in languages else None


def reader_language(request, default: str | None) -> str:
    """The reader's language: their cookie, their browser's choice, else ``default`` (the
    page's), else the site's."""
    chosen = supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen:
        return chosen
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")[:255]):
        if code == "*":
            break
        if found := supported(code):
            return found
    return supported(default) or supported(settings.LANGUAGE_CODE) or shipped()[0]
