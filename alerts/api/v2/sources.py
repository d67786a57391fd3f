"""``Alert Sources V2`` CRUD. The secret is in the answer to create only (it is stored
hashed); rotating it is the admin's."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from alerts import selectors, services
from alerts.api.v2.serializers import (
    AlertSourcesCreatePayloadV2Serializer,
    AlertSourcesCreateResultV2Serializer,
    AlertSourcesListResultV2Serializer,
    AlertSourcesShowResultV2Serializer,
    AlertSourcesUpdatePayloadV2Serializer,
    AlertSourcesUpdateResultV2Serializer,
    AlertSourceV2Serializer,
)
from core.api import roles
from core.api.base import ApiViewSet

TAG = "Alert Sources V2"


def _mapping(data: dict) -> dict:
    template = data["template"]
    mapping = {"title_binding": dict(template["title"]), "description_binding": dict(template["description"])}
    if "http_custom_options" in data:
        mapping["dedup_key_path"] = data["http_custom_options"]["deduplication_key_path"]
    if "heartbeat_options" in data:
        mapping["heartbeat_options"] = dict(data["heartbeat_options"])
    return mapping


class AlertSourceV2ViewSet(ApiViewSet):
    roles = roles.action_roles("alert_sources", "list", "retrieve", "create", "update", "destroy")

    @extend_schema(operation_id="Alert Sources V2#List", tags=[TAG], responses={200: AlertSourcesListResultV2Serializer})
    def list(self, request):
        return Response({"alert_sources": AlertSourceV2Serializer(selectors.sources(), many=True).data})

    @extend_schema(operation_id="Alert Sources V2#Show", tags=[TAG], responses={200: AlertSourcesShowResultV2Serializer})
    def retrieve(self, request, pk):
        source = self.get_or_404(selectors.sources(), pk, "alert source")
        return Response({"alert_source": AlertSourceV2Serializer(source).data})

    @extend_schema(
        operation_id="Alert Sources V2#Create",
        tags=[TAG],
        request=AlertSourcesCreatePayloadV2Serializer,
        responses={200: AlertSourcesCreateResultV2Serializer},
    )
    def create(self, request):
        data = self.parse(AlertSourcesCreatePayloadV2Serializer)
        source, secret = services.create_alert_source(name=data["name"], source_type=data["source_type"], **_mapping(data))
        # incident.io answers 200 (not 201) here; the secret is shown this once.
        return Response({"alert_source": AlertSourceV2Serializer(source, context={"secret": secret}).data})

    @extend_schema(
        operation_id="Alert Sources V2#Update",
        tags=[TAG],
        request=AlertSourcesUpdatePayloadV2Serializer,
        responses={200: AlertSourcesUpdateResultV2Serializer},
    )
    def update(self, request, pk):
        source = self.get_or_404(selectors.sources(), pk, "alert source")
        data = self.parse(AlertSourcesUpdatePayloadV2Serializer)
        source = services.update_alert_source(source=source, name=data["name"], disabled=data.get("disabled"), **_mapping(data))
        return Response({"alert_source": AlertSourceV2Serializer(source).data})

    @extend_schema(operation_id="Alert Sources V2#Delete", tags=[TAG], responses={204: None})
    def destroy(self, request, pk):
        services.delete_alert_source(source=self.get_or_404(selectors.sources(), pk, "alert source"))
        return Response(status=204)


urlpatterns = [
    path("v2/alert_sources", AlertSourceV2ViewSet.as_view({"get": "list", "post": "create"}), name="alert-sources-v2"),
    path(
        "v2/alert_sources/<str:pk>",
        AlertSourceV2ViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"}),
        name="alert-source-v2",
    ),
]
