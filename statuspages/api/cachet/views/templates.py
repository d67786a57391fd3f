"""Cachet's incident templates (/api/incident-templates): shared by every page."""

from __future__ import annotations

from django.utils.text import slugify
from rest_framework.response import Response

from statuspages.models import IncidentTemplate
from statuspages.services import incidents as services

from .. import query
from ..base import CachetViewSet
from ..serializers.payloads import CreateIncidentTemplateRequestDataSerializer, UpdateIncidentTemplateRequestDataSerializer
from ..serializers.resources import IncidentTemplateSerializer

SORTS = {"name": "name", "slug": "slug", "id": "number"}


def _fields(data: dict) -> dict:
    fields = {name: data[name] for name in ("name", "template", "engine") if data.get(name) is not None}
    # As Cachet: the slug is given, or made from the name (also when the name changes).
    if data.get("slug") or fields.get("name"):
        fields["slug"] = data.get("slug") or slugify(fields["name"])
    return fields


class CachetIncidentTemplateViewSet(CachetViewSet):
    def list(self, request):
        """cachet.api.incident-templates.index: templates (1 query)."""
        query.includes(request, ())
        rows = IncidentTemplate.objects.all()
        wanted = query.filters(request, ("name", "slug"))
        if "name" in wanted:
            rows = rows.filter(name__icontains=wanted["name"])
        if "slug" in wanted:
            rows = rows.filter(slug__icontains=wanted["slug"])
        page = query.paginate(query.sort(rows, request, SORTS), request)
        return self.document(IncidentTemplateSerializer(page.rows, many=True).data, page=page)

    def retrieve(self, request, incidentTemplate):
        """cachet.api.incident-templates.show"""
        return self._show(incidentTemplate)

    def create(self, request):
        """cachet.api.incident-templates.store"""
        data = self.parse(CreateIncidentTemplateRequestDataSerializer)
        template = services.save_incident_template(actor=self.key, **_fields(data))
        return self._show(template.number)

    def update(self, request, incidentTemplate):
        """cachet.api.incident-templates.update"""
        template = self.find(IncidentTemplate.objects.all(), incidentTemplate, "IncidentTemplate")
        data = self.parse(UpdateIncidentTemplateRequestDataSerializer)
        services.save_incident_template(incident_template=template, actor=self.key, **_fields(data))
        return self._show(incidentTemplate)

    def destroy(self, request, incidentTemplate):
        """cachet.api.incident-templates.destroy"""
        template = self.find(IncidentTemplate.objects.all(), incidentTemplate, "IncidentTemplate")
        services.delete_incident_template(incident_template=template, actor=self.key)
        return Response(status=204)

    def _show(self, number: int) -> Response:
        template = self.find(IncidentTemplate.objects.all(), number, "IncidentTemplate")
        return self.document(IncidentTemplateSerializer(template).data)
