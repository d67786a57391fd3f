"""Chat messages end to end: an incident changes, the worker POSTs to a real receiver on
loopback, and the body is what the destination documents (``shapes``), with the
incident's name, reference, severity, status, lead and a link to the console."""

import json

import pytest
from django.utils import timezone

from incidents import services as incidents
from incidents.models import FollowUp, IncidentRole, IncidentStatus, StatusCategory, Visibility
from notifications.models import ChatEvent, DeliveryState, WebhookAttempt, WebhookDelivery, WebhookMessage
from notifications.services import chat, webhook_delivery, webhooks
from tests.factories import UserFactory, declare

from .shapes import assert_matches_shape

pytestmark = pytest.mark.django_db

KINDS = ["slack", "mattermost", "teams", "discord", "json"]


def _deliver_all():
    return [webhook_delivery.deliver(delivery_id=pk) for pk in WebhookDelivery.objects.order_by("id").values_list("pk", flat=True)]


def _posted(receiver) -> list[dict]:
    return [json.loads(request["body"]) for request in receiver.requests]


def _flat(body) -> str:
    return json.dumps(body, ensure_ascii=False)


@pytest.fixture
def led(statuses, severities, settings):
    """A declared public incident with a lead, a severity and a summary."""
    settings.SITE_URL = "https://status.example.com"
    severity = next(iter(severities.values()))
    incident = declare(name="Checkout errors", severity=severity, summary="Card payments fail for 30% of users")
    lead = IncidentRole.objects.get(role_type="lead")
    incidents.assign_role(incident=incident, role=lead, assignee=UserFactory(first_name="Ada", last_name="Lovelace"), actor=None)
    WebhookMessage.objects.all().delete()
    return incident


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_posts_the_declared_incident_in_its_documented_shape(kind, statuses, severities, receiver, settings):
    settings.SITE_URL = "https://status.example.com"
    chat.create_destination(kind=kind, url=receiver.url)
    severity = next(iter(severities.values()))
    incident = declare(name="Checkout errors", severity=severity, summary="Card payments fail")
    (outcome,) = _deliver_all()
    assert outcome.sent
    (body,) = _posted(receiver)
    assert_matches_shape(kind, body)
    text = _flat(body)
    for fact in ("Checkout errors", incident.reference, severity.name, incident.status.name, "Unassigned", "Card payments fail"):
        assert fact in text, fact
    assert f"https://status.example.com/admin/incidents/incident/{incident.pk}/change/" in text
    (attempt,) = WebhookAttempt.objects.all()
    assert attempt.succeeded and attempt.delivery.state == DeliveryState.SENT


@pytest.mark.parametrize("kind", KINDS)
def test_a_resolution_is_one_message_led_by_resolved_naming_lead_and_change(kind, led, receiver):
    chat.create_destination(kind=kind, url=receiver.url)
    closed = IncidentStatus.objects.filter(category=StatusCategory.CLOSED).first()
    previous = led.status
    incidents.post_incident_update(incident=led, actor=None, message="Rolled back the deploy", new_status=closed)
    _deliver_all()
    (body,) = _posted(receiver)
    assert_matches_shape(kind, body)
    text = _flat(body)
    assert "Incident resolved" in text or body.get("event") == "resolved"
    for fact in ("Ada Lovelace", closed.name, "Rolled back the deploy"):
        assert fact in text, fact
    if kind == "json":
        assert body["previous"]["status"] == previous.name and body["events"] == ["resolved", "status_changed", "update_posted"]
    else:
        assert f"was {previous.name}" in text


def test_a_destination_hears_only_the_events_it_chose(led, receiver, second_receiver, severities):
    chat.create_destination(kind="slack", url=receiver.url, events=[ChatEvent.SEVERITY_CHANGED])
    chat.create_destination(kind="slack", url=second_receiver.url, events=[ChatEvent.RESOLVED])
    incidents.post_incident_update(incident=led, actor=None, message="Still looking")
    assert WebhookDelivery.objects.count() == 0  # an update posted: neither wants it
    other, before = [s for s in severities.values() if s.pk != led.severity_id][0], led.severity
    incidents.post_incident_update(incident=led, actor=None, message="Worse", new_severity=other)
    _deliver_all()
    (body,) = _posted(receiver)
    assert body["blocks"][0]["text"]["text"].startswith("Severity changed")
    assert f"{other.name} (was {before.name})" in _flat(body)
    assert second_receiver.requests == []


def test_a_status_change_with_a_message_is_one_message_not_two(led, receiver):
    chat.create_destination(kind="discord", url=receiver.url)
    live = IncidentStatus.objects.filter(category=StatusCategory.LIVE).exclude(pk=led.status_id).first() or IncidentStatus.objects.filter(
        category=StatusCategory.PAUSED
    ).first()
    incidents.post_incident_update(incident=led, actor=None, message="Found it", new_status=live)
    _deliver_all()
    (body,) = _posted(receiver)
    assert body["content"].startswith("**Status changed**")
    assert body["embeds"][0]["description"] == "Found it"


