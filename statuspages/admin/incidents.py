"""Status page incidents: publishing one (from scratch or about an internal incident, in
words written for the public), posting updates that move components, and templates.
Every change goes through ``statuspages.services``."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.admin.common import RestrictedAdmin
from core.exceptions import DomainError
from core.markdown import render_markdown
from incidents.models import Incident
from statuspages import selectors, services
from statuspages.models import (
    Component,
    ComponentStatus,
    IncidentStatus,
    IncidentTemplate,
    PageComponent,
    PageIncident,
    Severity,
    StatusPage,
    UpdateComponentStatus,
    Visibility,
)

from ..api.cachet import templates
from .common import ComponentStatusesMixin, DomainErrorsAsMessages, notify_help


class PublishIncidentForm(ComponentStatusesMixin):
    status_page = forms.ModelChoiceField(queryset=StatusPage.objects.all(), widget=forms.HiddenInput)
    incident = forms.ModelChoiceField(queryset=Incident.objects.all(), required=False, widget=forms.HiddenInput)
    name = forms.CharField(max_length=255, help_text="Written for the public: nothing of the internal incident is shown.")
    template = forms.ModelChoiceField(
        queryset=IncidentTemplate.objects.order_by("name", "id"), required=False, empty_label="No template",
        help_text="Writes the message when it is left empty: {{ incident.name }}, {{ incident.status }}, "
        "{{ incident.component.name }} and {{ incident.component_status }} are filled in.",
    )
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, help_text="Markdown, shown on the page (or from the template)."
    )
    status = forms.ChoiceField(choices=IncidentStatus.choices, initial=IncidentStatus.INVESTIGATING)
    severity = forms.ChoiceField(choices=[("", "From the worst impact"), *Severity.choices], required=False)
    visibility = forms.TypedChoiceField(choices=Visibility.choices, coerce=int, initial=Visibility.PUBLIC)
    notify_subscribers = forms.BooleanField(required=False)

    def __init__(self, *args, status_page, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = Incident.objects.restrict(user)
        self.add_component_fields(PageComponent.objects.filter(status_page=status_page).select_related("component").order_by("position"))
        self.fields["notify_subscribers"].help_text = (
            notify_help(status_page) + " Naming components emails those following every component or one of them."
        )
        if not IncidentTemplate.objects.exists():
            del self.fields["template"]

    def clean(self):
        data = super().clean()
        template = data.get("template")
        if not (data.get("message") or "").strip():
            if template is None:
                self.add_error("message", "Write a message, or choose a template that writes it.")
            elif "name" in data and "status" in data:
                data["message"] = self._from_template(template, data)
        return data

    def _from_template(self, template: IncidentTemplate, data) -> str:
        """The template's text with the incident's variables, as Cachet fills them."""
        moved = self.component_statuses() if hasattr(self, "cleaned_data") else {}
        component, status = next(iter(moved.items()), (None, None))
        variables = {
            "incident": {
                "name": data["name"],
                "status": IncidentStatus(data["status"]).label,
                "visible": data.get("visibility") == Visibility.PUBLIC,
                "notify": bool(data.get("notify_subscribers")),
                "component": {"name": component.name} if component else None,
                "component_status": ComponentStatus(status).label if status else None,
            }
        }
        return templates.render(template.template, variables).strip()


class UpdateForm(ComponentStatusesMixin):
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="Markdown, shown on the page.")
    status = forms.ChoiceField(choices=IncidentStatus.choices)
    notify_subscribers = forms.BooleanField(required=False)

    def __init__(self, *args, page_incident, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].initial = page_incident.status
        # Each select starts at the incident's latest word on its component: an "all
        # fixed" update moves them to operational, and what is left alone is not posted.
        current = {pk: said.status for pk, said in selectors.components_named_by(page_incident).items()}
        self.add_component_fields(
            PageComponent.objects.filter(status_page=page_incident.status_page_id).select_related("component").order_by("position"),
            current,
        )
        if not selectors.is_public(page_incident):
            # The sender never emails about an incident the public does not see.
            self.fields["notify_subscribers"].help_text = "Emails nobody: this incident is not public."
            return
        # Whom an update reaches follows every component the incident has named so far.
        said = UpdateComponentStatus.objects.filter(update__page_incident=page_incident).values("component_id")
        named = Component.objects.filter(pk__in=said).order_by("name")
        self.fields["notify_subscribers"].help_text = notify_help(page_incident.status_page, named)


class PageIncidentForm(forms.ModelForm):
    class Meta:
        model = PageIncident
        fields = ["name", "severity", "visibility", "stickied"]


@admin.register(PageIncident)
class PageIncidentAdmin(RestrictedAdmin, DomainErrorsAsMessages, admin.ModelAdmin):
    form = PageIncidentForm
    list_display = ["name", "status_page", "status", "severity", "published_at", "resolved_at"]
    list_filter = ["status_page", "status", "severity"]
    list_select_related = ["status_page"]
    search_fields = ["name"]
    date_hierarchy = "published_at"
    change_form_template = "admin/statuspages/pageincident/change_form.html"
    readonly_fields = ["status_page", "status", "published_at", "resolved_at", "incident"]
    fieldsets = [(None, {"fields": ["name", "status_page", "status", "severity", "visibility", "stickied", "published_at", "resolved_at", "incident"]})]

    def get_urls(self):
        return [
            path("publish/", self.admin_site.admin_view(self.publish_view), name="statuspages_pageincident_publish"),
            path("<str:object_id>/post-update/", self.admin_site.admin_view(self.post_update_view), name="statuspages_pageincident_post_update"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:statuspages_pageincident_publish") + (f"?{request.GET.urlencode()}" if request.GET else ""))

    def publish_view(self, request):
        """Publish an incident: first choose the page (its components become the form's),
        then write for the public. ``?incident=<id>`` publishes about an internal incident."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        pages = StatusPage.objects.all()
        page = pages.filter(pk=request.POST.get("status_page") or request.GET.get("status_page")).first()
        if page is None and pages.count() == 1:
            page = pages.first()
        # Only about an incident the user may see: any other id names nothing.
        internal = Incident.objects.restrict(request.user).filter(pk=request.POST.get("incident") or request.GET.get("incident")).first()
        form = None
        if page is not None:
            initial = {"status_page": page.pk, "incident": internal.pk if internal else None}
            form = PublishIncidentForm(request.POST or None, status_page=page, initial=initial, user=request.user)
            if request.method == "POST" and form.is_valid():
                data = form.cleaned_data
                try:
                    published = services.publish_incident(
                        actor=request.user, status_page=page, name=data["name"], message=data["message"], status=data["status"],
                        severity=data["severity"], visibility=data["visibility"], notify_subscribers=data["notify_subscribers"],
                        component_statuses=form.component_statuses(), incident=data["incident"],
                    )
                except DomainError as exc:
                    form.add_error(None, exc.message)
                else:
                    self.message_user(request, f"Published on {page.name}.", messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:statuspages_pageincident_change", args=[published.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Publish an incident on a status page",
            "pages": pages,
            "page": page,
            "form": form,
            "internal": internal,
        }
        return TemplateResponse(request, "admin/statuspages/publish_incident.html", context)

    def post_update_view(self, request, object_id):
        page_incident = get_object_or_404(self.get_queryset(request).select_related("status_page"), pk=object_id)
        if not self.has_change_permission(request, page_incident):
            raise PermissionDenied
        form = UpdateForm(request.POST or None, page_incident=page_incident)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.post_incident_update(
                    actor=request.user, page_incident=page_incident, message=data["message"], status=data["status"],
                    component_statuses=form.component_statuses(), notify_subscribers=data["notify_subscribers"],
                )
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(request, "Update posted.", messages.SUCCESS)
        elif request.method == "POST":
            self.message_user(request, "The update was not posted: check its fields.", messages.ERROR)
        return HttpResponseRedirect(reverse("admin:statuspages_pageincident_change", args=[page_incident.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        page_incident = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if page_incident is not None:
            timeline = page_incident.updates.prefetch_related("component_statuses__component").order_by("-published_at", "-id")
            extra["timeline"] = [(update, render_markdown(update.message)) for update in timeline]
            extra["update_form"] = UpdateForm(page_incident=page_incident)
            extra["public_url"] = f"/status/{page_incident.status_page.slug}/incidents/{page_incident.pk}/"
        return super().change_view(request, object_id, form_url, extra)

    def save_model(self, request, obj, form, change):
        services.edit_page_incident(actor=request.user, page_incident=obj, **{k: form.cleaned_data[k] for k in form.changed_data})

    def delete_model(self, request, obj):
        services.delete_page_incident(actor=request.user, page_incident=obj)


@admin.register(IncidentTemplate)
class IncidentTemplateAdmin(DomainErrorsAsMessages, admin.ModelAdmin):
    list_display = ["name", "slug", "engine"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "engine", "template"]

    def save_model(self, request, obj, form, change):
        template = IncidentTemplate.objects.get(pk=obj.pk) if change else None
        saved = services.save_incident_template(incident_template=template, actor=request.user, **{k: form.cleaned_data[k] for k in self.fields})
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.delete_incident_template(incident_template=obj, actor=request.user)
