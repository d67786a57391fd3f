"""The public site's HTML pages (statuspages/views/pages.py): who may open them, what the
front shows (banner, components, availability, incidents, maintenance), the incident,
maintenance and history pages, branding and the basics of accessibility."""

import base64
import hashlib
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from statuspages import services
from statuspages.models import MaintenanceStatus
from tests.factories import UserFactory, status_page

from .conftest import component, incident, maintenance

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def text(response) -> str:
    return response.content.decode()


# --- who may open a page ------------------------------------------------------------------------


def test_a_public_page_answers_everyone(client, page):
    response = client.get("/status/acme/")
    assert response.status_code == 200 and response["Content-Type"] == "text/html; charset=utf-8"
    body = text(response)
    for shown in ("Acme status", "All systems operational", "API", "Dashboard", "Payments", "Cards", "Invoices"):
        assert shown in body


def test_an_unknown_slug_is_404(client, page):
    assert client.get("/status/nowhere/").status_code == 404
    assert client.get("/status/nowhere/history/").status_code == 404


def test_a_private_page_is_404_to_anyone_but_logged_in_staff(client, staff_reader, db):
    status_page(name="Internal", slug="internal", is_public=False, components=["VPN"])
    assert client.get("/status/internal/").status_code == 404
    client.force_login(UserFactory(username="customer", is_staff=False))
    assert client.get("/status/internal/").status_code == 404
    response = staff_reader.get("/status/internal/")
    assert response.status_code == 200 and "only logged-in staff see it" in text(response)


def test_status_serves_the_default_page(client, db):
    status_page(name="Other", slug="other")
    status_page(name="Main", slug="main", is_default=True, components=["API"])
    response = client.get("/status/")
    assert response.status_code == 200 and "<title>Main</title>" in text(response)


def test_status_redirects_to_the_only_page_when_none_is_the_default(client, page):
    response = client.get("/status/")
    assert response.status_code == 302 and response["Location"] == "/status/acme/"


@pytest.mark.parametrize("pages", [0, 2])
def test_status_is_404_with_no_default_and_not_exactly_one_page(client, db, pages):
    for n in range(pages):
        status_page(name=f"Page {n}", slug=f"page-{n}")
    assert client.get("/status/").status_code == 404


def test_a_private_default_page_is_not_served_at_status_to_anonymous_readers(client, staff_reader, db):
    status_page(name="Internal", slug="internal", is_public=False, is_default=True)
    status_page(name="Public one", slug="public-one")
    assert client.get("/status/")["Location"] == "/status/public-one/"
    assert staff_reader.get("/status/").status_code == 200


def test_only_reads_are_allowed(client, page):
    assert client.post("/status/acme/").status_code == 405
    assert client.head("/status/acme/").status_code == 200


# --- the front ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statuses, level, sentence",
    [
        ({}, "operational", "All systems operational"),
        ({"API": "degraded_performance"}, "degraded", "Degraded performance"),
        ({"API": "degraded_performance", "Cards": "partial_outage"}, "outage", "Partial outage"),
        ({"Cards": "full_outage"}, "outage", "Major outage"),
    ],
)
def test_the_banner_says_the_worst_a_component_shows(client, page, statuses, level, sentence):
    if statuses:
        incident(page, statuses=statuses)
    body = text(client.get("/status/acme/"))
    assert f"banner-{level}" in body and sentence in body


def test_maintenance_under_way_shows_in_the_banner_and_on_its_components(client, page):
    maintenance(page, hours_from_now=-1, hours=2, status=MaintenanceStatus.IN_PROGRESS)
    body = text(client.get("/status/acme/"))
    assert "banner-maintenance" in body and "Maintenance in progress" in body
    assert "Under maintenance" in body and "Database upgrade" in body


def test_components_show_their_status_in_their_groups(client, page):
    incident(page, statuses={"Cards": "partial_outage"})
    body = text(client.get("/status/acme/"))
    group = body[body.index('<li class="group">') :]
    group = group[: group.index("</details>")]
    assert "Payments" in group and "Cards" in group and "Invoices" in group and "API" not in group
    cards = group[group.index("Cards") :]
    assert "Partial outage" in cards[: cards.index("</li>")]


def test_a_collapsed_group_starts_folded_and_a_hidden_one_is_not_shown(client, page):
    services.save_group(actor=None, group=component(page, "Cards").placements.get().group, collapsed=True)
    hidden = services.save_group(actor=None, status_page=page, name="Secret group", hidden=True)
    services.create_component(actor=None, name="Secret component", group=hidden)
    body = text(client.get("/status/acme/"))
    assert "<details>" in body and "<details open>" not in body
    assert "Secret group" not in body and "Secret component" not in body


