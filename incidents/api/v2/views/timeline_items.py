"""Incident Timeline Items V2: list an incident's items (paged), create one (a retry
with the same idempotency key answers the first item), and update one, for incidents the
key may see. incident.io documents no show or delete for them."""

from django.db.models import Q, Subquery
from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from core.api.base import ApiViewSet
from core.api.pagination import paginate_with
from core.api.roles import action_roles
from incidents import selectors, services
from incidents.api.openapi import vendor_component
from incidents.api.v2.serializers.timeline_items import (
    IncidentTimelineItemsCreatePayloadV2Serializer,
    IncidentTimelineItemsListQueryV2Serializer,
    IncidentTimelineItemsUpdatePayloadV2Serializer,
    render_timeline_item_v2,
)
from incidents.models import Incident, TimelineItem

TAGS = ["Incident Timeline Items V2"]


class TimelineItemV2ViewSet(ApiViewSet):
    roles = action_roles("timeline_items", "list", "create", "partial_update")
    queryset = TimelineItem.objects.select_related("actor_user", "actor_api_key")

    def incident(self, incident_id) -> Incident:
        incident = selectors.find_incident(self.restrict(Incident.objects.all()), incident_id)
        if incident is None:
            raise Http404("No incident with this id")
        return incident

    def answer(self, item: TimelineItem, status: int = 200) -> Response:
        # Read back as the list reads it, so every answer renders the same selected rows.
        item = self.get_or_404(self.get_queryset(), item.pk, "timeline item")
        return Response({"incident_timeline_item": render_timeline_item_v2(item)}, status=status)

    @extend_schema(
        operation_id="Incident Timeline Items V2#List", tags=TAGS,
        parameters=[
            IncidentTimelineItemsListQueryV2Serializer,
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Items per page"),
            OpenApiParameter("after", OpenApiTypes.STR, description="The pagination_meta.after of the previous page"),
        ],
        responses={200: vendor_component("IncidentTimelineItemsListResultV2")},
    )
    def list(self, request):
        query = self.parse(IncidentTimelineItemsListQueryV2Serializer, data=request.query_params)
        incident = self.incident(query["incident_id"])
        items = self.get_queryset().filter(incident=incident).order_by("occurred_at", "pk")

        def fetch(after, limit):
            # Oldest first by when it happened, then by id (incident.io's order); ``after``
            # is an item's id, whose moment a subquery reads, so a page stays one query.
            page = items
            if after is not None:
                at = Subquery(TimelineItem.objects.filter(incident=incident, pk=after).values("occurred_at")[:1])
                page = page.filter(Q(occurred_at__gt=at) | Q(occurred_at=at, pk__gt=after))
            return list(page[:limit])

        rows, meta = paginate_with(fetch, request)
        return Response({"incident_timeline_items": [render_timeline_item_v2(i) for i in rows], "pagination_meta": meta})

    @extend_schema(
        operation_id="Incident Timeline Items V2#Create", tags=TAGS, request=IncidentTimelineItemsCreatePayloadV2Serializer,
        responses={201: vendor_component("IncidentTimelineItemsCreateResultV2")},
    )
    def create(self, request):
        data = dict(self.parse(IncidentTimelineItemsCreatePayloadV2Serializer))
        incident = self.incident(data.pop("incident_id"))
        # A retry answers 201 with the first item too, so a client cannot tell it retried.
        item, _ = services.create_timeline_item(incident=incident, actor=self.key, **data)
        return self.answer(item, status=201)

    @extend_schema(
        operation_id="Incident Timeline Items V2#Update", tags=TAGS, request=IncidentTimelineItemsUpdatePayloadV2Serializer,
        responses={200: vendor_component("IncidentTimelineItemsUpdateResultV2")},
    )
    def partial_update(self, request, pk):
        item = self.get_or_404(self.get_queryset(), pk, "timeline item")
        data = self.parse(IncidentTimelineItemsUpdatePayloadV2Serializer)
        return self.answer(services.update_timeline_item(item=item, actor=self.key, **data))


urlpatterns = [
    path("v2/incident_timeline_items", TimelineItemV2ViewSet.as_view({"get": "list", "post": "create"}), name="timeline-items-v2"),
    path("v2/incident_timeline_items/<str:pk>", TimelineItemV2ViewSet.as_view({"patch": "partial_update"}), name="timeline-item-v2"),
]
