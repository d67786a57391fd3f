"""Users V2: the tracker's people are Django's users, shown in incident.io's shapes.

Django knows superusers, staff and everyone else; incident.io's base roles are owner,
responder and viewer, and a deactivated user's role is "unset". Nobody holds a custom
role, and there is no on-call here, so nobody holds an on-call seat.
"""

from rest_framework import serializers

from core.numbers import BIGINT_MAX, whole_number
from incidents.api.actors import user_name, user_role

# Users' ids are Django's integer keys (a bigint column), and so is the list's cursor.
MAX_USER_ID = BIGINT_MAX

BASE_ROLES = {"owner": "Owner", "responder": "Responder", "viewer": "Viewer"}


def user_id_from(value: str) -> int | None:
    """The user id a path segment names, or None when it cannot name one."""
    return whole_number(value, MAX_USER_ID)


def user_cursor(value: str) -> int:
    """The list's ``after``: a user id (a garbage cursor is refused, not read as "from the start")."""
    user_id = user_id_from(value)
    if user_id is None:
        raise serializers.ValidationError({"after": ["must be the pagination_meta.after of a previous page"]})
    return user_id


def _base_role(user) -> str:
    # Deactivating someone does not change what they were: base_role keeps that, role says "unset".
    if user.is_superuser:
        return "owner"
    return "responder" if user.is_staff else "viewer"


def _response_seat(user) -> str:
    if not user.is_active:
        return "none"
    return "full_access" if user.is_staff or user.is_superuser else "viewer_only"


def render_user_with_roles_v2(user) -> dict:
    """UserWithRolesV2, built as a plain dict like the other people shapes
    (``incidents.api.actors``) and documented with incident.io's component."""
    base = _base_role(user)
    data = {
        "id": str(user.pk),
        "name": user_name(user),
        "role": user_role(user),
        "is_active": user.is_active,
        "base_role": {"id": base, "name": BASE_ROLES[base], "slug": base},
        "custom_roles": [],
        "seats": {"on_call": "none", "response": _response_seat(user)},
    }
    if user.email:
        data["email"] = user.email
    return data


class UsersListQueryV2Serializer(serializers.Serializer):
    email = serializers.CharField(required=False, allow_blank=True)
    slack_user_id = serializers.CharField(required=False, allow_blank=True)
    include_inactive = serializers.BooleanField(required=False, default=False)
    after = serializers.CharField(required=False, allow_blank=True)

    def validate_after(self, value):
        # The pagination reads the raw parameter: only plain digits may reach the integer column.
        if value and user_id_from(value) is None:
            raise serializers.ValidationError("must be the id of a user (a whole number)", code="invalid_value")
        return value
