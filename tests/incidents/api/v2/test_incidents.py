import threading
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.urls import reverse

from incidents import services
from incidents.models import (
    Counter,
    CustomFieldValue,
    FieldType,
    Incident,
    IncidentRole,
    IncidentRoleAssignment,
    IncidentTimestamp,
    IncidentType,
    IncidentUpdate,
)
from tests.clients import accelerated, make_client
from tests.contract import assert_matches_contract
from tests.factories import CustomFieldFactory, CustomFieldOptionFactory, IncidentFactory, UserFactory, declare, set_field_values
from tests.incidents.api.conftest import DECLARATION_READS, DECLARATION_WRITES, assert_declaration_stored

pytestmark = pytest.mark.django_db

UNKNOWN = "01FCNDV6P870EA6S7TK1DSYDG0"


@pytest.fixture
def fields():
    services_field = CustomFieldFactory(name="Affected services", field_type=FieldType.MULTI_SELECT)
    impact = CustomFieldFactory(name="Customer impact", field_type=FieldType.SINGLE_SELECT)
    return {
        "services": services_field,
        "api": CustomFieldOptionFactory(custom_field=services_field, value="API"),
        "web": CustomFieldOptionFactory(custom_field=services_field, value="Web"),
        "impact": impact,
        "outage": CustomFieldOptionFactory(custom_field=impact, value="Outage"),
        "text": CustomFieldFactory(name="Root cause", field_type=FieldType.TEXT),
        "link": CustomFieldFactory(name="Runbook", field_type=FieldType.LINK),
        "numeric": CustomFieldFactory(name="Customers affected", field_type=FieldType.NUMERIC),
    }


def rich_incident(fields, name="Database is sad", **kwargs):
    """An incident with a role assigned, every kind of custom field set, a timestamp, an
    external issue and a postmortem."""
    incident = declare(name, **kwargs)
    services.assign_role(incident=incident, role=IncidentRole.objects.get(role_type="lead"), assignee=UserFactory(), actor=None)
    for field, values in [
        (fields["services"], [services.FieldValue(option=fields["api"]), services.FieldValue(option=fields["web"])]),
        (fields["text"], [services.FieldValue(text="A bad deploy")]),
        (fields["link"], [services.FieldValue(text="https://runbooks.example.com/db")]),
        (fields["numeric"], [services.FieldValue(text="42")]),
    ]:
        set_field_values(incident, field, values)
    services.set_timestamp_values(
        incident=incident, values={IncidentTimestamp.objects.get(name="Impact started at"): datetime(2024, 5, 1, tzinfo=UTC)}, actor=None
    )
    services.connect_external_issue(incident=incident, actor=None, provider="jira", url=f"https://jira.example.com/browse/{incident.pk}")
    services.import_postmortem_document(incident=incident, actor=None, title="What happened", content="# Timeline")
    return incident


def payload(**extra):
    return {"idempotency_key": extra.pop("idempotency_key", "key-1"), "visibility": "public", "name": "Checkout is down", **extra}


# --- list and show ----------------------------------------------------------------------------


def test_list_incidents_renders_every_part_of_an_incident(viewer, fields):
    incident = rich_incident(fields)
    body = assert_matches_contract(viewer.get("/v2/incidents"), "Incidents V2#List")
    [found] = body["incidents"]
    assert found["id"] == incident.pk and found["reference"] == incident.reference
    assert body["pagination_meta"] == {"page_size": 25}
    assert found["slack_team_id"] == "" and found["slack_channel_id"] == "" and found["team_ids"] == []
    assert found["external_issue_reference"]["provider"] == "jira"
    assert found["postmortem_document_ids"] == [Incident.objects.get(pk=incident.pk).postmortem_document_id]
    roles = {a["role"]["role_type"]: a for a in found["incident_role_assignments"]}
    assert "assignee" in roles["lead"] and "assignee" not in roles["reporter"]
    entries = {e["custom_field"]["name"]: e for e in found["custom_field_entries"]}
    assert [v["value_option"]["value"] for v in entries["Affected services"]["values"]] == ["API", "Web"]
    assert entries["Customer impact"]["values"] == []
    assert entries["Root cause"]["values"] == [{"value_text": "A bad deploy"}]
    assert entries["Runbook"]["values"] == [{"value_link": "https://runbooks.example.com/db"}]
    assert entries["Customers affected"]["values"] == [{"value_numeric": "42"}]
    assert [o["value"] for o in entries["Affected services"]["custom_field"]["options"]] == ["API", "Web"]
    stamps = {t["incident_timestamp"]["name"]: t for t in found["incident_timestamp_values"]}
    assert len(stamps) == IncidentTimestamp.objects.count()
    assert stamps["Impact started at"]["value"] == {"value": "2024-05-01T00:00:00Z"}
    assert "value" not in stamps["Declined at"]


