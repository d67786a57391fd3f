"""incidents.services.lifecycle: the timeline, status and severity changes, closing, and
the lifecycle timestamps."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.exceptions import DomainError
from incidents import services
from incidents.models import Incident, IncidentTimestamp, IncidentTimestampValue, StatusCategory
from tests.factories import ApiKeyFactory, declare

pytestmark = pytest.mark.django_db


def _stamps(incident):
    return {v.timestamp.slug: v.value for v in IncidentTimestampValue.objects.filter(incident=incident).select_related("timestamp")}


def test_status_change_is_recorded_and_stamps_lifecycle(statuses):
    incident = declare("API errors", triage=True)
    services.change_status(incident=incident, status=statuses["Fixing"], actor=None, message="Fixing now")
    incident.refresh_from_db()
    assert incident.status == statuses["Fixing"]
    update = incident.updates.order_by("-id").first()
    assert (update.previous_status, update.new_status) == (statuses["Triage"], statuses["Fixing"])
    assert "accepted" in _stamps(incident)
    services.close_incident(incident=incident, actor=None, message="Done")
    incident.refresh_from_db()
    assert incident.status.category == StatusCategory.CLOSED
    assert {"resolved", "closed"} <= set(_stamps(incident))


def test_lifecycle_timestamps_keep_the_first_time(statuses):
    incident = declare("Flapping")
    accepted = _stamps(incident)["accepted"]
    services.change_status(incident=incident, status=statuses["Monitoring"], actor=None)
    services.change_status(incident=incident, status=statuses["Investigating"], actor=None)
    assert _stamps(incident)["accepted"] == accepted


def test_closing_needs_a_message(statuses):
    incident = declare("Quiet close")
    with pytest.raises(DomainError) as exc:
        services.post_incident_update(incident=incident, actor=None, new_status=statuses["Closed"])
    assert exc.value.code == "message_required"
    assert incident.updates.count() == 1


def test_an_empty_update_is_refused():
    incident = declare("Nothing to say")
    with pytest.raises(DomainError):
        services.post_incident_update(incident=incident, actor=None, message="  ")


def test_severity_change_records_previous_severity(severities):
    incident = declare("Getting worse", severity=severities["Minor"])
    update = services.change_severity(incident=incident, severity=severities["Critical"], actor=None)
    assert (update.previous_severity, update.new_severity) == (severities["Minor"], severities["Critical"])
    incident.refresh_from_db()
    assert incident.severity == severities["Critical"]


def test_a_repeated_update_returns_the_first_even_if_a_rule_now_refuses_it(statuses):
    key = ApiKeyFactory(roles=["incident_creator"])
    incident = declare("Flaky")
    first = services.post_incident_update(incident=incident, actor=key, message="Looking", idempotency_key="abc")
    again = services.post_incident_update(incident=incident, actor=key, new_status=statuses["Closed"], idempotency_key="abc")
    assert again.pk == first.pk
    assert incident.updates.count() == 2


def test_timestamps_given_at_declaration_win_over_the_lifecycle_stamps(statuses):
    reported = IncidentTimestamp.objects.get(slug="reported")
    accepted = IncidentTimestamp.objects.get(slug="accepted")
    at = timezone.now() - timedelta(hours=2)
    incident = declare("Found late", timestamp_values={reported: at, accepted: None})
    assert _stamps(incident) == {"reported": at}
    services.change_status(incident=incident, status=statuses["Fixing"], actor=None)
    assert _stamps(incident)["reported"] == at and "accepted" in _stamps(incident)


def test_an_incident_is_active_while_its_status_is_in_an_active_category(statuses):
    incident = declare("Active flag")
    assert Incident.objects.get(pk=incident.pk).is_active
    services.close_incident(incident=incident, actor=None, message="Done")
    assert not Incident.objects.get(pk=incident.pk).is_active
    services.change_status(incident=incident, status=statuses["Investigating"], actor=None)
    assert Incident.objects.get(pk=incident.pk).is_active


def test_a_status_moved_to_another_category_takes_its_incidents_with_it(statuses):
    incident = declare("Follows its status")
    services.update_incident_status(status=statuses["Investigating"], actor=None, category="learning")
    assert not Incident.objects.get(pk=incident.pk).is_active
