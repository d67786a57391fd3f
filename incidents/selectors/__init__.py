"""Reads several callers share, with their joins made up front: ``incidents`` (who may
see which incident, and loading them for rendering), ``configuration``, ``people`` and
``overview`` (the admin front page's counts)."""

from .configuration import IncidentConfig, incident_config
from .incidents import (
    DEFAULT_MODES,
    find_incident,
    incident_updates_visible_to,
    incidents_visible_to,
    incidents_with_details,
    revisions_visible_to,
    visible_to,
    with_details,
)
from .people import active_users_by_reference
from .overview import Overview, TimeToResolve, incident_overview
