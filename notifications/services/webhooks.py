"""Webhook endpoints and the events they are owed, in incident.io's shapes.

Rules enforced here:
- a secret is made here (``whsec_`` and 32 random bytes) and shown once, by the caller
  that created or rotated it; rotating keeps the old secret signing alongside the new
  one for ``WEBHOOK_ROTATION_GRACE_HOURS``, so receivers can switch without a gap;
- an event is rendered once, inside the transaction that changed the incident, into a
  ``WebhookMessage`` with its ``webhook-id``; one ``WebhookDelivery`` per endpoint that
  wants it is written beside it (the outbox): committed with the change or not at all;
- ``private_incident.*`` events carry only the incident's id (as incident.io's do) and go
  only to endpoints allowed private events; public ones carry the incident as the v2 API
  renders it;
- replaying queues again an endpoint's deliveries since a time, and adds those it never
  had (it was added or disabled since), with their original ``webhook-id``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone

from core.exceptions import DomainError
from core.models import new_ulid
from incidents import selectors
from incidents.api.rendering import IncidentParts
from incidents.api.v2.serializers.follow_ups import render_follow_up_v2
from incidents.api.v2.serializers.incidents.rendering import render_incident_v2
from incidents.api.v2.serializers.shapes import IncidentStatusV2Serializer
from incidents.models import FollowUp, Incident, Visibility

from ..models import EVENT_TYPES, ChatEvent, DeliveryState, EndpointKind, WebhookDelivery, WebhookEndpoint, WebhookMessage
from ..signals import webhook_deliveries_owed
from ..signing import new_secret

CREATED, UPDATED, STATUS_UPDATED = "incident_created_v2", "incident_updated_v2", "incident_status_updated_v2"


# Endpoints --------------------------------------------------------------------------------


def _clean_url(url: str) -> str:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise DomainError("invalid_value", "The URL must be an http(s) URL", field="url") from None
    return url


def _clean_event_types(event_types, known=EVENT_TYPES) -> list[str]:
    chosen = list(dict.fromkeys(event_types or ()))
    unknown = [name for name in chosen if name not in known]
    if unknown:
        raise DomainError("invalid_value", f"Unknown event type: {', '.join(unknown)}", field="event_types")
    return chosen


def _clean_emails(text: str) -> str:
    addresses = [line.strip() for line in (text or "").replace(",", "\n").splitlines() if line.strip()]
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise DomainError("invalid_value", f"Not an email address: {address}", field="owner_emails") from None
    return "\n".join(addresses)


def create_endpoint(
    *, url: str, event_types=(), description: str = "", private_events: bool = False, owner=None, owner_emails: str = ""
) -> WebhookEndpoint:
    """Register an endpoint with a new secret (the caller shows it once); its owner and
    addresses are emailed if it is disabled for failing (``services.failing``)."""
    chosen = _clean_event_types(event_types)
    if any(name.startswith("private_") for name in chosen):
        private_events = True
    return WebhookEndpoint.objects.create(
        url=_clean_url(url),
        event_types=chosen,
        description=description,
        private_events=private_events,
        secret=new_secret(),
        owner=owner,
        owner_emails=_clean_emails(owner_emails),
    )


def update_endpoint(
    *,
    endpoint: WebhookEndpoint,
    url: str,
    event_types=(),
    description: str = "",
    private_events: bool = False,
    enabled: bool = True,
    owner=None,
    owner_emails: str = "",
) -> WebhookEndpoint:
    """Change what staff may change (the secret only rotates)."""
    endpoint.owner, endpoint.owner_emails = owner, _clean_emails(owner_emails)
    endpoint.url, endpoint.description, endpoint.private_events = _clean_url(url), description, private_events
    endpoint.event_types = _clean_event_types(event_types, ChatEvent.values if endpoint.is_chat else EVENT_TYPES)
    if enabled and endpoint.disabled_reason:
        # Re-enabled by staff: its failures so far are forgiven.
        endpoint.consecutive_failures, endpoint.failing_since = 0, None
    # A form may have set ``enabled`` already: the reason follows the outcome, keeping why
    # an endpoint that stays disabled was disabled (a 410, say).
    endpoint.enabled = enabled
    endpoint.disabled_reason = "" if enabled else (endpoint.disabled_reason or "Disabled by staff")
    endpoint.save()
    return endpoint


def rotate_secret(*, endpoint: WebhookEndpoint, grace: timedelta | None = None) -> str:
    """Give ``endpoint`` a new secret; the old one keeps signing (a second signature)
    for the grace period. Returns the new secret."""
    grace = grace if grace is not None else timedelta(hours=settings.WEBHOOK_ROTATION_GRACE_HOURS)
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        locked.previous_secret, locked.secret = locked.secret, new_secret()
        locked.previous_secret_expires_at = timezone.now() + grace
        locked.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"])
    endpoint.secret, endpoint.previous_secret = locked.secret, locked.previous_secret
    endpoint.previous_secret_expires_at = locked.previous_secret_expires_at
    return locked.secret


def set_enabled(*, endpoint: WebhookEndpoint, enabled: bool, reason: str = "") -> None:
    endpoint.enabled, endpoint.disabled_reason = enabled, "" if enabled else reason
    forgiven = {"consecutive_failures": 0, "failing_since": None} if enabled else {}
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        enabled=enabled, disabled_reason=endpoint.disabled_reason, updated_at=timezone.now(), **forgiven
    )


# Events -----------------------------------------------------------------------------------


def _body(event_type: str, payload: dict) -> str:
    return json.dumps({"event_type": event_type, event_type: payload}, cls=DjangoJSONEncoder, separators=(",", ":"))


def _events(incident: Incident, kinds: list[str], previous_status_id, message: str) -> list[tuple[str, dict]]:
    """(event type, payload) of each kind, as incident.io shapes them."""
    if incident.visibility == Visibility.PRIVATE:
        # incident.io's private events carry the id only: the receiver reads the rest
        # through the API with a key allowed to see private incidents.
        return [(f"private_incident.{kind}", {"id": incident.pk}) for kind in kinds if kind != STATUS_UPDATED]
    config = selectors.incident_config()
    parts = IncidentParts(config)
    loaded = selectors.incidents_with_details().get(pk=incident.pk)
    rendered = render_incident_v2(loaded, parts)
    events = []
    for kind in kinds:
        if kind == STATUS_UPDATED:
            statuses = {status.pk: status for status in config.statuses}
            previous = statuses.get(previous_status_id) or loaded.status
            payload = {
                "incident": rendered,
                "previous_status": parts.once(IncidentStatusV2Serializer, previous),
                "new_status": parts.once(IncidentStatusV2Serializer, loaded.status),
            }
            if message:
                payload["message"] = message
            events.append((f"public_incident.{kind}", payload))
        else:
            events.append((f"public_incident.{kind}", rendered))
    return events


def enabled_endpoints() -> list[WebhookEndpoint]:
    """Every enabled endpoint and chat destination, in one query a change's receivers share."""
    return list(WebhookEndpoint.objects.filter(enabled=True))


