"""Turning the ids of a request body into objects, for both dialects.

Everything a body names is resolved before anything is written, so a bad field never
leaves a half-made change, and each unknown or unfit id is reported with its path in the
body (``custom_field_entries[0].values[1].value_option_id``). Whether a value fits its
custom field is the service layer's rule (``services.clean_field_values``), run here once,
where the body's path is known; the services take what it returns.
"""

from __future__ import annotations

from rest_framework import serializers

from incidents import selectors, services
from incidents.models import CustomField, CustomFieldOption, FieldType, IncidentRole, IncidentStatus, IncidentTimestamp, IncidentType, RoleType, Severity


class PayloadResolver:
    """Turns the ids of a request body into objects, collecting an error for each one
    unknown or unfit, named by its path in the body (``custom_field_entries[0].values[1].value_option_id``).
    Everything is resolved before any write, so a bad field never leaves a half-made change.

    With the request's configuration (``selectors.incident_config()``, which the response
    is rendered against anyway), roles, custom fields, options and timestamps are found
    there; without it, each kind costs one query however many ids a body names."""

    def __init__(self, prefix: str = "", config: selectors.IncidentConfig | None = None):
        self.prefix = prefix
        self.config = config
        self.errors: dict[str, list[str]] = {}

    def error(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise serializers.ValidationError(self.errors, code="invalid_value")

    def one(self, model, pk: str | None, field: str, what: str):
        if pk in (None, ""):
            return None
        obj = model.objects.filter(pk=pk).first()
        if obj is None:
            self.error(field, f"No {what} with id {pk}")
        return obj

    def _configured(self, catalogue: dict, pk: str | None, field: str, what: str):
        if pk in (None, ""):
            return None
        obj = catalogue.get(pk)
        if obj is None:
            self.error(field, f"No {what} with id {pk}")
        return obj

    def status(self, pk):
        if self.config is not None:
            statuses = {s.pk: s for s in self.config.statuses}
            return self._configured(statuses, pk, "incident_status_id", "incident status")
        return self.one(IncidentStatus, pk, "incident_status_id", "incident status")

    def severity(self, pk, field: str = "severity_id"):
        if self.config is not None:
            return self._configured(self.config.severities, pk, field, "severity")
        return self.one(Severity, pk, field, "severity")

    def incident_type(self, pk):
        if self.config is not None:
            return self._configured(self.config.incident_types, pk, "incident_type_id", "incident type")
        return self.one(IncidentType, pk, "incident_type_id", "incident type")

    def _custom_fields(self, ids: set[str]) -> dict[str, CustomField]:
        if self.config is not None:
            return {f.pk: f for f in self.config.custom_fields if f.pk in ids}
        return {f.pk: f for f in CustomField.objects.filter(pk__in=ids)}

    def _options(self, ids: set[str]) -> dict[str, CustomFieldOption]:
        if self.config is not None:
            # Prefetched through their field, so option.custom_field is loaded too.
            return {o.pk: o for f in self.config.custom_fields for o in f.options.all() if o.pk in ids}
        return {o.pk: o for o in CustomFieldOption.objects.filter(pk__in=ids).select_related("custom_field")}

    def _roles(self, ids: set[str]) -> dict[str, IncidentRole]:
        if self.config is not None:
            return {r.pk: r for r in self.config.roles if r.pk in ids}
        return {r.pk: r for r in IncidentRole.objects.filter(pk__in=ids)}

    def _timestamps(self, ids: set[str]) -> dict[str, IncidentTimestamp]:
        if self.config is not None:
            return {t.pk: t for t in self.config.timestamps if t.pk in ids}
        return {t.pk: t for t in IncidentTimestamp.objects.filter(pk__in=ids)}

    def custom_field_values(self, entries: list[dict], field: str = "custom_field_entries") -> list[services.CleanValues]:
        """``[{custom_field_id, values: [{value_option_id | value_text | value_link | value_numeric}]}]``
        -> each field's values as the service layer accepted them; an empty ``values``
        clears the field."""
        fields = self._custom_fields({e["custom_field_id"] for e in entries})
        options = self._options({v["value_option_id"] for e in entries for v in e["values"] if v.get("value_option_id")})
        resolved, seen = [], set()
        for i, entry in enumerate(entries):
            at = f"{field}[{i}]"
            custom_field = fields.get(entry["custom_field_id"])
            if custom_field is None:
                self.error(f"{at}.custom_field_id", f"No custom field with id {entry['custom_field_id']}")
                continue
            if custom_field.pk in seen:
                self.error(f"{at}.custom_field_id", f"{custom_field.name} appears more than once")
                continue
            seen.add(custom_field.pk)
            values = [self._field_value(custom_field, raw, options, f"{at}.values[{j}]") for j, raw in enumerate(entry["values"])]
            if None in values:
                continue
            try:
                resolved.append(services.clean_field_values(custom_field, values))
            except services.InvalidFieldValue as exc:
                where = f"{at}.values" if exc.index is None else f"{at}.values[{exc.index}].{self._value_key(custom_field)}"
                self.error(where, exc.message)
        return resolved

    @staticmethod
    def _value_key(field: CustomField) -> str:
        """The member of a value that carries it, for a field of this type."""
        if field.is_select:
            return "value_option_id"
        return {FieldType.TEXT: "value_text", FieldType.LINK: "value_link", FieldType.NUMERIC: "value_numeric"}[field.field_type]

    def _field_value(self, field: CustomField, raw: dict, options: dict, at: str) -> services.FieldValue | None:
        """The value one member of a body's ``values`` names, or None (and an error) when
        its ids are unknown or it is not in the form the field's type takes."""
        if raw.get("value_catalog_entry_id") or raw.get("value_timestamp"):
            key = "value_catalog_entry_id" if raw.get("value_catalog_entry_id") else "value_timestamp"
            self.error(f"{at}.{key}", f"{field.name} is a {field.field_type} field; catalog and timestamp values are not supported")
            return None
        key = self._value_key(field)
        if field.is_select:
            option_id = raw.get(key)
            if not option_id:
                self.error(f"{at}.{key}", f"{field.name} takes an option id ({key})")
                return None
            option = options.get(option_id)
            if option is None:
                self.error(f"{at}.{key}", f"No custom field option with id {option_id}")
                return None
            return services.FieldValue(option=option)
        stray = [k for k in ("value_option_id", "value_text", "value_link", "value_numeric") if k != key and raw.get(k) not in (None, "")]
        if stray:
            self.error(f"{at}.{stray[0]}", f"{field.name} is a {field.field_type} field: send {key}")
            return None
        return services.FieldValue(text=str(raw.get(key) or ""))

    def role_assignments(
        self, entries: list[dict], field: str = "incident_role_assignments", *, reporter_allowed: bool = True
    ) -> dict:
        """``[{incident_role_id, assignee: {id | email | slack_user_id}}]`` -> ``{IncidentRole: user}``;
        an assignment without an assignee unassigns the role."""
        roles = self._roles({e["incident_role_id"] for e in entries})
        references = [e.get("assignee") or {} for e in entries]
        by_id, by_email = selectors.active_users_by_reference(
            ids=[r["id"] for r in references if r.get("id")], emails=[r["email"] for r in references if r.get("email")]
        )
        resolved = {}
        for i, entry in enumerate(entries):
            at = f"{field}[{i}]"
            role = roles.get(entry["incident_role_id"])
            if role is None:
                self.error(f"{at}.incident_role_id", f"No incident role with id {entry['incident_role_id']}")
                continue
            if role in resolved:
                self.error(f"{at}.incident_role_id", f"{role.name} appears more than once")
                continue
            if not reporter_allowed and role.role_type == RoleType.REPORTER:
                # incident.io: "the 'reporter' role can only be assigned when creating an incident".
                self.error(f"{at}.incident_role_id", f"{role.name} can only be assigned when the incident is created")
                continue
            reference = entry.get("assignee")
            if reference is None:
                resolved[role] = None
                continue
            user = self._user(reference, by_id, by_email, f"{at}.assignee")
            if user is not None:
                resolved[role] = user
        return resolved

    def _user(self, reference: dict, by_id: dict, by_email: dict, at: str):
        if reference.get("id"):
            user = by_id.get(str(reference["id"]))
            described = f"id {reference['id']}"
        elif reference.get("email"):
            user = by_email.get(reference["email"].strip().lower())
            described = f"email {reference['email']}"
        elif reference.get("slack_user_id"):
            # No Slack workspace here: nobody has a Slack user id.
            user, described = None, f"Slack user id {reference['slack_user_id']}"
        else:
            self.error(at, "Name the assignee by id or email")
            return None
        if user is None:
            self.error(at, f"No active user with {described}")
        return user

    def timestamp_values(self, entries: list[dict], field: str = "incident_timestamp_values") -> dict:
        """``[{incident_timestamp_id, value}]`` -> ``{IncidentTimestamp: datetime | None}``;
        no value clears the timestamp."""
        timestamps = self._timestamps({e["incident_timestamp_id"] for e in entries})
        resolved = {}
        for i, entry in enumerate(entries):
            timestamp = timestamps.get(entry["incident_timestamp_id"])
            if timestamp is None:
                self.error(f"{field}[{i}].incident_timestamp_id", f"No incident timestamp with id {entry['incident_timestamp_id']}")
            elif timestamp in resolved:
                self.error(f"{field}[{i}].incident_timestamp_id", f"{timestamp.name} appears more than once")
            else:
                resolved[timestamp] = entry.get("value")
        return resolved
