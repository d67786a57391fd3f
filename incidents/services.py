"""Every state change of the incident domain. The admin, the API, the commands and the
tasks call these; nothing else saves incident models.

Rules enforced here:
- an incident's reference ``INC-<n>`` comes from a row-locked counter, so concurrent
  declarations never share or skip a number;
- a status or severity change is always recorded as an update on the timeline, and the
  lifecycle timestamps (reported, accepted, resolved, closed, declined) are stamped the
  first time an incident reaches the matching category;
- custom field values must fit their field (an option of that field, a number, a URL);
- private-only incident types only hold private incidents.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from . import caching, selectors
from .exceptions import Conflict, DomainError
from .models import (
    ApiKey,
    ApiRole,
    Counter,
    CustomField,
    CustomFieldOption,
    CustomFieldValue,
    FieldType,
    Incident,
    IncidentRole,
    IncidentRoleAssignment,
    IncidentStatus,
    IncidentTimestamp,
    IncidentTimestampValue,
    IncidentType,
    IncidentUpdate,
    Mode,
    Severity,
    StatusCategory,
    Visibility,
    new_ulid,
)

Actor = AbstractBaseUser | ApiKey

# Lifecycle timestamps stamped automatically when an incident first enters a category.
STAMPS_ON_ENTERING = {
    StatusCategory.LIVE: ("accepted",),
    StatusCategory.LEARNING: ("resolved",),
    StatusCategory.CLOSED: ("resolved", "closed"),
    StatusCategory.DECLINED: ("declined",),
}


def _actor_fields(actor: Actor | None, prefix: str) -> dict:
    if isinstance(actor, ApiKey):
        return {f"{prefix}_api_key": actor, f"{prefix}_user": None}
    return {f"{prefix}_user": actor, f"{prefix}_api_key": None}


def _insert(model, rows: list, pending: list | None) -> list:
    """Insert ``rows`` now, or, given ``pending``, leave them there for the statement that
    inserts a new incident (``_insert_declaration``)."""
    if pending is None:
        return model.objects.bulk_create(rows)
    if rows:
        pending.append((model, rows))
    return rows


# --- custom field values ----------------------------------------------------------------------


@dataclass(frozen=True)
class FieldValue:
    """One value as a caller gives it: an option (for selects) or a raw string."""

    option: CustomFieldOption | None = None
    text: str = ""


_url_validator = URLValidator(schemes=["http", "https"])


def _normalise_numeric(raw: str) -> str:
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValueError(raw)
    # Keep the caller's precision but drop an exponent form ("1E+3" -> "1000").
    return format(number, "f")


def build_custom_field_rows(field: CustomField, values: Iterable[FieldValue]) -> list[CustomFieldValue]:
    """Validate values for one field and return unsaved rows (without incident)."""
    values = list(values)
    where = f"custom_field_entries[{field.pk}]"
    if field.field_type == FieldType.SINGLE_SELECT and len(values) > 1:
        raise DomainError("invalid_value", f"{field.name} takes a single option", field=where)
    if field.field_type in (FieldType.TEXT, FieldType.LINK, FieldType.NUMERIC) and len(values) > 1:
        raise DomainError("invalid_value", f"{field.name} takes a single value", field=where)
    rows = []
    seen_options = set()
    for value in values:
        if field.is_select:
            if value.option is None:
                raise DomainError("invalid_value", f"{field.name} takes an option id", field=where)
            if value.option.custom_field_id != field.pk:
                raise DomainError(
                    "invalid_value", f"Option {value.option.pk} does not belong to {field.name}", field=where
                )
            if value.option.pk in seen_options:
                continue
            seen_options.add(value.option.pk)
            rows.append(CustomFieldValue(custom_field=field, value_option=value.option))
        elif field.field_type == FieldType.TEXT:
            if value.option is not None:
                raise DomainError("invalid_value", f"{field.name} takes text, not an option", field=where)
            if value.text.strip():
                rows.append(CustomFieldValue(custom_field=field, value_text=value.text))
        elif field.field_type == FieldType.LINK:
            text = value.text.strip()
            if not text:
                continue
            try:
                _url_validator(text)
            except ValidationError:
                raise DomainError("invalid_value", f"{field.name} takes an http(s) URL", field=where) from None
            rows.append(CustomFieldValue(custom_field=field, value_link=text))
        elif field.field_type == FieldType.NUMERIC:
            if not str(value.text).strip():
                continue
            try:
                rows.append(CustomFieldValue(custom_field=field, value_numeric=_normalise_numeric(value.text)))
            except ValueError:
                raise DomainError("invalid_value", f"{field.name} takes a number", field=where) from None
    return rows


def _replace_custom_field_values(
    incident: Incident,
    values: Mapping[CustomField, Iterable[FieldValue]],
    *,
    new_incident: bool = False,
    pending: list | None = None,
) -> list[CustomFieldValue]:
    rows = []
    for field, field_values in values.items():
        new_rows = build_custom_field_rows(field, field_values)
        for row in new_rows:
            row.incident = incident
        rows.extend(new_rows)
    if values and not new_incident:  # a new incident has no values to replace
        CustomFieldValue.objects.filter(incident=incident, custom_field__in=list(values)).delete()
    return _insert(CustomFieldValue, rows, pending)


def set_custom_field_value(
    *, incident: Incident, field: CustomField, values: Iterable[FieldValue], actor: Actor | None
) -> None:
    """Replace one field's values on an incident."""
    with transaction.atomic():
        _replace_custom_field_values(incident, {field: values})
        _touch(incident)


