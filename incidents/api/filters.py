"""Query filters of the v2 incident list, built on django-filter (v1's, by its own status
names, are in ``incidents.api.v1.filters``).

GET /v2/incidents takes incident.io's deep-object parameters: ``status[one_of]=ID``,
``created_at[date_range]=2024-12-02~2024-12-08``, ``incident_role[ROLE_ID][one_of]=USER_ID``,
``custom_field[FIELD_ID][is_blank]=true``... Which parameters exist depends on the request
(roles and custom fields are the account's own), so ``IncidentV2FilterSet`` builds one
filter per bracketed parameter it is given; each parses and validates its values with a
form field (a bad value is a 422 naming the parameter) and answers a ``Q``, so the
filters can be combined with AND (``filter_mode=all``) or OR (``filter_mode=any``).
Relations are matched with subqueries, which keep one row per incident and let two
conditions on the same relation (two roles, two fields) hold on different rows.
"""

from __future__ import annotations

import operator
import re
from datetime import UTC, datetime, time, timedelta
from functools import reduce

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime
from django_filters.constants import EMPTY_VALUES
from rest_framework.exceptions import ValidationError

from core.numbers import BIGINT_MAX, whole_number
from incidents import selectors
from incidents.models import (
    CustomField,
    CustomFieldValue,
    Incident,
    IncidentRole,
    IncidentRoleAssignment,
    Mode,
    Severity,
    StatusCategory,
)

# Names the dashboard shows for some categories; the parameter's own example uses "active".
CATEGORY_ALIASES = {"active": StatusCategory.LIVE, "post-incident": StatusCategory.LEARNING}

DEFAULT_MODES = list(selectors.DEFAULT_MODES)


# --- form fields: parse one parameter's values ------------------------------------------------


class ValuesWidget(forms.Widget):
    """Every value of a repeated parameter (``a[one_of]=x&a[one_of]=y``), commas splitting
    further (``a[one_of]=x,y``)."""

    def value_from_datadict(self, data, files, name):
        if name not in data:
            return None
        raw = data.getlist(name) if hasattr(data, "getlist") else [data[name]]
        return [part.strip() for value in raw for part in str(value).split(",") if part.strip()]


class ValuesField(forms.Field):
    widget = ValuesWidget

    def __init__(self, *, parse=None, **kwargs):
        self.parse = parse
        super().__init__(**kwargs)

    def to_python(self, value):
        values = list(dict.fromkeys(value or []))
        if not values:
            raise forms.ValidationError("needs at least one value", code="invalid_value")
        return [self.parse(v) for v in values] if self.parse else values


class BooleanValueField(forms.Field):
    def to_python(self, value):
        text = (value or "").strip().lower()
        if text not in ("true", "false"):
            raise forms.ValidationError("must be true or false", code="invalid_value")
        return text == "true"


DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def is_date(value: str) -> bool:
    return bool(DATE.match(value))


def parse_moment(value: str, *, end_of_day: bool = False) -> datetime:
    """A date (midnight UTC, or the next midnight with ``end_of_day``) or a date-time
    (UTC when it names no offset)."""
    try:
        if is_date(value):
            day = parse_date(value)
            moment = datetime.combine(day + timedelta(days=1) if end_of_day else day, time.min, tzinfo=UTC)
        else:
            moment = parse_datetime(value)
            if moment is None:
                raise ValueError(value)
    except (ValueError, OverflowError):  # OverflowError: the day after 9999-12-31
        raise forms.ValidationError(f"{value!r} is not a date or date-time", code="invalid_value") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _query_value(value: str | None) -> str:
    # An unencoded "+" in a query string arrives as a space: "...T10:00:00 01:00".
    return re.sub(r" (\d{2}:?\d{2})$", r"+\1", (value or "").strip())


class MomentField(forms.Field):
    def to_python(self, value):
        return parse_moment(_query_value(value))


class DateRangeField(forms.Field):
    """``start~end``: from the start to the end, a date end including its whole day.
    Cleans to ``(start, end, end_is_exclusive)``."""

    def to_python(self, value):
        parts = [_query_value(part) for part in (value or "").split("~")]
        if len(parts) != 2 or not all(parts):
            raise forms.ValidationError("must be two dates separated by ~, like 2024-12-02~2024-12-08", code="invalid_value")
        start, end = parts
        return parse_moment(start), parse_moment(end, end_of_day=True), is_date(end)


def _user_id(value: str) -> int:
    user_id = whole_number(value, BIGINT_MAX)
    if user_id is None:
        raise forms.ValidationError(f"{value!r} is not a user id", code="invalid_value")
    return user_id


