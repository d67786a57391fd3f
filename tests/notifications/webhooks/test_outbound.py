"""Refusing to call inside: loopback, private, link-local (metadata) and mapped addresses
are refused unless the host is allowed by name; the POST goes to the address checked."""

import pytest

from notifications import outbound
from notifications.models import DeliveryState, WebhookAttempt, WebhookDelivery
from notifications.services import webhook_delivery, webhooks
from tests.factories import declare

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address, public",
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # shared address space
        ("0.0.0.0", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("224.0.0.1", False),
        ("93.184.215.14", True),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True),
    ],
)
def test_which_addresses_are_public(address, public):
    assert outbound.is_public(address) is public


def test_a_loopback_endpoint_is_refused_and_never_called(statuses, receiver, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    webhooks.create_endpoint(url=receiver.url)
    declare()
    (delivery,) = WebhookDelivery.objects.all()
    outcome = webhook_delivery.deliver(delivery_id=delivery.pk)
    assert not outcome.sent and outcome.retry_in is None
    assert receiver.requests == []
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and "not a public address" in delivery.error
    assert "127.0.0.1" in WebhookAttempt.objects.get().error


def test_a_name_resolving_inside_is_refused(statuses, receiver, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]  # the address, not the name
    webhooks.create_endpoint(url=receiver.url.replace("127.0.0.1", "localhost"))
    declare()
    webhook_delivery.deliver(delivery_id=WebhookDelivery.objects.get().pk)
    assert receiver.requests == []
    assert WebhookDelivery.objects.get().state == DeliveryState.FAILED


def test_the_metadata_address_is_refused_without_connecting(statuses):
    webhooks.create_endpoint(url="http://169.254.169.254/latest/meta-data/")
    declare()
    webhook_delivery.deliver(delivery_id=WebhookDelivery.objects.get().pk)
    assert "169.254.169.254" in WebhookDelivery.objects.get().error


def test_an_allowed_name_is_called_at_the_address_it_resolved_to_with_its_own_host_header(statuses, receiver, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = [".localhost", "localhost"]
    url = receiver.url.replace("127.0.0.1", "localhost")
    webhooks.create_endpoint(url=url)
    declare()
    assert webhook_delivery.deliver(delivery_id=WebhookDelivery.objects.get().pk).sent
    (request,) = receiver.requests
    assert {k.lower(): v for k, v in request["headers"].items()}["host"] == url.split("/")[2]


def test_a_name_that_does_not_resolve_is_tried_again_later(statuses):
    webhooks.create_endpoint(url="http://no-such-host.invalid/hook")
    declare()
    outcome = webhook_delivery.deliver(delivery_id=WebhookDelivery.objects.get().pk)
    assert outcome.retry_in is not None
    assert "Cannot resolve" in WebhookAttempt.objects.get().error


def test_allowed_hosts_match_a_name_and_its_subdomains(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = [".internal.example.com", "hooks.example.org"]
    assert outbound.host_allowed("internal.example.com")
    assert outbound.host_allowed("a.internal.example.com")
    assert outbound.host_allowed("HOOKS.example.org.")
    assert not outbound.host_allowed("evilinternal.example.com")
    assert not outbound.host_allowed("x.hooks.example.org")
