"""Whole numbers as requests spell them: ASCII digits within the column's range."""

import pytest

from core.numbers import BIGINT_MAX, INTEGER_MAX, whole_number


@pytest.mark.parametrize("text, number", [("0", 0), ("42", 42), ("007", 7), (str(INTEGER_MAX), INTEGER_MAX)])
def test_ascii_digits_within_range_are_a_number(text, number):
    assert whole_number(text) == number


@pytest.mark.parametrize(
    "text",
    ["", " 1", "1 ", "-1", "+1", "1.0", "1_000", "\u00b2", "\u0661", "\uff11", "1\x00", str(INTEGER_MAX + 1), "9" * 5000, None, 1],
)
def test_anything_else_is_none(text):
    assert whole_number(text) is None


def test_the_maximum_is_the_columns():
    assert whole_number(str(INTEGER_MAX + 1), BIGINT_MAX) == INTEGER_MAX + 1
    assert whole_number(str(BIGINT_MAX + 1), BIGINT_MAX) is None
    assert whole_number("0" * 40 + "5") == 5
