"""v1 configuration endpoints: incident statuses, incident types, incident roles, custom
fields and custom field options (severities live in test_severities.py)."""

import pytest

from incidents.models import (
    CustomField,
    CustomFieldOption,
    FieldType,
    IncidentRole,
    IncidentStatus,
    IncidentType,
)
from tests.contract import assert_matches_contract
from tests.factories import CustomFieldFactory, CustomFieldOptionFactory, declare

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


# --- incident statuses ------------------------------------------------------------------------


def test_list_incident_statuses_in_rank_order(viewer):
    body = assert_matches_contract(viewer.get("/v1/incident_statuses"), "Incident Statuses V1#List")
    assert [s["name"] for s in body["incident_statuses"]] == [
        "Triage", "Investigating", "Fixing", "Monitoring", "Closed", "Declined",
    ]
    assert body["incident_statuses"][0]["category"] == "triage"


def test_list_incident_statuses_without_key_is_401(anonymous):
    response = anonymous.get("/v1/incident_statuses")
    body = assert_matches_contract(response, "Incident Statuses V1#List")
    assert response.status_code == 401 and body["type"] == "authentication_error"


def test_list_incident_statuses_needs_viewer(creator):
    response = creator.get("/v1/incident_statuses")
    body = assert_matches_contract(response, "Incident Statuses V1#List")
    assert response.status_code == 403 and body["type"] == "resource_forbidden"


def test_show_incident_status(viewer):
    fixing = IncidentStatus.objects.get(name="Fixing")
    body = assert_matches_contract(viewer.get(f"/v1/incident_statuses/{fixing.pk}"), "Incident Statuses V1#Show")
    assert body["incident_status"]["id"] == fixing.pk and body["incident_status"]["category"] == "live"


def test_show_unknown_incident_status_is_404(viewer):
    response = viewer.get(f"/v1/incident_statuses/{UNKNOWN_ID}")
    body = assert_matches_contract(response, "Incident Statuses V1#Show")
    assert response.status_code == 404 and body["type"] == "not_found"


def test_create_incident_status_answers_201(manager):
    response = manager.post(
        "/v1/incident_statuses", {"name": "Learning", "description": "Writing it up", "category": "learning", "rank": 35}
    )
    body = assert_matches_contract(response, "Incident Statuses V1#Create")
    assert response.status_code == 201
    status = IncidentStatus.objects.get(pk=body["incident_status"]["id"])
    assert (status.name, status.category, status.rank) == ("Learning", "learning", 35)


def test_create_incident_status_without_rank_goes_last(manager):
    response = manager.post("/v1/incident_statuses", {"name": "Wrapped up", "description": "", "category": "closed"})
    body = assert_matches_contract(response, "Incident Statuses V1#Create")
    assert body["incident_status"]["rank"] == 51


def test_create_incident_status_in_a_built_in_category_is_422_naming_category(manager):
    response = manager.post("/v1/incident_statuses", {"name": "Paused", "description": "", "category": "paused"})
    body = assert_matches_contract(response, "Incident Statuses V1#Create")
    assert response.status_code == 422 and field_errors(body) == ["category"]
    assert body["errors"][0]["code"] == "invalid_enum_value"
    assert not IncidentStatus.objects.filter(name="Paused").exists()


def test_create_incident_status_with_taken_name_is_422_naming_name(manager):
    response = manager.post("/v1/incident_statuses", {"name": "Fixing", "description": "", "category": "live"})
    body = assert_matches_contract(response, "Incident Statuses V1#Create")
    assert response.status_code == 422 and field_errors(body) == ["name"]


def test_create_incident_status_needs_manage_settings(viewer):
    response = viewer.post("/v1/incident_statuses", {"name": "Nope", "description": "", "category": "live"})
    body = assert_matches_contract(response, "Incident Statuses V1#Create")
    assert response.status_code == 403 and body["type"] == "resource_forbidden"
    assert not IncidentStatus.objects.filter(name="Nope").exists()