def test_list_incidents_omits_optional_keys_that_are_unset(viewer):
    declare("Bare", severity=None)
    [found] = viewer.get("/v2/incidents").json()["incidents"]
    for key in ("severity", "summary", "call_url", "external_issue_reference", "postmortem_document_url"):
        assert key not in found
    assert None not in found.values()


def test_list_incidents_without_key_is_401(anonymous):
    response = anonymous.get("/v2/incidents")
    body = assert_matches_contract(response, "Incidents V2#List")
    assert response.status_code == 401 and body["type"] == "authentication_error"


@pytest.mark.parametrize("roles", [("viewer",), ("global_access",)])
def test_list_incidents_is_allowed_to_viewers(api_as, roles):
    declare("Visible")
    response = api_as(*roles).get("/v2/incidents")
    assert response.status_code == 200 and len(response.json()["incidents"]) == 1


@pytest.mark.parametrize("roles", [("incident_creator",), ("incident_editor",), ("manage_settings",)])
def test_list_incidents_is_refused_without_viewer(api_as, roles):
    response = api_as(*roles).get("/v2/incidents")
    body = assert_matches_contract(response, "Incidents V2#List")
    assert response.status_code == 403 and body["type"] == "resource_forbidden"


def test_private_incidents_are_listed_only_for_keys_that_see_them(viewer, api):
    declare("Public")
    private = declare("Secret", visibility="private")
    assert [i["name"] for i in viewer.get("/v2/incidents").json()["incidents"]] == ["Public"]
    assert private.pk in [i["id"] for i in api.get("/v2/incidents").json()["incidents"]]


def test_show_incident(viewer, fields):
    incident = rich_incident(fields)
    body = assert_matches_contract(viewer.get(f"/v2/incidents/{incident.pk}"), "Incidents V2#Show")
    assert body["incident"]["id"] == incident.pk and body["incident"]["name"] == "Database is sad"


def test_show_incident_by_the_number_of_its_reference(viewer):
    incident = declare("By number")
    body = assert_matches_contract(viewer.get(f"/v2/incidents/{incident.reference_number}"), "Incidents V2#Show")
    assert body["incident"]["id"] == incident.pk


def test_show_unknown_incident_is_404(viewer):
    response = viewer.get(f"/v2/incidents/{UNKNOWN}")
    body = assert_matches_contract(response, "Incidents V2#Show")
    assert response.status_code == 404 and body["type"] == "not_found"


def test_show_private_incident_is_404_for_viewer_key(viewer, api):
    private = declare("Secret", visibility="private")
    response = viewer.get(f"/v2/incidents/{private.pk}")
    assert_matches_contract(response, "Incidents V2#Show")
    assert response.status_code == 404
    assert api.get(f"/v2/incidents/{private.pk}").status_code == 200


def test_show_incident_needs_viewer(api_as):
    incident = declare("Visible")
    response = api_as("incident_creator").get(f"/v2/incidents/{incident.pk}")
    assert_matches_contract(response, "Incidents V2#Show")
    assert response.status_code == 403


