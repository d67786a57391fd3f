"""Staff screens of the alerts app: sources (the secret shown once, rotatable) and the
alerts, firing first, each with its raw events, newest first."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from alerts import selectors, services
from alerts.api.links import events_url
from alerts.api.samples import send_test_alert
from alerts.models import Alert, AlertSource, AlertStatus, SourceType
from core.admin.common import DomainErrorsAsMessages
from core.exceptions import DomainError

#: raw events shown on an alert's page
EVENTS_SHOWN = 50
HEARTBEAT_FIELDS = ("interval_seconds", "grace_period_seconds", "failure_threshold")


class AlertSourceForm(forms.ModelForm):
    title_reference = forms.CharField(
        required=False, help_text="Where the title is in each event (a dotted path: title, annotations.summary)"
    )
    description_reference = forms.CharField(required=False, help_text="Where the description is (annotations.description)")
    interval_seconds = forms.IntegerField(
        required=False, min_value=1, help_text="Heartbeat sources: how often a ping is expected, in seconds (60 if empty)"
    )
    grace_period_seconds = forms.IntegerField(
        required=False, min_value=0, help_text="Heartbeat sources: extra seconds allowed before a missed ping counts"
    )
    failure_threshold = forms.IntegerField(
        required=False, min_value=1, help_text="Heartbeat sources: missed pings in a row before the alert fires"
    )

    class Meta:
        model = AlertSource
        fields = ["name", "source_type", "dedup_key_path", "severity_path", "signing_secret", "disabled"]
        help_texts = {"source_type": "What sends the events: each kind has its own events URL"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # (A new row has its ULID already.) A view-only page's form has no fields.
        if not self.instance._state.adding and "source_type" in self.fields:
            self.fields["source_type"].disabled = True
            self.fields["title_reference"].initial = self.instance.title_binding.get("reference", "")
            self.fields["description_reference"].initial = self.instance.description_binding.get("reference", "")
            heartbeat = getattr(self.instance, "heartbeat", None) if self.instance.source_type == SourceType.HEARTBEAT else None
            for name in HEARTBEAT_FIELDS:
                self.fields[name].initial = getattr(heartbeat, name, None)

    def heartbeat_options(self) -> dict | None:
        """The schedule entered, for a heartbeat source (None: not one, or none entered)."""
        source_type = self.instance.source_type if not self.instance._state.adding else self.cleaned_data.get("source_type")
        if source_type != SourceType.HEARTBEAT:
            return None
        return {name: self.cleaned_data.get(name) for name in HEARTBEAT_FIELDS}


@admin.register(AlertSource)
class AlertSourceAdmin(DomainErrorsAsMessages, admin.ModelAdmin):
    form = AlertSourceForm
    list_display = ["name", "source_type", "secret_display", "disabled", "firing_count", "created_at"]
    readonly_fields = ["events_url_display", "secret_display", "heartbeat_state"]
    actions = ["rotate_secrets"]
    change_form_template = "admin/alerts/alertsource/change_form.html"

    def get_urls(self):
        return [
            path(
                "<str:object_id>/send-test-alert/",
                self.admin_site.admin_view(self.send_test_alert_view),
                name="alerts_alertsource_send_test_alert",
            ),
            *super().get_urls(),
        ]

    def send_test_alert_view(self, request, object_id):
        """POST only (admin_view checks the CSRF token): a test event through the source's
        kind's parser, then back to the source's page with what it made."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        source = self.get_object(request, unquote(object_id))
        if source is None:
            raise Http404("No such alert source")
        if not self.has_change_permission(request, source):
            raise PermissionDenied
        try:
            result = send_test_alert(source=source)
        except DomainError as refused:
            self.message_user(request, refused.message, messages.ERROR)
        else:
            self.message_user(request, _test_result_message(source, result), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:alerts_alertsource_change", args=[source.pk]))

    @admin.display(description="Heartbeat")
    def heartbeat_state(self, obj):
        heartbeat = getattr(obj, "heartbeat", None) if obj.source_type == SourceType.HEARTBEAT else None
        if heartbeat is None:
            return "—"
        last = heartbeat.last_ping_at.isoformat() if heartbeat.last_ping_at else "never"
        state = "failing (its alert is firing)" if heartbeat.failing else "healthy"
        return f"{state}; last ping {last}; late after {heartbeat.due_at.isoformat()}"

    def get_fields(self, request, obj=None):
        fields = [
            "name",
            "source_type",
            "title_reference",
            "description_reference",
            "dedup_key_path",
            "severity_path",
            "signing_secret",
        ]
        fields += list(HEARTBEAT_FIELDS) if obj is None or obj.source_type == SourceType.HEARTBEAT else []
        extra = ["heartbeat_state"] if obj and obj.source_type == SourceType.HEARTBEAT else []
        return [*fields, "disabled", "events_url_display", "secret_display", *extra] if obj else fields

    @admin.display(description="Events URL")
    def events_url_display(self, obj):
        return format_html("<code>{}</code>", events_url(obj))

    @admin.display(description="Secret")
    def secret_display(self, obj):
        return f"…{obj.secret_hint}"

    @admin.display(description="Firing")
    def firing_count(self, obj):
        return obj.firing

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(firing=Count("alerts", filter=Q(alerts__status=AlertStatus.FIRING)))

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        bindings = {
            "title_binding": {"reference": data["title_reference"]} if data.get("title_reference") else None,
            "description_binding": {"reference": data["description_reference"]} if data.get("description_reference") else None,
        }
        if change:
            services.update_alert_source(
                source=obj,
                name=obj.name,
                dedup_key_path=obj.dedup_key_path,
                severity_path=obj.severity_path,
                signing_secret=obj.signing_secret,
                disabled=obj.disabled,
                heartbeat_options=form.heartbeat_options(),
                **{k: v or {} for k, v in bindings.items()},
            )
            return
        source, secret = services.create_alert_source(
            name=obj.name,
            source_type=obj.source_type,
            dedup_key_path=obj.dedup_key_path,
            severity_path=obj.severity_path,
            signing_secret=obj.signing_secret,
            heartbeat_options=form.heartbeat_options(),
            **bindings,
        )
        obj.__dict__.update({k: v for k, v in source.__dict__.items() if k != "_state"})
        obj._state.adding = False
        self._show_secret_once(request, source, secret)

    def _show_secret_once(self, request, source, secret):
        # The secret exists only in this message: it is not stored and cannot be shown again.
        self.message_user(
            request,
            format_html(
                "Secret for “{}”: <code>{}</code> — copy it now, it will not be shown again. Its events URL: <code>{}</code>",
                source.name,
                secret,
                events_url(source),
            ),
            messages.WARNING,
        )

    def delete_model(self, request, obj):
        services.delete_alert_source(source=obj)

    def delete_queryset(self, request, queryset):
        for source in queryset:
            services.delete_alert_source(source=source)

    @admin.action(description="Rotate secret (the old secret stops working at once)", permissions=["change"])
    def rotate_secrets(self, request, queryset):
        for source in queryset:
            source, secret = services.rotate_alert_source_secret(source=source)
            self._show_secret_once(request, source, secret)


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    """Read-only: alerts change only by their events (and the API's resolve)."""

    list_display = ["title", "status_badge", "source", "event_count", "last_seen_at", "created_at"]
    list_filter = ["status", "source"]
    search_fields = ["title", "dedup_key"]
    list_select_related = ["source"]
    fields = [
        "title", "status_badge", "source", "dedup_key", "severity", "description", "source_url",
        "event_count", "created_at", "last_seen_at", "resolved_at", "metadata", "raw_events",
    ]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.alerts_firing_first()

    def get_ordering(self, request):
        # An annotation, which the ordering option's system check would refuse.
        return selectors.FIRING_FIRST

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Status", ordering="status")
    def status_badge(self, obj):
        colour = "#ba2121" if obj.status == AlertStatus.FIRING else "#417690"
        return format_html('<strong style="color: {}">{}</strong>', colour, obj.get_status_display())

    @admin.display(description=f"Raw events (newest first, at most {EVENTS_SHOWN})")
    def raw_events(self, obj):
        events = selectors.events_of(obj, EVENTS_SHOWN)
        if not events:
            return "—"
        return format_html_join(
            "",
            '<div class="alert-event"><p><strong>{}</strong> {}{}{}</p><pre style="white-space: pre-wrap">{}</pre></div>',
            (
                (
                    event.get_status_display(),
                    event.received_at.isoformat(),
                    _repeats(event),
                    " (cut)" if event.truncated else "",
                    event.body,
                )
                for event in events
            ),
        )


def _repeats(event) -> str:
    if event.repeat_count <= 1:
        return ""
    return f" — received {event.repeat_count} times, the last at {event.last_received_at.isoformat()}"


def _test_result_message(source, result):
    if source.source_type == SourceType.HEARTBEAT:
        return "Test ping recorded" + ("; it resolved the heartbeat's alert." if result.recovered else ".")
    alert = result.alert
    return format_html(
        'Test alert accepted: <a href="{}">{}</a> is {} (seen {} time{}).',
        reverse("admin:alerts_alert_change", args=[alert.pk]),
        alert.title,
        alert.get_status_display().lower(),
        alert.event_count,
        "" if alert.event_count == 1 else "s",
    )
