"""Reading an XLSX workbook that may be hostile: checked before openpyxl opens it.

An XLSX file is a zip of XML parts. Before openpyxl reads a byte, every member's
uncompressed size is added up against the `sheet_mb` limit (a 1.5 MB file can hold a 1.5 GB
cell); the sheet is then streamed (openpyxl's read-only mode, its stated dimensions ignored)
and refused as soon as it holds more than `sheet_rows` rows or `sheet_columns` columns. An
answer in cells merged down over several rows is read for each of them. A
part that is not well-formed XML or a zip that is cut short is an InputError naming the file.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Callable, Sequence
from typing import Any
from xml.etree.ElementTree import ParseError

from migrmeta.errors import InputError
from migrmeta.limits import current
from migrmeta.messages import in_every_language


def _unreadable(source: str, why: object) -> InputError:
    return InputError(source, f"is not a readable XLSX workbook ({why})",
                      hint="save it again from your spreadsheet program as .xlsx")


def check_zip(data: bytes, source: str) -> None:
    """Refuse a workbook whose parts would unpack to more than the `sheet_mb` limit."""
    limits = current()
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _unreadable(source, exc) from exc
    total = sum(member.file_size for member in members)
    if total > limits.sheet_bytes:
        raise InputError(source, f"unpacks to {total / 1e6:.1f} MB, over the {limits.sheet_mb:g} MB limit "
                         "(limit `sheet_mb`)",
                         hint="split the workbook, or raise {--limit sheet_mb=N|the limit sheet_mb} "
                              "if it is honest")


# what openpyxl raises on a cut-short zip, a part that is not XML, a sheet that is not one
_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, IndexError, OSError, ValueError, TypeError, ParseError)


def _trimmed(cells: tuple[Any, ...]) -> list[Any]:
    values = list(cells)
    while values and values[-1] is None:
        values.pop()
    return values


def surveys_sheets() -> tuple[str, ...]:
    """The names the templates give the surveys' sheet ("Surveys", "Enquêtes", "Encuestas")."""
    return in_every_language("template.surveys_sheet")


def xlsx_rows(data: bytes, source: str, sheet_name: str | Sequence[str] | None = None) -> list[tuple[int, list[Any]]]:
    """(row number, cells) of the surveys' sheet (by one of its names, else the first), within
    the limits; with `sheet_name` (a name, or names in order of preference), of that sheet,
    and no rows when the workbook has none of that name."""
    return xlsx_sheet(data, source, sheet_name)[1]


def xlsx_sheet(data: bytes, source: str, sheet_name: str | Sequence[str] | None = None
               ) -> tuple[str | None, list[tuple[int, list[Any]]]]:
    """The name of the sheet read (None: none of that name) and its rows, as `xlsx_rows`."""
    from openpyxl import load_workbook

    check_zip(data, source)
    limits = current()
    rows: list[tuple[int, list[Any]]] = []
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            names = [sheet_name] if isinstance(sheet_name, str) else list(sheet_name or surveys_sheets())
            wanted = next((name for name in names if name in book.sheetnames), None)
            if wanted is None and sheet_name is not None:
                return None, []
            sheet = book[wanted] if wanted is not None else book.worksheets[0]
            sheet.reset_dimensions()  # the file's own <dimension> may lie: stream what is there
            for number, cells in enumerate(sheet.iter_rows(), 1):
                if number > limits.sheet_rows:
                    raise InputError(source, f"has more than {limits.sheet_rows} rows (limit `sheet_rows`)",
                                     line=number, hint="split the sheet, or raise "
                                     "{--limit sheet_rows=N|the limit sheet_rows}")
                values = _trimmed(tuple(map(_as_shown, cells)))
                if len(values) > limits.sheet_columns:
                    raise InputError(source, f"row {number} has {len(values)} columns, more than "
                                     f"{limits.sheet_columns} (limit `sheet_columns`)", line=number,
                                     hint="remove the extra columns, or raise "
                                          "{--limit sheet_columns=N|the limit sheet_columns}")
                rows.append((number, values))
            merged = _merged_ranges(book, sheet)
        finally:
            book.close()
    except InputError:
        raise
    except _BROKEN as exc:
        raise _unreadable(source, exc) from exc
    return sheet.title, _spread(rows, merged)


