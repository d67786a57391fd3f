import pytest

from incidents import services
from incidents.models import FieldType, Incident, IncidentRole, IncidentRoleAssignment, IncidentStatus, StatusCategory
from tests.clients import accelerated
from tests.contract import assert_matches_contract
from tests.factories import CustomFieldFactory, CustomFieldOptionFactory, IncidentFactory, UserFactory, declare, set_field_values
from tests.incidents.api.conftest import DECLARATION_READS, DECLARATION_WRITES, assert_declaration_stored

pytestmark = pytest.mark.django_db

UNKNOWN = "01FCNDV6P870EA6S7TK1DSYDG0"


def payload(**extra):
    return {"idempotency_key": extra.pop("idempotency_key", "key-1"), "visibility": "public", "name": "Checkout is down", **extra}


# --- list and show ----------------------------------------------------------------------------


def test_list_incidents_v1(viewer, severities, lead_role):
    incident = declare("Database is sad", severity=severities["Major"], summary="Slow queries")
    services.assign_role(incident=incident, role=lead_role, assignee=UserFactory(), actor=None)
    field = CustomFieldFactory(field_type=FieldType.SINGLE_SELECT)
    option = CustomFieldOptionFactory(custom_field=field)
    set_field_values(incident, field, [services.FieldValue(option=option)])
    body = assert_matches_contract(viewer.get("/v1/incidents"), "Incidents V1#List")
    [found] = body["incidents"]
    assert found["reference"] == incident.reference and found["status"] == "investigating" and found["mode"] == "real"
    assert found["severity"]["name"] == "Major" and found["summary"] == "Slow queries"
    assert found["slack_team_id"] == "" and found["slack_channel_id"] == ""
    assert {a["role"]["role_type"] for a in found["incident_role_assignments"]} == {"lead", "reporter"}
    assert found["custom_field_entries"][0]["values"] == [{"value_option": {"id": option.pk, "custom_field_id": field.pk, "value": option.value, "sort_key": option.sort_key}}]
    stamps = {t["name"]: t for t in found["timestamps"]}
    assert "last_occurred_at" in stamps["Reported at"] and "last_occurred_at" not in stamps["Closed at"]
    assert body["pagination_meta"] == {"page_size": 25}


def test_list_incidents_v1_without_key_is_401(anonymous):
    response = anonymous.get("/v1/incidents")
    assert_matches_contract(response, "Incidents V1#List")
    assert response.status_code == 401


@pytest.mark.parametrize("roles", [("incident_creator",), ("incident_editor",)])
def test_list_incidents_v1_needs_viewer(api_as, roles):
    response = api_as(*roles).get("/v1/incidents")
    assert_matches_contract(response, "Incidents V1#List")
    assert response.status_code == 403


def test_private_incidents_are_hidden_from_v1_for_viewer_keys(viewer, api):
    private = declare("Secret", visibility="private")
    declare("Public")
    assert [i["name"] for i in viewer.get("/v1/incidents").json()["incidents"]] == ["Public"]
    response = viewer.get(f"/v1/incidents/{private.pk}")
    assert_matches_contract(response, "Incidents V1#Show")
    assert response.status_code == 404
    assert api.get(f"/v1/incidents/{private.pk}").json()["incident"]["visibility"] == "private"


def test_show_incident_v1(viewer):
    incident = declare("Shown")
    body = assert_matches_contract(viewer.get(f"/v1/incidents/{incident.pk}"), "Incidents V1#Show")
    assert body["incident"]["id"] == incident.pk


def test_show_unknown_incident_v1_is_404(viewer):
    response = viewer.get(f"/v1/incidents/{UNKNOWN}")
    body = assert_matches_contract(response, "Incidents V1#Show")
    assert response.status_code == 404 and body["type"] == "not_found"


def test_show_incident_v1_needs_viewer(api_as):
    response = api_as("incident_creator").get(f"/v1/incidents/{declare('x').pk}")
    assert_matches_contract(response, "Incidents V1#Show")
    assert response.status_code == 403


