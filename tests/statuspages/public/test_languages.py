"""The reader's language (statuspages/languages.py): their switcher cookie, else their
browser's Accept-Language, else the page's default; and the public caches, plain and
accelerated, never hand one reader's language to another."""

import gzip
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings

from statuspages import services

from .conftest import incident

pytestmark = pytest.mark.django_db


def body(response) -> str:
    content = response.content
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    return content.decode()


def test_the_browser_language_picks_the_page_language(client, page):
    response = client.get("/status/acme/", HTTP_ACCEPT_LANGUAGE="de-AT,de;q=0.9,en;q=0.5")
    text = body(response)
    assert response.status_code == 200 and '<html lang="de">' in text and "Aktueller Status" in text
    assert response["Content-Language"] == "de"
    assert {"accept-language", "cookie"} <= {v.strip().lower() for v in response["Vary"].split(",")}


def test_a_browser_asking_for_no_shipped_language_gets_the_page_default(client, page):
    services.save_status_page(actor=None, page=page, default_language="fr")
    response = client.get("/status/acme/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert response["Content-Language"] == "fr" and "Historique des incidents" in body(response)
    assert client.get("/status/acme/")["Content-Language"] == "fr"


def test_the_switcher_sets_the_language_cookie_and_goes_back(client, page):
    response = client.get("/status/acme/language/ja/", {"next": "/status/acme/history/"})
    assert response.status_code == 302 and response["Location"] == "/status/acme/history/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ja"
    # The choice wins over what the browser asks for.
    after = client.get("/status/acme/history/", HTTP_ACCEPT_LANGUAGE="de")
    assert after["Content-Language"] == "ja" and "障害履歴" in body(after)


def test_every_page_links_to_each_language_with_its_own_name(client, page):
    text = body(client.get("/status/acme/"))
    for code, name in settings.LANGUAGES:
        assert f'href="/status/acme/language/{code}/?next=/status/acme/" lang="{code}" hreflang="{code}"' in text
        assert f">{name}</a>" in text
    assert 'lang="en" hreflang="en" aria-current="true"' in text


def test_the_switcher_refuses_unknown_languages_and_other_sites(client, page):
    assert client.get("/status/acme/language/xx/").status_code == 404
    assert client.get("/status/acme/language/de-AT/").status_code == 404
    away = client.get("/status/acme/language/de/", {"next": "https://evil.example/"})
    assert away.status_code == 302 and away["Location"] == "/status/acme/"
    assert client.get("/status/acme/language/de/", {"next": "//evil.example/"})["Location"] == "/status/acme/"


@pytest.mark.parametrize("gzipped", [False, True], ids=["identity", "gzip"])
def test_one_readers_language_is_never_served_to_another(client, page, speed, gzipped):
    incident(page, name="Checkout failing", statuses={"API": "partial_outage"})
    encoding = {"HTTP_ACCEPT_ENCODING": "gzip"} if gzipped else {}
    english = client.get("/status/acme/", HTTP_ACCEPT_LANGUAGE="en", **encoding)
    german = client.get("/status/acme/", HTTP_ACCEPT_LANGUAGE="de", **encoding)
    again = client.get("/status/acme/", HTTP_ACCEPT_LANGUAGE="en", **encoding)
    assert "Partial outage" in body(english) and "Teilausfall" not in body(english)
    assert "Teilausfall" in body(german) and "Partial outage" not in body(german)
    assert body(again) == body(english)
    assert english["ETag"] != german["ETag"]
    # An English reader's copy does not answer a German reader's revalidation.
    revalidated = client.get("/status/acme/", HTTP_ACCEPT_LANGUAGE="de", HTTP_IF_NONE_MATCH=english["ETag"], **encoding)
    assert revalidated.status_code == 200 and "Teilausfall" in body(revalidated)
    assert client.get("/status/acme/", HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=english["ETag"], **encoding).status_code == 304
    # The cookie counts the same way.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = client.get("/status/acme/", HTTP_ACCEPT_LANGUAGE="en", **encoding)
    assert "Panne partielle" in body(french) and french["ETag"] not in (english["ETag"], german["ETag"])


def test_dates_and_numbers_follow_the_language(client, page):
    incident(page, name="Checkout failing", statuses={"API": "partial_outage"})
    german = body(client.get("/status/acme/", HTTP_ACCEPT_LANGUAGE="de"))
    japanese = body(client.get("/status/acme/", HTTP_ACCEPT_LANGUAGE="ja"))
    english = body(client.get("/status/acme/"))
    zone = r"(CET|CEST)"  # the page's zone, Europe/Paris
    assert re.search(rf'<time datetime="[^"]+">\d{{1,2}}\. [A-ZÄÖÜ][a-zä]+\.? \d{{4}}, \d\d:\d\d {zone}</time>', german)
    assert re.search(rf'<time datetime="[^"]+">\d{{4}}年\d{{1,2}}月\d{{1,2}}日 \d\d:\d\d {zone}</time>', japanese)
    assert re.search(rf'<time datetime="[^"]+">\d{{1,2}} [A-Z][a-z]{{2}} \d{{4}}, \d\d:\d\d {zone}</time>', english)
    # Percentages: a decimal comma and a space before the sign in German.
    assert re.search(r"\d+(,\d\d)? % Verfügbarkeit", german) and not re.search(r"\d\.\d\d ?%", german)
    assert re.search(r"稼働率 \d+(\.\d\d)?%", japanese)


def test_the_feeds_are_in_the_readers_language(client, page):
    incident(page, name="Checkout failing")
    feed = ET.fromstring(client.get("/status/acme/feed.rss", HTTP_ACCEPT_LANGUAGE="es").content)
    channel = feed.find("channel")
    assert channel.find("language").text == "es"
    assert channel.find("title").text == "Acme status: incidentes y mantenimientos"
    assert "Investigando" in channel.find("item").find("description").text


def test_the_404_page_is_in_the_readers_language(client, page):
    response = client.get("/status/acme/incidents/nope/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404 and "Page introuvable" in body(response) and '<html lang="fr">' in body(response)
    assert "accept-language" in response["Vary"].lower()
