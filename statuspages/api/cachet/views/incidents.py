"""Cachet's incidents (/api/incidents) and their updates (/api/incidents/{id}/updates): the
site page's incidents. An incident's ``message`` is its first update's; the updates Cachet
lists are the ones after it."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Case, IntegerField, Value, When
from rest_framework.response import Response

from statuspages.services import incidents as services

from .. import enums, query, reads, templates
from ..base import CachetUpdatesViewSet, CachetViewSet
from ..serializers.payloads import (
    CreateIncidentRequestDataSerializer,
    CreateIncidentUpdateRequestDataSerializer,
    EditIncidentUpdateRequestDataSerializer,
    UpdateIncidentRequestDataSerializer,
)
from ..serializers.resources import IncidentSerializer

INCLUDES = (
    "components", "componentsCount", "componentsExists",
    "components.group", "components.groupCount", "components.groupExists",
    "updates", "updatesCount", "updatesExists",
    "user", "userCount", "userExists",
)  # fmt: skip
SORTS = {"name": "name", "status": "cachet_status", "id": "number", "created_at": "created_at"}
FILTERS = ("name", "status", "occurred_at", "occurs_after", "occurs_before", "occurs_on")
UPDATE_INCLUDES = ("incident", "incidentCount", "incidentExists")
UPDATE_SORTS = {"status": "cachet_status", "created_at": "published_at"}


def cachet_status_order():
    """Our status column in Cachet's integer order (for ``sort=status``)."""
    return Case(
        *[When(status=ours, then=Value(cachet)) for ours, cachet in enums.INCIDENT_STATUSES.items()],
        output_field=IntegerField(),
    )


def _statuses(raw: str) -> list[str]:
    table = {cachet: ours for ours, cachet in enums.INCIDENT_STATUSES.items()}
    return [table[value] for value in query.integers(raw) if value in table]


def _day(raw: str) -> tuple[datetime, datetime] | None:
    start = query.moment(raw)
    if start is None:
        return None
    start = datetime.combine(start.date(), time.min, tzinfo=start.tzinfo)
    return start, start + timedelta(days=1)


def message_from(data: dict) -> str:
    """The incident's first message: as given, or its template rendered with
    ``template_vars`` and the incident's own fields (``{{ incident.name }}``...)."""
    template = data.get("template")
    if template is None:
        return data["message"]
    status = enums.to_cachet(enums.INCIDENT_STATUSES, data["status"])
    components = list(data["component_statuses"].items())
    component, component_status = components[-1] if components else (None, None)
    occurred_at = data.get("occurred_at")
    variables = {
        **data.get("template_vars", {}),
        "incident": {
            "name": data["name"],
            "status": enums.INCIDENT_STATUS_LABELS[status],
            "message": data.get("message"),
            "visible": data["visible"],
            "notify": data["notifications"],
            "stickied": data["stickied"],
            "occurred_at": occurred_at.strftime("%Y-%m-%d %H:%M:%S") if occurred_at else None,
            "component": {"id": component.number, "name": component.name} if component else None,
            "component_status": (
                enums.COMPONENT_STATUS_LABELS[enums.COMPONENT_STATUSES[component_status]] if component_status else None
            ),
        },
    }
    return templates.render(template.template, variables)


