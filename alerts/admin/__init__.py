"""Staff screens of the alerts app, one module per screen: sources and alerts
(``sources``), routes (``routes``), and the incident page's card of attached alerts
(``incident_card``, registered onto the incident console from here, as incidents cannot
import us)."""

from . import (
    incident_card,  # noqa: F401 (registers the incident page's alerts card)
    routes,  # noqa: F401 (registers AlertRouteAdmin)
    sources,  # noqa: F401 (registers AlertSourceAdmin and AlertAdmin)
)
