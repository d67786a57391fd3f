"""What the incident page's cards (members, follow-ups) share: the incident a card's form
posts to, found as the page finds it, so a card never acts on an incident its user may
not change or may not see (a hidden private incident is a 404, as the page is)."""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404

from incidents.models import Incident


def changeable_incident(model_admin, request, object_id) -> Incident:
    incident = model_admin.get_object(request, unquote(object_id))
    if incident is None:
        raise Http404
    if not model_admin.has_change_permission(request, incident):
        raise PermissionDenied
    return incident
