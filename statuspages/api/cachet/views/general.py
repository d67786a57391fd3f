"""Cachet's ping, version and system status, and its OpenAPI document under its paths."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from django.conf import settings
from django.http import JsonResponse
from rest_framework.response import Response

from core.api.renderers import FastJSONRenderer
from statuspages.models import ComponentStatus, IncidentStatus
from statuspages.selectors import UNDER_MAINTENANCE, page_overview

from ..base import CachetViewSet

#: Cachet's "3.x-dev" as its published document spells it, quotes and all (its response
#: schema allows that one value)
VERSION = "'3.x-dev'"
#: the share of components in a major outage from which Cachet calls it one (its
#: ``major_outage_threshold`` setting's default, in percent)
MAJOR_OUTAGE_THRESHOLD = 25
#: SystemStatusEnum's names and Cachet's English sentences (resources/lang/en/system_status.php)
SYSTEM_STATUSES = {
    "operational": "All systems are operational.",
    "partial_outage": "Some systems are experiencing issues.",
    "major_outage": "Some systems are experiencing major issues.",
    "under_maintenance": "Some systems are under maintenance.",
}
DOCUMENT = Path(__file__).resolve().parent.parent / "openapi.json"


def system_status(statuses: list[str], unresolved_incidents: int) -> str:
    """Cachet's rule (src/Status.php): a major outage past the threshold, then maintenance,
    then operational if every component is and no incident is unresolved."""
    if statuses and 100 * statuses.count(ComponentStatus.FULL_OUTAGE) / len(statuses) >= MAJOR_OUTAGE_THRESHOLD:
        return "major_outage"
    if UNDER_MAINTENANCE in statuses:
        return "under_maintenance"
    if all(status == ComponentStatus.OPERATIONAL for status in statuses) and not unresolved_incidents:
        return "operational"
    return "partial_outage"


class CachetGeneralViewSet(CachetViewSet):
    renderer_classes = [FastJSONRenderer]  # Cachet answers these as plain JSON
    public_actions = ("ping", "version", "status")

    def ping(self, request):
        """cachet.api.ping"""
        return Response({"data": "Pong!"})

    def version(self, request):
        """cachet.api.version"""
        return Response({"data": {"version": VERSION}})

    def status(self, request):
        """cachet.api.status: from what the site page shows (the public one to a guest)."""
        reader = self.reader()
        if reader.site is None:
            return Response({"data": {"status": "operational", "message": SYSTEM_STATUSES["operational"]}})
        overview = page_overview(reader.site, staff=reader.staff, with_availability=False)
        unresolved = [incident for incident in overview.incidents if incident.status != IncidentStatus.RESOLVED]
        status = system_status([view.status for view in overview.components], len(unresolved))
        return Response({"data": {"status": status, "message": SYSTEM_STATUSES[status]}})


@functools.cache
def _document() -> dict:
    return json.loads(DOCUMENT.read_text())


def openapi_document(request):
    """Cachet's published OpenAPI document (less the metrics, which we do not serve), its
    server this one (``SITE_URL``)."""
    document = {**_document(), "servers": [{"url": f"{settings.SITE_URL.rstrip('/')}/api"}]}
    return JsonResponse(document)
