"""What became of each notified update's emails: how many are queued, being sent, sent,
failed or skipped, why each failure failed, and an action to send the failed ones again.
Read-only but for that action, which calls ``notifications.services``."""

from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from core.admin.common import RestrictedAdmin
from notifications import services
from notifications.models import (
    Delivery,
    DeliveryState,
    NotifiedIncidentUpdate,
    NotifiedMaintenanceUpdate,
)

#: failures listed on an update's page (the delivery list has them all)
FAILURES_SHOWN = 50


def _count(field: str, state: str) -> Coalesce:
    """One correlated count per row shown (an aggregate over a join would count every
    delivery of every notified update before the page's LIMIT)."""
    counted = (
        Delivery.objects.filter(**{field: OuterRef("pk")}, state=state)
        .order_by()
        .values(field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class NotifiedUpdateAdmin(RestrictedAdmin, admin.ModelAdmin):
    kind: str = ""
    field: str = ""
    list_per_page = 25
    date_hierarchy = "published_at"
    actions = ["retry_failed_deliveries"]
    readonly_fields = ["about", "status", "published_at", "notified_at", "counts", "failures"]
    fields = readonly_fields
    ordering = ["-published_at", "-id"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(notify_subscribers=True)
            .annotate(**{state: _count(self.field, state) for state in DeliveryState.values})
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _deliveries_link(self, obj, state: str, label) -> str:
        url = reverse("admin:notifications_delivery_changelist") + f"?{self.field}={obj.pk}&state__exact={state}"
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description="Queued", ordering="queued")
    def queued_count(self, obj):
        return obj.queued + obj.sending

    @admin.display(description="Sent", ordering="sent")
    def sent_count(self, obj):
        return obj.sent

    @admin.display(description="Failed", ordering="failed")
    def failed_count(self, obj):
        return self._deliveries_link(obj, DeliveryState.FAILED, obj.failed) if obj.failed else 0

    @admin.display(description="Skipped", ordering="skipped")
    def skipped_count(self, obj):
        return obj.skipped

    @admin.display(description="Emails")
    def counts(self, obj):
        return format_html_join(
            ", ",
            "{}: {}",
            [
                ("queued", obj.queued),
                ("being sent", obj.sending),
                ("sent", obj.sent),
                ("failed", self._deliveries_link(obj, DeliveryState.FAILED, obj.failed)),
                ("skipped (unsubscribed or made private since)", obj.skipped),
            ],
        )

    @admin.display(description="Why they failed")
    def failures(self, obj):
        failed = Delivery.objects.filter(**{self.field: obj.pk}, state=DeliveryState.FAILED)
        reasons = failed.order_by().values("error").annotate(n=Count("id")).order_by("-n", "error")
        rows = list(failed.select_related("subscriber").order_by("id")[:FAILURES_SHOWN])
        if not rows:
            return "None"
        return format_html(
            "<p>{}</p><table><thead><tr><th>Address</th><th>Reason</th><th>Attempts</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join(", ", "{} × {}", ((r["n"], r["error"] or "(no reason)") for r in reasons)),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", ((d.subscriber.email, d.error, d.attempts) for d in rows)),
        )

    @admin.action(description="Send failed deliveries again", permissions=["change"])
    def retry_failed_deliveries(self, request, queryset):
        total = sum(services.retry_failed(kind=self.kind, update_id=update.pk) for update in queryset)
        messages.success(request, f"{total} failed deliver{'y' if total == 1 else 'ies'} queued again.")


@admin.register(NotifiedIncidentUpdate)
class NotifiedIncidentUpdateAdmin(NotifiedUpdateAdmin):
    kind, field = "incident", "incident_update"
    list_display = ["about", "status", "published_at", "queued_count", "sent_count", "failed_count", "skipped_count"]
    list_select_related = ["page_incident__status_page"]
    list_filter = ["page_incident__status_page"]
    search_fields = ["page_incident__name"]

    @admin.display(description="Update")
    def about(self, obj):
        return f"{obj.page_incident.status_page}: {obj.page_incident} ({obj.get_status_display()})"


@admin.register(NotifiedMaintenanceUpdate)
class NotifiedMaintenanceUpdateAdmin(NotifiedUpdateAdmin):
    kind, field = "maintenance", "maintenance_update"
    list_display = ["about", "status", "published_at", "queued_count", "sent_count", "failed_count", "skipped_count"]
    list_select_related = ["maintenance__status_page"]
    list_filter = ["maintenance__status_page"]
    search_fields = ["maintenance__name"]

    @admin.display(description="Update")
    def about(self, obj):
        return f"{obj.maintenance.status_page}: {obj.maintenance} ({obj.get_status_display()})"


@admin.register(Delivery)
class DeliveryAdmin(RestrictedAdmin, admin.ModelAdmin):
    """Every email, filterable by update and state; read-only."""

    list_display = ["subscriber", "state", "attempts", "error", "sent_at", "created_at"]
    list_filter = ["state"]
    list_select_related = ["subscriber"]
    search_fields = ["subscriber__email"]
    show_full_result_count = False  # a COUNT over millions of rows on every page otherwise
    fields = readonly_fields = ["subscriber", "incident_update", "maintenance_update", "state", "attempts", "error", "message_id", "claimed_until", "created_at", "sent_at"]

    def lookup_allowed(self, lookup, value, request=None):
        # The update pages link here filtered to one update.
        return lookup in ("incident_update", "maintenance_update") or super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
