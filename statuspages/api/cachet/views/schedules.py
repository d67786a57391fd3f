"""Cachet's schedules (/api/schedules) and their updates: the site page's maintenance. A
schedule's ``message`` is its first update's; the updates Cachet lists are the ones after
it. Cachet derives a schedule's status from its window; ours is moved along the window by
itself (``automate``), starting from where the window stands when it is announced."""

from __future__ import annotations

from django.utils import timezone
from rest_framework.response import Response

from statuspages.models import MaintenanceStatus
from statuspages.services import maintenance as services

from .. import enums, query, reads
from ..base import CachetUpdatesViewSet, CachetViewSet
from ..serializers.payloads import (
    CreateScheduleRequestDataSerializer,
    CreateScheduleUpdateRequestDataSerializer,
    EditScheduleUpdateRequestDataSerializer,
    UpdateScheduleRequestDataSerializer,
)
from ..serializers.resources import ScheduleSerializer

INCLUDES = (
    "components", "componentsCount", "componentsExists",
    "components.group", "components.groupCount", "components.groupExists",
    "updates", "updatesCount", "updatesExists",
    "user", "userCount", "userExists",
)  # fmt: skip
SORTS = {"name": "name", "id": "number", "scheduled_at": "starts_at", "completed_at": "ends_at"}
UPDATE_INCLUDES = ("schedule", "scheduleCount", "scheduleExists")
UPDATE_SORTS = {"created_at": "published_at"}


def status_of(starts_at, ends_at) -> str:
    """Where a window stands now, as Cachet derives a schedule's status."""
    now = timezone.now()
    if ends_at <= now:
        return MaintenanceStatus.COMPLETE
    if starts_at <= now:
        return MaintenanceStatus.IN_PROGRESS
    return MaintenanceStatus.SCHEDULED


class CachetScheduleViewSet(CachetViewSet):
    def list(self, request):
        """cachet.api.schedules.index: site, schedules (2 queries; 1 to 4 more per include)."""
        reader = self.reader()
        include = query.includes(request, INCLUDES)
        rows = reads.schedules(reader)
        wanted = query.filters(request, ("name", "status"))
        if "name" in wanted:
            rows = rows.filter(name__icontains=wanted["name"])
        if "status" in wanted:
            table = {cachet: ours for ours, cachet in enums.SCHEDULE_STATUSES.items()}
            rows = rows.filter(status__in=[table[value] for value in query.integers(wanted["status"]) if value in table])
        page = query.paginate(query.sort(rows, request, SORTS), request)
        included = reads.include_for_schedules(reader, page.rows, include)
        data = ScheduleSerializer(page.rows, many=True, context={"include": include}).data
        return self.document(data, included, include, page)

    def retrieve(self, request, schedule):
        """cachet.api.schedules.show"""
        return self._show(self.reader(), schedule, query.includes(request, INCLUDES))

    def create(self, request):
        """cachet.api.schedules.store: a maintenance window on the site page, announced now
        (with its first update) and moved along its window by itself."""
        writer = self.writer()
        data = self.parse(CreateScheduleRequestDataSerializer)
        maintenance = services.schedule_maintenance(
            actor=self.key,
            status_page=writer.site,
            name=data["name"],
            message=data["message"],
            starts_at=data["scheduled_at"],
            ends_at=data["completed_at"],
            components=data.get("components") or [],
            status=status_of(data["scheduled_at"], data["completed_at"]),
            notify_subscribers=data["notifications"],
        )
        return self._show(writer, maintenance.number, set())

    def update(self, request, schedule):
        """cachet.api.schedules.update: its name, window, components, and its message (the
        first update's). A window moved into the past completes it on the next beat."""
        writer = self.writer()
        maintenance = self.find(reads.schedules(writer), schedule, "Schedule")
        data = self.parse(UpdateScheduleRequestDataSerializer)
        services.edit_maintenance(
            actor=self.key,
            maintenance=maintenance,
            name=data.get("name"),
            starts_at=data.get("scheduled_at"),
            ends_at=data.get("completed_at"),
            components=data.get("components"),
            first_message=data.get("message"),
        )
        return self._show(writer, schedule, set())

    def destroy(self, request, schedule):
        """cachet.api.schedules.destroy"""
        maintenance = self.find(reads.schedules(self.writer()), schedule, "Schedule")
        services.delete_maintenance(actor=self.key, maintenance=maintenance)
        return Response(status=204)

    def _show(self, reader, number: int, include: set[str]) -> Response:
        maintenance = self.find(reads.schedules(reader), number, "Schedule")
        included = reads.include_for_schedules(reader, [maintenance], include)
        return self.document(ScheduleSerializer(maintenance, context={"include": include}).data, included, include)


class CachetScheduleUpdateViewSet(CachetUpdatesViewSet):
    """Updates after a schedule's first (the first is the schedule's ``message``)."""

    parent_field = "maintenance"
    parent_include = "schedule"
    parent_serializer = ScheduleSerializer

    def list(self, request, schedule):
        """cachet.api.schedules.updates.index: site, schedule, updates (3 queries)."""
        parent = self.find(reads.schedules(self.reader()), schedule, "Schedule")
        include = query.includes(request, UPDATE_INCLUDES)
        query.filters(request, ())
        page = query.paginate(query.sort(reads.schedule_updates(parent), request, UPDATE_SORTS), request)
        return self.updates_document(page.rows, parent, include, page)

    def retrieve(self, request, schedule, update):
        """cachet.api.schedules.updates.show"""
        parent = self.find(reads.schedules(self.reader()), schedule, "Schedule")
        row = self.find(reads.schedule_updates(parent), update, "Update")
        return self.updates_document(row, parent, query.includes(request, UPDATE_INCLUDES))

    def create(self, request, schedule):
        """cachet.api.schedules.updates.store: news of the work; the window moves it on."""
        parent = self.find(reads.schedules(self.writer()), schedule, "Schedule")
        data = self.parse(CreateScheduleUpdateRequestDataSerializer)
        row = services.post_maintenance_update(actor=self.key, maintenance=parent, message=data["message"])
        return self.updates_document(row, parent, set())

    def update(self, request, schedule, update):
        """cachet.api.schedules.updates.update"""
        parent = self.find(reads.schedules(self.writer()), schedule, "Schedule")
        row = self.find(reads.schedule_updates(parent), update, "Update")
        data = self.parse(EditScheduleUpdateRequestDataSerializer)
        if data.get("message") is not None:
            row = services.edit_maintenance_update(actor=self.key, update=row, message=data["message"])
        return self.updates_document(row, parent, set())

    def destroy(self, request, schedule, update):
        """cachet.api.schedules.updates.destroy"""
        parent = self.find(reads.schedules(self.writer()), schedule, "Schedule")
        row = self.find(reads.schedule_updates(parent), update, "Update")
        services.delete_maintenance_update(actor=self.key, update=row)
        return Response(status=204)
