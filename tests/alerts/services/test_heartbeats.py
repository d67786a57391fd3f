"""Heartbeats: the check fires one alert when pings stop for longer than the window, a
ping resolves it, and the schedule's options are checked. Times are passed in (``now``),
anchored on a fixed instant, so nothing depends on the clock."""

from datetime import UTC, datetime, timedelta

import pytest

from alerts import services
from alerts.models import Alert, AlertEvent, AlertStatus, Heartbeat
from alerts.services.heartbeats import HEARTBEAT_KEY
from core.exceptions import DomainError
from tests.alerts.factories import make_source

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 12, 8, 12, 0, tzinfo=UTC)


def heartbeat_source(interval=60, grace=0, threshold=1, at=T0):
    source = make_source("heartbeat", name="Nightly backup")
    services.configure_heartbeat(
        source=source,
        options={"interval_seconds": interval, "grace_period_seconds": grace, "failure_threshold": threshold},
        now=at,
    )
    return source


def firing(source):
    return list(Alert.objects.filter(source=source, status=AlertStatus.FIRING))


def test_a_new_heartbeat_source_gets_incident_ios_default_schedule():
    source = make_source("heartbeat")
    heartbeat = Heartbeat.objects.get(source=source)
    assert (heartbeat.interval_seconds, heartbeat.grace_period_seconds, heartbeat.failure_threshold) == (60, 0, 1)
    assert heartbeat.last_ping_at is None and not heartbeat.failing


def test_no_alert_while_pings_arrive_within_the_interval():
    source = heartbeat_source(interval=60)
    for minute in range(1, 6):
        services.record_ping(source=source, now=T0 + timedelta(seconds=59 * minute))
        assert services.check_heartbeats(now=T0 + timedelta(seconds=59 * minute + 30)) == 0
    assert not Alert.objects.exists()


def test_the_check_fires_once_when_pings_stop_and_a_ping_resolves_it():
    source = heartbeat_source(interval=60)
    services.record_ping(source=source, now=T0 + timedelta(seconds=10))
    assert services.check_heartbeats(now=T0 + timedelta(seconds=70)) == 0  # due at 70 s, not past it
    assert services.check_heartbeats(now=T0 + timedelta(seconds=71)) == 1
    assert services.check_heartbeats(now=T0 + timedelta(seconds=200)) == 0  # fired once, not again
    [alert] = firing(source)
    assert alert.dedup_key == HEARTBEAT_KEY and alert.title == "No heartbeat from Nightly backup"
    assert alert.metadata["last_ping_at"] == (T0 + timedelta(seconds=10)).isoformat()

    assert services.record_ping(source=source, now=T0 + timedelta(seconds=300)) is True
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED and alert.resolved_at == T0 + timedelta(seconds=300)
    assert services.record_ping(source=source, now=T0 + timedelta(seconds=301)) is False
    # The firing and the resolving event are kept like any source's.
    assert list(AlertEvent.objects.order_by("received_at").values_list("status", flat=True)) == ["firing", "resolved"]


def test_grace_and_threshold_widen_the_window():
    source = heartbeat_source(interval=60, grace=30, threshold=3)
    services.record_ping(source=source, now=T0)
    assert services.check_heartbeats(now=T0 + timedelta(seconds=210)) == 0  # 3 × 60 + 30
    assert services.check_heartbeats(now=T0 + timedelta(seconds=211)) == 1


def test_a_heartbeat_that_never_pinged_fires_one_window_after_it_was_set_up():
    source = heartbeat_source(interval=120)
    assert services.check_heartbeats(now=T0 + timedelta(seconds=121)) == 1
    assert "the last came never" in firing(source)[0].description


def test_stopping_again_after_recovering_opens_a_new_alert():
    source = heartbeat_source(interval=60)
    services.check_heartbeats(now=T0 + timedelta(seconds=61))
    services.record_ping(source=source, now=T0 + timedelta(seconds=90))
    services.check_heartbeats(now=T0 + timedelta(seconds=151))
    assert Alert.objects.filter(source=source).count() == 2
    assert len(firing(source)) == 1


def test_a_disabled_source_is_not_checked():
    source = heartbeat_source(interval=60)
    services.update_alert_source(source=source, name=source.name, disabled=True)
    assert services.check_heartbeats(now=T0 + timedelta(days=1)) == 0


def test_changing_the_interval_moves_the_due_time_from_the_last_ping():
    source = heartbeat_source(interval=60)
    services.record_ping(source=source, now=T0)
    services.update_alert_source(source=source, name=source.name, heartbeat_options={"interval_seconds": 600}, )
    assert services.check_heartbeats(now=T0 + timedelta(seconds=599)) == 0
    assert services.check_heartbeats(now=T0 + timedelta(seconds=601)) == 1


@pytest.mark.parametrize(
    "options, field",
    [
        ({"interval_seconds": 0}, "heartbeat_options.interval_seconds"),
        ({"interval_seconds": 86401}, "heartbeat_options.interval_seconds"),
        ({"interval_seconds": 60, "grace_period_seconds": -1}, "heartbeat_options.grace_period_seconds"),
        ({"interval_seconds": 60, "failure_threshold": 0}, "heartbeat_options.failure_threshold"),
    ],
)
def test_out_of_range_options_are_refused(options, field):
    with pytest.raises(DomainError) as refused:
        services.create_alert_source(name="Cron", source_type="heartbeat", heartbeat_options=options)
    assert refused.value.field == field


def test_only_heartbeat_sources_take_heartbeat_options():
    with pytest.raises(DomainError):
        services.create_alert_source(name="Script", source_type="http", heartbeat_options={"interval_seconds": 60})
    assert not Heartbeat.objects.exists()
