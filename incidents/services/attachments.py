"""Attachments and related incidents: what else an incident touches.

Rules enforced here:
- a resource is attached from its link: there are no integrations here to look one up
  by its id, so the link is required, and for the kinds with a known link shape (GitHub
  pull requests, GitLab merge requests, Jira issues, PagerDuty incidents, Sentry issues)
  the link must have it, and names the resource's id and a title;
- an emoji goes with an arbitrary link only (incident.io's rule);
- attaching the same resource to the same incident again answers the first attachment
  (a unique constraint settles concurrent attempts);
- two incidents are related once, whichever side relates them, and never to themselves.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction

from core.exceptions import DomainError
from core.services.actors import Actor, actor_fields
from incidents.models import Incident, IncidentAttachment, IncidentRelationship, ResourceType

from .custom_fields import is_http_url

#: resource type -> (link pattern, how the id reads, how the default title reads)
LINK_SHAPES = {
    ResourceType.GITHUB_PULL_REQUEST: (r"^/(?P<repo>[^/]+/[^/]+)/pull/(?P<n>\d+)/?$", "{repo}#{n}", "{repo}#{n}"),
    ResourceType.GITLAB_MERGE_REQUEST: (r"^/(?P<repo>.+?)/-/merge_requests/(?P<n>\d+)/?$", "{repo}!{n}", "{repo}!{n}"),
    ResourceType.JIRA_ISSUE: (r"^/browse/(?P<key>[A-Z][A-Z0-9_]*-\d+)/?$", "{key}", "{key}"),
    ResourceType.PAGER_DUTY_INCIDENT: (r"^/incidents/(?P<id>[A-Za-z0-9]+)/?$", "{id}", "PagerDuty incident {id}"),
    ResourceType.SENTRY_ISSUE: (r"^/(?:organizations/[^/]+/)?issues/(?P<id>\d+)/?$", "{id}", "Sentry issue {id}"),
}


def _resource_from_link(resource_type: str, url: str) -> tuple[str, str]:
    """The resource's id and default title, read from its link."""
    if not is_http_url(url):
        raise DomainError("invalid_value", "The resource's url must be an http(s) URL", field="resource.url")
    shape = LINK_SHAPES.get(resource_type)
    if shape is None:
        # Any other kind is known by its link.
        parts = urlsplit(url)
        return url, f"{parts.hostname}{parts.path}".rstrip("/")
    pattern, id_format, title_format = shape
    match = re.match(pattern, urlsplit(url).path)
    if match is None:
        label = ResourceType(resource_type).label
        raise DomainError("invalid_value", f"The url is not a link to a {label}", field="resource.url")
    return id_format.format(**match.groupdict()), title_format.format(**match.groupdict())


def attach_resource(
    *, incident: Incident, actor: Actor | None, resource_type: str, url: str = "", external_id: str = "",
    title: str = "", emoji: str = "",
) -> tuple[IncidentAttachment, bool]:
    """The attachment, and whether this call created it (False: it was attached already)."""
    if resource_type not in ResourceType.values or resource_type == ResourceType.SCRUBBED:
        raise DomainError("invalid_value", f"Resources of type {resource_type} cannot be attached", field="resource.resource_type")
    if external_id and url:
        raise DomainError("invalid_value", "Send the resource's external_id or its url, not both", field="resource.url")
    if not url:
        # incident.io looks an id up through the integration; there are none here.
        raise DomainError(
            "integration_not_installed", "No integration here can look a resource up by its id: send its url",
            field="resource.external_id",
        )
    if emoji and resource_type != ResourceType.ARBITRARY_URL:
        raise DomainError("invalid_value", "An emoji goes with an arbitrary_url only", field="resource.emoji")
    resource_id, default_title = _resource_from_link(resource_type, url)
    first = IncidentAttachment.objects.filter(incident=incident, resource_type=resource_type, external_id=resource_id).first()
    if first is not None:
        return first, False
    attachment = IncidentAttachment(
        incident=incident, resource_type=resource_type, external_id=resource_id, permalink=url,
        title=(title or "").strip() or default_title[:255], emoji=emoji.strip(":"), **actor_fields(actor, "actor"),
    )
    attachment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            attachment.save(force_insert=True)
    except IntegrityError:
        return IncidentAttachment.objects.get(incident=incident, resource_type=resource_type, external_id=resource_id), False
    return attachment, True


def detach_resource(*, attachment: IncidentAttachment, actor: Actor | None) -> None:
    attachment.delete()


def relate_incidents(*, incident: Incident, other: Incident, actor: Actor | None) -> IncidentRelationship:
    """Relate two incidents (again: nothing changes); each then lists the other."""
    if incident.pk == other.pk:
        raise DomainError("invalid_value", "An incident is not related to itself", field="related")
    low, high = sorted([incident, other], key=lambda i: i.pk)
    relationship, _ = IncidentRelationship.objects.get_or_create(
        incident=low, related=high, defaults=actor_fields(actor, "actor")
    )
    return relationship


def unrelate_incidents(*, incident: Incident, other: Incident, actor: Actor | None) -> None:
    low, high = sorted([incident, other], key=lambda i: i.pk)
    IncidentRelationship.objects.filter(incident=low, related=high).delete()
