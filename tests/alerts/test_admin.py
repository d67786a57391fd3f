"""The staff screens: sources (secret shown once, rotated), alerts firing first, and an
alert's raw events newest first."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts import services
from alerts.models import AlertSource
from alerts.services import Event
from core.exceptions import DomainError
from tests.alerts.factories import make_source

pytestmark = pytest.mark.django_db


def shown_secret(response) -> str:
    html = response.content.decode()
    return re.search(r"Secret for .*?<code>([^<]+)</code>", html).group(1)


def test_adding_a_source_shows_its_secret_once_and_stores_only_its_hash(staff_client):
    response = staff_client.post(
        reverse("admin:alerts_alertsource_add"),
        {
            "name": "Prometheus",
            "source_type": "alertmanager",
            "title_reference": "labels.alertname",
            "severity_path": "labels.severity",
        },
        follow=True,
    )
    assert response.status_code == 200
    secret = shown_secret(response)
    source = AlertSource.objects.get()
    assert secret not in (source.secret_hash, source.secret_hint)
    assert source.title_binding == {"reference": "labels.alertname"}
    assert services.admit_source(source.pk, secret, source_type="alertmanager") == source
    page = staff_client.get(reverse("admin:alerts_alertsource_change", args=[source.pk])).content.decode()
    assert secret not in page and f"/v2/alert_events/alertmanager/{source.pk}" in page


def test_rotating_shows_a_new_secret_and_the_old_one_stops(staff_client):
    source = make_source()
    response = staff_client.post(
        reverse("admin:alerts_alertsource_changelist"), {"action": "rotate_secrets", "_selected_action": [source.pk]}, follow=True
    )
    new = shown_secret(response)
    assert services.admit_source(source.pk, new, source_type="http")
    with pytest.raises(DomainError):
        services.admit_source(source.pk, source.secret, source_type="http")


def test_editing_a_source_keeps_its_kind_and_secret(staff_client):
    source = make_source()
    response = staff_client.post(
        reverse("admin:alerts_alertsource_change", args=[source.pk]),
        {
            "name": "Renamed",
            "title_reference": "metadata.name",
            "description_reference": "",
            "dedup_key_path": "",
            "severity_path": "",
        },
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.name == "Renamed" and source.title_binding == {"reference": "metadata.name"} and source.source_type == "http"
    assert services.admit_source(source.pk, source.secret, source_type="http")


def fire(source, key, *, status="firing", at=None, body="{}"):
    return services.record_events(
        source=source, events=[Event(status=status, dedup_key=key, title=f"Alert {key}", body=body)], now=at
    )[0]


def test_the_alert_list_shows_firing_first_with_source_count_and_last_seen(staff_client):
    source = make_source(name="Scripts")
    now = timezone.now()
    fire(source, "resolved-recently", at=now)
    fire(source, "resolved-recently", status="resolved", at=now)
    fire(source, "firing-long-ago", at=now - timedelta(hours=5))
    fire(source, "firing-long-ago", at=now - timedelta(hours=4))
    html = staff_client.get(reverse("admin:alerts_alert_changelist")).content.decode()
    assert html.index("Alert firing-long-ago") < html.index("Alert resolved-recently")
    assert "Scripts" in html and "Firing" in html and "Resolved" in html


@pytest.mark.parametrize("n", [1, 20])
def test_the_alert_list_query_count_is_constant(staff_client, n, django_assert_num_queries):
    source = make_source()
    for i in range(n):
        fire(source, f"k{i}")
    staff_client.get(reverse("admin:alerts_alert_changelist"))
    # session, user, the filtered count, the total count, the page with its sources, the
    # source filter's choices
    with django_assert_num_queries(6):
        staff_client.get(reverse("admin:alerts_alert_changelist"))


def test_an_alerts_page_shows_its_raw_events_newest_first_escaped(staff_client):
    source = make_source()
    now = timezone.now()
    alert = fire(source, "k", at=now - timedelta(minutes=2), body='{"n": "event-one"}')
    fire(source, "k", at=now - timedelta(minutes=1), body='{"n": "<script>event-two</script>"}')
    html = staff_client.get(reverse("admin:alerts_alert_change", args=[alert.pk])).content.decode()
    assert html.index("event-two") < html.index("event-one")
    assert "<script>event-two" not in html and "&lt;script&gt;event-two" in html
    assert "Add alert" not in html


def test_staff_groups_see_alerts_and_only_managers_change_sources():
    from django.contrib.auth.models import Group

    from incidents.services.groups import MANAGERS, RESPONDERS, VIEWERS, sync_staff_groups

    sync_staff_groups()
    codenames = {
        name: set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        for name in (VIEWERS, RESPONDERS, MANAGERS)
    }
    assert {"view_alert", "view_alertsource", "view_alertevent"} <= codenames[VIEWERS]
    assert "change_alertsource" not in codenames[RESPONDERS]
    assert {"add_alertsource", "change_alertsource", "delete_alertsource"} <= codenames[MANAGERS]
