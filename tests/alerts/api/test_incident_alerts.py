"""``GET /v2/incident_alerts`` in incident.io's shape: filters by alert and incident, a
private incident's alerts hidden from keys without global access, constant queries."""

import pytest

from alerts import services
from alerts.services import Event
from tests.alerts.factories import make_route, make_source
from tests.clients import make_client
from tests.contract import assert_matches_contract

pytestmark = pytest.mark.django_db
FULL = "incident-io-openapi-full.json"


def fire(source, key):
    return services.record_events(source=source, events=[Event(status="firing", dedup_key=key, title=f"{key} down", body="{}")])[0]


def listed(client, **params):
    answer = client.get("/v2/incident_alerts", {"page_size": 25, **params})
    assert answer.status_code == 200, answer.content
    return assert_matches_contract(answer, "Alerts V2#ListIncidentAlerts", document=FULL)["incident_alerts"]


def test_lists_alerts_with_their_incidents_and_filters_by_alert_and_incident():
    source = make_source()
    route = make_route(source, grouping_window_seconds=0)
    a, b = fire(source, "a"), fire(source, "b")
    viewer = make_client("viewer")
    rows = listed(viewer)
    assert {r["alert"]["id"] for r in rows} == {a.pk, b.pk}
    first = listed(viewer, alert_id=a.pk)
    assert len(first) == 1 and first[0]["alert_route_id"] == route.pk
    assert first[0]["incident"]["status_category"] == "triage" and first[0]["incident"]["reference"].startswith("INC-")
    assert len(first[0]["alert"]["alert_group_ids"]) == 1
    assert [r["alert"]["id"] for r in listed(viewer, incident_id=first[0]["incident"]["id"])] == [a.pk]


def test_a_private_incidents_alerts_are_hidden_from_keys_without_global_access():
    source = make_source()
    make_route(source, name="Public", grouping_window_seconds=0)
    secret_source = make_source(name="Secret monitoring")
    make_route(secret_source, name="Private", is_private=True)
    public, private = fire(source, "pub"), fire(secret_source, "priv")
    assert [r["alert"]["id"] for r in listed(make_client("viewer"))] == [public.pk]
    assert listed(make_client("viewer"), alert_id=private.pk) == []
    assert {r["alert"]["id"] for r in listed(make_client("viewer", "global_access"))} == {public.pk, private.pk}


def test_keys_without_viewer_are_refused():
    assert make_client("manage_settings").get("/v2/incident_alerts").status_code == 403


@pytest.mark.parametrize("n", [1, 20])
def test_query_count_is_constant_whatever_the_page_size(n, django_assert_num_queries):
    source = make_source()
    make_route(source, grouping_window_seconds=0)
    for i in range(n):
        fire(source, f"k{i}")
    viewer = make_client("viewer")
    # key lookup, incident alerts with their alerts, incidents and statuses; the alerts'
    # groups' ids
    with django_assert_num_queries(3):
        assert len(viewer.get("/v2/incident_alerts", {"page_size": 25}).json()["incident_alerts"]) == n