def record_incident_event(
    *, incident: Incident, created: bool = False, previous_status_id=None, message: str = "", endpoints=None
) -> list[int]:
    """Record the events an incident's change makes, for every enabled endpoint that
    wants them, in the caller's transaction. Returns the deliveries' ids (none: one
    query, and nothing rendered; none if the caller read ``endpoints``)."""
    endpoints = [e for e in (enabled_endpoints() if endpoints is None else endpoints) if e.kind == EndpointKind.WEBHOOK]
    if not endpoints:
        return []
    kinds = [CREATED] if created else [UPDATED]
    if not created and previous_status_id is not None and previous_status_id != incident.status_id:
        kinds.append(STATUS_UPDATED)
    now, deliveries = timezone.now(), []
    for event_type, payload in _events(incident, kinds, previous_status_id, message):
        wanting = [endpoint for endpoint in endpoints if endpoint.wants(event_type)]
        if not wanting:
            continue
        msg = WebhookMessage.objects.create(
            msg_id=f"msg_{new_ulid()}",
            event_type=event_type,
            body=_body(event_type, payload),
            incident_id=incident.pk,
            created_at=now,
        )
        deliveries += [WebhookDelivery(endpoint=endpoint, message=msg, created_at=now) for endpoint in wanting]
    WebhookDelivery.objects.bulk_create(deliveries)
    return [delivery.pk for delivery in deliveries]


