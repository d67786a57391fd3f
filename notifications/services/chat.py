"""Chat destinations (Slack, Mattermost, Teams, Discord, a generic JSON post) and the
messages they are owed.

Rules enforced here:
- a chat destination is a ``WebhookEndpoint`` of a chat kind, delivered, retried and
  logged as webhooks are; its ``event_types`` are ``ChatEvent`` values (none: all);
- one change of an incident is one message per destination, led by the first of the
  change's events (declared, resolved, status changed, severity changed, update posted)
  the destination wants; a change it wants none of sends it nothing;
- the message is rendered once per (kind, leading event) inside the transaction that
  changed the incident, with its outbox rows (``WebhookMessage``, ``WebhookDelivery``);
- a private incident's news goes only to destinations allowed private events.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from core.exceptions import DomainError
from core.models import new_ulid
from incidents.models import FollowUp, Incident, IncidentRoleAssignment, IncidentStatus, RoleType, Severity, StatusCategory

from ..chat import News, render
from ..models import ChatEvent, EndpointKind, WebhookDelivery, WebhookEndpoint, WebhookMessage
from ..signing import new_secret
from .webhooks import _clean_emails, _clean_url, update_endpoint

CHAT_KINDS = [kind for kind in EndpointKind.values if kind != EndpointKind.WEBHOOK]
#: the order in which a change's events lead its message
ORDER = list(ChatEvent.values)
RESOLVED_CATEGORIES = {StatusCategory.LEARNING, StatusCategory.CLOSED}
#: ``previous_severity_id`` not given: the severity did not change (None is "no severity")
UNCHANGED = object()


# Destinations -----------------------------------------------------------------------------


def _clean(kind: str, events) -> list[str]:
    if kind not in CHAT_KINDS:
        raise DomainError("invalid_value", f"Unknown chat destination kind: {kind}", field="kind")
    chosen = list(dict.fromkeys(events or ()))
    unknown = [name for name in chosen if name not in ChatEvent.values]
    if unknown:
        raise DomainError("invalid_value", f"Unknown chat event: {', '.join(unknown)}", field="event_types")
    return chosen


def create_destination(
    *, kind: str, url: str, events=(), description: str = "", private_events: bool = False, owner=None, owner_emails: str = ""
) -> WebhookEndpoint:
    """Register a chat destination (its secret signs the posts, which the generic JSON
    receiver may check; chat services ignore it)."""
    return WebhookEndpoint.objects.create(
        kind=kind,
        event_types=_clean(kind, events),
        url=_clean_url(url),
        description=description,
        private_events=private_events,
        secret=new_secret(),
        owner=owner,
        owner_emails=_clean_emails(owner_emails),
    )


def update_destination(*, destination: WebhookEndpoint, kind: str, url: str, events=(), **fields) -> WebhookEndpoint:
    """Change what staff may change (``webhooks.update_endpoint``'s rules)."""
    destination.kind = kind
    return update_endpoint(endpoint=destination, url=url, event_types=_clean(kind, events), **fields)


# News -------------------------------------------------------------------------------------


def _lead(incident: Incident) -> str:
    assignment = (
        IncidentRoleAssignment.objects.filter(incident=incident, role__role_type=RoleType.LEAD).select_related("assignee").first()
    )
    if assignment is None:
        return "Unassigned"
    user = assignment.assignee
    return user.get_full_name() or user.get_username()


def _news(incident: Incident, events: list[str], lead: str, **extra) -> dict[str, News]:
    """The news of one change, by leading event."""
    base = dict(
        events=tuple(events),
        incident_id=incident.pk,
        reference=incident.reference,
        name=incident.name,
        severity=incident.severity.name if incident.severity_id else "None",
        status=incident.status.name,
        lead=lead,
        url=incident.permalink,
        private=incident.is_private,
        occurred_at=timezone.now(),
        **extra,
    )
    return {event: News(event=event, **base) for event in events}


def _destinations(endpoints) -> list[WebhookEndpoint]:
    if endpoints is None:
        return list(WebhookEndpoint.objects.filter(enabled=True, kind__in=CHAT_KINDS))
    return [endpoint for endpoint in endpoints if endpoint.is_chat]


def _record(incident: Incident, events: list[str], news_of, destinations: list[WebhookEndpoint]) -> list[int]:
    """Outbox rows for every destination that wants one of ``events``."""
    if not events:
        return []
    if incident.is_private:
        destinations = [d for d in destinations if d.private_events]
    leading: dict[tuple[str, str], list[WebhookEndpoint]] = {}
    for destination in destinations:
        wanted = next((event for event in events if destination.wants(event)), None)
        if wanted is not None:
            leading.setdefault((destination.kind, wanted), []).append(destination)
    if not leading:
        return []
    news, now, deliveries = news_of(), timezone.now(), []
    for (kind, event), wanting in leading.items():
        message = WebhookMessage.objects.create(
            kind=kind,
            msg_id=f"msg_{new_ulid()}",
            event_type=f"chat.{event}",
            body=json.dumps(render(kind, news[event]), cls=DjangoJSONEncoder, separators=(",", ":")),
            incident_id=incident.pk,
            created_at=now,
        )
        deliveries += [WebhookDelivery(endpoint=d, message=message, created_at=now) for d in wanting]
    WebhookDelivery.objects.bulk_create(deliveries)
    return [delivery.pk for delivery in deliveries]


def record_incident_news(
    *,
    incident: Incident,
    created: bool = False,
    previous_status_id=None,
    previous_severity_id=UNCHANGED,
    message: str = "",
    endpoints=None,
) -> list[int]:
    """Record the chat messages an incident's change makes, in the caller's transaction.
    Returns the deliveries' ids (no destination: no query if the caller read ``endpoints``)."""
    destinations = _destinations(endpoints)
    if not destinations:
        return []
    incident = Incident.objects.select_related("status", "severity").get(pk=incident.pk)
    previous_status = previous_severity = None
    if created:
        events = [ChatEvent.DECLARED]
    else:
        events = []
        if previous_status_id is not None and previous_status_id != incident.status_id:
            previous_status = IncidentStatus.objects.get(pk=previous_status_id)
            if incident.status.category in RESOLVED_CATEGORIES and previous_status.category not in RESOLVED_CATEGORIES:
                events.append(ChatEvent.RESOLVED)
            events.append(ChatEvent.STATUS_CHANGED)
        if previous_severity_id is not UNCHANGED and previous_severity_id != incident.severity_id:
            if previous_severity_id is not None:
                previous_severity = Severity.objects.filter(pk=previous_severity_id).first()
            events.append(ChatEvent.SEVERITY_CHANGED)
        if message.strip():
            events.append(ChatEvent.UPDATE_POSTED)
    text = incident.summary if created else message

    def news_of():
        return _news(
            incident,
            events,
            _lead(incident),
            text=text,
            previous_status=previous_status.name if previous_status else None,
            previous_severity=previous_severity.name if previous_severity else ("None" if ChatEvent.SEVERITY_CHANGED in events else None),
        )

    return _record(incident, sorted(events, key=ORDER.index), news_of, destinations)


def record_follow_up_news(*, follow_up: FollowUp, endpoints=None) -> list[int]:
    """Record the chat messages of a new follow-up, in the caller's transaction."""
    destinations = _destinations(endpoints)
    if not destinations:
        return []
    incident = Incident.objects.select_related("status", "severity").get(pk=follow_up.incident_id)
    events = [ChatEvent.FOLLOW_UP_CREATED]
    text = "\n\n".join(part for part in (follow_up.title, follow_up.description) if part)
    return _record(
        incident, events, lambda: _news(incident, events, _lead(incident), text=text, follow_up=follow_up.title), destinations
    )

