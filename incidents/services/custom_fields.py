"""Custom fields: their configuration (fields and options) and their values on incidents.

The rules a value must meet live in ``clean_field_values`` and run once per change: the
API's resolver and the admin's forms call it where they can name the bad input, and the
services take only what it returned (``CleanValues``), never raw values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from core.exceptions import Conflict, DomainError
from core.services.actors import Actor
from incidents.models import CustomField, CustomFieldOption, CustomFieldValue, FieldType, Incident

from .configuration import delete_configuration_object, save_configuration_object
from .lifecycle import announce_change, touch


@dataclass(frozen=True)
class FieldValue:
    """One value as a caller gives it: an option (for selects) or a raw string."""

    option: CustomFieldOption | None = None
    text: str = ""


class InvalidFieldValue(DomainError):
    """A value that does not fit its field. ``index`` is the position of the offending
    value among those given, or None when they do not fit together (too many)."""

    def __init__(self, field: CustomField, message: str, index: int | None = None):
        super().__init__("invalid_value", message, field=f"custom_field_entries[{field.pk}]")
        self.index = index


@dataclass(frozen=True)
class CleanValues:
    """One field's values as ``clean_field_values`` accepted them: the rows to store (no
    incident yet). No rows clears the field."""

    field: CustomField
    rows: tuple[CustomFieldValue, ...]


_url_validator = URLValidator(schemes=["http", "https"])
SINGLE_VALUED = (FieldType.SINGLE_SELECT, FieldType.TEXT, FieldType.LINK, FieldType.NUMERIC)


def is_http_url(text: str) -> bool:
    try:
        _url_validator(text)
    except ValidationError:
        return False
    return True


def _normalise_numeric(raw: str) -> str | None:
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation:
        return None
    # Keep the caller's precision but drop an exponent form ("1E+3" -> "1000").
    return format(number, "f") if number.is_finite() else None


def _row(field: CustomField, value: FieldValue, index: int) -> CustomFieldValue | None:
    """The row one value stores, None for an empty one; raises when it does not fit."""
    if field.is_select:
        if value.option is None:
            raise InvalidFieldValue(field, f"{field.name} takes an option id", index)
        if value.option.custom_field_id != field.pk:
            raise InvalidFieldValue(
                field, f"Option {value.option.pk} belongs to {value.option.custom_field.name}, not {field.name}", index
            )
        return CustomFieldValue(custom_field=field, value_option=value.option)
    if value.option is not None:
        what = "text" if field.field_type == FieldType.TEXT else f"a {field.field_type} value"
        raise InvalidFieldValue(field, f"{field.name} takes {what}, not an option", index)
    text = value.text if field.field_type == FieldType.TEXT else str(value.text).strip()
    if not text.strip():
        return None
    if field.field_type == FieldType.TEXT:
        return CustomFieldValue(custom_field=field, value_text=text)
    if field.field_type == FieldType.LINK:
        if not is_http_url(text):
            raise InvalidFieldValue(field, f"{field.name} takes an http(s) URL", index)
        return CustomFieldValue(custom_field=field, value_link=text)
    number = _normalise_numeric(text)
    if number is None:
        raise InvalidFieldValue(field, f"{field.name} takes a number", index)
    return CustomFieldValue(custom_field=field, value_numeric=number)


def clean_field_values(field: CustomField, values: Iterable[FieldValue]) -> CleanValues:
    """Check values for one field and return the rows to store: options of that field
    (each once) for selects, one value at most for single-valued fields, a number for
    numeric fields (normalised), an http(s) URL for links; empty values are dropped."""
    values = list(values)
    rows, options = [], set()
    for index, value in enumerate(values):
        row = _row(field, value, index)
        if row is None or (row.value_option_id and row.value_option_id in options):
            continue
        options.add(row.value_option_id)
        rows.append(row)
    if field.field_type in SINGLE_VALUED and len(values) > 1:
        what = "option" if field.is_select else "value"
        raise InvalidFieldValue(field, f"{field.name} takes a single {what}")
    return CleanValues(field=field, rows=tuple(rows))


def replace_field_values(incident: Incident, values: Iterable[CleanValues], *, new_incident: bool = False) -> list[CustomFieldValue]:
    """Store each field's values on ``incident`` in place of what it held; returns the rows."""
    values = list(values)
    rows = [CustomFieldValue(incident=incident, custom_field=row.custom_field, value_option=row.value_option,
                             value_text=row.value_text, value_link=row.value_link, value_numeric=row.value_numeric)
            for clean in values for row in clean.rows]
    if values and not new_incident:  # a new incident has no values to replace
        CustomFieldValue.objects.filter(incident=incident, custom_field__in=[clean.field for clean in values]).delete()
    return CustomFieldValue.objects.bulk_create(rows)


def set_custom_field_value(*, incident: Incident, values: CleanValues, actor: Actor | None) -> None:
    """Replace one field's values on an incident."""
    with transaction.atomic():
        replace_field_values(incident, [values])
        touch(incident)
        announce_change(incident)


# --- configuration ----------------------------------------------------------------------------


def create_custom_field(*, actor: Actor | None, **fields) -> CustomField:
    return save_configuration_object(CustomField(), **fields)


def update_custom_field(*, field: CustomField, actor: Actor | None, **fields) -> CustomField:
    if "field_type" in fields and fields["field_type"] not in (None, field.field_type) and field.values.exists():
        raise Conflict("in_use", "The type of a field that holds values cannot change", field="field_type")
    return save_configuration_object(field, **{k: v for k, v in fields.items() if v is not None})


def delete_custom_field(*, field: CustomField, actor: Actor | None) -> None:
    delete_configuration_object(field)


def create_custom_field_option(
    *, actor: Actor | None, custom_field: CustomField, value: str, sort_key: int | None = None
) -> CustomFieldOption:
    if not custom_field.is_select:
        raise DomainError("invalid_value", f"{custom_field.name} is not a select field", field="custom_field_id")
    _check_option_value_free(custom_field, value)
    if sort_key is None:
        sort_key = (custom_field.options.order_by("-sort_key").values_list("sort_key", flat=True).first() or 0) + 10
    return save_configuration_object(CustomFieldOption(), custom_field=custom_field, value=value, sort_key=sort_key)


def _check_option_value_free(custom_field: CustomField, value: str | None, *, option: CustomFieldOption | None = None) -> None:
    # The unique constraint spans two columns, so full_clean() reports it without a field;
    # checking first lets the error name the value that clashes.
    taken = CustomFieldOption.objects.filter(custom_field=custom_field, value=value)
    if value is not None and taken.exclude(pk=option.pk if option else None).exists():
        raise Conflict("conflict", f"{custom_field.name} already has an option {value!r}", field="value")


def update_custom_field_option(*, option: CustomFieldOption, actor: Actor | None, **fields) -> CustomFieldOption:
    _check_option_value_free(option.custom_field, fields.get("value"), option=option)
    return save_configuration_object(option, **{k: v for k, v in fields.items() if v is not None})


def delete_custom_field_option(*, option: CustomFieldOption, actor: Actor | None) -> None:
    delete_configuration_object(option)
