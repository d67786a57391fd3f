"""Staff screens of the status pages: pages and components (``pages``), incidents published
on pages and templates (``incidents``), scheduled maintenance (``maintenance``). Every
save, delete and action calls ``statuspages.services``."""

from .incidents import IncidentTemplateAdmin, PageIncidentAdmin
from .maintenance import MaintenanceAdmin
from .pages import ComponentAdmin, StatusPageAdmin
# Registers "publish on a status page" with the incident page's "Post an update".
from . import incident_console  # noqa: E402,F401
