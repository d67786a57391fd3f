"""The base every API viewset stands on: key authentication, role checks, the rate
limit, request parsing and lookups that 404 in incident.io's shape."""

from django.http import Http404
from rest_framework import viewsets

from incidents import caching

from .auth import ApiKeyAuthentication, HasApiRole
from .pagination import paginate
from .ratelimit import check_rate_limit


class ApiViewSet(viewsets.ViewSet):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasApiRole]
    #: action name -> roles, any one of which allows it (global_access always does)
    roles: dict[str, tuple[str, ...]] = {}

    def initial(self, request, *args, **kwargs):
        # Cache entries the action will read, fetched with the key (incidents.api.gate).
        request._request.cache_prefetch = self.cache_prefetch(**kwargs)
        super().initial(request, *args, **kwargs)
        check_rate_limit(request._request, request.auth)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for header, value in getattr(request._request, "rate_limit_headers", {}).items():
            response[header] = value
        return response

    #: the rows this viewset serves; read through get_queryset() (a fresh copy per request)
    queryset = None

    def get_queryset(self):
        return self.queryset.all()

    @property
    def key(self):
        return self.request.auth

    def cache_prefetch(self, **kwargs) -> list[str]:
        """Cache keys this request's action will read, for the gate to fetch with the key."""
        return []

    def prefetched(self) -> dict:
        """What the gate fetched of ``cache_prefetch()`` ({key: entry or None})."""
        return getattr(self.request._request, "cache_prefetched", None) or {}

    def versions(self) -> dict[str, str]:
        """The cache's version tokens, as the request's gate read them (incidents.api.gate)."""
        return caching.versions(getattr(self.request._request, "cache_versions", None))

    def parse(self, serializer_class, data=None, **context) -> dict:
        """Validate the request body (or ``data``); invalid input raises and is rendered
        as a 422 naming each field."""
        serializer = serializer_class(
            data=self.request.data if data is None else data, context={"request": self.request, **context}
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def get_or_404(self, queryset, pk, what: str = "record"):
        obj = queryset.filter(pk=pk).first()
        if obj is None:
            raise Http404(f"No {what} with id {pk}")
        return obj

    def paginate(self, queryset, **kwargs):
        return paginate(queryset, self.request, **kwargs)
