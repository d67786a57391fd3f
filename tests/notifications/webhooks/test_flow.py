"""From an API call to a receiver: the receivers enqueue only once the incident's
transaction commits (eager Celery), the sweep re-sends what the broker lost, and a
replay sends a time range again with the original ids."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import DeliveryState, WebhookDelivery, WebhookMessage
from notifications.services import webhook_delivery, webhooks
from tests.factories import declare

from .conftest import bodies
from .contract import assert_matches_webhook_schema

pytestmark = pytest.mark.django_db


def test_an_incident_declared_through_the_api_reaches_the_receiver_after_the_commit(
    api, statuses, receiver, eager, django_capture_on_commit_callbacks
):
    webhooks.create_endpoint(url=receiver.url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.post("/v2/incidents", {"idempotency_key": "k1", "name": "Login fails", "visibility": "public"})
    assert response.status_code == 200, response.content
    assert receiver.requests == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    (body,) = bodies(receiver)
    assert body["public_incident.incident_created_v2"]["name"] == "Login fails"
    assert_matches_webhook_schema(body)
    assert WebhookDelivery.objects.get().state == DeliveryState.SENT


def test_the_sweep_sends_deliveries_the_broker_never_got(statuses, receiver, eager, settings, django_capture_on_commit_callbacks):
    webhooks.create_endpoint(url=receiver.url)
    declare()  # the on-commit enqueue never runs: as if the broker had lost it
    assert receiver.requests == []
    WebhookDelivery.objects.update(created_at=timezone.now() - timedelta(seconds=settings.NOTIFICATIONS_CLAIM_SECONDS + 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert webhook_delivery.sweep() == 1
    assert len(receiver.requests) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert webhook_delivery.sweep() == 0  # sent: nothing left


def test_replay_sends_a_time_range_again_with_the_original_ids(statuses, receiver, eager, django_capture_on_commit_callbacks):
    endpoint = webhooks.create_endpoint(url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        declare("Old")
    old_id = receiver.requests[0]["headers"]["webhook-id"]
    WebhookDelivery.objects.update(created_at=timezone.now() - timedelta(days=2))
    WebhookMessage.objects.update(created_at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        declare("Recent")
    receiver.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        queued = webhooks.replay(endpoint=endpoint, since=timezone.now() - timedelta(hours=1))
    assert len(queued) == 1
    (request,) = receiver.requests
    assert bodies(receiver)[0]["public_incident.incident_created_v2"]["name"] == "Recent"
    assert request["headers"]["webhook-id"] != old_id
    receiver.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.replay(endpoint=endpoint, since=timezone.now() - timedelta(days=3))
    assert {r["headers"]["webhook-id"] for r in receiver.requests} >= {old_id}
    assert len(receiver.requests) == 2


def test_replay_reaches_an_endpoint_added_after_the_event(statuses, receiver, eager, django_capture_on_commit_callbacks):
    webhooks.create_endpoint(url="http://127.0.0.1:9/unused", event_types=["public_incident.incident_updated_v2"])
    declare("Before the endpoint")
    late = webhooks.create_endpoint(url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.replay(endpoint=late, since=timezone.now() - timedelta(hours=1))
    assert late.deliveries.count() == 0  # no message was recorded: nobody wanted created then
    assert receiver.requests == []
