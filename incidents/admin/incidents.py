"""The incident screens: the list responders filter during an outage, the add form, and the
incident page, whose forms and actions all go through ``services``."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db.models import Case, Prefetch, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from .. import services
from ..markdown import render_markdown
from ..numbers import whole_number
from ..models import (
    CustomFieldValue,
    Incident,
    IncidentRoleAssignment,
    IncidentStatus,
    IncidentTimestampValue,
    IncidentUpdate,
    RoleType,
    Severity,
    StatusCategory,
)
from . import display
from .common import DomainErrorsAsMessages
from .incident_inlines import CustomFieldValueInline, RoleAssignmentInline, TimestampValueInline, UpdateInline
from .pagination import EstimatedCountPaginator

# Active incidents (triage, live, paused) before the others, then newest first.
ACTIVE_FIRST = Case(When(status__category__in=display.ACTIVE_CATEGORIES, then=Value(0)), default=Value(1)).asc()


class StatusCategoryFilter(admin.SimpleListFilter):
    """Only the categories some status is in: a filter that can only come back empty is noise."""

    title = "status category"
    parameter_name = "category"

    def lookups(self, request, model_admin):
        used = set(IncidentStatus.objects.order_by().values_list("category", flat=True).distinct())
        return [(value, label) for value, label in StatusCategory.choices if value in used]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status__category=self.value())
        return queryset


class IncidentChangeList(ChangeList):
    """The list's page loads each row's lead and end timestamp in one query each, and the
    severities once to colour them."""

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=IncidentRoleAssignment.objects.filter(role__role_type=RoleType.LEAD).select_related("role", "assignee").order_by(),
                to_attr="loaded_role_assignments",
            ),
            Prefetch(
                "timestamp_values",
                queryset=IncidentTimestampValue.objects.filter(timestamp__slug__in=display.END_TIMESTAMPS).select_related("timestamp").order_by(),
                to_attr="loaded_timestamp_values",
            ),
        )

    def get_results(self, request):
        super().get_results(request)
        levels = display.severity_levels(Severity.objects.all())
        now = timezone.now()
        for incident in self.result_list:
            incident.severity_levels, incident.listed_at = levels, now


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
    list_display = ["reference", "title", "status_badge", "severity_badge", "lead", "open_for", "last_activity"]
    list_display_links = ["reference", "title"]
    list_filter = [StatusCategoryFilter, "status", "severity", "incident_type", "mode", "visibility"]
    list_select_related = ["status", "severity"]
    # The name only: the reference is looked up exactly (get_search_results), and a search
    # on the number as text would scan the table.
    search_fields = ["name"]
    search_help_text = "A reference (INC-123), or words of the name."
    list_per_page = 50
    # No count that grows with the table on every page view: see EstimatedCountPaginator.
    # No date hierarchy either: its list of years reads the whole table.
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    change_list_template = "admin/incidents/incident/change_list.html"
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
        "status_page",
    ]
    fieldsets = [
        (None, {"fields": ["reference", "name", "summary", "status", "severity", "incident_type"]}),
        ("Settings", {"fields": ["mode", "visibility", "call_url", "postmortem_document_url"]}),
        ("Links", {"fields": ["external_issue", "postmortem"], "classes": ["collapse"]}),
        ("Customers", {"fields": ["status_page"]}),
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

    def get_ordering(self, request):
        # -reference_number is unique: the admin adds no "-pk" to make the order total.
        return [ACTIVE_FIRST, "-reference_number"]

    def get_changelist(self, request, **kwargs):
        return IncidentChangeList

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        is_reference = term.upper().startswith("INC-")
        number = whole_number(term[4:] if is_reference else term)
        if number is not None:
            if is_reference:
                return queryset.filter(reference_number=number), False
            return queryset.filter(Q(reference_number=number) | Q(name__icontains=term)), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="Reference", ordering="reference_number")
    def reference(self, obj):
        return obj.reference

    @admin.display(description="Name", ordering="name")
    def title(self, obj):
        if obj.is_private:
            return format_html('{} <span class="inc-badge inc-private">private</span>', obj.name)
        return obj.name

    @admin.display(description="Status", ordering="status__rank")
    def status_badge(self, obj):
        return display.status_badge(obj.status)

    @admin.display(description="Severity", ordering="severity__rank")
    def severity_badge(self, obj):
        return display.severity_badge(obj.severity, getattr(obj, "severity_levels", {}))

    @admin.display(description="Lead")
    def lead(self, obj):
        return display.person(display.lead_of(obj.loaded_role_assignments))

    @admin.display(description="Open for / resolved in")
    def open_for(self, obj):
        label, words = display.duration(obj, obj.loaded_timestamp_values, now=getattr(obj, "listed_at", None))
        if label == "open for":
            return format_html('<span class="inc-open">{}</span>', words)
        return format_html('<span class="inc-resolved" title="time to resolve">{}</span>', words)

    @admin.display(description="Last activity", ordering="last_activity_at")
    def last_activity(self, obj):
        return format_html('<time datetime="{}" title="{}">{} ago</time>', obj.last_activity_at.isoformat(),
                           obj.last_activity_at.strftime("%Y-%m-%d %H:%M %Z"), timesince(obj.last_activity_at, getattr(obj, "listed_at", None), depth=1))

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

    @admin.display(description="Status page")
    def status_page(self, obj):
        # The status pages' admin (a URL name, not an import: status pages build on
        # incidents, not the other way round) publishes about it in words for the public.
        url = reverse("admin:statuspages_pageincident_publish")
        return format_html('<a href="{}?incident={}">Publish an incident on a status page about this one</a>', url, obj.pk)

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
        # The admin asks for the actions several times a request; read the statuses once.
        if not hasattr(request, "_incident_move_statuses"):
            request._incident_move_statuses = list(IncidentStatus.objects.exclude(category=StatusCategory.CLOSED))
        for status in request._incident_move_statuses:
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
