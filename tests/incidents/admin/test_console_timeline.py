"""The incident page's timeline: notes (timeline items) sit between the updates in the
order things happened, a responder notes one (back-dated or now) once however often the
form is sent, and a viewer cannot."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.admin.incident_page import timeline
from incidents.models import TimelineItem
from incidents.services.groups import RESPONDERS, VIEWERS
from tests.factories import UserFactory, declare

pytestmark = pytest.mark.django_db


def _as(client, group):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


def test_items_sit_between_updates_by_when_they_happened():
    incident = declare("Checkout fails")  # its first update: declared
    declared = incident.updates.get().created_at
    later = services.post_incident_update(incident=incident, actor=None, message="Rolling back")
    between = declared + (later.created_at - declared) / 2
    services.create_timeline_item(incident=incident, actor=None, title="Deploy 411 shipped", occurred_at=between, idempotency_key="a")
    before = declared - timedelta(hours=1)
    services.create_timeline_item(incident=incident, actor=None, title="Error rate rose", occurred_at=before, idempotency_key="b")
    kinds = [entry.item.title if entry.item else entry.update.message or "declared" for entry in timeline(incident)]
    assert kinds == ["Rolling back", "Deploy 411 shipped", "declared", "Error rate rose"]


def test_a_responder_notes_a_back_dated_item_once(client):
    responder = _as(client, RESPONDERS)
    incident = declare()
    page = client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()
    assert "Add to timeline" in page and 'type="hidden" name="note-key"' in page  # the form's own idempotency key
    add = reverse("admin:incidents_incident_add_timeline_item", args=[incident.pk])
    earlier = timezone.localtime() - timedelta(hours=2)
    body = {"note-title": "Paged the DBA", "note-occurred_at": earlier.strftime("%Y-%m-%dT%H:%M"), "note-key": "01JTESTKEY0000000000000000"}
    assert client.post(add, body)["Location"].endswith("#timeline")
    assert client.post(add, body).status_code == 302  # sent twice, noted once
    item = TimelineItem.objects.get()
    assert (item.title, item.actor, item.occurred_at) == ("Paged the DBA", responder, earlier.replace(second=0, microsecond=0))
    page = client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()
    assert "Paged the DBA" in page


def test_a_viewer_cannot_note_anything(client):
    _as(client, VIEWERS)
    incident = declare()
    page = client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()
    assert "Add to timeline" not in page
    add = reverse("admin:incidents_incident_add_timeline_item", args=[incident.pk])
    assert client.post(add, {"note-title": "Sneak", "note-key": "k"}).status_code == 403
    assert not TimelineItem.objects.exists()
    item, _ = services.create_timeline_item(incident=incident, actor=None, title="Kept", occurred_at=timezone.now(), idempotency_key="k")
    assert client.post(reverse("admin:incidents_incident_remove_timeline_item", args=[incident.pk, item.pk])).status_code == 403
    assert TimelineItem.objects.count() == 1


def test_a_responder_takes_a_mistaken_note_off_the_timeline(client):
    _as(client, RESPONDERS)
    incident, other = declare(), declare("Other")
    item, _ = services.create_timeline_item(incident=incident, actor=None, title="Wrong", occurred_at=timezone.now(), idempotency_key="w")
    assert "Remove note Wrong" in client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()
    assert client.post(reverse("admin:incidents_incident_remove_timeline_item", args=[other.pk, item.pk])).status_code == 404
    assert client.post(reverse("admin:incidents_incident_remove_timeline_item", args=[incident.pk, item.pk])).status_code == 302
    assert not TimelineItem.objects.exists()
