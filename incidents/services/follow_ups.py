"""Follow-ups: what must be done after an incident.

Rules enforced here:
- a follow-up has a title; its assignee is a staff user;
- completing one stamps ``completed_at``, moving it back out of completed clears it;
- deleting one marks it ``deleted`` (incident.io's status), so a list still accounts for it;
- an external issue is stored as a reference (provider, name, link); nothing is sent;
- every creation and change sends ``follow_up_created`` / ``follow_up_updated``
  (``incidents.signals``) inside its transaction.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from core.exceptions import DomainError
from core.services.actors import Actor, actor_fields
from incidents.models import ExternalIssueProvider, FollowUp, FollowUpStatus, Incident
from incidents.signals import follow_up_created, follow_up_updated

from .custom_fields import is_http_url

#: the fields ``update_follow_up`` may change
EDITABLE = frozenset({"title", "description", "status", "assignee", "priority", "labels"})


def _clean(fields: dict) -> dict:
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
        if not fields["title"]:
            raise DomainError("missing_title", "A follow-up needs a title", field="title")
    assignee = fields.get("assignee")
    if assignee is not None and not (assignee.is_staff and assignee.is_active):
        raise DomainError("invalid_assignee", "A follow-up is assigned to an active staff user", field="assignee_id")
    if "status" in fields and fields["status"] not in FollowUpStatus.values:
        raise DomainError("invalid_value", f"Unknown follow-up status {fields['status']}", field="status")
    if "labels" in fields:
        labels = [label.strip() for label in fields["labels"] or []]
        if any(not label for label in labels):
            raise DomainError("invalid_value", "A label cannot be empty", field="labels")
        fields["labels"] = list(dict.fromkeys(labels))
    return fields


def _stamp_completion(follow_up: FollowUp) -> None:
    if follow_up.status == FollowUpStatus.COMPLETED:
        follow_up.completed_at = follow_up.completed_at or timezone.now()
    else:
        follow_up.completed_at = None


def create_follow_up(*, incident: Incident, actor: Actor | None, title: str, **fields) -> FollowUp:
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"Unknown follow-up fields: {sorted(unknown)}")
    fields = _clean({"title": title, **fields})
    follow_up = FollowUp(incident=incident, **fields, **actor_fields(actor, "actor"))
    _stamp_completion(follow_up)
    follow_up.full_clean()
    with transaction.atomic():
        follow_up.save()
        follow_up_created.send(sender=FollowUp, follow_up=follow_up, actor=actor)
    return follow_up


def update_follow_up(*, follow_up: FollowUp, actor: Actor | None, **fields) -> FollowUp:
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"Unknown follow-up fields: {sorted(unknown)}")
    fields = _clean(fields)
    previous_status = follow_up.status
    for name, value in fields.items():
        setattr(follow_up, name, value)
    _stamp_completion(follow_up)
    follow_up.full_clean()
    with transaction.atomic():
        follow_up.save()
        follow_up_updated.send(sender=FollowUp, follow_up=follow_up, actor=actor, previous_status=previous_status)
    return follow_up


def delete_follow_up(*, follow_up: FollowUp, actor: Actor | None) -> FollowUp:
    """incident.io keeps a deleted follow-up, with the status ``deleted``."""
    return update_follow_up(follow_up=follow_up, actor=actor, status=FollowUpStatus.DELETED)


def connect_follow_up_issue(*, follow_up: FollowUp, actor: Actor | None, provider: str, url: str, name: str = "") -> FollowUp:
    """Link the follow-up to an issue in another tracker; a reference only, nothing is sent."""
    if provider not in ExternalIssueProvider.values:
        raise DomainError("invalid_value", f"Unknown issue tracker {provider}", field="provider")
    if not is_http_url(url):
        raise DomainError("invalid_value", "The issue URL must be an http(s) URL", field="url")
    follow_up.external_issue_provider = provider
    follow_up.external_issue_url = url
    follow_up.external_issue_name = name or url.rstrip("/").rsplit("/", 1)[-1] or url
    follow_up.full_clean()
    with transaction.atomic():
        follow_up.save()
        follow_up_updated.send(sender=FollowUp, follow_up=follow_up, actor=actor, previous_status=follow_up.status)
    return follow_up


#: issue trackers a link names by its host (a suffix of it), for ``create_follow_up_from_link``
LINK_HOSTS = (
    ("github.com", ExternalIssueProvider.GITHUB),
    ("gitlab.com", ExternalIssueProvider.GITLAB),
    ("atlassian.net", ExternalIssueProvider.JIRA),
    ("linear.app", ExternalIssueProvider.LINEAR),
    ("app.asana.com", ExternalIssueProvider.ASANA),
    ("dev.azure.com", ExternalIssueProvider.AZURE_DEVOPS),
    ("app.clickup.com", ExternalIssueProvider.CLICK_UP),
    ("app.shortcut.com", ExternalIssueProvider.SHORTCUT),
    ("service-now.com", ExternalIssueProvider.SERVICE_NOW),
)


def provider_of_link(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    for suffix, provider in LINK_HOSTS:
        if host == suffix or host.endswith("." + suffix):
            return provider
    return None


def create_follow_up_from_link(*, incident: Incident, actor: Actor | None, url: str) -> FollowUp:
    """A follow-up for an issue that already exists in a known tracker (incident.io's
    create_from_link): the tracker is read from the link's host and the title is the
    issue's name from its last segment, since nothing is fetched from the tracker."""
    if not is_http_url(url):
        raise DomainError("invalid_value", "The issue URL must be an http(s) URL", field="url")
    provider = provider_of_link(url)
    if provider is None:
        raise DomainError("invalid_value", "The link is not to an issue tracker this tracker knows", field="url")
    name = url.rstrip("/").rsplit("/", 1)[-1]
    with transaction.atomic():
        follow_up = create_follow_up(incident=incident, actor=actor, title=f"{provider.label} issue {name}")
        return connect_follow_up_issue(follow_up=follow_up, actor=actor, provider=provider, url=url, name=name)