def test_availability_shows_a_bar_per_day_with_its_date_and_uptime(client, page):
    # Six hours of full outage, three days ago (in the page's time zone): 75% that day.
    day = timezone.now().astimezone(PARIS).date() - timedelta(days=3)
    began = datetime(day.year, day.month, day.day, 8, tzinfo=PARIS)
    services.publish_retrospective_incident(
        actor=None, status_page=page, name="Outage", updates=[
            services.PastUpdate("investigating", "Down", began, {component(page, "API"): "full_outage"}),
            services.PastUpdate("resolved", "Up", began + timedelta(hours=6)),
        ],
    )
    body = text(client.get("/status/acme/"))
    api = body[body.index(f'<span class="component-name"><a href="/status/acme/components/{component(page, "API").pk}/">API</a>') :]
    api = api[: api.index("</p>", api.index('class="bar-legend"'))]
    # Each day a focusable item holding its text (a tap or Tab shows it; screen readers read it).
    bars = re.findall(r'<li class="day ([a-z_]+)[a-z ]*" tabindex="0"><span class="tip">([^<]+)</span></li>', api)
    assert len(bars) == 90
    assert bars[-4] == ("full_outage", f"{day.day} {day:%b %Y}: 75.00% uptime, major outage")
    assert bars[-1][1].endswith("100% uptime") and bars[-1][0] == "operational"
    # The whole period as text: 89 perfect days and one at 75%.
    assert "99.72% uptime" in api
    assert "1 day with incidents" in re.search(r'<ol class="bars" aria-label="([^"]+)"', api).group(1)


def test_a_page_that_shows_no_uptime_draws_no_bars(client, db):
    status_page(name="Plain", slug="plain", components=["API"], display_uptime="nothing")
    assert 'class="bars"' not in text(client.get("/status/plain/"))


def test_incidents_under_way_show_their_latest_update(client, page):
    under_way = incident(page, name="Slow dashboard", message="Looking into it.")
    services.post_incident_update(actor=None, page_incident=under_way, message="Found a *slow query*.", status="identified")
    incident(page, name="Long over", message="Oops").status_page  # noqa: B018
    services.post_incident_update(
        actor=None, page_incident=page.incidents.get(name="Long over"), message="Fixed.", status="resolved"
    )
    body = text(client.get("/status/acme/"))
    assert "Slow dashboard" in body and "Found a <em>slow query</em>." in body and "Looking into it." not in body
    under_way_section = body.split('id="incidents-heading"')[1].split("</section>")[0]
    assert "Long over" not in under_way_section  # only among the past incidents


def test_maintenance_to_come_is_listed_with_what_it_affects(client, page):
    maintenance(page, name="Card network upgrade", components=("Cards",))
    body = text(client.get("/status/acme/"))
    section = body[body.index("Scheduled maintenance") :]
    assert "Card network upgrade" in section and "Affects: Cards" in section


def test_the_front_page_links_to_the_subscribe_form_but_holds_no_form(client, page):
    # The body is cached and shared by every reader: no form, so no per-session CSRF token.
    body = client.get("/status/acme/").content.decode()
    assert 'href="/status/acme/subscribe/"' in body
    assert "<form" not in body and "csrfmiddlewaretoken" not in body


# --- an incident, a maintenance ----------------------------------------------------------------


def test_an_incident_page_shows_its_whole_timeline_in_the_page_time_zone(client, page):
    found = incident(page, name="Card payments failing", message="Some **cards** fail. <script>alert(1)</script>",
                     statuses={"Cards": "full_outage"})
    services.post_incident_update(actor=None, page_incident=found, message="Rerouted.", status="monitoring",
                                  component_statuses={component(page, "Cards"): "degraded_performance"})
    services.post_incident_update(actor=None, page_incident=found, message="All good.", status="resolved")
    response = client.get(f"/status/acme/incidents/{found.pk}/")
    body = text(response)
    assert response.status_code == 200 and "<h1>Card payments failing</h1>" in body
    assert "Some <strong>cards</strong> fail." in body and "<script>" not in body
    # Latest first, each with what it moved.
    assert body.index("All good.") < body.index("Rerouted.") < body.index("Some <strong>")
    moved = re.findall(r"<li>(\w+): <span class=\"status status-(\w+)\"", body)
    assert ("Cards", "operational") in moved and ("Cards", "degraded_performance") in moved and ("Cards", "full_outage") in moved
    first = found.updates.order_by("published_at").first().published_at.astimezone(PARIS)
    assert f'<time datetime="{first.isoformat(timespec="seconds")}">' in body
    assert first.tzname() in body  # CET or CEST


def test_an_incident_of_another_page_or_unknown_is_404(client, page):
    other = status_page(name="Other", slug="other", components=["Search"])
    elsewhere = services.publish_incident(actor=None, status_page=other, name="Search down", message="")
    assert client.get(f"/status/acme/incidents/{elsewhere.pk}/").status_code == 404
    assert client.get("/status/acme/incidents/01HZZZZZZZZZZZZZZZZZZZZZZZ/").status_code == 404
    assert client.get(f"/status/other/incidents/{elsewhere.pk}/").status_code == 200


