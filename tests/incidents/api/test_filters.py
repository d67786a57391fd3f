"""GET /v2/incidents filters, as the reference operation's description spells them.

openapi-core reads a single deep-object value (``status[one_of]=X``) as a string where the
contract declares an array, so these requests are not checked against the contract; the
responses are."""

from datetime import UTC, datetime

import pytest

from incidents import services
from incidents.models import FieldType, Incident, IncidentRole, IncidentType, StatusCategory
from tests.clients import accelerated
from tests.contract import assert_matches_contract
from tests.factories import CustomFieldFactory, CustomFieldOptionFactory, UserFactory, declare, set_field_values

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def world(statuses, severities, lead_role):
    """Four standard incidents, one test and one tutorial incident."""
    security = IncidentType.objects.create(name="Security")
    comms = IncidentRole.objects.create(name="Communications", shortform="comms", description="Talks to customers")
    affected = CustomFieldFactory(name="Affected services", field_type=FieldType.MULTI_SELECT)
    api_option = CustomFieldOptionFactory(custom_field=affected, value="API")
    web_option = CustomFieldOptionFactory(custom_field=affected, value="Web")
    impact = CustomFieldFactory(name="Customer impact", field_type=FieldType.SINGLE_SELECT)
    outage = CustomFieldOptionFactory(custom_field=impact, value="Outage")
    notes = CustomFieldFactory(name="Notes", field_type=FieldType.TEXT)
    ann, bob = UserFactory(username="ann"), UserFactory(username="bob")

    alpha = declare("Alpha", status=statuses["Investigating"], severity=severities["Minor"])
    bravo = declare("Bravo", status=statuses["Fixing"], severity=severities["Critical"], incident_type=security)
    charlie = declare("Charlie", triage=True)
    delta = declare("Delta", status=statuses["Closed"], severity=severities["Major"])
    declare("Test drill", mode="test", severity=severities["Minor"])
    declare("Tutorial", mode="tutorial")

    services.assign_role(incident=alpha, role=lead_role, assignee=ann, actor=None)
    services.assign_role(incident=bravo, role=lead_role, assignee=bob, actor=None)
    services.assign_role(incident=bravo, role=comms, assignee=ann, actor=None)
    set_field_values(alpha, affected, [services.FieldValue(option=api_option)])
    set_field_values(bravo, affected, [services.FieldValue(option=api_option), services.FieldValue(option=web_option)])
    set_field_values(bravo, impact, [services.FieldValue(option=outage)])
    set_field_values(delta, notes, [services.FieldValue(text="Post-mortem due")])
    # Arrange known creation and activity times (the model stamps "now" on save).
    for incident, created, updated in [
        (alpha, at(2024, 1, 1, 10), at(2024, 3, 1)),
        (bravo, at(2024, 1, 5), at(2024, 1, 6)),
        (charlie, at(2024, 1, 10, 12), at(2024, 1, 10, 12)),
        (delta, at(2024, 2, 1), at(2024, 2, 2)),
    ]:
        Incident.objects.filter(pk=incident.pk).update(created_at=created, updated_at=updated)
    return {
        "security": security, "comms": comms, "affected": affected, "api": api_option, "web": web_option,
        "impact": impact, "outage": outage, "notes": notes, "ann": ann, "bob": bob,
    }


def names(client, params):
    response = client.get("/v2/incidents", params)
    body = assert_matches_contract(response, "Incidents V2#List", request=False)
    assert response.status_code == 200, body
    return sorted(i["name"] for i in body["incidents"])


def refused(client, params) -> list[str]:
    response = client.get("/v2/incidents", params)
    body = assert_matches_contract(response, "Incidents V2#List", request=False)
    assert response.status_code == 422, body
    return [e["source"]["field"] for e in body["errors"]]


def test_without_filters_test_and_tutorial_incidents_are_left_out(viewer, world):
    assert names(viewer, {}) == ["Alpha", "Bravo", "Charlie", "Delta"]


