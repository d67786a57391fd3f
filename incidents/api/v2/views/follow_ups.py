"""Follow-ups V2: list (by incident), show, create, update, delete and link an external
issue, for the follow-ups of incidents the key may see; and V3's create and paged list
(V3's shapes are V2's)."""

from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from core.api.base import ApiViewSet
from core.api.roles import action_roles
from incidents import selectors, services
from incidents.api.filters import date_bounds
from incidents.api.openapi import vendor_component
from incidents.api.v2.serializers.follow_ups import (
    FollowUpsConnectExternalIssuePayloadV2Serializer,
    FollowUpsConnectExternalIssuePayloadV3Serializer,
    FollowUpsCreateFromLinkPayloadV3Serializer,
    FollowUpsCreatePayloadV2Serializer,
    FollowUpsCreatePayloadV3Serializer,
    FollowUpsListQueryV2Serializer,
    FollowUpsListQueryV3Serializer,
    FollowUpsUpdatePayloadV2Serializer,
    FollowUpsUpdatePayloadV3Serializer,
    render_follow_up_v2,
)
from incidents.models import FollowUp, Incident

TAGS = ["Follow-ups V2"]
_DEEP = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}


class FollowUpV2ViewSet(ApiViewSet):
    roles = action_roles("follow_ups", "list", "retrieve", "create", "update", "destroy", "connect_external_issue")
    queryset = FollowUp.objects.select_related("assignee", "priority", "actor_user", "actor_api_key")

    def follow_up(self, pk) -> FollowUp:
        return self.get_or_404(self.get_queryset(), pk, "follow-up")

    def answer(self, key: str, follow_up: FollowUp, status: int = 200) -> Response:
        # Read back as the list reads it, so every answer renders the same selected rows.
        return Response({key: render_follow_up_v2(self.follow_up(follow_up.pk))}, status=status)

    @extend_schema(
        operation_id="Follow-ups V2#List", tags=TAGS, parameters=[FollowUpsListQueryV2Serializer],
        responses={200: vendor_component("FollowUpsListResultV2")},
    )
    def list(self, request):
        follow_ups = self.filtered(self.parse(FollowUpsListQueryV2Serializer, data=request.query_params))
        return Response({"follow_ups": [render_follow_up_v2(f) for f in follow_ups.order_by("created_at", "id")]})

    def filtered(self, query):
        follow_ups = self.get_queryset()
        if query.get("incident_mode"):
            follow_ups = follow_ups.filter(incident__mode=query["incident_mode"])
        else:
            follow_ups = follow_ups.filter(incident__mode__in=selectors.DEFAULT_MODES)
        if query.get("incident_id"):
            incident = selectors.find_incident(self.restrict(Incident.objects.all()), query["incident_id"])
            follow_ups = follow_ups.filter(incident=incident) if incident else follow_ups.none()
        if query.get("assignee_team_id"):
            follow_ups = follow_ups.none()  # there are no teams here
        return follow_ups

    @extend_schema(operation_id="Follow-ups V2#Show", tags=TAGS, responses={200: vendor_component("FollowUpsShowResultV2")})
    def retrieve(self, request, pk):
        return Response({"follow_up": render_follow_up_v2(self.follow_up(pk))})

    @extend_schema(
        operation_id="Follow-ups V2#Create", tags=TAGS, request=FollowUpsCreatePayloadV2Serializer,
        responses={201: vendor_component("FollowUpsCreateResultV2")},
    )
    def create(self, request):
        return self.created(FollowUpsCreatePayloadV2Serializer)

    def created(self, payload) -> Response:
        data = dict(self.parse(payload))
        incident = selectors.find_incident(self.restrict(Incident.objects.all()), data.pop("incident_id"))
        if incident is None:
            raise Http404("No incident with this id")
        follow_up = services.create_follow_up(incident=incident, actor=self.key, **data)
        return self.answer("follow_up", follow_up, status=201)

    @extend_schema(
        operation_id="Follow-ups V2#Update", tags=TAGS, request=FollowUpsUpdatePayloadV2Serializer,
        responses={200: vendor_component("FollowUpsUpdateResultV2")},
    )
    def update(self, request, pk):
        follow_up = self.follow_up(pk)
        data = self.parse(FollowUpsUpdatePayloadV2Serializer)
        return self.answer("follow_up", services.update_follow_up(follow_up=follow_up, actor=self.key, **data))

    @extend_schema(operation_id="Follow-ups V2#Delete", tags=TAGS, responses={204: None})
    def destroy(self, request, pk):
        services.delete_follow_up(follow_up=self.follow_up(pk), actor=self.key)
        return Response(status=204)

    @extend_schema(
        operation_id="Follow-ups V2#ConnectExternalIssue", tags=TAGS, request=FollowUpsConnectExternalIssuePayloadV2Serializer,
        responses={200: vendor_component("FollowUpsConnectExternalIssueResultV2")},
    )
    def connect_external_issue(self, request, pk):
        follow_up = self.follow_up(pk)
        data = self.parse(FollowUpsConnectExternalIssuePayloadV2Serializer)
        follow_up = services.connect_follow_up_issue(follow_up=follow_up, actor=self.key, **data)
        return self.answer("follow_up", follow_up)


