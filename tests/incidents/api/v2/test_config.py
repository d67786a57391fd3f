"""v2 configuration endpoints: incident roles, custom fields and incident timestamps."""

import pytest

from incidents.models import CustomField, CustomFieldOption, IncidentRole, IncidentTimestamp
from tests.contract import assert_matches_contract
from tests.factories import CustomFieldFactory, CustomFieldOptionFactory, UserFactory, declare

pytestmark = pytest.mark.django_db

UNKNOWN_ID = "01FCNDV6P870EA6S7TK1DSYDG0"


@pytest.fixture
def manager(api_as):
    return api_as("manage_settings")


@pytest.fixture
def creator(api_as):
    """A key that holds roles, but not the ones configuration endpoints ask for."""
    return api_as("incident_creator")


def field_errors(body) -> list[str]:
    return [error["source"]["field"] for error in body["errors"] if "source" in error]


# --- incident roles ---------------------------------------------------------------------------

ROLE = {
    "name": "Communications Lead",
    "shortform": "comms",
    "description": "Keeps customers informed",
    "instructions": "Post on the status page every 30 minutes",
}


def custom_role(**overrides) -> IncidentRole:
    fields = {"name": "Scribe", "shortform": "scribe", "description": "Takes notes", "instructions": ""} | overrides
    return IncidentRole.objects.create(**fields)


def test_list_incident_roles(viewer):
    body = assert_matches_contract(viewer.get("/v2/incident_roles"), "Incident Roles V2#List")
    assert [r["role_type"] for r in body["incident_roles"]] == ["lead", "reporter"]
    assert "required" not in body["incident_roles"][0]


def test_list_incident_roles_without_key_is_401(anonymous):
    response = anonymous.get("/v2/incident_roles")
    body = assert_matches_contract(response, "Incident Roles V2#List")
    assert response.status_code == 401 and body["type"] == "authentication_error"


def test_list_incident_roles_needs_viewer(creator):
    response = creator.get("/v2/incident_roles")
    body = assert_matches_contract(response, "Incident Roles V2#List")
    assert response.status_code == 403 and body["type"] == "resource_forbidden"


def test_show_incident_role(viewer, lead_role):
    body = assert_matches_contract(viewer.get(f"/v2/incident_roles/{lead_role.pk}"), "Incident Roles V2#Show")
    assert body["incident_role"]["id"] == lead_role.pk and body["incident_role"]["role_type"] == "lead"


def test_show_unknown_incident_role_is_404(viewer):
    response = viewer.get(f"/v2/incident_roles/{UNKNOWN_ID}")
    body = assert_matches_contract(response, "Incident Roles V2#Show")
    assert response.status_code == 404 and body["type"] == "not_found"


def test_create_incident_role_answers_201(manager):
    response = manager.post("/v2/incident_roles", ROLE)
    body = assert_matches_contract(response, "Incident Roles V2#Create")
    assert response.status_code == 201 and body["incident_role"]["role_type"] == "custom"
    role = IncidentRole.objects.get(pk=body["incident_role"]["id"])
    assert (role.shortform, role.required) == ("comms", False)


def test_create_incident_role_with_blank_name_is_422_naming_it(manager):
    response = manager.post("/v2/incident_roles", {**ROLE, "name": ""})
    body = assert_matches_contract(response, "Incident Roles V2#Create")
    assert response.status_code == 422 and field_errors(body) == ["name"]
    assert IncidentRole.objects.count() == 2


def test_create_incident_role_without_instructions_is_422_naming_them(manager):
    payload = {key: value for key, value in ROLE.items() if key != "instructions"}
    response = manager.post("/v2/incident_roles", payload)
    body = assert_matches_contract(response, "Incident Roles V2#Create")
    assert response.status_code == 422 and field_errors(body) == ["instructions"]


def test_create_incident_role_needs_manage_settings(viewer):
    response = viewer.post("/v2/incident_roles", ROLE)
    assert_matches_contract(response, "Incident Roles V2#Create")
    assert response.status_code == 403 and not IncidentRole.objects.filter(name=ROLE["name"]).exists()


