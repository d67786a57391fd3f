"""Reads several callers share, with their joins made up front.

An incident is rendered with every configured role, custom field and timestamp (set or
not), so a request loads the configuration once (``incident_config()``) and the page of
incidents once (``incidents_visible_to(key)``); serializers then only touch loaded data
and a page costs the same number of queries whatever its size.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
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
    updated_at: datetime


DEFAULT_MODES = (Mode.STANDARD, Mode.RETROSPECTIVE)  # what lists show unless asked for test or tutorial
_TABLE = Incident._meta.db_table


def _stamps(sql: str, params: list) -> list[IncidentStamp]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # SQLite hands back text; its backend's converter is what the ORM would apply.
    convert = getattr(connection.ops, "convert_datetimefield_value", None)
    if convert is not None:
        return [IncidentStamp(pk, convert(stamp, None, connection)) for pk, stamp in rows]
    return [IncidentStamp(pk, stamp) for pk, stamp in rows]


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
    return _stamps(
        f"SELECT id, updated_at FROM {_TABLE} WHERE {' AND '.join(conditions)} ORDER BY id {order} LIMIT %s", params
    )


def incident_stamp(key: ApiKey, ref: str) -> IncidentStamp | None:
    """The incident ``ref`` names (an id, or the number of its reference as v2 paths
    allow), if ``key`` may see it."""
    if ref.isdigit() and len(ref) < 26:  # ids are 26 characters long
        condition, value = "reference_number = %s", int(ref)
    else:
        condition, value = "id = %s", ref
    params = [value]
    if not key.sees_private_incidents:
        condition += " AND visibility = %s"
        params.append(Visibility.PUBLIC)
    found = _stamps(f"SELECT id, updated_at FROM {_TABLE} WHERE {condition}", params)
    return found[0] if found else None


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