@pytest.mark.parametrize("n", [1, 100])
def test_incident_list_query_count_is_constant(viewer, fields, n, django_assert_num_queries):
    IncidentFactory.create_batch(n, with_roles=True, with_custom_fields=True, with_custom_fields__option=fields["api"])
    # Cold caches: key lookup, roles, custom fields, their options, timestamps, then the
    # page: incidents (with status, severity, type, creator), role assignments, custom
    # field values, timestamp values (with acceleration: the page's ids and updated_at
    # first, then the same four for the incidents not rendered yet)
    with django_assert_num_queries(10 if accelerated() else 9):
        response = viewer.get("/v2/incidents", {"page_size": 250})
    assert response.status_code == 200 and len(response.json()["incidents"]) == n
    # Warm: with acceleration, the key, the configuration and the rendered incidents come
    # from the cache, and only the page's ids and updated_at are read; without it, as cold
    with django_assert_num_queries(1 if accelerated() else 9):
        again = viewer.get("/v2/incidents", {"page_size": 250})
    assert again.status_code == 200 and again.json() == response.json()


def test_show_incident_query_count(viewer, fields, django_assert_num_queries):
    incident = rich_incident(fields)
    # Cold caches: key lookup, roles, custom fields, their options, timestamps, then the
    # incident (with status, severity, type, creator), role assignments, custom field
    # values, timestamp values (with acceleration: its id and updated_at first)
    with django_assert_num_queries(10 if accelerated() else 9):
        first = viewer.get(f"/v2/incidents/{incident.pk}")
    assert first.status_code == 200
    # Warm: with acceleration only the incident's id and updated_at; without it, as cold
    with django_assert_num_queries(1 if accelerated() else 9):
        again = viewer.get(f"/v2/incidents/{incident.pk}")
    assert again.status_code == 200 and again.json() == first.json()


# --- create -----------------------------------------------------------------------------------


def test_create_incident_answers_200_with_everything_set(api_as, fields, severities, statuses):
    user = UserFactory()
    lead = IncidentRole.objects.get(role_type="lead")
    impact_started = IncidentTimestamp.objects.get(name="Impact started at")
    response = api_as("incident_creator").post(
        "/v2/incidents",
        payload(
            summary="Payments fail",
            severity_id=severities["Critical"].pk,
            incident_status_id=statuses["Fixing"].pk,
            incident_type_id=IncidentType.objects.get(name="Default").pk,
            mode="retrospective",
            custom_field_entries=[
                {"custom_field_id": fields["services"].pk, "values": [{"value_option_id": fields["api"].pk}, {"value_option_id": fields["web"].pk}]},
                {"custom_field_id": fields["text"].pk, "values": [{"value_text": "Expired certificate"}]},
                {"custom_field_id": fields["link"].pk, "values": [{"value_link": "https://status.example.com"}]},
                {"custom_field_id": fields["numeric"].pk, "values": [{"value_numeric": "12.5"}]},
            ],
            incident_role_assignments=[{"incident_role_id": lead.pk, "assignee": {"id": str(user.pk)}}],
            incident_timestamp_values=[{"incident_timestamp_id": impact_started.pk, "value": "2024-05-01T10:00:00Z"}],
            retrospective_incident_options={"postmortem_document_url": "https://docs.example.com/pm"},
        ),
    )
    body = assert_matches_contract(response, "Incidents V2#Create")
    assert response.status_code == 200
    created = body["incident"]
    incident = Incident.objects.get(pk=created["id"])
    assert incident.creator_api_key_id and incident.status == statuses["Fixing"] and incident.mode == "retrospective"
    assert created["severity"]["name"] == "Critical" and created["incident_status"]["name"] == "Fixing"
    assert created["postmortem_document_url"] == "https://docs.example.com/pm"
    assert IncidentRoleAssignment.objects.get(incident=incident, role=lead).assignee == user
    assert sorted(CustomFieldValue.objects.filter(incident=incident).values_list("custom_field__name", flat=True)) == [
        "Affected services", "Affected services", "Customers affected", "Root cause", "Runbook",
    ]
    stamps = {t["incident_timestamp"]["name"]: t.get("value") for t in created["incident_timestamp_values"]}
    assert stamps["Impact started at"] == {"value": "2024-05-01T10:00:00Z"}
    # The answer is rendered from what was written, not read back: it must be what a read shows.
    assert api_as("viewer").get(f"/v2/incidents/{created['id']}").json()["incident"] == created


