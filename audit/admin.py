"""The audit log's screen: read-only, newest first, filtered by actor, target and time,
and downloadable as incident.io's audit records. Entries about an incident the user may
not see are not there (``AuditEntryQuerySet.visible_rows``)."""

from django.contrib import admin
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from audit.export import action_of, for_export, json_lines
from audit.models import AuditEntry
from core.admin.common import RestrictedAdmin
from core.admin.common import audit as refusals
from core.audit import ActorKind

#: querystring filters the screen accepts beyond its sidebar (links from other screens,
#: a time range): the admin refuses any other lookup
_LOOKUPS = {
    "actor__id__exact", "api_key__id__exact", "actor_name", "object_pk", "incident__id__exact",
    "content_type__id__exact", "timestamp__gte", "timestamp__lt",
}


class ActorKindFilter(admin.SimpleListFilter):
    title = "actor"
    parameter_name = "actor_kind"

    def lookups(self, request, model_admin):
        return [
            (ActorKind.USER, "Staff users"), (ActorKind.API_KEY, "API keys"),
            (ActorKind.SYSTEM, "Tasks and commands"), (ActorKind.ANONYMOUS, "Anonymous (public site, sign-in)"),
        ]

    def queryset(self, request, queryset):
        return queryset.filter(actor_kind=self.value()) if self.value() else queryset


class TargetTypeFilter(admin.SimpleListFilter):
    title = "target"
    parameter_name = "target_type"

    def lookups(self, request, model_admin):
        from audit.registry import TRACKED

        types = sorted({spec.type for spec in TRACKED.values()} | {"user"})
        return [(name, name.replace("_", " ")) for name in types]

    def queryset(self, request, queryset):
        return queryset.filter(target_type=self.value()) if self.value() else queryset


# django-auditlog registers a screen of its own for the entry model; this one replaces it.
if admin.site.is_registered(AuditEntry):
    admin.site.unregister(AuditEntry)


@admin.register(AuditEntry)
class AuditEntryAdmin(RestrictedAdmin, admin.ModelAdmin):
    list_display = ["when", "actor_display", "action_display", "target", "summary", "remote_addr"]
    list_display_links = ["when"]
    list_filter = [ActorKindFilter, "action", TargetTypeFilter, ("timestamp", admin.DateFieldListFilter)]
    search_fields = ["actor_name", "object_repr", "=object_pk", "=remote_addr"]
    search_help_text = "An actor's name, a target's name or id, or a client address"
    date_hierarchy = "timestamp"
    list_per_page = 50
    # The count of a large log is estimated by the paginator's query, not run twice.
    show_full_result_count = False
    actions = ["download_json_lines"]
    fields = [
        "when", "actor_display", "action_display", "target", "incident_link", "remote_addr", "user_agent", "task",
        "changes_table", "additional_data",
    ]
    readonly_fields = fields

    class Media:
        css = {"all": ["audit/admin/audit.css"]}

    def get_queryset(self, request):
        # RestrictedAdmin: entries about incidents the user may not see are left out
        return super().get_queryset(request).select_related("actor", "api_key", "content_type")

    def audit_refusal(self, request, object_id) -> None:
        # A hidden entry's refusal is logged, not made an entry: an entry about an entry
        # would name what it hides to everyone.
        if AuditEntry.objects.filter(pk=object_id).exists():
            refusals.warning("user %s was refused audit entry %s, which they may not see", request.user.get_username(), object_id)

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in _LOOKUPS or super().lookup_allowed(lookup, value, request)

    # Read-only: entries are written by the changes themselves, never by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="When", ordering="timestamp")
    def when(self, entry):
        # Non-breaking hyphens: a narrow column breaks between the date and the time only.
        return timezone.localtime(entry.timestamp).strftime("%Y\u2011%m\u2011%d %H:%M:%S")

    @admin.display(description="Actor", ordering="actor_name")
    def actor_display(self, entry):
        kind = {ActorKind.API_KEY: "API key", ActorKind.SYSTEM: "", ActorKind.ANONYMOUS: "anonymous"}.get(entry.actor_kind, "")
        return format_html("{} <small>{}</small>", entry.actor_name or "—", kind) if kind else entry.actor_name or "—"

    @admin.display(description="Action", ordering="action")
    def action_display(self, entry):
        # A narrow column breaks after the dot and between words, never inside one.
        subject, _, verb = action_of(entry).rpartition(".")
        return format_html("{}.<wbr>{}", subject.replace("_", "_\u200b"), verb)

    @admin.display(description="Target")
    def target(self, entry):
        return format_html("{} <small>{}</small>", entry.object_repr[:80], entry.target_type.replace("_", " "))

    @admin.display(description="Change")
    def summary(self, entry):
        changes = entry.changes or {}
        if entry.action == AuditEntry.Action.CREATE:
            return f"new, {len(changes)} fields"
        if entry.action == AuditEntry.Action.DELETE:
            return "deleted"
        parts = [f"{field}: {_short(pair[0])} → {_short(pair[1])}" for field, pair in list(changes.items())[:3]
                 if isinstance(pair, list) and len(pair) == 2]
        more = f" (+{len(changes) - 3} more)" if len(changes) > 3 else ""
        outcome = (entry.additional_data or {}).get("outcome")
        return "; ".join(parts) + more if parts else (outcome or "")

    @admin.display(description="Incident")
    def incident_link(self, entry):
        if not entry.incident_id:
            return "—"
        return format_html('<a href="../../../incidents/incident/{}/change/">{}</a>', entry.incident_id, entry.incident_id)

    @admin.display(description="Before and after")
    def changes_table(self, entry):
        rows = [(field, _short(pair[0], 400), _short(pair[1], 400)) for field, pair in (entry.changes or {}).items()
                if isinstance(pair, list) and len(pair) == 2]
        if not rows:
            return "—"
        body = format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", rows)
        return format_html("<table><thead><tr><th>Field</th><th>Before</th><th>After</th></tr></thead><tbody>{}</tbody></table>", body)

    @admin.action(description="Download as incident.io audit records (JSON lines)", permissions=["view"])
    def download_json_lines(self, request, queryset):
        # The selection is of the user's own queryset: private incidents' entries only
        # for those who may see them.
        response = StreamingHttpResponse(json_lines(for_export(queryset)), content_type="application/x-ndjson")
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.jsonl"'
        return response


def _short(value, limit: int = 40) -> str:
    text = "—" if value is None or value == "None" else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
