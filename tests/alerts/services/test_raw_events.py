"""Raw copies stay small: an identical payload repeating for one alert is counted on its
newest raw row, not stored again; a changed payload or status makes a new row; the
retention purge goes by the last repeat."""

from datetime import UTC, datetime, timedelta

import pytest

from alerts import services
from alerts.models import Alert, AlertEvent
from alerts.services import Event
from tests.alerts.factories import make_source

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 12, 8, 12, 0, tzinfo=UTC)


def send(source, body, *, status="firing", key="k", at=T0):
    return services.record_events(source=source, events=[Event(status=status, dedup_key=key, title="Disk full", body=body)], now=at)


def rows():
    return list(AlertEvent.objects.order_by("received_at", "id").values_list("body", "status", "repeat_count"))


def test_an_identical_payload_repeating_is_one_row_with_its_count():
    source = make_source()
    for minute in range(5):
        send(source, '{"disk": 97}', at=T0 + timedelta(minutes=minute))
    assert rows() == [('{"disk": 97}', "firing", 5)]
    assert AlertEvent.objects.get().last_received_at == T0 + timedelta(minutes=4)
    assert Alert.objects.get().event_count == 5


def test_a_changed_payload_or_status_makes_a_new_row():
    source = make_source()
    send(source, '{"disk": 97}')
    send(source, '{"disk": 98}', at=T0 + timedelta(minutes=1))
    send(source, '{"disk": 97}', at=T0 + timedelta(minutes=2))
    send(source, '{"disk": 97}', status="resolved", at=T0 + timedelta(minutes=3))
    assert rows() == [('{"disk": 97}', "firing", 1), ('{"disk": 98}', "firing", 1), ('{"disk": 97}', "firing", 1),
                      ('{"disk": 97}', "resolved", 1)]  # fmt: skip


def test_the_same_payload_for_another_alert_is_its_own_row():
    source = make_source()
    send(source, "{}", key="a")
    send(source, "{}", key="b")
    send(source, "{}", key="a", at=T0 + timedelta(minutes=1))
    assert sorted(AlertEvent.objects.values_list("dedup_key", "repeat_count")) == [("a", 2), ("b", 1)]


def test_repeats_within_one_delivery_are_counted_too():
    # Alertmanager can carry the same alert twice in one delivery.
    source = make_source("alertmanager")
    events = [Event(status="firing", dedup_key="fp", title="t", body='{"fingerprint": "fp"}') for _ in range(3)]
    services.record_events(source=source, events=events, now=T0)
    assert rows() == [('{"fingerprint": "fp"}', "firing", 3)]


def test_the_purge_keeps_a_row_whose_last_repeat_is_recent(settings):
    settings.ALERTS_EVENT_RETENTION_DAYS = 7
    source = make_source()
    send(source, "{}", key="kept", at=T0 - timedelta(days=10))
    send(source, "{}", key="kept", at=T0 - timedelta(days=1))
    send(source, "{}", key="gone", at=T0 - timedelta(days=10))
    send(source, "{}", key="gone", at=T0 - timedelta(days=8))
    assert services.purge_alert_events(now=T0) == 1
    assert list(AlertEvent.objects.values_list("dedup_key", flat=True)) == ["kept"]
