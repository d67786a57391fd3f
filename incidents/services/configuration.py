"""Configuration incidents are run with: severities, statuses, types, roles and
timestamps (custom fields and their options are in ``custom_fields``).

Every change is validated with the model's own checks (``full_clean``) and announced with
``signals.configuration_changed``; anything in use by an incident cannot be deleted.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from core.exceptions import Conflict, DomainError
from core.services.actors import Actor
from incidents.models import Incident, IncidentRole, IncidentStatus, IncidentType, Severity
from incidents.signals import configuration_changed


def save_configuration_object(obj, **fields):
    """Set ``fields`` on ``obj`` and save it, refusing what its model's checks refuse
    (a clashing name is a conflict)."""
    for key, value in fields.items():
        setattr(obj, key, value)
    try:
        with transaction.atomic():
            obj.full_clean(validate_unique=True, validate_constraints=True)
            obj.save()
            if isinstance(obj, IncidentStatus):
                # A status moved to another category takes its incidents with it.
                Incident.objects.filter(status=obj).exclude(is_active=obj.is_active).update(is_active=obj.is_active)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        code = "conflict" if any("already exists" in m for m in messages) else "invalid_value"
        raise DomainError(code, " ".join(messages), field=None if field == "__all__" else field) from None
    configuration_changed.send(sender=type(obj))
    return obj


def delete_configuration_object(obj) -> None:
    try:
        with transaction.atomic():
            obj.delete()
    except ProtectedError:
        raise Conflict("in_use", f"{obj} is in use by incidents and cannot be deleted") from None
    configuration_changed.send(sender=type(obj))


def _next_rank(model) -> int:
    return (model.objects.order_by("-rank").values_list("rank", flat=True).first() or 0) + 1


def create_severity(*, actor: Actor | None, name: str, description: str = "", rank: int | None = None) -> Severity:
    return save_configuration_object(
        Severity(), name=name, description=description, rank=_next_rank(Severity) if rank is None else rank
    )


def update_severity(*, severity: Severity, actor: Actor | None, **fields) -> Severity:
    return save_configuration_object(severity, **{k: v for k, v in fields.items() if v is not None})


def delete_severity(*, severity: Severity, actor: Actor | None) -> None:
    delete_configuration_object(severity)


def create_incident_status(
    *, actor: Actor | None, name: str, description: str = "", category: str, rank: int | None = None
) -> IncidentStatus:
    return save_configuration_object(
        IncidentStatus(),
        name=name,
        description=description,
        category=category,
        rank=_next_rank(IncidentStatus) if rank is None else rank,
    )


def update_incident_status(*, status: IncidentStatus, actor: Actor | None, **fields) -> IncidentStatus:
    return save_configuration_object(status, **{k: v for k, v in fields.items() if v is not None})


def delete_incident_status(*, status: IncidentStatus, actor: Actor | None) -> None:
    delete_configuration_object(status)


def create_incident_type(*, actor: Actor | None, **fields) -> IncidentType:
    with transaction.atomic():
        if fields.get("is_default"):
            IncidentType.objects.filter(is_default=True).update(is_default=False)
        return save_configuration_object(IncidentType(), **fields)


def update_incident_type(*, incident_type: IncidentType, actor: Actor | None, **fields) -> IncidentType:
    with transaction.atomic():
        if fields.get("is_default"):
            IncidentType.objects.filter(is_default=True).exclude(pk=incident_type.pk).update(is_default=False)
        return save_configuration_object(incident_type, **{k: v for k, v in fields.items() if v is not None})


def delete_incident_type(*, incident_type: IncidentType, actor: Actor | None) -> None:
    delete_configuration_object(incident_type)


def create_incident_role(*, actor: Actor | None, **fields) -> IncidentRole:
    fields.setdefault("role_type", "custom")
    return save_configuration_object(IncidentRole(), **fields)


def update_incident_role(*, role: IncidentRole, actor: Actor | None, **fields) -> IncidentRole:
    return save_configuration_object(role, **{k: v for k, v in fields.items() if v is not None})


def _check_role_deletable(role: IncidentRole) -> None:
    if role.role_type != "custom":
        raise Conflict("protected_role", f"The {role.role_type} role cannot be deleted")


def delete_incident_role(*, role: IncidentRole, actor: Actor | None) -> None:
    _check_role_deletable(role)
    delete_configuration_object(role)


def save_configuration(*, obj, actor: Actor | None):
    """Save a configuration object edited as a whole (severity, status, type, role,
    custom field, option, timestamp), as the admin's forms do."""
    with transaction.atomic():
        if isinstance(obj, IncidentType) and obj.is_default:
            # Only one default type: the newly chosen one takes over.
            IncidentType.objects.filter(is_default=True).exclude(pk=obj.pk).update(is_default=False)
        return save_configuration_object(obj)


def delete_configuration(*, obj, actor: Actor | None) -> None:
    if isinstance(obj, IncidentRole):
        _check_role_deletable(obj)
    delete_configuration_object(obj)
