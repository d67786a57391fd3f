"""Subscribers: search by address, filter by page, state and source, import and export
CSV, confirm or unsubscribe in bulk. Built to stay fast at 100,000 rows and more:

- no count of the whole table on each view: not the admin's "(N total)"
  (``show_full_result_count = False``), and on PostgreSQL not the paginator's either once
  the planner expects more than ``EXACT_COUNT_BELOW`` rows (``EstimatedCountPaginator``:
  the planner's estimate, from ``QuerySet.explain``; exact below, and always on SQLite);
- search is an address prefix (``email__startswith``, lower-cased as addresses are
  stored), which the pattern-ops index on ``email`` serves on PostgreSQL (a contains
  search, ``%x%``, would read every row);
- newest first by primary key (ULIDs are time-ordered), so a page of the list is one
  index range scan, not a sort of the table;
- the page's name comes with each row (``list_select_related``).
"""

import json

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from import_export.admin import ImportExportModelAdmin

from core.admin.common import DomainErrorsAsMessages
from notifications import services
from notifications.models import Source, Subscriber, Suppression

from .resources import SubscriberResource, state_of

#: below this many rows (as the planner expects them) the list's count is exact
EXACT_COUNT_BELOW = 10_000


class EstimatedCountPaginator(Paginator):
    """Counts exactly what is small, and asks PostgreSQL's planner how many rows a large
    list has rather than reading them all (a COUNT of 100,000 rows on each page view)."""

    @cached_property
    def count(self):
        queryset = self.object_list
        if connections[queryset.db].vendor == "postgresql":
            plan = json.loads(queryset.order_by().explain(format="json"))
            estimate = int(plan[0]["Plan"]["Plan Rows"])
            if estimate >= EXACT_COUNT_BELOW:
                return estimate
        return super().count


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("confirmed", "Confirmed (notified)"), ("pending", "Waiting for confirmation"), ("suppressed", "Suppressed")]

    def queryset(self, request, queryset):
        if self.value() == "confirmed":
            return queryset.filter(confirmed_at__isnull=False, suppression=Suppression.NONE)
        if self.value() == "pending":
            return queryset.filter(confirmed_at__isnull=True, suppression=Suppression.NONE)
        if self.value() == "suppressed":
            return queryset.exclude(suppression=Suppression.NONE)
        return queryset


@admin.register(Subscriber)
class SubscriberAdmin(DomainErrorsAsMessages, ImportExportModelAdmin):
    resource_classes = [SubscriberResource]
    list_display = ("email", "status_page", "state", "all_components", "source", "created_at")
    list_filter = (StateFilter, "status_page", "source", "suppression", "all_components")
    list_select_related = ("status_page",)
    search_fields = ("email__startswith",)
    search_help_text = "The start of an address (jane@, jane@exam...)"
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    ordering = ("-id",)
    sortable_by = ("email", "created_at")
    list_per_page = 100
    actions = ["confirm_selected", "unsubscribe_selected"]
    readonly_fields = ("state", "confirmed_at", "source", "suppression", "suppressed_at", "hard_bounces", "confirmation_sent_at", "created_at")
    filter_horizontal = ("components",)

    @admin.display(description="State")
    def state(self, subscriber):
        return state_of(subscriber)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term.strip().lower())

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("status_page", "email", "all_components", "components")
        return ("email", "status_page", "state", "all_components", "components", *self.readonly_fields[1:])

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is None else ("email", "status_page", *self.readonly_fields)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        components = None if data["all_components"] else list(data["components"])
        if change:
            services.change_components(subscriber=obj, all_components=data["all_components"], components=components or ())
        else:
            # Staff vouch for an address they add: it is confirmed at once.
            created = services.add_subscriber(status_page=data["status_page"], email=data["email"], components=components, source=Source.ADMIN)
            obj.pk = created.pk

    def save_related(self, request, form, formsets, change):
        pass  # the services set the components

    def delete_model(self, request, obj):
        services.delete_subscriber(subscriber=obj)

    def delete_queryset(self, request, queryset):
        for subscriber in queryset:
            services.delete_subscriber(subscriber=subscriber)

    @admin.action(description="Confirm the selected subscribers", permissions=["change"])
    def confirm_selected(self, request, queryset):
        for subscriber in queryset:
            services.confirm(subscriber=subscriber)
        self.message_user(request, f"{queryset.count()} confirmed.", messages.SUCCESS)

    @admin.action(description="Unsubscribe the selected subscribers", permissions=["change"])
    def unsubscribe_selected(self, request, queryset):
        for subscriber in queryset:
            services.unsubscribe(subscriber=subscriber)
        self.message_user(request, f"{queryset.count()} unsubscribed.", messages.SUCCESS)
