"""Publishing from the incident page: "Post an update" on an internal incident can post
the same message on a status page incident linked to it, move the components it names,
and notify its subscribers, in the same transaction as the internal update
(``incidents.admin.console``: registered from here, the app above)."""

from django import forms

from incidents.admin import register_update_extension
from statuspages import selectors, services
from statuspages.models import Component, IncidentStatus, PageComponent, PageIncident, UpdateComponentStatus

from .common import component_status_fields, moved_components

PREFIX = "statuspage_component_"


class Linked(dict):
    """The linked page incidents by id, and the components their pages show."""

    def __init__(self, *args):
        super().__init__(*args)
        #: every component a linked incident's page shows, in the pages' order, once
        self.components: list[Component] = []
        #: by page id, the ids of the components it shows
        self.placed: dict[str, set[str]] = {}
        #: the first linked incident's latest word on each component it names (by id)
        self.current: dict[str, str] = {}


class PublishOnStatusPage:
    title = "Status page"
    #: ``count_reach(*, status_page, components, page_incident) -> int``, how many subscribers an update
    #: reaches: set by the notifications app, which builds on status pages (an import from
    #: here would climb up); None leaves the number out.
    count_reach = None

    def load(self, incident):
        """The status page incidents about ``incident``, unresolved first (one query), each
        with ``reach``: how many subscribers a notified update would reach (None when not
        known; one more query, and one per linked incident, when it is)."""
        linked = PageIncident.objects.filter(incident=incident).select_related("status_page").order_by("resolved_at", "-published_at")
        loaded = Linked({str(page_incident.pk): page_incident for page_incident in linked})
        if loaded:
            self._load_components(loaded)
        components = {}
        if loaded and self.count_reach is not None:
            # The components an update concerns: those the incident's updates named, as
            # the notifications app counts them when it sends.
            named = UpdateComponentStatus.objects.filter(update__page_incident__in=list(loaded.values()))
            for row in named.values_list("update__page_incident_id", "component_id").distinct():
                components.setdefault(str(row[0]), set()).add(row[1])
        for pk, page_incident in loaded.items():
            page_incident.reach = None
            if self.count_reach is not None:
                page_incident.reach = self.count_reach(
                    status_page=page_incident.status_page,
                    components=[Component(pk=c) for c in sorted(components.get(pk, ()))],
                    page_incident=page_incident,
                )
        return loaded

    @staticmethod
    def _load_components(loaded: Linked) -> None:
        """The components the linked incidents' pages show (one query) and the first
        incident's word on them (two): the selects start where the incident stands."""
        pages = {p.status_page_id for p in loaded.values()}
        placements = PageComponent.objects.filter(status_page__in=pages).select_related("component").order_by("status_page_id", "position", "id")
        seen = set()
        for placement in placements:
            loaded.placed.setdefault(placement.status_page_id, set()).add(placement.component_id)
            if placement.component_id not in seen:
                seen.add(placement.component_id)
                loaded.components.append(placement.component)
        first = next(iter(loaded.values()))
        loaded.current = {pk: said.status for pk, said in selectors.components_named_by(first).items()}

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
            "statuspage_notify": forms.BooleanField(label="Notify the page's subscribers", required=False, help_text=self._reach(loaded)),
            **component_status_fields(loaded.components, loaded.current, prefix=PREFIX),
        }

    @staticmethod
    def _reach(loaded) -> str:
        known = [p for p in loaded.values() if p.reach is not None]
        return "; ".join(f"{p.name}: reaches {p.reach} subscriber{'s' if p.reach != 1 else ''}" for p in known)

    def apply(self, *, incident, update, data, loaded, actor):
        page_incident = loaded.get(data.get("statuspage_incident") or "")
        if page_incident is None:
            return None
        shown = loaded.placed.get(page_incident.status_page_id, set())
        moved = moved_components([c for c in loaded.components if c.pk in shown], data, loaded.current, prefix=PREFIX)
        services.post_incident_update(
            actor=actor,
            page_incident=page_incident,
            message=update.message,
            status=data.get("statuspage_status") or None,
            component_statuses=moved,
            notify_subscribers=bool(data.get("statuspage_notify")),
        )
        notified = " Its subscribers will be notified." if data.get("statuspage_notify") else ""
        return f"Published on {page_incident.status_page.name}.{notified}"


register_update_extension(PublishOnStatusPage())
