"""The incident page's card of the alerts attached to the incident: firing first, then
the newest, at most ``SHOWN``; nothing when it has none. One query: the rows with their
alerts, sources and routes, each carrying the incident's totals (window counts)."""

from django.db.models import Case, Count, IntegerField, Sum, Value, When, Window
from django.template.loader import render_to_string

from alerts import selectors
from alerts.models import AlertStatus
from incidents.admin.console import register_card

SHOWN = 20


class IncidentAlertsCard:
    def render(self, request, incident) -> str:
        firing = Case(When(alert__status=AlertStatus.FIRING, then=Value(1)), default=Value(0), output_field=IntegerField())
        links = list(
            selectors.alerts_of_incident(incident.pk).annotate(total=Window(Count("id")), firing=Window(Sum(firing)))[:SHOWN]
        )
        if not links:
            return ""
        context = {"links": links, "incident": incident, "total": links[0].total, "firing": links[0].firing}
        return render_to_string("alerts/admin/incident_alerts_card.html", context, request=request)


register_card(IncidentAlertsCard())
