from datetime import timedelta

import pytest
from django.utils import timezone

from core.exceptions import DomainError
from incidents import services
from incidents.models import Incident, IncidentTimestampValue
from incidents.services import PastUpdate

pytestmark = pytest.mark.django_db


def test_a_past_incident_keeps_the_times_of_its_timeline(statuses, severities):
    declared = timezone.now() - timedelta(days=3)
    incident = services.record_past_incident(
        actor=None,
        declared_at=declared,
        name="Disk full",
        triage=True,
        severity=severities["Major"],
        updates=[
            PastUpdate(declared + timedelta(minutes=20), "Investigating", statuses["Investigating"]),
            PastUpdate(declared + timedelta(hours=5), "Fixed", statuses["Monitoring"]),
            PastUpdate(declared + timedelta(days=1), "Over", statuses["Closed"]),
        ],
    )
    incident = Incident.objects.get(pk=incident.pk)
    assert incident.created_at == declared
    assert incident.last_activity_at == declared + timedelta(days=1)
    assert incident.updated_at > declared + timedelta(days=2)
    assert list(incident.updates.order_by("created_at").values_list("created_at", flat=True)) == [
        declared, declared + timedelta(minutes=20), declared + timedelta(hours=5), declared + timedelta(days=1)
    ]
    stamps = dict(IncidentTimestampValue.objects.filter(incident=incident).values_list("timestamp__slug", "value"))
    assert stamps == {
        "reported": declared,
        "accepted": declared + timedelta(minutes=20),
        "resolved": declared + timedelta(days=1),
        "closed": declared + timedelta(days=1),
    }


def test_past_updates_out_of_order_are_refused(statuses):
    declared = timezone.now() - timedelta(days=1)
    with pytest.raises(DomainError, match="in order"):
        services.record_past_incident(
            actor=None, declared_at=declared, name="Backwards",
            updates=[PastUpdate(declared - timedelta(hours=1), "Before it began", statuses["Investigating"])],
        )
    assert not Incident.objects.filter(name="Backwards").exists()


def test_a_past_incident_cannot_end_in_the_future(statuses):
    with pytest.raises(DomainError, match="past"):
        services.record_past_incident(
            actor=None, declared_at=timezone.now() - timedelta(hours=1), name="Tomorrow",
            updates=[PastUpdate(timezone.now() + timedelta(days=1), "Not yet", statuses["Closed"])],
        )
