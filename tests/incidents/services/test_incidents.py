from datetime import timedelta

import pytest
from django.utils import timezone

from incidents import services
from incidents.exceptions import DomainError
from incidents.models import (
    ApiKey,
    CustomFieldValue,
    FieldType,
    IncidentRoleAssignment,
    IncidentStatus,
    IncidentTimestamp,
    IncidentTimestampValue,
    IncidentType,
    IncidentUpdate,
    StatusCategory,
    Visibility,
)
from tests.factories import CustomFieldFactory, CustomFieldOptionFactory, UserFactory, api_key, declare, set_field_values

pytestmark = pytest.mark.django_db


def _stamps(incident):
    return {v.timestamp.slug: v.value for v in IncidentTimestampValue.objects.filter(incident=incident).select_related("timestamp")}


def test_declaring_records_the_first_update_and_the_reported_timestamp(statuses):
    user = UserFactory()
    incident = declare("Database down", actor=user)
    assert incident.status.category == StatusCategory.LIVE
    update = IncidentUpdate.objects.get(incident=incident)
    assert update.actor == user
    assert update.new_status == incident.status
    assert set(_stamps(incident)) == {"reported", "accepted"}


def test_declaring_in_triage_stamps_only_reported(statuses):
    incident = declare("Maybe broken", triage=True)
    assert incident.status == statuses["Triage"]
    assert set(_stamps(incident)) == {"reported"}


def test_a_type_created_in_triage_starts_there(statuses):
    always = IncidentType.objects.create(name="Security", create_in_triage="always")
    assert declare("Odd login", incident_type=always).status == statuses["Triage"]


def test_private_only_type_refuses_public_incidents():
    secret = IncidentType.objects.create(name="Security", private_incidents_only=True)
    with pytest.raises(DomainError) as exc:
        declare("Leak", incident_type=secret, visibility=Visibility.PUBLIC)
    assert exc.value.field == "visibility"
    assert declare("Leak", incident_type=secret, visibility=Visibility.PRIVATE).is_private


def test_status_change_is_recorded_and_stamps_lifecycle(statuses):
    incident = declare("API errors", triage=True)
    services.change_status(incident=incident, status=statuses["Fixing"], actor=None, message="Fixing now")
    incident.refresh_from_db()
    assert incident.status == statuses["Fixing"]
    update = incident.updates.order_by("-id").first()
    assert (update.previous_status, update.new_status) == (statuses["Triage"], statuses["Fixing"])
    assert "accepted" in _stamps(incident)
    services.close_incident(incident=incident, actor=None, message="Done")
    incident.refresh_from_db()
    assert incident.status.category == StatusCategory.CLOSED
    assert {"resolved", "closed"} <= set(_stamps(incident))


def test_lifecycle_timestamps_keep_the_first_time(statuses):
    incident = declare("Flapping")
    accepted = _stamps(incident)["accepted"]
    services.change_status(incident=incident, status=statuses["Monitoring"], actor=None)
    services.change_status(incident=incident, status=statuses["Investigating"], actor=None)
    assert _stamps(incident)["accepted"] == accepted


def test_closing_needs_a_message(statuses):
    incident = declare("Quiet close")
    with pytest.raises(DomainError) as exc:
        services.post_incident_update(incident=incident, actor=None, new_status=statuses["Closed"])
    assert exc.value.code == "message_required"
    assert incident.updates.count() == 1


def test_an_empty_update_is_refused():
    incident = declare("Nothing to say")
    with pytest.raises(DomainError):
        services.post_incident_update(incident=incident, actor=None, message="  ")


def test_severity_change_records_previous_severity(severities):
    incident = declare("Getting worse", severity=severities["Minor"])
    update = services.change_severity(incident=incident, severity=severities["Critical"], actor=None)
    assert (update.previous_severity, update.new_severity) == (severities["Minor"], severities["Critical"])
    incident.refresh_from_db()
    assert incident.severity == severities["Critical"]


