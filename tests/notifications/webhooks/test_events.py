"""Events recorded when incidents change: incident.io's event types and envelope, bodies
valid against its document, outbox rows committed with the change, private events only
to endpoints allowed them."""

import json

import pytest
from django.db import transaction
from jsonschema.exceptions import ValidationError

from incidents import services as incidents
from incidents.models import IncidentStatus, StatusCategory, Visibility
from notifications.models import WebhookDelivery, WebhookMessage
from notifications.services import webhooks
from tests.factories import declare

from .contract import assert_matches_webhook_schema

pytestmark = pytest.mark.django_db


def _messages():
    return [json.loads(m.body) for m in WebhookMessage.objects.order_by("id")]


def test_declaring_an_incident_records_incident_created_in_incident_ios_shape(statuses, severities):
    endpoint = webhooks.create_endpoint(url="https://example.com/hook")
    incident = declare(name="Payments down", severity=next(iter(severities.values())))
    (body,) = _messages()
    assert body["event_type"] == "public_incident.incident_created_v2"
    assert body["public_incident.incident_created_v2"]["id"] == incident.pk
    assert body["public_incident.incident_created_v2"]["name"] == "Payments down"
    assert_matches_webhook_schema(body)
    assert WebhookDelivery.objects.get().endpoint == endpoint


def test_a_status_change_records_updated_and_status_updated_both_valid(statuses):
    webhooks.create_endpoint(url="https://example.com/hook")
    incident = declare()
    closed = IncidentStatus.objects.filter(category=StatusCategory.CLOSED).first()
    previous = incident.status
    incidents.post_incident_update(incident=incident, actor=None, message="Fixed", new_status=closed)
    bodies = _messages()
    assert [b["event_type"] for b in bodies] == [
        "public_incident.incident_created_v2",
        "public_incident.incident_updated_v2",
        "public_incident.incident_status_updated_v2",
    ]
    change = bodies[2]["public_incident.incident_status_updated_v2"]
    assert change["previous_status"]["id"] == previous.pk and change["new_status"]["id"] == closed.pk
    assert change["message"] == "Fixed"
    for body in bodies:
        assert_matches_webhook_schema(body)


def test_an_update_without_a_status_change_sends_no_status_event(statuses):
    webhooks.create_endpoint(url="https://example.com/hook")
    incident = declare()
    incidents.edit_incident(incident=incident, actor=None, name="Renamed")
    assert [b["event_type"] for b in _messages()][1:] == ["public_incident.incident_updated_v2"]
    assert _messages()[1]["public_incident.incident_updated_v2"]["name"] == "Renamed"


def test_private_incidents_go_only_to_endpoints_allowed_private_events(statuses):
    public_only = webhooks.create_endpoint(url="https://example.com/public")
    private = webhooks.create_endpoint(url="https://example.com/private", private_events=True)
    incident = declare(visibility=Visibility.PRIVATE)
    (body,) = _messages()
    assert body == {
        "event_type": "private_incident.incident_created_v2",
        "private_incident.incident_created_v2": {"id": incident.pk},
    }
    assert_matches_webhook_schema(body)
    assert list(WebhookDelivery.objects.values_list("endpoint", flat=True)) == [private.pk]
    assert not public_only.deliveries.exists()


def test_an_endpoint_gets_only_the_event_types_it_chose(statuses):
    chosen = webhooks.create_endpoint(url="https://example.com/a", event_types=["public_incident.incident_updated_v2"])
    incident = declare()
    assert not chosen.deliveries.exists()
    incidents.edit_incident(incident=incident, actor=None, summary="More")
    assert [d.message.event_type for d in chosen.deliveries.all()] == ["public_incident.incident_updated_v2"]


def test_disabled_endpoints_and_no_endpoints_record_nothing(statuses):
    endpoint = webhooks.create_endpoint(url="https://example.com/a")
    webhooks.set_enabled(endpoint=endpoint, enabled=False)
    declare()
    assert not WebhookMessage.objects.exists()


def test_the_outbox_rows_roll_back_with_the_change(statuses):
    webhooks.create_endpoint(url="https://example.com/a")
    with pytest.raises(RuntimeError), transaction.atomic():
        declare()
        assert WebhookDelivery.objects.exists()  # written in the declaring transaction...
        raise RuntimeError("the caller's transaction fails after the declaration")
    assert not WebhookMessage.objects.exists() and not WebhookDelivery.objects.exists()


def test_the_validator_rejects_a_body_missing_a_required_field(statuses):
    webhooks.create_endpoint(url="https://example.com/a")
    declare()
    (body,) = _messages()
    del body["public_incident.incident_created_v2"]["reference"]
    with pytest.raises(ValidationError):
        assert_matches_webhook_schema(body)


def test_unknown_event_types_are_refused():
    from core.exceptions import DomainError

    with pytest.raises(DomainError):
        webhooks.create_endpoint(url="https://example.com/a", event_types=["public_incident.nope"])


def test_incident_ios_own_sdk_parses_the_bodies_unchanged(statuses):
    from incident_io.models import IncidentV2, IncidentWithStatusChangeV2

    webhooks.create_endpoint(url="https://example.com/hook")
    incident = declare(name="Parsed by the SDK")
    closed = IncidentStatus.objects.filter(category=StatusCategory.CLOSED).first()
    incidents.post_incident_update(incident=incident, actor=None, message="Done", new_status=closed)
    created, updated, status_change = _messages()
    parsed = IncidentV2.from_dict(created["public_incident.incident_created_v2"])
    assert parsed.id == incident.pk and parsed.name == "Parsed by the SDK"
    assert IncidentV2.from_dict(updated["public_incident.incident_updated_v2"]).incident_status.id == closed.pk
    change = IncidentWithStatusChangeV2.from_dict(status_change["public_incident.incident_status_updated_v2"])
    assert change.new_status.id == closed.pk and change.incident.id == incident.pk and change.message == "Done"
