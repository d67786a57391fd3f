"""incident.io's filters of ``Alerts V2#List``, bracketed as its SDK sends them
(``status[one_of]=firing``): ``deduplication_key[is]``, ``status[one_of|not_in]``,
``alert_source[one_of|not_in]``, ``created_at`` and ``updated_at`` ``[gte|lte|date_range]``. A parameter this
list does not know is refused (422), never ignored: a filter silently dropped returns
alerts the caller asked to leave out."""

from __future__ import annotations

import re

from django import forms
from django.db.models import Q
from rest_framework.exceptions import ValidationError

from alerts.models import AlertStatus
from incidents.api.filters import DateRangeField, MomentField

PARAMETER = re.compile(r"^(?P<name>\w+)\[(?P<operator>\w+)\]$")
NOT_FILTERS = {"page_size", "after"}
UNKNOWN = (
    "not a filter of this list (deduplication_key[is], status[one_of|not_in], "
    "alert_source[one_of|not_in], created_at or updated_at [gte|lte|date_range])"
)


def _statuses(values: list[str], field: str) -> list[str]:
    wrong = [v for v in values if v not in AlertStatus.values]
    if wrong:
        raise ValidationError({field: [f"must be firing or resolved, not {', '.join(wrong)}"]})
    return values


def _moment(field_class, value: str, field: str):
    try:
        return field_class().clean(value)
    except forms.ValidationError as invalid:
        raise ValidationError({field: invalid.messages}) from None


def alert_filter(query_params) -> Q:
    q = Q()
    for parameter in query_params:
        if parameter in NOT_FILTERS:
            continue
        match = PARAMETER.match(parameter)
        name, operator = (match["name"], match["operator"]) if match else (parameter, "")
        values = [v for v in query_params.getlist(parameter) if v != ""]
        if not values:
            continue
        if (name, operator) == ("deduplication_key", "is"):
            q &= Q(dedup_key__in=values)
        elif name == "status" and operator in ("one_of", "not_in"):
            statuses = Q(status__in=_statuses(values, parameter))
            q &= statuses if operator == "one_of" else ~statuses
        elif name == "alert_source" and operator in ("one_of", "not_in"):
            sources = Q(source_id__in=values)
            q &= sources if operator == "one_of" else ~sources
        elif name in ("created_at", "updated_at") and operator == "gte":
            q &= Q(**{f"{name}__gte": _moment(MomentField, values[0], parameter)})
        elif name in ("created_at", "updated_at") and operator == "lte":
            q &= Q(**{f"{name}__lte": _moment(MomentField, values[0], parameter)})
        elif name in ("created_at", "updated_at") and operator == "date_range":
            start, end, exclusive = _moment(DateRangeField, values[0], parameter)
            q &= Q(**{f"{name}__gte": start}) & Q(**{f"{name}__lt" if exclusive else f"{name}__lte": end})
        else:
            raise ValidationError({parameter: [UNKNOWN]})
    return q
