"""The webhook endpoints screen: adding shows the secret once, the list shows each
endpoint's 24-hour success rate and last failure, its page the last attempts; rotating
and replaying go through the services."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from notifications.services import webhook_delivery, webhooks
from tests.factories import declare

pytestmark = pytest.mark.django_db

LIST = reverse("admin:notifications_webhookendpoint_changelist")
ADD = reverse("admin:notifications_webhookendpoint_add")


def test_adding_an_endpoint_shows_its_secret_once(staff_client):
    response = staff_client.post(
        ADD,
        {
            "url": "https://example.com/hook",
            "description": "Pager",
            "event_types": ["public_incident.incident_created_v2"],
            "enabled": "on",
        },
        follow=True,
    )
    endpoint = WebhookEndpoint.objects.get()
    shown = re.findall(r"whsec_[A-Za-z0-9+/=]+", response.content.decode())
    assert shown == [endpoint.secret]
    assert endpoint.event_types == ["public_incident.incident_created_v2"] and endpoint.enabled
    page = staff_client.get(reverse("admin:notifications_webhookendpoint_change", args=[endpoint.pk])).content.decode()
    assert endpoint.secret not in page


def test_the_list_shows_the_success_rate_of_the_last_24_hours_and_the_last_failure(staff_client, statuses, receiver):
    endpoint = webhooks.create_endpoint(url=receiver.url, description="Pager")
    receiver.script = [(500, {}, b"boom")]
    declare()
    delivery = WebhookDelivery.objects.get()
    webhook_delivery.deliver(delivery_id=delivery.pk)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(claimed_until=timezone.now())
    webhook_delivery.deliver(delivery_id=delivery.pk)
    # An attempt older than a day does not count.
    WebhookAttempt.objects.create(endpoint=endpoint, delivery=delivery, created_at=timezone.now() - timedelta(days=2))
    content = staff_client.get(LIST).content.decode()
    assert "50% of 2" in content
    assert "500" in content
    page = staff_client.get(reverse("admin:notifications_webhookendpoint_change", args=[endpoint.pk])).content.decode()
    assert "boom" in page and "public_incident.incident_created_v2" in page


@pytest.mark.parametrize("endpoints", [1, 6])
def test_the_list_costs_the_same_queries_for_one_endpoint_or_many(
    staff_client, statuses, receiver, endpoints, django_assert_num_queries
):
    receiver.script = [(500, {}, b"")] * endpoints
    for i in range(endpoints):
        webhooks.create_endpoint(url=receiver.url, description=f"Endpoint {i}")
    declare()
    for delivery in WebhookDelivery.objects.all():
        webhook_delivery.deliver(delivery_id=delivery.pk)
    staff_client.get(LIST)  # the session and permissions warmed
    # session, user, the count, the page (with rates and last failures), the filter's count
    with django_assert_num_queries(5):
        assert staff_client.get(LIST).status_code == 200


def test_the_rotate_action_shows_the_new_secret_once(staff_client):
    endpoint = webhooks.create_endpoint(url="https://example.com/hook")
    old = endpoint.secret
    response = staff_client.post(LIST, {"action": "rotate_secrets", "_selected_action": [endpoint.pk]}, follow=True)
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.previous_secret == old
    assert re.findall(r"whsec_[A-Za-z0-9+/=]+", response.content.decode()) == [endpoint.secret]


def test_the_replay_action_queues_the_last_day_again(staff_client, statuses):
    endpoint = webhooks.create_endpoint(url="https://example.com/hook")
    declare()
    WebhookDelivery.objects.update(state="failed")
    response = staff_client.post(LIST, {"action": "replay_last_day", "_selected_action": [endpoint.pk]}, follow=True)
    assert "1 deliveries queued again" in response.content.decode()
    assert WebhookDelivery.objects.get().state == "queued"


def test_an_unknown_url_scheme_is_a_form_error(staff_client):
    response = staff_client.post(ADD, {"url": "ftp://example.com/hook", "enabled": "on"})
    assert response.status_code == 200 and not WebhookEndpoint.objects.exists()


def test_send_again_queues_the_chosen_deliveries_with_their_webhook_id(staff_client, statuses, receiver):
    webhooks.create_endpoint(url=receiver.url)
    declare()
    delivery = WebhookDelivery.objects.get()
    webhook_delivery.deliver(delivery_id=delivery.pk)
    deliveries = reverse("admin:notifications_webhookdelivery_changelist")
    listed = staff_client.get(deliveries).content.decode()
    assert delivery.message.msg_id in listed
    response = staff_client.post(deliveries, {"action": "send_again", "_selected_action": [delivery.pk]}, follow=True)
    assert "1 deliveries queued again" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.state == "queued" and delivery.attempts == 0
    assert webhook_delivery.deliver(delivery_id=delivery.pk).sent
    assert len({r["headers"]["webhook-id"] for r in receiver.requests}) == 1 and len(receiver.requests) == 2


def test_enabling_again_an_endpoint_a_410_disabled_clears_the_reason(staff_client):
    endpoint = webhooks.create_endpoint(url="https://example.com/hook")
    webhooks.set_enabled(endpoint=endpoint, enabled=False, reason="The endpoint answered 410 Gone")
    change = reverse("admin:notifications_webhookendpoint_change", args=[endpoint.pk])
    staff_client.post(change, {"url": endpoint.url, "description": "", "enabled": ""})
    endpoint.refresh_from_db()
    assert not endpoint.enabled and endpoint.disabled_reason == "The endpoint answered 410 Gone"
    staff_client.post(change, {"url": endpoint.url, "description": "", "enabled": "on"})
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.disabled_reason == ""
    staff_client.post(change, {"url": endpoint.url, "description": "", "enabled": ""})
    endpoint.refresh_from_db()
    assert endpoint.disabled_reason == "Disabled by staff"
