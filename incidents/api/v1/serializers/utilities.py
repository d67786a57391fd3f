"""Results of the Utilities V1 endpoints: identity and IP ranges."""

from rest_framework import serializers

from core.models import ApiRole


class IdentityTeamV1Serializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class IdentityV1Serializer(serializers.Serializer):
    name = serializers.CharField()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=ApiRole.values))
    dashboard_url = serializers.CharField()
    team_roles = serializers.ListField(child=serializers.CharField())
    teams = IdentityTeamV1Serializer(many=True)


class UtilitiesIdentityResultV1Serializer(serializers.Serializer):
    identity = IdentityV1Serializer()


class IPRangeV1Serializer(serializers.Serializer):
    cidr = serializers.CharField(help_text="The address in CIDR notation; a single address is a /32")
    description = serializers.CharField()


class UtilitiesIPRangesResultV1Serializer(serializers.Serializer):
    ip_ranges = IPRangeV1Serializer(many=True)