# --- roles ------------------------------------------------------------------------------------


def _replace_role_assignments(
    incident: Incident,
    assignments: Mapping[IncidentRole, AbstractBaseUser | None],
    *,
    new_incident: bool = False,
    pending: list | None = None,
) -> list[IncidentRoleAssignment] | None:
    """Set or clear each role's assignee; for a new incident, return the rows inserted."""
    if new_incident:
        # Nothing is assigned yet: one INSERT, and an unassigned role is simply left out.
        rows = [
            IncidentRoleAssignment(incident=incident, role=role, assignee=assignee)
            for role, assignee in assignments.items()
            if assignee is not None
        ]
        return _insert(IncidentRoleAssignment, rows, pending)
    for role, assignee in assignments.items():
        if assignee is None:
            IncidentRoleAssignment.objects.filter(incident=incident, role=role).delete()
        else:
            IncidentRoleAssignment.objects.update_or_create(
                incident=incident, role=role, defaults={"assignee": assignee}
            )


def assign_role(
    *, incident: Incident, role: IncidentRole, assignee: AbstractBaseUser | None, actor: Actor | None
) -> None:
    """Give a role to a user on an incident (or take it away with ``assignee=None``)."""
    with transaction.atomic():
        _replace_role_assignments(incident, {role: assignee})
        _touch(incident)


# --- timestamps -------------------------------------------------------------------------------


def _stamp(
    incident: Incident,
    slugs: Iterable[str],
    at: datetime,
    *,
    new_incident: bool = False,
    given: Mapping[IncidentTimestamp, datetime | None] | None = None,
    timestamps: Iterable[IncidentTimestamp] | None = None,
    pending: list | None = None,
) -> list[IncidentTimestampValue]:
    """Stamp the lifecycle timestamps named by ``slugs`` at ``at``, the first time only: a
    timestamp the incident already has keeps its value. One query reads the timestamps still
    unset and one INSERT stamps them (the caller holds the incident's row lock, so two status
    changes cannot both find one unset). A new incident has none set; its ``given`` values
    go into the same INSERT and win over the stamps (``None`` leaves a timestamp unset)."""
    slugs = list(slugs)
    if new_incident and timestamps is not None:
        # A new incident has none set; the caller's configuration names the timestamps.
        unset = [t for t in timestamps if t.slug in slugs]
    else:
        unset = IncidentTimestamp.objects.filter(slug__in=slugs)
        if not new_incident:
            unset = unset.exclude(values__incident=incident)
    values: dict[IncidentTimestamp, datetime | None] = {timestamp: at for timestamp in unset}
    values.update(given or {})
    rows = [
        IncidentTimestampValue(incident=incident, timestamp=timestamp, value=value)
        for timestamp, value in values.items()
        if value is not None
    ]
    return _insert(IncidentTimestampValue, rows, pending)


def set_timestamp_values(
    *, incident: Incident, values: Mapping[IncidentTimestamp, datetime | None], actor: Actor | None
) -> None:
    with transaction.atomic():
        _set_timestamp_values(incident, values)
        _touch(incident)


def _set_timestamp_values(incident: Incident, values: Mapping[IncidentTimestamp, datetime | None]) -> None:
    for timestamp, value in values.items():
        if value is None:
            IncidentTimestampValue.objects.filter(incident=incident, timestamp=timestamp).delete()
        else:
            IncidentTimestampValue.objects.update_or_create(
                incident=incident, timestamp=timestamp, defaults={"value": value}
            )


# --- incidents --------------------------------------------------------------------------------


REFERENCE_COUNTER = "incident_reference"


