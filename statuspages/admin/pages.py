"""Pages, their groups and where they show components; the organisation's components.
Every save and delete goes through ``statuspages.services``."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from statuspages import selectors, services
from statuspages.models import Component, ComponentGroup, ComponentStatus, PageComponent, StatusPage

from .common import DomainErrorsAsMessages


class ComponentGroupInline(admin.TabularInline):
    model = ComponentGroup
    fields = ["name", "description", "position", "hidden", "collapsed"]
    extra = 0


class PageComponentInline(admin.TabularInline):
    model = PageComponent
    fields = ["component", "group", "position", "hidden", "display_uptime"]
    extra = 0
    verbose_name = "component shown"
    verbose_name_plural = "components shown"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "group" and request.resolver_match.kwargs.get("object_id"):
            field.queryset = ComponentGroup.objects.filter(status_page_id=request.resolver_match.kwargs["object_id"])
        # Operational forms never offer to add or change configuration from here.
        field.widget.can_add_related = field.widget.can_change_related = field.widget.can_delete_related = False
        return field


@admin.register(StatusPage)
class StatusPageAdmin(DomainErrorsAsMessages, admin.ModelAdmin):
    list_display = ["name", "slug", "is_public", "is_default", "public_page"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ComponentGroupInline, PageComponentInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "is_public", "is_default"]}),
        ("Branding", {"fields": ["logo_url", "brand_colour", "support_url", "time_zone", "default_language", "display_uptime"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "slug" and field is not None:
            # The admin shows help text as HTML: the model's "<slug>" would be read as a tag
            # and vanish, leaving "/status//".
            field.help_text = mark_safe("The page's address: <code>/status/&lt;slug&gt;/</code> (letters, digits, hyphens)")
        return field

    @admin.display(description="Public page")
    def public_page(self, page):
        return format_html('<a href="/status/{}/" target="_blank" rel="noopener">Preview /status/{}/</a>', page.slug, page.slug)

    def view_on_site(self, page):
        return f"/status/{page.slug}/"

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        page = StatusPage.objects.get(pk=obj.pk) if change else None
        saved = services.save_status_page(page=page, actor=request.user, **(fields if change else form.cleaned_data))
        obj.pk = saved.pk

    def save_formset(self, request, form, formset, change):
        page = form.instance
        for inline_form in formset.forms:
            if not inline_form.has_changed() and not formset._should_delete_form(inline_form):
                continue
            data = inline_form.cleaned_data
            if not data:
                continue
            if formset.model is ComponentGroup:
                if formset._should_delete_form(inline_form):
                    if not inline_form.instance._state.adding:
                        services.delete_group(group=inline_form.instance, actor=request.user)
                    continue
                fields = {k: data[k] for k in ("name", "description", "position", "hidden", "collapsed")}
                if not inline_form.instance._state.adding:
                    services.save_group(group=inline_form.instance, actor=request.user, **fields)
                else:
                    services.save_group(actor=request.user, status_page=page, **fields)
            else:
                if formset._should_delete_form(inline_form):
                    if not inline_form.instance._state.adding:
                        services.remove_component(actor=request.user, component=inline_form.instance.component, status_page=page)
                    continue
                services.place_component(
                    actor=request.user, component=data["component"], status_page=page, group=data.get("group"),
                    position=data.get("position"), hidden=data.get("hidden", False), display_uptime=data.get("display_uptime", True),
                )
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def delete_model(self, request, obj):
        services.delete_status_page(page=obj, actor=request.user)


class ComponentForm(forms.ModelForm):
    status = forms.ChoiceField(
        choices=ComponentStatus.choices, required=False,
        help_text="Set by hand, outside any incident; incidents set their own, and the worst shows.",
    )

    class Meta:
        model = Component
        fields = ["name", "description", "link", "enabled"]


@admin.register(Component)
class ComponentAdmin(DomainErrorsAsMessages, admin.ModelAdmin):
    form = ComponentForm
    list_display = ["name", "current_status", "enabled", "shown_on"]
    search_fields = ["name"]
    list_filter = ["enabled", "placements__status_page"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("placements__status_page")

    def get_changelist_instance(self, request):
        # Every row's status in two queries, not two per row.
        changelist = super().get_changelist_instance(request)
        statuses = selectors.component_statuses((component.pk for component in changelist.result_list), staff=True)
        for component in changelist.result_list:
            component.current_status = statuses[component.pk]
        return changelist

    @admin.display(description="status")
    def current_status(self, component):
        return component.current_status.replace("_", " ")

    @admin.display(description="shown on")
    def shown_on(self, component):
        return ", ".join(placement.status_page.name for placement in component.placements.all()) or "—"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:
            form.base_fields["status"].initial = selectors.component_statuses([obj.pk], staff=True)[obj.pk] if obj.pk else ""
        return form

    def save_model(self, request, obj, form, change):
        fields = {k: form.cleaned_data[k] for k in ("name", "description", "link", "enabled")}
        if change:
            component = services.update_component(component=Component.objects.get(pk=obj.pk), actor=request.user, **fields)
        else:
            component = services.create_component(actor=request.user, **fields)
            obj.pk = component.pk
        status = form.cleaned_data.get("status")
        if status and (not change or "status" in form.changed_data):
            services.set_component_status(actor=request.user, component=component, status=status)

    def delete_model(self, request, obj):
        services.delete_component(component=obj, actor=request.user)
