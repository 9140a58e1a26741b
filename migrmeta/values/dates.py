"""Dates as people and catalogues write them -> typed literals, one parser for every importer.

Accepted (and nothing else):

- a year `2019` -> xsd:gYear; a month `2019-10` -> xsd:gYearMonth; a day `2019-10-01` ->
  xsd:date; a year given as a number (a YAML or spreadsheet cell holding 2019) is a year;
- a date cell of a spreadsheet (`datetime.date` / `datetime.datetime`) -> xsd:date (a cell whose
  number format shows no day is read as the month or year it shows: forms/xlsx.py);
- a day followed by a time of day, as DDI and DCAT files write them (`2019-10-01T00:00:00Z`,
  `1851-01-01 00:00:00.000`): the day is kept, the time dropped;
- periods (`parse_range`): two of the above joined by `-`, `–`, `/` or `to`: `2008-2010`,
  `2008 - 2010`, `2009-09-01/2010-05-31` (ISO 8601 intervals, with times too).

Refused, with one message whatever the importer: days and months that do not exist
(`2019-02-30`, `2024-13`), and dates written day/month/year or month/day/year (`31/12/2019`):
read the wrong way round they still look valid, so they are never guessed; the message
gives the year-month-day form when only one reading is a real date. A period where one date
is asked (`2019-2021`, `2019-21`) is refused with its start and end, to give apart.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable

from rdflib import Literal

from migrmeta.namespaces import XSD
from migrmeta.values.errors import BadValue

ACCEPTED = "write a year (2019), a month (2019-10) or a day (2019-10-01)"
_TIME = r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
_ISO = re.compile(rf"(\d{{4}})(?:-(\d{{1,2}})(?:-(\d{{1,2}})({_TIME}))?)?")
_SLASHED = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.](\d{4})")
_PART = r"\d{4}(?:-\d{1,2}(?:-\d{1,2}" + _TIME + r")?)?"
_RANGE = re.compile(rf"({_PART})\s*(?:\s-\s|–|—|/|\bto\b|(?<=\d{{4}})-(?=\d{{4}}(?:\D|$)))\s*({_PART})")
_DATATYPES = (XSD.gYear, XSD.gYearMonth, XSD.date)


def parse_date(value: object) -> Literal:
    """A year, month or day (see the module) -> an xsd:gYear / gYearMonth / date literal."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool):
        raise BadValue(f'"{value}" is not a date: {ACCEPTED}')
    text = " ".join(str(value).split())
    found = _ISO.fullmatch(text)
    if found is None:
        raise _not_a_date(text)
    year, month, day, _time = found.groups()
    if month and not day and int(month) > 12 and int(year[:2] + month) > int(year):  # 2019-21: years 2019 to 2021
        raise _a_period(text, year, year[:2] + month)
    if (month and len(month) == 1) or (day and len(day) == 1):  # 2019-1-5: the form wants two digits
        raise BadValue(f'"{text}" is not a date: {ACCEPTED}', _padded(year, month, day))
    _check(text, int(year), int(month) if month else None, int(day) if day else None)
    if day:
        return Literal(f"{year}-{month}-{day}", datatype=XSD.date)
    if month:
        return Literal(f"{year}-{month}", datatype=XSD.gYearMonth)
    return Literal(year, datatype=XSD.gYear)


def parse_range(text: str) -> tuple[Literal, Literal]:
    """`2008-2010`, `2008 - 2010`, `2008/2010`, `2009-09-01/2010-05-31` -> (start, end)."""
    written = " ".join(str(text).split())
    found = _RANGE.fullmatch(written)
    if found is None:
        raise BadValue(f'"{written}" is not a period: write two dates such as 2008-2010 or '
                       "2009-09-01/2010-05-31")
    start, end = parse_date(found.group(1)), parse_date(found.group(2))
    if ends_before(start, end):
        raise BadValue(f'"{written}" is not a period: it ends before it starts')
    return start, end


def ends_before(start: Literal, end: Literal) -> bool:
    """The period ends before it starts (a year ends on 31 December: 2010-06-01 to 2010 is none)."""
    return _key(end, True) < _key(start, False)