def _increment_counter(name: str) -> int | None:
    table = connection.ops.quote_name(Counter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET value = value + 1 WHERE name = %s RETURNING value", [name])
        row = cursor.fetchone()
    return row[0] if row else None


def _next_reference_number() -> int:
    # UPDATE ... SET value = value + 1 row-locks the counter until the surrounding
    # transaction commits, so two declarations can never read the same number; RETURNING
    # reads the number in the same statement (PostgreSQL, SQLite >= 3.35).
    number = _increment_counter(REFERENCE_COUNTER)
    if number is None:
        # The first declaration ever: create the row. Of two concurrent first declarations,
        # get_or_create lets one insert it and the other find it; the UPDATE then orders them.
        Counter.objects.get_or_create(name=REFERENCE_COUNTER, defaults={"value": 0})
        number = _increment_counter(REFERENCE_COUNTER)
    return number


def _declaring():
    """The transaction a declaration runs in. On PostgreSQL its writes are one statement
    (``_insert_declaration``), atomic by itself: outside a transaction it runs on its own,
    sparing the round trips of BEGIN and COMMIT. Inside one, a savepoint keeps a refused
    repeat (an idempotency key already used) from breaking the caller's transaction."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        return nullcontext()
    return transaction.atomic()


def _insert_declaration(incident: Incident, pending: list[tuple[type, list]]) -> None:
    """Insert a new incident with the next reference number, and the rows ``pending``
    (model, rows) that hang off it.

    On PostgreSQL it is one statement (data-modifying WITH clauses): one round trip, and
    the counter's row, locked from its increment to COMMIT (which serialises concurrent
    declarations), is held for that round trip and the commit, with no Python in between.
    Being one statement, it needs no transaction of its own (``_declaring``).
    Elsewhere (SQLite, whose writers queue for the database anyway) the ORM's statements."""
    if connection.vendor != "postgresql":
        for model, rows in pending:
            model.objects.bulk_create(rows)
        incident.reference_number = _next_reference_number()
        incident.save(force_insert=True)
        return
    quote = connection.ops.quote_name
    children, child_params = [], []
    for number, (model, rows) in enumerate(pending):
        fields = model._meta.concrete_fields
        row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
        for row in rows:
            child_params.extend(f.get_db_prep_save(f.pre_save(row, add=True), connection) for f in fields)
        children.append(
            f"c{number} AS (INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES {', '.join([row_marks] * len(rows))})"
        )
    fields = [f for f in Incident._meta.concrete_fields if f.attname != "reference_number"]
    values = [f.get_db_prep_save(f.pre_save(incident, add=True), connection) for f in fields]

    counter = quote(Counter._meta.db_table)
    # The counter's row is created by the first declaration ever (an upsert), and
    # incremented by every later one.
    ctes = [
        f"n AS (INSERT INTO {counter} (name, value) VALUES (%s, 1) "
        f"ON CONFLICT (name) DO UPDATE SET value = {counter}.value + 1 RETURNING value)",
        *children,
    ]
    sql = (
        f"WITH {', '.join(ctes)} "
        f"INSERT INTO {quote(Incident._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}, reference_number) "
        f"SELECT {', '.join(['%s'] * len(fields))}, n.value FROM n RETURNING reference_number"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [REFERENCE_COUNTER, *child_params, *values])
        (reference_number,) = cursor.fetchone()
    incident.reference_number = reference_number
    for obj in [incident, *(row for _, rows in pending for row in rows)]:
        obj._state.adding, obj._state.db = False, connection.alias


def default_status(*, triage: bool, statuses: Iterable[IncidentStatus] | None = None) -> IncidentStatus:
    """The first status (by rank) of the triage or live category; ``statuses`` (ordered by
    rank) spares the query when the caller has them."""
    category = StatusCategory.TRIAGE if triage else StatusCategory.LIVE
    if statuses is None:
        status = IncidentStatus.objects.filter(category=category).order_by("rank", "id").first()
    else:
        status = next((s for s in statuses if s.category == category), None)
    if status is None:
        raise DomainError("missing_status", f"No incident status in the {category} category exists")
    return status


def _touch(incident: Incident, **changes) -> None:
    now = timezone.now()
    Incident.objects.filter(pk=incident.pk).update(updated_at=now, last_activity_at=now, **changes)
    incident.updated_at = incident.last_activity_at = now
    for name, value in changes.items():
        setattr(incident, name, value)


def _validate_incident_type(incident_type: IncidentType | None, visibility: str) -> None:
    if incident_type and incident_type.private_incidents_only and visibility != Visibility.PRIVATE:
        raise DomainError(
            "invalid_visibility",
            f"Incidents of type {incident_type.name} must be private",
            field="visibility",
        )


