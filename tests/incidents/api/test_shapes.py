"""One definition of each response shape (issue 16): incidents, incident updates,
postmortem documents, people and actors are built by functions and documented with
incident.io's own components (incidents/api/openapi), everything else by serializers.

So what could drift is no longer a field list against a renderer, but our document
against the reference (the shipped components must be the reference's, verbatim) and a
rendering against the document (a key the document does not name, or a required one
missing, would pass the contract tests, which allow extra keys). Both are checked here,
for a fully populated and a minimal incident in both dialects, with acceleration on and
off."""

from datetime import UTC, datetime

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import patched_settings

from incidents import services
from incidents.api.openapi import COMPONENTS_FILE, VendorComponent, vendor_components
from incidents.api.openapi import extract as extraction
from incidents.api.v1.views.utilities import openapi_document
from incidents.models import FieldType, IncidentRole, IncidentTimestamp
from tests.contract import _document, operation_for
from tests.factories import ApiKeyFactory, CustomFieldFactory, CustomFieldOptionFactory, UserFactory, declare, set_field_values

REFERENCE = "incident-io-openapi.json"
FULL = "incident-io-openapi-full.json"


@pytest.fixture(scope="module")
def ours():
    openapi_document.cache_clear()
    return openapi_document()


# --- our document against the reference -------------------------------------------------------


def test_shipped_vendor_components_are_what_extract_takes_from_the_reference():
    expected = extraction.render(extraction.extract(_document(REFERENCE), _document(FULL)))
    assert COMPONENTS_FILE.read_text() == expected, "run: python -m incidents.api.openapi.extract"


def test_components_of_shapes_built_by_functions_are_the_references_verbatim(ours):
    reference = extraction.reference_schemas(_document(REFERENCE), _document(FULL))
    with patched_settings({"POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums"]}):
        without_vendor_hook = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    stand_ins = {cls.component_name for cls in VendorComponent.__subclasses__()}
    taken_from_vendor = stand_ins | (ours["components"]["schemas"].keys() - without_vendor_hook.keys())
    assert set(extraction.ROOTS) <= stand_ins, "every root extracted is a response some view documents"
    differing = sorted(name for name in taken_from_vendor if ours["components"]["schemas"][name] != reference[name])
    assert not differing, f"changed on the way into our document: {differing}"


def test_the_vendor_hook_adds_only_what_no_serializer_defines(ours):
    # SeverityV1 inside IncidentV1 is rendered by SeverityV1Serializer, which Severities V1
    # documents: that definition, not the vendor's, is the one our document shows.
    schemas = ours["components"]["schemas"]
    assert "required" in schemas["IncidentRoleV1"]["required"]  # ours; incident.io's marks it optional
    assert schemas["IncidentV1"] == vendor_components()["IncidentV1"]


# --- renderings against our document -----------------------------------------------------------


def undocumented(value, schema: dict, components: dict, where: str = "body") -> list[str]:
    """What ``value`` says that ``schema`` does not: keys it does not name, required keys
    missing, values of another JSON type or outside an enum."""
    if "$ref" in schema:
        return undocumented(value, components[schema["$ref"].rsplit("/", 1)[1]], components, where)
    problems = []
    for part in schema.get("allOf", []):
        problems += undocumented(value, part, components, where)
    kind = schema.get("type", "object" if "properties" in schema else None)
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{where}: {value!r} is not an object"]
        properties = schema.get("properties", {})
        if not schema.get("additionalProperties"):
            problems += [f"{where}.{key}: not in the document" for key in value if key not in properties]
        problems += [f"{where}.{key}: required, missing" for key in schema.get("required", []) if key not in value]
        for key, item in value.items():
            if key in properties:
                problems += undocumented(item, properties[key], components, f"{where}.{key}")
    elif kind == "array":
        if not isinstance(value, list):
            return [f"{where}: {value!r} is not an array"]
        for index, item in enumerate(value):
            problems += undocumented(item, schema.get("items", {}), components, f"{where}[{index}]")
    elif kind is not None:
        python = {"string": str, "integer": int, "number": (int, float), "boolean": bool}[kind]
        if not isinstance(value, python) or (kind in ("integer", "number") and isinstance(value, bool)):
            problems.append(f"{where}: {value!r} is not a {kind}")
        elif "enum" in schema and value not in schema["enum"]:
            problems.append(f"{where}: {value!r} is not one of {schema['enum']}")
    return problems


def assert_documented(response, document: dict) -> dict:
    """The response's body says exactly what our document says of the operation's answer."""
    request = response.wsgi_request
    _, template, _ = operation_for(request.method, request.path)
    operation = document["paths"][template][request.method.lower()]
    assert str(response.status_code) in operation["responses"], response.content
    schema = operation["responses"][str(response.status_code)]["content"]["application/json"]["schema"]
    body = response.json()
    problems = undocumented(body, schema, document["components"]["schemas"])
    assert not problems, "\n".join(problems)
    return body