def test_filter_by_mode(viewer, world):
    assert names(viewer, {"mode[one_of]": "test"}) == ["Test drill"]
    assert len(names(viewer, {"mode[one_of]": ["standard", "retrospective", "test", "tutorial"]})) == 6


def test_filter_by_status(viewer, world, statuses):
    assert names(viewer, {"status[one_of]": [statuses["Fixing"].pk, statuses["Closed"].pk]}) == ["Bravo", "Delta"]
    assert names(viewer, {"status[not_in]": statuses["Fixing"].pk}) == ["Alpha", "Charlie", "Delta"]


def test_filter_by_status_category(viewer, world):
    assert names(viewer, {"status_category[one_of]": "live"}) == ["Alpha", "Bravo"]
    assert names(viewer, {"status_category[not_in]": ["live", "closed"]}) == ["Charlie"]
    # The dashboard calls "live" "Active"; the parameter's own example uses that name.
    assert names(viewer, {"status_category[one_of]": "active"}) == ["Alpha", "Bravo"]


def test_filter_values_may_also_be_comma_separated(viewer, world):
    assert names(viewer, {"status_category[one_of]": "triage,closed"}) == ["Charlie", "Delta"]


def test_filter_by_created_at(viewer, world):
    assert names(viewer, {"created_at[gte]": "2024-01-05"}) == ["Bravo", "Charlie", "Delta"]
    # "created before or on 2021-01-02T00:00:00Z" for created_at[lte]=2021-01-02
    assert names(viewer, {"created_at[lte]": "2024-01-05"}) == ["Alpha", "Bravo"]
    assert names(viewer, {"created_at[lte]": "2024-01-01T10:00:00Z"}) == ["Alpha"]
    assert names(viewer, {"created_at[gte]": "2024-01-01T10:00:01+00:00"}) == ["Bravo", "Charlie", "Delta"]


def test_filter_by_created_at_date_range_includes_the_end_day(viewer, world):
    assert names(viewer, {"created_at[date_range]": "2024-01-02~2024-01-10"}) == ["Bravo", "Charlie"]
    assert names(viewer, {"created_at[date_range]": "2024-01-01T00:00:00Z~2024-01-10T12:00:00Z"}) == ["Alpha", "Bravo", "Charlie"]
    assert names(viewer, {"created_at[date_range]": "2024-01-01T00:00:00Z~2024-01-10T11:59:59Z"}) == ["Alpha", "Bravo"]


def test_filter_by_updated_at(viewer, world):
    assert names(viewer, {"updated_at[gte]": "2024-02-01"}) == ["Alpha", "Delta"]
    assert names(viewer, {"updated_at[date_range]": "2024-01-06~2024-01-10"}) == ["Bravo", "Charlie"]


def test_filter_by_severity(viewer, world, severities):
    assert names(viewer, {"severity[one_of]": severities["Minor"].pk}) == ["Alpha"]
    # Charlie has no severity: it is not in Minor either.
    assert names(viewer, {"severity[not_in]": severities["Minor"].pk}) == ["Bravo", "Charlie", "Delta"]


def test_filter_by_severity_rank(viewer, world, severities):
    assert names(viewer, {"severity[gte]": severities["Major"].pk}) == ["Bravo", "Delta"]
    assert names(viewer, {"severity[lte]": severities["Major"].pk}) == ["Alpha", "Delta"]


def test_filter_by_incident_type(viewer, world):
    assert names(viewer, {"incident_type[one_of]": world["security"].pk}) == ["Bravo"]
    assert names(viewer, {"incident_type[not_in]": world["security"].pk}) == ["Alpha", "Charlie", "Delta"]


