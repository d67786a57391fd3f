"""Reads of incidents, with their joins made up front. Who may see which incident is the
querysets' ``restrict()`` (``incidents.models.visibility``), which the API's base applies:
these take incidents already narrowed, or return rows for it to narrow."""

from __future__ import annotations

from django.db.models import CharField, Prefetch, QuerySet
from django.db.models.functions import Cast

from core.numbers import whole_number
from incidents.models import (
    CustomFieldValue,
    Incident,
    IncidentRoleAssignment,
    IncidentTimestampValue,
    IncidentUpdate,
    Mode,
)

#: what lists show unless asked for test or tutorial incidents
DEFAULT_MODES = (Mode.STANDARD, Mode.RETROSPECTIVE)


def with_details(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """``incidents`` with what rendering one needs: 1 query for the incidents and their
    status, severity, type and creator, then 1 each for role assignments (with role and
    assignee), custom field values (with field and option) and timestamp values, as lists
    on each incident: ``loaded_role_assignments``, ``loaded_custom_field_values`` and
    ``loaded_timestamp_values``.

    Lists rather than the related managers' caches: filling a manager's cache builds a
    queryset per incident and relation, which costs more than rendering a page. The lists
    come unordered (sorting there costs the database for nothing): renderers order them
    by the configuration, as they list every role, field and timestamp anyway."""
    return incidents.select_related("status", "severity", "incident_type", "creator_user", "creator_api_key").prefetch_related(
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


def incidents_with_details() -> QuerySet[Incident]:
    return with_details(Incident.objects.all())


def find_incident(incidents: QuerySet[Incident], ref: str):
    """An incident of ``incidents`` by id or, as incident.io's v2 paths allow, by the
    number of its reference (``123`` for INC-123); None if there is none."""
    if ref.isascii() and ref.isdigit() and len(ref) < 26:  # ids are 26 characters long
        # ASCII digits only: int() reads "١" as 1 and refuses "²".
        number = whole_number(ref)
        if number is None:
            return None  # past any reference number
        found = incidents.filter(reference_number=number)
    else:
        found = incidents.filter(pk=ref)
    # Unique either way: no ORDER BY for the database to plan.
    return next(iter(found.order_by()[:1]), None)


# Built once: narrowing it for a request clones it, at a fraction of building it again.
_REVISIONS = Incident.objects.order_by().annotate(revision=Cast("updated_at", CharField())).values_list("pk", "revision", named=True)


def revisions() -> QuerySet:
    """Incidents as rows of ``pk`` and ``revision`` (``updated_at`` as text: cheaper to read
    than a date-time, and all it takes to tell one rendering from the next): one narrow
    query with no model instances. Narrow it to what a key may see with ``restrict()`` as
    any incident queryset, and filter it as one."""
    return _REVISIONS


def incident_updates() -> QuerySet[IncidentUpdate]:
    """Timeline entries, with what rendering one needs (status, severity, actor) in the
    same query."""
    return IncidentUpdate.objects.select_related("new_status", "new_severity", "actor_user", "actor_api_key")
