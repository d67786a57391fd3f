"""Staff see what each notified update's emails became and can send failed ones again."""

from unittest import mock

import pytest

from notifications import services
from notifications.models import Delivery, DeliveryState
from statuspages import services as pages
from tests.factories import status_page

from .conftest import subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def update():
    page = status_page(components=["API"])
    for i in range(3):
        subscribe(page, f"user{i}@example.com")
    incident = pages.publish_incident(actor=None, status_page=page, name="Checkout fails", message="Looking", notify_subscribers=True)
    update = incident.updates.get()
    services.fan_out(kind="incident", update_id=update.pk)
    rows = list(Delivery.objects.order_by("id"))
    Delivery.objects.filter(pk=rows[0].pk).update(state=DeliveryState.SENT, sent_at=update.published_at)
    Delivery.objects.filter(pk=rows[1].pk).update(state=DeliveryState.FAILED, error="550 5.1.1 No such user")
    return update


def test_the_list_shows_each_updates_queued_sent_and_failed_counts(staff_client, update, django_assert_max_num_queries):
    # session, user, the page filter's pages, the count (and the unfiltered count), the
    # page of updates with their five counts each, the date hierarchy's range and days
    with django_assert_max_num_queries(8):
        response = staff_client.get("/admin/notifications/notifiedincidentupdate/")
    assert response.status_code == 200
    row = response.context["cl"].result_list[0]
    assert (row.queued, row.sent, row.failed) == (1, 1, 1)
    assert "Checkout fails" in response.content.decode()


def test_an_updates_page_lists_each_failure_with_its_reason(staff_client, update):
    response = staff_client.get(f"/admin/notifications/notifiedincidentupdate/{update.pk}/change/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "user1@example.com" in body and "550 5.1.1 No such user" in body and "1 × 550 5.1.1 No such user" in body


def test_the_retry_action_queues_failed_deliveries_again(staff_client, update):
    with mock.patch("notifications.services.delivery._enqueue_ranges") as enqueue:
        response = staff_client.post(
            "/admin/notifications/notifiedincidentupdate/",
            {"action": "retry_failed_deliveries", "_selected_action": [update.pk]},
            follow=True,
        )
    assert "1 failed delivery queued again." in response.content.decode()
    assert not Delivery.objects.filter(state=DeliveryState.FAILED).exists()
    assert Delivery.objects.filter(state=DeliveryState.QUEUED).count() == 2
    del enqueue


def test_the_delivery_list_filters_by_update_and_state(staff_client, update):
    response = staff_client.get(f"/admin/notifications/delivery/?incident_update={update.pk}&state__exact=failed")
    assert response.status_code == 200
    assert [d.subscriber.email for d in response.context["cl"].result_list] == ["user1@example.com"]