def test_filter_by_incident_role_assignee(viewer, world, lead_role):
    assert names(viewer, {f"incident_role[{lead_role.pk}][one_of]": str(world["ann"].pk)}) == ["Alpha"]
    both = [str(world["ann"].pk), str(world["bob"].pk)]
    assert names(viewer, {f"incident_role[{lead_role.pk}][one_of]": both}) == ["Alpha", "Bravo"]


def test_filter_by_incident_role_being_blank_or_set(viewer, world, lead_role):
    assert names(viewer, {f"incident_role[{lead_role.pk}][is_blank]": "true"}) == ["Charlie", "Delta"]
    assert names(viewer, {f"incident_role[{lead_role.pk}][is_blank]": "false"}) == ["Alpha", "Bravo"]
    assert names(viewer, {f"incident_role[{lead_role.pk}][is_set]": "true"}) == ["Alpha", "Bravo"]
    assert names(viewer, {f"incident_role[{lead_role.pk}][is_set]": "false"}) == ["Charlie", "Delta"]


def test_two_role_filters_hold_on_different_assignments(viewer, world, lead_role):
    params = {
        f"incident_role[{lead_role.pk}][one_of]": str(world["bob"].pk),
        f"incident_role[{world['comms'].pk}][one_of]": str(world["ann"].pk),
    }
    assert names(viewer, params) == ["Bravo"]


def test_filter_by_custom_field_option(viewer, world):
    field = world["affected"].pk
    assert names(viewer, {f"custom_field[{field}][one_of]": world["web"].pk}) == ["Bravo"]
    assert names(viewer, {f"custom_field[{field}][one_of]": [world["api"].pk, world["web"].pk]}) == ["Alpha", "Bravo"]
    # Unset counts as "not set to this option".
    assert names(viewer, {f"custom_field[{field}][not_in]": world["web"].pk}) == ["Alpha", "Charlie", "Delta"]


def test_filter_by_custom_field_being_blank(viewer, world):
    assert names(viewer, {f"custom_field[{world['affected'].pk}][is_blank]": "true"}) == ["Charlie", "Delta"]
    assert names(viewer, {f"custom_field[{world['notes'].pk}][is_blank]": "false"}) == ["Delta"]


def test_two_custom_field_filters_hold_on_different_values(viewer, world):
    params = {
        f"custom_field[{world['affected'].pk}][one_of]": world["web"].pk,
        f"custom_field[{world['impact'].pk}][one_of]": world["outage"].pk,
    }
    assert names(viewer, params) == ["Bravo"]


def test_filters_combine_with_and_by_default_and_with_or_in_any_mode(viewer, world, severities):
    params = {"status_category[one_of]": "live", "severity[one_of]": severities["Major"].pk}
    assert names(viewer, params) == []
    assert names(viewer, {**params, "filter_mode": "all"}) == []
    assert names(viewer, {**params, "filter_mode": "any"}) == ["Alpha", "Bravo", "Delta"]


def test_any_mode_does_not_bring_back_test_incidents(viewer, world, severities):
    # "Test drill" is Minor, but test incidents stay out unless the mode filter asks for them.
    assert names(viewer, {"severity[one_of]": severities["Minor"].pk, "status_category[one_of]": "closed", "filter_mode": "any"}) == ["Alpha", "Delta"]


def test_filters_never_reveal_private_incidents(viewer, api, world):
    declare("Secret", visibility="private")
    assert "Secret" not in names(viewer, {"status_category[one_of]": "live", "filter_mode": "any"})
    assert "Secret" in names(api, {"status_category[one_of]": "live"})