def find_idempotent_incident(*, actor: Actor | None, idempotency_key: str) -> Incident | None:
    if not idempotency_key or not isinstance(actor, ApiKey):
        return None
    return Incident.objects.filter(creator_api_key=actor, idempotency_key=idempotency_key).first()


def declare_incident(
    *,
    actor: Actor | None,
    name: str,
    summary: str = "",
    status: IncidentStatus | None = None,
    severity: Severity | None = None,
    incident_type: IncidentType | None = None,
    mode: str = Mode.STANDARD,
    visibility: str = Visibility.PUBLIC,
    call_url: str = "",
    postmortem_document_url: str = "",
    role_assignments: Mapping[IncidentRole, AbstractBaseUser | None] | None = None,
    custom_field_values: Mapping[CustomField, Iterable[FieldValue]] | None = None,
    timestamp_values: Mapping[IncidentTimestamp, datetime | None] | None = None,
    idempotency_key: str = "",
    triage: bool | None = None,
    config=None,
) -> Incident:
    """Declare an incident: allocate its reference, record the first timeline entry and
    stamp "reported at". ``config`` (``selectors.incident_config()``), when the caller has
    it, supplies the default type and status and the timestamps without queries. With an
    API key and an idempotency key, a repeat returns the incident the first call declared,
    whatever the repeat asks.

    The incident returned carries what rendering it needs, as
    ``selectors.incidents_with_details()`` loads it, so callers answer without reading it
    back.

    Repeats are rare, so they are not looked for up front: the unique constraint on the
    idempotency key refuses the repeat's insert (concurrent repeats included), and a repeat
    refused by a rule below is answered with the first incident all the same."""
    try:
        if incident_type is None:
            incident_type = (
                config.default_incident_type if config is not None else IncidentType.objects.filter(is_default=True).first()
            )
        _validate_incident_type(incident_type, visibility)
        if status is None:
            in_triage = triage if triage is not None else bool(incident_type and incident_type.create_in_triage == "always")
            status = default_status(triage=in_triage, statuses=config.statuses if config is not None else None)
        if not name or not name.strip():
            raise DomainError("missing_name", "An incident needs a name", field="name")
        with _declaring():
            now = timezone.now()
            # The rows that hang off the incident are built first and inserted with it
            # (foreign keys are checked at COMMIT), and the reference number is taken
            # last: the counter's row stays locked from its UPDATE to COMMIT, which
            # serialises concurrent declarations.
            incident = Incident(
                name=name.strip(),
                summary=summary,
                status=status,
                severity=severity,
                incident_type=incident_type,
                mode=mode,
                visibility=visibility,
                call_url=call_url,
                postmortem_document_url=postmortem_document_url,
                idempotency_key=idempotency_key if isinstance(actor, ApiKey) else "",
                **_actor_fields(actor, "creator"),
            )
            pending = []  # what hangs off the incident, inserted with it
            _insert(
                IncidentUpdate,
                [
                    IncidentUpdate(
                        incident=incident,
                        message=summary,
                        new_status=status,
                        new_severity=severity,
                        **_actor_fields(actor, "actor"),
                    )
                ],
                pending,
            )
            # What rendering needs, as selectors.incidents_with_details() loads it: the
            # caller can answer with the incident without reading it back.
            incident.loaded_timestamp_values = _stamp(
                incident,
                ["reported", *STAMPS_ON_ENTERING.get(status.category, ())],
                now,
                new_incident=True,
                given=timestamp_values,
                timestamps=config.timestamps if config is not None else None,
                pending=pending,
            )
            incident.loaded_role_assignments = (
                _replace_role_assignments(incident, role_assignments, new_incident=True, pending=pending)
                if role_assignments
                else []
            )
            incident.loaded_custom_field_values = (
                _replace_custom_field_values(incident, custom_field_values, new_incident=True, pending=pending)
                if custom_field_values
                else []
            )
            _insert_declaration(incident, pending)
    except (DomainError, IntegrityError):
        existing = find_idempotent_incident(actor=actor, idempotency_key=idempotency_key)
        if existing:
            return selectors.incidents_with_details().get(pk=existing.pk)
        raise
    return incident


