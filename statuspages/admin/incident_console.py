"""Publishing from the incident page: "Post an update" on an internal incident can post
the same message on a status page incident linked to it, and notify its subscribers, in
the same transaction as the internal update (``incidents.admin.console``)."""

from django import forms

from incidents.admin import register_update_extension
from statuspages import services
from statuspages.models import IncidentStatus, PageIncident


class PublishOnStatusPage:
    title = "Status page"

    def load(self, incident):
        """The status page incidents about ``incident``, unresolved first (one query)."""
        linked = PageIncident.objects.filter(incident=incident).select_related("status_page").order_by("resolved_at", "-published_at")
        return {str(page_incident.pk): page_incident for page_incident in linked}

    def fields(self, incident, loaded):
        if not loaded:
            return {}
        first = next(iter(loaded.values()))
        return {
            "statuspage_incident": forms.ChoiceField(
                label="Publish on",
                required=False,
                choices=[("", "Don't publish this update"), *((pk, f"{p.name} — {p.status_page.name} ({p.get_status_display().lower()})") for pk, p in loaded.items())],
                help_text="The message above is published as written: write it for the public.",
            ),
            "statuspage_status": forms.ChoiceField(
                label="Public status",
                required=False,
                choices=[("", "Unchanged"), *IncidentStatus.choices],
                initial=first.status,
            ),
            # How many subscribers this reaches is not shown: notifications.selectors.count_reach
            # does not exist yet (the notifications work adds it).
            "statuspage_notify": forms.BooleanField(label="Notify the page's subscribers", required=False),
        }

    def apply(self, *, incident, update, data, loaded, actor):
        page_incident = loaded.get(data.get("statuspage_incident") or "")
        if page_incident is None:
            return None
        services.post_incident_update(
            actor=actor,
            page_incident=page_incident,
            message=update.message,
            status=data.get("statuspage_status") or None,
            notify_subscribers=bool(data.get("statuspage_notify")),
        )
        notified = " Its subscribers will be notified." if data.get("statuspage_notify") else ""
        return f"Published on {page_incident.status_page.name}.{notified}"


register_update_extension(PublishOnStatusPage())
