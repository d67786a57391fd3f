"""Actions V2 and V3: list (by incident), show, create, update and delete the actions of
incidents the key may see; V3's list is paged and bounded by time (V3's shapes are V2's)."""

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
from incidents.api.v2.serializers.actions import (
    ActionsCreatePayloadV2Serializer,
    ActionsCreatePayloadV3Serializer,
    ActionsListQueryV2Serializer,
    ActionsListQueryV3Serializer,
    ActionsUpdatePayloadV2Serializer,
    ActionsUpdatePayloadV3Serializer,
    render_action_v2,
)
from incidents.models import Action, Incident

_DEEP = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}


class ActionV2ViewSet(ApiViewSet):
    roles = action_roles("actions", "list", "retrieve", "create", "update", "destroy")
    queryset = Action.objects.select_related("assignee", "actor_user", "actor_api_key")
    version = "V2"

    def action_row(self, pk) -> Action:
        return self.get_or_404(self.get_queryset(), pk, "action")

    def answer(self, action: Action, status: int = 200) -> Response:
        # Read back as the list reads it, so every answer renders the same selected rows.
        return Response({"action": render_action_v2(self.action_row(action.pk))}, status=status)

    def filtered(self, query):
        actions = self.get_queryset()
        if query.get("incident_mode"):
            actions = actions.filter(incident__mode=query["incident_mode"])
        else:
            actions = actions.filter(incident__mode__in=selectors.DEFAULT_MODES)
        if query.get("incident_id"):
            incident = selectors.find_incident(self.restrict(Incident.objects.all()), query["incident_id"])
            actions = actions.filter(incident=incident) if incident else actions.none()
        return actions

    @extend_schema(
        operation_id="Actions V2#List", tags=["Actions V2"], parameters=[ActionsListQueryV2Serializer],
        responses={200: vendor_component("ActionsListResultV2")},
    )
    def list(self, request):
        actions = self.filtered(self.parse(ActionsListQueryV2Serializer, data=request.query_params))
        return Response({"actions": [render_action_v2(a) for a in actions.order_by("created_at", "id")]})

    @extend_schema(operation_id="Actions V2#Show", tags=["Actions V2"], responses={200: vendor_component("ActionsShowResultV2")})
    def retrieve(self, request, pk):
        return Response({"action": render_action_v2(self.action_row(pk))})

    @extend_schema(
        operation_id="Actions V2#Create", tags=["Actions V2"], request=ActionsCreatePayloadV2Serializer,
        responses={201: vendor_component("ActionsCreateResultV2")},
    )
    def create(self, request):
        return self.created(ActionsCreatePayloadV2Serializer)

    def created(self, payload) -> Response:
        data = dict(self.parse(payload))
        incident = selectors.find_incident(self.restrict(Incident.objects.all()), data.pop("incident_id"))
        if incident is None:
            raise Http404("No incident with this id")
        return self.answer(services.create_action(incident=incident, actor=self.key, **data), status=201)

    @extend_schema(
        operation_id="Actions V2#Update", tags=["Actions V2"], request=ActionsUpdatePayloadV2Serializer,
        responses={200: vendor_component("ActionsUpdateResultV2")},
    )
    def update(self, request, pk):
        return self.updated(pk, ActionsUpdatePayloadV2Serializer)

    def updated(self, pk, payload) -> Response:
        action = self.action_row(pk)
        data = self.parse(payload)
        return self.answer(services.update_action(action=action, actor=self.key, **data))

    @extend_schema(operation_id="Actions V2#Delete", tags=["Actions V2"], responses={204: None})
    def destroy(self, request, pk):
        services.delete_action(action=self.action_row(pk), actor=self.key)
        return Response(status=204)


class ActionV3ViewSet(ActionV2ViewSet):
    @extend_schema(
        operation_id="Actions V3#List", tags=["Actions V3"],
        parameters=[
            ActionsListQueryV3Serializer,
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Actions per page"),
            OpenApiParameter("after", OpenApiTypes.STR, description="The pagination_meta.after of the previous page"),
            *(
                OpenApiParameter(name, _DEEP, style="deepObject", explode=True, description="Operators: gte, lte, date_range")
                for name in ("created_at", "updated_at")
            ),
        ],
        responses={200: vendor_component("ActionsListResultV3")},
    )
    def list(self, request):
        query = self.parse(ActionsListQueryV3Serializer, data=request.query_params)
        actions = self.filtered(query).filter(date_bounds(request.query_params, ("created_at", "updated_at")))
        rows, meta = self.paginate(actions, newest_first=False)
        return Response({"actions": [render_action_v2(a) for a in rows], "pagination_meta": meta})

    @extend_schema(operation_id="Actions V3#Show", tags=["Actions V3"], responses={200: vendor_component("ActionsShowResultV3")})
    def retrieve(self, request, pk):
        return super().retrieve(request, pk)

    @extend_schema(
        operation_id="Actions V3#Create", tags=["Actions V3"], request=ActionsCreatePayloadV3Serializer,
        responses={201: vendor_component("ActionsCreateResultV3")},
    )
    def create(self, request):
        return self.created(ActionsCreatePayloadV3Serializer)

    @extend_schema(
        operation_id="Actions V3#Update", tags=["Actions V3"], request=ActionsUpdatePayloadV3Serializer,
        responses={200: vendor_component("ActionsUpdateResultV3")},
    )
    def update(self, request, pk):
        return self.updated(pk, ActionsUpdatePayloadV3Serializer)

    @extend_schema(operation_id="Actions V3#Delete", tags=["Actions V3"], responses={204: None})
    def destroy(self, request, pk):
        return super().destroy(request, pk)


urlpatterns = [
    path("v2/actions", ActionV2ViewSet.as_view({"get": "list", "post": "create"}), name="actions-v2"),
    path("v2/actions/<str:pk>", ActionV2ViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}), name="action-v2"),
    path("v3/actions", ActionV3ViewSet.as_view({"get": "list", "post": "create"}), name="actions-v3"),
    path("v3/actions/<str:pk>", ActionV3ViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}), name="action-v3"),
]
