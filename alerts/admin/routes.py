"""Alert routes in the admin, with plain-language help: what a route takes, how it
groups, what incident it declares and what happens when its alerts resolve. Saving goes
through ``services.create_alert_route``/``update_alert_route``."""

from django import forms
from django.contrib import admin

from alerts import services
from alerts.models import AlertRoute, AlertRouteSource, AlertSource
from alerts.services.routes import FIELDS as ROUTE_FIELDS
from core.admin.common import DomainErrorsAsMessages

FIELDS = list(ROUTE_FIELDS)


class AlertRouteForm(forms.ModelForm):
    sources = forms.ModelMultipleChoiceField(
        queryset=AlertSource.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        help_text="The route takes alerts from these sources only.",
    )

    class Meta:
        model = AlertRoute
        fields = ["name", *[f for f in FIELDS if f != "extras"], "components"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            self.fields["sources"].initial = [rs.source_id for rs in self.instance.route_sources.all()]


@admin.register(AlertRoute)
class AlertRouteAdmin(DomainErrorsAsMessages, admin.ModelAdmin):
    form = AlertRouteForm
    list_display = ["name", "enabled", "grouping_window_seconds", "window_type", "is_private", "when_resolved", "version"]
    list_filter = ["enabled", "is_private"]
    readonly_fields = ["version"]
    fieldsets = [
        (
            "Which alerts",
            {
                "description": "A route takes each new alert from its sources that meets its conditions. Conditions are "
                'incident.io\'s condition groups, e.g. [{"conditions": [{"subject": "alert.metadata.labels.team", '
                '"operation": "one_of", "param_bindings": [{"array_value": [{"literal": "payments"}]}]}]}]; '
                "leave them empty to take every alert.",
                "fields": ["name", "enabled", "sources", "condition_groups", "version"],
            },
        ),
        (
            "Grouping",
            {
                "description": "Alerts with the same values of the grouping keys join one incident while the window lasts. "
                "Rolling: each new alert keeps the group open for another window. Fixed: the group closes a window after "
                "its first alert. A window of 0 gives each alert its own incident. An alert arriving after its group's "
                "incident has ended starts a new one.",
                "fields": ["grouping_keys", "grouping_window_seconds", "window_type"],
            },
        ),
        (
            "The incident",
            {
                "description": "The first alert of a group declares an incident like this; the name and summary may use "
                "placeholders such as {{ alert.title }} or {{ alert.metadata.labels.instance }}. Without a fixed severity, "
                "the alert's severity names one (critical → Critical).",
                "fields": [
                    "incident_enabled",
                    "incident_condition_groups",
                    "name_template",
                    "summary_template",
                    "incident_type",
                    "severity",
                    "severity_merge",
                    "start_in_triage",
                    "is_private",
                ],
            },
        ),
        (
            "On a status page",
            {
                "description": "Optional. While a group's alerts fire, the page shows an incident with your name and "
                "message below and the chosen components at the chosen status; when they have all resolved, it is "
                "resolved and the components are operational again. Nothing from the alerts themselves is shown.",
                "fields": [
                    "status_page",
                    "components",
                    "component_status",
                    "public_name",
                    "public_message",
                    "public_resolved_message",
                    "notify_subscribers",
                ],
            },
        ),
        (
            "When every alert has resolved",
            {
                "description": "Once the last firing alert of an incident resolves: a triage incident is declined if you "
                "tick the box; otherwise the route does what you choose below.",
                "fields": ["auto_decline_enabled", "when_resolved"],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("route_sources")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        kept = {} if not change else {rs.source_id: rs.condition_groups for rs in AlertRouteSource.objects.filter(route=obj)}
        sources = [(source, kept.get(source.pk, [])) for source in data["sources"]]
        fields = {f: data[f] for f in FIELDS if f in data}
        fields["components"] = list(data.get("components") or [])
        if change:
            saved = services.update_alert_route(route=obj, name=data["name"], sources=sources, **fields)
        else:
            saved = services.create_alert_route(name=data["name"], sources=sources, **fields)
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if k != "_state"})
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """The sources were saved by the service."""

    def delete_model(self, request, obj):
        services.delete_alert_route(route=obj)

    def delete_queryset(self, request, queryset):
        for route in queryset:
            services.delete_alert_route(route=route)