def test_update_incident_role(manager):
    role = custom_role(required=True)
    response = manager.put(f"/v2/incident_roles/{role.pk}", ROLE)
    body = assert_matches_contract(response, "Incident Roles V2#Update")
    assert body["incident_role"]["name"] == "Communications Lead"
    role.refresh_from_db()
    assert (role.name, role.shortform, role.required) == ("Communications Lead", "comms", True)


def test_update_incident_role_to_a_taken_name_is_422_naming_name(manager, lead_role):
    role = custom_role()
    response = manager.put(f"/v2/incident_roles/{role.pk}", {**ROLE, "name": lead_role.name})
    body = assert_matches_contract(response, "Incident Roles V2#Update")
    assert response.status_code == 422 and field_errors(body) == ["name"]
    role.refresh_from_db()
    assert role.name == "Scribe"


def test_update_unknown_incident_role_is_404(manager):
    response = manager.put(f"/v2/incident_roles/{UNKNOWN_ID}", ROLE)
    assert_matches_contract(response, "Incident Roles V2#Update")
    assert response.status_code == 404


def test_delete_incident_role_answers_204(manager):
    role = custom_role()
    response = manager.delete(f"/v2/incident_roles/{role.pk}")
    assert_matches_contract(response, "Incident Roles V2#Delete")
    assert response.status_code == 204 and response.content == b""
    assert not IncidentRole.objects.filter(pk=role.pk).exists()


def test_deleting_the_lead_role_is_422(manager, lead_role):
    declare("Has a lead", role_assignments={lead_role: UserFactory()})
    response = manager.delete(f"/v2/incident_roles/{lead_role.pk}")
    body = assert_matches_contract(response, "Incident Roles V2#Delete")
    assert response.status_code == 422 and body["errors"][0]["code"] == "protected_role"
    assert lead_role.assignments.count() == 1


def test_delete_incident_role_needs_manage_settings(viewer):
    role = custom_role()
    response = viewer.delete(f"/v2/incident_roles/{role.pk}")
    assert_matches_contract(response, "Incident Roles V2#Delete")
    assert response.status_code == 403 and IncidentRole.objects.filter(pk=role.pk).exists()


def test_delete_unknown_incident_role_is_404(manager):
    response = manager.delete(f"/v2/incident_roles/{UNKNOWN_ID}")
    assert_matches_contract(response, "Incident Roles V2#Delete")
    assert response.status_code == 404


@pytest.mark.parametrize("extra", [0, 30])
def test_incident_role_list_query_count_is_constant(viewer, extra, django_assert_num_queries):
    for n in range(extra):
        custom_role(name=f"Role {n}")
    # key lookup, incident roles
    with django_assert_num_queries(2):
        response = viewer.get("/v2/incident_roles")
    assert response.status_code == 200


# --- custom fields ----------------------------------------------------------------------------

FIELD = {"name": "Affected Team", "description": "Which team is impacted by this issue", "field_type": "single_select"}


def test_list_custom_fields(viewer):
    CustomFieldFactory(name="Team")
    CustomFieldFactory(name="Customer", field_type="text")
    body = assert_matches_contract(viewer.get("/v2/custom_fields"), "Custom Fields V2#List")
    assert [(f["name"], f["field_type"]) for f in body["custom_fields"]] == [("Customer", "text"), ("Team", "single_select")]
    assert "catalog_type_id" not in body["custom_fields"][0]


def test_list_custom_fields_without_key_is_401(anonymous):
    response = anonymous.get("/v2/custom_fields")
    assert_matches_contract(response, "Custom Fields V2#List")
    assert response.status_code == 401


def test_list_custom_fields_needs_viewer(creator):
    response = creator.get("/v2/custom_fields")
    assert_matches_contract(response, "Custom Fields V2#List")
    assert response.status_code == 403


def test_show_custom_field(viewer):
    field = CustomFieldFactory(name="Team")
    body = assert_matches_contract(viewer.get(f"/v2/custom_fields/{field.pk}"), "Custom Fields V2#Show")
    assert body["custom_field"]["id"] == field.pk and body["custom_field"]["name"] == "Team"


