"""incidents.services.configuration: severities, statuses, types and roles."""

import pytest

from core.exceptions import DomainError
from incidents import services
from incidents.models import IncidentStatus, IncidentType
from tests.factories import declare

pytestmark = pytest.mark.django_db


def test_in_use_severity_cannot_be_deleted(severities):
    declare("Uses minor", severity=severities["Minor"])
    with pytest.raises(DomainError) as exc:
        services.delete_severity(severity=severities["Minor"], actor=None)
    assert exc.value.code == "in_use"


def test_lead_role_cannot_be_deleted(lead_role):
    with pytest.raises(DomainError):
        services.delete_incident_role(role=lead_role, actor=None)


def test_choosing_a_new_default_type_unsets_the_old_one():
    old = IncidentType.objects.get(is_default=True)
    new = services.create_incident_type(actor=None, name="Platform", description="", is_default=True)
    old.refresh_from_db()
    assert new.is_default and not old.is_default


def test_duplicate_severity_name_is_a_conflict(severities):
    with pytest.raises(DomainError) as exc:
        services.create_severity(actor=None, name="Minor")
    assert exc.value.field == "name"


def test_deleting_a_status_in_use_is_refused():
    status = IncidentStatus.objects.get(name="Investigating")
    declare("Live one", status=status)
    with pytest.raises(DomainError):
        services.delete_incident_status(status=status, actor=None)