@pytest.mark.parametrize(
    "name, category, shown",
    [
        ("Fixing", StatusCategory.LIVE, "fixing"),
        ("Mitigated", StatusCategory.LIVE, "investigating"),
        ("Paused for now", StatusCategory.PAUSED, "investigating"),
        ("Post-incident", StatusCategory.LEARNING, "closed"),
        ("Wrapped up", StatusCategory.CLOSED, "closed"),
        ("Cancelled", StatusCategory.CANCELED, "declined"),
        ("Merged away", StatusCategory.MERGED, "declined"),
        ("Needs a look", StatusCategory.TRIAGE, "triage"),
    ],
)
def test_v1_status_is_the_name_when_it_is_a_v1_status_else_follows_the_category(viewer, name, category, shown):
    status = IncidentStatus.objects.get_or_create(name=name, defaults={"category": category, "rank": 99})[0]
    declare("Mapped", status=status)
    [found] = viewer.get("/v1/incidents").json()["incidents"]
    assert found["status"] == shown


@pytest.mark.parametrize("mode, shown", [("standard", "real"), ("retrospective", "real"), ("test", "test"), ("tutorial", "tutorial")])
def test_v1_mode(viewer, mode, shown):
    declare("Mode", mode=mode)
    body = assert_matches_contract(viewer.get("/v1/incidents"), "Incidents V1#List")
    assert body["incidents"][0]["mode"] == shown


def test_list_incidents_v1_by_v1_status(viewer, statuses):
    declare("Triaged", triage=True)
    declare("Fixing", status=statuses["Fixing"])
    closed_like = IncidentStatus.objects.create(name="Learning", category=StatusCategory.LEARNING, rank=35)
    declare("Learning", status=closed_like)
    response = viewer.get("/v1/incidents?status=fixing&status=closed")
    body = assert_matches_contract(response, "Incidents V1#List")
    assert sorted(i["name"] for i in body["incidents"]) == ["Fixing", "Learning"]


def test_list_incidents_v1_by_unknown_status_is_422(viewer):
    response = viewer.get("/v1/incidents", {"status": "on_fire"})
    body = assert_matches_contract(response, "Incidents V1#List")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == "status"


@pytest.mark.parametrize("n", [1, 100])
def test_incident_v1_list_query_count_is_constant(viewer, n, django_assert_num_queries):
    IncidentFactory.create_batch(n, with_roles=True, with_custom_fields=True)
    # key lookup, incidents page (with status, severity, type, creator), role assignments,
    # custom field values, timestamp values, roles, custom fields, their options, timestamps
    with django_assert_num_queries(9):
        response = viewer.get("/v1/incidents", {"page_size": 250})
    assert response.status_code == 200
    assert len(response.json()["incidents"]) == n


# --- create -----------------------------------------------------------------------------------


def test_create_incident_v1_answers_200(api_as, severities, lead_role):
    user = UserFactory()
    field = CustomFieldFactory(field_type=FieldType.TEXT)
    response = api_as("incident_creator").post(
        "/v1/incidents",
        payload(
            summary="Card payments fail",
            severity_id=severities["Critical"].pk,
            status="monitoring",
            mode="test",
            incident_role_assignments=[{"incident_role_id": lead_role.pk, "assignee": {"email": user.email}}],
            custom_field_entries=[{"custom_field_id": field.pk, "values": [{"value_text": "Expired certificate"}]}],
        ),
    )
    body = assert_matches_contract(response, "Incidents V1#Create")
    assert response.status_code == 200
    created = body["incident"]
    assert created["status"] == "monitoring" and created["mode"] == "test" and created["severity"]["name"] == "Critical"
    incident = Incident.objects.get(pk=created["id"])
    assert incident.status.name == "Monitoring" and incident.mode == "test"
    assert IncidentRoleAssignment.objects.get(incident=incident).assignee == user
    # The answer is rendered from what was written, not read back: it must be what a read shows.
    assert api_as("viewer").get(f"/v1/incidents/{created['id']}").json()["incident"] == created


def test_create_incident_v1_status_falls_back_to_the_first_of_its_category(api):
    IncidentStatus.objects.filter(name="Fixing").update(name="Repairing")
    body = api.post("/v1/incidents", payload(status="fixing")).json()
    incident = Incident.objects.get(pk=body["incident"]["id"])
    assert incident.status == IncidentStatus.objects.filter(category="live").order_by("rank").first()
    assert body["incident"]["status"] == "investigating"


def test_create_incident_v1_status_name_matches_in_any_case(api):
    IncidentStatus.objects.filter(name="Declined").update(name="DECLINED")
    body = api.post("/v1/incidents", payload(status="declined")).json()
    assert Incident.objects.get(pk=body["incident"]["id"]).status.name == "DECLINED"


