"""Whole numbers as requests spell them: ASCII digits only, within the column's range.

``str.isdigit()`` and ``int()`` take far more than ASCII: ``"²".isdigit()`` is true and
``int("²")`` fails, while ``int("١")`` (Arabic-Indic one) is 1, so ``/v2/incidents/١``
would answer INC-1. A number past its column's range is no row's either, and some
databases refuse to compare with one. Every reference number, numeric id and page
number a request names is read here.
"""

#: PostgreSQL's integer (reference numbers, Cachet's numbers, page numbers)
INTEGER_MAX = 2**31 - 1
#: PostgreSQL's bigint (users' ids)
BIGINT_MAX = 2**63 - 1


def whole_number(text, maximum: int = INTEGER_MAX) -> int | None:
    """``text`` as a number from 0 to ``maximum`` when it is ASCII digits alone, else None."""
    if not isinstance(text, str) or not (text.isascii() and text.isdigit()):
        return None
    # Compare the length first: a string of a million digits is not worth converting.
    if len(text.lstrip("0")) > len(str(maximum)):
        return None
    number = int(text)
    return number if number <= maximum else None
