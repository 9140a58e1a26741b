"""One date parser: what is accepted, the typed literal it gives, and the one message when not."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Literal, URIRef

from migrmeta.namespaces import XSD
from migrmeta.values.dates import day_of, earliest, is_date, latest, parse_date, parse_period, parse_range
from migrmeta.values.errors import BadValue


@pytest.mark.parametrize(("written", "lexical", "datatype"), [
    ("2019", "2019", XSD.gYear),
    (2019, "2019", XSD.gYear),  # a YAML or spreadsheet number
    (2019.0, "2019", XSD.gYear),
    ("2019-10", "2019-10", XSD.gYearMonth),
    ("2019-10-01", "2019-10-01", XSD.date),
    ("2024-02-29", "2024-02-29", XSD.date),  # a leap day
    (" 2019-10-01 ", "2019-10-01", XSD.date),
    (dt.date(2019, 10, 1), "2019-10-01", XSD.date),  # a date cell
    (dt.datetime(2019, 10, 1, 12, 30), "2019-10-01", XSD.date),
    ("2019-10-01T00:00:00Z", "2019-10-01", XSD.date),  # DCAT
    ("1851-01-01 00:00:00.000", "1851-01-01", XSD.date),  # DDI exports
    ("2019-10-01+02:00", "2019-10-01", XSD.date),
])
def test_accepted_dates_and_their_type(written: object, lexical: str, datatype: URIRef) -> None:
    value = parse_date(written)
    assert value == Literal(lexical, datatype=datatype)
    assert is_date(value)


@pytest.mark.parametrize(("written", "message"), [
    ("2019-02-30", '"2019-02-30" is not a date: February 2019 has 28 days'),
    ("2023-02-29", '"2023-02-29" is not a date: February 2023 has 28 days'),
    ("2019-04-31", '"2019-04-31" is not a date: April 2019 has 30 days'),
    ("2024-13", '"2024-13" is not a date: there is no month 13 (write a year (2019), a month (2019-10) '
                "or a day (2019-10-01))"),
    ("2024-00-10", '"2024-00-10" is not a date: there is no month 0'),
    ("0000", '"0000" is not a date: there is no year 0'),
    ("31/12/2019", '"31/12/2019" is not a date in the form year-month-day; did you mean "2019-12-31"?'),
    ("12/31/2019", '"12/31/2019" is not a date in the form year-month-day; did you mean "2019-12-31"?'),
    ("03/04/2019", '"03/04/2019" is not a date in the form year-month-day: day/month or month/day? '
                   "Write 2019-03-04 or 2019-04-03"),
    ("05.05.2019", '"05.05.2019" is not a date in the form year-month-day; did you mean "2019-05-05"?'),
    ("10/2019", '"10/2019" is not a date in the form year-month; did you mean "2019-10"?'),
    ("2019-1-5", '"2019-1-5" is not a date: write a year (2019), a month (2019-10) or a day (2019-10-01); '
                 'did you mean "2019-01-05"?'),
    ("October 2019", '"October 2019" is not a date: write a year (2019), a month (2019-10) or a day '
                     "(2019-10-01)"),
    ("19", '"19" is not a date'),
    (True, '"True" is not a date'),
])
def test_refused_dates_say_why(written: object, message: str) -> None:
    with pytest.raises(BadValue) as refused:
        parse_date(written)
    assert str(refused.value).startswith(message)


def test_a_slashed_date_is_never_guessed_when_both_readings_are_real() -> None:
    with pytest.raises(BadValue) as refused:
        parse_date("03/04/2019")
    assert refused.value.suggestion is None
    with pytest.raises(BadValue) as refused:
        parse_date("31/12/2019")
    assert refused.value.suggestion == "2019-12-31"
    assert parse_date(refused.value.suggestion) == Literal("2019-12-31", datatype=XSD.date)


@pytest.mark.parametrize(("written", "start", "end"), [
    ("2008-2010", "2008", "2010"),
    ("2008 - 2010", "2008", "2010"),
    ("2008–2010", "2008", "2010"),
    ("2008/2010", "2008", "2010"),
    ("2008 to 2010", "2008", "2010"),
    ("1851 - 1911", "1851", "1911"),
    ("2009-09-01/2010-05-31", "2009-09-01", "2010-05-31"),
    ("2009-09/2010-05", "2009-09", "2010-05"),
    ("2009-09-01T12:00:00Z/2010-05-31T12:00:00Z", "2009-09-01", "2010-05-31"),
])
def test_periods(written: str, start: str, end: str) -> None:
    first, last = parse_range(written)
    assert (str(first), str(last)) == (start, end)
    assert parse_period(written) == (first, last)


def test_period_parts_are_checked_like_dates() -> None:
    with pytest.raises(BadValue, match="February 2019 has 28 days"):
        parse_range("2019-02-30/2019-03-10")
    with pytest.raises(BadValue, match="ends before it starts"):
        parse_range("2010-2008")
    assert parse_period("2019-10") == (Literal("2019-10", datatype=XSD.gYearMonth), None)
    with pytest.raises(BadValue, match="there is no month 13"):  # a bad date, not "not a period"
        parse_period("2024-13")


def test_earliest_and_latest_compare_years_months_and_days() -> None:
    year, month, day = parse_date("2019"), parse_date("2019-06"), parse_date("2019-12-31")
    assert earliest([month, day, year]) == year
    assert latest([year, month]) == year  # a year ends on 31 December
    assert latest([month, parse_date("2019-06-15")]) == month  # June ends on the 30th
    assert earliest([]) is None


def test_an_ill_typed_literal_is_not_a_date() -> None:
    assert not is_date(Literal("2019-02-30", datatype=XSD.date))
    assert not is_date(Literal("2019", datatype=XSD.string))


@pytest.mark.parametrize(("written", "start", "end"), [
    ("2019-2021", "2019", "2021"), ("2019-21", "2019", "2021"), ("1998-99", "1998", "1999"),
    ("2019 - 2021", "2019", "2021"), ("2019-10/2020-03", "2019-10", "2020-03"),
])
def test_a_period_where_one_date_is_asked_gives_its_start_and_end(written: str, start: str, end: str) -> None:
    with pytest.raises(BadValue) as refused:
        parse_date(written)
    assert str(refused.value) == f'"{written}" is a period, not a date: write {start} as its start and {end} as its end'


@pytest.mark.parametrize("written", ["2024-13", "2021-2019"])
def test_what_is_not_a_period_is_not_said_to_be_one(written: str) -> None:
    with pytest.raises(BadValue) as refused:
        parse_date(written)
    assert "period" not in str(refused.value)


@pytest.mark.parametrize(("written", "day"), [
    (Literal("2026-11-30", datatype=XSD.date), "2026-11-30"),
    (Literal("2026-11-30T08:15:00Z", datatype=XSD.dateTime), "2026-11-30"),
    (Literal("2026", datatype=XSD.gYear), None),  # a year alone names no day
    (Literal("2026-02-30", datatype=XSD.date), None),  # not a day of the calendar
    (None, None),
])
def test_the_day_a_dct_modified_names(written: Literal | None, day: str | None) -> None:
    """What the changelog, the feed and the sitemap date a change by."""
    assert day_of(written) == day
