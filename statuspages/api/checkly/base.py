"""What every view of the dialect stands on: our key authentication, role checks and
rate limit (``ApiViewSet``), Checkly's error bodies, GUID lookups and Checkly's
pagination (``limit``, ``nextId``; ``{"length", "entries", "nextId"}``)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError

from core.api import roles
from core.api.base import ApiViewSet

from .errors import handle
from .ids import guid, pk_from_guid

# One rule per role whatever the dialect (core.api.roles): a publisher reads here too.
READ = roles.roles_for("status_pages", roles.READ)
WRITE = roles.roles_for("status_pages", roles.WRITE)

# The contract's `limit` on every list: an integer, 20 by default, from 1 to 100.
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


# Checkly's operations are described by Checkly's document (/v1/status-pages/openapi.json),
# not by our incident.io one.
@extend_schema(exclude=True)
class ChecklyViewSet(ApiViewSet):
    def get_exception_handler(self):
        return handle

    def get_or_404(self, queryset, pk, what: str = "record"):
        """The row whose id is the GUID (or ULID) ``pk``; Checkly's 404 otherwise."""
        found = pk_from_guid(pk)
        obj = queryset.filter(pk=found).first() if found else None
        if obj is None:
            raise Http404(f"No {what} with id {pk}")
        return obj

    def paginate(self, queryset, *, newest_first: bool, paginated: bool = True):
        """(rows, nextId) of one page: ``nextId`` is the id of the first row of the next
        page (None on the last), and the next page starts at it. Rows are read in the
        order of their time-ordered ids, so one indexed range scan serves every page."""
        params = self.request.query_params
        limit = _limit(params.get("limit"))
        ordered = queryset.order_by("-pk" if newest_first else "pk")
        start = params.get("nextId")
        if start:
            pk = pk_from_guid(start)
            if pk is None:
                raise ValidationError({"nextId": ["must be an id this list gave as nextId"]})
            ordered = ordered.filter(pk__lte=pk) if newest_first else ordered.filter(pk__gte=pk)
        if not paginated:
            return list(ordered), None
        rows = list(ordered[: limit + 1])
        next_id = guid(rows[limit].pk) if len(rows) > limit else None
        return rows[:limit], next_id


def _limit(raw) -> int:
    if raw in (None, ""):
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        raise ValidationError({"limit": ["must be a whole number"]}) from None
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError({"limit": [f"must be from 1 to {MAX_LIMIT}"]})
    return limit


def flag(raw, default: bool, name: str) -> bool:
    """A boolean query parameter as Checkly writes them ("true" / "false")."""
    if raw in (None, ""):
        return default
    if raw.lower() in ("true", "1"):
        return True
    if raw.lower() in ("false", "0"):
        return False
    raise ValidationError({name: ["must be true or false"]})


def page_of(entries: list, next_id: str | None) -> dict:
    return {"length": len(entries), "entries": entries, "nextId": next_id}
