import pytest

from incidents import services
from incidents.models import IncidentUpdate
from tests.clients import accelerated
from tests.contract import assert_matches_contract
from tests.factories import UserFactory, declare

pytestmark = pytest.mark.django_db

UNKNOWN = "01FCNDV6P870EA6S7TK1DSYDG0"


def payload(incident, **extra):
    return {"incident_id": incident.pk, "idempotency_key": extra.pop("idempotency_key", "update-1"), **extra}


# --- list -------------------------------------------------------------------------------------


def test_list_incident_updates(viewer, statuses, severities):
    incident = declare("Timeline", severity=severities["Minor"])
    services.post_incident_update(incident=incident, actor=UserFactory(), message="Found it", new_status=statuses["Fixing"], new_severity=severities["Major"])
    body = assert_matches_contract(viewer.get("/v2/incident_updates"), "Incident Updates V2#List")
    latest, first = body["incident_updates"]
    assert latest["message"] == "Found it" and latest["new_incident_status"]["name"] == "Fixing"
    assert latest["new_severity"]["name"] == "Major" and "user" in latest["updater"]
    # The declaration's entry: nobody known (a command), the first status and severity.
    assert first["updater"] == {} and first["incident_id"] == incident.pk
    assert body["pagination_meta"] == {"page_size": 25}


def test_list_incident_updates_of_one_incident(viewer):
    first, second = declare("First"), declare("Second")
    services.post_incident_update(incident=second, actor=None, message="Still on it")
    response = viewer.get("/v2/incident_updates", {"incident_id": second.pk})
    body = assert_matches_contract(response, "Incident Updates V2#List")
    assert {u["incident_id"] for u in body["incident_updates"]} == {second.pk} and len(body["incident_updates"]) == 2
    assert first.pk in {u["incident_id"] for u in viewer.get("/v2/incident_updates").json()["incident_updates"]}


def test_updates_of_private_incidents_are_hidden_from_viewer_keys(viewer, api):
    private = declare("Secret", visibility="private")
    declare("Public")
    assert len(viewer.get("/v2/incident_updates").json()["incident_updates"]) == 1
    response = viewer.get("/v2/incident_updates", {"incident_id": private.pk})
    body = assert_matches_contract(response, "Incident Updates V2#List")
    assert body["incident_updates"] == []
    assert len(api.get("/v2/incident_updates", {"incident_id": private.pk}).json()["incident_updates"]) == 1


def test_list_incident_updates_without_key_is_401(anonymous):
    response = anonymous.get("/v2/incident_updates")
    assert_matches_contract(response, "Incident Updates V2#List")
    assert response.status_code == 401


def test_list_incident_updates_needs_viewer(api_as):
    response = api_as("incident_creator").get("/v2/incident_updates")
    assert_matches_contract(response, "Incident Updates V2#List")
    assert response.status_code == 403


@pytest.mark.parametrize("n", [1, 100])
def test_incident_update_list_query_count_is_constant(viewer, statuses, severities, n, django_assert_num_queries):
    incident = declare("Busy", severity=severities["Minor"])
    user = UserFactory()
    for i in range(n):
        services.post_incident_update(incident=incident, actor=user, message=f"Update {i}", new_severity=severities["Major" if i % 2 else "Critical"])
    # key lookup, updates page (with status, severity, actor user and key, joined for visibility)
    with django_assert_num_queries(2):
        response = viewer.get("/v2/incident_updates", {"page_size": 250})
    assert response.status_code == 200
    assert len(response.json()["incident_updates"]) == n + 1


# --- create -----------------------------------------------------------------------------------


def test_post_incident_update_answers_201_and_moves_the_incident(api_as, statuses, severities):
    incident = declare("Moving", severity=severities["Minor"])
    response = api_as("incident_creator").post(
        "/v2/incident_updates",
        payload(incident, message="Rolling back", to_incident_status_id=statuses["Monitoring"].pk, to_severity_id=severities["Critical"].pk),
    )
    body = assert_matches_contract(response, "Incident Updates V2#Create")
    assert response.status_code == 201
    update = body["incident_update"]
    assert update["incident_id"] == incident.pk and update["message"] == "Rolling back"
    assert update["new_incident_status"]["name"] == "Monitoring" and update["new_severity"]["name"] == "Critical"
    assert update["updater"]["api_key"]["name"] == "Test key"
    incident.refresh_from_db()
    assert incident.status == statuses["Monitoring"] and incident.severity == severities["Critical"]


def test_post_incident_update_with_a_message_only(api):
    incident = declare("Talking")
    body = assert_matches_contract(api.post("/v2/incident_updates", payload(incident, message="Still looking")), "Incident Updates V2#Create")
    assert body["incident_update"]["new_incident_status"]["id"] == incident.status_id
    assert "new_severity" not in body["incident_update"]