def test_create_incident_assigns_a_role_by_email(api, lead_role):
    user = UserFactory(email="Lead@Example.com")
    response = api.post("/v2/incidents", payload(incident_role_assignments=[{"incident_role_id": lead_role.pk, "assignee": {"email": "lead@example.com"}}]))
    assert_matches_contract(response, "Incidents V2#Create")
    assert IncidentRoleAssignment.objects.get(role=lead_role).assignee == user


def test_create_incident_with_the_same_idempotency_key_returns_the_first(api_as):
    client = api_as("incident_creator")
    first = client.post("/v2/incidents", payload(name="First")).json()["incident"]
    response = client.post("/v2/incidents", payload(name="Second"))
    body = assert_matches_contract(response, "Incidents V2#Create")
    assert body["incident"]["id"] == first["id"] and body["incident"]["name"] == "First"
    assert Incident.objects.count() == 1


def test_idempotency_keys_belong_to_their_api_key(api_as):
    api_as("incident_creator", name="One").post("/v2/incidents", payload())
    api_as("incident_creator", name="Two").post("/v2/incidents", payload())
    assert Incident.objects.count() == 2


@pytest.mark.parametrize("roles", [("viewer",), ("incident_editor",), ("manage_settings",)])
def test_create_incident_needs_incident_creator(api_as, roles):
    response = api_as(*roles).post("/v2/incidents", payload())
    body = assert_matches_contract(response, "Incidents V2#Create")
    assert response.status_code == 403 and body["type"] == "resource_forbidden"
    assert not Incident.objects.exists()


def test_create_incident_without_key_is_401(anonymous):
    response = anonymous.post("/v2/incidents", payload())
    assert_matches_contract(response, "Incidents V2#Create")
    assert response.status_code == 401 and not Incident.objects.exists()


def test_create_incident_without_idempotency_key_is_422(api):
    response = api.post("/v2/incidents", {"visibility": "public", "name": "No key"})
    body = assert_matches_contract(response, "Incidents V2#Create")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == "idempotency_key"


def test_create_incident_without_name_is_422(api):
    response = api.post("/v2/incidents", {"idempotency_key": "k", "visibility": "public"})
    body = assert_matches_contract(response, "Incidents V2#Create")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == "name"


@pytest.mark.parametrize("field", ["severity_id", "incident_status_id", "incident_type_id"])
def test_create_incident_with_unknown_reference_is_422_naming_it(api, field):
    response = api.post("/v2/incidents", payload(**{field: UNKNOWN}))
    body = assert_matches_contract(response, "Incidents V2#Create")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == field
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    "entry, field",
    [
        ({"custom_field_id": UNKNOWN, "values": []}, "custom_field_entries[0].custom_field_id"),
        ({"custom_field_id": "services", "values": [{"value_option_id": UNKNOWN}]}, "custom_field_entries[0].values[0].value_option_id"),
        ({"custom_field_id": "services", "values": [{"value_option_id": "outage"}]}, "custom_field_entries[0].values[0].value_option_id"),
        ({"custom_field_id": "services", "values": [{"value_text": "API"}]}, "custom_field_entries[0].values[0].value_option_id"),
        ({"custom_field_id": "impact", "values": [{"value_option_id": "outage"}, {"value_option_id": "outage"}]}, None),
        ({"custom_field_id": "numeric", "values": [{"value_numeric": "lots"}]}, "custom_field_entries[0].values[0].value_numeric"),
        ({"custom_field_id": "link", "values": [{"value_link": "not a url"}]}, "custom_field_entries[0].values[0].value_link"),
        ({"custom_field_id": "text", "values": [{"value_numeric": "3"}]}, "custom_field_entries[0].values[0].value_numeric"),
        ({"custom_field_id": "text", "values": [{"value_text": "a"}, {"value_text": "b"}]}, "custom_field_entries[0].values"),
    ],
)
def test_create_incident_with_a_bad_custom_field_value_is_422_naming_it(api, fields, entry, field):
    def resolve(value):
        return fields[value].pk if value in fields else value

    entry = {"custom_field_id": resolve(entry["custom_field_id"]), "values": [{k: resolve(v) for k, v in value.items()} for value in entry["values"]]}
    response = api.post("/v2/incidents", payload(custom_field_entries=[entry]))
    body = assert_matches_contract(response, "Incidents V2#Create")
    assert response.status_code == 422
    # A single select takes one option: the error names the entry's values.
    assert body["errors"][0]["source"]["field"] == (field or "custom_field_entries[0].values")
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    "assignment, field",
    [
        ({"incident_role_id": UNKNOWN, "assignee": {"id": "1"}}, "incident_role_assignments[0].incident_role_id"),
        ({"incident_role_id": "lead", "assignee": {"id": "999999"}}, "incident_role_assignments[0].assignee"),
        ({"incident_role_id": "lead", "assignee": {"id": "not-a-number"}}, "incident_role_assignments[0].assignee"),
        ({"incident_role_id": "lead", "assignee": {"email": "nobody@example.com"}}, "incident_role_assignments[0].assignee"),
        ({"incident_role_id": "lead", "assignee": {"slack_user_id": "U123"}}, "incident_role_assignments[0].assignee"),
        ({"incident_role_id": "lead", "assignee": {}}, "incident_role_assignments[0].assignee"),
    ],
)
def test_create_incident_with_an_unknown_role_or_user_is_422_naming_it(api, lead_role, assignment, field):
    if assignment["incident_role_id"] == "lead":
        assignment["incident_role_id"] = lead_role.pk
    response = api.post("/v2/incidents", payload(incident_role_assignments=[assignment]))
    body = assert_matches_contract(response, "Incidents V2#Create")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == field
    assert not Incident.objects.exists()