def test_show_unknown_custom_field_is_404(viewer):
    response = viewer.get(f"/v2/custom_fields/{UNKNOWN_ID}")
    body = assert_matches_contract(response, "Custom Fields V2#Show")
    assert response.status_code == 404 and body["type"] == "not_found"


def test_create_custom_field_answers_201_with_defaults(manager):
    response = manager.post("/v2/custom_fields", FIELD)
    body = assert_matches_contract(response, "Custom Fields V2#Create")
    assert response.status_code == 201
    field = CustomField.objects.get(pk=body["custom_field"]["id"])
    assert (field.name, field.field_type, field.required, field.show_before_creation) == (
        "Affected Team", "single_select", "never", True,
    )


def test_create_custom_field_ignores_null_catalog_settings(manager):
    # The contract has no nulls here, but clients that serialise unset fields send them.
    response = manager.post("/v2/custom_fields", {**FIELD, "catalog_type_id": None, "filter_by": None})
    assert_matches_contract(response, "Custom Fields V2#Create", request=False)
    assert response.status_code == 201 and CustomField.objects.filter(name=FIELD["name"]).exists()


@pytest.mark.parametrize(
    "name, value",
    [
        ("catalog_type_id", "01FCNDV6P870EA6S7TK1DSYDG0"),
        ("filter_by", {"catalog_attribute_id": "01H2FW182TAH0NHEVBY34SCAK0", "custom_field_id": UNKNOWN_ID}),
        ("fixed_filter", {"catalog_attribute_id": "01H2FW182TAH0NHEVBY34SCAK0", "values": ["a"]}),
        ("group_by_catalog_attribute_id", "01FCNDV6P870EA6S7TK1DSYDG0"),
        ("helptext_catalog_attribute_id", "01H2FW182TAH0NHEVBY34SCAK0"),
    ],
)
def test_create_catalog_custom_field_is_422_naming_the_catalog_setting(manager, name, value):
    response = manager.post("/v2/custom_fields", {**FIELD, name: value})
    body = assert_matches_contract(response, "Custom Fields V2#Create")
    assert response.status_code == 422 and field_errors(body) == [name]
    assert body["errors"][0]["code"] == "not_supported"
    assert "catalog" in body["errors"][0]["message"] and "not supported" in body["errors"][0]["message"]
    assert not CustomField.objects.exists()


def test_create_custom_field_with_taken_name_is_422_naming_name(manager):
    CustomFieldFactory(name=FIELD["name"])
    response = manager.post("/v2/custom_fields", FIELD)
    body = assert_matches_contract(response, "Custom Fields V2#Create")
    assert response.status_code == 422 and field_errors(body) == ["name"]


def test_create_custom_field_with_too_long_name_is_422_naming_name(manager):
    response = manager.post("/v2/custom_fields", {**FIELD, "name": "x" * 51})
    body = assert_matches_contract(response, "Custom Fields V2#Create")
    assert response.status_code == 422 and field_errors(body) == ["name"]


def test_create_custom_field_needs_manage_settings(viewer):
    response = viewer.post("/v2/custom_fields", FIELD)
    assert_matches_contract(response, "Custom Fields V2#Create")
    assert response.status_code == 403 and not CustomField.objects.exists()


def test_update_custom_field_keeps_what_v2_does_not_carry(manager):
    field = CustomFieldFactory(name="Team", required="always", show_before_update=False)
    response = manager.put(f"/v2/custom_fields/{field.pk}", {"name": "Owning team", "description": "Who owns the fix"})
    body = assert_matches_contract(response, "Custom Fields V2#Update")
    assert body["custom_field"]["name"] == "Owning team"
    field.refresh_from_db()
    assert (field.description, field.required, field.show_before_update) == ("Who owns the fix", "always", False)


def test_update_custom_field_with_catalog_setting_is_422_naming_it(manager):
    field = CustomFieldFactory(name="Team")
    response = manager.put(
        f"/v2/custom_fields/{field.pk}",
        {"name": "Owning team", "description": "", "helptext_catalog_attribute_id": "01H2FW182TAH0NHEVBY34SCAK0"},
    )
    body = assert_matches_contract(response, "Custom Fields V2#Update")
    assert response.status_code == 422 and field_errors(body) == ["helptext_catalog_attribute_id"]
    field.refresh_from_db()
    assert field.name == "Team"


