"""The front page's past incidents: the last ``STATUSPAGES_PAST_INCIDENT_DAYS`` days (in
the page's zone, today included), by day, "No incidents reported" on quiet days, each
incident linking to its page; only what the reader may see; a cached front page shows a
change at once."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from statuspages import services
from statuspages.models import Visibility

from .conftest import component, incident

pytestmark = pytest.mark.django_db


def past(page, name, days_ago, *, visibility=Visibility.PUBLIC, resolved=True):
    began = timezone.now() - timedelta(days=days_ago)
    updates = [services.PastUpdate("investigating", "Broken", began, {component(page, "API"): "partial_outage"})]
    if resolved:
        updates.append(services.PastUpdate("resolved", "Fixed", began + timedelta(minutes=30)))
    return services.publish_retrospective_incident(
        actor=None, status_page=page, name=name, updates=updates, visibility=visibility
    )


def section(response) -> str:
    body = response.content.decode()
    match = re.search(r'<section class="past".*?</section>', body, re.S)
    assert match, "no past incidents section"
    return match.group(0)


def days_of(html) -> list[tuple[str, list[str]]]:
    """Each day's heading date and the names of its incidents ([] for a quiet day)."""
    found = []
    for day in re.findall(r'<div class="past-day">(.*?)</div>', html, re.S):
        date = re.search(r'<time datetime="([0-9-]+)">', day).group(1)
        names = re.findall(r'<a href="[^"]+">([^<]+)</a>', day)
        assert bool(names) != ("No incidents reported." in day)
        found.append((date, names))
    return found


def test_fourteen_days_by_day_quiet_days_said(client, page):
    old = past(page, "Cards declined", 3)
    past(page, "Too old to show", 15)
    current = incident(page, name="Slow API")
    response = client.get("/status/acme/")
    days = days_of(section(response))
    today = timezone.now().astimezone(ZoneInfo("Europe/Paris")).date()
    assert [date for date, _ in days] == [str(today - timedelta(days=n)) for n in range(14)]
    by_date = dict(days)
    assert by_date[str(today)] == ["Slow API"]
    three_ago = (timezone.now() - timedelta(days=3)).astimezone(ZoneInfo("Europe/Paris")).date()
    assert by_date[str(three_ago)] == ["Cards declined"]
    assert sum(len(names) for names in by_date.values()) == 2  # nothing from 15 days ago
    html = section(response)
    assert f'href="/status/acme/incidents/{old.pk}/"' in html
    assert f'href="/status/acme/incidents/{current.pk}/"' in html


def test_only_what_the_reader_may_see(client, staff_reader, page):
    past(page, "Public one", 1)
    past(page, "Staff one", 1, visibility=Visibility.STAFF)
    past(page, "Hidden one", 1, visibility=Visibility.HIDDEN)
    public = [n for _, names in days_of(section(client.get("/status/acme/"))) for n in names]
    staff = [n for _, names in days_of(section(staff_reader.get("/status/acme/"))) for n in names]
    assert public == ["Public one"]
    assert sorted(staff) == ["Public one", "Staff one"]


def test_the_setting_sets_the_days_and_zero_hides_the_section(client, page, settings):
    settings.STATUSPAGES_PAST_INCIDENT_DAYS = 3
    assert len(days_of(section(client.get("/status/acme/")))) == 3
    settings.STATUSPAGES_PAST_INCIDENT_DAYS = 0
    assert 'class="past"' not in client.get("/status/acme/").content.decode()


@pytest.mark.usefixtures("accelerated")
def test_a_cached_front_page_shows_a_resolution_and_a_new_incident_at_once(client, page):
    open_one = incident(page, name="Slow API", statuses={"API": "degraded_performance"})
    assert "pill-investigating" in section(client.get("/status/acme/"))
    services.post_incident_update(actor=None, page_incident=open_one, message="Fixed", status="resolved")
    html = section(client.get("/status/acme/"))
    assert "pill-resolved" in html and "pill-investigating" not in html
    incident(page, name="Cards declined")
    assert "Cards declined" in section(client.get("/status/acme/"))
