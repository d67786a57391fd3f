from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from alerts import services
from alerts.models import Alert, AlertEvent, AlertStatus
from alerts.services import Event
from tests.alerts.factories import make_source

pytestmark = pytest.mark.django_db


def fire(source, key="k1", title="CPU high", **kwargs):
    return services.record_events(
        source=source, events=[Event(status="firing", dedup_key=key, title=title, body="{}", **kwargs)]
    )[0]


def resolve(source, key="k1"):
    return services.record_events(source=source, events=[Event(status="resolved", dedup_key=key, title="", body="{}")])[0]


def test_repeats_of_a_firing_key_update_one_alert_instead_of_adding_rows():
    source = make_source()
    first = fire(source)
    again = fire(source, title="CPU very high")
    assert again.pk == first.pk
    alert = Alert.objects.get()
    assert (alert.event_count, alert.title, alert.status) == (2, "CPU very high", "firing")
    assert alert.last_seen_at >= alert.created_at
    # Both events' payloads are kept (here the same empty body: one row, counted twice).
    assert sum(AlertEvent.objects.filter(alert=alert).values_list("repeat_count", flat=True)) == 2


def test_a_resolve_closes_the_alert_and_a_trigger_after_it_opens_a_new_one():
    source = make_source()
    first = fire(source)
    resolved = resolve(source)
    assert resolved.pk == first.pk and resolved.status == AlertStatus.RESOLVED and resolved.resolved_at
    second = fire(source)
    assert second.pk != first.pk
    assert list(Alert.objects.order_by("created_at", "id").values_list("status", flat=True)) == ["resolved", "firing"]


def test_a_resolve_of_an_unknown_key_is_kept_raw_without_an_alert():
    source = make_source()
    assert resolve(source, "never-fired") is None
    assert Alert.objects.count() == 0
    assert AlertEvent.objects.get().alert is None


def test_the_same_key_from_another_source_is_another_alert():
    assert fire(make_source()).pk != fire(make_source(name="Other")).pk


def test_the_database_refuses_a_second_firing_alert_for_one_key():
    source = make_source()
    fire(source)
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(source=source, dedup_key="k1", title="x", created_at=now, updated_at=now, last_seen_at=now)


def test_raw_payloads_are_cut_at_the_configured_size(settings):
    settings.ALERTS_PAYLOAD_MAX_KB = 1
    source = make_source()
    services.record_events(source=source, events=[Event(status="firing", dedup_key="k", title="t", body="é" * 2000)])
    event = AlertEvent.objects.get()
    assert event.truncated and len(event.body.encode()) <= 1024


def test_events_past_their_retention_are_purged_and_alerts_stay(settings):
    settings.ALERTS_EVENT_RETENTION_DAYS = 7
    source = make_source()
    now = timezone.now()
    services.record_events(
        source=source, events=[Event(status="firing", dedup_key="old", title="t")], now=now - timedelta(days=8)
    )
    fire(source, "new")
    assert services.purge_alert_events(now=now) == 1
    assert list(AlertEvent.objects.values_list("dedup_key", flat=True)) == ["new"]
    assert Alert.objects.count() == 2


def test_resolving_by_hand_closes_a_firing_alert():
    source = make_source()
    alert = services.resolve_alert(alert=fire(source))
    assert alert.status == "resolved"
    assert services.resolve_alert(alert=alert).resolved_at == alert.resolved_at


def test_the_hourly_task_purges_through_the_service(settings):
    from alerts.tasks import purge_alert_events

    settings.ALERTS_EVENT_RETENTION_DAYS = 1
    services.record_events(
        source=make_source(), events=[Event(status="firing", dedup_key="k", title="t")], now=timezone.now() - timedelta(days=2)
    )
    assert purge_alert_events.apply().get() == 1
