"""What declaring an incident and posting an update cost in queries, first with cold caches
(the key and the configuration are read from the database), then warm (both come from
the cache). The budgets name each query; SAVEPOINT/RELEASE are the service's transaction,
nested in the test's. (In production a request runs outside any transaction: a
declaration on PostgreSQL is then its one statement, and BEGIN and COMMIT, which Django
counts too, are spared; see the last test.)"""

import pytest

from incidents.models import (
    Counter,
    CustomFieldValue,
    FieldType,
    Incident,
    IncidentRole,
    IncidentRoleAssignment,
    IncidentTimestamp,
)
from tests.contract import assert_matches_contract
from tests.factories import CustomFieldFactory, CustomFieldOptionFactory, UserFactory, declare

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(severities):
    """A declaration with a severity, 2 role assignments (one assignee named by id, one by
    email), 2 custom fields (a multi-select with two options, a text) and a timestamp."""
    affected = CustomFieldFactory(name="Affected services", field_type=FieldType.MULTI_SELECT)
    api, web = (CustomFieldOptionFactory(custom_field=affected, value=value) for value in ("API", "Web"))
    cause = CustomFieldFactory(name="Root cause", field_type=FieldType.TEXT)
    lead, reporter = UserFactory(), UserFactory()
    roles = {role.role_type: role.pk for role in IncidentRole.objects.all()}
    impact_started = IncidentTimestamp.objects.get(name="Impact started at")
    # The first declaration ever creates the reference counter; measure the ones after.
    declare("An earlier incident")

    def make(idempotency_key):
        return {
            "idempotency_key": idempotency_key,
            "visibility": "public",
            "name": "Checkout is down",
            "severity_id": severities["Major"].pk,
            "incident_role_assignments": [
                {"incident_role_id": roles["lead"], "assignee": {"id": str(lead.pk)}},
                {"incident_role_id": roles["reporter"], "assignee": {"email": reporter.email}},
            ],
            "custom_field_entries": [
                {"custom_field_id": affected.pk, "values": [{"value_option_id": api.pk}, {"value_option_id": web.pk}]},
                {"custom_field_id": cause.pk, "values": [{"value_text": "A bad deploy"}]},
            ],
            "incident_timestamp_values": [
                {"incident_timestamp_id": impact_started.pk, "value": "2024-05-01T10:00:00Z"}
            ],
        }

    return make


def assert_stored(incident_id):
    assert IncidentRoleAssignment.objects.filter(incident_id=incident_id).count() == 2
    assert CustomFieldValue.objects.filter(incident_id=incident_id).count() == 3


def test_declaring_an_incident_in_v2_stays_within_its_query_budget(api, body, django_assert_max_num_queries):
    # Cold: key; configuration (roles, custom fields, their options, timestamps), which
    # resolves the body and renders the answer; severities, types and statuses (loaded
    # into the configuration on first use); users by id; users by email; SAVEPOINT; first
    # update; timestamp values; role assignments; custom field values; counter (UPDATE ...
    # RETURNING); incident; RELEASE. The answer is rendered from what was written: no re-read.
    with django_assert_max_num_queries(18):
        response = api.post("/v2/incidents", body("first"))
    created = assert_matches_contract(response, "Incidents V2#Create")["incident"]
    assert_stored(created["id"])
    stamps = {t["incident_timestamp"]["name"]: t.get("value") for t in created["incident_timestamp_values"]}
    assert stamps["Impact started at"] == {"value": "2024-05-01T10:00:00Z"} and "value" in stamps["Reported at"]
    # Warm: the key and the configuration come from the cache
    with django_assert_max_num_queries(10):
        again = api.post("/v2/incidents", body("second"))
    assert_stored(assert_matches_contract(again, "Incidents V2#Create")["incident"]["id"])


def test_declaring_an_incident_in_v1_stays_within_its_query_budget(api, body, django_assert_max_num_queries):
    def v1_body(idempotency_key):
        # v1 declares no timestamps; its status is a v1 name.
        declaration = body(idempotency_key)
        del declaration["incident_timestamp_values"]
        return {**declaration, "status": "fixing"}

    # Cold: key; configuration (roles, custom fields, their options, timestamps); status by
    # v1 name; severities and types (loaded into the configuration on first use); users by
    # id; users by email; SAVEPOINT; first update; timestamp values; role assignments;
    # custom field values; counter; incident; RELEASE (no re-read)
    with django_assert_max_num_queries(18):
        response = api.post("/v1/incidents", v1_body("first"))
    created = assert_matches_contract(response, "Incidents V1#Create")["incident"]
    assert created["status"] == "fixing"
    assert_stored(created["id"])
    # Warm: the key and the configuration come from the cache; the v1 status by name is
    # still read
    with django_assert_max_num_queries(11):
        again = api.post("/v1/incidents", v1_body("second"))
    assert_stored(assert_matches_contract(again, "Incidents V1#Create")["incident"]["id"])


def test_posting_an_incident_update_stays_within_its_query_budget(api, statuses, severities, django_assert_max_num_queries):
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
    # (resolved, closed); incident; RELEASE; re-read of the update
    with django_assert_max_num_queries(12):
        response = close(incident, "first")
    assert_matches_contract(response, "Incident Updates V2#Create")
    assert response.status_code == 201
    assert {"resolved", "closed"} <= set(incident.timestamp_values.values_list("timestamp__slug", flat=True))
    # Warm: the key comes from the cache
    with django_assert_max_num_queries(11):
        again = close(other, "second")
    assert again.status_code == 201


@pytest.mark.postgres
def test_on_postgresql_a_declaration_writes_in_one_statement(api, body, django_assert_num_queries):
    api.post("/v2/incidents", body("warm-up"))  # the key and the configuration now cached
    # Users by id; users by email; SAVEPOINT; the first update, timestamp values, role
    # assignments, custom field values, the counter and the incident in one statement;
    # RELEASE.
    with django_assert_num_queries(5):
        response = api.post("/v2/incidents", body("measured"))
    created = assert_matches_contract(response, "Incidents V2#Create")["incident"]
    assert_stored(created["id"])
    assert api.get(f"/v2/incidents/{created['id']}").json()["incident"] == created


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_declaration_outside_a_transaction_is_its_one_statement(api, severities, django_assert_num_queries):
    Counter.objects.all().delete()  # as before the first declaration ever

    def declare_via_api(idempotency_key):
        body = {"idempotency_key": idempotency_key, "visibility": "public", "name": "Down", "severity_id": severities["Major"].pk}
        return assert_matches_contract(api.post("/v2/incidents", body), "Incidents V2#Create")["incident"]

    first = declare_via_api("first")  # creates the counter
    with django_assert_num_queries(1) as captured:  # no BEGIN, no COMMIT
        second = declare_via_api("second")
    assert captured.captured_queries[0]["sql"].startswith("WITH")
    assert [first["reference"], second["reference"]] == ["INC-1", "INC-2"]
    # A repeat is refused by the unique constraint, on its own, and answered with the first.
    assert declare_via_api("first")["id"] == first["id"]
    assert Incident.objects.count() == 2
    assert api.get(f"/v2/incidents/{second['id']}").json()["incident"] == second
