"""Spreadsheets (CSV, XLSX): one row per survey, one column per answer of the form.

The columns are the form's field table flattened: a header carries the item number and name
("6. Type of sample"); a nested answer gets one column per part ("4. Time frame: start");
several values in one cell are separated by ";", and the parts of several identification
methods line up by position ("citizenship; country-of-birth" / "12; "). Each row goes through
the same importer as a form, so problems come back as row and column.

Agencies the catalogue does not know are described on their own sheet, "Agencies" (a CSV:
the file `<name>-agencies.csv` beside it), one row each: id, names ("[fr] ..." for another
language), acronym, kind, country, homepage. A survey row names them by id, acronym or name,
and its record carries the description of those it names, as a form's `agencies:` does.

A CSV file must be UTF-8 (Excel's "CSV UTF-8"), and each row has at most as many cells as the
header: a row with more had a cell cut in two at a separator, its values shifted, so it is
refused rather than read askew.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from migrmeta.errors import InputError
from migrmeta.formats.exporting import top_subject
from migrmeta.formats.forms.answers import Catalogue, Vocabulary
from migrmeta.formats.forms.cells import AGENCY_ID_HEADER as AGENCY_ID_HEADER
from migrmeta.formats.forms.cells import (
    AGENCY_SHEET,
    ID_HEADER,
    SKIP,
    Column,
    cell_value,
    header_index,
    row_to_entry,
    split_cell,
)
from migrmeta.formats.forms.cells import agency_columns as agency_columns
from migrmeta.formats.forms.cells import columns as columns
from migrmeta.formats.forms.cells import entry_to_row as entry_to_row
from migrmeta.formats.forms.cells import label as label
from migrmeta.formats.forms.fields import as_list
from migrmeta.formats.forms.form import SURVEY_FIELDS, Builder, Imported, Problem, finish
from migrmeta.formats.forms.xlsx import sheets_with_rows, xlsx_sheet
from migrmeta.formats.harmonize import Draft
from migrmeta.formats.importing import Batch, Message
from migrmeta.formats.loss import LossReport
from migrmeta.limits import current
from migrmeta.load import read_bounded
from migrmeta.load.reference import Reference, load_reference
from migrmeta.messages import in_every_language, message, translate
from migrmeta.progress import Progress
from migrmeta.rdf.encoding import check_text
from migrmeta.values.agencies import Agencies
from migrmeta.values.names import close_ratio
from migrmeta.values.text import fold, split_language

# --- reading a sheet ---------------------------------------------------------------------------


def read_rows(path: Path) -> list[tuple[int, list[Any]]]:
    """(spreadsheet row number, cells) of a CSV or XLSX file, header row first."""
    return read_sheet(path)[1]


def read_sheet(path: Path) -> tuple[str | None, list[tuple[int, list[Any]]]]:
    """The name of the workbook's sheet read (None for a CSV) and its rows, as `read_rows`."""
    suffix = path.suffix.lower()
    data = read_bounded(path)
    if is_workbook(path):
        return xlsx_sheet(data, str(path))
    if suffix in (".csv", ".tsv", ".txt"):
        return None, _csv_rows(data, str(path))
    raise InputError(str(path), f"unknown spreadsheet type {suffix or '(no extension)'!r}",
                     hint="save the sheet as .xlsx or .csv")


def agencies_csv(path: Path) -> Path:
    """The file a CSV sheet's new agencies go in: NAME-agencies.csv beside NAME.csv."""
    return path.with_name(f"{path.stem}-agencies.csv")


def read_agency_rows(path: Path) -> tuple[str, list[tuple[int, list[Any]]]]:
    """Where a sheet's agencies are ("Agencies" of a workbook, or NAME-agencies.csv beside a CSV)
    and their rows (header first); no rows when there are none."""
    if is_workbook(path):
        names = in_every_language("template.agencies_sheet")  # "Agencies" first
        try:
            found, rows = xlsx_sheet(read_bounded(path), str(path), names)
        except InputError:
            return AGENCY_SHEET, []  # read_rows has said why
        return (f"sheet \"{found}\"", rows) if rows else (AGENCY_SHEET, [])
    beside = agencies_csv(path)
    if not beside.is_file():
        return beside.name, []
    return beside.name, _csv_rows(beside.read_bytes(), str(beside))