def edit_incident(
    *,
    incident: Incident,
    actor: Actor | None,
    name: str | None = None,
    summary: str | None = None,
    status: IncidentStatus | None = None,
    severity: Severity | None = None,
    call_url: str | None = None,
    incident_type: IncidentType | None = None,
    visibility: str | None = None,
    mode: str | None = None,
    postmortem_document_url: str | None = None,
    role_assignments: Mapping[IncidentRole, AbstractBaseUser | None] | None = None,
    custom_field_values: Mapping[CustomField, Iterable[FieldValue]] | None = None,
    timestamp_values: Mapping[IncidentTimestamp, datetime | None] | None = None,
    message: str = "",
) -> Incident:
    """Change an incident's fields; only what is passed changes. A status or severity
    change goes through the timeline like any update."""
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        changes = {}
        if name is not None:
            if not name.strip():
                raise DomainError("missing_name", "An incident needs a name", field="name")
            changes["name"] = name.strip()
        for field, value in (
            ("summary", summary),
            ("call_url", call_url),
            ("postmortem_document_url", postmortem_document_url),
            ("mode", mode),
        ):
            if value is not None:
                changes[field] = value
        if incident_type is not None or visibility is not None:
            new_type = incident_type if incident_type is not None else incident.incident_type
            new_visibility = visibility if visibility is not None else incident.visibility
            _validate_incident_type(new_type, new_visibility)
            changes["incident_type"] = new_type
            changes["visibility"] = new_visibility
        changes = {k: v for k, v in changes.items() if getattr(incident, k) != v}
        if changes:
            for key, value in changes.items():
                setattr(incident, key, value)
            incident.save(update_fields=[*changes, "updated_at", "last_activity_at"])
        status_changed = status is not None and status.pk != incident.status_id
        severity_changed = severity is not None and severity.pk != incident.severity_id
        if status_changed or severity_changed or message:
            _record_update(
                incident,
                actor=actor,
                message=message,
                new_status=status if status_changed else None,
                new_severity=severity if severity_changed else None,
            )
        if role_assignments:
            _replace_role_assignments(incident, role_assignments)
        if custom_field_values:
            _replace_custom_field_values(incident, custom_field_values)
        if timestamp_values:
            _set_timestamp_values(incident, timestamp_values)
        _touch(incident)
    return incident


def _record_update(
    incident: Incident,
    *,
    actor: Actor | None,
    message: str,
    new_status: IncidentStatus | None,
    new_severity: Severity | None,
    idempotency_key: str = "",
) -> IncidentUpdate:
    previous_status_id, previous_severity_id = incident.status_id, incident.severity_id
    update = IncidentUpdate.objects.create(
        incident=incident,
        message=message,
        new_status=new_status or incident.status,
        previous_status_id=previous_status_id,
        new_severity=new_severity,
        previous_severity_id=previous_severity_id if new_severity else None,
        idempotency_key=idempotency_key if isinstance(actor, ApiKey) else "",
        **_actor_fields(actor, "actor"),
    )
    changes = {}
    if new_status is not None and new_status.pk != previous_status_id:
        changes["status"] = new_status
        _stamp(incident, STAMPS_ON_ENTERING.get(new_status.category, ()), update.created_at)
    if new_severity is not None and new_severity.pk != previous_severity_id:
        changes["severity"] = new_severity
    _touch(incident, **changes)
    return update


def _find_idempotent_update(*, actor: Actor | None, idempotency_key: str) -> IncidentUpdate | None:
    if not idempotency_key or not isinstance(actor, ApiKey):
        return None
    return IncidentUpdate.objects.filter(actor_api_key=actor, idempotency_key=idempotency_key).first()


def post_incident_update(
    *,
    incident: Incident,
    actor: Actor | None,
    message: str = "",
    new_status: IncidentStatus | None = None,
    new_severity: Severity | None = None,
    idempotency_key: str = "",
) -> IncidentUpdate:
    """Post an update to the timeline, optionally moving status and severity.

    Closing needs a message, so the timeline says why an incident ended. With an API key
    and an idempotency key, a repeat returns the update the first call posted, whatever the
    repeat asks: as for declarations, the unique constraint spots it at the insert."""
    try:
        if new_status is None and new_severity is None and not message.strip():
            raise DomainError("empty_update", "An update needs a message, a new status or a new severity", field="message")
        if new_status is not None and new_status.category == StatusCategory.CLOSED and not message.strip():
            raise DomainError("message_required", "Closing an incident needs a message", field="message")
        with transaction.atomic():
            locked = Incident.objects.select_for_update().get(pk=incident.pk)
            update = _record_update(
                locked,
                actor=actor,
                message=message,
                new_status=new_status,
                new_severity=new_severity,
                idempotency_key=idempotency_key,
            )
    except (DomainError, IntegrityError):
        existing = _find_idempotent_update(actor=actor, idempotency_key=idempotency_key)
        if existing:
            return existing
        raise
    incident.status_id, incident.severity_id = locked.status_id, locked.severity_id
    incident.updated_at = incident.last_activity_at = locked.updated_at
    return update