def test_create_incident_with_an_unknown_timestamp_is_422_naming_it(api):
    response = api.post("/v2/incidents", payload(incident_timestamp_values=[{"incident_timestamp_id": UNKNOWN, "value": "2024-01-01T00:00:00Z"}]))
    body = assert_matches_contract(response, "Incidents V2#Create")
    assert response.status_code == 422
    assert body["errors"][0]["source"]["field"] == "incident_timestamp_values[0].incident_timestamp_id"


def test_create_incident_names_every_bad_field_and_writes_nothing(api, fields, severities):
    response = api.post(
        "/v2/incidents",
        payload(
            severity_id=severities["Minor"].pk,
            custom_field_entries=[
                {"custom_field_id": fields["text"].pk, "values": [{"value_text": "fine"}]},
                {"custom_field_id": fields["numeric"].pk, "values": [{"value_numeric": "NaN-ish"}]},
            ],
            incident_role_assignments=[{"incident_role_id": UNKNOWN, "assignee": {"id": "1"}}],
        ),
    )
    body = assert_matches_contract(response, "Incidents V2#Create")
    assert response.status_code == 422
    assert {e["source"]["field"] for e in body["errors"]} == {
        "custom_field_entries[1].values[0].value_numeric",
        "incident_role_assignments[0].incident_role_id",
    }
    assert not Incident.objects.exists() and not IncidentUpdate.objects.exists() and not CustomFieldValue.objects.exists()


def test_create_public_incident_of_a_private_only_type_is_422_on_visibility(api):
    secret = IncidentType.objects.create(name="Security", private_incidents_only=True)
    response = api.post("/v2/incidents", payload(incident_type_id=secret.pk))
    body = assert_matches_contract(response, "Incidents V2#Create")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == "visibility"
    assert not Incident.objects.exists()


