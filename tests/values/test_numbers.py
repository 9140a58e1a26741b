"""One whole-number parser: thousands groups are read, anything that may be a decimal or a slip is asked."""

from __future__ import annotations

import pytest
from rdflib import Literal

from migrmeta.formats.forms import answers
from migrmeta.values.errors import BadValue
from migrmeta.values.numbers import parse_integer


@pytest.mark.parametrize(("written", "value"), [
    ("12500", 12500), (12500, 12500), (12500.0, 12500), ("12,500", 12500), ("12 500", 12500),
    ("12\u00a0500", 12500), ("12\u202f500", 12500), ("1,234,567", 1234567), ("1 234 567", 1234567),
    ("1'234'567", 1234567), ("1.234.567", 1234567), (" 43,000 ", 43000),
])
def test_whole_numbers_and_thousands_groups(written: object, value: int) -> None:
    assert parse_integer(written, 1) == Literal(value)


@pytest.mark.parametrize("written", ["12,5", "1,2,3,4", "12 50", "1,23,456", "12,500.5", "1,234 567"])
def test_a_separator_between_other_than_three_digits_is_refused_not_dropped(written: str) -> None:
    """Before: "12,5" became 125 and "1,2,3,4" became 1234, silently."""
    with pytest.raises(BadValue) as refused:
        parse_integer(written, 1)
    assert "groups of three digits" in str(refused.value) and refused.value.suggestion is None


def test_one_period_before_three_digits_is_asked_with_the_number_probably_meant() -> None:
    with pytest.raises(BadValue) as refused:
        parse_integer("12.500", 1)
    assert refused.value.suggestion == "12500"
    assert str(refused.value) == ('"12.500" is not a whole number as written: a period may be a decimal point; '
                                  'did you mean "12500"?')


@pytest.mark.parametrize("written", [12.5, "12.5", "about 40", True, ""])
def test_not_whole_numbers(written: object) -> None:
    with pytest.raises(BadValue, match="is not a whole number"):
        parse_integer(written)


def test_the_forms_read_numbers_with_the_one_parser() -> None:
    assert answers.parse_integer is parse_integer
