"""The text rule (``core.text``) on every string field of every request body, whichever
dialect parses it: each ``CharField`` (and those nested in lists, dicts and serializers)
refuses control characters and, when its serializer names no limit, text past the limit
for its kind of field. Refusals are DRF validation errors, so each dialect answers its
own 422 naming the field."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from rest_framework import serializers

from core.text import MULTI_LINE_MAX, SINGLE_LINE_MAX, PlainText, is_multi_line, length_message


def guard_text(field, name: str = "") -> None:
    """Add the text rule's validators to ``field`` and every string field inside it."""
    if isinstance(field, serializers.ListSerializer):
        guard_text(field.child, name)
    elif isinstance(field, serializers.Serializer):
        for child_name, child in field.fields.items():
            guard_text(child, child_name)
    elif isinstance(field, serializers.ListField | serializers.DictField):
        guard_text(field.child, name)
    elif isinstance(field, serializers.CharField) and not field.read_only:
        multi = is_multi_line(field.field_name or name)
        added = [PlainText(multi_line=multi)]
        if field.max_length is None:
            limit = MULTI_LINE_MAX if multi else SINGLE_LINE_MAX
            added.append(MaxLengthValidator(limit, message=length_message(limit)))
        field.validators = [*field.validators, *added]
