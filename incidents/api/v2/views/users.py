"""Users V2: list and show the tracker's users (Django's users) for any viewer key."""

from django.contrib.auth import get_user_model
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from core.api.base import ApiViewSet
from core.api.roles import action_roles
from incidents.api.openapi import vendor_component
from incidents.api.v2.serializers.users import UsersListQueryV2Serializer, render_user_with_roles_v2, user_cursor, user_id_from

TAGS = ["Users V2"]


class UserV2ViewSet(ApiViewSet):
    roles = action_roles("users", "list", "retrieve")

    def get_queryset(self):
        return get_user_model().objects.all()

    @extend_schema(
        operation_id="Users V2#List", tags=TAGS,
        parameters=[
            UsersListQueryV2Serializer,
            OpenApiParameter("page_size", int, description="Users per page (at most 250)"),
        ],
        responses={200: vendor_component("UsersListResultV2")},
    )
    def list(self, request):
        query = self.parse(UsersListQueryV2Serializer, data=request.query_params)
        users = self.get_queryset()
        if not query["include_inactive"]:
            users = users.filter(is_active=True)
        if query.get("email"):
            users = users.filter(email__iexact=query["email"])
        if query.get("slack_user_id"):
            # Nobody here has a Slack account linked.
            users = users.none()
        rows, meta = self.paginate(users, newest_first=False, cursor=user_cursor)
        if "after" in meta:
            meta["after"] = str(meta["after"])
        return Response({"users": [render_user_with_roles_v2(user) for user in rows], "pagination_meta": meta})

    @extend_schema(operation_id="Users V2#Show", tags=TAGS, responses={200: vendor_component("UsersShowResultV2")})
    def retrieve(self, request, pk):
        user_id = user_id_from(pk)
        if user_id is None:
            raise Http404(f"No user with id {pk}")
        user = self.get_or_404(self.get_queryset(), user_id, "user")
        return Response({"user": render_user_with_roles_v2(user)})


users = UserV2ViewSet.as_view({"get": "list"})
user = UserV2ViewSet.as_view({"get": "retrieve"})

urlpatterns = [
    path("v2/users", users, name="users-v2"),
    path("v2/users/<str:pk>", user, name="user-v2"),
]
