"""The base of Cachet's views: our key authentication, role check and rate limit (the
ones every dialect uses), with Cachet's public reads, its JSON:API media type, its error
bodies, and lookups by Cachet's integer ids."""

from __future__ import annotations

from django.http import Http404
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response

from core.api import roles
from core.api.auth import HasApiRole
from core.api.base import ApiViewSet
from core.api.renderers import FastJSONRenderer
from core.exceptions import DomainError
from statuspages.selectors import may_open

from . import reads
from .errors import exception_handler
from .query import Page
from .serializers.resources import UpdateSerializer

#: keys with these roles read as Cachet's signed-in users (global_access always does)
READERS = roles.roles_for("status_pages", roles.READ)
#: and these may write (one rule per role whatever the dialect: core.api.roles)
WRITERS = roles.roles_for("status_pages", roles.WRITE)
WRITES = {"create": WRITERS, "update": WRITERS, "destroy": WRITERS}


class JsonApiRenderer(FastJSONRenderer):
    media_type = "application/vnd.api+json"


class FirstRenderer(DefaultContentNegotiation):
    """Cachet answers its one media type whatever the Accept header asks (Laravel's
    resources do not negotiate), so a client asking for application/json gets it too."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PublicReadsKeyedWrites(HasApiRole):
    """Cachet's reads are public (``security: []``): a key, if sent, must still be valid
    and counts against its rate limit. Writes need a key with a role ``view.roles`` names."""

    def has_permission(self, request, view):
        if view.action in view.public_actions:
            return True
        return super().has_permission(request, view)


class CachetViewSet(ApiViewSet):
    # Cachet's document is served as published (views.general.openapi_document); these
    # views stay out of our generated incident.io one.
    schema = None
    permission_classes = [PublicReadsKeyedWrites]
    renderer_classes = [JsonApiRenderer]
    content_negotiation_class = FirstRenderer
    roles = WRITES
    public_actions = ("list", "retrieve")

    def get_exception_handler(self):
        return exception_handler

    # --- who reads, on which page --------------------------------------------------------------

    @property
    def staff(self) -> bool:
        """Whether the request reads as Cachet's signed-in user."""
        return self.key is not None and self.key.has_role(*READERS)

    def reader(self) -> reads.Reader:
        """The site as this request may read it (1 query)."""
        site = reads.site_page()
        if site is not None and not may_open(site, staff=self.staff):
            site = None
        return reads.Reader(site=site, staff=self.staff)

    def writer(self) -> reads.Reader:
        """The site to write to; incidents, schedules and groups need one (1 query)."""
        site = reads.site_page()
        if site is None:
            raise DomainError(
                "status_page_required",
                "A status page must exist first: Cachet's incidents, schedules and component groups belong to the default status page.",
                field="status_page",
            )
        return reads.Reader(site=site, staff=True)

    # --- lookups and answers --------------------------------------------------------------------

    def find(self, queryset, number: int, model: str):
        """The row with Cachet id ``number``, or Laravel's 404."""
        row = queryset.filter(number=number).first()
        if row is None:
            raise Http404(f"No query results for model [Cachet\\Models\\{model}] {number}")
        return row

    def document(self, data, included: list[dict] | None = None, include: set[str] | None = None, page: Page | None = None) -> Response:
        """A JSON:API document; ``included`` only when the request asked to include
        something."""
        body = {"data": data}
        if include:
            body["included"] = included or []
        if page is not None:
            body["links"] = page.links
            body["meta"] = page.meta
        return Response(body)


class CachetUpdatesViewSet(CachetViewSet):
    """The updates after a parent's first (an incident's or a schedule's: the first is the
    parent's own ``message``), answered with the parent included when asked."""

    #: the updates' foreign key to their parent, how ``include`` names it, its serializer
    parent_field: str
    parent_include: str
    parent_serializer: type

    def updates_document(self, data, parent, include: set[str], page: Page | None = None) -> Response:
        rows = data if isinstance(data, list) else [data]
        for row in rows:
            setattr(row, self.parent_field, parent)
        included = self.parent_serializer([parent], many=True).data if self.parent_include in include else []
        rendered = UpdateSerializer(data, many=isinstance(data, list), context={"include": include}).data
        return self.document(rendered, included, include, page)
