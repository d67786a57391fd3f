"""A page rendered in each shipped language has no English left but what staff wrote:
every word of the rendered text (and of the attributes people read: aria-label, title,
alt) that is a word of the English interface, or an English month, fails the test,
unless the language's own catalogue uses it too (German says "Status" and "Updates")."""

import html
import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import dateformat, timezone, translation

from notifications.rendering import confirmation_message, render_update
from statuspages import services
from tests.factories import status_page

from .catalogues import SHIPPED, catalogue

pytestmark = pytest.mark.django_db

#: what staff wrote, which stays as written
STAFF_TEXT = ["Acme status", "API", "Dashboard", "Payments", "Cards", "Invoices", "Checkout failing",
              "Cards fail at checkout.", "Rolled back.", "Database upgrade", "We will upgrade the database.",
              "Slow dashboard", "It was slow."]
#: names that are the same in every language
NAMES = {"json", "rss", "atom", "utc", "cet", "cest", "english", "deutsch", "français", "español"}
MONTHS = ("january february march april may june july august september october november december "
          "jan feb mar apr jun jul aug sep sept oct nov dec").split()
_WORD = re.compile(r"[A-Za-z][A-Za-z']+")
_READ_ATTRIBUTES = re.compile(r'\b(?:aria-label|title|alt)="([^"]*)"')


def english_words() -> set[str]:
    words = set(MONTHS)
    for entry in catalogue("statuspages", "de"):
        for text in (entry.msgid, entry.msgid_plural or ""):
            words |= {w.lower() for w in _WORD.findall(re.sub(r"%\(\w+\)s|\{\w+\}", " ", text)) if len(w) > 2}
    return words - NAMES


def words_of_language(language: str) -> set[str]:
    """The words a language's catalogues use, and its months (German's "November" too)."""
    with translation.override(language):
        found = {w.lower() for month in range(1, 13) for w in _WORD.findall(dateformat.format(date(2026, month, 1), "F N M E"))}
    for app in ("statuspages", "notifications"):
        for entry in catalogue(app, language):
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                text = re.sub(r"<[^>]+>|%\(\w+\)s|\{\w+\}", " ", text)  # markup and placeholders are no words
                found |= {w.lower() for w in _WORD.findall(text)}
    return found


def visible_text(markup: str) -> str:
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    markup = re.sub(r"<head>.*?</head>", lambda m: " ".join(re.findall(r"<title>(.*?)</title>", m.group(0), re.S)), markup, flags=re.S)
    attributes = " ".join(_READ_ATTRIBUTES.findall(markup))
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup) + " " + attributes)
    for written in sorted(STAFF_TEXT, key=len, reverse=True):
        text = text.replace(written, " ")
    return re.sub(r"https?://\S+", " ", text)


def english_left(text: str, language: str) -> set[str]:
    english, own = english_words(), words_of_language(language)
    return {w for w in _WORD.findall(text) if w.lower() in english and w.lower() not in own}


@pytest.fixture
def full_page(db):
    page = status_page(name="Acme status", slug="acme", time_zone="Asia/Tokyo", components=["API", "Dashboard"],
                       groups={"Payments": ["Cards", "Invoices"]})
    cards, dashboard = page.test_components["Cards"], page.test_components["Dashboard"]
    began = timezone.now() - timedelta(days=3)
    services.publish_retrospective_incident(actor=None, status_page=page, name="Slow dashboard", updates=[
        services.PastUpdate("investigating", "It was slow.", began, {dashboard: "degraded_performance"}),
        services.PastUpdate("resolved", "Rolled back.", began + timedelta(hours=2)),
    ])
    live = services.publish_incident(actor=None, status_page=page, name="Checkout failing", message="Cards fail at checkout.",
                                     component_statuses={cards: "partial_outage"}, notify_subscribers=True)
    starts = timezone.now() + timedelta(hours=3)
    planned = services.schedule_maintenance(actor=None, status_page=page, name="Database upgrade",
                                            message="We will upgrade the database.", starts_at=starts,
                                            ends_at=starts + timedelta(hours=1), components=[page.test_components["API"]])
    return page, live, planned


@pytest.mark.parametrize("language", SHIPPED)
def test_the_public_pages_have_no_english_left_but_staff_text(client, full_page, language):
    page, live, planned = full_page
    paths = ["/status/acme/", f"/status/acme/incidents/{live.pk}/", f"/status/acme/maintenance/{planned.pk}/",
             "/status/acme/history/", "/status/acme/feed.rss", "/status/acme/incidents/missing/",
             "/status/acme/subscribe/", "POST /status/acme/subscribe/",
             f"/status/acme/components/{page.test_components['Cards'].pk}/", "/status/acme/history/?q=Checkout"]
    for path in paths:
        if path.startswith("POST "):  # the form again, with its errors
            path = path.removeprefix("POST ")
            response = client.post(path, {"email": "", "scope": "some"}, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 400
        else:
            response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        assert response["Content-Language" if response.status_code == 200 else "Vary"]
        markup = response.content.decode()
        if path.endswith(".rss"):
            # RFC 822 dates are for machines, in English by the standard; the entries'
            # content is HTML escaped inside XML.
            markup = html.unescape(re.sub(r"<(pubDate|lastBuildDate)>.*?</\1>", " ", markup))
        text = visible_text(markup)
        assert not english_left(text, language), f"{path} in {language}: {sorted(english_left(text, language))}"


@pytest.mark.parametrize("language", SHIPPED)
def test_the_emails_have_no_english_left_but_staff_text(full_page, language):
    page, live, planned = full_page
    services.save_status_page(actor=None, page=page, default_language=language)
    page.refresh_from_db()
    rendered = [render_update(live.updates.get()), render_update(planned.updates.get())]
    for one in rendered:
        for part in (one.subject, one.text, one.html):
            assert not english_left(visible_text(part), language), (part, sorted(english_left(visible_text(part), language)))
    from notifications.models import Subscriber

    subscriber = Subscriber.objects.create(status_page=page, email="a@example.com")
    message = confirmation_message(subscriber)
    for part in (message.subject, message.body, message.alternatives[0][0]):
        assert not english_left(visible_text(part), language), sorted(english_left(visible_text(part), language))
    assert not mail.outbox


def test_the_check_finds_english(client, full_page):
    """The check itself can fail: the English page is full of English."""
    text = visible_text(client.get("/status/acme/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    left = english_left(text, "ja")
    assert {"Components", "Incident", "history", "Subscribe"} <= left, left
