"""CSV import and export of subscribers (django-import-export).

Export: every column staff need to audit a list (state, components, how each came).
Import: two columns, ``email`` and ``status_page`` (the page's slug). Imported addresses
are **confirmed at once** (whoever imports vouches for their consent, as Checkly's
``autoVerify`` does) and follow every component; they are sent nothing now. An address
already on its page, or repeated in the file, is skipped: an import never re-subscribes
an address that left, nor changes a subscription. Rows are written in batches through
``services.import_subscribers`` (a few queries per thousand rows, none per row), so a
file of tens of thousands of rows imports in one go; for 100,000 and more, Checkly's
bulk endpoint takes them in one call."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

from notifications import services
from notifications.models import Source, Subscriber
from statuspages.models import Component, StatusPage


class PageBySlug(ForeignKeyWidget):
    """A page by its slug, from the pages the resource loaded once per import."""

    def __init__(self):
        super().__init__(StatusPage, field="slug")
        self.pages: dict[str, StatusPage] = {}

    def clean(self, value, row=None, **kwargs):
        slug = (value or "").strip()
        if slug not in self.pages:
            raise ValueError(f"No status page with the slug {slug!r}")
        return self.pages[slug]


def state_of(subscriber: Subscriber) -> str:
    if subscriber.suppression:
        return subscriber.suppression
    return "confirmed" if subscriber.confirmed_at else "pending"


class SubscriberResource(resources.ModelResource):
    email = fields.Field(attribute="email", column_name="email")
    status_page = fields.Field(attribute="status_page", column_name="status_page", widget=PageBySlug())
    state = fields.Field(column_name="state", readonly=True, dehydrate_method="dehydrate_state")
    all_components = fields.Field(attribute="all_components", column_name="all_components", readonly=True)
    components = fields.Field(
        attribute="components", column_name="components", readonly=True, widget=ManyToManyWidget(Component, field="name", separator=";")
    )
    source = fields.Field(attribute="source", column_name="source", readonly=True)
    confirmed_at = fields.Field(attribute="confirmed_at", column_name="confirmed_at", readonly=True)
    created_at = fields.Field(attribute="created_at", column_name="created_at", readonly=True)

    class Meta:
        model = Subscriber
        fields = ("email", "status_page", "state", "all_components", "components", "source", "confirmed_at", "created_at")
        import_id_fields = ("status_page", "email")
        # Every row is a new instance (no lookup per row): known addresses are skipped by
        # skip_row against one query's worth of them, and new ones saved in batches.
        force_init_instance = True
        use_bulk = True
        batch_size = 1000
        skip_diff = True

    def dehydrate_state(self, subscriber: Subscriber) -> str:
        return state_of(subscriber)

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("status_page").prefetch_related("components")

    def before_import(self, dataset, **kwargs):
        pages = {page.slug: page for page in StatusPage.objects.all()}
        self.fields["status_page"].widget.pages = pages
        slugs = {(row.get("status_page") or "").strip() for row in dataset.dict} if "status_page" in (dataset.headers or []) else set()
        wanted = [pages[slug].pk for slug in slugs if slug in pages]
        self.known = set(Subscriber.objects.filter(status_page__in=wanted).values_list("status_page_id", "email"))

    def before_import_row(self, row, **kwargs):
        # A row error the import screen shows, not the database's refusal of the whole
        # batch (PostgreSQL's "value too long"): the column's limit, checked first.
        limit = Subscriber._meta.get_field("email").max_length
        if len(row.get("email") or "") > limit:
            raise ValidationError({"email": f"An address has at most {limit} characters ({len(row['email'])} given)"})
        row["email"] = services.normalise_email(row.get("email") or "")
        try:
            services.subscribers._checked_email(row["email"])
        except services.subscribers.DomainError as exc:
            raise ValidationError({"email": exc.message}) from None

    def skip_row(self, instance, original, row, import_validation_errors=None):
        key = (instance.status_page.pk, instance.email)
        if key in self.known:
            return True
        self.known.add(key)
        return False

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Write the batch through the service, one call per page."""
        if not self.create_instances or (dry_run and not using_transactions):
            self.create_instances.clear()
            return
        by_page = defaultdict(list)
        for subscriber in self.create_instances:
            by_page[subscriber.status_page].append(subscriber.email)
        try:
            for page, emails in by_page.items():
                services.import_subscribers(status_page=page, emails=emails, confirmed=True, source=Source.IMPORT)
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)
        finally:
            self.create_instances.clear()
