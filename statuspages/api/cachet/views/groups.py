"""Cachet's component groups (/api/component-groups): the site page's groups."""

from __future__ import annotations

from rest_framework.response import Response

from statuspages.services import pages as services

from .. import enums, query, reads
from ..base import CachetViewSet
from ..serializers.payloads import CreateComponentGroupRequestDataSerializer, UpdateComponentGroupRequestDataSerializer
from ..serializers.resources import ComponentGroupSerializer

INCLUDES = ("components", "componentsCount", "componentsExists")
SORTS = {"name": "name", "id": "number"}


def _fields(data: dict) -> dict:
    """Our group's fields from Cachet's (``visible`` and ``collapsed`` through ``enums``)."""
    fields = {}
    if data.get("name") is not None:
        fields["name"] = data["name"]
    if data.get("order") is not None:
        fields["position"] = data["order"]
    if data.get("visible") is not None:
        fields["hidden"] = enums.from_cachet(enums.GROUP_VISIBILITY, int(data["visible"]))
    if data.get("collapsed") is not None:
        fields["collapsed"] = data["collapsed"]
    return fields


class CachetComponentGroupViewSet(CachetViewSet):
    def list(self, request):
        """cachet.api.component-groups.index: site, groups (2 queries; 3 more with
        ``include=components``)."""
        reader = self.reader()
        include = query.includes(request, INCLUDES)
        query.filters(request, ())
        page = query.paginate(query.sort(reads.groups(reader), request, SORTS), request)
        included = reads.include_for_groups(reader, page.rows, include)
        data = ComponentGroupSerializer(page.rows, many=True, context={"include": include}).data
        return self.document(data, included, include, page)

    def retrieve(self, request, componentGroup):
        """cachet.api.component-groups.show"""
        return self._show(self.reader(), componentGroup, query.includes(request, INCLUDES))

    def create(self, request):
        """cachet.api.component-groups.store: a group on the site page; ``components`` are
        moved into it."""
        writer = self.writer()
        data = self.parse(CreateComponentGroupRequestDataSerializer)
        group = services.save_group(actor=self.key, status_page=writer.site, components=data["components"], **_fields(data))
        return self._show(writer, group.number, set())

    def update(self, request, componentGroup):
        """cachet.api.component-groups.update"""
        writer = self.writer()
        group = self.find(reads.groups(writer), componentGroup, "ComponentGroup")
        data = self.parse(UpdateComponentGroupRequestDataSerializer)
        services.save_group(group=group, actor=self.key, components=data["components"], **_fields(data))
        return self._show(writer, componentGroup, set())

    def destroy(self, request, componentGroup):
        """cachet.api.component-groups.destroy: its components stay, out of any group."""
        group = self.find(reads.groups(self.writer()), componentGroup, "ComponentGroup")
        services.delete_group(group=group, actor=self.key)
        return Response(status=204)

    def _show(self, reader, number: int, include: set[str]) -> Response:
        group = self.find(reads.groups(reader), number, "ComponentGroup")
        included = reads.include_for_groups(reader, [group], include)
        return self.document(ComponentGroupSerializer(group, context={"include": include}).data, included, include)