def test_update_incident_status_keeps_its_category(manager):
    fixing = IncidentStatus.objects.get(name="Fixing")
    response = manager.put(f"/v1/incident_statuses/{fixing.pk}", {"name": "Mitigating", "description": "Stopping the bleeding"})
    body = assert_matches_contract(response, "Incident Statuses V1#Update")
    assert body["incident_status"]["name"] == "Mitigating" and body["incident_status"]["category"] == "live"
    fixing.refresh_from_db()
    assert (fixing.name, fixing.rank) == ("Mitigating", 20)


def test_update_incident_status_without_description_is_422_naming_it(manager):
    fixing = IncidentStatus.objects.get(name="Fixing")
    response = manager.put(f"/v1/incident_statuses/{fixing.pk}", {"name": "Mitigating"})
    body = assert_matches_contract(response, "Incident Statuses V1#Update")
    assert response.status_code == 422 and field_errors(body) == ["description"]
    fixing.refresh_from_db()
    assert fixing.name == "Fixing"


def test_update_unknown_incident_status_is_404(manager):
    response = manager.put(f"/v1/incident_statuses/{UNKNOWN_ID}", {"name": "X", "description": ""})
    body = assert_matches_contract(response, "Incident Statuses V1#Update")
    assert response.status_code == 404 and body["type"] == "not_found"


def test_delete_incident_status_answers_202(manager):
    monitoring = IncidentStatus.objects.get(name="Monitoring")
    response = manager.delete(f"/v1/incident_statuses/{monitoring.pk}")
    assert_matches_contract(response, "Incident Statuses V1#Delete")
    assert response.status_code == 202 and response.content == b""
    assert not IncidentStatus.objects.filter(pk=monitoring.pk).exists()


def test_delete_incident_status_in_use_is_422(manager):
    fixing = IncidentStatus.objects.get(name="Fixing")
    declare("Uses fixing", status=fixing)
    response = manager.delete(f"/v1/incident_statuses/{fixing.pk}")
    body = assert_matches_contract(response, "Incident Statuses V1#Delete")
    assert response.status_code == 422 and body["errors"][0]["code"] == "in_use"
    assert IncidentStatus.objects.filter(pk=fixing.pk).exists()


def test_delete_unknown_incident_status_is_404(manager):
    response = manager.delete(f"/v1/incident_statuses/{UNKNOWN_ID}")
    body = assert_matches_contract(response, "Incident Statuses V1#Delete")
    assert response.status_code == 404 and body["type"] == "not_found"


def test_delete_incident_status_needs_manage_settings(viewer):
    monitoring = IncidentStatus.objects.get(name="Monitoring")
    response = viewer.delete(f"/v1/incident_statuses/{monitoring.pk}")
    assert_matches_contract(response, "Incident Statuses V1#Delete")
    assert response.status_code == 403 and IncidentStatus.objects.filter(pk=monitoring.pk).exists()


@pytest.mark.parametrize("extra", [0, 30])
def test_incident_status_list_query_count_is_constant(viewer, extra, django_assert_num_queries):
    for n in range(extra):
        IncidentStatus.objects.create(name=f"Status {n}", category="live", rank=100 + n)
    # key lookup, incident statuses
    with django_assert_num_queries(2):
        response = viewer.get("/v1/incident_statuses")
    assert response.status_code == 200


# --- incident types ---------------------------------------------------------------------------


def test_list_incident_types(viewer):
    IncidentType.objects.create(name="Security", description="Breaches", private_incidents_only=True)
    body = assert_matches_contract(viewer.get("/v1/incident_types"), "Incident Types V1#List")
    assert [(t["name"], t["is_default"], t["private_incidents_only"]) for t in body["incident_types"]] == [
        ("Default", True, False),
        ("Security", False, True),
    ]


