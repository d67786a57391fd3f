"""The configuration an API request renders and declares incidents against."""

from incidents import selectors
from incidents.api.acceleration import backend


def incident_config(request) -> selectors.IncidentConfig:
    """Read for the request (plain), or kept per configuration version (accelerated)."""
    return backend().incident_config(request)
