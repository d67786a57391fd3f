"""Query filters of Incidents V1#List (v2's, and what both build on, are in
``incidents.api.filters``): v1 filters by the six status names of its dialect, so the
filterset lives with the dialect that maps statuses onto them."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError

from incidents.api.v1.serializers.incidents import V1_STATUSES, v1_status
from incidents.models import Incident, IncidentStatus


class IncidentV1FilterSet(django_filters.FilterSet):
    """Incidents V1#List: ``status`` is a list of v1 status names, each matching the
    incidents whose status shows as that name in v1."""

    status = django_filters.MultipleChoiceFilter(choices=[(s, s) for s in V1_STATUSES], method="filter_status")

    class Meta:
        model = Incident
        fields = ["status"]

    def filter_status(self, queryset, name, value):
        if not value:
            return queryset
        wanted = set(value)
        ids = [status.pk for status in IncidentStatus.objects.all() if v1_status(status) in wanted]
        return queryset.filter(status_id__in=ids)

    def filtered(self, queryset: QuerySet[Incident]) -> QuerySet[Incident]:
        if not self.form.is_valid():
            raise ValidationError(dict(self.form.errors), code="invalid_value")
        return self.filter_queryset(queryset)
