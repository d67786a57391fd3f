"""Reads several callers share, with their joins made up front.

An incident is rendered with every configured role, custom field and timestamp (set or
not), so a request loads the configuration once (``incident_config()``) and the page of
incidents once (``incidents_visible_to(key)``); serializers then only touch loaded data
and a page costs the same number of queries whatever its size.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NamedTuple
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Lower

from . import caching
from .models import (
    ApiKey,
    CustomField,
    CustomFieldOption,
    CustomFieldValue,
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
    Visibility,
)


def incidents_with_details() -> QuerySet[Incident]:
    """Every incident, with what rendering one needs: 1 query for the incidents and their
    status, severity, type and creator, then 1 each for role assignments (with role and
    assignee), custom field values (with field and option) and timestamp values (with
    timestamp), as lists on each incident: ``loaded_role_assignments``,
    ``loaded_custom_field_values`` and ``loaded_timestamp_values``.

    Lists rather than the related managers' caches: filling a manager's cache builds a
    queryset per incident and relation, which costs more than rendering a page. The lists
    come unordered (sorting there costs the database for nothing): renderers order them
    by the configuration, as they list every role, field and timestamp anyway."""
    return Incident.objects.select_related(
        "status", "severity", "incident_type", "creator_user", "creator_api_key"
    ).prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=IncidentRoleAssignment.objects.select_related("role", "assignee").order_by(),
            to_attr="loaded_role_assignments",
        ),
        Prefetch(
            "custom_field_values",
            queryset=CustomFieldValue.objects.select_related("custom_field", "value_option").order_by(),
            to_attr="loaded_custom_field_values",
        ),
        Prefetch(
            "timestamp_values",
            queryset=IncidentTimestampValue.objects.select_related("timestamp").order_by(),
            to_attr="loaded_timestamp_values",
        ),
    )


class _Rows:
    """One model's concrete columns in a hand-written SELECT, and instances built back
    from a row's slice with the conversions the ORM would apply (SQLite hands dates back
    as text, for one)."""

    _known: dict[tuple, _Rows] = {}

    def __init__(self, model, alias: str):
        self.model, self.fields = model, model._meta.concrete_fields
        quote = connection.ops.quote_name
        self.sql = ", ".join(f"{alias}.{quote(f.column)}" for f in self.fields)
        self.width = len(self.fields)
        self.converters = []
        for position, f in enumerate(self.fields):
            column = f.get_col(alias)
            found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if found:
                self.converters.append((position, found, column))

    @classmethod
    def of(cls, model, alias: str) -> _Rows:
        key = (model, alias, connection.vendor)
        rows = cls._known.get(key)
        if rows is None:
            rows = cls._known[key] = cls(model, alias)
        return rows

    def build(self, row, start: int = 0):
        values = list(row[start : start + self.width])
        if values[0] is None:  # an outer join that found nothing
            return None
        for position, converters, column in self.converters:
            for converter in converters:
                values[position] = converter(values[position], column, connection)
        return self.model.from_db(connection.alias, None, values)


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def incidents_for_rendering(ids: Iterable[str]) -> list[Incident]:
    """The incidents ``ids`` with what rendering needs, as ``incidents_with_details()``
    loads them, in 4 hand-written queries (the incidents with their status, severity,
    type and creator, then role assignments with assignees, custom field values and
    timestamp values): building and compiling the ORM's queries cost most of rendering an
    incident cold."""
    ids = list(ids)
    if not ids:
        return []
    User = get_user_model()
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(ids))
    joined = [
        (_STATUS, _Rows.of(IncidentStatus, "s"), "s"),
        (_SEVERITY, _Rows.of(Severity, "sv"), "sv"),
        (_TYPE, _Rows.of(IncidentType, "t"), "t"),
        (_CREATOR_USER, _Rows.of(User, "u"), "u"),
        (_CREATOR_KEY, _Rows.of(ApiKey, "k"), "k"),
    ]
    incident_rows = _Rows.of(Incident, "i")
    columns = ", ".join([incident_rows.sql, *(rows.sql for _, rows, _ in joined)])
    joins = " ".join(
        f"LEFT JOIN {quote(field.related_model._meta.db_table)} {alias} "
        f"ON {alias}.{quote(field.related_model._meta.pk.column)} = i.{quote(field.column)}"
        for field, _, alias in joined
    )
    incidents = {}
    for row in _fetch(f"SELECT {columns} FROM {quote(Incident._meta.db_table)} i {joins} WHERE i.id IN ({marks})", ids):
        incident = incident_rows.build(row)
        start = incident_rows.width
        for field, rows, _ in joined:
            field.set_cached_value(incident, rows.build(row, start))
            start += rows.width
        incident.loaded_role_assignments, incident.loaded_custom_field_values, incident.loaded_timestamp_values = [], [], []
        incidents[incident.pk] = incident

    user_rows = _Rows.of(User, "u")
    assignment_rows = _Rows.of(IncidentRoleAssignment, "a")
    for row in _fetch(
        f"SELECT {assignment_rows.sql}, {user_rows.sql} FROM {quote(IncidentRoleAssignment._meta.db_table)} a "
        f"JOIN {quote(User._meta.db_table)} u ON u.{quote(User._meta.pk.column)} = a.assignee_id WHERE a.incident_id IN ({marks})",
        ids,
    ):
        assignment = assignment_rows.build(row)
        _ASSIGNEE.set_cached_value(assignment, user_rows.build(row, assignment_rows.width))
        incidents[assignment.incident_id].loaded_role_assignments.append(assignment)
    for model, attr in ((CustomFieldValue, "loaded_custom_field_values"), (IncidentTimestampValue, "loaded_timestamp_values")):
        rows = _Rows.of(model, "v")
        for row in _fetch(f"SELECT {rows.sql} FROM {quote(model._meta.db_table)} v WHERE v.incident_id IN ({marks})", ids):
            value = rows.build(row)
            getattr(incidents[value.incident_id], attr).append(value)
    return [incidents[pk] for pk in ids if pk in incidents]


_STATUS, _SEVERITY, _TYPE = (Incident._meta.get_field(name) for name in ("status", "severity", "incident_type"))
_CREATOR_USER, _CREATOR_KEY = Incident._meta.get_field("creator_user"), Incident._meta.get_field("creator_api_key")
_ASSIGNEE = IncidentRoleAssignment._meta.get_field("assignee")


def incidents_visible_to(key: ApiKey, *, details: bool = True) -> QuerySet[Incident]:
    """The incidents a key may see: private ones only for keys that see private incidents.
    ``details=False`` skips the joins, to check an incident exists before changing it."""
    incidents = incidents_with_details() if details else Incident.objects.all()
    if not key.sees_private_incidents:
        incidents = incidents.filter(visibility=Visibility.PUBLIC)
    return incidents


def find_incident(incidents: QuerySet[Incident], ref: str) -> Incident | None:
    """An incident by id or, as incident.io's v2 paths allow, by the number of its
    reference (``123`` for INC-123)."""
    if ref.isdigit() and len(ref) < 26:  # ids are 26 characters long
        return incidents.filter(reference_number=int(ref)).first()
    return incidents.filter(pk=ref).first()


# --- the hot reads: which incidents, and how fresh ---------------------------------------------
#
# A list page or a show needs only the ids and updated_at of the incidents a key may see
# (renderings come from the fragment cache). These two reads are written in SQL: building
# and compiling the ORM's query cost more than running it.


class IncidentStamp(NamedTuple):
    pk: str
    #: updated_at, in whole microseconds since the epoch (cheaper to read than a datetime)
    updated_micros: int


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def updated_micros(incident) -> int:
    """An incident's (or IncidentStamp's) updated_at in microseconds since the epoch."""
    if isinstance(incident, IncidentStamp):
        return incident.updated_micros
    return (incident.updated_at - _EPOCH) // _MICROSECOND


DEFAULT_MODES = (Mode.STANDARD, Mode.RETROSPECTIVE)  # what lists show unless asked for test or tutorial
_TABLE = Incident._meta.db_table


def _stamps(where: str, params: list) -> list[IncidentStamp]:
    if connection.vendor == "postgresql":
        # Integers come back far cheaper than time-zone-aware datetimes (a page has 26).
        sql = f"SELECT id, (EXTRACT(EPOCH FROM updated_at) * 1000000)::bigint FROM {_TABLE} {where}"
        send = getattr(connection, "send", None)
        if send is not None:
            # A prepared statement (config.postgresql): planning it was most of its cost.
            with send(sql, params) as pending:
                return [IncidentStamp(pk, micros) for pk, micros in pending.rows()]
        return [IncidentStamp(pk, micros) for pk, micros in _fetch(sql, params)]
    # SQLite hands back text; its backend's converter is what the ORM would apply.
    convert = connection.ops.convert_datetimefield_value
    return [
        IncidentStamp(pk, (convert(stamp, None, connection) - _EPOCH) // _MICROSECOND)
        for pk, stamp in _fetch(f"SELECT id, updated_at FROM {_TABLE} {where}", params)
    ]


def incident_stamps_page(
    key: ApiKey, *, newest_first: bool = True, after: str | None = None, limit: int
) -> list[IncidentStamp]:
    """Up to ``limit`` incidents of the default modes that ``key`` may see, by id, after
    the cursor ``after``: what an unfiltered list page shows (one index range scan)."""
    conditions, params = ["mode IN (%s, %s)"], list(DEFAULT_MODES)
    if not key.sees_private_incidents:
        conditions.append("visibility = %s")
        params.append(Visibility.PUBLIC)
    if after:
        conditions.append("id < %s" if newest_first else "id > %s")
        params.append(after)
    order = "DESC" if newest_first else "ASC"
    params.append(limit)
    return _stamps(f"WHERE {' AND '.join(conditions)} ORDER BY id {order} LIMIT %s", params)


def _by_ref(ref: str) -> tuple[str, object]:
    if ref.isdigit() and len(ref) < 26:  # ids are 26 characters long
        return "reference_number = %s", int(ref)
    return "id = %s", ref


def incident_stamp(key: ApiKey, ref: str) -> IncidentStamp | None:
    """The incident ``ref`` names (an id, or the number of its reference as v2 paths
    allow), if ``key`` may see it."""
    condition, value = _by_ref(ref)
    params = [value]
    if not key.sees_private_incidents:
        condition += " AND visibility = %s"
        params.append(Visibility.PUBLIC)
    found = _stamps(f"WHERE {condition}", params)
    return found[0] if found else None


class StampAhead:
    """The answer to ``incident_stamp_ahead()``: ``wait()`` for it (before anything else
    uses the database connection), then ``seen_by(key)``."""

    def __init__(self, ref: str, pending=None):
        self.ref, self._pending, self._rows = ref, pending, None

    def wait(self) -> None:
        if self._pending is not None and self._rows is None:
            self._rows = self._pending.rows()

    def seen_by(self, key: ApiKey) -> IncidentStamp | None:
        """What ``incident_stamp(key, ref)`` returns."""
        if self._pending is None:  # not sent ahead: ask now
            return incident_stamp(key, self.ref)
        self.wait()
        if not self._rows:
            return None
        pk, micros, visibility = self._rows[0]
        if visibility != Visibility.PUBLIC and not key.sees_private_incidents:
            return None
        return IncidentStamp(pk, micros)


@contextmanager
def incident_stamp_ahead(ref: str) -> Iterator[StampAhead]:
    """``incident_stamp()`` for a key not known yet. On PostgreSQL the query goes out on
    entering, before the key is looked up, and its answer is read by ``wait()``: the
    request's cache round trip (which looks the key up) and this one overlap. The row
    carries the incident's visibility and ``seen_by(key)`` applies the key's access to it,
    so the database's row still decides what a key sees. Elsewhere, ``seen_by`` runs
    ``incident_stamp()``."""
    send = getattr(connection, "send", None)
    if send is None:
        yield StampAhead(ref)
        return
    condition, value = _by_ref(ref)
    sql = f"SELECT id, (EXTRACT(EPOCH FROM updated_at) * 1000000)::bigint, visibility FROM {_TABLE} WHERE {condition}"
    with send(sql, [value]) as pending:
        yield StampAhead(ref, pending)


def incident_updates_visible_to(key: ApiKey) -> QuerySet[IncidentUpdate]:
    """Timeline entries of the incidents a key may see, with what rendering one needs
    (status, severity, actor) in the same query."""
    updates = IncidentUpdate.objects.select_related("new_status", "new_severity", "actor_user", "actor_api_key")
    if not key.sees_private_incidents:
        updates = updates.filter(incident__visibility=Visibility.PUBLIC)
    return updates


# --- configuration, loaded once per request ---------------------------------------------------


def all_incident_roles() -> list[IncidentRole]:
    return list(IncidentRole.objects.order_by("created_at", "id"))


def all_custom_fields() -> list[CustomField]:
    """Every custom field with its options (2 queries)."""
    options = Prefetch("options", queryset=CustomFieldOption.objects.order_by("sort_key", "id"))
    return list(CustomField.objects.order_by("name", "id").prefetch_related(options))


def all_incident_timestamps() -> list[IncidentTimestamp]:
    return list(IncidentTimestamp.objects.order_by("rank", "id"))


@dataclass(frozen=True)
class IncidentConfig:
    roles: list[IncidentRole]
    custom_fields: list[CustomField]
    timestamps: list[IncidentTimestamp]
    #: renderers' memo of shapes that depend only on this configuration (it lives as long
    #: as the configuration's version: see incident_config())
    rendered: dict = field(default_factory=dict, compare=False, repr=False)

    # Loaded on first use (one query each): reads that only render incidents never need them.

    @cached_property
    def severities(self) -> dict[str, Severity]:
        return {s.pk: s for s in Severity.objects.all()}

    @cached_property
    def statuses(self) -> list[IncidentStatus]:
        return list(IncidentStatus.objects.order_by("rank", "id"))

    @cached_property
    def incident_types(self) -> dict[str, IncidentType]:
        return {t.pk: t for t in IncidentType.objects.all()}

    @property
    def default_incident_type(self) -> IncidentType | None:
        return next((t for t in self.incident_types.values() if t.is_default), None)


_config_memo: dict[str, IncidentConfig] = {}


def incident_config(token: str | None = None) -> IncidentConfig:
    """The configuration every incident is rendered against (4 queries: roles, custom
    fields, their options, timestamps).

    It is loaded once per process and version of the configuration (every configuration
    service bumps the version); pass ``caching.versions()["config"]`` when the caller has
    it, or it is read here (one cache round trip)."""
    if token is None:
        token = caching.versions()["config"]
    config = _config_memo.get(token)
    if config is None:
        config = IncidentConfig(roles=all_incident_roles(), custom_fields=all_custom_fields(), timestamps=all_incident_timestamps())
        _config_memo.clear()
        _config_memo[token] = config
    return config


# --- people -----------------------------------------------------------------------------------


def active_users_by_reference(*, ids: Iterable[str] = (), emails: Iterable[str] = ()) -> tuple[dict, dict]:
    """Active users named by id (``str(pk)``) or email (any case): ``({id: user}, {email: user})``
    in at most two queries. Ids that are not numbers match nobody."""
    User = get_user_model()
    numeric = {int(i) for i in ids if str(i).isdigit()}
    by_id = {str(u.pk): u for u in User.objects.filter(is_active=True, pk__in=numeric)} if numeric else {}
    by_email = {}
    wanted = {e.strip().lower() for e in emails if e and e.strip()}
    if wanted:
        users = User.objects.annotate(email_lower=Lower("email")).filter(is_active=True, email_lower__in=wanted)
        for user in users.order_by("pk"):
            by_email.setdefault(user.email_lower, user)
    return by_id, by_email
