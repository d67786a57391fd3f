"""Follow-ups across incidents (outstanding first, by assignee) and their priorities.
Only the follow-ups of incidents the user may see are listed (``RestrictedAdmin``); every
save goes through ``services``, which sends the follow-up signals."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When

from core.admin.common import DomainErrorsAsMessages, RestrictedAdmin
from core.models.restricted import restricted
from incidents.models import FollowUp, FollowUpPriority, FollowUpStatus, Incident

from .. import services
from .configuration import ConfigurationAdmin

#: outstanding first, then completed, not doing, deleted
STATUS_ORDER = Case(
    *(When(status=status, then=Value(rank)) for rank, status in enumerate(FollowUpStatus.values)),
    output_field=IntegerField(),
)


@admin.register(FollowUpPriority)
class FollowUpPriorityAdmin(ConfigurationAdmin):
    list_display = ["name", "rank", "description"]
    list_editable = ["rank"]
    ordering = ["rank"]


class FollowUpForm(forms.ModelForm):
    labels = forms.CharField(required=False, help_text="Separated by commas")

    class Meta:
        model = FollowUp
        fields = ["incident", "title", "description", "status", "assignee", "priority", "labels"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "labels" in self.fields:
            self.initial["labels"] = ", ".join(self.instance.labels)
        if "incident" in self.fields and request is not None:
            self.fields["incident"].queryset = restricted(Incident.objects.all(), request.user)
        if "assignee" in self.fields:
            self.fields["assignee"].queryset = get_user_model().objects.filter(is_staff=True, is_active=True)

    def clean_labels(self):
        return [label.strip() for label in self.cleaned_data["labels"].split(",") if label.strip()]


@admin.register(FollowUp)
class FollowUpAdmin(RestrictedAdmin, DomainErrorsAsMessages, admin.ModelAdmin):
    form = FollowUpForm
    list_display = ["title", "incident", "status", "assignee", "priority", "created_at"]
    list_filter = ["status", "priority"]
    list_select_related = ["incident", "assignee", "priority"]
    search_fields = ["title"]
    actions = ["mark_completed", "mark_outstanding"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class WithRequest(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, request=request, **kw)

        return WithRequest

    def get_readonly_fields(self, request, obj=None):
        return ["incident"] if obj is not None else []

    def get_ordering(self, request):
        return [STATUS_ORDER.asc(), "assignee__username", "created_at", "id"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.follow_ups.EDITABLE if name in form.cleaned_data}
        if change:
            services.update_follow_up(follow_up=FollowUp.objects.get(pk=obj.pk), actor=request.user, **fields)
        else:
            title = fields.pop("title")
            created = services.create_follow_up(incident=form.cleaned_data["incident"], actor=request.user, title=title, **fields)
            obj.pk = created.pk

    def delete_model(self, request, obj):
        services.delete_follow_up(follow_up=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for follow_up in queryset:
                services.delete_follow_up(follow_up=follow_up, actor=request.user)

    def _set_status(self, request, queryset, status):
        with transaction.atomic():
            for follow_up in queryset:
                services.update_follow_up(follow_up=follow_up, actor=request.user, status=status)
        self.message_user(request, f"{queryset.count()} follow-up(s) marked {status.replace('_', ' ')}.", messages.SUCCESS)

    @admin.action(description="Mark completed", permissions=["change"])
    def mark_completed(self, request, queryset):
        self._set_status(request, queryset, FollowUpStatus.COMPLETED)

    @admin.action(description="Mark outstanding", permissions=["change"])
    def mark_outstanding(self, request, queryset):
        self._set_status(request, queryset, FollowUpStatus.OUTSTANDING)
