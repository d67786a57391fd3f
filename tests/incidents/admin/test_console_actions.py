"""The incident page's Actions card: add one during the incident, tick it done, open it
again; viewers see the card without its buttons; a private incident's card is as hidden
as the incident."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from incidents.models import Action, Visibility
from incidents.services.groups import RESPONDERS, VIEWERS
from tests.factories import UserFactory, declare

pytestmark = pytest.mark.django_db


def _as(client, group):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


def test_a_responder_adds_and_ticks_an_action(client):
    responder = _as(client, RESPONDERS)
    incident = declare()
    assignee = UserFactory(first_name="Grace", last_name="Hopper", is_staff=True)
    add = reverse("admin:incidents_incident_add_action", args=[incident.pk])
    response = client.post(add, {"action-description": "Roll back the deploy", "action-assignee": assignee.pk})
    assert response.status_code == 302 and response["Location"].endswith("#actions")
    action = Action.objects.get()
    assert (action.incident, action.assignee, action.actor) == (incident, assignee, responder)

    page = client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()
    assert "Roll back the deploy" in page and "Mark action Roll back the deploy completed" in page
    assert "1 outstanding of 1" in page

    tick = reverse("admin:incidents_incident_tick_action", args=[incident.pk, action.pk])
    assert client.post(tick).status_code == 302
    action.refresh_from_db()
    assert action.status == "completed" and action.completed_at is not None
    assert client.post(tick).status_code == 302
    action.refresh_from_db()
    assert action.status == "outstanding" and action.completed_at is None


def test_a_viewer_sees_the_card_but_cannot_change_it(client):
    _as(client, VIEWERS)
    incident = declare()
    page = client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()
    assert 'id="actions"' in page and "Add action" not in page
    add = reverse("admin:incidents_incident_add_action", args=[incident.pk])
    assert client.post(add, {"action-description": "Sneak"}).status_code == 403
    assert not Action.objects.exists()


def test_an_empty_description_is_refused_with_a_message(client):
    _as(client, RESPONDERS)
    incident = declare()
    add = reverse("admin:incidents_incident_add_action", args=[incident.pk])
    response = client.post(add, {"action-description": ""}, follow=True)
    assert "An action needs a description." in response.content.decode()
    assert not Action.objects.exists()


def test_a_private_incident_the_user_may_not_see_is_a_404(client):
    _as(client, RESPONDERS)
    secret = declare("Vault breach", visibility=Visibility.PRIVATE)
    add = reverse("admin:incidents_incident_add_action", args=[secret.pk])
    assert client.post(add, {"action-description": "Sneak"}).status_code == 404
    assert not Action.objects.exists()
