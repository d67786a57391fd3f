"""Status pages: what a page shows and what it tells its readers. Writes go through
``statuspages.services``; a component's status is derived (``statuspages.selectors``),
never stored.

- ``pages``: pages, components (the organisation's), groups, and each page's placement of them;
- ``incidents``: status page incidents, their updates, component impacts, incident templates;
- ``maintenance``: scheduled maintenance and its updates.
"""

from . import limits
from .pages import Component, ComponentGroup, PageComponent, StatusPage, UptimeDisplay
from .incidents import (
    ComponentImpact,
    ComponentStatus,
    ImpactLevel,
    IncidentStatus,
    IncidentTemplate,
    PageIncident,
    PageIncidentUpdate,
    Severity,
    UpdateComponentStatus,
    Visibility,
)
from .maintenance import Maintenance, MaintenanceStatus, MaintenanceUpdate