def test_list_incident_types_needs_viewer(creator):
    response = creator.get("/v1/incident_types")
    assert_matches_contract(response, "Incident Types V1#List")
    assert response.status_code == 403


def test_list_incident_types_without_key_is_401(anonymous):
    response = anonymous.get("/v1/incident_types")
    assert_matches_contract(response, "Incident Types V1#List")
    assert response.status_code == 401


def test_show_incident_type(viewer):
    default = IncidentType.objects.get(is_default=True)
    body = assert_matches_contract(viewer.get(f"/v1/incident_types/{default.pk}"), "Incident Types V1#Show")
    assert body["incident_type"]["id"] == default.pk and body["incident_type"]["create_in_triage"] == "optional"


def test_show_unknown_incident_type_is_404(viewer):
    response = viewer.get(f"/v1/incident_types/{UNKNOWN_ID}")
    body = assert_matches_contract(response, "Incident Types V1#Show")
    assert response.status_code == 404 and body["type"] == "not_found"


def test_incident_types_cannot_be_created_through_the_api(api):
    response = api.post("/v1/incident_types", {"name": "Nope", "description": ""})
    assert response.status_code == 405 and response.json()["type"] == "method_not_allowed"
    assert not IncidentType.objects.filter(name="Nope").exists()


@pytest.mark.parametrize("extra", [0, 30])
def test_incident_type_list_query_count_is_constant(viewer, extra, django_assert_num_queries):
    for n in range(extra):
        IncidentType.objects.create(name=f"Type {n}")
    # key lookup, incident types
    with django_assert_num_queries(2):
        response = viewer.get("/v1/incident_types")
    assert response.status_code == 200


# --- incident roles ---------------------------------------------------------------------------

ROLE = {
    "name": "Communications Lead",
    "shortform": "comms",
    "description": "Keeps customers informed",
    "instructions": "Post on the status page every 30 minutes",
    "required": True,
}


def custom_role(**overrides) -> IncidentRole:
    fields = {"name": "Scribe", "shortform": "scribe", "description": "Takes notes", "instructions": ""} | overrides
    return IncidentRole.objects.create(**fields)


def test_list_incident_roles_includes_lead_and_reporter(viewer):
    body = assert_matches_contract(viewer.get("/v1/incident_roles"), "Incident Roles V1#List")
    assert [(r["role_type"], r["required"]) for r in body["incident_roles"]] == [("lead", True), ("reporter", False)]


def test_list_incident_roles_without_key_is_401(anonymous):
    response = anonymous.get("/v1/incident_roles")
    assert_matches_contract(response, "Incident Roles V1#List")
    assert response.status_code == 401


def test_show_incident_role(viewer, lead_role):
    body = assert_matches_contract(viewer.get(f"/v1/incident_roles/{lead_role.pk}"), "Incident Roles V1#Show")
    assert body["incident_role"]["shortform"] == "lead"


def test_show_unknown_incident_role_is_404(viewer):
    response = viewer.get(f"/v1/incident_roles/{UNKNOWN_ID}")
    assert_matches_contract(response, "Incident Roles V1#Show")
    assert response.status_code == 404


def test_create_incident_role_answers_201_as_a_custom_role(manager):
    response = manager.post("/v1/incident_roles", ROLE)
    body = assert_matches_contract(response, "Incident Roles V1#Create")
    assert response.status_code == 201
    assert body["incident_role"]["role_type"] == "custom" and body["incident_role"]["required"] is True
    assert IncidentRole.objects.get(name="Communications Lead").shortform == "comms"


def test_create_incident_role_without_description_is_422_naming_it(manager):
    response = manager.post("/v1/incident_roles", {**ROLE, "description": ""})
    body = assert_matches_contract(response, "Incident Roles V1#Create")
    assert response.status_code == 422 and field_errors(body) == ["description"]
    assert not IncidentRole.objects.filter(name=ROLE["name"]).exists()


