"""Staff screens. Forms validate; every save, delete and action calls ``services``."""

from collections import defaultdict

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from . import services
from .exceptions import DomainError
from .markdown import render_markdown
from .models import (
    ApiKey,
    ApiRole,
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
    Severity,
    StatusCategory,
)


def _form_error(exc: DomainError) -> ValidationError:
    return ValidationError(exc.message, code=exc.code)


class DomainErrorsAsMessages:
    """A service may still refuse a change the forms could not foresee (a status deleted
    meanwhile, a rule that spans inlines). The transaction is rolled back and the refusal
    is shown as an error message instead of a server error."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ConfigurationAdmin(DomainErrorsAsMessages, admin.ModelAdmin):
    """Severities, statuses, types, roles, fields and timestamps: saved through services."""

    def save_model(self, request, obj, form, change):
        services.save_configuration(obj=obj, actor=request.user)

    def delete_model(self, request, obj):
        services.delete_configuration(obj=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                services.delete_configuration(obj=obj, actor=request.user)


@admin.register(Severity)
class SeverityAdmin(ConfigurationAdmin):
    list_display = ["name", "rank", "description", "updated_at"]
    list_editable = ["rank"]
    ordering = ["rank"]
    search_fields = ["name"]


@admin.register(IncidentStatus)
class IncidentStatusAdmin(ConfigurationAdmin):
    list_display = ["name", "category", "rank", "description"]
    list_editable = ["rank"]
    list_filter = ["category"]
    ordering = ["rank"]
    search_fields = ["name"]


@admin.register(IncidentType)
class IncidentTypeAdmin(ConfigurationAdmin):
    list_display = ["name", "is_default", "private_incidents_only", "create_in_triage"]
    search_fields = ["name"]


@admin.register(IncidentRole)
class IncidentRoleAdmin(ConfigurationAdmin):
    list_display = ["name", "shortform", "role_type", "required"]
    list_filter = ["role_type"]
    search_fields = ["name", "shortform"]

    def get_readonly_fields(self, request, obj=None):
        # The lead and reporter roles stay what they are; custom roles are created as custom.
        return ["role_type"]


@admin.register(IncidentTimestamp)
class IncidentTimestampAdmin(ConfigurationAdmin):
    list_display = ["name", "slug", "rank"]
    list_editable = ["rank"]
    ordering = ["rank"]

    def get_readonly_fields(self, request, obj=None):
        return ["slug"]


class CustomFieldOptionInline(admin.TabularInline):
    model = CustomFieldOption
    extra = 1
    fields = ["value", "sort_key"]


@admin.register(CustomField)
class CustomFieldAdmin(ConfigurationAdmin):
    list_display = ["name", "field_type", "required", "option_count"]
    list_filter = ["field_type", "required"]
    search_fields = ["name"]
    inlines = [CustomFieldOptionInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_options=Count("options"))

    @admin.display(description="Options", ordering="_options")
    def option_count(self, obj):
        return obj._options

    def save_formset(self, request, form, formset, change):
        options = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.delete_configuration(obj=obj, actor=request.user)
        for option in options:
            option.custom_field = form.instance
            services.save_configuration(obj=option, actor=request.user)


# --- incidents --------------------------------------------------------------------------------


class StatusCategoryFilter(admin.SimpleListFilter):
    title = "status category"
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return StatusCategory.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status__category=self.value())
        return queryset


class RoleAssignmentInline(admin.TabularInline):
    model = IncidentRoleAssignment
    extra = 0
    fields = ["role", "assignee"]
    autocomplete_fields = ["assignee"]
    verbose_name = "role"
    verbose_name_plural = "roles"


class CustomFieldValueForm(forms.ModelForm):
    class Meta:
        model = CustomFieldValue
        fields = ["custom_field", "value_option", "value_text", "value_link", "value_numeric"]

    def field_value(self) -> services.FieldValue:
        data = self.cleaned_data
        return services.FieldValue(
            option=data.get("value_option"),
            text=data.get("value_text") or data.get("value_link") or data.get("value_numeric") or "",
        )


class CustomFieldValueFormSet(forms.BaseInlineFormSet):
    """The inline edits single rows; the service replaces a field's values as a whole.
    ``clean`` works out each touched field's final values and checks them with the
    service's rules (once), keeping what it accepted in ``clean_values`` for the save."""

    def clean(self):
        super().clean()
        self.clean_values = []
        touched, kept = set(), defaultdict(list)
        for form in self.forms:
            field = form.cleaned_data.get("custom_field") if form.is_valid() else None
            if field is None:
                continue
            if form.has_changed() or self._should_delete_form(form):
                touched.add(field)
                if form.instance.pk:
                    touched.add(form.instance.custom_field)
            if not self._should_delete_form(form):
                kept[field].append((form, form.field_value()))
        for field in touched:
            try:
                self.clean_values.append(services.clean_field_values(field, [value for _, value in kept[field]]))
            except services.InvalidFieldValue as exc:
                if exc.index is None:
                    raise _form_error(exc) from None
                kept[field][exc.index][0].add_error(None, _form_error(exc))


