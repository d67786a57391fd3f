"""Rendering incidents, shared by both dialects (functions and one helper class, never a
base class of either dialect's shapes).

A page lists every configured role, custom field (with all its options) and timestamp for
each incident. ``IncidentParts`` renders that configuration with the dialect's
serializers once per configuration version, and memoises the statuses, severities, types
and people incidents share; each dialect then builds an incident as plain dicts from what
``selectors.with_details`` loaded (``render_incident_v1``, ``render_incident_v2``). Those
dicts are the shapes' only definition: our OpenAPI document describes them with
incident.io's own schemas (``incidents.api.openapi`` says why).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.utils import timezone

from incidents import selectors
from incidents.api.actors import actor_shape, user_shape
from incidents.models import Incident, IncidentTimestamp


def iso(value: datetime, tz=None) -> str:
    """A date-time as DRF's "iso-8601" renders it (current time zone, "Z" for UTC); pass
    the time zone when rendering many (looking it up is a context-local read)."""
    text = value.astimezone(tz or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _position(pair: tuple) -> int:
    return pair[0]


def _rendered(serializer_class, objects: list) -> list[tuple]:
    """(object, shape) of each object; one serializer for the whole list, since making
    each instance is most of what a DRF serializer costs."""
    return list(zip(objects, serializer_class(objects, many=True).data))


class IncidentParts:
    """What one request renders incidents from: the configuration, rendered by each
    dialect's serializers the first time asked, and the statuses, severities, types and
    people incidents share, rendered the first time seen."""

    def __init__(self, config: selectors.IncidentConfig | None = None):
        self.config = config
        # Shapes of configuration (roles, fields, timestamps, statuses, severities, types)
        # are memoised with the configuration, so they outlive the request; people's
        # shapes only the request.
        self._config_memo: dict = config.rendered if config is not None else {}
        self._memo: dict[tuple, dict] = {}
        self.tz = timezone.get_current_timezone()

    def once(self, serializer_class, obj) -> dict:
        """``serializer_class(obj).data`` for a status, severity or type, rendered once per
        configuration version (or per request, without a configuration). Callers must not
        change the dict they get."""
        key = (serializer_class, obj.pk)
        shape = self._config_memo.get(key)
        if shape is None:
            shape = self._config_memo[key] = dict(serializer_class(obj).data)
        return shape

    def roles(self, serializer_class) -> list[tuple[str, dict]]:
        """(id, shape) of every configured role, in order."""
        key = ("roles", serializer_class)
        roles = self._config_memo.get(key)
        if roles is None:
            configured = self.config.roles if self.config is not None else []
            roles = self._config_memo[key] = [(role.pk, shape) for role, shape in _rendered(serializer_class, configured)]
        return roles

    def custom_fields(self, serializer_class) -> tuple[list[tuple[str, dict]], dict[str, dict], dict[str, int]]:
        """(id, shape) of every configured custom field, in order, rendered with its
        ``options``; and those options by id, and each one's position in its field."""
        key = ("custom_fields", serializer_class)
        fields = self._config_memo.get(key)
        if fields is None:
            configured = self.config.custom_fields if self.config is not None else []
            shapes = [(field.pk, shape) for field, shape in _rendered(serializer_class, configured)]
            options, positions = {}, {}
            for _, shape in shapes:
                options.update((option["id"], option) for option in shape["options"])
                positions.update((option["id"], position) for position, option in enumerate(shape["options"]))
            fields = self._config_memo[key] = (shapes, options, positions)
        return fields

    def timestamps(self, serializer_class=None) -> list[tuple[IncidentTimestamp, dict | None]]:
        """Every configured timestamp, in order, with its shape (None without a serializer:
        v1 names timestamps, it does not embed them)."""
        key = ("timestamps", serializer_class)
        timestamps = self._config_memo.get(key)
        if timestamps is None:
            configured = self.config.timestamps if self.config is not None else []
            timestamps = self._config_memo[key] = (
                _rendered(serializer_class, configured) if serializer_class else [(ts, None) for ts in configured]
            )
        return timestamps

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

    # Per-incident pieces both dialects list in the same way, each dialect naming the
    # serializers of its own configuration shapes.

    def role_assignments(self, incident: Incident, role_serializer) -> list[dict]:
        assignees = {a.role_id: a.assignee for a in incident.loaded_role_assignments}
        entries = []
        for role_id, role in self.roles(role_serializer):
            assignee = assignees.get(role_id)
            entries.append({"role": role, "assignee": self.user(assignee)} if assignee is not None else {"role": role})
        return entries

    def custom_field_entries(self, incident: Incident, field_serializer, option_serializer) -> list[dict]:
        fields, options, positions = self.custom_fields(field_serializer)
        values = defaultdict(list)
        for row in incident.loaded_custom_field_values:
            if row.value_option_id:
                # A multi-select's options in the field's order (sort key, then id).
                position = positions.get(row.value_option_id, len(positions))
                option = options.get(row.value_option_id) or self.once(option_serializer, row.value_option)
                values[row.custom_field_id].append((position, {"value_option": option}))
            elif row.value_text:
                values[row.custom_field_id].append((0, {"value_text": row.value_text}))
            elif row.value_link:
                values[row.custom_field_id].append((0, {"value_link": row.value_link}))
            elif row.value_numeric:
                values[row.custom_field_id].append((0, {"value_numeric": row.value_numeric}))
        entries = []
        for field_id, field in fields:
            found = values.get(field_id)
            if found and len(found) > 1:
                found.sort(key=_position)
            entries.append({"custom_field": field, "values": [value for _, value in found] if found else []})
        return entries

    def timestamp_values(self, incident: Incident) -> dict[str, datetime]:
        return {row.timestamp_id: row.value for row in incident.loaded_timestamp_values}
