"""A private incident's members on its page: those who may change it add a colleague or
remove one; the colleague sees the incident at once, and loses it at once."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.models import IncidentMembership, Visibility
from incidents.services.groups import RESPONDERS, VIEWERS
from tests.factories import UserFactory, declare

pytestmark = pytest.mark.django_db


def _in(group_name, username, **fields):
    user = UserFactory(username=username, **fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def private():
    declarer = _in(RESPONDERS, "dee", first_name="Dee", last_name="Clarke")
    return declare("Vault breach", actor=declarer, visibility=Visibility.PRIVATE), declarer


def test_a_member_adds_a_colleague_who_then_sees_it_until_removed(client, private):
    incident, declarer = private
    colleague = _in(VIEWERS, "ada", first_name="Ada", last_name="Byron")
    change = reverse("admin:incidents_incident_change", args=[incident.pk])
    client.force_login(declarer)
    page = client.get(change)
    assert 'id="members"' in page.content.decode() and "Dee Clarke" in page.content.decode()
    assert list(page.context["add_member_form"].fields["user"].queryset) == [colleague]
    added = client.post(reverse("admin:incidents_incident_add_member", args=[incident.pk]), {"user": colleague.pk})
    assert added.status_code == 302 and added["Location"].endswith("#members")
    client.force_login(colleague)
    assert client.get(change).status_code == 200
    client.force_login(declarer)
    client.post(reverse("admin:incidents_incident_revoke_member", args=[incident.pk, colleague.pk]))
    client.force_login(colleague)
    assert client.get(change).status_code == 404


def test_a_member_who_may_not_change_incidents_sees_the_members_but_adds_nobody(client, private):
    incident, _ = private
    viewer = _in(VIEWERS, "vic")
    IncidentMembership.objects.create(incident=incident, user=viewer)
    client.force_login(viewer)
    page = client.get(reverse("admin:incidents_incident_change", args=[incident.pk]))
    assert page.context["add_member_form"] is None and "Remove" not in page.content.decode()
    refused = client.post(reverse("admin:incidents_incident_add_member", args=[incident.pk]), {"user": viewer.pk})
    assert refused.status_code == 403


def test_a_non_member_cannot_add_themselves(client, private):
    incident, _ = private
    outsider = _in(RESPONDERS, "out")
    client.force_login(outsider)
    assert (
        client.post(reverse("admin:incidents_incident_add_member", args=[incident.pk]), {"user": outsider.pk}).status_code == 404
    )
    assert not IncidentMembership.objects.filter(user=outsider).exists()


def test_a_public_incident_has_no_members_card(staff_client):
    incident = declare("Slow dashboard")
    page = staff_client.get(reverse("admin:incidents_incident_change", args=[incident.pk]))
    assert 'id="members"' not in page.content.decode()


@pytest.mark.parametrize("n", [1, 5])
def test_the_members_card_costs_two_queries_whatever_the_members(staff_client, n):
    private, public = declare("Vault breach", visibility=Visibility.PRIVATE), declare("Slow dashboard")
    for i in range(n):
        IncidentMembership.objects.create(incident=private, user=UserFactory(username=f"m{i}"))
    with CaptureQueriesContext(connection) as seen_public:
        staff_client.get(reverse("admin:incidents_incident_change", args=[public.pk]))
    with CaptureQueriesContext(connection) as seen_private:
        page = staff_client.get(reverse("admin:incidents_incident_change", args=[private.pk]))
    assert len(page.context["members"]) == n
    # The public page's queries, then the members and the colleagues one may add, and the
    # audit log's entry for reading a private incident.
    assert len(seen_private) == len(seen_public) + 2 + 1
