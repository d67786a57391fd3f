"""The source page's "send a test alert": a POST (CSRF-checked) that sends each kind's
own sample payload through that kind's parser into the events service, then shows what
it made; a heartbeat's is a ping. And the raw events shown on an alert's page are capped."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts import services
from alerts.admin.sources import EVENTS_SHOWN
from alerts.models import Alert, AlertEvent, AlertSource, Heartbeat
from alerts.services import Event
from tests.alerts.factories import make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def csrf_client(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    return client


def press_button(client, source):
    page = client.get(reverse("admin:alerts_alertsource_change", args=[source.pk])).content.decode()
    form = re.search(r'<form method="post" action="([^"]+)" class="send-test-alert">\s*<input[^>]*value="([^"]+)"', page)
    assert form, "the button is on the source's page"
    return client.post(form.group(1), {"csrfmiddlewaretoken": form.group(2)}, follow=True)


@pytest.mark.parametrize(
    "kind, key", [("http", "test-alert"), ("alertmanager", "test-alert"), ("grafana", "test-alert"), ("pager_duty", "test-alert")]
)
def test_the_button_sends_the_kinds_own_payload_and_shows_the_alert(csrf_client, kind, key):
    source = make_source(kind)
    response = press_button(csrf_client, source)
    assert response.status_code == 200
    alert = Alert.objects.get(source=source)
    assert (alert.dedup_key, alert.title, alert.status) == (key, "Test alert from the admin", "firing")
    html = response.content.decode()
    assert "Test alert accepted" in html and reverse("admin:alerts_alert_change", args=[alert.pk]) in html
    assert AlertEvent.objects.get(alert=alert).body  # the kind's payload, kept raw
    # Pressed again: folded into the same alert, and the identical payload counted.
    assert "seen 2 times" in press_button(csrf_client, source).content.decode()
    assert AlertEvent.objects.get(alert=alert).repeat_count == 2


def test_the_button_on_a_heartbeat_sends_a_ping_that_resolves_its_alert(csrf_client):
    source = make_source("heartbeat")
    services.check_heartbeats(now=timezone.now() + timedelta(minutes=5))
    html = press_button(csrf_client, source).content.decode()
    assert "Send a test ping" in html and "resolved the heartbeat" in html
    assert Heartbeat.objects.get(source=source).last_ping_at is not None
    assert Alert.objects.get(source=source).status == "resolved"


def test_without_the_csrf_token_nothing_is_sent(csrf_client):
    source = make_source()
    response = csrf_client.post(reverse("admin:alerts_alertsource_send_test_alert", args=[source.pk]))
    assert response.status_code == 403
    assert not Alert.objects.exists()


def test_a_get_sends_nothing(staff_client):
    source = make_source()
    assert staff_client.get(reverse("admin:alerts_alertsource_send_test_alert", args=[source.pk])).status_code == 405
    assert not Alert.objects.exists()


def test_a_disabled_source_says_so_and_sends_nothing(csrf_client):
    source = make_source()
    services.update_alert_source(source=source, name=source.name, disabled=True)
    assert "is disabled" in press_button(csrf_client, source).content.decode()
    assert not Alert.objects.exists()


def test_staff_who_may_only_view_sources_cannot_send(django_user_model):
    from incidents.services.groups import VIEWERS, sync_staff_groups

    sync_staff_groups()
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.groups.add(Group.objects.get(name=VIEWERS))
    client = Client()
    client.force_login(viewer)
    source = make_source()
    page = client.get(reverse("admin:alerts_alertsource_change", args=[source.pk])).content.decode()
    assert "send-test-alert" not in page
    assert client.post(reverse("admin:alerts_alertsource_send_test_alert", args=[source.pk])).status_code == 403
    assert not Alert.objects.exists()


def test_adding_a_heartbeat_source_sets_its_schedule(staff_client):
    response = staff_client.post(
        reverse("admin:alerts_alertsource_add"),
        {"name": "Nightly backup", "source_type": "heartbeat", "interval_seconds": "3600", "grace_period_seconds": "600"},
        follow=True,
    )
    assert response.status_code == 200
    heartbeat = Heartbeat.objects.get(source=AlertSource.objects.get())
    assert (heartbeat.interval_seconds, heartbeat.grace_period_seconds, heartbeat.failure_threshold) == (3600, 600, 1)
    page = staff_client.get(reverse("admin:alerts_alertsource_change", args=[heartbeat.source_id])).content.decode()
    assert "healthy; last ping never" in page and "/v2/heartbeat/" in page


def test_an_alerts_page_shows_at_most_the_newest_raw_events(staff_client):
    source = make_source()
    now = timezone.now()
    for n in range(EVENTS_SHOWN + 5):
        alert = services.record_events(
            source=source,
            events=[Event(status="firing", dedup_key="k", title="t", body=f'{{"n": "event-{n:03}"}}')],
            now=now - timedelta(minutes=100 - n),
        )[0]
    html = staff_client.get(reverse("admin:alerts_alert_change", args=[alert.pk])).content.decode()
    assert html.count('class="alert-event"') == EVENTS_SHOWN
    assert "event-054" in html and "event-005" in html and "event-004" not in html
