from datetime import timedelta

import pytest
from django.utils import timezone

from incidents import services
from incidents.models import Mode
from incidents.selectors.overview import _week_start, incident_overview
from incidents.services import PastUpdate
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


def _resolved(severity, statuses, *, took, ago=timedelta(days=2)):
    declared = timezone.now() - ago - took
    return services.record_past_incident(
        actor=None, declared_at=declared, name=f"Took {took}", severity=severity,
        updates=[PastUpdate(declared + took, "Over", statuses["Closed"])],
    )


def test_active_incidents_are_counted_by_severity(statuses, severities):
    IncidentFactory.create_batch(2, severity=severities["Major"])
    IncidentFactory(severity=severities["Minor"], triage=True)
    IncidentFactory(severity=None)
    closed = IncidentFactory(severity=severities["Major"])
    services.close_incident(incident=closed, actor=None, message="Over")
    IncidentFactory(severity=severities["Critical"], mode=Mode.TEST)
    assert incident_overview().active == {severities["Major"].pk: 2, severities["Minor"].pk: 1, None: 1}


def test_declared_per_week_counts_each_of_the_last_twelve_weeks_by_severity(statuses, severities):
    now = timezone.now()
    major, minor = severities["Major"], severities["Minor"]
    for ago, severity in [(timedelta(days=7), major), (timedelta(days=7), minor), (timedelta(weeks=8), major), (timedelta(weeks=13), major)]:
        services.record_past_incident(actor=None, declared_at=now - ago, name=f"{ago} ago", severity=severity)
    IncidentFactory(severity=major)
    overview = incident_overview()
    assert len(overview.weeks) == 12 and overview.weeks[-1] == _week_start(now)
    assert overview.weeks[0] == _week_start(now) - timedelta(weeks=11)
    assert overview.declared == {
        (_week_start(now - timedelta(days=7)), major.pk): 1,
        (_week_start(now - timedelta(days=7)), minor.pk): 1,
        (_week_start(now - timedelta(weeks=8)), major.pk): 1,
        (_week_start(now), major.pk): 1,
    }


def test_median_time_to_resolve_is_the_middle_value_or_the_mean_of_the_two_middle_ones(statuses, severities):
    for hours in (10, 1, 2):
        _resolved(severities["Major"], statuses, took=timedelta(hours=hours))
    for hours in (3, 1):
        _resolved(severities["Minor"], statuses, took=timedelta(hours=hours))
    # Resolved more than 90 days ago: left out.
    _resolved(severities["Minor"], statuses, took=timedelta(hours=50), ago=timedelta(days=100))
    IncidentFactory(severity=severities["Critical"])  # still open
    ttr = incident_overview().time_to_resolve
    assert set(ttr) == {severities["Major"].pk, severities["Minor"].pk}
    assert (ttr[severities["Major"].pk].median, ttr[severities["Major"].pk].incidents) == (timedelta(hours=2), 3)
    assert (ttr[severities["Minor"].pk].median, ttr[severities["Minor"].pk].incidents) == (timedelta(hours=2), 2)


@pytest.mark.parametrize("n", [1, 12])
def test_overview_query_count_is_constant(statuses, severities, django_assert_num_queries, n):
    for i in range(n):
        _resolved(severities["Major" if i % 2 else "Minor"], statuses, took=timedelta(hours=i + 1))
        IncidentFactory(severity=severities["Critical"])
    # active by severity, declared per week, severities, the medians
    with django_assert_num_queries(4):
        incident_overview()
