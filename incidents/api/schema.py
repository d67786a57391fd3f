"""How drf-spectacular reads our views (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"])."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import is_list_serializer


class AutoSchema(SpectacularAutoSchema):
    """incident.io answers every list with one object holding the page
    (``{"severities": [...], "pagination_meta": {...}}``), so the response serializer
    a ``list`` action names is the whole body: drf-spectacular would otherwise wrap it in
    an array. A ``many=True`` serializer is still an array."""

    def _is_list_view(self, serializer=None) -> bool:
        if serializer is not None and not isinstance(serializer, dict):
            return is_list_serializer(serializer)
        return super()._is_list_view(serializer)