def test_create_incident_role_with_taken_name_is_422_naming_name(manager, lead_role):
    response = manager.post("/v1/incident_roles", {**ROLE, "name": lead_role.name})
    body = assert_matches_contract(response, "Incident Roles V1#Create")
    assert response.status_code == 422 and field_errors(body) == ["name"]


def test_create_incident_role_needs_manage_settings(viewer):
    response = viewer.post("/v1/incident_roles", ROLE)
    assert_matches_contract(response, "Incident Roles V1#Create")
    assert response.status_code == 403 and not IncidentRole.objects.filter(name=ROLE["name"]).exists()


def test_update_incident_role_without_required_keeps_it(manager):
    role = custom_role(required=True)
    payload = {"name": "Note taker", "shortform": "notes", "description": "Writes things down", "instructions": "Be thorough"}
    response = manager.put(f"/v1/incident_roles/{role.pk}", payload)
    body = assert_matches_contract(response, "Incident Roles V1#Update")
    assert body["incident_role"]["name"] == "Note taker" and body["incident_role"]["required"] is True
    role.refresh_from_db()
    assert (role.shortform, role.instructions) == ("notes", "Be thorough")


def test_update_unknown_incident_role_is_404(manager):
    response = manager.put(f"/v1/incident_roles/{UNKNOWN_ID}", ROLE)
    assert_matches_contract(response, "Incident Roles V1#Update")
    assert response.status_code == 404


def test_delete_custom_incident_role_answers_204(manager):
    role = custom_role()
    response = manager.delete(f"/v1/incident_roles/{role.pk}")
    assert_matches_contract(response, "Incident Roles V1#Delete")
    assert response.status_code == 204 and not IncidentRole.objects.filter(pk=role.pk).exists()


@pytest.mark.parametrize("role_type", ["lead", "reporter"])
def test_deleting_the_lead_or_reporter_role_is_422(manager, role_type):
    role = IncidentRole.objects.get(role_type=role_type)
    response = manager.delete(f"/v1/incident_roles/{role.pk}")
    body = assert_matches_contract(response, "Incident Roles V1#Delete")
    assert response.status_code == 422 and body["errors"][0]["code"] == "protected_role"
    assert IncidentRole.objects.filter(pk=role.pk).exists()


def test_delete_incident_role_needs_manage_settings(viewer):
    role = custom_role()
    response = viewer.delete(f"/v1/incident_roles/{role.pk}")
    assert_matches_contract(response, "Incident Roles V1#Delete")
    assert response.status_code == 403 and IncidentRole.objects.filter(pk=role.pk).exists()


def test_delete_unknown_incident_role_is_404(manager):
    response = manager.delete(f"/v1/incident_roles/{UNKNOWN_ID}")
    assert_matches_contract(response, "Incident Roles V1#Delete")
    assert response.status_code == 404


@pytest.mark.parametrize("extra", [0, 30])
def test_incident_role_list_query_count_is_constant(viewer, extra, django_assert_num_queries):
    for n in range(extra):
        custom_role(name=f"Role {n}")
    # key lookup, incident roles
    with django_assert_num_queries(2):
        response = viewer.get("/v1/incident_roles")
    assert response.status_code == 200


# --- custom fields ----------------------------------------------------------------------------

FIELD = {
    "name": "Affected Team",
    "description": "Which team is impacted by this issue",
    "field_type": "single_select",
    "show_before_creation": True,
    "show_before_closure": True,
    "show_before_update": False,
}


def test_list_custom_fields_embeds_options_in_sort_order(viewer):
    field = CustomFieldFactory(name="Team", required="before_closure")
    CustomFieldOptionFactory(custom_field=field, value="Payments", sort_key=20)
    CustomFieldOptionFactory(custom_field=field, value="Platform", sort_key=10)
    CustomFieldFactory(name="Ticket", field_type=FieldType.LINK)
    body = assert_matches_contract(viewer.get("/v1/custom_fields"), "Custom Fields V1#List")
    team, ticket = body["custom_fields"]
    assert [o["value"] for o in team["options"]] == ["Platform", "Payments"]
    assert (team["required"], team["required_v2"]) == ("before_closure", "before_resolution")
    assert ticket["options"] == []


