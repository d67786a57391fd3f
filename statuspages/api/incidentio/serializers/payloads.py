"""Request bodies and query strings of incident.io's status page API. Each payload's
``validated_data`` holds the keyword arguments of the service the view calls: the ids a
body names are resolved here, before anything is written, and each unknown one is
reported with its path in the body (``component_statuses[1].component_id``)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework import serializers

from incidents.api.resolve import PayloadResolver
from statuspages.models import Component, IncidentStatus, MaintenanceStatus
from statuspages.services.incidents import PastUpdate

from .. import reads
from .shapes import StatusPageIncidentAffectedComponentV2Serializer, StatusPageMaintenanceAffectedComponentV2Serializer

#: incident.io refuses availability windows longer than this
LONGEST_AVAILABILITY_WINDOW = timedelta(days=366)


class _Names:
    """Resolves the status pages, incidents, maintenance and components a body names,
    collecting an error for each unknown id (one query per kind)."""

    def __init__(self):
        self.resolver = PayloadResolver()

    def page(self, pk: str, field: str = "status_page_id"):
        page = reads.pages().filter(pk=pk).first()
        if page is None:
            self.resolver.error(field, f"No status page with id {pk}")
        return page

    def incident(self, incidents, pk: str, field: str = "status_page_incident_id"):
        """A page incident among ``incidents`` (those the key may see: the view passes them)."""
        incident = incidents.filter(pk=pk).prefetch_related(None).first()
        if incident is None:
            self.resolver.error(field, f"No status page incident with id {pk}")
        return incident

    def maintenance(self, pk: str, field: str = "status_page_maintenance_id"):
        maintenance = reads.maintenances().filter(pk=pk).prefetch_related(None).first()
        if maintenance is None:
            self.resolver.error(field, f"No status page maintenance with id {pk}")
        return maintenance

    def components(self, ids: list[str], field: str) -> list[Component]:
        """The components of ``ids`` in their order; ``field`` names the list (its items
        are ``field[i]``, or ``field[i].component_id`` for a list of component statuses)."""
        found = Component.objects.in_bulk(set(ids))
        components = []
        for index, pk in enumerate(ids):
            if pk not in found:
                self.resolver.error(field.format(index=index), f"No status page component with id {pk}")
            elif found[pk] in components:
                self.resolver.error(field.format(index=index), f"Component {pk} is named twice")
            else:
                components.append(found[pk])
        return components

    def component_statuses(self, rows: list[dict], field: str = "component_statuses") -> dict[Component, str]:
        components = self.components([row["component_id"] for row in rows], f"{field}[{{index}}].component_id")
        by_id = {component.pk: component for component in components}
        return {by_id[row["component_id"]]: row["status"] for row in rows if row["component_id"] in by_id}

    def raise_if_any(self) -> None:
        self.resolver.raise_if_any()


def _refuse(field: str, message: str):
    raise serializers.ValidationError({field: [message]}, code="invalid_value")


# --- components -------------------------------------------------------------------------------


class StatusPageComponentsCreatePayloadV2Serializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True)


class StatusPageComponentsUpdatePayloadV2Serializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True)  # unchanged when left out


# --- incidents --------------------------------------------------------------------------------


class StatusPagesCreateStatusPageIncidentPayloadV2Serializer(serializers.Serializer):
    """-> ``services.publish_incident``."""

    status_page_id = serializers.CharField()
    name = serializers.CharField(max_length=200)
    incident_status = serializers.ChoiceField(choices=IncidentStatus.values)
    idempotency_key = serializers.CharField(max_length=255)
    message = serializers.CharField(max_length=4096, allow_blank=True, trim_whitespace=False)
    notify_subscribers = serializers.BooleanField()
    component_statuses = StatusPageIncidentAffectedComponentV2Serializer(many=True, required=False)

    def validate(self, attrs):
        names = _Names()
        publication = {
            "status_page": names.page(attrs["status_page_id"]),
            "name": attrs["name"],
            "message": attrs["message"],
            "status": attrs["incident_status"],
            "component_statuses": names.component_statuses(attrs.get("component_statuses", [])),
            "notify_subscribers": attrs["notify_subscribers"],
            "idempotency_key": attrs["idempotency_key"],
        }
        names.raise_if_any()
        return publication


class StatusPagesUpdateStatusPageIncidentPayloadV2Serializer(serializers.Serializer):
    """-> ``services.edit_page_incident``."""

    name = serializers.CharField(max_length=200)


class StatusPagesCreateStatusPageIncidentUpdatePayloadV2Serializer(serializers.Serializer):
    """-> ``services.post_incident_update``."""

    status_page_incident_id = serializers.CharField()
    message = serializers.CharField(max_length=4096, allow_blank=True, trim_whitespace=False)
    notify_subscribers = serializers.BooleanField()
    incident_status = serializers.ChoiceField(choices=IncidentStatus.values, required=False)
    component_statuses = StatusPageIncidentAffectedComponentV2Serializer(many=True, required=False)

    def validate(self, attrs):
        if attrs.get("incident_status") == IncidentStatus.RESOLVED and attrs.get("component_statuses"):
            # incident.io: resolving sets every component the incident holds operational.
            _refuse("component_statuses", "must not be set when resolving: every component becomes operational")
        names = _Names()
        update = {
            "page_incident": names.incident(self.context["incidents"], attrs["status_page_incident_id"]),
            "message": attrs["message"],
            "status": attrs.get("incident_status"),
            "component_statuses": names.component_statuses(attrs.get("component_statuses", [])),
            "notify_subscribers": attrs["notify_subscribers"],
        }
        names.raise_if_any()
        return update


class StatusPageRetrospectiveIncidentUpdateV2Serializer(serializers.Serializer):
    incident_status = serializers.ChoiceField(choices=IncidentStatus.values)
    message = serializers.CharField(max_length=4096, allow_blank=True, trim_whitespace=False)
    published_at = serializers.DateTimeField()
    component_statuses = StatusPageIncidentAffectedComponentV2Serializer(many=True, required=False)


class StatusPagesCreateStatusPageRetrospectiveIncidentPayloadV2Serializer(serializers.Serializer):
    """-> ``services.publish_retrospective_incident``, with incident.io's rules for a
    reconstructed timeline: every update in the past, earliest first, the last resolved."""

    status_page_id = serializers.CharField()
    name = serializers.CharField(max_length=200)
    idempotency_key = serializers.CharField(max_length=255)
    updates = StatusPageRetrospectiveIncidentUpdateV2Serializer(many=True, allow_empty=False)

    def validate(self, attrs):
        updates, now = attrs["updates"], timezone.now()
        for index, update in enumerate(updates):
            if update["published_at"] > now:
                _refuse(f"updates[{index}].published_at", "must be in the past")
            if index and update["published_at"] < updates[index - 1]["published_at"]:
                _refuse(f"updates[{index}].published_at", "updates must be ordered chronologically, earliest first")
        if updates[-1]["incident_status"] != IncidentStatus.RESOLVED:
            _refuse(f"updates[{len(updates) - 1}].incident_status", "the final update must set incident_status to resolved")
        names = _Names()
        publication = {
            "status_page": names.page(attrs["status_page_id"]),
            "name": attrs["name"],
            "idempotency_key": attrs["idempotency_key"],
            "updates": [
                PastUpdate(
                    status=update["incident_status"],
                    message=update["message"],
                    published_at=update["published_at"],
                    component_statuses=names.component_statuses(
                        update.get("component_statuses", []), f"updates[{index}].component_statuses"
                    ),
                )
                for index, update in enumerate(updates)
            ],
        }
        names.raise_if_any()
        return publication


# --- maintenance ------------------------------------------------------------------------------


class StatusPagesCreateStatusPageMaintenancePayloadV2Serializer(serializers.Serializer):
    """-> ``services.schedule_maintenance``."""

    status_page_id = serializers.CharField()
    name = serializers.CharField(max_length=200)
    maintenance_status = serializers.ChoiceField(choices=MaintenanceStatus.values)
    idempotency_key = serializers.CharField(max_length=255)
    affected_component_ids = serializers.ListField(child=serializers.CharField())
    start_at = serializers.DateTimeField()
    end_at = serializers.DateTimeField()
    message = serializers.CharField(max_length=4096, allow_blank=True, trim_whitespace=False)
    notify_subscribers = serializers.BooleanField()
    # incident.io defaults to publishing those updates yourself.
    automate_maintenance_status = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        names = _Names()
        maintenance = {
            "status_page": names.page(attrs["status_page_id"]),
            "name": attrs["name"],
            "message": attrs["message"],
            "status": attrs["maintenance_status"],
            "starts_at": attrs["start_at"],
            "ends_at": attrs["end_at"],
            "components": names.components(attrs["affected_component_ids"], "affected_component_ids[{index}]"),
            "automate": attrs["automate_maintenance_status"],
            "notify_subscribers": attrs["notify_subscribers"],
            "idempotency_key": attrs["idempotency_key"],
        }
        names.raise_if_any()
        return maintenance


class StatusPagesUpdateStatusPageMaintenancePayloadV2Serializer(serializers.Serializer):
    """-> ``services.edit_maintenance``."""

    name = serializers.CharField(max_length=200)
    start_at = serializers.DateTimeField(source="starts_at")
    end_at = serializers.DateTimeField(source="ends_at")


class StatusPagesCreateStatusPageMaintenanceUpdatePayloadV2Serializer(serializers.Serializer):
    """-> ``services.post_maintenance_update``. The component statuses are checked but not
    kept: a maintenance puts every component it affects under maintenance while it is in
    progress (see docs/status-pages-api.md)."""

    status_page_maintenance_id = serializers.CharField()
    message = serializers.CharField(max_length=4096, allow_blank=True, trim_whitespace=False)
    notify_subscribers = serializers.BooleanField()
    maintenance_status = serializers.ChoiceField(choices=MaintenanceStatus.values, required=False)
    component_statuses = StatusPageMaintenanceAffectedComponentV2Serializer(many=True, required=False)

    def validate(self, attrs):
        if attrs.get("maintenance_status") == MaintenanceStatus.COMPLETE and attrs.get("component_statuses"):
            _refuse("component_statuses", "must not be set when completing: every component becomes operational")
        names = _Names()
        update = {
            "maintenance": names.maintenance(attrs["status_page_maintenance_id"]),
            "message": attrs["message"],
            "status": attrs.get("maintenance_status"),
            "notify_subscribers": attrs["notify_subscribers"],
        }
        names.components([row["component_id"] for row in attrs.get("component_statuses", [])], "component_statuses[{index}].component_id")
        names.raise_if_any()
        return update


# --- query strings ----------------------------------------------------------------------------


class _Filters(serializers.Serializer):
    status_page_id = serializers.CharField()
    component_id = serializers.CharField(required=False, allow_blank=True)
    group_id = serializers.CharField(required=False, allow_blank=True)
    sub_page_id = serializers.CharField(required=False, allow_blank=True)
    start_at = serializers.DateTimeField(required=False)
    end_at = serializers.DateTimeField(required=False)

    def to_internal_value(self, data):
        # allowEmptyValue: an empty filter is no filter.
        return super().to_internal_value({key: value for key, value in data.items() if value != ""})


class ListStatusPageIncidentsQuerySerializer(_Filters):
    """The filters of ``GET /v2/status_page_incidents`` (``page_size`` and ``after`` are
    the pagination's)."""


class ListStatusPageMaintenancesQuerySerializer(_Filters):
    """The filters of ``GET /v2/status_page_maintenances``."""


class ShowStatusPageComponentAvailabilityQuerySerializer(serializers.Serializer):
    start_at = serializers.DateTimeField()
    end_at = serializers.DateTimeField()

    def validate(self, attrs):
        if attrs["end_at"] <= attrs["start_at"]:
            _refuse("end_at", "must be after start_at")
        if attrs["end_at"] - attrs["start_at"] > LONGEST_AVAILABILITY_WINDOW:
            _refuse("end_at", "the window cannot be longer than 366 days")
        return attrs