def test_post_incident_update_with_the_same_idempotency_key_returns_the_first(api):
    incident = declare("Retried")
    first = api.post("/v2/incident_updates", payload(incident, message="Once")).json()["incident_update"]
    again = api.post("/v2/incident_updates", payload(incident, message="Twice"))
    body = assert_matches_contract(again, "Incident Updates V2#Create")
    assert body["incident_update"]["id"] == first["id"] and body["incident_update"]["message"] == "Once"
    assert incident.updates.count() == 2  # the declaration and one update


def test_post_update_to_a_private_incident_is_422_for_a_key_that_cannot_see_it(api_as, api):
    private = declare("Secret", visibility="private")
    response = api_as("incident_creator", "viewer").post("/v2/incident_updates", payload(private, message="Peek"))
    body = assert_matches_contract(response, "Incident Updates V2#Create")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == "incident_id"
    assert private.updates.count() == 1
    assert api.post("/v2/incident_updates", payload(private, message="Allowed")).status_code == 201


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"incident_id": UNKNOWN, "message": "x"}, "incident_id"),
        ({"to_incident_status_id": UNKNOWN}, "to_incident_status_id"),
        ({"to_severity_id": UNKNOWN}, "to_severity_id"),
        ({"idempotency_key": ""}, "idempotency_key"),
        ({}, "message"),
    ],
)
def test_post_incident_update_with_bad_input_is_422_naming_the_field(api, extra, field):
    incident = declare("Unchanged")
    response = api.post("/v2/incident_updates", {**payload(incident), **extra})
    body = assert_matches_contract(response, "Incident Updates V2#Create")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == field
    assert IncidentUpdate.objects.count() == 1


def test_closing_through_an_update_needs_a_message(api, statuses):
    incident = declare("Closing")
    response = api.post("/v2/incident_updates", payload(incident, to_incident_status_id=statuses["Closed"].pk))
    body = assert_matches_contract(response, "Incident Updates V2#Create")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == "message"
    incident.refresh_from_db()
    assert incident.status != statuses["Closed"]


def test_posting_an_incident_update_costs_a_constant_number_of_queries(api, statuses, severities, django_assert_num_queries):
    incident = declare("Checkout is down", severity=severities["Minor"])
    other = declare("Search is slow", severity=severities["Minor"])

    def close(target, idempotency_key):
        return api.post(
            "/v2/incident_updates",
            {
                "incident_id": target.pk,
                "idempotency_key": idempotency_key,
                "message": "Rolled back",
                "to_incident_status_id": statuses["Closed"].pk,
                "to_severity_id": severities["Major"].pk,
            },
        )

    # Cold: key; incident (among those the key sees); status; severity; SAVEPOINT;
    # incident locked; the update; lifecycle timestamps not yet stamped; timestamp values
    # (resolved, closed); incident; the enabled webhook endpoints (none: no event
    # rendered); RELEASE; re-read of the update (SAVEPOINT/RELEASE are the service's
    # transaction, nested in the test's). The audit log: the update's and the timestamp
    # values' entries; the incident's before and after (it is changed by QuerySet.update())
    # and its entry.
    with django_assert_num_queries(13 + 5):
        response = close(incident, "first")
    assert_matches_contract(response, "Incident Updates V2#Create")
    assert response.status_code == 201
    assert {"resolved", "closed"} <= set(incident.timestamp_values.values_list("timestamp__slug", flat=True))
    # Warm: with acceleration the key comes from the cache
    with django_assert_num_queries(12 + 5 if accelerated() else 13 + 5):
        again = close(other, "second")
    assert again.status_code == 201


@pytest.mark.parametrize("roles", [("viewer",), ("incident_editor",)])
def test_post_incident_update_needs_incident_creator(api_as, roles):
    incident = declare("Quiet")
    response = api_as(*roles).post("/v2/incident_updates", payload(incident, message="Hi"))
    assert_matches_contract(response, "Incident Updates V2#Create")
    assert response.status_code == 403 and incident.updates.count() == 1


def test_post_incident_update_without_key_is_401(anonymous):
    response = anonymous.post("/v2/incident_updates", {"incident_id": UNKNOWN, "idempotency_key": "k"})
    assert_matches_contract(response, "Incident Updates V2#Create")
    assert response.status_code == 401


def test_update_posted_through_the_api_shows_on_the_incident(api, viewer, statuses):
    incident = declare("Followed")
    api.post("/v2/incident_updates", payload(incident, message="Fix deployed", to_incident_status_id=statuses["Monitoring"].pk))
    shown = viewer.get(f"/v2/incidents/{incident.pk}").json()["incident"]
    assert shown["incident_status"]["name"] == "Monitoring"
    assert viewer.get(f"/v1/incidents/{incident.pk}").json()["incident"]["status"] == "monitoring"
