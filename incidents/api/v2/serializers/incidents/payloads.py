"""Request payloads of v2 incidents and incident updates, and ``PayloadResolver``, which
both dialects use to turn the ids of a body into objects before anything is written."""

from __future__ import annotations

from rest_framework import serializers

from incidents import selectors, services
from incidents.exceptions import DomainError
from incidents.models import (
    CustomField,
    CustomFieldOption,
    ExternalIssueProvider,
    FieldType,
    IncidentRole,
    IncidentStatus,
    IncidentTimestamp,
    IncidentType,
    Mode,
    RoleType,
    Severity,
    Visibility,
)


# --- resolving request bodies (both dialects) -------------------------------------------------


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

    def custom_field_values(self, entries: list[dict], field: str = "custom_field_entries") -> dict:
        """``[{custom_field_id, values: [{value_option_id | value_text | value_link | value_numeric}]}]``
        -> ``{CustomField: [FieldValue]}``; an empty ``values`` clears the field."""
        fields = self._custom_fields({e["custom_field_id"] for e in entries})
        options = self._options({v["value_option_id"] for e in entries for v in e["values"] if v.get("value_option_id")})
        resolved, seen = {}, set()
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
            values = []
            for j, raw in enumerate(entry["values"]):
                value = self._field_value(custom_field, raw, options, f"{at}.values[{j}]")
                if value is not None:
                    values.append(value)
            if len(values) == len(entry["values"]):
                try:
                    services.build_custom_field_rows(custom_field, values)
                except DomainError as exc:
                    self.error(f"{at}.values", exc.message)
                    continue
                resolved[custom_field] = values
        return resolved

    def _field_value(self, field: CustomField, raw: dict, options: dict, at: str) -> services.FieldValue | None:
        if raw.get("value_catalog_entry_id") or raw.get("value_timestamp"):
            key = "value_catalog_entry_id" if raw.get("value_catalog_entry_id") else "value_timestamp"
            self.error(f"{at}.{key}", f"{field.name} is a {field.field_type} field; catalog and timestamp values are not supported")
            return None
        if field.is_select:
            option_id = raw.get("value_option_id")
            if not option_id:
                self.error(f"{at}.value_option_id", f"{field.name} takes an option id (value_option_id)")
                return None
            option = options.get(option_id)
            if option is None:
                self.error(f"{at}.value_option_id", f"No custom field option with id {option_id}")
                return None
            if option.custom_field_id != field.pk:
                self.error(
                    f"{at}.value_option_id", f"Option {option_id} belongs to {option.custom_field.name}, not {field.name}"
                )
                return None
            return services.FieldValue(option=option)
        key = {FieldType.TEXT: "value_text", FieldType.LINK: "value_link", FieldType.NUMERIC: "value_numeric"}[field.field_type]
        stray = [k for k in ("value_option_id", "value_text", "value_link", "value_numeric") if k != key and raw.get(k) not in (None, "")]
        if stray:
            self.error(f"{at}.{stray[0]}", f"{field.name} is a {field.field_type} field: send {key}")
            return None
        value = services.FieldValue(text=str(raw.get(key) or ""))
        try:
            services.build_custom_field_rows(field, [value])
        except DomainError as exc:
            self.error(f"{at}.{key}", exc.message)
            return None
        return value

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


# --- request payloads -------------------------------------------------------------------------


class UserReferencePayloadV2Serializer(serializers.Serializer):
    id = serializers.CharField(required=False)
    email = serializers.CharField(required=False)
    slack_user_id = serializers.CharField(required=False)


class IncidentRoleAssignmentPayloadV2Serializer(serializers.Serializer):
    incident_role_id = serializers.CharField()
    assignee = UserReferencePayloadV2Serializer(required=False)


class CustomFieldValuePayloadV2Serializer(serializers.Serializer):
    id = serializers.CharField(required=False)
    value_option_id = serializers.CharField(required=False, allow_blank=True)
    value_text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    value_link = serializers.CharField(required=False, allow_blank=True)
    value_numeric = serializers.CharField(required=False, allow_blank=True)
    value_catalog_entry_id = serializers.CharField(required=False, allow_blank=True)
    value_timestamp = serializers.CharField(required=False, allow_blank=True)


class CustomFieldEntryPayloadV2Serializer(serializers.Serializer):
    custom_field_id = serializers.CharField()
    values = CustomFieldValuePayloadV2Serializer(many=True)


class IncidentTimestampValuePayloadV2Serializer(serializers.Serializer):
    incident_timestamp_id = serializers.CharField()
    value = serializers.DateTimeField(required=False, allow_null=True)


class RetrospectiveIncidentOptionsV2Serializer(serializers.Serializer):
    postmortem_document_url = serializers.URLField(required=False, allow_blank=True)
    slack_channel_id = serializers.CharField(required=False, allow_blank=True)
    external_id = serializers.IntegerField(required=False)