def test_update_unknown_custom_field_is_404(manager):
    response = manager.put(f"/v2/custom_fields/{UNKNOWN_ID}", {"name": "X", "description": ""})
    assert_matches_contract(response, "Custom Fields V2#Update")
    assert response.status_code == 404


def test_delete_custom_field_answers_204(manager):
    option = CustomFieldOptionFactory()
    response = manager.delete(f"/v2/custom_fields/{option.custom_field_id}")
    assert_matches_contract(response, "Custom Fields V2#Delete")
    assert response.status_code == 204 and response.content == b""
    assert not CustomField.objects.exists() and not CustomFieldOption.objects.exists()


def test_delete_custom_field_needs_manage_settings(viewer):
    field = CustomFieldFactory()
    response = viewer.delete(f"/v2/custom_fields/{field.pk}")
    assert_matches_contract(response, "Custom Fields V2#Delete")
    assert response.status_code == 403 and CustomField.objects.filter(pk=field.pk).exists()


def test_delete_unknown_custom_field_is_404(manager):
    response = manager.delete(f"/v2/custom_fields/{UNKNOWN_ID}")
    assert_matches_contract(response, "Custom Fields V2#Delete")
    assert response.status_code == 404


@pytest.mark.parametrize("fields", [1, 30])
def test_custom_field_list_query_count_is_constant(viewer, fields, django_assert_num_queries):
    CustomFieldFactory.create_batch(fields)
    # key lookup, custom fields
    with django_assert_num_queries(2):
        response = viewer.get("/v2/custom_fields")
    assert response.status_code == 200


# --- incident timestamps ----------------------------------------------------------------------


def test_list_incident_timestamps_in_rank_order(viewer):
    body = assert_matches_contract(viewer.get("/v2/incident_timestamps"), "Incident Timestamps V2#List")
    assert [t["name"] for t in body["incident_timestamps"]] == [
        "Reported at", "Accepted at", "Impact started at", "Resolved at", "Closed at", "Declined at",
    ]


def test_list_incident_timestamps_without_key_is_401(anonymous):
    response = anonymous.get("/v2/incident_timestamps")
    assert_matches_contract(response, "Incident Timestamps V2#List")
    assert response.status_code == 401


def test_list_incident_timestamps_needs_viewer(creator):
    response = creator.get("/v2/incident_timestamps")
    assert_matches_contract(response, "Incident Timestamps V2#List")
    assert response.status_code == 403


def test_show_incident_timestamp(viewer):
    resolved = IncidentTimestamp.objects.get(slug="resolved")
    body = assert_matches_contract(viewer.get(f"/v2/incident_timestamps/{resolved.pk}"), "Incident Timestamps V2#Show")
    assert body["incident_timestamp"] == {"id": resolved.pk, "name": "Resolved at", "rank": 30}


def test_show_unknown_incident_timestamp_is_404(viewer):
    response = viewer.get(f"/v2/incident_timestamps/{UNKNOWN_ID}")
    body = assert_matches_contract(response, "Incident Timestamps V2#Show")
    assert response.status_code == 404 and body["type"] == "not_found"


def test_incident_timestamps_cannot_be_created_through_the_api(api):
    response = api.post("/v2/incident_timestamps", {"name": "Nope", "rank": 1})
    assert response.status_code == 405 and not IncidentTimestamp.objects.filter(name="Nope").exists()


@pytest.mark.parametrize("extra", [0, 30])
def test_incident_timestamp_list_query_count_is_constant(viewer, extra, django_assert_num_queries):
    for n in range(extra):
        IncidentTimestamp.objects.create(name=f"Stamp {n}", rank=100 + n)
    # key lookup, incident timestamps
    with django_assert_num_queries(2):
        response = viewer.get("/v2/incident_timestamps")
    assert response.status_code == 200