def test_edit_changes_only_what_is_passed(statuses, severities):
    incident = declare("Old name", summary="Old summary", severity=severities["Minor"])
    services.edit_incident(incident=incident, actor=None, name="New name", status=statuses["Fixing"])
    incident.refresh_from_db()
    assert (incident.name, incident.summary, incident.status) == ("New name", "Old summary", statuses["Fixing"])
    assert incident.updates.count() == 2


def test_roles_are_assigned_replaced_and_removed(lead_role):
    incident = declare("Who leads?")
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    services.assign_role(incident=incident, role=lead_role, assignee=alice, actor=None)
    services.assign_role(incident=incident, role=lead_role, assignee=bob, actor=None)
    assert IncidentRoleAssignment.objects.get(incident=incident, role=lead_role).assignee == bob
    services.assign_role(incident=incident, role=lead_role, assignee=None, actor=None)
    assert not IncidentRoleAssignment.objects.filter(incident=incident).exists()


def test_custom_field_values_must_fit_their_field():
    select = CustomFieldFactory(field_type=FieldType.MULTI_SELECT)
    other = CustomFieldOptionFactory()
    own = CustomFieldOptionFactory(custom_field=select)
    numeric = CustomFieldFactory(field_type=FieldType.NUMERIC)
    link = CustomFieldFactory(field_type=FieldType.LINK)
    for field, value in [
        (select, services.FieldValue(option=other)),
        (select, services.FieldValue(text="not an option")),
        (numeric, services.FieldValue(text="lots")),
        (numeric, services.FieldValue(option=own)),
        (link, services.FieldValue(text="not a url")),
    ]:
        with pytest.raises(services.InvalidFieldValue) as exc:
            services.clean_field_values(field, [services.FieldValue(text="1"), value] if field is numeric else [value])
        assert exc.value.field == f"custom_field_entries[{field.pk}]"
        assert exc.value.index == (1 if field is numeric else 0)
    incident = declare("Fields")
    set_field_values(incident, select, [services.FieldValue(option=own), services.FieldValue(option=own)])
    set_field_values(incident, numeric, [services.FieldValue(text="1e3")])
    values = {v.custom_field_id: v for v in CustomFieldValue.objects.filter(incident=incident)}
    assert values[select.pk].value_option == own  # once, however often it was given
    assert values[numeric.pk].value_numeric == "1000"


@pytest.mark.parametrize("field_type", [FieldType.SINGLE_SELECT, FieldType.TEXT, FieldType.LINK, FieldType.NUMERIC])
def test_a_single_valued_field_refuses_two_values_as_a_whole(field_type):
    field = CustomFieldFactory(field_type=field_type)
    option = CustomFieldOptionFactory(custom_field=field)
    value = {
        FieldType.SINGLE_SELECT: services.FieldValue(option=option),
        FieldType.TEXT: services.FieldValue(text="text"),
        FieldType.LINK: services.FieldValue(text="https://example.com"),
        FieldType.NUMERIC: services.FieldValue(text="1"),
    }[field_type]
    assert len(services.clean_field_values(field, [value]).rows) == 1
    with pytest.raises(services.InvalidFieldValue) as exc:
        services.clean_field_values(field, [value, value])
    assert exc.value.index is None


def test_empty_values_clear_a_field():
    text = CustomFieldFactory(field_type=FieldType.TEXT)
    incident = declare("Clear me")
    set_field_values(incident, text, [services.FieldValue(text="Something")])
    set_field_values(incident, text, [services.FieldValue(text="   ")])
    assert not CustomFieldValue.objects.filter(incident=incident).exists()


def test_api_key_token_is_hashed_and_authenticates():
    key, token = api_key(["viewer"])
    assert token not in str(ApiKey.objects.filter(pk=key.pk).values().get())
    assert services.authenticate_token(token) == key
    assert services.authenticate_token(token + "x") is None
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_rotation_invalidates_the_old_token():
    key, old = api_key()
    _, new = services.rotate_api_key(key=key, actor=None)
    assert services.authenticate_token(old) is None
    assert services.authenticate_token(new) == key