def test_create_private_incident_answers_with_it_even_to_a_key_that_cannot_list_it(api_as):
    client = api_as("incident_creator", "viewer")
    response = client.post("/v2/incidents", payload(visibility="private"))
    body = assert_matches_contract(response, "Incidents V2#Create")
    assert body["incident"]["visibility"] == "private"
    assert client.get("/v2/incidents").json()["incidents"] == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_with_one_idempotency_key_declare_one_incident():
    client = make_client("incident_creator", name="Racer")
    barrier = threading.Barrier(6)
    results = []

    def create():
        try:
            barrier.wait()
            response = client.post("/v2/incidents", payload(idempotency_key="race", name="Raced"))
            results.append((response.status_code, response.json()["incident"]["id"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 6
    assert {status for status, _ in results} == {200}
    assert len({incident_id for _, incident_id in results}) == 1
    assert Incident.objects.filter(idempotency_key="race").count() == 1


def test_declaring_an_incident_in_v2_costs_a_constant_number_of_queries(api, declaration_body, django_assert_num_queries):
    # Cold caches: the reads and writes named in tests/incidents/api/conftest.py
    with django_assert_num_queries(DECLARATION_READS + DECLARATION_WRITES):
        response = api.post("/v2/incidents", declaration_body("first"))
    created = assert_matches_contract(response, "Incidents V2#Create")["incident"]
    assert response.status_code == 200
    assert_declaration_stored(created["id"])
    values = {t["incident_timestamp"]["name"]: t.get("value") for t in created["incident_timestamp_values"]}
    assert values["Impact started at"] == {"value": "2024-05-01T10:00:00Z"} and "value" in values["Reported at"]
    # Warm: with acceleration the key and the configuration come from the cache
    with django_assert_num_queries(DECLARATION_WRITES if accelerated() else DECLARATION_READS + DECLARATION_WRITES):
        again = api.post("/v2/incidents", declaration_body("second"))
    assert again.status_code == 200
    assert_declaration_stored(assert_matches_contract(again, "Incidents V2#Create")["incident"]["id"])
    assert api.get(f"/v2/incidents/{created['id']}").json()["incident"] == created


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


# --- edit -------------------------------------------------------------------------------------


def edit(client, incident, **changes):
    return client.post(f"/v2/incidents/{incident.pk}/actions/edit", {"incident": changes, "notify_incident_channel": False})


def test_edit_incident_changes_only_what_is_sent(api_as, severities):
    incident = declare("Before", summary="Keep me", severity=severities["Minor"])
    response = edit(api_as("incident_editor"), incident, name="After", severity_id=severities["Major"].pk)
    body = assert_matches_contract(response, "Incidents V2#Edit")
    assert body["incident"]["name"] == "After" and body["incident"]["summary"] == "Keep me"
    assert body["incident"]["severity"]["name"] == "Major"
    incident.refresh_from_db()
    assert incident.severity == severities["Major"]
    # A severity change goes through the timeline.
    assert incident.updates.filter(new_severity=severities["Major"]).exists()


def test_edit_incident_status_records_an_update(api, statuses):
    incident = declare("Moving")
    body = assert_matches_contract(edit(api, incident, incident_status_id=statuses["Monitoring"].pk), "Incidents V2#Edit")
    assert body["incident"]["incident_status"]["name"] == "Monitoring"
    assert incident.updates.filter(new_status=statuses["Monitoring"]).exists()


def test_edit_incident_sets_and_clears_custom_fields_roles_and_timestamps(api, fields, lead_role):
    incident = rich_incident(fields)
    impact = IncidentTimestamp.objects.get(name="Impact started at")
    response = edit(
        api,
        incident,
        call_url="https://meet.example.com/room",
        custom_field_entries=[
            {"custom_field_id": fields["services"].pk, "values": []},
            {"custom_field_id": fields["impact"].pk, "values": [{"value_option_id": fields["outage"].pk}]},
        ],
        incident_role_assignments=[{"incident_role_id": lead_role.pk}],
        incident_timestamp_values=[{"incident_timestamp_id": impact.pk}],
    )
    body = assert_matches_contract(response, "Incidents V2#Edit")
    found = body["incident"]
    assert found["call_url"] == "https://meet.example.com/room"
    entries = {e["custom_field"]["name"]: e["values"] for e in found["custom_field_entries"]}
    assert entries["Affected services"] == [] and entries["Customer impact"][0]["value_option"]["value"] == "Outage"
    assert entries["Root cause"] == [{"value_text": "A bad deploy"}]
    assert all("assignee" not in a for a in found["incident_role_assignments"])
    assert not incident.timestamp_values.filter(timestamp=impact).exists()


def test_edit_cannot_assign_the_reporter(api):
    incident = declare("Reported")
    reporter = IncidentRole.objects.get(role_type="reporter")
    response = edit(api, incident, incident_role_assignments=[{"incident_role_id": reporter.pk, "assignee": {"id": str(UserFactory().pk)}}])
    body = assert_matches_contract(response, "Incidents V2#Edit")
    assert response.status_code == 422
    assert body["errors"][0]["source"]["field"] == "incident.incident_role_assignments[0].incident_role_id"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"severity_id": UNKNOWN}, "incident.severity_id"),
        ({"incident_status_id": UNKNOWN}, "incident.incident_status_id"),
        ({"name": "  "}, "incident.name"),
        ({"call_url": "not a url"}, "incident.call_url"),
    ],
)
def test_edit_incident_with_bad_input_is_422_naming_the_field(api, changes, field):
    incident = declare("Unchanged")
    body = assert_matches_contract(edit(api, incident, **changes), "Incidents V2#Edit")
    assert body["status"] == 422 and body["errors"][0]["source"]["field"] == field
    incident.refresh_from_db()
    assert incident.name == "Unchanged"