def test_list_custom_fields_without_key_is_401(anonymous):
    response = anonymous.get("/v1/custom_fields")
    assert_matches_contract(response, "Custom Fields V1#List")
    assert response.status_code == 401


def test_list_custom_fields_needs_viewer(creator):
    response = creator.get("/v1/custom_fields")
    assert_matches_contract(response, "Custom Fields V1#List")
    assert response.status_code == 403


def test_show_custom_field(viewer):
    option = CustomFieldOptionFactory(value="Platform")
    response = viewer.get(f"/v1/custom_fields/{option.custom_field_id}")
    body = assert_matches_contract(response, "Custom Fields V1#Show")
    assert body["custom_field"]["options"] == [
        {"id": option.pk, "custom_field_id": option.custom_field_id, "value": "Platform", "sort_key": option.sort_key}
    ]


def test_show_unknown_custom_field_is_404(viewer):
    response = viewer.get(f"/v1/custom_fields/{UNKNOWN_ID}")
    assert_matches_contract(response, "Custom Fields V1#Show")
    assert response.status_code == 404


def test_create_custom_field_maps_required_v2_onto_required(manager):
    response = manager.post("/v1/custom_fields", {**FIELD, "required_v2": "before_resolution"})
    body = assert_matches_contract(response, "Custom Fields V1#Create")
    assert response.status_code == 201
    assert (body["custom_field"]["required"], body["custom_field"]["required_v2"]) == ("before_closure", "before_resolution")
    field = CustomField.objects.get(pk=body["custom_field"]["id"])
    assert (field.required, field.show_before_update, field.show_in_announcement_post) == ("before_closure", False, False)


def test_create_custom_field_with_required_only(manager):
    response = manager.post("/v1/custom_fields", {**FIELD, "required": "always", "show_in_announcement_post": True})
    body = assert_matches_contract(response, "Custom Fields V1#Create")
    assert body["custom_field"]["required_v2"] == "always" and body["custom_field"]["show_in_announcement_post"] is True
    assert body["custom_field"]["options"] == []


def test_create_custom_field_with_contradicting_required_fields_is_422_naming_required_v2(manager):
    response = manager.post("/v1/custom_fields", {**FIELD, "required": "never", "required_v2": "always"})
    body = assert_matches_contract(response, "Custom Fields V1#Create")
    assert response.status_code == 422 and field_errors(body) == ["required_v2"]
    assert not CustomField.objects.filter(name=FIELD["name"]).exists()


def test_create_custom_field_with_unknown_type_is_422_naming_field_type(manager):
    response = manager.post("/v1/custom_fields", {**FIELD, "field_type": "checkbox"})
    body = assert_matches_contract(response, "Custom Fields V1#Create")
    assert response.status_code == 422 and field_errors(body) == ["field_type"]


def test_create_custom_field_needs_manage_settings(viewer):
    response = viewer.post("/v1/custom_fields", FIELD)
    assert_matches_contract(response, "Custom Fields V1#Create")
    assert response.status_code == 403 and not CustomField.objects.exists()


def test_update_custom_field(manager):
    field = CustomFieldFactory(name="Team")
    CustomFieldOptionFactory(custom_field=field, value="Platform")
    payload = {
        "name": "Owning team",
        "description": "Who owns the fix",
        "required_v2": "always",
        "show_before_creation": False,
        "show_before_closure": True,
        "show_before_update": True,
    }
    response = manager.put(f"/v1/custom_fields/{field.pk}", payload)
    body = assert_matches_contract(response, "Custom Fields V1#Update")
    assert body["custom_field"]["name"] == "Owning team" and body["custom_field"]["required"] == "always"
    assert [o["value"] for o in body["custom_field"]["options"]] == ["Platform"]
    field.refresh_from_db()
    assert (field.name, field.field_type, field.show_before_creation) == ("Owning team", "single_select", False)


