"""The incident page's forms and reads: the configuration a request renders against,
the details form (one row per role, custom field and timestamp, each with the widget its
type needs), the "Post an update" form and the timeline.

Every choice list is built from what the request loaded once (``ConsoleData``), never
from a queryset per field: the page costs the same queries whatever its roles, fields,
options and updates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from core.markdown import render_markdown
from incidents.admin import display
from incidents.models import FieldRequired, FieldType, Incident, IncidentUpdate, StatusCategory, TimelineItem

from .. import selectors, services
from .console import UPDATE_EXTENSIONS

REOPENABLE_FROM = (StatusCategory.CLOSED, StatusCategory.DECLINED)


@dataclass
class ConsoleData:
    """What one request of the incident page reads once: the configuration, the people a
    role can go to, the severities' colours."""

    config: selectors.IncidentConfig = field(default_factory=selectors.incident_config)
    incident: Incident | None = None

    @cached_property
    def users(self) -> list:
        return list(get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username"))

    @cached_property
    def severity_levels(self) -> dict:
        return display.severity_levels(self.config.severities.values())


def console_data(request) -> ConsoleData:
    if not hasattr(request, "incident_console"):
        request.incident_console = ConsoleData()
    return request.incident_console


def role_key(role) -> str:
    return f"role_{role.pk}"


def field_key(custom_field) -> str:
    return f"field_{custom_field.pk}"


def timestamp_key(timestamp) -> str:
    return f"timestamp_{timestamp.pk}"


def _custom_field_formfield(custom_field) -> forms.Field:
    help_text = {
        FieldRequired.ALWAYS: "Required.",
        FieldRequired.BEFORE_CLOSURE: "Required before the incident closes.",
    }.get(custom_field.required, "")
    if custom_field.description and custom_field.description != custom_field.name:
        help_text = f"{help_text} {custom_field.description}".strip()
    common = {"label": custom_field.name, "required": False, "help_text": help_text}
    options = [(o.pk, o.value) for o in custom_field.options.all()]
    if custom_field.field_type == FieldType.SINGLE_SELECT:
        return forms.ChoiceField(choices=[("", "—"), *options], **common)
    if custom_field.field_type == FieldType.MULTI_SELECT:
        return forms.MultipleChoiceField(choices=options, widget=forms.SelectMultiple(attrs={"size": min(max(len(options), 2), 6)}), **common)
    if custom_field.field_type == FieldType.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), strip=False, **common)
    if custom_field.field_type == FieldType.LINK:
        return forms.CharField(widget=forms.URLInput(attrs={"placeholder": "https://"}), **common)
    return forms.CharField(widget=forms.NumberInput(attrs={"step": "any"}), **common)


def _initial_field_value(custom_field, values):
    mine = [v for v in values if v.custom_field_id == custom_field.pk]
    if custom_field.field_type == FieldType.MULTI_SELECT:
        return [v.value_option_id for v in mine]
    if not mine:
        return ""
    return mine[0].value_option_id if custom_field.is_select else mine[0].display_value


DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def incident_form_class(base: type[forms.ModelForm], data: ConsoleData) -> type[forms.ModelForm]:
    """``base`` (the admin's model form) with one field per role, custom field and
    timestamp, named ``role_<id>``, ``field_<id>``, ``timestamp_<id>``."""
    people = [("", "—"), *((str(u.pk), display.person(u)) for u in data.users)]
    attrs = {}
    for role in data.config.roles:
        attrs[role_key(role)] = forms.ChoiceField(label=role.name, choices=people, required=False, help_text=role.description)
    for custom_field in data.config.custom_fields:
        attrs[field_key(custom_field)] = _custom_field_formfield(custom_field)
    for timestamp in data.config.timestamps:
        attrs[timestamp_key(timestamp)] = forms.DateTimeField(
            label=timestamp.name, required=False, input_formats=[DATETIME_INPUT],
            widget=forms.DateTimeInput(format=DATETIME_INPUT, attrs={"type": "datetime-local"}),
        )
    attrs["console_data"] = data
    return type("IncidentConsoleForm", (IncidentDetailsForm, base), attrs)


