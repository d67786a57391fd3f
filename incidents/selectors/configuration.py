"""The configuration every incident is rendered and declared against."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Prefetch

from incidents.models import (
    CustomField,
    CustomFieldOption,
    IncidentRole,
    IncidentStatus,
    IncidentTimestamp,
    IncidentType,
    Severity,
)


@dataclass(frozen=True)
class IncidentConfig:
    """Every incident is rendered with every configured role, custom field (with its
    options) and timestamp, set or not: a request loads them once, and renderers then
    touch only loaded data, so a page costs the same queries whatever its size."""

    roles: list[IncidentRole]
    custom_fields: list[CustomField]
    timestamps: list[IncidentTimestamp]
    #: renderers' memo of shapes that depend only on this configuration
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


def incident_config() -> IncidentConfig:
    """The configuration, read now (4 queries: roles, custom fields, their options,
    timestamps)."""
    options = Prefetch("options", queryset=CustomFieldOption.objects.order_by("sort_key", "id"))
    return IncidentConfig(
        roles=list(IncidentRole.objects.order_by("created_at", "id")),
        custom_fields=list(CustomField.objects.order_by("name", "id").prefetch_related(options)),
        timestamps=list(IncidentTimestamp.objects.order_by("rank", "id")),
    )