def test_edit_incident_without_notify_flag_is_422(api):
    incident = declare("Flagless")
    response = api.post(f"/v2/incidents/{incident.pk}/actions/edit", {"incident": {"name": "x"}})
    body = assert_matches_contract(response, "Incidents V2#Edit")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == "notify_incident_channel"


@pytest.mark.parametrize("roles", [("viewer",), ("incident_creator",)])
def test_edit_incident_needs_incident_editor(api_as, roles):
    incident = declare("Untouched")
    response = edit(api_as(*roles), incident, name="Changed")
    assert_matches_contract(response, "Incidents V2#Edit")
    assert response.status_code == 403
    incident.refresh_from_db()
    assert incident.name == "Untouched"


def test_edit_unknown_incident_is_404(api):
    response = api.post(f"/v2/incidents/{UNKNOWN}/actions/edit", {"incident": {"name": "x"}, "notify_incident_channel": False})
    assert_matches_contract(response, "Incidents V2#Edit")
    assert response.status_code == 404


def test_edit_private_incident_is_404_for_a_key_that_cannot_see_it(api_as):
    private = declare("Secret", visibility="private")
    response = edit(api_as("incident_editor", "viewer"), private, name="Leaked")
    assert_matches_contract(response, "Incidents V2#Edit")
    assert response.status_code == 404
    private.refresh_from_db()
    assert private.name == "Secret"


# --- actions ----------------------------------------------------------------------------------


def connect(client, ref, **extra):
    body = {"provider": "linear", "issue_template_id": "template", "url": "https://linear.app/acme/issue/OPS-1", **extra}
    return client.post(f"/v2/incidents/{ref}/actions/connect_external_issue", body)


def test_connect_external_issue_answers_204_and_shows_on_the_incident(api_as, viewer):
    incident = declare("Linked")
    response = connect(api_as("incident_editor"), incident.pk)
    assert_matches_contract(response, "Incidents V2#ConnectExternalIssue")
    assert response.status_code == 204 and response.content == b""
    shown = viewer.get(f"/v2/incidents/{incident.pk}").json()["incident"]
    assert shown["external_issue_reference"] == {
        "provider": "linear", "issue_name": "OPS-1", "issue_permalink": "https://linear.app/acme/issue/OPS-1",
    }


def test_connect_external_issue_by_reference_number(api):
    incident = declare("By number")
    assert_matches_contract(connect(api, incident.reference_number), "Incidents V2#ConnectExternalIssue")
    incident.refresh_from_db()
    assert incident.external_issue_provider == "linear"


def test_connecting_a_different_issue_needs_replace(api):
    incident = declare("Linked twice")
    connect(api, incident.pk)
    response = connect(api, incident.pk, url="https://linear.app/acme/issue/OPS-2")
    body = assert_matches_contract(response, "Incidents V2#ConnectExternalIssue")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == "replace"
    response = connect(api, incident.pk, url="https://linear.app/acme/issue/OPS-2", replace=True)
    assert response.status_code == 204
    incident.refresh_from_db()
    assert incident.external_issue_url.endswith("OPS-2")


def test_an_issue_links_to_one_incident(api):
    connect(api, declare("First").pk)
    response = connect(api, declare("Second").pk)
    body = assert_matches_contract(response, "Incidents V2#ConnectExternalIssue")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == "url"


@pytest.mark.parametrize("extra, field", [({"url": "ftp://nope"}, "url"), ({"provider": "pigeon"}, "provider")])
def test_connect_external_issue_with_bad_input_is_422(api, extra, field):
    response = connect(api, declare("Bad").pk, **extra)
    body = assert_matches_contract(response, "Incidents V2#ConnectExternalIssue")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == field


