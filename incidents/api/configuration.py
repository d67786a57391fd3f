"""The configuration an API request renders and declares incidents against."""

from incidents import selectors
from incidents.api import accel
from incidents.api.accel import versions


def incident_config(request) -> selectors.IncidentConfig:
    """Kept per configuration version with acceleration, read for the request without."""
    return versions.incident_config(request) if accel.enabled() else selectors.incident_config()
