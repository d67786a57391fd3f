"""The inlines of the incident page and their forms: role assignments, custom field values,
timestamps, and the timeline, where the blank row posts an update."""

from collections import defaultdict

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from .. import services
from ..models import (
    CustomFieldValue,
    IncidentRoleAssignment,
    IncidentTimestampValue,
    IncidentUpdate,
    StatusCategory,
)
from .common import _form_error


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
