"""Cachet's components (/api/components): the organisation's components, placed on the
site page; a status set here is a status set by hand (``services.set_component_status``)."""

from __future__ import annotations

from rest_framework.response import Response

from statuspages.selectors import component_statuses
from statuspages import services

from .. import enums, query, reads
from ..base import CachetViewSet
from ..serializers.payloads import CreateComponentRequestDataSerializer, UpdateComponentRequestDataSerializer
from ..serializers.resources import ComponentSerializer

INCLUDES = ("group", "groupCount", "groupExists", "incidents", "incidentsCount", "incidentsExists")
SORTS = {"name": "name", "order": "site_position", "id": "number"}
FILTERS = ("status", "name", "enabled")


class CachetComponentViewSet(CachetViewSet):
    def list(self, request):
        """cachet.api.components.index: site, components, their statuses (3 queries; 1 more
        with ``filter[status]``, 1 or 2 more per include)."""
        reader = self.reader()
        include = query.includes(request, INCLUDES)
        rows = reads.components(reader)
        wanted = query.filters(request, FILTERS)
        if "name" in wanted:
            rows = rows.filter(name__icontains=wanted["name"])
        enabled = query.boolean(wanted["enabled"]) if "enabled" in wanted else True
        rows = rows.filter(enabled=enabled) if enabled is not None else rows.none()
        statuses = None
        if "status" in wanted:
            # A status is derived, never stored: filter on the derived one.
            asked = set(query.integers(wanted["status"]))
            statuses = component_statuses(rows.values_list("pk", flat=True), staff=reader.staff)
            rows = rows.filter(pk__in=[pk for pk, status in statuses.items() if enums.COMPONENT_STATUSES[status] in asked])
        page = query.paginate(query.sort(rows, request, SORTS), request)
        reads.with_statuses(reader, page.rows, statuses)
        included = reads.include_for_components(reader, page.rows, include)
        data = ComponentSerializer(page.rows, many=True, context={"include": include}).data
        return self.document(data, included, include, page)

    def retrieve(self, request, component):
        """cachet.api.components.show"""
        reader = self.reader()
        include = query.includes(request, INCLUDES)
        return self._show(reader, component, include)

    def create(self, request):
        """cachet.api.components.store: created and shown on the site page (Cachet answers
        201; its document, which we follow, says 200)."""
        site = reads.site_page()
        data = self.parse(CreateComponentRequestDataSerializer, site=site)
        component = services.create_component(
            actor=self.key,
            name=data["name"],
            description=data.get("description") or "",
            link=data.get("link") or "",
            enabled=data["enabled"],
            status_page=site,
            group=data.get("group"),
            position=data.get("order"),
            status=data.get("status"),
        )
        return self._show(reads.Reader(site=site, staff=True), component.number, set())

    def update(self, request, component):
        """cachet.api.components.update: null or absent fields stay as they are."""
        site = reads.site_page()
        writer = reads.Reader(site=site, staff=True)
        row = self.find(reads.components(writer), component, "Component")
        data = {name: value for name, value in self.parse(UpdateComponentRequestDataSerializer, site=site).items() if value is not None}
        services.update_component(
            component=row,
            actor=self.key,
            status=data.get("status"),
            status_page=site,
            group=data.get("group", services.KEEP),
            position=data.get("order"),
            **{name: data[name] for name in ("name", "description", "link", "enabled") if name in data},
        )
        return self._show(writer, component, set())

    def destroy(self, request, component):
        """cachet.api.components.destroy"""
        row = self.find(reads.components(reads.Reader(site=None, staff=True)), component, "Component")
        services.delete_component(component=row, actor=self.key)
        return Response(status=204)

    def _show(self, reader, number: int, include: set[str]) -> Response:
        row = self.find(reads.components(reader), number, "Component")
        reads.with_statuses(reader, [row])
        included = reads.include_for_components(reader, [row], include)
        return self.document(ComponentSerializer(row, context={"include": include}).data, included, include)