class CachetIncidentViewSet(CachetViewSet):
    def list(self, request):
        """cachet.api.incidents.index: site, incidents (2 queries, newest first; 1 to 4 more
        per include)."""
        reader = self.reader()
        include = query.includes(request, INCLUDES)
        rows = reads.with_component_counts(self.restrict(reads.incidents(reader)), include).annotate(cachet_status=cachet_status_order())
        wanted = query.filters(request, FILTERS)
        if "name" in wanted:
            rows = rows.filter(name__icontains=wanted["name"])
        if "status" in wanted:
            rows = rows.filter(status__in=_statuses(wanted["status"]))
        for name, lookup in (("occurred_at", "on"), ("occurs_on", "on"), ("occurs_after", "after"), ("occurs_before", "before")):
            if name in wanted:
                day = _day(wanted[name])
                if day is None:
                    rows = rows.none()
                elif lookup == "on":
                    rows = rows.filter(published_at__gte=day[0], published_at__lt=day[1])
                elif lookup == "after":
                    rows = rows.filter(published_at__gte=day[0])
                else:
                    rows = rows.filter(published_at__lt=day[0])
        page = query.paginate(query.sort(rows, request, SORTS, default=("-created_at",)), request)
        included = reads.include_for_incidents(reader, page.rows, include)
        data = IncidentSerializer(page.rows, many=True, context={"include": include}).data
        return self.document(data, included, include, page)

    def retrieve(self, request, incident):
        """cachet.api.incidents.show"""
        reader = self.reader()
        return self._show(reader, self.restrict(reads.incidents(reader)), incident, query.includes(request, INCLUDES))

    def create(self, request):
        """cachet.api.incidents.store: published on the site page with its first update
        (back-dated to ``occurred_at``), moving the components it names."""
        writer = self.writer()
        data = self.parse(CreateIncidentRequestDataSerializer)
        incident = services.publish_incident(
            actor=self.key,
            status_page=writer.site,
            name=data["name"],
            message=message_from(data),
            status=data["status"],
            component_statuses=data["component_statuses"],
            notify_subscribers=data["notifications"],
            visibility=enums.INCIDENT_VISIBLE[data["visible"]],
            stickied=data["stickied"],
            published_at=data.get("occurred_at"),
        )
        return self._show(writer, self.restrict(reads.incidents(writer, any_visibility=True)), incident.number, set())

    def update(self, request, incident):
        """cachet.api.incidents.update: name, visibility and pin change the incident; a new
        status is posted as an update (our statuses live on updates); the message is its
        first update's. ``notifications`` is accepted and kept as it was (subscribers
        were told, or not, when it was published)."""
        writer = self.writer()
        rows = self.restrict(reads.incidents(writer, any_visibility=True))
        row = self.find(rows, incident, "Incident")
        data = self.parse(UpdateIncidentRequestDataSerializer)
        services.revise_page_incident(
            actor=self.key,
            page_incident=row,
            name=data.get("name"),
            stickied=data.get("stickied"),
            visibility=enums.INCIDENT_VISIBLE[data["visible"]] if "visible" in data else None,
            first_message=data.get("message"),
            status=data.get("status"),
            published_at=data.get("occurred_at"),
        )
        return self._show(writer, rows, incident, set())

    def destroy(self, request, incident):
        """cachet.api.incidents.destroy"""
        row = self.find(self.restrict(reads.incidents(self.writer(), any_visibility=True)), incident, "Incident")
        services.delete_page_incident(actor=self.key, page_incident=row)
        return Response(status=204)

    def _show(self, reader, rows, number: int, include: set[str]) -> Response:
        row = self.find(reads.with_component_counts(rows, include), number, "Incident")
        included = reads.include_for_incidents(reader, [row], include)
        return self.document(IncidentSerializer(row, context={"include": include}).data, included, include)


class CachetIncidentUpdateViewSet(CachetUpdatesViewSet):
    """Updates after an incident's first (the first is the incident's ``message``)."""

    parent_field = "page_incident"
    parent_include = "incident"
    parent_serializer = IncidentSerializer

    def list(self, request, incident):
        """cachet.api.incidents.updates.index: site, incident, updates (3 queries)."""
        parent = self.find(self.restrict(reads.incidents(self.reader())), incident, "Incident")
        include = query.includes(request, UPDATE_INCLUDES)
        rows = reads.incident_updates(parent).annotate(cachet_status=cachet_status_order())
        wanted = query.filters(request, ("status",))
        if "status" in wanted:
            rows = rows.filter(status__in=_statuses(wanted["status"]))
        page = query.paginate(query.sort(rows, request, UPDATE_SORTS), request)
        return self.updates_document(page.rows, parent, include, page)

    def retrieve(self, request, incident, update):
        """cachet.api.incidents.updates.show"""
        parent = self.find(self.restrict(reads.incidents(self.reader())), incident, "Incident")
        row = self.find(reads.incident_updates(parent), update, "Update")
        return self.updates_document(row, parent, query.includes(request, UPDATE_INCLUDES))

    def create(self, request, incident):
        """cachet.api.incidents.updates.store: the incident's new status and, beyond Cachet's
        document, the components it moves (``components``, ``component_id`` +
        ``component_status``, as when creating an incident)."""
        writer = self.writer()
        parent = self.find(self.restrict(reads.incidents(writer, any_visibility=True)), incident, "Incident")
        data = self.parse(CreateIncidentUpdateRequestDataSerializer)
        row = services.post_incident_update(
            actor=self.key,
            page_incident=parent,
            message=data["message"],
            status=data["status"],
            component_statuses=data["component_statuses"],
        )
        return self.updates_document(row, parent, set())

    def update(self, request, incident, update):
        """cachet.api.incidents.updates.update: a correction of its message or status."""
        writer = self.writer()
        parent = self.find(self.restrict(reads.incidents(writer, any_visibility=True)), incident, "Incident")
        row = self.find(reads.incident_updates(parent), update, "Update")
        data = self.parse(EditIncidentUpdateRequestDataSerializer)
        row = services.edit_page_incident_update(actor=self.key, update=row, message=data.get("message"), status=data.get("status"))
        return self.updates_document(row, parent, set())

    def destroy(self, request, incident, update):
        """cachet.api.incidents.updates.destroy"""
        parent = self.find(self.restrict(reads.incidents(self.writer(), any_visibility=True)), incident, "Incident")
        row = self.find(reads.incident_updates(parent), update, "Update")
        services.delete_page_incident_update(actor=self.key, update=row)
        return Response(status=204)
