"""API Keys V1: list, show, create, update, rotate and delete keys.

Only a hash of each token is stored: the token is answered once, on create and on rotate.
A key never hands out more than it holds: it cannot grant roles it lacks (the service
refuses, 422 on ``role_names``), nor update, rotate or delete a key holding such roles
(403 here), since rotating would hand it that key's token.
"""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core import services
from core.api.base import ApiViewSet
from core.models import ApiKey, ApiRole
from incidents.api.v1.serializers.api_keys import (
    APIKeysCreatePayloadV1Serializer,
    APIKeysCreateResultV1Serializer,
    APIKeysListResultV1Serializer,
    APIKeysRotatePayloadV1Serializer,
    APIKeysRotateResultV1Serializer,
    APIKeysShowResultV1Serializer,
    APIKeysUpdatePayloadV1Serializer,
    APIKeysUpdateResultV1Serializer,
)

MANAGE = (ApiRole.API_KEYS_MANAGE,)
TAGS = ["API Keys V1"]
PAGE_PARAMETERS = [
    OpenApiParameter("page_size", int, description="Keys per page (at most 250)"),
    OpenApiParameter("after", str, description="The pagination_meta.after of the previous page"),
]


class APIKeyV1ViewSet(ApiViewSet):
    roles = {action: MANAGE for action in ("list", "retrieve", "create", "update", "destroy", "rotate")}
    queryset = ApiKey.objects.select_related("created_by_user", "created_by_api_key")

    def _manageable(self, pk) -> ApiKey:
        key = self.get_or_404(self.get_queryset(), pk, "API key")
        beyond = [role for role in key.roles if not self.key.has_role(role)]
        if beyond:
            raise PermissionDenied(f"This API key cannot manage a key holding roles it does not hold: {', '.join(beyond)}")
        return key

    @extend_schema(
        operation_id="API Keys V1#List", tags=TAGS, parameters=PAGE_PARAMETERS,
        responses={200: APIKeysListResultV1Serializer},
    )
    def list(self, request):
        keys, meta = self.paginate(self.get_queryset(), newest_first=False)
        return Response(APIKeysListResultV1Serializer({"api_keys": keys, "pagination_meta": meta}).data)

    @extend_schema(operation_id="API Keys V1#Show", tags=TAGS, responses={200: APIKeysShowResultV1Serializer})
    def retrieve(self, request, pk):
        key = self.get_or_404(self.get_queryset(), pk, "API key")
        return Response(APIKeysShowResultV1Serializer({"api_key": key}).data)

    @extend_schema(
        operation_id="API Keys V1#Create", tags=TAGS,
        request=APIKeysCreatePayloadV1Serializer, responses={201: APIKeysCreateResultV1Serializer},
    )
    def create(self, request):
        data = self.parse(APIKeysCreatePayloadV1Serializer)
        key, token = services.create_api_key(
            actor=self.key, name=data["name"], roles=data["role_names"], comments=data.get("comments", "")
        )
        return Response(APIKeysCreateResultV1Serializer({"api_key": key, "token": token}).data, status=201)

    @extend_schema(
        operation_id="API Keys V1#Update", tags=TAGS,
        request=APIKeysUpdatePayloadV1Serializer, responses={200: APIKeysUpdateResultV1Serializer},
    )
    def update(self, request, pk):
        key = self._manageable(pk)
        data = self.parse(APIKeysUpdatePayloadV1Serializer)
        key = services.update_api_key(
            key=key, actor=self.key, name=data["name"], roles=data["role_names"], comments=data.get("comments")
        )
        return Response(APIKeysUpdateResultV1Serializer({"api_key": key}).data)

    @extend_schema(
        operation_id="API Keys V1#Rotate", tags=TAGS,
        request=APIKeysRotatePayloadV1Serializer, responses={201: APIKeysRotateResultV1Serializer},
    )
    def rotate(self, request, pk):
        key = self._manageable(pk)
        data = self.parse(APIKeysRotatePayloadV1Serializer)
        key, token = services.rotate_api_key(key=key, actor=self.key, grace_period_minutes=data["grace_period_minutes"])
        return Response(APIKeysRotateResultV1Serializer({"api_key": key, "token": token}).data, status=201)

    @extend_schema(operation_id="API Keys V1#Delete", tags=TAGS, responses={204: None})
    def destroy(self, request, pk):
        key = self._manageable(pk)
        services.delete_api_key(key=key, actor=self.key)
        return Response(status=204)


api_keys = APIKeyV1ViewSet.as_view({"get": "list", "post": "create"})
api_key = APIKeyV1ViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"})
rotate = APIKeyV1ViewSet.as_view({"post": "rotate"})

urlpatterns = [
    path("v1/api_keys", api_keys, name="api-keys-v1"),
    path("v1/api_keys/<str:pk>", api_key, name="api-key-v1"),
    path("v1/api_keys/<str:pk>/actions/rotate", rotate, name="api-key-rotate-v1"),
]
