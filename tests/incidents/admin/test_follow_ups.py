"""The follow-ups list across incidents: outstanding first, by assignee; ticked through
the services."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from incidents import services
from incidents.models import FollowUp
from incidents.services.groups import RESPONDERS
from tests.factories import UserFactory, declare

pytestmark = pytest.mark.django_db


def test_list_puts_outstanding_first_then_by_assignee(staff_client):
    incident = declare()
    ann, bob = UserFactory(username="ann"), UserFactory(username="bob")
    done = services.create_follow_up(incident=incident, actor=None, title="Done already", assignee=ann)
    services.update_follow_up(follow_up=done, actor=None, status="completed")
    services.create_follow_up(incident=incident, actor=None, title="Bob's task", assignee=bob)
    services.create_follow_up(incident=declare("Other"), actor=None, title="Ann's task", assignee=ann)
    response = staff_client.get(reverse("admin:incidents_followup_changelist"))
    assert response.status_code == 200
    titles = [row.title for row in response.context["cl"].result_list]
    assert titles == ["Ann's task", "Bob's task", "Done already"]


def test_a_responder_ticks_follow_ups_done_in_bulk(client):
    responder = UserFactory()
    responder.groups.add(Group.objects.get(name=RESPONDERS))
    client.force_login(responder)
    follow_up = services.create_follow_up(incident=declare(), actor=None, title="Rotate keys")
    response = client.post(
        reverse("admin:incidents_followup_changelist"),
        {"action": "mark_completed", "_selected_action": [follow_up.pk]},
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "completed" and follow_up.completed_at is not None


def test_adding_one_in_the_admin_goes_through_the_services(staff_client):
    incident = declare()
    assignee = UserFactory()
    response = staff_client.post(
        reverse("admin:incidents_followup_add"),
        {
            "incident": incident.pk,
            "title": "Write the runbook",
            "description": "",
            "status": "outstanding",
            "assignee": assignee.pk,
            "priority": "",
            "labels": "docs, ops",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    follow_up = FollowUp.objects.get()
    assert (follow_up.assignee, follow_up.labels, follow_up.actor) == (assignee, ["docs", "ops"], response.wsgi_request.user)


def test_a_priority_in_use_cannot_be_deleted(staff_client):
    from incidents.models import FollowUpPriority

    response = staff_client.post(
        reverse("admin:incidents_followuppriority_add"), {"name": "Urgent", "rank": 1, "description": "Now"}
    )
    assert response.status_code == 302
    priority = FollowUpPriority.objects.get()
    services.create_follow_up(incident=declare(), actor=None, title="Rotate keys", priority=priority)
    delete = reverse("admin:incidents_followuppriority_delete", args=[priority.pk])
    response = staff_client.post(delete, {"post": "yes"}, follow=True)
    assert "Cannot delete follow up priority" in response.content.decode()  # Django names what protects it
    assert FollowUpPriority.objects.exists()
