"""Members of private incidents: who becomes one by right, who may be added, who sees
what (the rule on the incidents' querysets), and the audit log."""

import logging

import pytest
from django.contrib.auth.models import Group

from core.exceptions import DomainError
from incidents import services
from incidents.models import Incident, IncidentMembership, IncidentRole, RoleType, Visibility
from incidents.services.groups import MANAGERS, RESPONDERS, VIEWERS
from tests.factories import UserFactory, declare

pytestmark = pytest.mark.django_db


def _in(group_name, username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def _members(incident) -> set[str]:
    return set(IncidentMembership.objects.filter(incident=incident).values_list("user__username", flat=True))


def _sees(user, incident) -> bool:
    return Incident.objects.restrict(user).filter(pk=incident.pk).exists()


def test_the_declarer_and_role_holders_of_a_private_incident_are_its_members():
    declarer, lead, scribe = UserFactory(username="dee"), UserFactory(username="lee"), UserFactory(username="sam")
    roles = {IncidentRole.objects.get(role_type=RoleType.LEAD): lead}
    incident = declare("Breach", actor=declarer, visibility=Visibility.PRIVATE, role_assignments=roles)
    assert _members(incident) == {"dee", "lee"}
    other_role = IncidentRole.objects.exclude(role_type=RoleType.LEAD).first()
    services.assign_role(incident=incident, role=other_role, assignee=scribe, actor=declarer)
    assert _members(incident) == {"dee", "lee", "sam"}


def test_a_public_incident_has_no_members_until_it_turns_private():
    declarer, lead = UserFactory(username="dee"), UserFactory(username="lee")
    incident = declare("Odd logins", actor=declarer, role_assignments={IncidentRole.objects.get(role_type=RoleType.LEAD): lead})
    assert _members(incident) == set()
    services.edit_incident(incident=incident, actor=declarer, visibility=Visibility.PRIVATE)
    assert _members(incident) == {"dee", "lee"}


def test_who_sees_a_private_incident():
    incident = declare("Breach", visibility=Visibility.PRIVATE)
    viewer, responder, manager = _in(VIEWERS, "vi"), _in(RESPONDERS, "re"), _in(MANAGERS, "ma")
    superuser = UserFactory(username="root", is_superuser=True)
    member = _in(VIEWERS, "mem")
    services.add_incident_member(incident=incident, user=member, actor=superuser)
    assert [_sees(u, incident) for u in (viewer, responder, manager, superuser, member)] == [False, False, True, True, True]
    services.revoke_incident_membership(incident=incident, user=member, actor=superuser)
    assert not _sees(member, incident)


def test_only_active_staff_users_join_only_private_incidents():
    private, public = declare("Breach", visibility=Visibility.PRIVATE), declare("Slow")
    with pytest.raises(DomainError, match="Only an active staff user"):
        services.add_incident_member(incident=private, user=UserFactory(username="out", is_staff=False), actor=None)
    with pytest.raises(DomainError, match="Only a private incident"):
        services.add_incident_member(incident=public, user=UserFactory(username="in"), actor=None)


def test_membership_changes_are_audited(caplog):
    incident = declare("Breach", visibility=Visibility.PRIVATE)
    colleague = UserFactory(username="colleague")
    with caplog.at_level(logging.INFO, logger="incidents.audit"):
        services.add_incident_member(incident=incident, user=colleague, actor=None)
        services.add_incident_member(incident=incident, user=colleague, actor=None)  # no change, no line
        services.revoke_incident_membership(incident=incident, user=colleague, actor=None)
    assert [r.getMessage() for r in caplog.records] == [
        f"system made colleague a member of {incident.reference}",
        f"system revoked colleague's membership of {incident.reference}",
    ]


def test_only_managers_are_given_the_permission_to_see_every_private_incident():
    holders = Group.objects.filter(permissions__codename="manage_private_incidents").values_list("name", flat=True)
    assert list(holders) == [MANAGERS]