class IncidentsCreatePayloadV2Serializer(serializers.Serializer):
    """Validates a declaration and resolves its ids (against the context's ``config`` when
    the view passes one); ``validated_data`` holds the keyword arguments of
    ``services.declare_incident``."""

    idempotency_key = serializers.CharField(max_length=255)
    visibility = serializers.ChoiceField(choices=Visibility.values)
    name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    summary = serializers.CharField(required=False, allow_blank=True)
    mode = serializers.ChoiceField(choices=Mode.values, required=False)
    incident_status_id = serializers.CharField(required=False)
    severity_id = serializers.CharField(required=False)
    incident_type_id = serializers.CharField(required=False)
    custom_field_entries = CustomFieldEntryPayloadV2Serializer(many=True, required=False)
    incident_role_assignments = IncidentRoleAssignmentPayloadV2Serializer(many=True, required=False)
    incident_timestamp_values = IncidentTimestampValuePayloadV2Serializer(many=True, required=False)
    retrospective_incident_options = RetrospectiveIncidentOptionsV2Serializer(required=False)
    # Accepted for compatibility; there is no Slack workspace to create a channel in.
    slack_team_id = serializers.CharField(required=False, allow_blank=True)
    slack_channel_name_override = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        resolver = PayloadResolver(config=self.context.get("config"))
        declaration = {
            "idempotency_key": attrs["idempotency_key"],
            "visibility": attrs["visibility"],
            "name": attrs.get("name", ""),
            "summary": attrs.get("summary", ""),
            "mode": attrs.get("mode", Mode.STANDARD),
            "status": resolver.status(attrs.get("incident_status_id")),
            "severity": resolver.severity(attrs.get("severity_id")),
            "incident_type": resolver.incident_type(attrs.get("incident_type_id")),
            "custom_field_values": resolver.custom_field_values(attrs.get("custom_field_entries", [])),
            "role_assignments": resolver.role_assignments(attrs.get("incident_role_assignments", [])),
            "timestamp_values": resolver.timestamp_values(attrs.get("incident_timestamp_values", [])),
            "postmortem_document_url": attrs.get("retrospective_incident_options", {}).get("postmortem_document_url", ""),
        }
        resolver.raise_if_any()
        return declaration


class IncidentEditPayloadV2Serializer(serializers.Serializer):
    """The fields to change; ``validated_data`` holds the keyword arguments of
    ``services.edit_incident`` for what was sent (omitted fields stay as they are)."""

    name = serializers.CharField(required=False, max_length=255)
    summary = serializers.CharField(required=False, allow_blank=True)
    call_url = serializers.URLField(required=False, allow_blank=True, max_length=500)
    incident_status_id = serializers.CharField(required=False)
    severity_id = serializers.CharField(required=False)
    custom_field_entries = CustomFieldEntryPayloadV2Serializer(many=True, required=False)
    incident_role_assignments = IncidentRoleAssignmentPayloadV2Serializer(many=True, required=False)
    incident_timestamp_values = IncidentTimestampValuePayloadV2Serializer(many=True, required=False)
    slack_channel_name_override = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        resolver = PayloadResolver()
        changes = {key: attrs[key] for key in ("name", "summary", "call_url") if key in attrs}
        if "incident_status_id" in attrs:
            changes["status"] = resolver.status(attrs["incident_status_id"])
        if "severity_id" in attrs:
            changes["severity"] = resolver.severity(attrs["severity_id"])
        if "custom_field_entries" in attrs:
            changes["custom_field_values"] = resolver.custom_field_values(attrs["custom_field_entries"])
        if "incident_role_assignments" in attrs:
            changes["role_assignments"] = resolver.role_assignments(attrs["incident_role_assignments"], reporter_allowed=False)
        if "incident_timestamp_values" in attrs:
            changes["timestamp_values"] = resolver.timestamp_values(attrs["incident_timestamp_values"])
        resolver.raise_if_any()
        return changes


class IncidentsEditPayloadV2Serializer(serializers.Serializer):
    incident = IncidentEditPayloadV2Serializer()
    # Accepted for compatibility; there is no Slack channel to notify.
    notify_incident_channel = serializers.BooleanField()


class IncidentsConnectExternalIssuePayloadV2Serializer(serializers.Serializer):
    provider = serializers.ChoiceField(choices=ExternalIssueProvider.values)
    url = serializers.CharField(max_length=500)
    # Ticket templates are incident.io's; the issue is linked as it is.
    issue_template_id = serializers.CharField()
    replace = serializers.BooleanField(required=False, default=False)


class IncidentsImportPostmortemDocumentPayloadV2Serializer(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    content = serializers.CharField(allow_blank=True, trim_whitespace=False)


class IncidentUpdatesCreatePayloadV2Serializer(serializers.Serializer):
    """Resolves the incident (among those the key may see), the new status and severity;
    ``validated_data`` holds the keyword arguments of ``services.post_incident_update``."""

    incident_id = serializers.CharField()
    idempotency_key = serializers.CharField(max_length=255)
    message = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    to_incident_status_id = serializers.CharField(required=False)
    to_severity_id = serializers.CharField(required=False)

    def validate(self, attrs):
        resolver = PayloadResolver()
        # A private incident the key may not see is as unknown as a missing one.
        incident = selectors.incidents_visible_to(self.context["request"].auth, details=False).filter(pk=attrs["incident_id"]).first()
        if incident is None:
            resolver.error("incident_id", f"No incident with id {attrs['incident_id']}")
        update = {
            "incident": incident,
            "idempotency_key": attrs["idempotency_key"],
            "message": attrs.get("message", ""),
            "new_status": resolver.one(IncidentStatus, attrs.get("to_incident_status_id"), "to_incident_status_id", "incident status"),
            "new_severity": resolver.severity(attrs.get("to_severity_id"), "to_severity_id"),
        }
        resolver.raise_if_any()
        return update