def _choice(allowed, aliases=None):
    def parse(value: str) -> str:
        value = (aliases or {}).get(value, value)
        if value not in allowed:
            raise forms.ValidationError(f"{value!r} is not one of {', '.join(allowed)}", code="invalid_value")
        return value

    return parse


# --- filters: one parameter each, answering a Q -----------------------------------------------


class QFilter(django_filters.Filter):
    """A filter that builds a ``Q`` from its parsed value, so a filterset can AND or OR them."""

    def __init__(self, build, *, field_class, **kwargs):
        self.build = build
        self.field_class = field_class
        super().__init__(**kwargs)

    def q(self, value) -> Q:
        return self.build(value)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.filter(self.q(value))


def _in_subquery(queryset) -> Q:
    return Q(pk__in=queryset.values("incident_id"))


def _date_filters(field: str) -> dict:
    def date_range(bounds):
        start, end, end_is_exclusive = bounds
        return Q(**{f"{field}__gte": start, f"{field}__lt" if end_is_exclusive else f"{field}__lte": end})

    return {
        "gte": (MomentField, {}, lambda moment: Q(**{f"{field}__gte": moment})),
        "lte": (MomentField, {}, lambda moment: Q(**{f"{field}__lte": moment})),
        "date_range": (DateRangeField, {}, date_range),
    }


class SeverityRankField(ValuesField):
    """``severity[gte]=ID``: the rank of the severity named (a 422 when it is unknown)."""

    def to_python(self, value):
        values = super().to_python(value)
        if len(values) != 1:
            raise forms.ValidationError("takes one severity id", code="invalid_value")
        rank = Severity.objects.filter(pk=values[0]).values_list("rank", flat=True).first()
        if rank is None:
            raise forms.ValidationError(f"No severity with id {values[0]}", code="invalid_value")
        return rank


# parameter -> operator -> (form field class, its arguments, value -> Q)
STATIC_FILTERS = {
    "status": {
        "one_of": (ValuesField, {}, lambda ids: Q(status_id__in=ids)),
        "not_in": (ValuesField, {}, lambda ids: ~Q(status_id__in=ids)),
    },
    "status_category": {
        "one_of": (ValuesField, {"parse": _choice(StatusCategory.values, CATEGORY_ALIASES)}, lambda c: Q(status__category__in=c)),
        "not_in": (ValuesField, {"parse": _choice(StatusCategory.values, CATEGORY_ALIASES)}, lambda c: ~Q(status__category__in=c)),
    },
    "created_at": _date_filters("created_at"),
    "updated_at": _date_filters("updated_at"),
    "severity": {
        "one_of": (ValuesField, {}, lambda ids: Q(severity_id__in=ids)),
        # Incidents without a severity are not in any of them.
        "not_in": (ValuesField, {}, lambda ids: ~Q(severity_id__in=ids)),
        # By rank: as severe as the one named, or more (gte), or less (lte).
        "gte": (SeverityRankField, {}, lambda rank: Q(severity__rank__gte=rank)),
        "lte": (SeverityRankField, {}, lambda rank: Q(severity__rank__lte=rank)),
    },
    "incident_type": {
        "one_of": (ValuesField, {}, lambda ids: Q(incident_type_id__in=ids)),
        "not_in": (ValuesField, {}, lambda ids: ~Q(incident_type_id__in=ids)),
    },
    "mode": {
        "one_of": (ValuesField, {"parse": _choice(Mode.values)}, lambda modes: Q(mode__in=modes)),
    },
}

PARAMETER = re.compile(r"^(?P<name>[a-z_]+)(?P<keys>(?:\[[^\[\]]*\])*)$")
NOT_FILTERS = {"page_size", "after", "sort_by", "filter_mode"}


def _role_filters(role: IncidentRole) -> dict:
    assigned = IncidentRoleAssignment.objects.filter(role=role)
    return {
        "one_of": (ValuesField, {"parse": _user_id}, lambda users: _in_subquery(assigned.filter(assignee_id__in=users))),
        "is_blank": (BooleanValueField, {}, lambda blank: ~_in_subquery(assigned) if blank else _in_subquery(assigned)),
        "is_set": (BooleanValueField, {}, lambda is_set: _in_subquery(assigned) if is_set else ~_in_subquery(assigned)),
    }


def _custom_field_filters(field: CustomField) -> dict:
    values = CustomFieldValue.objects.filter(custom_field=field)
    operators = {
        "is_blank": (BooleanValueField, {}, lambda blank: ~_in_subquery(values) if blank else _in_subquery(values)),
    }
    if field.is_select:
        operators["one_of"] = (ValuesField, {}, lambda ids: _in_subquery(values.filter(value_option_id__in=ids)))
        # Incidents where the field is unset do not have it set to these options either.
        operators["not_in"] = (ValuesField, {}, lambda ids: ~_in_subquery(values.filter(value_option_id__in=ids)))
    return operators


