"""The export: incident.io's audit records, one JSON object a line, from the management
command and from the admin's download; and the retention purge."""

import io
import json
from datetime import timedelta

import jsonschema
import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEntry
from audit.tasks import purge_audit_log
from incidents.models import Severity
from tests.clients import make_client
from tests.contract import _document
from tests.factories import declare

pytestmark = pytest.mark.django_db

FULL = "incident-io-openapi-full.json"


def _validator(component: str):
    document = _document(FULL)
    schema = {"$ref": f"#/components/schemas/{component}", "components": document["components"]}
    return jsonschema.Draft7Validator(schema)


def _export(**options) -> list[dict]:
    out = io.StringIO()
    call_command("exportauditlog", stdout=out, **options)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_a_severity_change_by_a_key_exports_as_incident_ios_severity_updated():
    client = make_client("manage_settings", name="Settings key")
    minor = Severity.objects.get(name="Minor")
    client.put(f"/v1/severities/{minor.pk}", {"name": "Low", "description": "", "rank": minor.rank}, HTTP_USER_AGENT="sdk/1")
    (record,) = [r for r in _export() if r["action"] == "severity.updated"]
    _validator("AuditLogsSeverityUpdatedV1").validate(record)
    assert record["version"] == 1 and record["occurred_at"].endswith("Z")
    assert record["actor"] == {"id": client.key.pk, "name": "Settings key", "type": "api_key"}
    assert record["context"] == {"location": "127.0.0.1", "user_agent": "sdk/1"}
    assert record["targets"] == [{"id": minor.pk, "name": "Low", "type": "severity"}]
    assert record["metadata"]["changes"]["name"] == {"before": "Minor", "after": "Low"}


def test_a_private_incident_read_exports_as_incidents_access_attempted(client, staff):
    from incidents.models import Visibility

    secret = declare("Vault", visibility=Visibility.PRIVATE)
    client.force_login(staff)
    client.get(f"/admin/incidents/incident/{secret.pk}/change/")
    (record,) = [r for r in _export() if r["action"] == "private_incident.access_attempted"]
    _validator("AuditLogsPrivateIncidentAccessAttemptedV1").validate(record)
    assert record["metadata"]["outcome"] == "granted"
    assert record["actor"]["type"] == "user" and record["actor"]["id"] == str(staff.pk)


def test_a_row_of_an_incident_names_the_incident_as_a_second_target():
    incident = declare("Checkout down")
    records = [r for r in _export() if r["action"] == "incident_update.created"]
    assert records and records[0]["targets"][1] == {"id": incident.pk, "type": "incident"}
    assert records[0]["actor"] == {"id": "system", "name": "system", "type": "system"}


def test_the_command_exports_a_time_range_to_a_file(tmp_path):
    declare("Old")
    AuditEntry.objects.update(timestamp=timezone.now() - timedelta(days=10))
    declare("New")
    since = (timezone.now() - timedelta(days=1)).date().isoformat()
    target = tmp_path / "audit.jsonl"
    call_command("exportauditlog", since=since, output=str(target), stderr=io.StringIO())
    names = {r["targets"][0]["name"] for r in map(json.loads, target.read_text().splitlines()) if r["action"] == "incident.created"}
    assert names == {"INC-2: New"}


def test_the_admin_downloads_the_selection_as_json_lines(staff_client):
    declare("Checkout down")
    picked = list(AuditEntry.objects.filter(target_type="incident").values_list("pk", flat=True))
    response = staff_client.post("/admin/audit/auditentry/", {"action": "download_json_lines", "_selected_action": picked})
    assert response.status_code == 200 and response["Content-Type"] == "application/x-ndjson"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert [json.loads(line)["action"] for line in lines] == ["incident.created"]


def test_entries_past_their_retention_are_purged(settings):
    settings.AUDIT_LOG_RETENTION_DAYS = 30
    declare("Old")
    old = set(AuditEntry.objects.values_list("pk", flat=True))
    AuditEntry.objects.update(timestamp=timezone.now() - timedelta(days=31))
    declare("New")
    assert purge_audit_log.apply().get() == len(old)
    assert not AuditEntry.objects.filter(pk__in=old).exists() and AuditEntry.objects.exists()


def test_the_purge_is_in_the_beat_schedule(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "audit.tasks.purge_audit_log" in schedule
