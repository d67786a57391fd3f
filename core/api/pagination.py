"""Cursor pagination on the time-ordered ULID: ``page_size`` and ``after``.

The cursor is the last id of a page, so rows inserted while a client walks the list
never shift later pages (new ids sort after everything in newest-first lists'
``after`` windows and at the end of oldest-first ones), and each page is one indexed
range scan whatever the table's size.
"""

from rest_framework.exceptions import ValidationError
from ulid import ULID

from core.numbers import whole_number

# The contract's PaginationMetaResult caps page_size at 250, whatever larger value a
# request parameter admits; larger requests are answered with 250 per page.
MAX_PAGE_SIZE = 250


def page_size_from(request, default: int = 25, maximum: int = MAX_PAGE_SIZE) -> int:
    raw = request.query_params.get("page_size")
    if raw in (None, ""):
        return default
    size = whole_number(raw)
    if size is None:
        raise ValidationError({"page_size": ["must be a whole number"]})
    if size < 1:
        raise ValidationError({"page_size": ["must be at least 1"]})
    return min(size, maximum)


def ulid_cursor(raw: str) -> str:
    """An ``after`` that can be a ULID-keyed list's cursor, as the ids are stored; a
    garbage cursor is refused rather than read as "from the start"."""
    try:
        if len(raw) == 26:
            return str(ULID.from_str(raw))
    except ValueError:
        pass
    raise ValidationError({"after": ["must be the pagination_meta.after of a previous page"]})


def paginate(queryset, request, *, newest_first: bool = True, default: int = 25, maximum: int = MAX_PAGE_SIZE, cursor=ulid_cursor):
    """Return (rows, pagination_meta) for a queryset of ULID-keyed rows (keyed otherwise,
    ``cursor`` reads ``after`` as a key)."""

    def fetch(after, limit):
        ordered = queryset.order_by("-pk" if newest_first else "pk")
        if after is not None:
            ordered = ordered.filter(pk__lt=after) if newest_first else ordered.filter(pk__gt=after)
        return list(ordered[:limit])

    return paginate_with(fetch, request, default=default, maximum=maximum, cursor=cursor)


def paginate_with(fetch, request, *, default: int = 25, maximum: int = MAX_PAGE_SIZE, cursor=ulid_cursor):
    """``paginate`` for rows read by ``fetch(after, limit)``, ULID-keyed rows (with ``pk``)
    in the list's order after the cursor (None: from the start)."""
    size = page_size_from(request, default, maximum)
    raw = request.query_params.get("after") or None
    rows = fetch(None if raw is None else cursor(raw), size + 1)
    meta = {"page_size": size}
    if len(rows) > size:
        rows = rows[:size]
        meta["after"] = rows[-1].pk
    return rows, meta