@dataclass
class AgencyRows:
    """The agencies described beside a sheet: where, each row's entry (row number, entry), and
    why a row's answers cannot all be taken (a header not of the template, a cell under no
    header, too many cells): such a row refuses the survey rows that name it."""

    where: str
    entries: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: dict[int, list[str]] = field(default_factory=dict)


def is_workbook(path: Path) -> bool:
    """An Excel workbook (read by sheet), else a CSV."""
    return path.suffix.lower() in (".xlsx", ".xlsm")


def agency_entries(path: Path, reference: Reference, lang: str = "en") -> AgencyRows:
    """The agencies described beside a sheet, as form entries, with what their rows lose."""
    where, rows = read_agency_rows(path)
    found = AgencyRows(where)
    if not rows:
        return found
    known = [col for lang in ("fr", "es", "en") for col in agency_columns(reference, lang)]
    index = {fold(spelling): col for col in known for spelling in (col.header, col.key)}
    headers = [str(h).strip() if h is not None else "" for h in rows[0][1]]
    layout = [index.get(fold(h)) if h else None for h in headers]
    workbook = is_workbook(path)
    for number, cells in rows[1:]:
        entry: dict[str, Any] = {}
        lost: list[str] = []
        for n, raw in enumerate(cells):
            value = cell_value(raw)
            if value is None:
                continue
            col = layout[n] if n < len(layout) else None
            if col is not None:
                entry[col.key] = split_cell(col.field, value) if col.field is not None else value
            elif n < len(headers) and headers[n]:
                meant = _meant_agency_columns(headers[n], known, layout, agency_columns(reference, lang))
                lost.append(message("sheet.agency_lost_column", "en", column=headers[n], hint=_did_you_mean(meant)))
            elif n < len(headers) or workbook:
                lost.append(message("sheet.no_header", "en", column=get_column_letter(n + 1)))
        extra = sum(1 for v in cells[len(headers):] if cell_value(v) is not None)
        if extra and not workbook:  # a cell cut in two at a separator: the cells after it moved
            lost = [message("sheet.too_many_cells", "en", count=extra)]
        if (entry or lost) and not str(entry.get("id", "")).startswith(SKIP):
            found.entries.append((number, entry))
            if lost:
                found.problems[number] = lost
    return found


def _meant_agency_columns(header: str, known: list[Column], layout: list[Column | None],
                          own: list[Column]) -> list[str]:
    """The agencies template's headers a header not of it looks meant as: the close ones
    ("Acronyms", "Agency Name (English)"), else those the sheet lacks, in its language ("Web
    site": "Home page")."""
    written = fold(header)
    close = [c.header for c in known if close_ratio(written, fold(c.header)) >= MEANT_CUTOFF
             or f" {fold(c.header)} " in f" {written} "]
    present = {c.key for c in layout if c is not None}
    return list(dict.fromkeys(close or [c.header for c in own if c.key not in present]))[:4]