def test_create_incident_v1_status_without_a_matching_status_is_422(api):
    IncidentStatus.objects.filter(category=StatusCategory.DECLINED).delete()
    response = api.post("/v1/incidents", payload(status="declined"))
    body = assert_matches_contract(response, "Incidents V1#Create")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == "status"
    assert not Incident.objects.exists()


def test_create_incident_v1_is_idempotent(api):
    first = api.post("/v1/incidents", payload(name="First")).json()["incident"]
    again = api.post("/v1/incidents", payload(name="Again"))
    body = assert_matches_contract(again, "Incidents V1#Create")
    assert body["incident"]["id"] == first["id"] and Incident.objects.count() == 1


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"severity_id": UNKNOWN}, "severity_id"),
        ({"incident_type_id": UNKNOWN}, "incident_type_id"),
        ({"status": "on_fire"}, "status"),
        ({"mode": "retrospective"}, "mode"),
        ({"custom_field_entries": [{"custom_field_id": UNKNOWN, "values": []}]}, "custom_field_entries[0].custom_field_id"),
        ({"incident_role_assignments": [{"incident_role_id": "lead"}]}, "incident_role_assignments[0].assignee"),
        ({"incident_role_assignments": [{"incident_role_id": "lead", "assignee": {"id": "424242"}}]}, "incident_role_assignments[0].assignee"),
    ],
)
def test_create_incident_v1_with_bad_input_is_422_naming_the_field(api, lead_role, extra, field):
    for assignment in extra.get("incident_role_assignments", []):
        assignment["incident_role_id"] = lead_role.pk
    response = api.post("/v1/incidents", payload(**extra))
    body = assert_matches_contract(response, "Incidents V1#Create")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == field
    assert not Incident.objects.exists()


@pytest.mark.parametrize("roles", [("viewer",), ("incident_editor",)])
def test_create_incident_v1_needs_incident_creator(api_as, roles):
    response = api_as(*roles).post("/v1/incidents", payload())
    assert_matches_contract(response, "Incidents V1#Create")
    assert response.status_code == 403 and not Incident.objects.exists()


def test_create_incident_v1_without_key_is_401(anonymous):
    response = anonymous.post("/v1/incidents", payload())
    assert_matches_contract(response, "Incidents V1#Create")
    assert response.status_code == 401


def test_declaring_an_incident_in_v1_costs_a_constant_number_of_queries(api, declaration_body, django_assert_num_queries):
    def v1_body(idempotency_key):
        # v1 declares no timestamps; its status is a v1 name.
        declaration = declaration_body(idempotency_key)
        del declaration["incident_timestamp_values"]
        return {**declaration, "status": "fixing"}

    # As v2 (the reads and writes named in tests/incidents/api/conftest.py), and the status
    # by its v1 name instead of the configuration's statuses
    with django_assert_num_queries(DECLARATION_READS + DECLARATION_WRITES):
        response = api.post("/v1/incidents", v1_body("first"))
    created = assert_matches_contract(response, "Incidents V1#Create")["incident"]
    assert response.status_code == 200 and created["status"] == "fixing"
    assert_declaration_stored(created["id"])
    # Warm: with acceleration the key and the configuration come from the cache; the v1
    # status by name is still read
    with django_assert_num_queries(1 + DECLARATION_WRITES if accelerated() else DECLARATION_READS + DECLARATION_WRITES):
        again = api.post("/v1/incidents", v1_body("second"))
    assert again.status_code == 200
    assert_declaration_stored(assert_matches_contract(again, "Incidents V1#Create")["incident"]["id"])


def test_incident_created_in_v1_is_listed_in_v2_with_its_roles(api, lead_role):
    user = UserFactory()
    created = api.post(
        "/v1/incidents", payload(incident_role_assignments=[{"incident_role_id": lead_role.pk, "assignee": {"id": str(user.pk)}}])
    ).json()["incident"]
    [listed] = api.get("/v2/incidents").json()["incidents"]
    assert listed["id"] == created["id"]
    lead = next(a for a in listed["incident_role_assignments"] if a["role"]["id"] == lead_role.pk)
    assert lead["assignee"]["id"] == str(user.pk)
    assert IncidentRole.objects.count() == len(listed["incident_role_assignments"])