class IncidentDetailsForm(forms.ModelForm):
    """The incident's details with its roles, custom fields and timestamps. Custom field
    values are checked by the service's rules (``clean_field_values``), whose message
    names the field."""

    console_data: ConsoleData

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        incident = self.instance
        if incident.pk is None:
            return
        assignments = {a.role_id: a.assignee_id for a in incident.loaded_role_assignments}
        people = {key for key, _ in self.fields[role_key(self.console_data.config.roles[0])].choices} if self.console_data.config.roles else set()
        for role in self.console_data.config.roles:
            assignee = assignments.get(role.pk)
            if assignee is not None and str(assignee) not in people:  # someone since deactivated
                user = next(a.assignee for a in incident.loaded_role_assignments if a.role_id == role.pk)
                self.fields[role_key(role)].choices = [*self.fields[role_key(role)].choices, (str(user.pk), display.person(user))]
            self.initial[role_key(role)] = str(assignee) if assignee is not None else ""
        for custom_field in self.console_data.config.custom_fields:
            self.initial[field_key(custom_field)] = _initial_field_value(custom_field, incident.loaded_custom_field_values)
        stamps = {v.timestamp_id: v.value for v in incident.loaded_timestamp_values}
        for timestamp in self.console_data.config.timestamps:
            value = stamps.get(timestamp.pk)
            self.initial[timestamp_key(timestamp)] = timezone.localtime(value).replace(second=0, microsecond=0) if value else None

    def clean(self):
        data = super().clean()
        self.clean_custom_values = []
        changed = set(self.changed_data)
        for custom_field in self.console_data.config.custom_fields:
            key = field_key(custom_field)
            if key not in changed or key in self.errors:
                continue
            raw = data.get(key)
            options = {str(o.pk): o for o in custom_field.options.all()}
            if custom_field.field_type == FieldType.MULTI_SELECT:
                values = [services.FieldValue(option=options[pk]) for pk in raw or []]
            elif custom_field.field_type == FieldType.SINGLE_SELECT:
                values = [services.FieldValue(option=options[raw])] if raw else []
            else:
                values = [services.FieldValue(text=raw or "")]
            try:
                self.clean_custom_values.append(services.clean_field_values(custom_field, values))
            except services.InvalidFieldValue as exc:
                self.add_error(key, exc.message)
        return data

    def role_assignments(self) -> dict:
        users = {str(u.pk): u for u in self.console_data.users}
        users.update({str(a.assignee_id): a.assignee for a in getattr(self.instance, "loaded_role_assignments", [])})
        return {
            role: users.get(self.cleaned_data[role_key(role)])
            for role in self.console_data.config.roles
            if role_key(role) in self.changed_data
        }

    def timestamp_values(self) -> dict:
        return {
            timestamp: self.cleaned_data[timestamp_key(timestamp)]
            for timestamp in self.console_data.config.timestamps
            if timestamp_key(timestamp) in self.changed_data
        }


class PostUpdateForm(forms.Form):
    """One update: a message, a new status, a new severity, and what other apps add
    (``console.UPDATE_EXTENSIONS``)."""

    message = forms.CharField(
        required=False, strip=True, widget=forms.Textarea(attrs={"rows": 4, "placeholder": "What changed, what is next…"}),
        help_text="Markdown.",
    )
    new_status = forms.ChoiceField(required=False, label="Status")
    new_severity = forms.ChoiceField(required=False, label="Severity")
    confirm_reopen = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, incident: Incident, data_: ConsoleData, extensions: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident, self.console_data = incident, data_
        config = data_.config
        self.statuses = {str(s.pk): s for s in config.statuses}
        self.severities = {str(s.pk): s for s in sorted(config.severities.values(), key=lambda s: (s.rank, s.pk))}
        self.fields["new_status"].choices = [("", f"Unchanged ({incident.status.name})"), *((k, s.name) for k, s in self.statuses.items() if s.pk != incident.status_id)]
        current = incident.severity.name if incident.severity else "none"
        self.fields["new_severity"].choices = [("", f"Unchanged ({current})"), *((k, s.name) for k, s in self.severities.items() if s.pk != incident.severity_id)]
        self.extensions = []
        for extension, loaded in extensions:
            names = extension.fields(incident, loaded)
            self.fields.update(names)
            self.extensions.append((extension, loaded, list(names)))

    def clean(self):
        data = super().clean()
        data["new_status"] = self.statuses.get(data.get("new_status") or "")
        data["new_severity"] = self.severities.get(data.get("new_severity") or "")
        return data

    @property
    def reopens(self) -> bool:
        """Moving a closed or declined incident back to an active status."""
        status = self.cleaned_data.get("new_status")
        return bool(status and status.is_active and self.incident.status.category in REOPENABLE_FROM)

    def extension_fieldsets(self):
        return [(extension.title, [self[name] for name in names]) for extension, _, names in self.extensions if names]


def load_extensions(incident) -> list:
    return [(extension, extension.load(incident)) for extension in UPDATE_EXTENSIONS]


@dataclass(frozen=True)
class TimelineEntry:
    """An update, or a timeline item (``item``, with ``update`` None) noted by a responder."""

    update: IncidentUpdate | None
    html: str
    at: datetime
    who: str
    status_changed: bool
    severity_changed: bool
    item: TimelineItem | None = None


def _who(row) -> str:
    if row.actor_user_id:
        return display.person(row.actor_user)
    return f"API key {row.actor_api_key.name}" if row.actor_api_key_id else "System"


def timeline(incident: Incident) -> list[TimelineEntry]:
    """The incident's updates and timeline items, newest first by when each happened (an
    item may be back-dated between older updates); two queries whatever their number."""
    updates = incident.updates.select_related(
        "new_status", "previous_status", "new_severity", "previous_severity", "actor_user", "actor_api_key"
    ).order_by("-created_at", "-id")
    entries = [
        TimelineEntry(
            update=update,
            html=render_markdown(update.message) if update.message else "",
            at=update.created_at,
            who=_who(update),
            status_changed=update.previous_status_id is None or update.previous_status_id != update.new_status_id,
            severity_changed=update.new_severity_id is not None and update.new_severity_id != update.previous_severity_id,
        )
        for update in updates
    ]
    items = TimelineItem.objects.filter(incident=incident).select_related("actor_user", "actor_api_key")
    entries += [
        TimelineEntry(
            update=None,
            html=render_markdown(item.description) if item.description else "",
            at=item.occurred_at,
            who=_who(item),
            status_changed=False,
            severity_changed=False,
            item=item,
        )
        for item in items
    ]
    # Stable: at the same moment, updates (already newest first) keep their order.
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries
