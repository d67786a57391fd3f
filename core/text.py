"""Text that reaches XML (feeds), SVG (badges), email headers and HTML: the one rule of
what it may contain, checked once where it enters, and the cleaning renderers apply to
rows stored before the rule held.

- **Control characters** are refused: C0 (U+0000-U+001F), DEL and C1 (U+007F-U+009F),
  and the noncharacters U+FFFE and U+FFFF, none of which XML 1.0 may carry (a feed with
  one is ill-formed, and the syndication framework answers 500 for every reader). A
  multi-line field (a message, a description) may hold ``\\t``, ``\\n`` and ``\\r``; a
  single-line one (a name, a title: what ends up in a subject line or a badge) may not.
- **Lengths**: every text field has a limit. Fields whose serializer or model names none
  get ``SINGLE_LINE_MAX`` or ``MULTI_LINE_MAX`` (incident.io's limit on update messages).

The API dialects apply both to every string field of every request body
(``core.api.base.ApiViewSet.parse``: a 422 naming the field, in the dialect's words);
models and admin forms carry ``PlainText`` as a validator; services check what no
serializer sees with ``check_text``. Renderers escape as always and strip what an older
row still holds (``strip_controls``).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from core.exceptions import DomainError

#: the longest single-line text (a name, a title) a field takes when nothing says less
SINGLE_LINE_MAX = 255
#: the longest multi-line text (a message, a description): incident.io's limit on a
#: status page update's message, the same in every dialect
MULTI_LINE_MAX = 4096
#: a whole document (an imported postmortem): the request body's limit bounds it too
DOCUMENT_MAX = 1_000_000
#: the fields that hold several lines (by the name the request gives them)
MULTI_LINE_FIELDS = frozenset(
    {"message", "description", "summary", "instructions", "content", "template", "comments", "value_text", "body", "text"}
)

_ANY_LINE = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff"
_MULTI_LINE = re.compile(f"[{_ANY_LINE}]")
_SINGLE_LINE = re.compile(f"[{_ANY_LINE}\t\n\r]")


def is_multi_line(field_name: str | None) -> bool:
    return (field_name or "").rsplit(".", 1)[-1] in MULTI_LINE_FIELDS


def control_character(value: str, *, multi_line: bool = False) -> str | None:
    """The first character ``value`` may not hold, as ``U+000B``; None when it is clean."""
    found = (_MULTI_LINE if multi_line else _SINGLE_LINE).search(value)
    return f"U+{ord(found.group()):04X}" if found else None


def strip_controls(value: str, *, multi_line: bool = True) -> str:
    """``value`` without the characters the rule refuses (for rendering rows stored
    before it held, and where a vendor's dialect must accept them)."""
    return (_MULTI_LINE if multi_line else _SINGLE_LINE).sub("", value) if isinstance(value, str) else value


def control_message(found: str) -> str:
    return f"Control characters are not allowed (found {found})"


def length_message(limit: int) -> str:
    # DRF's wording: each dialect's error module rewords it by the code "max_length".
    return f"Ensure this field has no more than {limit} characters."


@deconstructible
class PlainText:
    """A validator (models, forms, serializers) refusing control characters."""

    code = "control_characters"

    def __init__(self, multi_line: bool = False):
        self.multi_line = multi_line

    def __call__(self, value):
        if isinstance(value, str) and (found := control_character(value, multi_line=self.multi_line)):
            raise ValidationError(control_message(found), code=self.code)

    def __eq__(self, other):
        return isinstance(other, PlainText) and other.multi_line == self.multi_line


single_line = PlainText(multi_line=False)
multi_line = PlainText(multi_line=True)


def check_text(value: str | None, *, field: str, max_length: int | None = None, multi_line: bool | None = None) -> None:
    """Refuse ``value`` with a DomainError naming ``field`` (a 422 in every dialect, a form
    error in the admin) when it holds a control character or is longer than
    ``max_length`` (by default the limit for its kind of field)."""
    if not value:
        return
    multi = is_multi_line(field) if multi_line is None else multi_line
    if found := control_character(value, multi_line=multi):
        raise DomainError("control_characters", control_message(found), field=field)
    limit = max_length or (MULTI_LINE_MAX if multi else SINGLE_LINE_MAX)
    if len(value) > limit:
        raise DomainError("max_length", length_message(limit), field=field)
