import pytest

from incidents.models import CustomFieldValue, FieldType, IncidentRole, IncidentRoleAssignment, IncidentTimestamp
from tests.factories import CustomFieldFactory, CustomFieldOptionFactory, UserFactory, declare

# --- what declaring an incident costs, in v1 and v2 alike --------------------------------------
#
# The budgets of the declaration query-count tests (v1/test_incidents.py and
# v2/test_incidents.py), first with cold caches, then warm (with acceleration, the key and
# the configuration then come from the cache; without it, they are read for every request).
# SAVEPOINT/RELEASE are the service's transaction, nested in the test's.

# Key; configuration (roles, custom fields, their options, timestamps), which resolves the
# body and renders the answer; severities, types and statuses (loaded into the
# configuration on first use).
DECLARATION_READS = 1 + 4 + 3
# Users by id; users by email; SAVEPOINT; first update; timestamp values; role assignments;
# custom field values; counter (UPDATE, then SELECT); incident; the enabled webhook
# endpoints (none here: no event rendered); RELEASE. The answer is rendered from what was
# written: no re-read. The audit log: one insert per table written (first update,
# timestamp values, role assignments, custom field values, incident), whatever the rows.
DECLARATION_WRITES = 2 + 10 + 5


@pytest.fixture
def declaration_body(severities):
    """A declaration with a severity, 2 role assignments (one assignee named by id, one by
    email), 2 custom fields (a multi-select with two options, a text) and a timestamp."""
    affected = CustomFieldFactory(name="Affected services", field_type=FieldType.MULTI_SELECT)
    api, web = (CustomFieldOptionFactory(custom_field=affected, value=value) for value in ("API", "Web"))
    cause = CustomFieldFactory(name="Root cause", field_type=FieldType.TEXT)
    lead, reporter = UserFactory(), UserFactory()
    roles = {role.role_type: role.pk for role in IncidentRole.objects.all()}
    impact_started = IncidentTimestamp.objects.get(name="Impact started at")
    # The first declaration ever creates the reference counter; measure the ones after.
    declare("An earlier incident")

    def make(idempotency_key):
        return {
            "idempotency_key": idempotency_key,
            "visibility": "public",
            "name": "Checkout is down",
            "severity_id": severities["Major"].pk,
            "incident_role_assignments": [
                {"incident_role_id": roles["lead"], "assignee": {"id": str(lead.pk)}},
                {"incident_role_id": roles["reporter"], "assignee": {"email": reporter.email}},
            ],
            "custom_field_entries": [
                {"custom_field_id": affected.pk, "values": [{"value_option_id": api.pk}, {"value_option_id": web.pk}]},
                {"custom_field_id": cause.pk, "values": [{"value_text": "A bad deploy"}]},
            ],
            "incident_timestamp_values": [
                {"incident_timestamp_id": impact_started.pk, "value": "2024-05-01T10:00:00Z"}
            ],
        }

    return make


def assert_declaration_stored(incident_id):
    """What ``declaration_body`` declares was written: its 2 role assignments and 3 custom
    field values."""
    assert IncidentRoleAssignment.objects.filter(incident_id=incident_id).count() == 2
    assert CustomFieldValue.objects.filter(incident_id=incident_id).count() == 3