def test_update_custom_field_missing_a_required_flag_is_422_naming_it(manager):
    field = CustomFieldFactory(name="Team")
    response = manager.put(
        f"/v1/custom_fields/{field.pk}",
        {"name": "Owning team", "description": "", "show_before_creation": True, "show_before_closure": True},
    )
    body = assert_matches_contract(response, "Custom Fields V1#Update")
    assert response.status_code == 422 and field_errors(body) == ["show_before_update"]
    field.refresh_from_db()
    assert field.name == "Team"


def test_update_unknown_custom_field_is_404(manager):
    payload = {key: value for key, value in FIELD.items() if key != "field_type"}
    response = manager.put(f"/v1/custom_fields/{UNKNOWN_ID}", payload)
    assert_matches_contract(response, "Custom Fields V1#Update")
    assert response.status_code == 404


def test_delete_custom_field_answers_204(manager):
    option = CustomFieldOptionFactory()
    response = manager.delete(f"/v1/custom_fields/{option.custom_field_id}")
    assert_matches_contract(response, "Custom Fields V1#Delete")
    assert response.status_code == 204
    assert not CustomField.objects.exists() and not CustomFieldOption.objects.exists()


def test_delete_custom_field_needs_manage_settings(viewer):
    field = CustomFieldFactory()
    response = viewer.delete(f"/v1/custom_fields/{field.pk}")
    assert_matches_contract(response, "Custom Fields V1#Delete")
    assert response.status_code == 403 and CustomField.objects.filter(pk=field.pk).exists()


def test_delete_unknown_custom_field_is_404(manager):
    response = manager.delete(f"/v1/custom_fields/{UNKNOWN_ID}")
    assert_matches_contract(response, "Custom Fields V1#Delete")
    assert response.status_code == 404


@pytest.mark.parametrize("fields", [1, 20])
def test_custom_field_list_query_count_is_constant(viewer, fields, django_assert_num_queries):
    for field in CustomFieldFactory.create_batch(fields):
        CustomFieldOptionFactory.create_batch(3, custom_field=field)
    # key lookup, custom fields, their options
    with django_assert_num_queries(3):
        response = viewer.get("/v1/custom_fields")
    assert response.status_code == 200


# --- custom field options ---------------------------------------------------------------------


def test_list_custom_field_options_of_one_field(viewer):
    field = CustomFieldFactory()
    first, second = CustomFieldOptionFactory.create_batch(2, custom_field=field)
    CustomFieldOptionFactory()  # another field's
    response = viewer.get("/v1/custom_field_options", {"custom_field_id": field.pk})
    body = assert_matches_contract(response, "Custom Field Options V1#List")
    assert [o["id"] for o in body["custom_field_options"]] == [first.pk, second.pk]
    assert body["pagination_meta"] == {"page_size": 25}


def test_list_custom_field_options_pages_with_after(viewer):
    field = CustomFieldFactory()
    options = CustomFieldOptionFactory.create_batch(5, custom_field=field)
    response = viewer.get("/v1/custom_field_options", {"custom_field_id": field.pk, "page_size": 2})
    body = assert_matches_contract(response, "Custom Field Options V1#List")
    assert [o["id"] for o in body["custom_field_options"]] == [options[0].pk, options[1].pk]
    assert body["pagination_meta"] == {"page_size": 2, "after": options[1].pk}
    response = viewer.get(
        "/v1/custom_field_options", {"custom_field_id": field.pk, "page_size": 2, "after": options[3].pk}
    )
    body = assert_matches_contract(response, "Custom Field Options V1#List")
    assert [o["id"] for o in body["custom_field_options"]] == [options[4].pk]
    assert body["pagination_meta"] == {"page_size": 2}


