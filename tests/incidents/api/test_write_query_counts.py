"""What declaring an incident and posting an update cost in queries, first with cold caches,
then warm (with acceleration, the key and the configuration then come from the cache;
without it, they are read for every request). Each budget names its queries;
SAVEPOINT/RELEASE are the service's transaction, nested in the test's."""

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


# Key; configuration (roles, custom fields, their options, timestamps), which resolves the
# body and renders the answer; severities, types and statuses (loaded into the
# configuration on first use).
READS = 1 + 4 + 3
# Users by id; users by email; SAVEPOINT; first update; timestamp values; role assignments;
# custom field values; counter (UPDATE, then SELECT); incident; RELEASE. The answer is
# rendered from what was written: no re-read.
WRITES = 2 + 9


def test_declaring_an_incident_in_v2_costs_a_constant_number_of_queries(api, body, settings, django_assert_num_queries):
    with django_assert_num_queries(READS + WRITES):
        response = api.post("/v2/incidents", body("first"))
    created = assert_matches_contract(response, "Incidents V2#Create")["incident"]
    assert response.status_code == 200
    assert_stored(created["id"])
    values = {t["incident_timestamp"]["name"]: t.get("value") for t in created["incident_timestamp_values"]}
    assert values["Impact started at"] == {"value": "2024-05-01T10:00:00Z"} and "value" in values["Reported at"]
    # Warm: with acceleration the key and the configuration come from the cache
    with django_assert_num_queries(WRITES if settings.API_ACCELERATION else READS + WRITES):
        again = api.post("/v2/incidents", body("second"))
    assert again.status_code == 200
    assert_stored(assert_matches_contract(again, "Incidents V2#Create")["incident"]["id"])
    assert api.get(f"/v2/incidents/{created['id']}").json()["incident"] == created


def test_declaring_an_incident_in_v1_costs_a_constant_number_of_queries(api, body, settings, django_assert_num_queries):
    def v1_body(idempotency_key):
        # v1 declares no timestamps; its status is a v1 name.
        declaration = body(idempotency_key)
        del declaration["incident_timestamp_values"]
        return {**declaration, "status": "fixing"}

    # As v2, and the status by its v1 name instead of the configuration's statuses
    with django_assert_num_queries(READS + WRITES):
        response = api.post("/v1/incidents", v1_body("first"))
    created = assert_matches_contract(response, "Incidents V1#Create")["incident"]
    assert response.status_code == 200 and created["status"] == "fixing"
    assert_stored(created["id"])
    # Warm: with acceleration the key and the configuration come from the cache; the v1
    # status by name is still read
    with django_assert_num_queries(1 + WRITES if settings.API_ACCELERATION else READS + WRITES):
        again = api.post("/v1/incidents", v1_body("second"))
    assert again.status_code == 200
    assert_stored(assert_matches_contract(again, "Incidents V1#Create")["incident"]["id"])


def test_posting_an_incident_update_costs_a_constant_number_of_queries(api, statuses, severities, settings, django_assert_num_queries):
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
    with django_assert_num_queries(12):
        response = close(incident, "first")
    assert_matches_contract(response, "Incident Updates V2#Create")
    assert response.status_code == 201
    assert {"resolved", "closed"} <= set(incident.timestamp_values.values_list("timestamp__slug", flat=True))
    # Warm: with acceleration the key comes from the cache
    with django_assert_num_queries(11 if settings.API_ACCELERATION else 12):
        again = close(other, "second")
    assert again.status_code == 201


@pytest.mark.django_db(transaction=True)
def test_the_first_declaration_ever_creates_the_reference_counter(api, severities):
    Counter.objects.all().delete()  # as before the first declaration ever

    def declare_via_api(idempotency_key):
        body = {"idempotency_key": idempotency_key, "visibility": "public", "name": "Down", "severity_id": severities["Major"].pk}
        response = api.post("/v2/incidents", body)
        assert response.status_code == 200
        return assert_matches_contract(response, "Incidents V2#Create")["incident"]

    first, second = declare_via_api("first"), declare_via_api("second")
    assert [first["reference"], second["reference"]] == ["INC-1", "INC-2"]
    # A repeat is refused by the unique constraint and answered with the first.
    assert declare_via_api("first")["id"] == first["id"]
    assert Incident.objects.count() == 2
    assert api.get(f"/v2/incidents/{second['id']}").json()["incident"] == second
