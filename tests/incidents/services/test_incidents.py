"""incidents.services.incidents: declaring and editing incidents, role assignments,
external issues and postmortems."""

import pytest

from core.exceptions import DomainError
from incidents import services
from incidents.models import (
    IncidentRoleAssignment,
    IncidentTimestampValue,
    IncidentType,
    IncidentUpdate,
    StatusCategory,
    Visibility,
)
from tests.factories import ApiKeyFactory, UserFactory, declare

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


def test_idempotent_declaration_returns_the_first_incident():
    key = ApiKeyFactory(roles=["incident_creator"])
    first = declare("Once", actor=key, idempotency_key="abc")
    again = declare("Once more", actor=key, idempotency_key="abc")
    assert again.pk == first.pk


def test_a_repeated_declaration_returns_the_first_even_if_a_rule_now_refuses_it():
    key = ApiKeyFactory(roles=["incident_creator"])
    first = declare("Once", actor=key, idempotency_key="abc")
    assert declare("  ", actor=key, idempotency_key="abc").pk == first.pk
    with pytest.raises(DomainError):
        declare("  ", actor=key, idempotency_key="other")


def test_external_issue_and_postmortem_are_stored():
    incident = declare("Needs follow-up")
    services.connect_external_issue(incident=incident, actor=None, provider="jira", url="https://jira.example.com/browse/OPS-1")
    services.import_postmortem_document(incident=incident, actor=None, title="What happened", content="# Timeline")
    incident.refresh_from_db()
    assert incident.external_issue_name == "OPS-1"
    assert incident.postmortem_title == "What happened"
    assert len(incident.postmortem_document_id) == 26