def test_list_custom_field_options_without_custom_field_id_is_422_naming_it(viewer):
    response = viewer.get("/v1/custom_field_options")
    body = assert_matches_contract(response, "Custom Field Options V1#List")
    assert response.status_code == 422 and field_errors(body) == ["custom_field_id"]


def test_list_custom_field_options_of_unknown_field_is_422_naming_custom_field_id(viewer):
    response = viewer.get("/v1/custom_field_options", {"custom_field_id": UNKNOWN_ID})
    body = assert_matches_contract(response, "Custom Field Options V1#List")
    assert response.status_code == 422 and field_errors(body) == ["custom_field_id"]


def test_list_custom_field_options_with_bad_page_size_is_422_naming_it(viewer):
    field = CustomFieldFactory()
    response = viewer.get("/v1/custom_field_options", {"custom_field_id": field.pk, "page_size": 0})
    body = assert_matches_contract(response, "Custom Field Options V1#List")
    assert response.status_code == 422 and field_errors(body) == ["page_size"]


def test_list_custom_field_options_needs_viewer(creator):
    field = CustomFieldFactory()
    response = creator.get("/v1/custom_field_options", {"custom_field_id": field.pk})
    assert_matches_contract(response, "Custom Field Options V1#List")
    assert response.status_code == 403


def test_list_custom_field_options_without_key_is_401(anonymous):
    response = anonymous.get("/v1/custom_field_options", {"custom_field_id": UNKNOWN_ID})
    assert_matches_contract(response, "Custom Field Options V1#List")
    assert response.status_code == 401


@pytest.mark.parametrize("options", [1, 30])
def test_custom_field_option_list_query_count_is_constant(viewer, options, django_assert_num_queries):
    field = CustomFieldFactory()
    CustomFieldOptionFactory.create_batch(options, custom_field=field)
    # key lookup, the custom field, a page of options
    with django_assert_num_queries(3):
        response = viewer.get("/v1/custom_field_options", {"custom_field_id": field.pk})
    assert response.status_code == 200


def test_show_custom_field_option(viewer):
    option = CustomFieldOptionFactory(value="Platform")
    body = assert_matches_contract(viewer.get(f"/v1/custom_field_options/{option.pk}"), "Custom Field Options V1#Show")
    assert body["custom_field_option"]["value"] == "Platform"
    assert body["custom_field_option"]["custom_field_id"] == option.custom_field_id


def test_show_unknown_custom_field_option_is_404(viewer):
    response = viewer.get(f"/v1/custom_field_options/{UNKNOWN_ID}")
    assert_matches_contract(response, "Custom Field Options V1#Show")
    assert response.status_code == 404


def test_create_custom_field_option_answers_201_and_sorts_last(manager):
    field = CustomFieldFactory()
    CustomFieldOptionFactory(custom_field=field, sort_key=40)
    response = manager.post("/v1/custom_field_options", {"custom_field_id": field.pk, "value": "Payments"})
    body = assert_matches_contract(response, "Custom Field Options V1#Create")
    assert response.status_code == 201 and body["custom_field_option"]["sort_key"] == 50
    assert field.options.filter(value="Payments").exists()


def test_create_custom_field_option_with_sort_key(manager):
    field = CustomFieldFactory()
    response = manager.post("/v1/custom_field_options", {"custom_field_id": field.pk, "value": "Payments", "sort_key": 5})
    body = assert_matches_contract(response, "Custom Field Options V1#Create")
    assert body["custom_field_option"]["sort_key"] == 5


def test_create_option_for_a_text_field_is_422_naming_custom_field_id(manager):
    field = CustomFieldFactory(field_type=FieldType.TEXT)
    response = manager.post("/v1/custom_field_options", {"custom_field_id": field.pk, "value": "Payments"})
    body = assert_matches_contract(response, "Custom Field Options V1#Create")
    assert response.status_code == 422 and field_errors(body) == ["custom_field_id"]
    assert not CustomFieldOption.objects.exists()