def test_a_maintenance_page_shows_its_window_components_and_timeline(client, page):
    planned = maintenance(page, name="Database upgrade", components=("API", "Invoices"))
    services.post_maintenance_update(actor=None, maintenance=planned, message="Work has **begun**.",
                                     status=MaintenanceStatus.IN_PROGRESS)
    body = text(client.get(f"/status/acme/maintenance/{planned.pk}/"))
    assert "<h1>Database upgrade</h1>" in body and "Work has <strong>begun</strong>." in body
    assert "We will upgrade the database." in body and body.index("begun") < body.index("We will upgrade")
    affected = body[body.index("Affected components") :]
    assert "<li>API</li>" in affected and "<li>Invoices</li>" in affected
    starts = planned.starts_at.astimezone(PARIS)
    assert f'<time datetime="{starts.isoformat(timespec="seconds")}">' in body
    assert client.get("/status/acme/maintenance/01HZZZZZZZZZZZZZZZZZZZZZZZ/").status_code == 404


# --- history ------------------------------------------------------------------------------------


def _past_incident(page, name, months_ago):
    now = timezone.now().astimezone(PARIS)
    month = now.year * 12 + now.month - 1 - months_ago
    began = datetime(month // 12, month % 12 + 1, 15, 12, tzinfo=PARIS)
    ended = began + timedelta(hours=1)
    if months_ago == 0:  # this month, and in the past: publication dates in the future are refused
        began = max(now.replace(day=1, hour=0, minute=0, second=0, microsecond=0), now - timedelta(hours=2))
        ended = began + (now - began) / 2
    return services.publish_retrospective_incident(
        actor=None, status_page=page, name=name,
        updates=[services.PastUpdate("investigating", "Broken", began), services.PastUpdate("resolved", "Fixed", ended)],
    )


def test_history_lists_incidents_and_maintenance_by_month_newest_first(client, page):
    _past_incident(page, "Two months back", 2)
    _past_incident(page, "This month", 0)
    maintenance(page, name="Planned work")
    body = text(client.get("/status/acme/history/"))
    months = re.findall(r'<time datetime="(\d{4}-\d{2})">', body)
    assert months == sorted(months, reverse=True) and len(months) >= 3
    assert body.index("This month") < body.index("Two months back")
    assert "Planned work" in body and "No incidents reported." in body  # last month was quiet


def test_history_is_paginated_by_ranges_of_months(client, page):
    _past_incident(page, "Recent", 1)
    _past_incident(page, "Four months back", 4)
    _past_incident(page, "Seven months back", 7)
    first, second, third = (text(client.get("/status/acme/history/", {"page": n})) for n in (1, 2, 3))
    assert "Recent" in first and "Four months back" not in first and "?page=2" in first
    assert "Four months back" in second and "Recent" not in second and "?page=3" in second
    assert "Seven months back" in third and "?page=4" not in third and 'rel="prev"' in third
    assert client.get("/status/acme/history/", {"page": 4}).status_code == 404
    assert client.get("/status/acme/history/", {"page": "x"}).status_code == 404


# --- branding and accessibility ------------------------------------------------------------------


def test_the_page_carries_its_branding(client, db):
    status_page(name="Branded", slug="branded", logo_url="https://example.com/logo.png", brand_colour="#ffd33d",
                support_url="https://example.com/help")
    body = text(client.get("/status/branded/"))
    assert 'src="https://example.com/logo.png"' in body and 'href="https://example.com/help"' in body
    # A light brand colour gets dark text on it, and links in a colour that reads on white.
    assert "--brand: #ffd33d; --on-brand: #000000; --link: #0a4fb5;" in body


def test_pages_are_built_to_be_read_by_anyone(client, page):
    found = incident(page, statuses={"API": "degraded_performance"})
    for path in ("/status/acme/", f"/status/acme/incidents/{found.pk}/", "/status/acme/history/"):
        body = text(client.get(path))
        assert '<html lang="en">' in body and 'name="viewport"' in body
        assert body.count("<h1") == 1 and '<main id="main"' in body and 'href="#main"' in body
        assert "<time datetime=" in body
    assert ':focus-visible' in open("statuspages/static/statuspages/status.css").read()


def test_the_content_security_policy_allows_the_pages_colours_and_logo_only(client, db):
    status_page(name="Branded", slug="branded", logo_url="https://cdn.example.com/logo.png", brand_colour="#ffd33d")
    for _ in range(2):  # rendered, then served from the kept body: the header is the same
        response = client.get("/status/branded/")
        policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
        style = re.search(r"<style>(.*?)</style>", text(response), re.S).group(1)
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy["style-src"] and "unsafe-inline" not in policy["style-src"]
        assert policy["img-src"] == "'self' data: https://cdn.example.com"
        assert policy["script-src"].startswith("'self'")