@pytest.fixture(params=["plain", "accelerated"])
def mode(request):
    request.getfixturevalue(request.param)
    return request.param


@pytest.fixture
def full(db, severities):
    """An incident with every part set: summary, call, severity, type (the default), a
    user as creator, every role assigned, every kind of custom field (a multi-select with
    two options), every timestamp, an external issue and a postmortem."""
    services_field = CustomFieldFactory(name="Affected services", field_type=FieldType.MULTI_SELECT)
    impact = CustomFieldFactory(name="Customer impact", field_type=FieldType.SINGLE_SELECT)
    api, web = (CustomFieldOptionFactory(custom_field=services_field, value=v) for v in ("API", "Web"))
    outage = CustomFieldOptionFactory(custom_field=impact, value="Outage")
    incident = declare(
        "Database is sad", actor=UserFactory(), summary="Writes fail", call_url="https://call.example.com/db",
        severity=severities["Major"],
    )
    for role in IncidentRole.objects.all():
        services.assign_role(incident=incident, role=role, assignee=UserFactory(), actor=None)
    for field, values in [
        (services_field, [services.FieldValue(option=api), services.FieldValue(option=web)]),
        (impact, [services.FieldValue(option=outage)]),
        (CustomFieldFactory(name="Root cause", field_type=FieldType.TEXT), [services.FieldValue(text="A bad deploy")]),
        (CustomFieldFactory(name="Runbook", field_type=FieldType.LINK), [services.FieldValue(text="https://runbooks.example.com")]),
        (CustomFieldFactory(name="Customers", field_type=FieldType.NUMERIC), [services.FieldValue(text="42")]),
    ]:
        set_field_values(incident, field, values)
    moment = datetime(2024, 5, 1, tzinfo=UTC)
    services.set_timestamp_values(incident=incident, values=dict.fromkeys(IncidentTimestamp.objects.all(), moment), actor=None)
    services.connect_external_issue(incident=incident, actor=None, provider="jira", url="https://jira.example.com/browse/DB-1")
    services.import_postmortem_document(incident=incident, actor=None, title="What happened", content="# Timeline")
    services.post_incident_update(
        incident=incident, actor=UserFactory(email=""), message="Fixing", new_severity=severities["Minor"]
    )
    return incident


@pytest.fixture
def minimal(db):
    """An incident with nothing optional: no severity, summary, creator, role, custom
    field value, timestamp value, external issue or postmortem."""
    return declare("Bare", severity=None)


@pytest.mark.parametrize("dialect", ["v1", "v2"])
def test_every_incident_rendering_says_exactly_what_our_document_says(mode, api, ours, full, minimal, dialect):
    listed = assert_documented(api.get(f"/{dialect}/incidents"), ours)
    assert {incident["id"] for incident in listed["incidents"]} == {full.pk, minimal.pk}
    for incident in (full, minimal):
        assert assert_documented(api.get(f"/{dialect}/incidents/{incident.pk}"), ours)["incident"]["id"] == incident.pk
    declared = api.post(f"/{dialect}/incidents", {"idempotency_key": dialect, "visibility": "public", "name": "Declared"})
    assert "api_key" in assert_documented(declared, ours)["incident"]["creator"]


def test_every_v2_incident_action_answer_says_exactly_what_our_document_says(mode, api, ours, full, minimal, severities):
    edited = api.post(
        f"/v2/incidents/{minimal.pk}/actions/edit", {"incident": {"summary": "Now with one"}, "notify_incident_channel": False}
    )
    assert assert_documented(edited, ours)["incident"]["summary"] == "Now with one"
    imported = api.post(
        f"/v2/incidents/{minimal.pk}/actions/import_postmortem_document", {"title": "Notes", "content": "# Notes"}
    )
    assert assert_documented(imported, ours)["postmortem_document"]["incident_id"] == minimal.pk
    updates = assert_documented(api.get("/v2/incident_updates"), ours)["incident_updates"]
    assert {"user" in u["updater"] for u in updates} == {True, False} and any("new_severity" in u for u in updates)
    posted = api.post(
        "/v2/incident_updates",
        {"incident_id": full.pk, "message": "Better", "new_severity_id": severities["Minor"].pk, "idempotency_key": "update-1"},
    )
    assert "api_key" in assert_documented(posted, ours)["incident_update"]["updater"]


def test_people_and_api_keys_say_exactly_what_our_document_says(api, ours):
    UserFactory(email="")
    UserFactory(is_active=False)
    ApiKeyFactory(roles=["viewer"], name="Made by a person", actor=UserFactory())
    users = assert_documented(api.get("/v2/users", {"include_inactive": "true"}), ours)["users"]
    assert {"email" in user for user in users} == {True, False} and {user["is_active"] for user in users} == {True, False}
    assert_documented(api.get(f"/v2/users/{users[0]['id']}"), ours)
    keys = assert_documented(api.get("/v1/api_keys"), ours)["api_keys"]
    assert {next(iter(key["creator"]), None) for key in keys} == {"user", None}