def _named_agencies(entry: dict[str, Any], described: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
    """The described agencies a survey row names (by id, acronym or name), in sheet order."""
    answers = {fold(str(v)) for f in SURVEY_FIELDS if f.kind == "agency" for v in as_list(entry.get(f.key))}
    answers |= {fold(str(node.get("agency"))) for node in as_list(entry.get("agency_roles"))
                if isinstance(node, dict)}
    named = []
    for _, agency in described:
        names = [agency.get("id"), *as_list(agency.get("acronym")), *as_list(agency.get("name"))]
        if any(fold(split_language(str(n), None)[0]) in answers for n in names if n):
            named.append(agency)
    return named


def _csv_rows(data: bytes, source: str) -> list[tuple[int, list[Any]]]:
    try:
        text = check_text(data, source, kind="a CSV sheet",
                          resave="save it again from the spreadsheet as CSV UTF-8, or give the .xlsx file")
    except InputError as exc:
        if "UTF-8" not in exc.problem:
            raise
        # a spreadsheet user saves the file again (under its own name: NAME-agencies.csv stays beside it)
        raise InputError(source, exc.problem, line=exc.location.line, column=exc.location.column,
                         hint=f'open it in Excel and save it as "CSV UTF-8 (Comma delimited)" under the same name, '
                              f'{Path(source).name} (LibreOffice: Save As, "Text CSV", character set '
                              '"Unicode (UTF-8)")') from exc
    first = text.splitlines()[0] if text else ""
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    limits = current()
    rows: list[tuple[int, list[Any]]] = []
    try:
        for n, cells in enumerate(reader, 1):
            if n > limits.sheet_rows or len(cells) > limits.sheet_columns:
                what = "rows" if n > limits.sheet_rows else "columns"
                raise InputError(source, f"has more {what} than the limit of "
                                 f"{getattr(limits, 'sheet_' + what)} (limit `sheet_{what}`)", line=n,
                                 hint=f"split the sheet, or raise {{--limit sheet_{what}=N|the limit sheet_{what}}}")
            rows.append((n, cells))
    except csv.Error as exc:
        raise InputError(source, f"is not valid CSV ({exc})", line=reader.line_num) from exc
    return rows


@dataclass(frozen=True)
class CellProblem:
    row: int  # 0: about the workbook, not one of its rows
    column: str | None
    message: str
    severity: str = "violation"

    def __str__(self) -> str:
        return self.text()

    def text(self, lang: str = "en") -> str:
        if not self.row:  # about the workbook, not a row of the sheet read
            return translate(self.message, lang)
        where = message("where.row", lang, row=self.row)
        if self.column:
            where += ", " + message("where.column", lang, column=self.column)
        return f"{where}: {translate(self.message, lang)}"


@dataclass
class RowResult:
    row: int
    id: str | None
    problems: list[CellProblem] = field(default_factory=list)
    imported: Imported | None = None

    @property
    def ok(self) -> bool:
        return self.imported is not None and not any(p.severity == "violation" for p in self.problems)


@dataclass
class SheetResult:
    source: str
    rows: list[RowResult]
    problems: list[CellProblem] = field(default_factory=list)  # about the sheet itself
    notes: list[str] = field(default_factory=list)  # what the contributor may want to know (English)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows) and not any(p.severity == "violation" for p in self.problems)

    def exit_code(self) -> int:
        return 0 if self.ok else 1


def import_sheet(path: Path, reference: Reference, *, lang: str = "en",
                 catalogue: Catalogue | None = None, progress: Progress | None = None) -> SheetResult:
    """Each row of a sheet -> a checked record; problems by row and column."""
    read, rows = read_sheet(path)
    result = SheetResult(str(path), [])
    index = header_index(reference)
    if read is not None:
        for name in _unread_survey_sheets(path, read, index):
            result.problems.append(CellProblem(0, None, f'the sheet "{name}" has survey rows too, and only the '
                                               f'sheet "{read}" is read: move its rows to "{read}", or save it as '
                                               "a workbook of its own and import that"))
    if not rows:
        raise InputError(str(path), "is empty", hint="start from `migrmeta template --format xlsx`")
    header_row, headers = rows[0]
    layout: list[Column | None] = []
    marks: list[str | None] = []  # a text column's own language: "1. Title [es]"
    meant: list[list[str]] = []  # an unknown column's headers of the template it looks meant as
    doubled: list[bool] = []  # a template column's second appearance (its cells would be lost)
    unheaded: list[bool] = []  # a column without a header (its cells would be lost)
    for raw in headers:
        text = str(raw).strip() if raw is not None else ""
        mark = _HEADER_LANG.search(text)
        marks.append(mark.group(1).lower() if mark else None)
        text = text[: mark.start()] if mark else text
        col = index.get(fold(text)) if text else None
        if col is None and text:
            col = index.get(fold(re.sub(r"^\d+\.\s*", "", text)))
        twice = col is not None and any(c is not None and c.key == col.key for c in layout)
        if twice:  # said once, here: not also "not a column of the template" (it is one) below
            result.problems.append(CellProblem(header_row, text, message("sheet.column_twice", "en")))
            col = None
        elif col is not None:  # named as the sheet heads it: "4. Série" and "4. Serie" fold alike
            col = replace(col, header=text.strip())
        layout.append(col)
        doubled.append(twice)
        unheaded.append(not text and mark is None)
        meant.append(_meant_columns(text, reference, lang) if col is None and text and not twice else [])
        if col is None and text and not meant[-1] and not twice:
            result.problems.append(CellProblem(header_row, text, "not a column of the template; "
                                               "its cells are not imported", "warning"))
    id_col = next((c for c in layout if c is not None and c.field is None), None)
    if id_col is None:
        raise InputError(str(path), f"has no \"{ID_HEADER}\" column in its first row",
                         hint="start from `migrmeta template --format xlsx`")
    vocab = Vocabulary(reference, lang)
    agency_rows = agency_entries(path, reference, lang)
    where, described = agency_rows.where, agency_rows.entries
    row_of = {str(entry.get("id")): number for number, entry in described}
    for number, entry in described:  # said once, at the sheet; and at each survey row naming it
        result.problems += [CellProblem(0, None, f"{_agency_place(where, number, str(entry.get('id')), lang)}: "
                                                 f"{translate(text, lang)}")
                            for text in agency_rows.problems.get(number, [])]
    named_anywhere: set[str] = set()
    workbook = is_workbook(path)
    if workbook:
        hint = f'describe it on the sheet "{AGENCY_SHEET}" of this workbook, one row per agency'
    else:
        hint = f"describe it in {agencies_csv(path).name}, beside this file, one row per agency"
        if not agencies_csv(path).is_file():
            result.notes.append(f"no {agencies_csv(path).name} beside this file: agencies the catalogue does not "
                                "know can be described there, one row per agency (`migrmeta template --format csv "
                                f"-o {path.name}` writes it)")
    builders: list[tuple[str, Builder]] = []
    by_row: dict[str, RowResult] = {}
    for number, cells in rows[1:]:
        filled = {col: _in_language(col, cell_value(v), mark)
                  for col, v, mark in zip(layout, cells, marks, strict=False) if col is not None}
        extra = [v for v in cells[len(headers):] if cell_value(v) is not None]
        lost_cells = [n for n, v in enumerate(cells) if cell_value(v) is not None
                      and ((n < len(headers) and (doubled[n] or unheaded[n])) or (n >= len(headers) and workbook))]
        if not any(v is not None for v in filled.values()) and not extra and not lost_cells:
            continue
        ident = filled.get(id_col)
        if isinstance(ident, str) and ident.startswith(SKIP):
            continue
        row = RowResult(number, str(ident) if ident is not None else None)
        result.rows.append(row)
        lost = [(str(headers[n]).strip(), guesses) for n, (guesses, v) in enumerate(zip(meant, cells, strict=False))
                if guesses and cell_value(v) is not None]
        # an answer under a misspelt header, a header given twice, or none: refused, as a form's
        # unknown key is, never dropped
        row.problems += [CellProblem(number, header, message("sheet.lost_column", "en", hint=_did_you_mean(guesses)))
                         for header, guesses in lost]
        row.problems += [_lost_cell(number, n, headers, doubled) for n in lost_cells]
        if row.problems:
            continue
        if extra and not workbook:  # a cell cut in two at a separator: the values after it are shifted
            row.problems.append(CellProblem(number, None, message("sheet.too_many_cells", "en", count=len(extra))))
            continue
        known = catalogue.agencies() if catalogue else Agencies()
        known.add_hint = hint
        builder = Builder(vocab, known, lang)
        entry, problems = row_to_entry(filled)
        named = _named_agencies(entry, described)
        named_anywhere.update(str(a.get("id")) for a in named)
        broken = [(row_of[str(a.get("id"))], str(a.get("id"))) for a in named
                  if row_of.get(str(a.get("id"))) in agency_rows.problems]
        if broken:  # an agency whose row loses an answer: its surveys wait for it, as they would for a survey's
            row.problems += [CellProblem(number, None, f"{_agency_place(where, n, ident, lang)}: "
                                                       f"{message('sheet.agency_row_loses', lang)}")
                             for n, ident in broken]
            continue
        builder.add_form({**entry, "agencies": named} if named else entry)
        for key, text in problems:
            builder.problem(0, key, text)
        builders.append((f"row {number}", builder))
        by_row[f"row {number}"] = row
    present = {c.key: c for c in layout if c is not None}
    every = {**{c.key: c for c in columns(reference, lang)}, **present}
    checked = finish(builders, reference, lang=lang, catalogue=catalogue, progress=progress, medium="sheet")
    for number, entry in described:  # described, but written nowhere: said, not dropped in silence
        agency_id = str(entry.get("id"))
        if agency_id not in named_anywhere and number not in agency_rows.problems:
            result.problems.append(CellProblem(0, None, f"{_agency_place(where, number, agency_id, lang)}: "
                                                        f"{message('sheet.agency_not_named', lang)}", "warning"))
    warned: set[str] = set()  # an agency's warnings, said at the first row naming it
    for imported, (source, builder) in zip(checked, builders, strict=True):
        row = by_row[source]
        row.problems = []
        for problem in imported.problems:
            if not _about_an_agency(problem, builder):
                row.problems.append(_cell_problem(row.row, problem, present, every))
                continue
            said = _agency_problem(row.row, problem, builder, where, row_of, reference, lang)
            if said.severity == "warning":  # about the agency's row, not this one: once is enough
                if said.message in warned:  # (an error stays on every row: it refuses each)
                    continue
                warned.add(said.message)
            row.problems.append(said)
        row.imported = imported
    return result


def _unread_survey_sheets(path: Path, read: str, index: dict[str, Column]) -> list[str]:
    """The workbook's other visible sheets that hold survey rows (an id under the survey id's header)."""
    def id_column(head: list[Any]) -> int | None:
        return next((n for n, v in enumerate(head) if v is not None and (c := index.get(fold(str(v)))) is not None
                     and c.field is None), None)

    return [name for name in sheets_with_rows(read_bounded(path), str(path), id_column, SKIP) if name != read]


_HEADER_LANG = re.compile(r"\s*\[([A-Za-z]{2,3})\]$")
_ITEM_NUMBER = re.compile(r"^(\d{1,2})\s*[.)]")
MEANT_CUTOFF = 0.85  # a whole header this close to a template's is taken as meant for it


def _meant_columns(header: str, reference: Reference, lang: str) -> list[str]:
    """The template's headers an unknown header looks meant as, in the language it is closest to:
    the same item's ("2. Purpose of the survey" -> "2. Purpose": a header of the item it is
    numbered with, within it or nearly it), or a header nearly the same as a whole ("Citatons",
    "14. Researchers access"); a header numbered with an item and like none of its columns is
    meant as one of them all the same ("4. End date", "3. Country": the item's columns, closest
    first). [] for a column of the user's own ("Notes", "Year", "Checked by"): only a whole
    header close enough, or an item's number, refuses a row, never a shared word."""
    written = fold(re.sub(r"^\d+\s*[.)]\s*", "", header))
    number = _ITEM_NUMBER.match(header)
    scored: dict[str, float] = {}
    for language in (lang, *(x for x in ("en", "fr", "es") if x != lang)):
        for col in columns(reference, language):
            name = fold(re.sub(r"^\d+\.\s*", "", col.header))
            own = _ITEM_NUMBER.match(col.header)
            score = close_ratio(written, name)
            if number and own and own.group(1) == number.group(1) and f" {name} " in f" {written} ":
                score = max(score, 0.9)  # the item's header, with words of the user's own around it
            elif number and (not own or own.group(1) != number.group(1)):
                score = 0.0  # numbered with another item: not meant as this column
            if score >= MEANT_CUTOFF:
                scored[col.header] = max(score, scored.get(col.header, 0.0))
    if not scored and number:  # numbered with an item, and none of its columns: meant as one of them
        # ("4. End date", "3. Country", "10. Migrant types"), in the sheet's language, closest first
        for col in columns(reference, lang):
            own = _ITEM_NUMBER.match(col.header)
            if own and own.group(1) == number.group(1):
                name = fold(re.sub(r"^\d+\.\s*", "", col.header))
                shared = len(set(re.findall(r"\w+", written)) & set(re.findall(r"\w+", name)))
                scored[col.header] = shared + close_ratio(written, name)  # a word in common first ("end")
    return sorted(scored, key=lambda h: -scored[h])[:4]


def _lost_cell(row: int, index: int, headers: list[Any], doubled: list[bool]) -> CellProblem:
    """A cell whose answer the sheet's columns cannot take: under a header given twice, or none."""
    if index < len(doubled) and doubled[index]:
        return CellProblem(row, str(headers[index]).strip(), message("sheet.second_column", "en"))
    return CellProblem(row, None, message("sheet.no_header", "en", column=get_column_letter(index + 1)))


def _did_you_mean(headers: list[str]) -> str:
    return message("report.did_you_mean", "en", suggestions=" / ".join(f'"{h}"' for h in headers))


def _in_language(col: Column, value: Any, lang: str | None) -> Any:
    """A text cell of a column headed with a language ("1. Title [es]") is in that language."""
    if lang is None or not isinstance(value, str) or col.answer is None or col.answer.kind != "text":
        return value
    return value if value.startswith("[") else f"[{lang}] {value}"


def _about_an_agency(problem: Problem, builder: Builder) -> bool:
    return problem.entity is not None and builder.entities[problem.entity][0] == "agencies"


def _agency_problem(row: int, problem: Problem, builder: Builder, where: str, rows: dict[str, int],
                    reference: Reference, lang: str) -> CellProblem:
    """A problem with an agency a survey row names: said at the agency's own row and column."""
    assert problem.entity is not None
    data = builder.entities[problem.entity][1]
    ident = str(data.get("id")) if isinstance(data, dict) else "?"
    column = next((c.header for c in agency_columns(reference, lang) if c.key == (problem.key or "")), None)
    place = _agency_place(where, rows.get(ident, "?"), ident, lang)
    if column:
        place += ", " + message("where.column", lang, column=column)
    return CellProblem(row, None, f"{place}: {translate(problem.message, lang)}", problem.severity)


def _agency_place(where: str, row: int | str, ident: str, lang: str) -> str:
    """`surveys-agencies.csv, row 2 (agency "ansd")`, in `lang`."""
    return message("where.agency", lang, where=translate(where, lang), row=row, id=ident)


def _column_of(key: str, cols: dict[str, Column]) -> Column | None:
    head = key.split(".")[0]
    return cols.get(key) or next((c for k, c in cols.items() if k.split(".")[0] == head), None)


def _cell_problem(row: int, problem: Problem, present: dict[str, Column],
                  every: dict[str, Column]) -> CellProblem:
    """A problem at a form key -> at a column; one the sheet lacks is named as the template's."""
    key = problem.key or ""
    col = _column_of(key, present) if key else None
    message = re.sub(r'"([a-z_]+(?:\.[a-z_]+)?)"',
                     lambda m: f'"{every[m.group(1)].header}"' if m.group(1) in every else m.group(0),
                     problem.message)
    if col is None and key:
        missing = _column_of(key, every)
        if missing is None:
            return CellProblem(row, None, f"{key}: {message}", problem.severity)
        return CellProblem(row, missing.header, f"{message} (add this column: it is in the template)",
                           problem.severity)
    return CellProblem(row, col.header if col else None, message, problem.severity)


# --- templates ------------------------------------------------------------------------------------


__all__ = [
    "AGENCY_ID_HEADER", "AGENCY_SHEET", "ID_HEADER", "CellProblem", "Column", "RowResult", "SheetResult",
    "agencies_csv", "agency_columns", "agency_entries", "columns", "entry_to_row", "import_sheet", "label", "read_rows",
    "row_to_entry",
]


def read_sheet_file(source: str, *, reference: Reference | None = None, lang: str = "en",
                    catalogue: Catalogue | None = None, progress: Progress | None = None) -> Batch:
    """The converter's reader (formats/registry.py): each good row -> a draft; problems by row and column."""
    result = import_sheet(Path(source), reference or load_reference(), lang=lang, catalogue=catalogue,
                          progress=progress)
    batch = Batch(messages=[Message("note", translate(n, lang), source) for n in result.notes]
                  + [Message(p.severity, p.text(lang), source) for p in result.problems], units=len(result.rows))
    for row in result.rows:
        batch.messages.extend(Message(p.severity, p.text(lang), source) for p in row.problems)
        if row.ok and row.imported is not None and row.id:
            graph = row.imported.graph
            name = Path(source).name
            batch.drafts.append(Draft(top_subject(graph), row.id, graph, LossReport(source, "sheet"),
                                      [f"Written by migrmeta from {name}, row {row.row}; check it with "
                                       "`migrmeta validate`."], origin=f"row {row.row}"))
    return batch