def test_edit_incident_severity_reaches_chat_as_severity_changed(led, receiver, severities):
    chat.create_destination(kind="json", url=receiver.url)
    other, before = [s for s in severities.values() if s.pk != led.severity_id][0], led.severity
    incidents.edit_incident(incident=led, actor=None, severity=other)
    _deliver_all()
    (body,) = _posted(receiver)
    assert body["event"] == "severity_changed" and body["incident"]["severity"] == other.name
    assert body["previous"]["severity"] == before.name


def test_a_new_follow_up_is_announced(led, receiver):
    chat.create_destination(kind="teams", url=receiver.url, events=[ChatEvent.FOLLOW_UP_CREATED])
    incidents.create_follow_up(incident=led, actor=None, title="Add a canary stage", description="Before every deploy")
    incidents.update_follow_up(follow_up=FollowUp.objects.get(), actor=None, title="Add canary stages")
    _deliver_all()
    (body,) = _posted(receiver)  # the update is not an event chat hears
    assert_matches_shape("teams", body)
    card = body["attachments"][0]["content"]
    assert card["body"][0]["text"] == "Follow-up created"
    assert "Add a canary stage" in _flat(card) and "Ada Lovelace" in _flat(card)


def test_a_private_incident_reaches_only_destinations_allowed_private_events(statuses, receiver, second_receiver):
    chat.create_destination(kind="slack", url=receiver.url)
    chat.create_destination(kind="slack", url=second_receiver.url, private_events=True)
    declare(name="Secret breach", visibility=Visibility.PRIVATE)
    _deliver_all()
    assert receiver.requests == []
    (body,) = _posted(second_receiver)
    assert "Secret breach" in _flat(body)


def test_webhook_endpoints_and_chat_destinations_each_get_their_own_shape(statuses, receiver, second_receiver):
    webhooks.create_endpoint(url=receiver.url)
    chat.create_destination(kind="mattermost", url=second_receiver.url)
    declare(name="Split")
    _deliver_all()
    (event,) = _posted(receiver)
    (message,) = _posted(second_receiver)
    assert event["event_type"] == "public_incident.incident_created_v2"
    assert message["attachments"][0]["title"].endswith("Split")


def test_one_message_per_kind_whatever_the_number_of_destinations(statuses, receiver):
    for _ in range(5):
        chat.create_destination(kind="slack", url=receiver.url)
    chat.create_destination(kind="discord", url=receiver.url)
    declare()
    assert WebhookMessage.objects.count() == 2
    assert WebhookDelivery.objects.count() == 6


def test_chat_posts_are_retried_and_logged_like_webhooks(statuses, receiver):
    chat.create_destination(kind="discord", url=receiver.url)
    receiver.script = [(429, {"Retry-After": "0.5"}, b'{"retry_after": 0.5}')]
    declare()
    (outcome,) = _deliver_all()
    assert not outcome.sent and 0 <= outcome.retry_in <= 1
    WebhookDelivery.objects.update(claimed_until=timezone.now())
    (outcome,) = _deliver_all()
    assert outcome.sent
    first, second = receiver.requests
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"]
    assert [a.status_code for a in WebhookAttempt.objects.order_by("id")] == [429, 200]


def test_a_chat_destination_inside_the_network_is_refused(statuses, receiver, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    chat.create_destination(kind="slack", url=receiver.url)
    declare()
    (outcome,) = _deliver_all()
    assert not outcome.sent and receiver.requests == []
    assert "not a public address" in WebhookDelivery.objects.get().error


def test_replaying_a_chat_destination_sends_only_chat_messages_of_its_kind(statuses, receiver):
    from datetime import timedelta

    webhooks.create_endpoint(url="https://example.com/hook")
    destination = chat.create_destination(kind="slack", url=receiver.url)
    declare()
    WebhookDelivery.objects.all().delete()
    webhooks.replay(endpoint=destination, since=timezone.now() - timedelta(hours=1))
    (delivery,) = WebhookDelivery.objects.all()
    assert delivery.message.kind == "slack"


def test_a_first_severity_is_a_severity_change_from_none(statuses, severities, receiver):
    incident = declare(name="Unsorted")
    chat.create_destination(kind="json", url=receiver.url, events=[ChatEvent.SEVERITY_CHANGED])
    severity = next(iter(severities.values()))
    incidents.post_incident_update(incident=incident, actor=None, new_severity=severity)
    _deliver_all()
    (body,) = _posted(receiver)
    assert body["event"] == "severity_changed" and body["incident"]["severity"] == severity.name
    assert body["previous"]["severity"] == "None"
