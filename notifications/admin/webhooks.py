"""Webhook endpoints: add one (its secret shown once), change it, rotate its secret,
send its last day again; every delivery, with "send again"; per endpoint, the 24-hour success rate, the last failure and
the last attempts (Cachet v3's attempt log). Writes go through ``notifications.services``."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from core.exceptions import DomainError
from notifications import services
from notifications.models import EVENT_TYPES, EndpointKind, WebhookAttempt, WebhookDelivery, WebhookEndpoint

#: attempts listed on an endpoint's page
ATTEMPTS_SHOWN = 20


class WebhookEndpointForm(forms.ModelForm):
    event_types = forms.MultipleChoiceField(
        choices=[(name, name) for name in EVENT_TYPES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None chosen: every event type (private ones only if allowed below)",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "event_types", "private_events", "enabled"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["__str__", "url", "enabled", "events", "success_rate", "last_failure"]
    list_filter = ["enabled"]
    search_fields = ["url", "description"]
    actions = ["rotate_secrets", "replay_last_day"]
    readonly_fields = ["disabled_reason", "consecutive_failures", "secret_hint", "success_rate", "last_failure", "last_attempts"]
    #: the form's fields, in order (a chat destination's add its kind)
    editable = ["url", "description", "event_types", "private_events", "enabled", "owner", "owner_emails"]

    def get_queryset(self, request):
        return self._annotated(super().get_queryset(request).filter(kind=EndpointKind.WEBHOOK))

    def _annotated(self, queryset):
        since = timezone.now() - timedelta(hours=24)
        failures = WebhookAttempt.objects.filter(endpoint=OuterRef("pk"), succeeded=False).order_by("-created_at", "-id")
        return (
            queryset.annotate(
                tried=Count("attempts", filter=Q(attempts__created_at__gte=since)),
                succeeded=Count("attempts", filter=Q(attempts__created_at__gte=since, attempts__succeeded=True)),
                # The last failure in the same query: a list of many endpoints costs no more.
                failed_at=Subquery(failures.values("created_at")[:1]),
                failed_code=Subquery(failures.values("status_code")[:1]),
                failed_error=Subquery(failures.values("error")[:1]),
            )
        )

    def get_fields(self, request, obj=None):
        return self.editable if obj is None else [*self.editable, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    @admin.display(description="Events")
    def events(self, obj):
        return ", ".join(obj.event_types) or "all"

    @admin.display(description="Success (24 h)")
    def success_rate(self, obj):
        if not getattr(obj, "tried", 0):
            return "–"
        return f"{100 * obj.succeeded / obj.tried:.0f}% of {obj.tried}"

    @admin.display(description="Last failure")
    def last_failure(self, obj):
        if getattr(obj, "failed_at", None) is None:
            return "–"
        return f"{obj.failed_at:%Y-%m-%d %H:%M:%S} {obj.failed_code or obj.failed_error}"

    @admin.display(description="Secret")
    def secret_hint(self, obj):
        return f"{obj.secret[:10]}… (shown once; rotate to get a new one)"

    @admin.display(description="Last attempts")
    def last_attempts(self, obj):
        attempts = WebhookAttempt.objects.filter(endpoint=obj).select_related("delivery__message")[:ATTEMPTS_SHOWN]
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} ms</td><td>{}</td></tr>",
            (
                (
                    f"{a.created_at:%Y-%m-%d %H:%M:%S}",
                    a.delivery.message.event_type,
                    a.status_code or a.error,
                    a.duration_ms,
                    a.response[:80],
                )
                for a in attempts
            ),
        )
        return format_html("<table><tr><th>At</th><th>Event</th><th>Answer</th><th>Took</th><th>Body</th></tr>{}</table>", rows)

    def save_model(self, request, obj, form, change):
        data = {field: form.cleaned_data[field] for field in ["url", "description", "event_types", "private_events"]}
        owners = {field: form.cleaned_data[field] for field in ["owner", "owner_emails"]}
        try:
            if change:
                services.webhooks.update_endpoint(endpoint=obj, enabled=form.cleaned_data["enabled"], **data, **owners)
            else:
                created = services.webhooks.create_endpoint(**data, **owners)
                if not form.cleaned_data["enabled"]:
                    services.webhooks.set_enabled(endpoint=created, enabled=False, reason="Disabled by staff")
                obj.pk = created.pk
                messages.warning(request, f"The endpoint's signing secret, shown this once: {created.secret}")
        except DomainError as exc:
            messages.error(request, exc.message)

    @admin.action(description="Rotate the signing secret (the old one signs for a grace period)")
    def rotate_secrets(self, request, queryset):
        for endpoint in queryset:
            secret = services.webhooks.rotate_secret(endpoint=endpoint)
            messages.warning(request, f"New secret of {endpoint}, shown this once: {secret}")

    @admin.action(description="Send the last 24 hours again")
    def replay_last_day(self, request, queryset):
        since = timezone.now() - timedelta(hours=24)
        count = sum(len(services.webhooks.replay(endpoint=endpoint, since=since)) for endpoint in queryset)
        messages.success(request, f"{count} deliveries queued again.")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """Every delivery, filtered by endpoint, state and event; "send again" for the chosen
    ones (a time range: filter by date, select all)."""

    list_display = ["message_id_shown", "event_type", "endpoint", "state", "attempts", "created_at", "sent_at", "error"]
    list_filter = ["state", "message__event_type", "endpoint", "created_at"]
    list_select_related = ["message", "endpoint"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = ["message_id_shown", "event_type", "endpoint", "state", "attempts", "created_at", "sent_at", "error", "body"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="webhook-id")
    def message_id_shown(self, obj):
        return obj.message.msg_id

    @admin.display(description="Event", ordering="message__event_type")
    def event_type(self, obj):
        return obj.message.event_type

    @admin.display(description="Body")
    def body(self, obj):
        return format_html("<pre>{}</pre>", obj.message.body[:10000])

    @admin.action(description="Send again (same webhook-id)", permissions=["view"])
    def send_again(self, request, queryset):
        count = len(services.webhooks.send_again(delivery_ids=queryset.values_list("pk", flat=True)))
        messages.success(request, f"{count} deliveries queued again.")
