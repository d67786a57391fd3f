"""Configuration screens: severities, statuses, types, roles, timestamps, and custom fields
with their options, each saved and deleted through ``services``."""

from django.contrib import admin
from django.db import transaction

from core.admin.common import DomainErrorsAsMessages
from incidents.models import (
    CustomField,
    CustomFieldOption,
    IncidentRole,
    IncidentStatus,
    IncidentTimestamp,
    IncidentType,
    Severity,
)

from .. import services


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
