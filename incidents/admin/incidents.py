"""The incident screens: the list responders filter during an outage, the add form, and the
incident page, whose forms and actions all go through ``services``."""

from copy import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from core import audit
from core.admin.common import DomainErrorsAsMessages, RestrictedAdmin
from core.exceptions import DomainError
from core.markdown import render_markdown
from core.numbers import whole_number
from incidents.admin import (
    console,
    console_actions,
    console_follow_ups,
    console_related,
    console_timeline,
    display,
    incident_page,
    members,
)
from incidents.models import (
    CustomFieldValue,
    Incident,
    IncidentRoleAssignment,
    IncidentStatus,
    IncidentTimestampValue,
    IncidentUpdate,
    RoleType,
    Severity,
    StatusCategory,
    Visibility,
)

from .. import selectors, services
from .pagination import EstimatedCountPaginator


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
class IncidentAdmin(RestrictedAdmin, DomainErrorsAsMessages, admin.ModelAdmin):
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
    change_form_template = "admin/incidents/incident/change_form.html"
    readonly_fields = [
        "creator",
        "created_at",
        "updated_at",
        "last_activity_at",
        "external_issue",
        "postmortem",
        "status_page",
    ]
    details = ["name", "summary", "incident_type", "mode", "visibility", "call_url", "postmortem_document_url"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = IncidentAddForm
            return super().get_form(request, obj, change, **kwargs)
        data = incident_page.console_data(request)
        kwargs["fields"] = self.details  # the rest are the form's own fields
        return incident_page.incident_form_class(super().get_form(request, obj, change, **kwargs), data)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": IncidentAddForm.Meta.fields})]
        config = incident_page.console_data(request).config
        fieldsets = [
            ("Roles", {"fields": [incident_page.role_key(r) for r in config.roles]}),
            ("Custom fields", {"fields": [incident_page.field_key(f) for f in config.custom_fields]}),
            ("Timestamps", {"fields": [incident_page.timestamp_key(t) for t in config.timestamps], "classes": ["collapse"]}),
            ("Details", {"fields": self.details}),
            ("Links", {"fields": ["external_issue", "postmortem", "status_page"]}),
            ("History", {"fields": ["creator", "created_at", "updated_at", "last_activity_at"], "classes": ["collapse"]}),
        ]
        return [(name, options) for name, options in fieldsets if options["fields"]]

    def get_readonly_fields(self, request, obj=None):
        # Status and severity change by posting an update on an existing incident, so each
        # change is on the timeline; on a new incident they are chosen in the form.
        return [] if obj is None else self.readonly_fields

    def get_object(self, request, object_id, from_field=None):
        if from_field is not None:
            return super().get_object(request, object_id, from_field)
        # The page shows every role, field and timestamp: load them with the incident, once
        # a request (the page's context and the admin's form both ask).
        data = incident_page.console_data(request)
        if data.incident is None or data.incident.pk != object_id:
            data.incident = selectors.with_details(self.get_queryset(request).order_by()).filter(pk=object_id).first()
            if data.incident is None:
                self.audit_refusal(request, object_id)
        return data.incident

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        # Operational forms never offer to add, change or delete configuration: that is
        # edited on its own pages.
        widget = getattr(formfield, "widget", None)
        if isinstance(widget, RelatedFieldWidgetWrapper):
            widget.can_add_related = widget.can_change_related = widget.can_delete_related = widget.can_view_related = False
        return formfield

    def get_urls(self):
        return [
            path("<str:object_id>/post-update/", self.admin_site.admin_view(self.post_update_view), name="incidents_incident_post_update"),
            *members.urls(self),
            *console_follow_ups.urls(self),
            *console_actions.urls(self),
            *console_timeline.urls(self),
            *console_related.urls(self),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = dict(extra_context or {})
        incident = self.get_object(request, unquote(object_id))
        if incident is not None and incident.visibility == Visibility.PRIVATE and request.method == "GET":
            # Who read a private incident, in the audit log (the API's reads are not logged).
            audit.record_access(incident, granted=True)
        if incident is not None:
            extra.update(self._console_context(request, incident, extra.pop("update_form", None)))
        return super().change_view(request, object_id, form_url, extra)

    def _console_context(self, request, incident, update_form=None) -> dict:
        data = incident_page.console_data(request)
        if update_form is None and self.has_change_permission(request, incident):
            update_form = incident_page.PostUpdateForm(incident=incident, data_=data, extensions=incident_page.load_extensions(incident))
        label, words = display.duration(incident, incident.loaded_timestamp_values)
        return {
            "incident": incident,
            "status_badge": display.status_badge(incident.status),
            "severity_badge": display.severity_badge(incident.severity, data.severity_levels),
            "lead": display.person(display.lead_of(incident.loaded_role_assignments)),
            "duration_label": label,
            "duration": words,
            "update_form": update_form,
            "post_update_url": reverse("admin:incidents_incident_post_update", args=[incident.pk]),
            "timeline": incident_page.timeline(incident),
            "summary_html": render_markdown(incident.summary) if incident.summary else "",
            **members.members_context(self, request, incident),
            **console_follow_ups.follow_ups_context(self, request, incident),
            **console_actions.actions_context(self, request, incident),
            **console_timeline.timeline_context(self, request, incident),
            **console_related.related_context(self, request, incident),
            "cards": [html for html in (card.render(request, incident) for card in console.CARDS) if html],
        }

    def post_update_view(self, request, object_id):
        """Post an update from the incident page: one submit, one service call (with what
        other apps add, in the same transaction), one timeline entry. Moving a closed or
        declined incident back to an active status asks first, on a page of its own."""
        incident = self.get_object(request, unquote(object_id))
        if incident is None:
            raise Http404
        if not self.has_change_permission(request, incident):
            raise PermissionDenied
        change_url = reverse("admin:incidents_incident_change", args=[incident.pk])
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        data = incident_page.console_data(request)
        extensions = incident_page.load_extensions(incident)
        form = incident_page.PostUpdateForm(request.POST, incident=incident, data_=data, extensions=extensions)
        if form.is_valid():
            if form.reopens and not form.cleaned_data["confirm_reopen"]:
                return self._confirm_reopen(request, incident, form)
            try:
                notes = self._post_update(request, incident, form)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                self.message_user(request, " ".join(["Update posted.", *notes]), messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        # Show the page again with the form as posted and its errors.
        page_request = copy(request)
        page_request.method = "GET"
        return self.change_view(page_request, object_id, extra_context={"update_form": form})

    def _post_update(self, request, incident, form) -> list[str]:
        cleaned = form.cleaned_data
        before = (incident.status.name, incident.severity.name if incident.severity else "none")
        with transaction.atomic():
            update = services.post_incident_update(
                incident=incident, actor=request.user, message=cleaned["message"],
                new_status=cleaned["new_status"], new_severity=cleaned["new_severity"],
            )
            notes = [
                extension.apply(incident=incident, update=update, data={n: cleaned.get(n) for n in names}, loaded=loaded, actor=request.user)
                for extension, loaded, names in form.extensions
            ]
            changes = []
            if cleaned["new_status"]:
                changes.append(f"status {before[0]} → {cleaned['new_status'].name}")
            if cleaned["new_severity"]:
                changes.append(f"severity {before[1]} → {cleaned['new_severity'].name}")
            self.log_change(request, incident, "Posted an update" + (f": {', '.join(changes)}" if changes else ""))
        return [note for note in notes if note]

    def _confirm_reopen(self, request, incident, form):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Reopen {incident.reference}?",
            "incident": incident,
            "form": form,
            "new_status": form.cleaned_data["new_status"],
            "post_update_url": reverse("admin:incidents_incident_post_update", args=[incident.pk]),
            "change_url": reverse("admin:incidents_incident_change", args=[incident.pk]),
            "posted": [(key, value) for key in request.POST for value in request.POST.getlist(key) if key not in ("csrfmiddlewaretoken", "confirm_reopen")],
        }
        return TemplateResponse(request, "admin/incidents/incident/confirm_reopen.html", context)

    def get_ordering(self, request):
        # Active incidents first, then newest first: read in the order of an index
        # (incident_active_first_idx). -reference_number is unique, so the admin adds no
        # "-pk" to make the order total.
        return ["-is_active", "-reference_number"]

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
        if obj.severity is None:
            return "—"
        return display.severity_badge(obj.severity, getattr(obj, "severity_levels", {}))

    @admin.display(description="Lead")
    def lead(self, obj):
        return display.person(display.lead_of(obj.loaded_role_assignments))

    @admin.display(description="Duration")
    def open_for(self, obj):
        label, words = display.duration(obj, obj.loaded_timestamp_values, now=getattr(obj, "listed_at", None))
        if label == "open for":
            return format_html('<span class="inc-open" title="open for">{}</span>', words)
        return format_html('<span class="inc-resolved" title="time to resolve">{}</span>', words)

    @admin.display(description="Last activity", ordering="last_activity_at")
    def last_activity(self, obj):
        ago = display.in_words((getattr(obj, "listed_at", None) or timezone.now()) - obj.last_activity_at)
        return format_html('<time datetime="{}" title="{}">{} ago</time>', obj.last_activity_at.isoformat(),
                           obj.last_activity_at.strftime("%Y-%m-%d %H:%M %Z"), ago)

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
        # One service call for the whole form: details, roles, custom fields, timestamps.
        changed = set(form.changed_data)
        services.edit_incident(
            incident=obj,
            actor=request.user,
            **{name: getattr(obj, name) for name in self.details if name in changed},
            role_assignments=form.role_assignments(),
            custom_field_values=form.clean_custom_values,
            timestamp_values=form.timestamp_values(),
        )

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