def change_status(*, incident: Incident, status: IncidentStatus, actor: Actor | None, message: str = "") -> IncidentUpdate:
    return post_incident_update(incident=incident, actor=actor, message=message, new_status=status)


def change_severity(*, incident: Incident, severity: Severity, actor: Actor | None, message: str = "") -> IncidentUpdate:
    return post_incident_update(incident=incident, actor=actor, message=message, new_severity=severity)


def close_incident(*, incident: Incident, actor: Actor | None, message: str) -> IncidentUpdate:
    status = IncidentStatus.objects.filter(category=StatusCategory.CLOSED).order_by("rank", "id").first()
    if status is None:
        raise DomainError("missing_status", "No incident status in the closed category exists")
    return post_incident_update(incident=incident, actor=actor, message=message, new_status=status)


def connect_external_issue(
    *, incident: Incident, actor: Actor | None, provider: str, url: str, name: str = "", replace: bool = True
) -> Incident:
    """Link the incident to an issue in another tracker (Jira, Linear, GitHub...). An issue
    belongs to one incident; without ``replace``, a different issue already linked stays."""
    try:
        _url_validator(url)
    except ValidationError:
        raise DomainError("invalid_value", "The issue URL must be an http(s) URL", field="url") from None
    if Incident.objects.filter(external_issue_url=url).exclude(pk=incident.pk).exists():
        raise Conflict("issue_in_use", "This issue is already linked to another incident", field="url")
    if not replace and incident.external_issue_url and incident.external_issue_url != url:
        raise Conflict(
            "external_issue_exists", "The incident already has a different external issue; send replace=true", field="replace"
        )
    issue_name = name or url.rstrip("/").rsplit("/", 1)[-1] or url
    with transaction.atomic():
        _touch(incident, external_issue_provider=provider, external_issue_url=url, external_issue_name=issue_name)
    return incident


def import_postmortem_document(*, incident: Incident, actor: Actor | None, title: str, content: str) -> Incident:
    """Store a postmortem (title and markdown) on the incident, replacing an earlier one."""
    if not title.strip():
        raise DomainError("missing_title", "A postmortem needs a title", field="title")
    with transaction.atomic():
        _touch(
            incident,
            postmortem_title=title.strip(),
            postmortem_content=content,
            postmortem_document_id=incident.postmortem_document_id or new_ulid(),
            postmortem_imported_at=timezone.now(),
        )
    return incident


# --- configuration ----------------------------------------------------------------------------


def _save_config(obj, **fields):
    for key, value in fields.items():
        setattr(obj, key, value)
    try:
        with transaction.atomic():
            obj.full_clean(validate_unique=True, validate_constraints=True)
            obj.save()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        code = "conflict" if any("already exists" in m for m in messages) else "invalid_value"
        raise DomainError(code, " ".join(messages), field=None if field == "__all__" else field) from None
    caching.bump("config")
    return obj


def _delete_config(obj) -> None:
    from django.db.models import ProtectedError

    try:
        with transaction.atomic():
            obj.delete()
    except ProtectedError:
        raise Conflict("in_use", f"{obj} is in use by incidents and cannot be deleted") from None
    caching.bump("config")


def create_severity(*, actor: Actor | None, name: str, description: str = "", rank: int | None = None) -> Severity:
    if rank is None:
        rank = (Severity.objects.order_by("-rank").values_list("rank", flat=True).first() or 0) + 1
    return _save_config(Severity(), name=name, description=description, rank=rank)


def update_severity(*, severity: Severity, actor: Actor | None, **fields) -> Severity:
    return _save_config(severity, **{k: v for k, v in fields.items() if v is not None})


def delete_severity(*, severity: Severity, actor: Actor | None) -> None:
    _delete_config(severity)


def create_incident_status(
    *, actor: Actor | None, name: str, description: str = "", category: str, rank: int | None = None
) -> IncidentStatus:
    if rank is None:
        rank = (IncidentStatus.objects.order_by("-rank").values_list("rank", flat=True).first() or 0) + 1
    return _save_config(IncidentStatus(), name=name, description=description, category=category, rank=rank)


def update_incident_status(*, status: IncidentStatus, actor: Actor | None, **fields) -> IncidentStatus:
    return _save_config(status, **{k: v for k, v in fields.items() if v is not None})


def delete_incident_status(*, status: IncidentStatus, actor: Actor | None) -> None:
    _delete_config(status)