class FollowUpV3ViewSet(FollowUpV2ViewSet):
    """V3: V2's operations with V3's names and payloads, and create_from_link. FollowUpV3
    is FollowUpV2 with an optional category and team, of which there are none here."""

    roles = action_roles(
        "follow_ups", "list", "retrieve", "create", "update", "destroy", "connect_external_issue", "create_from_link"
    )

    @extend_schema(
        operation_id="Follow-ups V3#List", tags=["Follow-ups V3"],
        parameters=[
            FollowUpsListQueryV3Serializer,
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Follow-ups per page"),
            OpenApiParameter("after", OpenApiTypes.STR, description="The pagination_meta.after of the previous page"),
            *(
                OpenApiParameter(name, _DEEP, style="deepObject", explode=True, description="Operators: gte, lte, date_range")
                for name in ("created_at", "updated_at")
            ),
        ],
        responses={200: vendor_component("FollowUpsListResultV3")},
    )
    def list(self, request):
        query = self.parse(FollowUpsListQueryV3Serializer, data=request.query_params)
        follow_ups = self.filtered(query).filter(date_bounds(request.query_params, ("created_at", "updated_at")))
        rows, meta = self.paginate(follow_ups, newest_first=False)
        return Response({"follow_ups": [render_follow_up_v2(f) for f in rows], "pagination_meta": meta})

    @extend_schema(
        operation_id="Follow-ups V3#Create", tags=["Follow-ups V3"], request=FollowUpsCreatePayloadV3Serializer,
        responses={201: vendor_component("FollowUpsCreateResultV3")},
    )
    def create(self, request):
        return self.created(FollowUpsCreatePayloadV3Serializer)

    @extend_schema(operation_id="Follow-ups V3#Show", tags=["Follow-ups V3"], responses={200: vendor_component("FollowUpsShowResultV3")})
    def retrieve(self, request, pk):
        return super().retrieve(request, pk)

    @extend_schema(
        operation_id="Follow-ups V3#Update", tags=["Follow-ups V3"], request=FollowUpsUpdatePayloadV3Serializer,
        responses={200: vendor_component("FollowUpsUpdateResultV3")},
    )
    def update(self, request, pk):
        follow_up = self.follow_up(pk)
        data = self.parse(FollowUpsUpdatePayloadV3Serializer)
        return self.answer("follow_up", services.update_follow_up(follow_up=follow_up, actor=self.key, **data))

    @extend_schema(operation_id="Follow-ups V3#Delete", tags=["Follow-ups V3"], responses={204: None})
    def destroy(self, request, pk):
        return super().destroy(request, pk)

    @extend_schema(
        operation_id="Follow-ups V3#ConnectExternalIssue", tags=["Follow-ups V3"],
        request=FollowUpsConnectExternalIssuePayloadV3Serializer,
        responses={200: vendor_component("FollowUpsConnectExternalIssueResultV3")},
    )
    def connect_external_issue(self, request, pk):
        follow_up = self.follow_up(pk)
        data = self.parse(FollowUpsConnectExternalIssuePayloadV3Serializer)
        return self.answer("follow_up", services.connect_follow_up_issue(follow_up=follow_up, actor=self.key, **data))

    @extend_schema(
        operation_id="Follow-ups V3#CreateFromLink", tags=["Follow-ups V3"], request=FollowUpsCreateFromLinkPayloadV3Serializer,
        responses={201: vendor_component("FollowUpsCreateFromLinkResultV3")},
    )
    def create_from_link(self, request):
        data = self.parse(FollowUpsCreateFromLinkPayloadV3Serializer)
        incident = selectors.find_incident(self.restrict(Incident.objects.all()), data["incident_id"])
        if incident is None:
            raise Http404("No incident with this id")
        follow_up = services.create_follow_up_from_link(incident=incident, actor=self.key, url=data["url"])
        return self.answer("follow_up", follow_up, status=201)


follow_ups = FollowUpV2ViewSet.as_view({"get": "list", "post": "create"})
follow_up = FollowUpV2ViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"})
connect = FollowUpV2ViewSet.as_view({"post": "connect_external_issue"})

urlpatterns = [
    path("v2/follow_ups", follow_ups, name="follow-ups-v2"),
    path("v2/follow_ups/<str:pk>", follow_up, name="follow-up-v2"),
    path("v2/follow_ups/<str:pk>/actions/connect_external_issue", connect, name="follow-up-v2-connect-external-issue"),
    path("v3/follow_ups", FollowUpV3ViewSet.as_view({"get": "list", "post": "create"}), name="follow-ups-v3"),
    path(
        "v3/follow_ups/actions/create_from_link",
        FollowUpV3ViewSet.as_view({"post": "create_from_link"}),
        name="follow-ups-v3-create-from-link",
    ),
    path(
        "v3/follow_ups/<str:pk>",
        FollowUpV3ViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}),
        name="follow-up-v3",
    ),
    path(
        "v3/follow_ups/<str:pk>/actions/connect_external_issue",
        FollowUpV3ViewSet.as_view({"post": "connect_external_issue"}),
        name="follow-up-v3-connect-external-issue",
    ),
]
