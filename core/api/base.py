"""The base every API viewset stands on: key authentication, role checks and the rate
limit as DRF's authentication, permission and throttle classes, the rows the key may see
(``get_queryset``), request parsing, and lookups that 404 in incident.io's shape."""

from django.http import Http404
from rest_framework import viewsets

from core import audit
from core.api.auth import ApiKeyAuthentication, HasApiRole
from core.api.pagination import paginate
from core.api.state import state_of
from core.api.text import guard_text
from core.api.throttling import ApiKeyRateThrottle, refusal
from core.models.restricted import restricted


class ApiViewSet(viewsets.ViewSet):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasApiRole]
    throttle_classes = [ApiKeyRateThrottle]
    #: action name -> roles, any one of which allows it (global_access always does)
    roles: dict[str, tuple[str, ...]] = {}

    def dispatch(self, request, *args, **kwargs):
        # Every write of every dialect is audited as the request's key (core/audit.py),
        # read when an entry is written: DRF authenticates inside dispatch. A request
        # with no key (Cachet's guests) acts as an anonymous visitor.
        with audit.acting(audit.request_context(request, lambda: _api_actor(request))):
            return super().dispatch(request, *args, **kwargs)

    def throttled(self, request, wait):
        # incident.io's 429 names the key and when to come back (core.api.throttling).
        raise refusal(state_of(request).rate_limit, request.auth.name)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        state = state_of(request)
        if state.rate_limit_checked and state.rate_limit is not None:
            for header, value in state.rate_limit.headers().items():
                response[header] = value
        return response

    #: the rows this viewset serves; read through get_queryset() (a fresh copy per request)
    queryset = None

    def get_queryset(self):
        """The viewset's rows that the key may see: a model that hides some rows (incidents
        and what hangs off them) says which in its queryset's ``restrict()``, applied here
        for every view of every dialect."""
        return restricted(self.queryset, self.key)

    def restrict(self, queryset):
        """Another queryset a view reads (an incident a payload names, say), narrowed by
        the same rule as ``get_queryset``."""
        return restricted(queryset, self.key)

    @property
    def key(self):
        return self.request.auth

    def parse(self, serializer_class, data=None, **context) -> dict:
        """Validate the request body (or ``data``); invalid input raises and is rendered
        as a 422 naming each field. Every string field follows the text rule
        (``core.api.text``): no control characters, a length limit."""
        serializer = serializer_class(
            data=self.request.data if data is None else data, context={"request": self.request, **context}
        )
        guard_text(serializer)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def get_or_404(self, queryset, pk, what: str = "record"):
        obj = queryset.filter(pk=pk).first()
        if obj is None:
            raise Http404(f"No {what} with id {pk}")
        return obj

    def paginate(self, queryset, **kwargs):
        return paginate(queryset, self.request, **kwargs)


def _api_actor(request) -> audit.Actor:
    key = state_of(request).key
    if key is not None:
        return audit.Actor(audit.ActorKind.API_KEY, api_key=key)
    return audit.user_actor(request)