class IncidentV2FilterSet(django_filters.FilterSet):
    """The filters of Incidents V2#List, one per bracketed parameter of the request.

    ``roles`` and ``custom_fields`` are the request's configuration (already loaded to
    render incidents), so naming an unknown one costs no query. Use ``filtered(queryset)``:
    it raises a 422 naming each bad parameter."""

    class Meta:
        model = Incident
        fields: list[str] = []

    def __init__(self, data, queryset=None, *, roles: list[IncidentRole], custom_fields: list[CustomField], **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.param_errors: dict[str, list[str]] = {}
        roles_by_id = {role.pk: role for role in roles}
        fields_by_id = {field.pk: field for field in custom_fields}
        self.filters = {}
        for param in data.keys():
            if param in NOT_FILTERS:
                continue
            match = PARAMETER.match(param)
            name = match["name"] if match else param.split("[", 1)[0]
            keys = re.findall(r"\[([^\[\]]*)\]", match["keys"]) if match else []
            if name in STATIC_FILTERS:
                operators, op = STATIC_FILTERS[name], keys[0] if len(keys) == 1 else None
            elif name in ("incident_role", "custom_field"):
                if len(keys) != 2:
                    self._refuse(param, f"must look like {name}[ID][operator]")
                    continue
                if name == "incident_role":
                    target = roles_by_id.get(keys[0])
                    operators = _role_filters(target) if target else None
                else:
                    target = fields_by_id.get(keys[0])
                    operators = _custom_field_filters(target) if target else None
                if operators is None:
                    self._refuse(param, f"No {name.replace('_', ' ')} with id {keys[0]}")
                    continue
                op = keys[1]
            else:
                continue  # not a parameter of this list
            if op not in operators:
                self._refuse(param, f"The accepted operators are {', '.join(operators)}")
                continue
            field_class, field_kwargs, build = operators[op]
            self.filters[param] = QFilter(build, field_class=field_class, field_name=param, label=param, **field_kwargs)
            self.filters[param].model, self.filters[param].parent = Incident, self
        self.filter_mode = self._filter_mode(data)

    def _refuse(self, param: str, message: str) -> None:
        self.param_errors.setdefault(param, []).append(message)

    def _filter_mode(self, data) -> str:
        mode = data.get("filter_mode") or "all"
        if mode not in ("all", "any"):
            self._refuse("filter_mode", "must be all or any")
        return mode

    def filtered(self, queryset: QuerySet[Incident]) -> QuerySet[Incident]:
        errors = dict(self.param_errors)
        if not self.form.is_valid():
            for param, messages in self.form.errors.items():
                errors.setdefault(param, []).extend(messages)
        if errors:
            raise ValidationError(errors, code="invalid_value")
        modes, conditions = Q(mode__in=DEFAULT_MODES), []
        for param, filter_ in self.filters.items():
            condition = filter_.q(self.form.cleaned_data[param])
            if param.startswith("mode["):
                # The mode narrows the list whatever filter_mode says: "any" would otherwise
                # let test incidents back in through any other filter.
                modes = condition
            else:
                conditions.append(condition)
        queryset = queryset.filter(modes)
        if conditions:
            queryset = queryset.filter(reduce(operator.or_ if self.filter_mode == "any" else operator.and_, conditions))
        return queryset


def newest_first(request) -> bool:
    """``sort_by``: created_at_newest_first (the default) or created_at_oldest_first."""
    sort_by = request.query_params.get("sort_by") or "created_at_newest_first"
    if sort_by not in ("created_at_newest_first", "created_at_oldest_first"):
        raise ValidationError({"sort_by": ["must be created_at_newest_first or created_at_oldest_first"]}, code="invalid_value")
    return sort_by == "created_at_newest_first"


def date_bounds(params, fields: tuple[str, ...]) -> Q:
    """``created_at[gte]=…``-style bounds (``gte``, ``lte``, ``date_range``) on ``fields``
    of any list, as a ``Q`` (a bad value is a 422 naming the parameter)."""
    conditions, errors = [], {}
    for field in fields:
        for op, (field_class, kwargs, build) in _date_filters(field).items():
            name = f"{field}[{op}]"
            raw = params.get(name)
            if raw is None:
                continue
            try:
                conditions.append(build(field_class(**kwargs).clean(raw)))
            except forms.ValidationError as exc:
                errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return reduce(operator.and_, conditions, Q())
