"""The incident API's part of the acceleration backend (``core.acceleration``): the
configuration a request renders with, a list page of incidents, and the view that shows
one. ``IncidentsAcceleration`` is the plain implementation; ``incidents.api.accel`` holds
the accelerated one.

The accelerated caches are keyed by version tokens of the configuration (``config``) and
of the people incidents name (``people``), which the receivers here move whichever
backend runs.
"""

from functools import update_wrapper

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.views.decorators.csrf import csrf_exempt
from rest_framework.response import Response

from core import acceleration
from core.api.pagination import paginate
from incidents import selectors
from incidents.signals import configuration_changed


class IncidentsAcceleration:
    """Plain: the configuration read for every request, every incident of a page read
    with its details and rendered, a show served by its DRF view."""

    def incident_config(self, request) -> selectors.IncidentConfig:
        return selectors.incident_config()

    def incident_page(self, request, dialect: str, view, *, filtered, newest_first: bool, render_page, render_many):
        """A list page, ``{"incidents": [...], "pagination_meta": ...}``, of the incidents
        ``view`` (an incident viewset) serves, narrowed by its base to what the key may see
        and by ``filtered(queryset)``. ``render_page(incidents)``
        renders incidents read with their details, in order; ``render_many(ids)`` loads
        and renders incidents by id (``{id: rendering}``)."""
        incidents = selectors.with_details(filtered(view.get_queryset()))
        page, meta = paginate(incidents, request, newest_first=newest_first)
        return Response({"incidents": render_page(page), "pagination_meta": meta})

    def show_view(self, drf_view, *, dialect: str, render_many):
        """The view that answers ``GET`` of one incident for ``drf_view`` (a viewset's
        ``{"get": "retrieve"}`` view): the DRF view itself."""
        return drf_view


def backend() -> IncidentsAcceleration:
    return acceleration.part(IncidentsAcceleration)


def show_view(drf_view, *, dialect: str, render_many):
    """``drf_view`` as the backend serves it, asked per request (switching the backend, as
    the tests do, switches the view); the schema and the URL conf see the DRF view."""
    served = {}

    def view(request, pk):
        chosen = backend()
        found = served.get(chosen)
        if found is None:
            found = served[chosen] = chosen.show_view(drf_view, dialect=dialect, render_many=render_many)
        return found(request, pk=pk)

    # What Django (csrf_exempt) and drf-spectacular (cls, initkwargs, actions) read off a
    # viewset's view.
    return csrf_exempt(update_wrapper(view, drf_view))


def _configuration_changed(sender, **kwargs):
    acceleration.bump("config")


def _people_changed(sender, update_fields=None, **kwargs):
    # A login only moves last_login, which no rendering shows.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    acceleration.bump("people")


def connect() -> None:
    """Connect the receivers (from ``IncidentsConfig.ready``)."""
    acceleration.track("config")
    acceleration.track("people")
    configuration_changed.connect(_configuration_changed, dispatch_uid="acceleration-configuration")
    post_save.connect(_people_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="acceleration-people-saved")
    post_delete.connect(_people_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="acceleration-people-deleted")