# <mergeCell ref="B3:B4"/>, with or without a namespace prefix
_MERGE_CELL = re.compile(rb'<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')


def _merged_ranges(book: Any, sheet: Any) -> list[tuple[int, int, int, int]]:
    """The sheet's merged cells (first column, first row, last column, last row; from 1):
    openpyxl's read-only mode does not read them, so the sheet's part is searched (its size
    is within `sheet_mb`, checked with the zip)."""
    from openpyxl.utils import column_index_from_string

    path = getattr(sheet, "_worksheet_path", None)
    if path is None:
        return []
    with book._archive.open(path) as part:
        text = part.read()
    return [(column_index_from_string(c1.decode()), int(r1), column_index_from_string(c2.decode()), int(r2))
            for c1, r1, c2, r2 in _MERGE_CELL.findall(text)]


def _spread(rows: list[tuple[int, list[Any]]], merged: list[tuple[int, int, int, int]]
            ) -> list[tuple[int, list[Any]]]:
    """Rows where cells merged down over several rows under the header hold, each, the value
    shown across them (the workbook stores it in the first row only: the other rows would
    lose an answer the user sees on the screen). Cells merged across columns keep the value in
    the first: the columns are different questions."""
    down = [(c1, r1, c2, r2) for c1, r1, c2, r2 in merged if r2 > r1 and r1 > 1]
    if not down:
        return rows
    by_number = {number: values for number, values in rows}
    for c1, r1, _, r2 in down:
        top = by_number.get(r1, [])
        value = top[c1 - 1] if c1 - 1 < len(top) else None
        if value is None:
            continue
        for number in range(r1 + 1, r2 + 1):
            values = by_number.get(number)
            if values is None:
                continue
            values.extend([None] * (c1 - len(values)))
            if values[c1 - 1] is None:
                values[c1 - 1] = value
    return rows


def _as_shown(cell: Any) -> Any:
    """A cell's value; a date as precise as its number format shows it: `2020-07` typed in
    Excel is stored as 2020-07-01 shown "Jul-20", which is a month (xsd:gYearMonth), not a day."""
    value = cell.value
    if not isinstance(value, dt.date):
        return value
    shown = _DATE_FORMAT_NOISE.sub("", str(getattr(cell, "number_format", "") or "").lower())
    if any(part in shown for part in "dhs") or "y" not in shown:  # a day or a time, or not a date format
        return value
    return f"{value.year:04d}-{value.month:02d}" if "m" in shown else f"{value.year:04d}"


# what a number format shows literally, not as a part of the date: quoted text, [$-409] and [Red], \x
_DATE_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def sheets_with_rows(data: bytes, source: str, id_column: Callable[[list[Any]], int | None],
                     skip: str) -> list[str]:
    """The visible sheets whose first row has an id column (`id_column` of that row) and a row
    under it with an id not starting with `skip` (the template's example): sheets of surveys,
    a copy or a renamed one among them."""
    from openpyxl import load_workbook

    found = []
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for sheet in book.worksheets:
                if sheet.sheet_state != "visible":
                    continue
                sheet.reset_dimensions()
                rows = sheet.iter_rows(values_only=True)
                column = id_column(_trimmed(next(rows, ())))
                if column is None:
                    continue
                for cells in itertools.islice(rows, current().sheet_rows):
                    value = cells[column] if column < len(cells) else None
                    if value is not None and str(value).strip() and not str(value).strip().startswith(skip):
                        found.append(sheet.title)
                        break
        finally:
            book.close()
    except _BROKEN as exc:
        raise _unreadable(source, exc) from exc
    return found


__all__ = ["check_zip", "sheets_with_rows", "surveys_sheets", "xlsx_rows", "xlsx_sheet"]
