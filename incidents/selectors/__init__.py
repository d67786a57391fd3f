"""Reads several callers share, with their joins made up front: ``incidents`` (loading them
for rendering), ``configuration``, ``people`` and
``overview`` (the admin front page's counts)."""

from .configuration import IncidentConfig, incident_config
from .incidents import (
    DEFAULT_MODES,
    find_incident,
    incident_updates,
    incidents_with_details,
    revisions,
    with_details,
)
from .overview import Overview, TimeToResolve, incident_overview
from .people import active_users_by_reference
