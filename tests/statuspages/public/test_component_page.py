"""A component's page (statuspages/views/components.py): its status, 90 days of bars, its
uptime by month over a year and the incidents that named it, linked from its name on the
front page; in a constant number of queries; never a staff-only incident to the public."""

import calendar
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from statuspages import services
from statuspages.models import Visibility
from statuspages.selectors import Day
from statuspages.templatetags.status_pages import percent
from statuspages.views.components import by_month

from .conftest import component, incident

pytestmark = pytest.mark.django_db


def path(page, name):
    return f"/status/acme/components/{component(page, name).pk}/"


def test_the_front_page_links_each_component_to_its_page(client, page):
    front = client.get("/status/acme/").content.decode()
    assert f'href="{path(page, "API")}"' in front and f'href="{path(page, "Cards")}"' in front
    response = client.get(path(page, "Cards"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Cards</h1>" in body and "Payments" in body and "Operational" in body
    assert body.count('class="day ') == 90 and "Uptime by month" in body


def test_the_incidents_that_named_it_are_listed_but_never_a_staff_only_one(client, staff_reader, page):
    named = incident(page, name="Cards declined", statuses={"Cards": "partial_outage"})
    incident(page, name="Dashboard slow", statuses={"Dashboard": "degraded_performance"})
    incident(page, name="Secret card trouble", statuses={"Cards": "full_outage"}, visibility=Visibility.STAFF)
    body = client.get(path(page, "Cards")).content.decode()
    assert f'href="/status/acme/incidents/{named.pk}/"' in body and "Partial outage" in body
    assert "Dashboard slow" not in body and "Secret card trouble" not in body
    assert "Secret card trouble" in staff_reader.get(path(page, "Cards")).content.decode()


def test_uptime_by_month_counts_each_calendar_month_of_the_year():
    first = date(2026, 1, 30)
    days = [Day(first + timedelta(days=n), {"full_outage": 43_200} if n == 3 else {}) for n in range(40)]
    months = by_month(days)
    assert [m.month for m in months] == [date(2026, 3, 1), date(2026, 2, 1), date(2026, 1, 1)]
    february = months[1]
    assert february.days == 28 and february.hurt_days == 1 and february.percent == round(100 * (27.5 / 28), 4)
    assert months[0].days == 10 and months[0].percent == 100.0


def test_an_outage_long_ago_shows_in_its_month_not_in_the_bars(client, page):
    zone = ZoneInfo("Europe/Paris")
    today = timezone.now().astimezone(zone).date()
    month = (today.replace(day=1) - timedelta(days=200)).replace(day=1)
    began = datetime.combine(month.replace(day=10), time(10), tzinfo=zone)  # six hours, one day
    services.publish_retrospective_incident(actor=None, status_page=page, name="API down long ago", updates=[
        services.PastUpdate("investigating", "Down.", began, {component(page, "API"): "full_outage"}),
        services.PastUpdate("resolved", "Back.", began + timedelta(hours=6)),
    ])
    body = client.get(path(page, "API")).content.decode()
    bars, table = body.split("Uptime by month")[:2]
    assert "major outage" not in bars.lower()
    length = calendar.monthrange(month.year, month.month)[1]
    row = f'{month:%B %Y}</time></th><td>{percent(100 * (length - 0.25) / length)}</td><td>1</td>'
    assert row in table and "API down long ago" in body


def test_a_component_the_page_does_not_show_is_404(client, page):
    services.place_component(actor=None, component=component(page, "API"), status_page=page, hidden=True)
    assert client.get(path(page, "API")).status_code == 404
    assert client.get("/status/acme/components/nothing/").status_code == 404


@pytest.mark.parametrize("n", [1, 30])
def test_the_component_page_s_query_count_is_constant(client, page, n, django_assert_num_queries):
    for number in range(n):
        incident(page, name=f"Cards trouble {number}", statuses={"Cards": "partial_outage"})
    # the page by its slug; where the page shows the component (with it and its group);
    # the incidents that named it; its status: maintenance under way, open impacts; a
    # year of impacts
    with django_assert_num_queries(6):
        assert client.get(path(page, "Cards")).status_code == 200