def record_follow_up_event(*, follow_up, created: bool, endpoints=None) -> list[int]:
    """Record ``follow_up_created_v2`` or ``follow_up_updated_v2`` (its ``private_`` twin
    for a private incident's follow-up: the id only) in the caller's transaction."""
    endpoints = [e for e in (enabled_endpoints() if endpoints is None else endpoints) if e.kind == EndpointKind.WEBHOOK]
    if not endpoints:
        return []
    kind = "follow_up_created_v2" if created else "follow_up_updated_v2"
    incident = Incident.objects.only("visibility").get(pk=follow_up.incident_id)
    if incident.visibility == Visibility.PRIVATE:
        event_type, payload = f"private_incident.{kind}", lambda: {"id": follow_up.pk}
    else:
        event_type = f"public_incident.{kind}"

        def payload():
            loaded = FollowUp.objects.select_related("assignee", "priority", "actor_user", "actor_api_key").get(pk=follow_up.pk)
            return render_follow_up_v2(loaded)

    wanting = [endpoint for endpoint in endpoints if endpoint.wants(event_type)]
    if not wanting:
        return []
    now = timezone.now()
    msg = WebhookMessage.objects.create(
        msg_id=f"msg_{new_ulid()}",
        event_type=event_type,
        body=_body(event_type, payload()),
        incident_id=incident.pk,
        created_at=now,
    )
    deliveries = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(endpoint=endpoint, message=msg, created_at=now) for endpoint in wanting]
    )
    return [delivery.pk for delivery in deliveries]


def replay(*, endpoint: WebhookEndpoint, since: datetime, until: datetime | None = None) -> list[int]:
    """Queue again every message since ``since`` (to ``until``) the endpoint wants, with
    its original ``webhook-id``; returns the deliveries queued (enqueued on commit)."""
    messages = WebhookMessage.objects.filter(created_at__gte=since, kind=endpoint.kind)
    if until is not None:
        messages = messages.filter(created_at__lte=until)
    wanted = [pk for pk, event_type in messages.values_list("pk", "event_type") if endpoint.wants(event_type)]
    now = timezone.now()
    with transaction.atomic():
        WebhookDelivery.objects.bulk_create(
            [WebhookDelivery(endpoint=endpoint, message_id=pk, created_at=now) for pk in wanted], ignore_conflicts=True
        )
        return send_again(
            delivery_ids=WebhookDelivery.objects.filter(endpoint=endpoint, message_id__in=wanted).values_list("pk", flat=True)
        )


def send_again(*, delivery_ids) -> list[int]:
    """Queue these deliveries again (the admin's "send again"), with their original
    ``webhook-id``; one under way is left to finish. Enqueued once the caller commits."""
    with transaction.atomic():
        rows = WebhookDelivery.objects.filter(pk__in=list(delivery_ids)).exclude(state=DeliveryState.SENDING)
        ids = list(rows.values_list("pk", flat=True))
        # Sent again, a delivery starts a new retry schedule: its attempts count from now.
        rows.update(
            state=DeliveryState.QUEUED, attempts=0, claimed_until=None, claim_token="", error="", created_at=timezone.now()
        )
        if ids:
            webhook_deliveries_owed.send(sender=WebhookDelivery, delivery_ids=ids)
    return ids
