"""Scheduled maintenance: announcing a window, moving it on with updates, and changing its
window or what it affects. Every change goes through ``statuspages.services``."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from core.exceptions import DomainError
from core.markdown import render_markdown
from statuspages import services
from statuspages.models import Component, Maintenance, MaintenanceStatus, StatusPage

from .common import DomainErrorsAsMessages, notify_help, subscriber_reach


class MaintenanceForm(forms.ModelForm):
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="Markdown: the announcement.")
    notify_subscribers = forms.BooleanField(required=False)

    class Meta:
        model = Maintenance
        fields = ["status_page", "name", "starts_at", "ends_at", "components", "automate"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            self.fields["components"].queryset = Component.objects.filter(placements__status_page_id=self.instance.status_page_id)
            # Said once, when it was announced; updates say more.
            del self.fields["message"], self.fields["notify_subscribers"]
        else:
            reach = [(page.name, subscriber_reach(page)) for page in StatusPage.objects.order_by("name")]
            if reach and reach[0][1] is not None:
                counts = "; ".join(f"{name}: {count:,}" for name, count in reach)
                self.fields["notify_subscribers"].help_text = (
                    f"Confirmed subscribers per page ({counts}); those following none of the components chosen are not emailed."
                )


class MaintenanceUpdateForm(forms.Form):
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    status = forms.ChoiceField(choices=MaintenanceStatus.choices)
    notify_subscribers = forms.BooleanField(required=False)

    def __init__(self, *args, maintenance: Maintenance | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if maintenance is not None:
            self.fields["notify_subscribers"].help_text = notify_help(maintenance.status_page, maintenance.components.order_by("name"))


@admin.register(Maintenance)
class MaintenanceAdmin(DomainErrorsAsMessages, admin.ModelAdmin):
    form = MaintenanceForm
    list_display = ["name", "status_page", "status", "starts_at", "ends_at", "automate"]
    list_filter = ["status_page", "status"]
    list_select_related = ["status_page"]
    search_fields = ["name"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["components"]
    change_form_template = "admin/statuspages/maintenance/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        return ["status_page", "status", "started_at", "completed_at"] if obj else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["status_page", "name", "message", "starts_at", "ends_at", "components", "automate", "notify_subscribers"]
        return ["name", "status_page", "status", "starts_at", "ends_at", "started_at", "completed_at", "components", "automate"]

    def get_urls(self):
        return [
            path("<str:object_id>/post-update/", self.admin_site.admin_view(self.post_update_view), name="statuspages_maintenance_post_update"),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.edit_maintenance(
                actor=request.user, maintenance=obj, name=data["name"], starts_at=data["starts_at"], ends_at=data["ends_at"],
                automate=data["automate"],
            )
        else:
            saved = services.schedule_maintenance(
                actor=request.user, status_page=data["status_page"], name=data["name"], message=data["message"],
                starts_at=data["starts_at"], ends_at=data["ends_at"], components=data["components"], automate=data["automate"],
                notify_subscribers=data["notify_subscribers"],
            )
            obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        if change:
            services.edit_maintenance(actor=request.user, maintenance=form.instance, components=form.cleaned_data["components"])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        maintenance = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if maintenance is not None:
            extra["timeline"] = [(update, render_markdown(update.message)) for update in maintenance.updates.order_by("-published_at", "-id")]
            extra["update_form"] = MaintenanceUpdateForm(initial={"status": maintenance.status}, maintenance=maintenance)
            extra["public_url"] = f"/status/{maintenance.status_page.slug}/maintenance/{maintenance.pk}/"
        return super().change_view(request, object_id, form_url, extra)

    def post_update_view(self, request, object_id):
        maintenance = get_object_or_404(Maintenance, pk=object_id)
        if not self.has_change_permission(request, maintenance):
            raise PermissionDenied
        form = MaintenanceUpdateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.post_maintenance_update(actor=request.user, maintenance=maintenance, **form.cleaned_data)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(request, "Update posted.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:statuspages_maintenance_change", args=[maintenance.pk]))

    def delete_model(self, request, obj):
        services.delete_maintenance(actor=request.user, maintenance=obj)