def create_incident_type(*, actor: Actor | None, **fields) -> IncidentType:
    with transaction.atomic():
        if fields.get("is_default"):
            IncidentType.objects.filter(is_default=True).update(is_default=False)
        return _save_config(IncidentType(), **fields)


def update_incident_type(*, incident_type: IncidentType, actor: Actor | None, **fields) -> IncidentType:
    with transaction.atomic():
        if fields.get("is_default"):
            IncidentType.objects.filter(is_default=True).exclude(pk=incident_type.pk).update(is_default=False)
        return _save_config(incident_type, **{k: v for k, v in fields.items() if v is not None})


def delete_incident_type(*, incident_type: IncidentType, actor: Actor | None) -> None:
    _delete_config(incident_type)


def create_incident_role(*, actor: Actor | None, **fields) -> IncidentRole:
    fields.setdefault("role_type", "custom")
    return _save_config(IncidentRole(), **fields)


def update_incident_role(*, role: IncidentRole, actor: Actor | None, **fields) -> IncidentRole:
    return _save_config(role, **{k: v for k, v in fields.items() if v is not None})


def delete_incident_role(*, role: IncidentRole, actor: Actor | None) -> None:
    if role.role_type != "custom":
        raise Conflict("protected_role", f"The {role.role_type} role cannot be deleted")
    _delete_config(role)


def create_custom_field(*, actor: Actor | None, **fields) -> CustomField:
    return _save_config(CustomField(), **fields)


def update_custom_field(*, field: CustomField, actor: Actor | None, **fields) -> CustomField:
    if "field_type" in fields and fields["field_type"] not in (None, field.field_type) and field.values.exists():
        raise Conflict("in_use", "The type of a field that holds values cannot change", field="field_type")
    return _save_config(field, **{k: v for k, v in fields.items() if v is not None})


def delete_custom_field(*, field: CustomField, actor: Actor | None) -> None:
    _delete_config(field)


def create_custom_field_option(
    *, actor: Actor | None, custom_field: CustomField, value: str, sort_key: int | None = None
) -> CustomFieldOption:
    if not custom_field.is_select:
        raise DomainError("invalid_value", f"{custom_field.name} is not a select field", field="custom_field_id")
    _check_option_value_free(custom_field, value)
    if sort_key is None:
        sort_key = (custom_field.options.order_by("-sort_key").values_list("sort_key", flat=True).first() or 0) + 10
    return _save_config(CustomFieldOption(), custom_field=custom_field, value=value, sort_key=sort_key)


def _check_option_value_free(custom_field: CustomField, value: str | None, *, option: CustomFieldOption | None = None) -> None:
    # The unique constraint spans two columns, so full_clean() reports it without a field;
    # checking first lets the error name the value that clashes.
    taken = CustomFieldOption.objects.filter(custom_field=custom_field, value=value)
    if value is not None and taken.exclude(pk=option.pk if option else None).exists():
        raise Conflict("conflict", f"{custom_field.name} already has an option {value!r}", field="value")


def update_custom_field_option(*, option: CustomFieldOption, actor: Actor | None, **fields) -> CustomFieldOption:
    _check_option_value_free(option.custom_field, fields.get("value"), option=option)
    return _save_config(option, **{k: v for k, v in fields.items() if v is not None})


def delete_custom_field_option(*, option: CustomFieldOption, actor: Actor | None) -> None:
    _delete_config(option)


# --- API keys ---------------------------------------------------------------------------------


def _new_token() -> str:
    return ApiKey.TOKEN_PREFIX + secrets.token_urlsafe(32)


def _check_roles(roles: Iterable[str], actor: Actor | None) -> list[str]:
    roles = list(dict.fromkeys(roles))
    unknown = [r for r in roles if r not in ApiRole.values]
    if unknown:
        raise DomainError("invalid_value", f"Unknown role(s): {', '.join(unknown)}", field="role_names")
    if isinstance(actor, ApiKey):
        # A key never hands out more than it holds.
        beyond = [r for r in roles if not actor.has_role(r)]
        if beyond:
            raise DomainError(
                "forbidden_role", f"This key cannot grant roles it does not hold: {', '.join(beyond)}", field="role_names"
            )
    return roles


def create_api_key(*, actor: Actor | None, name: str, roles: Iterable[str], comments: str = "") -> tuple[ApiKey, str]:
    """Create a key and return it with its token; only the token's hash is stored."""
    if not name or not name.strip():
        raise DomainError("missing_name", "An API key needs a name", field="name")
    token = _new_token()
    key = ApiKey.objects.create(
        name=name.strip(),
        comments=comments,
        roles=_check_roles(roles, actor),
        token_hash=ApiKey.hash_token(token),
        token_hint=token[-4:],
        token_last_issued_at=timezone.now(),
        **_actor_fields(actor, "created_by"),
    )
    return key, token


