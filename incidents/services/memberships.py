"""Members of private incidents: the staff users who may see one besides those allowed
to manage private incidents (``incidents.models.visibility``).

Rules enforced here:
- whoever declares a private incident, and everyone given a role on it (its lead
  included), becomes a member, as does everyone holding a role when it turns private;
- only staff users can be members (the admin is where a member sees it);
- every change is written to the audit log (``incidents.audit``).
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from core.exceptions import DomainError
from core.services.actors import Actor, actor_fields
from incidents.models import Incident, IncidentMembership, IncidentRoleAssignment

audit = logging.getLogger("incidents.audit")


def _actor_name(actor: Actor | None) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, AbstractBaseUser):
        return f"user {actor.get_username()}"
    return f"API key {actor.name}"


def add_members_by_right(incident: Incident, *, actor: Actor | None, users=(), read_roles: bool = True) -> None:
    """Make ``users``, the incident's creator and (``read_roles``) its role holders members
    of ``incident`` if it is private (no query when it is public). Called inside the
    caller's transaction."""
    if not incident.is_private:
        return
    ids = {user.pk for user in users if user is not None}
    if incident.creator_user_id:
        ids.add(incident.creator_user_id)
    if read_roles:
        ids |= set(IncidentRoleAssignment.objects.filter(incident=incident).values_list("assignee_id", flat=True))
    if ids:
        IncidentMembership.objects.bulk_create(
            [IncidentMembership(incident=incident, user_id=pk, **actor_fields(actor, "added_by")) for pk in ids],
            ignore_conflicts=True,
        )


def add_incident_member(*, incident: Incident, user: AbstractBaseUser, actor: Actor | None) -> IncidentMembership:
    """Make ``user`` a member of the private ``incident`` (already one: nothing changes)."""
    if not incident.is_private:
        raise DomainError("not_private", "Only a private incident has members", field="incident_id")
    if not (user.is_active and user.is_staff):
        raise DomainError("not_staff", "Only an active staff user can be a member", field="user_id")
    with transaction.atomic():
        membership, created = IncidentMembership.objects.get_or_create(
            incident=incident, user=user, defaults=actor_fields(actor, "added_by")
        )
    if created:
        audit.info("%s made %s a member of %s", _actor_name(actor), user.get_username(), incident.reference)
    return membership


def revoke_incident_membership(*, incident: Incident, user: AbstractBaseUser, actor: Actor | None) -> bool:
    """Take ``user``'s membership of ``incident`` away; they lose sight of it at once
    (unless they may manage private incidents). False if they were no member."""
    deleted, _ = IncidentMembership.objects.filter(incident=incident, user=user).delete()
    if deleted:
        audit.info("%s revoked %s's membership of %s", _actor_name(actor), user.get_username(), incident.reference)
    return bool(deleted)