def test_connect_external_issue_needs_incident_editor_and_a_visible_incident(viewer, api_as):
    assert connect(viewer, declare("Public").pk).status_code == 403
    response = connect(api_as("incident_editor"), declare("Secret", visibility="private").pk)
    assert_matches_contract(response, "Incidents V2#ConnectExternalIssue")
    assert response.status_code == 404
    assert connect(api_as("incident_editor"), UNKNOWN).status_code == 404


def test_import_postmortem_document_answers_201_with_the_document(api_as):
    incident = declare("Reviewed")
    response = api_as("incident_editor").post(
        f"/v2/incidents/{incident.pk}/actions/import_postmortem_document", {"title": "Review", "content": "# What happened"}
    )
    body = assert_matches_contract(response, "Incidents V2#ImportPostmortemDocument")
    assert response.status_code == 201
    incident.refresh_from_db()
    document = body["postmortem_document"]
    assert document["id"] == incident.postmortem_document_id and document["incident_id"] == incident.pk
    assert document["status"] == "completed" and document["type"] == "in_app" and document["exported_urls"] == []
    assert document["document_url"] == incident.permalink == response["Location"]
    assert incident.postmortem_content == "# What happened"


def test_import_postmortem_document_without_title_is_422(api):
    response = api.post(f"/v2/incidents/{declare('x').pk}/actions/import_postmortem_document", {"content": "# Body"})
    body = assert_matches_contract(response, "Incidents V2#ImportPostmortemDocument")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == "title"


def test_import_postmortem_document_needs_incident_editor_and_a_visible_incident(viewer, api_as):
    document = {"title": "T", "content": "C"}
    response = viewer.post(f"/v2/incidents/{declare('x').pk}/actions/import_postmortem_document", document)
    assert_matches_contract(response, "Incidents V2#ImportPostmortemDocument")
    assert response.status_code == 403
    private = declare("Secret", visibility="private")
    response = api_as("incident_editor").post(f"/v2/incidents/{private.pk}/actions/import_postmortem_document", document)
    assert_matches_contract(response, "Incidents V2#ImportPostmortemDocument")
    assert response.status_code == 404


# --- one incident, three ways in --------------------------------------------------------------


def test_incident_declared_in_v1_shows_in_v2_and_in_the_admin(api, staff_client, severities):
    created = api.post("/v1/incidents", {"idempotency_key": "v1", "visibility": "public", "name": "From v1", "severity_id": severities["Minor"].pk})
    incident_id = created.json()["incident"]["id"]
    shown = api.get(f"/v2/incidents/{incident_id}").json()["incident"]
    assert shown["name"] == "From v1" and shown["severity"]["name"] == "Minor"
    assert "From v1" in staff_client.get(reverse("admin:incidents_incident_changelist")).content.decode()


def test_incident_declared_in_v2_shows_in_v1_and_in_the_admin(api, staff_client, statuses):
    created = api.post("/v2/incidents", payload(name="From v2", incident_status_id=statuses["Monitoring"].pk))
    incident_id = created.json()["incident"]["id"]
    shown = api.get(f"/v1/incidents/{incident_id}").json()["incident"]
    assert shown["name"] == "From v2" and shown["status"] == "monitoring"
    page = staff_client.get(reverse("admin:incidents_incident_change", args=[incident_id])).content.decode()
    assert "From v2" in page


def test_incident_declared_in_the_admin_shows_in_v1_and_v2(api, staff_client, severities):
    response = staff_client.post(
        reverse("admin:incidents_incident_add"),
        {"name": "From the admin", "summary": "", "severity": severities["Major"].pk, "mode": "standard", "visibility": "public", "call_url": ""},
    )
    assert response.status_code == 302
    [v2] = api.get("/v2/incidents").json()["incidents"]
    [v1] = api.get("/v1/incidents").json()["incidents"]
    assert v1["id"] == v2["id"] and v2["name"] == "From the admin"
    assert v2["creator"]["user"]["name"] == "staff" and v1["creator"]["user"]["id"] == v2["creator"]["user"]["id"]
