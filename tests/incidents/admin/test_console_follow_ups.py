"""The incident page's Follow-ups card: add one, tick it done, open it again; viewers see
the card without its buttons."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from incidents.models import FollowUp
from incidents.services.groups import RESPONDERS, VIEWERS
from tests.factories import UserFactory, declare

pytestmark = pytest.mark.django_db


def _as(client, group):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


def test_a_responder_adds_and_ticks_a_follow_up(client):
    responder = _as(client, RESPONDERS)
    incident = declare()
    assignee = UserFactory(first_name="Grace", last_name="Hopper")
    add = reverse("admin:incidents_incident_add_follow_up", args=[incident.pk])
    response = client.post(add, {"title": "Add a checkout alert", "assignee": assignee.pk})
    assert response.status_code == 302 and response["Location"].endswith("#follow-ups")
    follow_up = FollowUp.objects.get()
    assert (follow_up.incident, follow_up.assignee, follow_up.actor) == (incident, assignee, responder)

    page = client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()
    assert "Add a checkout alert" in page and "Grace Hopper" in page and "Mark Add a checkout alert completed" in page
    assert "1 outstanding of 1" in page

    tick = reverse("admin:incidents_incident_tick_follow_up", args=[incident.pk, follow_up.pk])
    assert client.post(tick).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "completed"
    assert client.post(tick).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "outstanding"


def test_a_viewer_sees_the_card_but_cannot_change_it(client):
    _as(client, VIEWERS)
    incident = declare()
    page = client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()
    assert 'id="follow-ups"' in page and "Add follow-up" not in page
    add = reverse("admin:incidents_incident_add_follow_up", args=[incident.pk])
    assert client.post(add, {"title": "Sneak"}).status_code == 403
    assert not FollowUp.objects.exists()


def test_an_empty_title_is_refused_with_a_message(client):
    _as(client, RESPONDERS)
    incident = declare()
    add = reverse("admin:incidents_incident_add_follow_up", args=[incident.pk])
    response = client.post(add, {"title": ""}, follow=True)
    assert "A follow-up needs a title." in response.content.decode()
    assert not FollowUp.objects.exists()
