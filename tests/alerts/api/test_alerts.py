"""``Alerts V2`` (list with incident.io's filters, show, resolve), checked against
incident.io's whole document, with the role that gates them and constant query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts import services
from alerts.services import Event
from tests.alerts.factories import make_source
from tests.clients import make_client
from tests.contract import assert_matches_contract

pytestmark = pytest.mark.django_db
FULL = "incident-io-openapi-full.json"


def fire(source, key, status="firing", now=None, **kwargs):
    event = Event(status=status, dedup_key=key, title=f"Alert {key}", body="{}", **kwargs)
    return services.record_events(source=source, events=[event], now=now)[0]


@pytest.fixture
def viewer():
    return make_client("viewer")


@pytest.fixture
def source():
    return make_source()


def listed(client, **params):
    response = client.get("/v2/alerts", {"page_size": 25, **params})
    assert response.status_code == 200, response.content
    return assert_matches_contract(response, "Alerts V2#List", document=FULL)


def test_list_is_newest_first_in_incident_ios_shape(viewer, source):
    fire(source, "a", description="details", source_url="https://x.example/1")
    fire(source, "b")
    fire(source, "a", status="resolved")
    body = listed(viewer)
    assert [a["deduplication_key"] for a in body["alerts"]] == ["b", "a"]
    resolved = body["alerts"][1]
    assert resolved["status"] == "resolved" and "resolved_at" in resolved
    assert resolved["alert_source_id"] == source.pk and resolved["description"] == "details"
    assert body["pagination_meta"] == {"page_size": 25}


def test_list_pages_with_after(viewer, source):
    for key in "abc":
        fire(source, key)
    first = listed(viewer, page_size=2)
    assert len(first["alerts"]) == 2 and first["pagination_meta"]["after"] == first["alerts"][-1]["id"]
    rest = listed(viewer, page_size=2, after=first["pagination_meta"]["after"])
    assert [a["deduplication_key"] for a in rest["alerts"]] == ["a"]


def test_page_size_is_capped_at_the_contracts_50(viewer, source):
    # A larger page_size than the contract admits is answered with its maximum.
    response = viewer.get("/v2/alerts", {"page_size": 500})
    body = assert_matches_contract(response, "Alerts V2#List", document=FULL, request=False)
    assert body["pagination_meta"]["page_size"] == 50


def test_filters_by_key_status_and_source(viewer, source):
    other = make_source(name="Other")
    fire(source, "a")
    fire(source, "b")
    fire(source, "b", status="resolved")
    fire(other, "c")
    keys = lambda **f: sorted(a["deduplication_key"] for a in listed(viewer, **f)["alerts"])
    assert keys(**{"deduplication_key[is]": "a"}) == ["a"]
    assert keys(**{"status[one_of]": "firing"}) == ["a", "c"]
    assert keys(**{"status[not_in]": "firing"}) == ["b"]
    assert keys(**{"alert_source[one_of]": other.pk}) == ["c"]
    assert keys(**{"alert_source[not_in]": other.pk, "status[one_of]": "firing"}) == ["a"]


def test_filters_by_creation_time(viewer, source):
    now = timezone.now()
    fire(source, "old", now=now - timedelta(days=3))
    fire(source, "new", now=now)
    yesterday = (now - timedelta(days=1)).date().isoformat()
    keys = lambda **f: [a["deduplication_key"] for a in listed(viewer, **f)["alerts"]]
    assert keys(**{"created_at[gte]": yesterday}) == ["new"]
    assert keys(**{"created_at[lte]": yesterday}) == ["old"]
    assert keys(**{"created_at[date_range]": f"{(now - timedelta(days=4)).date()}~{yesterday}"}) == ["old"]


@pytest.mark.parametrize(
    "params",
    [{"status[one_of]": "burning"}, {"colour[is]": "red"}, {"created_at[gte]": "soon"}, {"status[is]": "firing"}],
)
def test_an_unknown_or_malformed_filter_is_a_422_not_ignored(viewer, params):
    response = viewer.get("/v2/alerts", {"page_size": 25, **params})
    assert response.status_code == 422
    assert response.json()["errors"][0]["source"]["field"] == next(iter(params))


def test_show_and_an_unknown_id(viewer, source):
    alert = fire(source, "a")
    response = viewer.get(f"/v2/alerts/{alert.pk}")
    body = assert_matches_contract(response, "Alerts V2#Show", document=FULL)
    assert body["alert"]["id"] == alert.pk and "resolved_at" not in body["alert"]
    assert viewer.get("/v2/alerts/01GW2G3V0S59R238FAHPDS1R66").status_code == 404


def test_resolve_needs_incident_editor_and_closes_the_alert(viewer, source):
    alert = fire(source, "a")
    assert viewer.post(f"/v2/alerts/{alert.pk}/actions/resolve").status_code == 403
    response = make_client("incident_editor").post(f"/v2/alerts/{alert.pk}/actions/resolve")
    body = assert_matches_contract(response, "Alerts V2#Resolve", document=FULL)
    assert body["alert"]["status"] == "resolved"
    # The next firing event for the key opens a new alert.
    assert fire(source, "a").pk != alert.pk


def test_reading_alerts_needs_a_key_with_the_viewer_role(source):
    from django.test import Client

    assert Client().get("/v2/alerts", {"page_size": 25}).status_code == 401
    assert make_client("status_page_viewer").get("/v2/alerts", {"page_size": 25}).status_code == 403


@pytest.mark.parametrize("n", [1, 30])
def test_list_query_count_is_constant(viewer, source, n, django_assert_num_queries):
    for i in range(n):
        fire(source, f"k{i}")
    # key lookup, the page of alerts, their groups' ids
    with django_assert_num_queries(3):
        viewer.get("/v2/alerts", {"page_size": 50, "status[one_of]": "firing"})