def parse_period(text: str) -> tuple[Literal, Literal | None]:
    """One date (start, None) or a period (start, end); the date's message when it is neither."""
    try:
        return parse_date(text), None
    except BadValue as single:
        if _RANGE.fullmatch(" ".join(str(text).split())) is None:
            raise single from None
    return parse_range(text)


def is_date(value: Literal) -> bool:
    """A literal of one of the three date types the catalogue uses, with a valid value."""
    if value.datatype not in _DATATYPES:
        return False
    try:
        parse_date(str(value))
    except BadValue:
        return False
    return True


def day_of(value: object) -> str | None:
    """The day (YYYY-MM-DD) a date or a date and time names (a dct:modified, for a changelog or
    a sitemap); None for anything else, a year alone included."""
    text = str(value)[:10] if isinstance(value, Literal) else ""
    try:
        return dt.date.fromisoformat(text).isoformat() if len(text) == 10 else None
    except ValueError:
        return None


def newest_day(values: Iterable[object]) -> Literal | None:
    """The newest xsd:date among `values`, what dates a record: its dct:modified, else its
    mm:checkedOn (the day its facts were checked: all that a record made from a form or a sheet
    says of its date). Other values are no day of it."""
    days = [v for v in values if isinstance(v, Literal) and v.datatype == XSD.date]
    return max(days, key=str) if days else None


def earliest(values: Iterable[Literal]) -> Literal | None:
    """The earliest of some dates (a year starts on 1 January)."""
    return min(values, key=lambda v: _key(v, False), default=None)


def latest(values: Iterable[Literal]) -> Literal | None:
    """The latest of some dates (a year ends on 31 December)."""
    return max(values, key=lambda v: _key(v, True), default=None)


# --- what is wrong ---------------------------------------------------------------------------


def _check(text: str, year: int, month: int | None, day: int | None) -> None:
    if year == 0:
        raise BadValue(f'"{text}" is not a date: there is no year 0')
    if month is not None and not 1 <= month <= 12:
        raise BadValue(f'"{text}" is not a date: there is no month {month} ({ACCEPTED})')
    if day is not None and month is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            name = calendar.month_name[month]
            raise BadValue(f'"{text}" is not a date: {name} {year} has {last} days')


def _a_period(text: str, start: str, end: str) -> BadValue:
    return BadValue(f'"{text}" is a period, not a date: write {start} as its start and {end} as its end')


def _not_a_date(text: str) -> BadValue:
    period = _RANGE.fullmatch(text)
    if period and period.group(1) <= period.group(2):
        return _a_period(text, period.group(1), period.group(2))
    slashed = _SLASHED.fullmatch(text)
    if slashed:
        first, second, year = (int(p) for p in slashed.groups())
        readings = sorted({f"{year:04d}-{m:02d}-{d:02d}" for d, m in ((first, second), (second, first))
                           if _real(year, m, d)})
        if len(readings) == 1:
            return BadValue(f'"{text}" is not a date in the form year-month-day', readings[0])
        if readings:
            return BadValue(f'"{text}" is not a date in the form year-month-day: day/month or '
                            f"month/day? Write {' or '.join(readings)}")
    month_year = _MONTH_YEAR.fullmatch(text)
    if month_year and 1 <= int(month_year.group(1)) <= 12:
        month, year = int(month_year.group(1)), int(month_year.group(2))
        return BadValue(f'"{text}" is not a date in the form year-month', f"{year:04d}-{month:02d}")
    return BadValue(f'"{text}" is not a date: {ACCEPTED}')


def _real(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _padded(year: str, month: str | None, day: str | None) -> str | None:
    parts = [year, *(p.zfill(2) for p in (month, day) if p)]
    try:
        _check("", int(year), int(month) if month else None, int(day) if day else None)
    except BadValue:
        return None
    return "-".join(parts)


def _key(value: Literal, end: bool) -> tuple[int, int, int]:
    parts = [int(p) for p in str(value)[:10].split("-")]
    month = parts[1] if len(parts) > 1 else (12 if end else 1)
    day = parts[2] if len(parts) > 2 else (calendar.monthrange(parts[0], month)[1] if end else 1)
    return parts[0], month, day
