"""Incident Memberships V1: the request bodies (which resolve the incident among those the
key may see, and the user), and the membership as incident.io renders it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

from incidents.api.actors import user_shape
from incidents.api.rendering import iso
from incidents.api.resolve import PayloadResolver


class IncidentMembershipsPayloadV1Serializer(serializers.Serializer):
    """``validated_data``: the ``incident`` (among the context's ``incidents``, those the key
    may see: a private one it may not see is as unknown as a missing one) and the ``user``."""

    incident_id = serializers.CharField()
    user_id = serializers.CharField()

    def validate(self, attrs):
        resolver = PayloadResolver()
        incident = self.context["incidents"].filter(pk=attrs["incident_id"]).first()
        if incident is None:
            resolver.error("incident_id", f"No incident with id {attrs['incident_id']}")
        user_id = attrs["user_id"]
        user = get_user_model().objects.filter(pk=user_id).first() if user_id.isascii() and user_id.isdigit() else None
        if user is None:
            resolver.error("user_id", f"No user with id {user_id}")
        resolver.raise_if_any()
        return {"incident": incident, "user": user}


class IncidentMembershipsCreatePayloadV1Serializer(IncidentMembershipsPayloadV1Serializer):
    pass


class IncidentMembershipsRevokePayloadV1Serializer(IncidentMembershipsPayloadV1Serializer):
    pass


def render_incident_membership_v1(membership) -> dict:
    """IncidentMembershipV1."""
    return {
        "id": membership.pk,
        "incident_id": membership.incident_id,
        "user": user_shape(membership.user),
        "created_at": iso(membership.created_at),
        "updated_at": iso(membership.updated_at),
    }