def test_a_key_cannot_grant_roles_it_lacks():
    creator, _ = api_key(["api_keys_manage", "viewer"])
    with pytest.raises(DomainError):
        services.create_api_key(actor=creator, name="escalate", roles=["global_access"])
    key, _ = services.create_api_key(actor=creator, name="ok", roles=["viewer"])
    assert key.created_by_api_key == creator


def test_unknown_roles_are_refused():
    with pytest.raises(DomainError):
        api_key(["superuser"])


def test_in_use_severity_cannot_be_deleted(severities):
    declare("Uses minor", severity=severities["Minor"])
    with pytest.raises(DomainError) as exc:
        services.delete_severity(severity=severities["Minor"], actor=None)
    assert exc.value.code == "in_use"


def test_lead_role_cannot_be_deleted(lead_role):
    with pytest.raises(DomainError):
        services.delete_incident_role(role=lead_role, actor=None)


def test_choosing_a_new_default_type_unsets_the_old_one():
    old = IncidentType.objects.get(is_default=True)
    new = services.create_incident_type(actor=None, name="Platform", description="", is_default=True)
    old.refresh_from_db()
    assert new.is_default and not old.is_default


def test_duplicate_severity_name_is_a_conflict(severities):
    with pytest.raises(DomainError) as exc:
        services.create_severity(actor=None, name="Minor")
    assert exc.value.field == "name"


def test_idempotent_declaration_returns_the_first_incident():
    key, _ = api_key(["incident_creator"])
    first = declare("Once", actor=key, idempotency_key="abc")
    again = declare("Once more", actor=key, idempotency_key="abc")
    assert again.pk == first.pk


def test_a_repeated_declaration_returns_the_first_even_if_a_rule_now_refuses_it():
    key, _ = api_key(["incident_creator"])
    first = declare("Once", actor=key, idempotency_key="abc")
    assert declare("  ", actor=key, idempotency_key="abc").pk == first.pk
    with pytest.raises(DomainError):
        declare("  ", actor=key, idempotency_key="other")


def test_a_repeated_update_returns_the_first_even_if_a_rule_now_refuses_it(statuses):
    key, _ = api_key(["incident_creator"])
    incident = declare("Flaky")
    first = services.post_incident_update(incident=incident, actor=key, message="Looking", idempotency_key="abc")
    again = services.post_incident_update(incident=incident, actor=key, new_status=statuses["Closed"], idempotency_key="abc")
    assert again.pk == first.pk
    assert incident.updates.count() == 2


def test_timestamps_given_at_declaration_win_over_the_lifecycle_stamps(statuses):
    reported = IncidentTimestamp.objects.get(slug="reported")
    accepted = IncidentTimestamp.objects.get(slug="accepted")
    at = timezone.now() - timedelta(hours=2)
    incident = declare("Found late", timestamp_values={reported: at, accepted: None})
    assert _stamps(incident) == {"reported": at}
    services.change_status(incident=incident, status=statuses["Fixing"], actor=None)
    assert _stamps(incident)["reported"] == at and "accepted" in _stamps(incident)


def test_external_issue_and_postmortem_are_stored():
    incident = declare("Needs follow-up")
    services.connect_external_issue(incident=incident, actor=None, provider="jira", url="https://jira.example.com/browse/OPS-1")
    services.import_postmortem_document(incident=incident, actor=None, title="What happened", content="# Timeline")
    incident.refresh_from_db()
    assert incident.external_issue_name == "OPS-1"
    assert incident.postmortem_title == "What happened"
    assert len(incident.postmortem_document_id) == 26


def test_deleting_a_status_in_use_is_refused():
    status = IncidentStatus.objects.get(name="Investigating")
    declare("Live one", status=status)
    with pytest.raises(DomainError):
        services.delete_incident_status(status=status, actor=None)