def test_create_option_for_an_unknown_field_is_422_naming_custom_field_id(manager):
    response = manager.post("/v1/custom_field_options", {"custom_field_id": UNKNOWN_ID, "value": "Payments"})
    body = assert_matches_contract(response, "Custom Field Options V1#Create")
    assert response.status_code == 422 and field_errors(body) == ["custom_field_id"]
    assert UNKNOWN_ID in body["errors"][0]["message"]


def test_create_option_with_a_taken_value_is_422_naming_value(manager):
    option = CustomFieldOptionFactory(value="Payments")
    response = manager.post("/v1/custom_field_options", {"custom_field_id": option.custom_field_id, "value": "Payments"})
    body = assert_matches_contract(response, "Custom Field Options V1#Create")
    assert response.status_code == 422 and field_errors(body) == ["value"]
    assert CustomFieldOption.objects.count() == 1


def test_create_custom_field_option_needs_manage_settings(viewer):
    field = CustomFieldFactory()
    response = viewer.post("/v1/custom_field_options", {"custom_field_id": field.pk, "value": "Payments"})
    assert_matches_contract(response, "Custom Field Options V1#Create")
    assert response.status_code == 403 and not CustomFieldOption.objects.exists()


def test_update_custom_field_option(manager):
    option = CustomFieldOptionFactory(value="Payments")
    response = manager.put(f"/v1/custom_field_options/{option.pk}", {"value": "Billing", "sort_key": 7})
    body = assert_matches_contract(response, "Custom Field Options V1#Update")
    assert (body["custom_field_option"]["value"], body["custom_field_option"]["sort_key"]) == ("Billing", 7)
    option.refresh_from_db()
    assert option.value == "Billing"


def test_update_custom_field_option_keeping_its_value(manager):
    option = CustomFieldOptionFactory(value="Payments")
    response = manager.put(f"/v1/custom_field_options/{option.pk}", {"value": "Payments", "sort_key": 3})
    body = assert_matches_contract(response, "Custom Field Options V1#Update")
    assert body["custom_field_option"]["sort_key"] == 3


def test_update_custom_field_option_to_a_taken_value_is_422_naming_value(manager):
    option = CustomFieldOptionFactory(value="Payments")
    other = CustomFieldOptionFactory(custom_field=option.custom_field, value="Billing")
    response = manager.put(f"/v1/custom_field_options/{other.pk}", {"value": "Payments", "sort_key": 1})
    body = assert_matches_contract(response, "Custom Field Options V1#Update")
    assert response.status_code == 422 and field_errors(body) == ["value"]
    other.refresh_from_db()
    assert other.value == "Billing"


def test_update_unknown_custom_field_option_is_404(manager):
    response = manager.put(f"/v1/custom_field_options/{UNKNOWN_ID}", {"value": "Billing", "sort_key": 1})
    assert_matches_contract(response, "Custom Field Options V1#Update")
    assert response.status_code == 404


def test_delete_custom_field_option_answers_204(manager):
    option = CustomFieldOptionFactory()
    response = manager.delete(f"/v1/custom_field_options/{option.pk}")
    assert_matches_contract(response, "Custom Field Options V1#Delete")
    assert response.status_code == 204 and not CustomFieldOption.objects.filter(pk=option.pk).exists()


def test_delete_custom_field_option_needs_manage_settings(viewer):
    option = CustomFieldOptionFactory()
    response = viewer.delete(f"/v1/custom_field_options/{option.pk}")
    assert_matches_contract(response, "Custom Field Options V1#Delete")
    assert response.status_code == 403 and CustomFieldOption.objects.filter(pk=option.pk).exists()


def test_delete_unknown_custom_field_option_is_404(manager):
    response = manager.delete(f"/v1/custom_field_options/{UNKNOWN_ID}")
    assert_matches_contract(response, "Custom Field Options V1#Delete")
    assert response.status_code == 404