def test_sort_oldest_first(viewer, world):
    response = viewer.get("/v2/incidents", {"sort_by": "created_at_oldest_first"})
    body = assert_matches_contract(response, "Incidents V2#List")
    assert [i["name"] for i in body["incidents"]] == ["Alpha", "Bravo", "Charlie", "Delta"]
    newest = viewer.get("/v2/incidents", {"sort_by": "created_at_newest_first"}).json()["incidents"]
    assert [i["name"] for i in newest] == ["Delta", "Charlie", "Bravo", "Alpha"]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"status[gte]": "x"}, "status[gte]"),
        ({"status": "x"}, "status"),
        ({"status[one_of][deeper]": "x"}, "status[one_of][deeper]"),
        ({"status[one_of]": ""}, "status[one_of]"),
        ({"status_category[one_of]": "on_fire"}, "status_category[one_of]"),
        ({"created_at[gte]": "yesterday"}, "created_at[gte]"),
        ({"created_at[lte]": "2024-02-30"}, "created_at[lte]"),
        ({"created_at[date_range]": "2024-01-01"}, "created_at[date_range]"),
        ({"updated_at[one_of]": "2024-01-01"}, "updated_at[one_of]"),
        ({"severity[gte]": "01FCNDV6P870EA6S7TK1DSYDG0"}, "severity[gte]"),
        ({"mode[one_of]": "real"}, "mode[one_of]"),
        ({"mode[not_in]": "test"}, "mode[not_in]"),
        ({"incident_role[lead][is_blank]": "maybe"}, "incident_role[lead][is_blank]"),
        ({"incident_role[lead][one_of]": "ann"}, "incident_role[lead][one_of]"),
        ({"incident_role[lead]": "1"}, "incident_role[lead]"),
        ({"incident_role[01FCNDV6P870EA6S7TK1DSYDG0][is_blank]": "true"}, "incident_role[01FCNDV6P870EA6S7TK1DSYDG0][is_blank]"),
        ({"custom_field[01FCNDV6P870EA6S7TK1DSYDG0][one_of]": "x"}, "custom_field[01FCNDV6P870EA6S7TK1DSYDG0][one_of]"),
        ({"custom_field[notes][one_of]": "x"}, "custom_field[notes][one_of]"),
        ({"filter_mode": "some"}, "filter_mode"),
        ({"sort_by": "name"}, "sort_by"),
        ({"page_size": "0"}, "page_size"),
    ],
)
def test_unknown_operator_or_malformed_value_is_422_naming_the_parameter(viewer, world, lead_role, params, field):
    def resolve(text):
        return text.replace("[lead]", f"[{lead_role.pk}]").replace("[notes]", f"[{world['notes'].pk}]")

    assert refused(viewer, {resolve(k): v for k, v in params.items()}) == [resolve(field)]


def test_every_bad_parameter_is_named(viewer, world):
    assert sorted(refused(viewer, {"status[gte]": "x", "created_at[lte]": "soon"})) == ["created_at[lte]", "status[gte]"]


def test_a_filtered_list_costs_a_constant_number_of_queries(viewer, world, lead_role, severities, django_assert_num_queries):
    params = {
        "status_category[one_of]": "live",
        "severity[gte]": severities["Minor"].pk,
        f"incident_role[{lead_role.pk}][is_set]": "true",
        f"custom_field[{world['affected'].pk}][one_of]": world["api"].pk,
        "created_at[date_range]": "2024-01-01~2024-12-31",
    }
    # Cold caches: key lookup, roles, custom fields, their options, timestamps, the
    # severity's rank, then the page: incidents (with status, severity, type and creator),
    # role assignments (with assignees), custom field values, timestamp values (with
    # acceleration: the page's ids and updated_at first)
    with django_assert_num_queries(11 if accelerated() else 10):
        assert names(viewer, params) == ["Alpha", "Bravo"]
    # Warm: with acceleration, the severity's rank and the page's ids; without it, as cold
    with django_assert_num_queries(2 if accelerated() else 10):
        assert names(viewer, params) == ["Alpha", "Bravo"]


def test_status_category_filter_follows_a_status_moved_to_another_category(viewer, world, statuses):
    services.update_incident_status(status=statuses["Fixing"], actor=None, category=StatusCategory.PAUSED)
    assert names(viewer, {"status_category[one_of]": "paused"}) == ["Bravo"]