class CustomFieldValueInline(admin.TabularInline):
    model = CustomFieldValue
    form = CustomFieldValueForm
    formset = CustomFieldValueFormSet
    extra = 0
    verbose_name = "custom field value"


class TimestampValueInline(admin.TabularInline):
    model = IncidentTimestampValue
    extra = 0
    fields = ["timestamp", "value"]
    verbose_name = "timestamp"


class UpdateForm(forms.ModelForm):
    class Meta:
        model = IncidentUpdate
        fields = ["message", "new_status", "new_severity"]
        widgets = {"message": forms.Textarea(attrs={"rows": 2, "cols": 60})}

    def clean(self):
        data = super().clean()
        status = data.get("new_status")
        if status and status.category == StatusCategory.CLOSED and not (data.get("message") or "").strip():
            raise ValidationError("Closing an incident needs a message.")
        return data


class UpdateInline(admin.TabularInline):
    """The timeline: past updates are read-only; the blank row posts a new one."""

    model = IncidentUpdate
    form = UpdateForm
    extra = 1
    max_num = None
    can_delete = False
    fields = ["created_at", "message", "new_status", "new_severity", "updater"]
    readonly_fields = ["created_at", "updater"]
    ordering = ["-id"]
    verbose_name = "update"
    verbose_name_plural = "timeline"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(
            "new_status", "new_severity", "actor_user", "actor_api_key"
        )

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="By")
    def updater(self, obj):
        return obj.actor or "—"


class IncidentAddForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = ["name", "summary", "status", "severity", "incident_type", "mode", "visibility", "call_url"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].required = False
        self.fields["status"].help_text = "Leave empty to start in the type's default status."


