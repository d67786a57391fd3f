"""An endpoint that keeps failing is disabled once it has failed N times in a row over
the period, its owners are emailed once, a success in between starts the count again,
and re-enabling it forgives; a 410 disables at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import DeliveryState, WebhookDelivery, WebhookEndpoint
from notifications.services import webhook_delivery, webhooks
from tests.factories import declare

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict(settings):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES, settings.WEBHOOK_DISABLE_AFTER_HOURS = 3, 1


def _try_all():
    WebhookDelivery.objects.exclude(state=DeliveryState.SENT).update(state=DeliveryState.QUEUED, claimed_until=None)
    return [webhook_delivery.deliver(delivery_id=pk) for pk in WebhookDelivery.objects.order_by("id").values_list("pk", flat=True)]


def _failing_for(endpoint, hours):
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=timezone.now() - timedelta(hours=hours))


def test_failures_over_the_period_disable_the_endpoint_and_email_its_owners_once(
    statuses, receiver, strict, staff, mailoutbox
):
    endpoint = webhooks.create_endpoint(url=receiver.url, owner=staff, owner_emails="ops@example.com")
    receiver.script = [(500, {}, b"down")] * 10
    declare()
    for _ in range(3):
        _try_all()
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.consecutive_failures == 3  # three, but not for an hour yet
    _failing_for(endpoint, 2)
    _try_all()
    endpoint.refresh_from_db()
    assert not endpoint.enabled and endpoint.disabled_reason == "Kept failing (HTTP 500)"
    assert WebhookDelivery.objects.get().state == DeliveryState.SKIPPED
    (mail,) = mailoutbox
    assert mail.to == ["staff@example.com", "ops@example.com"]
    assert receiver.url in mail.body and f"/admin/notifications/webhookendpoint/{endpoint.pk}/change/" in mail.body
    declare("Another")  # a disabled endpoint is owed nothing
    assert len(receiver.requests) == 4 and len(mailoutbox) == 1


def test_a_success_starts_the_count_again(statuses, receiver, strict):
    endpoint = webhooks.create_endpoint(url=receiver.url)
    receiver.script = [(500, {}, b"")] * 2 + [(200, {}, b"ok")]
    declare()
    for _ in range(3):
        _try_all()
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.consecutive_failures == 0 and endpoint.failing_since is None


def test_re_enabling_forgives_the_failures(statuses, receiver, strict):
    endpoint = webhooks.create_endpoint(url=receiver.url)
    receiver.script = [(500, {}, b"")] * 3
    declare()
    _try_all()
    _failing_for(endpoint, 2)
    _try_all()
    _try_all()
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    webhooks.set_enabled(endpoint=endpoint, enabled=True)
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.consecutive_failures == 0 and not endpoint.disabled_reason


def test_an_endpoint_without_owners_is_disabled_without_email(statuses, receiver, strict, mailoutbox):
    endpoint = webhooks.create_endpoint(url=receiver.url)
    receiver.script = [(503, {}, b"")] * 3
    declare()
    _try_all()
    _failing_for(endpoint, 2)
    _try_all()
    _try_all()
    endpoint.refresh_from_db()
    assert not endpoint.enabled and mailoutbox == []


def test_410_disables_at_once_and_tells_the_owners(statuses, receiver, mailoutbox):
    endpoint = webhooks.create_endpoint(url=receiver.url, owner_emails="ops@example.com")
    receiver.script = [(410, {}, b"gone")]
    declare()
    _try_all()
    endpoint.refresh_from_db()
    assert not endpoint.enabled and "410" in endpoint.disabled_reason
    (mail,) = mailoutbox
    assert mail.to == ["ops@example.com"] and "410 Gone" in mail.body


def test_owner_addresses_are_checked(db):
    from core.exceptions import DomainError

    with pytest.raises(DomainError):
        webhooks.create_endpoint(url="https://example.com/hook", owner_emails="not an address")