def update_api_key(*, key: ApiKey, actor: Actor | None, name: str, roles: Iterable[str], comments: str | None = None) -> ApiKey:
    key.name = name.strip()
    key.roles = _check_roles(roles, actor)
    if comments is not None:
        key.comments = comments
    key.save(update_fields=["name", "roles", "comments"])
    caching.forget_api_key(key.token_hash, key.previous_token_hash)
    caching.bump("api_keys")  # its name renders as the creator of incidents
    return key


def rotate_api_key(*, key: ApiKey, actor: Actor | None, grace_period_minutes: int = 0) -> tuple[ApiKey, str]:
    """Issue a new token. The old one keeps working for ``grace_period_minutes`` (0: it
    stops at once), so clients can roll over without downtime; a token an earlier
    rotation kept alive stops now."""
    token = _new_token()
    now = timezone.now()
    caching.forget_api_key(key.token_hash, key.previous_token_hash)
    if grace_period_minutes > 0:
        key.previous_token_hash = key.token_hash
        key.previous_token_expires_at = now + timedelta(minutes=grace_period_minutes)
    else:
        key.previous_token_hash, key.previous_token_expires_at = "", None
    key.token_hash = ApiKey.hash_token(token)
    key.token_hint = token[-4:]
    key.token_last_issued_at = now
    key.save(update_fields=["token_hash", "token_hint", "token_last_issued_at", "previous_token_hash", "previous_token_expires_at"])
    return key, token


def delete_api_key(*, key: ApiKey, actor: Actor | None) -> None:
    caching.forget_api_key(key.token_hash, key.previous_token_hash)
    key.delete()
    caching.bump("api_keys")  # incidents it created lose their creator


API_KEY_CACHE_SECONDS = 300


def authenticate_token(token: str) -> ApiKey | None:
    """The key for a token, or None. Records last use at most once a minute.

    Keys are cached by token hash (every service that changes or deletes a key drops its
    entry), so most requests authenticate without a query. Unknown tokens are not cached."""
    if not token:
        return None
    return authenticate_token_hash(ApiKey.hash_token(token))


def authenticate_token_hash(token_hash: str, *, cached: ApiKey | None = None) -> ApiKey | None:
    """``authenticate_token`` for a hashed token; ``cached`` is the key's cache entry when
    the caller already read it (``incidents.api.gate``)."""
    cache_key = caching.api_key_cache_key(token_hash)
    key = cached if cached is not None else cache.get(cache_key)
    now = timezone.now()
    if key is None:
        key = ApiKey.objects.filter(
            Q(token_hash=token_hash) | Q(previous_token_hash=token_hash, previous_token_expires_at__gt=now)
        ).first()
        if key is None:
            return None
        cache.set(cache_key, key, timeout=_key_cache_seconds(key, token_hash, now))
    if not key.accepts(token_hash, now):
        return None  # a replaced token whose grace period ended while it was cached
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() >= 60:
        # A conditional update: concurrent requests in the same minute write once at most.
        stale_before = now - timedelta(seconds=60)
        ApiKey.objects.filter(pk=key.pk).filter(
            **({"last_used_at__isnull": True} if key.last_used_at is None else {"last_used_at__lt": stale_before})
        ).update(last_used_at=now)
        key.last_used_at = now
        cache.set(cache_key, key, timeout=_key_cache_seconds(key, token_hash, now))
    return key


def _key_cache_seconds(key: ApiKey, token_hash: str, now) -> int:
    # A replaced token is not cached past its grace period.
    if token_hash != key.token_hash and key.previous_token_expires_at is not None:
        return max(1, min(API_KEY_CACHE_SECONDS, int((key.previous_token_expires_at - now).total_seconds()) + 1))
    return API_KEY_CACHE_SECONDS


def save_configuration(*, obj, actor: Actor | None):
    """Save a configuration object edited as a whole (severity, status, type, role,
    custom field, option, timestamp), as the admin's forms do."""
    with transaction.atomic():
        if isinstance(obj, IncidentType) and obj.is_default:
            # Only one default type: the newly chosen one takes over.
            IncidentType.objects.filter(is_default=True).exclude(pk=obj.pk).update(is_default=False)
        return _save_config(obj)


def delete_configuration(*, obj, actor: Actor | None) -> None:
    if isinstance(obj, IncidentRole) and obj.role_type != "custom":
        raise Conflict("protected_role", f"The {obj.role_type} role cannot be deleted")
    _delete_config(obj)
