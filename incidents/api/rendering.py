"""Rendering incidents, shared by both dialects (functions and one helper class, never a
base class of either dialect's shapes).

A page lists every configured role, custom field (with all its options) and timestamp for
each incident. ``IncidentParts`` renders the configuration once per configuration
version and memoises the statuses, severities, types and people incidents share; each
dialect then builds an incident as plain dicts from what ``selectors.with_details``
loaded (``render_incident_v1``, ``render_incident_v2``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.utils import timezone

from incidents import selectors
from incidents.api.actors import actor_shape, user_shape
from incidents.models import CustomField, CustomFieldOption, Incident, IncidentRole, IncidentTimestamp

def iso(value: datetime, tz=None) -> str:
    """A date-time as DRF's "iso-8601" renders it (current time zone, "Z" for UTC); pass
    the time zone when rendering many (looking it up is a context-local read)."""
    text = value.astimezone(tz or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _role_shape(role: IncidentRole) -> dict:
    # EmbeddedIncidentRoleV2 and IncidentRoleV1 are the same document.
    return {
        "id": role.pk,
        "name": role.name,
        "shortform": role.shortform,
        "description": role.description,
        "instructions": role.instructions,
        "role_type": role.role_type,
        "required": role.required,
        "created_at": iso(role.created_at),
        "updated_at": iso(role.updated_at),
    }


def _option_shape(option: CustomFieldOption) -> dict:
    return {"id": option.pk, "custom_field_id": option.custom_field_id, "value": option.value, "sort_key": option.sort_key}


def _field_shape(field: CustomField, options: list[dict]) -> dict:
    # CustomFieldTypeInfoV2 and CustomFieldTypeInfoV1 are the same document.
    return {
        "id": field.pk,
        "name": field.name,
        "description": field.description,
        "field_type": field.field_type,
        "options": options,
    }


def _position(pair: tuple) -> int:
    return pair[0]


class IncidentParts:
    """What one request renders incidents from: the configuration rendered once, and the
    statuses, severities, types and people incidents share, rendered the first time seen."""

    def __init__(self, config: selectors.IncidentConfig | None = None):
        self.options: dict[str, dict] = {}
        self.option_positions: dict[str, int] = {}
        self.fields: list[tuple[str, dict]] = []
        self.roles: list[tuple[str, dict]] = []
        self.timestamps: list[tuple[IncidentTimestamp, dict]] = []
        # Shapes of configuration (statuses, severities, types) are memoised with the
        # configuration, so they outlive the request; people's shapes only the request.
        self._config_memo: dict = {}
        if config is not None:
            self._config_memo = config.rendered
            shared = self._config_memo.get("parts")
            if shared is None:
                shared = self._config_memo["parts"] = self._render_config(config)
            self.options, self.option_positions, self.fields, self.roles, self.timestamps = shared
        self._memo: dict[tuple, dict] = {}
        self.tz = timezone.get_current_timezone()

    @staticmethod
    def _render_config(config: selectors.IncidentConfig) -> tuple:
        options_by_id, positions, fields = {}, {}, []
        for field in config.custom_fields:
            options = [_option_shape(option) for option in field.options.all()]
            options_by_id.update((option["id"], option) for option in options)
            positions.update((option["id"], position) for position, option in enumerate(options))
            fields.append((field.pk, _field_shape(field, options)))
        roles = [(role.pk, _role_shape(role)) for role in config.roles]
        timestamps = [(ts, {"id": ts.pk, "name": ts.name, "rank": ts.rank}) for ts in config.timestamps]
        return options_by_id, positions, fields, roles, timestamps

    def once(self, serializer_class, obj) -> dict:
        """``serializer_class(obj).data`` for a status, severity or type, rendered once per
        configuration version (or per request, without a configuration). Callers must not
        change the dict they get."""
        key = (serializer_class, obj.pk)
        shape = self._config_memo.get(key)
        if shape is None:
            shape = self._config_memo[key] = dict(serializer_class(obj).data)
        return shape

    def user(self, user) -> dict:
        key = ("user", user.pk)
        shape = self._memo.get(key)
        if shape is None:
            shape = self._memo[key] = user_shape(user)
        return shape

    def actor(self, actor) -> dict:
        if actor is None:
            return {}
        key = ("actor", type(actor).__name__, actor.pk)
        shape = self._memo.get(key)
        if shape is None:
            shape = self._memo[key] = actor_shape(actor)
        return shape

    def option(self, row) -> dict:
        return self.options.get(row.value_option_id) or _option_shape(row.value_option)

    # Per-incident pieces both dialects list in the same way.

    def role_assignments(self, incident: Incident) -> list[dict]:
        assignees = {a.role_id: a.assignee for a in incident.loaded_role_assignments}
        entries = []
        for role_id, role in self.roles:
            assignee = assignees.get(role_id)
            entries.append({"role": role, "assignee": self.user(assignee)} if assignee is not None else {"role": role})
        return entries

    def custom_field_entries(self, incident: Incident) -> list[dict]:
        values = defaultdict(list)
        for row in incident.loaded_custom_field_values:
            if row.value_option_id:
                # A multi-select's options in the field's order (sort key, then id).
                position = self.option_positions.get(row.value_option_id, len(self.option_positions))
                values[row.custom_field_id].append((position, {"value_option": self.option(row)}))
            elif row.value_text:
                values[row.custom_field_id].append((0, {"value_text": row.value_text}))
            elif row.value_link:
                values[row.custom_field_id].append((0, {"value_link": row.value_link}))
            elif row.value_numeric:
                values[row.custom_field_id].append((0, {"value_numeric": row.value_numeric}))
        entries = []
        for field_id, field in self.fields:
            found = values.get(field_id)
            if found and len(found) > 1:
                found.sort(key=_position)
            entries.append({"custom_field": field, "values": [value for _, value in found] if found else []})
        return entries

    def timestamp_values(self, incident: Incident) -> dict[str, datetime]:
        return {row.timestamp_id: row.value for row in incident.loaded_timestamp_values}


def parts_from(context: dict) -> IncidentParts:
    """The request's IncidentParts (views put one in the context), or a fresh one."""
    parts = context.get("parts")
    if parts is None:
        parts = context["parts"] = IncidentParts(selectors.incident_config())
    return parts
