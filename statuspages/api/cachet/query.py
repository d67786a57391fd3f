"""Cachet's list parameters, as spatie/laravel-query-builder and Laravel's simple paginator
read them: ``include=a,b``, ``sort=name,-id``, ``filter[name]=...``, ``per_page`` (15 by
default, 1 to 100) and ``page``. An include, sort or filter a list does not allow is
refused with the builder's 400 and message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import urlencode

from core.numbers import INTEGER_MAX, whole_number

from .errors import InvalidQuery

DEFAULT_PER_PAGE = 15
MAX_PER_PAGE = 100


def _names(raw: str | None) -> list[str]:
    return [name.strip() for name in (raw or "").split(",") if name.strip()]


def _refuse(what: str, verb: str, asked: Iterable[str], allowed: Iterable[str]) -> InvalidQuery:
    return InvalidQuery(
        f"Requested {what}(s) `{', '.join(asked)}` {verb} not allowed. Allowed {what}(s) are `{', '.join(allowed)}`."
    )


def includes(request, allowed: Iterable[str]) -> set[str]:
    """The relationships the request asks to include (``include=components,updates``)."""
    allowed = list(allowed)
    asked = _names(request.query_params.get("include"))
    unknown = [name for name in asked if name not in allowed]
    if unknown:
        raise _refuse("include", "are", unknown, allowed)
    return set(asked)


def sort(queryset: QuerySet, request, columns: Mapping[str, str], default: Iterable[str] = ("number",)) -> QuerySet:
    """Order ``queryset`` by ``sort`` (Cachet's names -> our columns, ``-`` for descending;
    nulls last either way), then by ``number`` so pages never overlap."""
    asked = _names(request.query_params.get("sort"))
    unknown = [name for name in asked if name.lstrip("-") not in columns]
    if unknown:
        raise _refuse("sort", "is", unknown, columns)
    order = []
    for name in asked:
        column = F(columns[name.lstrip("-")])
        order.append(column.desc(nulls_last=True) if name.startswith("-") else column.asc(nulls_last=True))
    if not order:
        order = [F(name[1:]).desc() if name.startswith("-") else F(name).asc() for name in default]
    return queryset.order_by(*order, "number")


def filters(request, allowed: Iterable[str]) -> dict[str, str]:
    """``filter[<name>]`` parameters with a value (empty ones are ignored, as Cachet does)."""
    allowed = list(allowed)
    asked = {key[len("filter[") : -1]: value for key, value in request.query_params.items() if key.startswith("filter[") and key.endswith("]")}
    unknown = [name for name in asked if name not in allowed]
    if unknown:
        raise _refuse("filter", "are", unknown, allowed)
    return {name: value for name, value in asked.items() if value != ""}


def values(raw: str) -> list[str]:
    """A filter's values: ``1,2`` asks for either, as the builder splits them."""
    return _names(raw)


def integers(raw: str) -> list[int]:
    """A filter's whole numbers (ASCII digits, in the column's range); others match
    nothing (Cachet compares them as given)."""
    return [number for value in values(raw) if (number := whole_number(value)) is not None]


def boolean(raw: str) -> bool | None:
    return {"1": True, "true": True, "0": False, "false": False}.get(raw.strip().lower())


def moment(raw) -> datetime | None:
    """A date-time as Cachet's requests give one: ``2023-11-07 05:31:56``, ISO 8601, or a
    date (its midnight); without an offset it is UTC."""
    if not isinstance(raw, str):
        return None
    raw = raw.strip()
    try:
        parsed = parse_datetime(raw)
        if parsed is None:
            day = parse_date(raw)
            parsed = datetime.combine(day, time.min) if day else None
    except ValueError:
        return None
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _whole(raw: str | None, default: int) -> int:
    """A whole number parameter as PHP's (int) cast reads it: garbage is the default, and
    a number past the largest is the largest (so a page far past the last is empty)."""
    raw = (raw or "").strip()
    digits = raw.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()):
        return default
    number = whole_number(digits)
    number = INTEGER_MAX if number is None else number
    return -number if raw.startswith("-") else number


@dataclass(frozen=True)
class Page:
    rows: list
    meta: dict
    links: dict


def paginate(queryset: QuerySet, request, load: Callable[[QuerySet], list] | None = None) -> Page:
    """Laravel's simple paginator: one more row than the page tells whether a next page
    exists (no count). ``links`` keep the request's other parameters and leave out the
    ones that do not exist (the document types them as strings, never null)."""
    per_page = min(max(_whole(request.query_params.get("per_page"), DEFAULT_PER_PAGE), 1), MAX_PER_PAGE)
    number = max(_whole(request.query_params.get("page"), 1), 1)
    offset = (number - 1) * per_page
    window = queryset[offset : offset + per_page + 1]
    rows = load(window) if load else list(window)
    more = len(rows) > per_page
    rows = rows[:per_page]
    path = settings.SITE_URL + request.path  # SITE_URL: the one source of absolute links
    others = [(key, value) for key, value in request.query_params.items() if key != "page"]

    def link(page: int) -> str:
        return f"{path}?{urlencode([*others, ('page', page)])}"

    links = {"first": link(1)}
    if number > 1:
        links["prev"] = link(number - 1)
    if more:
        links["next"] = link(number + 1)
    meta = {
        "current_page": number,
        "from": offset + 1 if rows else None,
        "path": path,
        "per_page": per_page,
        "to": offset + len(rows) if rows else None,
    }
    return Page(rows, meta, links)
