import pytest

from incidents import services
from incidents.models import Incident
from tests.contract import assert_matches_contract
from tests.factories import declare

pytestmark = pytest.mark.django_db


def walk(client, path, operation, key, params=None, *, between_pages=None, check_request=True):
    """Every page of a list, following ``pagination_meta.after``; returns the ids in order
    and the number of pages."""
    ids, after, pages = [], None, 0
    while True:
        query = {**(params or {}), **({"after": after} if after else {})}
        body = assert_matches_contract(client.get(path, query), operation, request=check_request)
        ids += [row["id"] for row in body[key]]
        pages += 1
        after = body["pagination_meta"].get("after")
        if after is None:
            return ids, pages
        assert after == ids[-1]
        if between_pages:
            between_pages(pages)


@pytest.fixture
def sixty():
    return [declare(f"Incident {n}").pk for n in range(60)]


def test_walking_v2_pages_newest_first_returns_every_incident_once(viewer, sixty):
    ids, pages = walk(viewer, "/v2/incidents", "Incidents V2#List", "incidents", {"page_size": 7})
    assert pages == 9 and ids == sorted(sixty, reverse=True)


def test_walking_v2_pages_oldest_first_returns_every_incident_once(viewer, sixty):
    params = {"page_size": 7, "sort_by": "created_at_oldest_first"}
    ids, pages = walk(viewer, "/v2/incidents", "Incidents V2#List", "incidents", params)
    assert pages == 9 and ids == sorted(sixty)


def test_newest_first_walk_is_stable_when_incidents_are_declared_meanwhile(viewer, sixty):
    added = []

    def declare_some(pages):
        if pages in (2, 5):
            added.extend(declare(f"Meanwhile {pages}-{n}").pk for n in range(4))

    ids, _ = walk(viewer, "/v2/incidents", "Incidents V2#List", "incidents", {"page_size": 7}, between_pages=declare_some)
    # Newer incidents belong before the first page: the rest of the walk is unchanged.
    assert ids == sorted(sixty, reverse=True) and len(added) == 8


def test_oldest_first_walk_reaches_incidents_declared_meanwhile_at_its_end(viewer, sixty):
    added = []

    def declare_some(pages):
        if pages == 3:
            added.extend(declare(f"Meanwhile {n}").pk for n in range(5))

    params = {"page_size": 7, "sort_by": "created_at_oldest_first"}
    ids, _ = walk(viewer, "/v2/incidents", "Incidents V2#List", "incidents", params, between_pages=declare_some)
    assert ids == sorted(sixty) + sorted(added)


def test_walking_a_filtered_list(viewer, statuses, sixty):
    fixing = sixty[::3]
    for incident in Incident.objects.filter(pk__in=fixing):
        services.change_status(incident=incident, status=statuses["Fixing"], actor=None)
    params = {"page_size": 4, "status[one_of]": statuses["Fixing"].pk}
    # openapi-core reads a single deep-object value as a string, not the array the contract declares.
    ids, pages = walk(viewer, "/v2/incidents", "Incidents V2#List", "incidents", params, check_request=False)
    assert ids == sorted(fixing, reverse=True) and pages == 5


def test_page_size_defaults_to_25_and_is_answered_with_at_most_250(viewer, sixty):
    body = assert_matches_contract(viewer.get("/v2/incidents"), "Incidents V2#List")
    assert len(body["incidents"]) == 25 and body["pagination_meta"] == {"page_size": 25, "after": body["incidents"][-1]["id"]}
    body = assert_matches_contract(viewer.get("/v2/incidents", {"page_size": 500}), "Incidents V2#List")
    assert body["pagination_meta"] == {"page_size": 250} and len(body["incidents"]) == 60


def test_last_page_has_no_cursor_and_no_total(viewer, sixty):
    body = assert_matches_contract(viewer.get("/v2/incidents", {"page_size": 60}), "Incidents V2#List")
    assert body["pagination_meta"] == {"page_size": 60}


@pytest.mark.parametrize("page_size", ["0", "-3", "many"])
def test_bad_page_size_is_422(viewer, page_size):
    for path, operation in [("/v2/incidents", "Incidents V2#List"), ("/v1/incidents", "Incidents V1#List"), ("/v2/incident_updates", "Incident Updates V2#List")]:
        response = viewer.get(path, {"page_size": page_size})
        body = assert_matches_contract(response, operation, request=False)
        assert response.status_code == 422 and body["errors"][0]["source"]["field"] == "page_size"


def test_walking_v1_pages(viewer):
    created = [declare(f"Incident {n}").pk for n in range(20)]
    ids, pages = walk(viewer, "/v1/incidents", "Incidents V1#List", "incidents", {"page_size": 6})
    assert pages == 4 and ids == sorted(created, reverse=True)


def test_private_incidents_leave_no_gap_or_trace_in_pages(viewer, sixty):
    for n in range(10):
        declare(f"Secret {n}", visibility="private")
    ids, _ = walk(viewer, "/v2/incidents", "Incidents V2#List", "incidents", {"page_size": 7})
    assert ids == sorted(sixty, reverse=True)


def test_walking_incident_update_pages(viewer):
    incident = declare("Chatty")
    for n in range(30):
        services.post_incident_update(incident=incident, actor=None, message=f"Update {n}")
    ids, pages = walk(viewer, "/v2/incident_updates", "Incident Updates V2#List", "incident_updates", {"page_size": 8})
    assert pages == 4 and ids == sorted(incident.updates.values_list("pk", flat=True), reverse=True)
