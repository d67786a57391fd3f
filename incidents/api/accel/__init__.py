"""The incident API's speed-only part of the acceleration backend (``core.accel``), with
the same bodies, headers and errors as the plain ``incidents.api.acceleration``:

- the configuration is kept in each process, per version (``core.acceleration``'s tokens);
- ``renderings``: each incident's latest rendering cached as JSON, and each list query's
  latest page kept in each process's memory;
- ``show``: ``GET /v2/incidents/{id}`` served without DRF's request cycle when nothing
  about the request is out of the ordinary (anything else goes to the DRF view).

Which incidents a key may see is always the database's answer, through the same
``restrict()`` as the plain path, applied by the API's base (``ApiViewSet.restrict``, or
for a show the function it calls): a cached rendering is the same for every key.
"""

from core.acceleration import accelerates
from incidents import selectors
from incidents.api.acceleration import IncidentsAcceleration

from . import renderings
from .show import accelerated_show

_configs: dict[str, selectors.IncidentConfig] = {}


@accelerates(IncidentsAcceleration)
class AcceleratedIncidents(IncidentsAcceleration):
    def incident_config(self, request) -> selectors.IncidentConfig:
        """Read once per process and configuration version."""
        token = renderings.tokens(request)["config"]
        config = _configs.get(token)
        if config is None:
            config = selectors.incident_config()
            _configs.clear()
            _configs[token] = config
        return config

    def incident_page(self, request, dialect, view, *, filtered, newest_first, render_page, render_many):
        """Built from cached renderings: the database says which incidents the page holds
        and when each last changed (``selectors.revisions``, narrowed by the view's base)."""
        incidents = filtered(view.restrict(selectors.revisions()))
        return renderings.incident_page(request, dialect, incidents, newest_first=newest_first, render_many=render_many)

    def show_view(self, drf_view, *, dialect, render_many):
        return accelerated_show(drf_view, dialect=dialect, render_many=render_many)
