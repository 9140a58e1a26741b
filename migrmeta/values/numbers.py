"""Whole numbers as people write them (a sample size, an age, months) -> xsd:integer, one parser.

Accepted: digits (`12500`), a number of a YAML file or a spreadsheet cell (`12500`, `12500.0`),
and digits in groups of three separated by commas, spaces (also no-break and thin spaces) or
apostrophes, one kind of separator per number: `12,500`, `12 500`, `1'234'567`; periods too
when there are several (`1.234.567`).

Refused, never guessed: a separator that does not stand between groups of three digits
(`12,5`, `1,2,3,4`: a decimal? a slip?), and one period before three digits (`12.500`): it may
be a decimal point (12.5) or a thousands separator (12500), so the message asks, with 12500 as
the answer probably meant. `1,234.00` and other decimals are not whole numbers.
"""

from __future__ import annotations

import re

from rdflib import Literal

from migrmeta.namespaces import XSD
from migrmeta.values.errors import BadValue

_SPACES = re.compile(r"[\u00a0\u2007\u2009\u202f ]")  # no-break, figure, thin and narrow no-break spaces
_GROUPED = re.compile(r"[+-]?\d{1,3}(?P<sep>[, '.])\d{3}(?:(?P=sep)\d{3})*")


def parse_integer(answer: object, minimum: int | None = None) -> Literal:
    """A whole number as written (see the module) -> an xsd:integer literal; BadValue otherwise."""
    if isinstance(answer, bool):
        raise BadValue(f'"{answer}" is not a whole number')
    if isinstance(answer, float):
        if not answer.is_integer():
            raise BadValue(f'"{answer}" is not a whole number')
        answer = int(answer)
    text = _SPACES.sub(" ", " ".join(str(answer).split()))
    digits = _digits(text)
    value = int(digits)
    if minimum is not None and value < minimum:
        raise BadValue(f'"{answer}" is too small (at least {minimum})')
    return Literal(str(value), datatype=XSD.integer)


def _digits(text: str) -> str:
    """The digits of a whole number as written, or BadValue saying why it is not one."""
    if re.fullmatch(r"[+-]?\d+", text):
        return text
    grouped = _GROUPED.fullmatch(text)
    plain = re.sub(r"[, '.]", "", text)
    if grouped and (grouped.group("sep") != "." or text.count(".") > 1):
        return plain
    if grouped:  # 12.500: a decimal point or a thousands separator?
        raise BadValue(f'"{text}" is not a whole number as written: a period may be a decimal point', plain)
    if re.fullmatch(r"[+-]?\d[\d, '.]*\d", text):
        raise BadValue(f'"{text}" is not a whole number: commas, periods and spaces may only separate groups '
                       "of three digits (12500, 12,500 or 12 500)")
    raise BadValue(f'"{text}" is not a whole number (e.g. 3914)')


__all__ = ["parse_integer"]
