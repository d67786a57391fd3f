"""Deliveries POSTed to a real HTTP receiver on loopback: Standard Webhooks headers checked
by the ``standardwebhooks`` library (an independent implementation), retries that keep
the ``webhook-id``, Retry-After, redirects not followed, 410 disabling the endpoint, and
one endpoint's failure holding up no other."""

import json
import socket
from datetime import timedelta

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from notifications.models import DeliveryState, WebhookAttempt, WebhookDelivery
from notifications.services import webhook_delivery, webhooks
from tests.factories import declare

from .contract import assert_matches_webhook_schema

pytestmark = pytest.mark.django_db


def _deliver_all():
    return [webhook_delivery.deliver(delivery_id=pk) for pk in WebhookDelivery.objects.values_list("pk", flat=True)]


def _make_due(delivery):
    WebhookDelivery.objects.filter(pk=delivery.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))


def _verify(secret, request):
    return Webhook(secret).verify(request["body"], request["headers"])


def test_a_delivery_is_signed_as_standard_webhooks_verifies_it(statuses, receiver):
    endpoint = webhooks.create_endpoint(url=receiver.url)
    declare(name="Checkout errors")
    (outcome,) = _deliver_all()
    assert outcome.sent
    (request,) = receiver.requests
    payload = _verify(endpoint.secret, request)
    assert payload["event_type"] == "public_incident.incident_created_v2"
    assert_matches_webhook_schema(payload)
    assert request["headers"]["webhook-id"].startswith("msg_")
    with pytest.raises(WebhookVerificationError):
        _verify(webhooks.create_endpoint(url=receiver.url).secret, request)
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.SENT and delivery.attempts == 1
    (attempt,) = WebhookAttempt.objects.all()
    assert attempt.succeeded and attempt.status_code == 200 and attempt.response == "ok"


def test_during_a_rotation_both_secrets_sign(statuses, receiver):
    endpoint = webhooks.create_endpoint(url=receiver.url)
    old = endpoint.secret
    new = webhooks.rotate_secret(endpoint=endpoint)
    declare()
    _deliver_all()
    (request,) = receiver.requests
    assert len(request["headers"]["webhook-signature"].split(" ")) == 2
    _verify(old, request)
    _verify(new, request)


def test_after_the_grace_period_only_the_new_secret_signs(statuses, receiver):
    endpoint = webhooks.create_endpoint(url=receiver.url)
    old = endpoint.secret
    new = webhooks.rotate_secret(endpoint=endpoint, grace=timedelta(0))
    declare()
    _deliver_all()
    (request,) = receiver.requests
    _verify(new, request)
    with pytest.raises(WebhookVerificationError):
        _verify(old, request)


def test_a_500_is_retried_with_the_same_webhook_id_and_delivered_once(statuses, receiver):
    webhooks.create_endpoint(url=receiver.url)
    receiver.script = [(500, {}, b"boom"), (502, {}, b"")]
    declare()
    delivery = WebhookDelivery.objects.get()
    first = webhook_delivery.deliver(delivery_id=delivery.pk)
    assert first.retry_in is not None and not first.sent
    assert webhook_delivery.deliver(delivery_id=delivery.pk) is None  # not due yet
    for _ in range(2):
        _make_due(delivery)
        webhook_delivery.deliver(delivery_id=delivery.pk)
    ids = {r["headers"]["webhook-id"] for r in receiver.requests}
    assert len(receiver.requests) == 3 and len(ids) == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.attempts == 3
    assert [a.status_code for a in WebhookAttempt.objects.order_by("id")] == [500, 502, 200]


def test_the_retries_follow_the_standard_webhooks_schedule_with_jitter(statuses, receiver, settings):
    webhooks.create_endpoint(url=receiver.url)
    receiver.script = [(500, {}, b"")] * 3
    declare()
    delivery = WebhookDelivery.objects.get()
    webhook_delivery.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    wait = (delivery.claimed_until - delivery.created_at).total_seconds()
    assert 4.5 <= wait <= 5.5  # the second attempt: 5 s after the event, ±10%
    _make_due(delivery)
    webhook_delivery.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert 270 <= (delivery.claimed_until - delivery.created_at).total_seconds() <= 330