@admin.register(Incident)
class IncidentAdmin(DomainErrorsAsMessages, admin.ModelAdmin):
    list_display = ["reference", "name", "status", "category", "severity", "incident_type", "mode", "visibility", "created_at"]
    list_display_links = ["reference", "name"]
    list_filter = [StatusCategoryFilter, "status", "severity", "incident_type", "mode", "visibility"]
    list_select_related = ["status", "severity", "incident_type"]
    search_fields = ["name", "=reference_number"]
    date_hierarchy = "created_at"
    list_per_page = 50
    ordering = ["-created_at"]
    actions = ["close_incidents"]
    inlines = [RoleAssignmentInline, CustomFieldValueInline, TimestampValueInline, UpdateInline]
    readonly_fields = [
        "reference",
        "creator",
        "created_at",
        "updated_at",
        "last_activity_at",
        "status",
        "severity",
        "external_issue",
        "postmortem",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "name", "summary", "status", "severity", "incident_type"]}),
        ("Settings", {"fields": ["mode", "visibility", "call_url", "postmortem_document_url"]}),
        ("Links", {"fields": ["external_issue", "postmortem"], "classes": ["collapse"]}),
        ("History", {"fields": ["creator", "created_at", "updated_at", "last_activity_at"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = IncidentAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": IncidentAddForm.Meta.fields})]
        return self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        # Status and severity change through the timeline on an existing incident, so each
        # change is recorded; on a new incident they are chosen in the form.
        return [] if obj is None else self.readonly_fields

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if term.upper().startswith("INC-") and term[4:].isdigit():
            return queryset.filter(reference_number=int(term[4:])), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="Reference", ordering="reference_number")
    def reference(self, obj):
        return obj.reference

    @admin.display(description="Category", ordering="status__category")
    def category(self, obj):
        return obj.status.get_category_display()

    @admin.display(description="External issue")
    def external_issue(self, obj):
        if not obj.external_issue_url:
            return "—"
        return format_html(
            '<a href="{}" rel="noopener noreferrer">{}</a> ({})',
            obj.external_issue_url,
            obj.external_issue_name,
            obj.get_external_issue_provider_display(),
        )

    @admin.display(description="Postmortem")
    def postmortem(self, obj):
        if not obj.postmortem_title:
            return "—"
        return format_html(
            "<strong>{}</strong><div class='postmortem'>{}</div>",
            obj.postmortem_title,
            render_markdown(obj.postmortem_content),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            incident = services.declare_incident(
                actor=request.user,
                name=obj.name,
                summary=obj.summary,
                status=form.cleaned_data.get("status"),
                severity=obj.severity,
                incident_type=obj.incident_type,
                mode=obj.mode,
                visibility=obj.visibility,
                call_url=obj.call_url,
            )
            # The admin goes on with the object it built (messages, redirect, inlines).
            obj.__dict__.update({k: v for k, v in incident.__dict__.items() if k != "_state"})
            obj._state.adding = False
            return
        services.edit_incident(
            incident=obj,
            actor=request.user,
            name=obj.name,
            summary=obj.summary,
            incident_type=obj.incident_type,
            visibility=obj.visibility,
            mode=obj.mode,
            call_url=obj.call_url,
            postmortem_document_url=obj.postmortem_document_url,
        )

    def save_formset(self, request, form, formset, change):
        incident = form.instance
        actor = request.user
        if formset.model is IncidentUpdate:
            for update_form in formset.extra_forms:
                if update_form.has_changed():
                    data = update_form.cleaned_data
                    services.post_incident_update(
                        incident=incident,
                        actor=actor,
                        message=data.get("message") or "",
                        new_status=data.get("new_status"),
                        new_severity=data.get("new_severity"),
                    )
        elif formset.model is IncidentRoleAssignment:
            for f in formset.forms:
                if not f.has_changed() and not formset._should_delete_form(f):
                    continue
                data = f.cleaned_data
                if not data.get("role"):
                    continue
                if formset._should_delete_form(f):
                    services.assign_role(incident=incident, role=f.instance.role, assignee=None, actor=actor)
                else:
                    if f.instance.pk and f.initial.get("role") != data["role"].pk:
                        services.assign_role(incident=incident, role=f.instance.role, assignee=None, actor=actor)
                    services.assign_role(incident=incident, role=data["role"], assignee=data["assignee"], actor=actor)
        elif formset.model is IncidentTimestampValue:
            values = {}
            for f in formset.forms:
                data = f.cleaned_data
                if not data.get("timestamp") or not (f.has_changed() or formset._should_delete_form(f)):
                    continue
                if f.instance.pk and f.instance.timestamp_id != data["timestamp"].pk:
                    values[f.instance.timestamp] = None
                values[data["timestamp"]] = None if formset._should_delete_form(f) else data["value"]
            if values:
                services.set_timestamp_values(incident=incident, values=values, actor=actor)
        elif formset.model is CustomFieldValue:
            self._save_custom_field_values(incident, formset, actor)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def _save_custom_field_values(self, incident, formset, actor):
        for values in formset.clean_values:
            services.set_custom_field_value(incident=incident, values=values, actor=actor)

    def delete_model(self, request, obj):
        # Incidents are closed or declined, not deleted; deleting is kept for mistakes
        # (a test declared by hand) and needs the delete permission.
        obj.delete()

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_change_permission(request):
            return actions
        for status in IncidentStatus.objects.exclude(category=StatusCategory.CLOSED):
            name = f"move_to_{status.pk}"
            actions[name] = (self._move_action(status), name, f"Move to {status.name}")
        return actions

    @staticmethod
    def _move_action(status):
        def move(modeladmin, request, queryset):
            moved = 0
            for incident in queryset:
                if incident.status_id == status.pk:
                    continue
                services.change_status(
                    incident=incident,
                    status=status,
                    actor=request.user,
                    message=f"Moved to {status.name} by {request.user.get_username()}",
                )
                moved += 1
            modeladmin.message_user(request, f"Moved {moved} incident(s) to {status.name}.", messages.SUCCESS)

        return move

    @admin.action(description="Close selected incidents", permissions=["change"])
    def close_incidents(self, request, queryset):
        closed = 0
        for incident in queryset.select_related("status"):
            if incident.status.category == StatusCategory.CLOSED:
                continue
            services.close_incident(
                incident=incident, actor=request.user, message=f"Closed by {request.user.get_username()}"
            )
            closed += 1
        self.message_user(request, f"Closed {closed} incident(s).", messages.SUCCESS)


# --- API keys ---------------------------------------------------------------------------------


class ApiKeyForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(choices=ApiRole.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ApiKey
        fields = ["name", "roles", "comments"]


@admin.register(ApiKey)
class ApiKeyAdmin(DomainErrorsAsMessages, admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ["name", "role_list", "token_hint_display", "created_at", "last_used_at", "token_last_issued_at"]
    search_fields = ["name"]
    readonly_fields = [
        "token_hint_display", "created_by", "created_at", "last_used_at", "token_last_issued_at", "previous_token_display"
    ]
    actions = ["rotate_keys"]

    @admin.display(description="Roles")
    def role_list(self, obj):
        return ", ".join(obj.roles)

    @admin.display(description="Token")
    def token_hint_display(self, obj):
        return f"{ApiKey.TOKEN_PREFIX}…{obj.token_hint}" if obj.token_hint else "—"

    @admin.display(description="Previous token")
    def previous_token_display(self, obj):
        # A token replaced by an API rotation keeps working for its grace period.
        if obj.previous_token_expires_at is None or obj.previous_token_expires_at <= timezone.now():
            return "—"
        return f"still accepted until {date_format(timezone.localtime(obj.previous_token_expires_at), 'DATETIME_FORMAT')}"

    @admin.display(description="Created by")
    def created_by(self, obj):
        return obj.created_by_user or obj.created_by_api_key or "—"

    def save_model(self, request, obj, form, change):
        roles = form.cleaned_data["roles"]
        if change:
            services.update_api_key(key=obj, actor=request.user, name=obj.name, roles=roles, comments=obj.comments)
            return
        key, token = services.create_api_key(actor=request.user, name=obj.name, roles=roles, comments=obj.comments)
        obj.__dict__.update({k: v for k, v in key.__dict__.items() if k != "_state"})
        obj._state.adding = False
        self._show_token_once(request, key, token)

    def _show_token_once(self, request, key, token):
        # The token exists only in this message: it is not stored and cannot be shown again.
        self.message_user(
            request,
            format_html(
                "Token for “{}”: <code>{}</code> — copy it now, it will not be shown again.", key.name, token
            ),
            messages.WARNING,
        )

    def delete_model(self, request, obj):
        services.delete_api_key(key=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for key in queryset:
            services.delete_api_key(key=key, actor=request.user)

    @admin.action(description="Rotate token (the old token stops working)", permissions=["change"])
    def rotate_keys(self, request, queryset):
        for key in queryset:
            key, token = services.rotate_api_key(key=key, actor=request.user)
            self._show_token_once(request, key, token)
