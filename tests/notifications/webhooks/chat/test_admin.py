"""The chat destinations screen: add one with its kind and events, see its success rate
and attempts, re-enable one that was disabled for failing; webhook endpoints and chat
destinations each list only their own."""

import pytest
from django.urls import reverse

from notifications.models import EndpointKind, WebhookEndpoint
from notifications.services import chat, failing, webhook_delivery, webhooks
from tests.factories import declare

pytestmark = pytest.mark.django_db

LIST = reverse("admin:notifications_chatdestination_changelist")
ADD = reverse("admin:notifications_chatdestination_add")


def test_staff_add_a_teams_destination_with_its_events(staff_client, staff):
    response = staff_client.post(
        ADD,
        {
            "kind": "teams",
            "url": "https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke",
            "description": "Ops channel",
            "event_types": ["declared", "resolved"],
            "enabled": "on",
            "owner": staff.pk,
            "owner_emails": "ops@example.com\noncall@example.com",
        },
        follow=True,
    )
    assert response.status_code == 200
    destination = WebhookEndpoint.objects.get()
    assert destination.kind == EndpointKind.TEAMS and destination.event_types == ["declared", "resolved"]
    assert destination.owner_addresses() == ["staff@example.com", "ops@example.com", "oncall@example.com"]


def test_an_unknown_event_is_a_form_error_not_a_destination(staff_client):
    response = staff_client.post(ADD, {"kind": "slack", "url": "https://hooks.slack.com/services/T/B/x", "event_types": ["nope"]})
    assert response.status_code == 200 and WebhookEndpoint.objects.count() == 0


def test_each_screen_lists_only_its_own(staff_client):
    chat.create_destination(kind="discord", url="https://discord.com/api/webhooks/1/chat-one")
    webhooks.create_endpoint(url="https://example.com/signed-one")
    chat_list = staff_client.get(LIST).content.decode()
    webhook_list = staff_client.get(reverse("admin:notifications_webhookendpoint_changelist")).content.decode()
    assert "chat-one" in chat_list and "signed-one" not in chat_list
    assert "signed-one" in webhook_list and "chat-one" not in webhook_list


def test_the_page_shows_the_attempts_and_re_enabling_forgives_the_failures(staff_client, statuses, receiver, settings):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES, settings.WEBHOOK_DISABLE_AFTER_HOURS = 1, 0
    destination = chat.create_destination(kind="slack", url=receiver.url, description="War room")
    receiver.script = [(404, {}, b"no_service")]
    declare()
    webhook_delivery.deliver(delivery_id=destination.deliveries.get().pk)
    destination.refresh_from_db()
    assert not destination.enabled and "HTTP 404" in destination.disabled_reason
    change = reverse("admin:notifications_chatdestination_change", args=[destination.pk])
    page = staff_client.get(change).content.decode()
    assert "no_service" in page and "chat.declared" in page and "Kept failing" in page
    staff_client.post(change, {"kind": "slack", "url": receiver.url, "description": "War room", "enabled": "on"})
    destination.refresh_from_db()
    assert destination.enabled and destination.consecutive_failures == 0 and destination.failing_since is None
    assert failing.admin_url(destination).endswith(change)
