"""The admin's front page: the overview's charts, drawn on the server, with their numbers
as text."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from incidents import services
from incidents.admin.overview import duration_text
from incidents.services import PastUpdate
from tests.factories import IncidentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _history(statuses, severities, n=1):
    for i in range(n):
        IncidentFactory(severity=severities["Major"])
        declared = timezone.now() - timedelta(days=3, hours=i)
        services.record_past_incident(
            actor=None, declared_at=declared, name=f"Past {i}", severity=severities["Critical"],
            updates=[PastUpdate(declared + timedelta(hours=2, minutes=15), "Over", statuses["Closed"])],
        )


def _text(html, element_id):
    """The text of the figure ``element_id``, tags dropped."""
    figure = re.search(rf'<figure[^>]*id="{element_id}".*?</figure>', html, re.S).group(0)
    figure = re.sub(r"<title.*?</title>", "", figure, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", figure).split())


def test_front_page_shows_the_three_charts_with_their_numbers_as_text(staff_client, statuses, severities):
    _history(statuses, severities)
    html = staff_client.get("/admin/").content.decode()
    assert "Critical 0 Major 1 Minor 0" in _text(html, "overview-active")
    assert "Critical 2 h 15 min · 1 resolved Major none resolved" in _text(html, "overview-time-to-resolve")
    declared = _text(html, "overview-declared")
    assert "Critical" in declared and "All" in declared
    assert html.count("<svg") >= 3 and "<script" not in html.split('id="overview-active"')[1].split("</section>")[0]


def test_front_page_leaves_the_overview_out_for_staff_who_may_not_view_incidents(client):
    client.force_login(UserFactory(is_staff=True))
    html = client.get("/admin/").content.decode()
    assert "incident-overview" not in html


@pytest.mark.parametrize("n", [1, 10])
def test_front_page_query_count_is_constant(staff_client, statuses, severities, django_assert_num_queries, n):
    _history(statuses, severities, n)
    # session, user, the overview's 4 (active, weekly, severities, medians), recent actions
    with django_assert_num_queries(7):
        assert staff_client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "delta, text",
    [
        (timedelta(seconds=20), "under a minute"),
        (timedelta(minutes=12), "12 min"),
        (timedelta(hours=2), "2 h"),
        (timedelta(hours=2, minutes=15), "2 h 15 min"),
        (timedelta(days=3, hours=4, minutes=10), "3 d 4 h"),
    ],
)
def test_durations_read_in_the_largest_units_that_matter(delta, text):
    assert duration_text(delta) == text
