"""Follow-up events (``follow_up_created_v2``, ``follow_up_updated_v2`` and their
``private_`` twins) from the follow-up services' signals, valid against incident.io's
x-webhooks schemas; and ``incident_updated_v2`` from every incident edit service."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from incidents import services as incidents
from incidents.models import FollowUp, IncidentTimestamp, Visibility
from notifications.models import WebhookDelivery, WebhookMessage
from notifications.services import webhooks
from tests.factories import UserFactory, affected_services_option, declare, set_field_values

from .contract import assert_matches_webhook_schema

pytestmark = pytest.mark.django_db


def _bodies(since_id=0):
    return [json.loads(m.body) for m in WebhookMessage.objects.filter(id__gt=since_id).order_by("id")]


def _last_id():
    return WebhookMessage.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_creating_and_updating_a_follow_up_records_both_v2_events_in_incident_ios_shape(statuses, staff):
    webhooks.create_endpoint(url="https://example.com/hook")
    incident = declare()
    before = _last_id()
    follow_up = incidents.create_follow_up(
        incident=incident, actor=None, title="Add a canary", description="Before deploys", assignee=staff, labels=["infra"]
    )
    incidents.update_follow_up(follow_up=FollowUp.objects.get(pk=follow_up.pk), actor=staff, status="completed")
    created, updated = _bodies(before)
    assert created["event_type"] == "public_incident.follow_up_created_v2"
    assert created[created["event_type"]]["title"] == "Add a canary"
    assert created[created["event_type"]]["assignee"]["id"] == str(staff.pk)
    assert updated["event_type"] == "public_incident.follow_up_updated_v2"
    assert updated[updated["event_type"]]["status"] == "completed" and "completed_at" in updated[updated["event_type"]]
    for body in (created, updated):
        assert_matches_webhook_schema(body)


def test_a_private_incidents_follow_ups_send_only_their_id_and_only_to_endpoints_allowed(statuses):
    public_only = webhooks.create_endpoint(url="https://example.com/public")
    allowed = webhooks.create_endpoint(url="https://example.com/private", private_events=True)
    incident = declare(visibility=Visibility.PRIVATE)
    before = _last_id()
    follow_up = incidents.create_follow_up(incident=incident, actor=None, title="Secret fix")
    incidents.delete_follow_up(follow_up=follow_up, actor=None)
    created, deleted = _bodies(before)
    assert created == {"event_type": "private_incident.follow_up_created_v2", "private_incident.follow_up_created_v2": {"id": follow_up.pk}}
    assert deleted["event_type"] == "private_incident.follow_up_updated_v2"
    for body in (created, deleted):
        assert_matches_webhook_schema(body)
    messages = WebhookMessage.objects.filter(id__gt=before)
    assert set(WebhookDelivery.objects.filter(message__in=messages).values_list("endpoint", flat=True)) == {allowed.pk}
    assert not public_only.deliveries.filter(message__in=messages).exists()


def test_an_endpoint_that_chose_other_events_gets_no_follow_up_event(statuses):
    webhooks.create_endpoint(url="https://example.com/hook", event_types=["public_incident.incident_created_v2"])
    incident = declare()
    incidents.create_follow_up(incident=incident, actor=None, title="Nothing for it")
    assert [b["event_type"] for b in _bodies()] == ["public_incident.incident_created_v2"]


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda i: incidents.assign_role(incident=i, role=_lead(), assignee=UserFactory(), actor=None), id="role"),
        pytest.param(lambda i: set_field_values(i, affected_services_option().custom_field, [incidents.FieldValue(option=affected_services_option())]), id="custom_field"),
        pytest.param(lambda i: incidents.set_timestamp_values(incident=i, values={_timestamp(): timezone.now() - timedelta(hours=1)}, actor=None), id="timestamps"),
        pytest.param(lambda i: incidents.connect_external_issue(incident=i, actor=None, provider="linear", url="https://linear.app/x/issue/X-1"), id="external_issue"),
        pytest.param(lambda i: incidents.import_postmortem_document(incident=i, actor=None, title="What happened", content="..."), id="postmortem"),
        pytest.param(lambda i: incidents.change_severity(incident=i, severity=_other_severity(i), actor=None), id="severity"),
        pytest.param(lambda i: incidents.edit_incident(incident=i, actor=None, name="Renamed"), id="edit"),
    ],
)
def test_every_incident_edit_service_records_incident_updated(statuses, severities, edit):
    webhooks.create_endpoint(url="https://example.com/hook")
    incident = declare(severity=next(iter(severities.values())))
    before = _last_id()
    edit(incident)
    bodies = _bodies(before)
    assert [b["event_type"] for b in bodies] == ["public_incident.incident_updated_v2"]
    assert_matches_webhook_schema(bodies[0])


def _lead():
    from incidents.models import IncidentRole

    return IncidentRole.objects.get(role_type="lead")


def _timestamp():
    return IncidentTimestamp.objects.order_by("rank", "id").first()


def _other_severity(incident):
    from incidents.models import Severity

    return Severity.objects.exclude(pk=incident.severity_id).first()
