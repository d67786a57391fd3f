"""Chat destinations: Slack, Mattermost, Teams Workflows, Discord and generic JSON
incoming webhooks, with the events each wants; the same success rate, last failure and
attempt log as webhook endpoints (they are delivered the same way)."""

from django import forms
from django.contrib import admin, messages

from core.exceptions import DomainError
from notifications import services
from notifications.models import ChatDestination, ChatEvent, EndpointKind

from .webhooks import WebhookEndpointAdmin


class ChatDestinationForm(forms.ModelForm):
    kind = forms.ChoiceField(choices=[(k, label) for k, label in EndpointKind.choices if k != EndpointKind.WEBHOOK])
    event_types = forms.MultipleChoiceField(
        label="Events",
        choices=ChatEvent.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None chosen: every event. One change is one message, led by the first chosen event it makes.",
    )

    class Meta:
        model = ChatDestination
        fields = ["kind", "url", "description", "event_types", "private_events", "enabled", "owner", "owner_emails"]
        labels = {"url": "Incoming webhook URL", "private_events": "Private incidents too"}


@admin.register(ChatDestination)
class ChatDestinationAdmin(WebhookEndpointAdmin):
    form = ChatDestinationForm
    list_display = ["__str__", "kind", "enabled", "events", "success_rate", "last_failure"]
    list_filter = ["kind", "enabled"]
    actions = ["replay_last_day"]
    readonly_fields = ["disabled_reason", "consecutive_failures", "success_rate", "last_failure", "last_attempts"]
    editable = ["kind", "url", "description", "event_types", "private_events", "enabled", "owner", "owner_emails"]

    def get_queryset(self, request):
        return self._annotated(admin.ModelAdmin.get_queryset(self, request).exclude(kind=EndpointKind.WEBHOOK))

    def save_model(self, request, obj, form, change):
        data = {field: form.cleaned_data[field] for field in ["kind", "url", "description", "private_events"]}
        data |= {field: form.cleaned_data[field] for field in ["owner", "owner_emails"]}
        events = form.cleaned_data["event_types"]
        try:
            if change:
                services.chat.update_destination(destination=obj, events=events, enabled=form.cleaned_data["enabled"], **data)
            else:
                created = services.chat.create_destination(events=events, **data)
                if not form.cleaned_data["enabled"]:
                    services.webhooks.set_enabled(endpoint=created, enabled=False, reason="Disabled by staff")
                obj.pk = created.pk
        except DomainError as exc:
            messages.error(request, exc.message)
