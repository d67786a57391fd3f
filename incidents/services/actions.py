"""Actions: what is being done during an incident.

Rules enforced here:
- an action has a description; its assignee is an active staff user;
- completing one stamps ``completed_at``, moving it back out of completed clears it;
- deleting one marks it ``deleted`` (incident.io's status), so a list still accounts for it;
- every creation and change sends ``action_created`` / ``action_updated``
  (``incidents.signals``) inside its transaction.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.exceptions import DomainError
from core.services.actors import Actor, actor_fields
from incidents.models import Action, ActionStatus, Incident
from incidents.signals import action_created, action_updated

#: the fields ``update_action`` may change
EDITABLE = frozenset({"description", "status", "assignee"})


def _clean(fields: dict) -> dict:
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"Unknown action fields: {sorted(unknown)}")
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
        if not fields["description"]:
            raise DomainError("missing_description", "An action needs a description", field="description")
    assignee = fields.get("assignee")
    if assignee is not None and not (assignee.is_staff and assignee.is_active):
        raise DomainError("invalid_assignee", "An action is assigned to an active staff user", field="assignee_id")
    if "status" in fields and fields["status"] not in ActionStatus.values:
        raise DomainError("invalid_value", f"Unknown action status {fields['status']}", field="status")
    return fields


def _stamp_completion(action: Action) -> None:
    if action.status == ActionStatus.COMPLETED:
        action.completed_at = action.completed_at or timezone.now()
    else:
        action.completed_at = None


def create_action(*, incident: Incident, actor: Actor | None, description: str, **fields) -> Action:
    fields = _clean({"description": description, **fields})
    action = Action(incident=incident, **fields, **actor_fields(actor, "actor"))
    _stamp_completion(action)
    action.full_clean()
    with transaction.atomic():
        action.save()
        action_created.send(sender=Action, action=action, actor=actor)
    return action


def update_action(*, action: Action, actor: Actor | None, **fields) -> Action:
    fields = _clean(fields)
    previous_status = action.status
    for name, value in fields.items():
        setattr(action, name, value)
    _stamp_completion(action)
    action.full_clean()
    with transaction.atomic():
        action.save()
        action_updated.send(sender=Action, action=action, actor=actor, previous_status=previous_status)
    return action


def delete_action(*, action: Action, actor: Actor | None) -> Action:
    """incident.io keeps a deleted action, with the status ``deleted``."""
    return update_action(action=action, actor=actor, status=ActionStatus.DELETED)