def test_after_the_last_attempt_of_the_day_the_delivery_fails(statuses, receiver, settings):
    settings.WEBHOOK_RETRY_SCHEDULE = (0, 0.01, 0.02)
    webhooks.create_endpoint(url=receiver.url)
    receiver.script = [(500, {}, b"")] * 3
    declare()
    delivery = WebhookDelivery.objects.get()
    for _ in range(3):
        _make_due(delivery)
        webhook_delivery.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and delivery.error == "HTTP 500"
    assert len(receiver.requests) == 3


def test_a_429_with_retry_after_waits_as_long_as_it_says(statuses, receiver):
    webhooks.create_endpoint(url=receiver.url)
    receiver.script = [(429, {"Retry-After": "120"}, b"slow down")]
    declare()
    delivery = WebhookDelivery.objects.get()
    outcome = webhook_delivery.deliver(delivery_id=delivery.pk)
    assert 119 <= outcome.retry_in <= 120
    _make_due(delivery)
    assert webhook_delivery.deliver(delivery_id=delivery.pk).sent
    assert len({r["headers"]["webhook-id"] for r in receiver.requests}) == 1


def test_a_redirect_is_not_followed(statuses, receiver, second_receiver):
    webhooks.create_endpoint(url=receiver.url)
    receiver.script = [(302, {"Location": second_receiver.url}, b"")]
    declare()
    (outcome,) = _deliver_all()
    assert not outcome.sent and outcome.retry_in is not None
    assert second_receiver.requests == []
    assert "redirects are not followed" in WebhookDelivery.objects.get().error


def test_a_410_disables_the_endpoint(statuses, receiver):
    endpoint = webhooks.create_endpoint(url=receiver.url)
    receiver.script = [(410, {}, b"gone")]
    incident = declare()
    _deliver_all()
    endpoint.refresh_from_db()
    assert not endpoint.enabled and "410" in endpoint.disabled_reason
    assert WebhookDelivery.objects.get().state == DeliveryState.FAILED
    from incidents import services as incidents

    incidents.edit_incident(incident=incident, actor=None, name="Again")
    assert WebhookDelivery.objects.count() == 1


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_endpoint_that_is_down_holds_up_no_other(statuses, receiver):
    down = webhooks.create_endpoint(url=f"http://127.0.0.1:{_closed_port()}/hook")
    up = webhooks.create_endpoint(url=receiver.url)
    declare()
    outcomes = {d.endpoint_id: webhook_delivery.deliver(delivery_id=d.pk) for d in WebhookDelivery.objects.all()}
    assert outcomes[up.pk].sent and outcomes[down.pk].retry_in is not None
    assert len(receiver.requests) == 1
    failure = WebhookAttempt.objects.get(endpoint=down)
    assert failure.status_code is None and failure.error


def test_a_receiver_slower_than_the_timeout_is_a_failed_attempt(statuses, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        webhooks.create_endpoint(url=f"http://127.0.0.1:{silent.getsockname()[1]}/hook")
        declare()
        (outcome,) = _deliver_all()
    assert outcome.retry_in is not None
    assert "timed out" in WebhookAttempt.objects.get().error.lower()


def test_a_disabled_endpoints_queued_deliveries_are_skipped(statuses, receiver):
    endpoint = webhooks.create_endpoint(url=receiver.url)
    declare()
    webhooks.set_enabled(endpoint=endpoint, enabled=False)
    _deliver_all()
    assert receiver.requests == [] and WebhookDelivery.objects.get().state == DeliveryState.SKIPPED


def test_the_body_sent_is_the_body_recorded(statuses, receiver):
    webhooks.create_endpoint(url=receiver.url)
    declare()
    _deliver_all()
    assert json.loads(receiver.requests[0]["body"]) == json.loads(WebhookDelivery.objects.get().message.body)
