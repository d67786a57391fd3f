"""Where each kind of source posts its events: the route names of alerts/api/v2/events.py."""

from django.conf import settings
from django.urls import reverse

from alerts.models import SourceType

EVENTS_ROUTE = {
    SourceType.HTTP: "alert-events-http",
    SourceType.ALERTMANAGER: "alert-events-alertmanager",
    SourceType.GRAFANA: "alert-events-grafana",
    SourceType.PAGER_DUTY: "alert-events-pager-duty",
    SourceType.HEARTBEAT: "heartbeat-ping",
}


def events_url(source) -> str:
    """Where a source's sender posts its events (absolute, on ``SITE_URL``)."""
    return settings.SITE_URL + reverse(EVENTS_ROUTE[source.source_type], args=[source.pk])
