"""Spreadsheets (CSV, XLSX): one row per survey, one column per answer of the form.

The columns are the form's field table flattened: a header carries the item number and name
("6. Type of sample"); a nested answer gets one column per part ("4. Time frame: start");
several values in one cell are separated by ";", and the parts of several identification
methods line up by position ("citizenship; country-of-birth" / "12; "). Each row goes through
the same importer as a form, so problems come back as row and column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Literal

from migrmeta.errors import InputError
from migrmeta.formats.exporting import top_subject
from migrmeta.formats.forms.answers import Catalogue, Vocabulary
from migrmeta.formats.forms.form import SURVEY_FIELDS, Builder, Field, Imported, Problem, field_by_key, finish
from migrmeta.formats.forms.xlsx import xlsx_rows
from migrmeta.formats.harmonize import Draft
from migrmeta.formats.importing import Batch, Message
from migrmeta.formats.loss import LossReport
from migrmeta.limits import current
from migrmeta.load import read_bounded
from migrmeta.load.reference import Reference, load_reference
from migrmeta.namespaces import RDFS, SH
from migrmeta.rdf.encoding import check_text
from migrmeta.values.text import fold

ID_HEADER = "Survey id"
SKIP = "#"  # a row whose id starts with this is a comment (the template's example row)
_LANG_PART = re.compile(r";\s*(?=\[[A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*\])")


@dataclass(frozen=True)
class Column:
    """One column: a field of the form, or one part of a nested field."""

    header: str
    field: Field | None  # None: the survey id
    sub: Field | None = None

    @property
    def key(self) -> str:
        if self.field is None:
            return "id"
        return f"{self.field.key}.{self.sub.key}" if self.sub else self.field.key

    @property
    def answer(self) -> Field | None:
        return self.sub or self.field


def label(reference: Reference, f: Field, lang: str = "en") -> str:
    """A field's name: the shapes' sh:name, else the ontology's rdfs:label, else its key."""
    names: dict[str, list[str]] = {}
    for shape in reference.shapes.subjects(SH.path, f.prop):
        for name in reference.shapes.objects(shape, SH.name):
            if isinstance(name, Literal):
                names.setdefault(name.language or "en", []).append(str(name))
    for name in reference.graph.objects(f.prop, RDFS.label):
        if isinstance(name, Literal) and not names.get(name.language or "en"):
            names.setdefault(name.language or "en", []).append(str(name))
    found = names.get(lang) or names.get("en")
    return min(found, key=lambda n: (len(n), n)) if found else f.key.replace("_", " ")


def columns(reference: Reference, lang: str = "en") -> list[Column]:
    """The sheet's columns, in questionnaire order: "6. Type of sample" (item and field name)."""
    found = [Column(ID_HEADER, None)]
    for f in SURVEY_FIELDS:
        if not f.sheet:
            continue
        name = label(reference, f, lang)
        head = f"{f.item}. {name[:1].upper()}{name[1:]}" if f.item else name[:1].upper() + name[1:]
        if any(c.header == head for c in found):
            head = f"{head} ({f.key})"
        if f.kind == "node":
            found += [Column(f"{head}: {label(reference, sub, lang)}", f, sub) for sub in f.fields]
        else:
            found.append(Column(head, f))
    return found


def _header_index(reference: Reference) -> dict[str, Column]:
    """Every accepted spelling of a header (3 languages, with or without number, key)."""
    index: dict[str, Column] = {}
    for lang in ("fr", "es", "en"):
        for col in columns(reference, lang):
            for spelling in (col.header, re.sub(r"^\d+\.\s*", "", col.header), col.key):
                index[fold(spelling)] = col
    return index


# --- cells <-> a form entry ------------------------------------------------------------------


def _cell(value: Any) -> Any:
    """A cell as the importer takes it: text stripped, whole floats as ints, None if empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip() or None
    return value


def _parts(value: Any, sep: str = ";") -> list[Any]:
    if not isinstance(value, str):
        return [value]
    return [p.strip() for p in value.split(sep)]


def row_to_entry(cells: dict[Column, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The filled cells of a row -> a form entry (one survey) and (key, problem) pairs.

    Parts of a nested answer line up by position: the first part (the criterion, the agency)
    says how many there are; a text with its own ';' is taken whole when there is one.
    """
    entry: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    problems: list[tuple[str, str]] = []
    for col, value in cells.items():
        if value is None:
            continue
        f = col.field
        if f is None:
            entry["id"] = value
        elif col.sub is not None and f.multi:
            nested.setdefault(f.key, {})[col.sub.key] = value
        elif col.sub is not None:
            entry.setdefault(f.key, {})[col.sub.key] = _split_cell(col.sub, value)
        else:
            entry[f.key] = _split_cell(f, value)
    for key, cells_of in nested.items():
        f = field_by_key(SURVEY_FIELDS, key)
        if f is None:
            continue
        anchor = cells_of.get(f.fields[0].key)
        count = len(_parts(anchor)) if anchor is not None else 1
        parts: dict[str, list[Any]] = {}
        for sub_key, value in cells_of.items():
            split = _parts(value)
            sub = field_by_key(f.fields, sub_key)
            if sub is not None and sub.kind == "text" and len(split) != count:
                if count > 1:
                    problems.append((f"{key}.{sub_key}", f"{len(split)} parts for {count} answers "
                                     "in the first column of this question: give one per answer, "
                                     "separated by ';' (and no ';' inside one)"))
                    continue
                split = [value]
            parts[sub_key] = split
        entry[key] = []
        for n in range(max((len(v) for v in parts.values()), default=0)):
            node: dict[str, Any] = {}
            for sub_key, values in parts.items():
                value = values[n] if n < len(values) else None
                sub = field_by_key(f.fields, sub_key)
                if value not in (None, "") and sub is not None:
                    node[sub_key] = _split_cell(sub, value, inner=True)
            entry[key].append(node)
    return entry, problems


def _split_cell(f: Field, value: Any, inner: bool = False) -> Any:
    if not isinstance(value, str):
        return value
    if f.multi:
        return [p for p in _parts(value, "," if inner else ";") if p]
    if f.kind == "text":
        pieces = [p.strip() for p in _LANG_PART.split(value) if p.strip()]
        return pieces if len(pieces) > 1 else value
    return value


def entry_to_row(entry: dict[str, Any], cols: Sequence[Column]) -> list[str]:
    """A form entry -> the cells of a row (for the template's example)."""
    row = []
    for col in cols:
        if col.field is None:
            row.append(str(entry.get("id", "")))
            continue
        value = entry.get(col.field.key)
        if col.sub is not None and isinstance(value, list):
            parts = [_cell_text(v.get(col.sub.key), ", ") if isinstance(v, dict) else "" for v in value]
            row.append("; ".join(parts) if any(parts) else "")
        elif col.sub is not None:
            row.append(_cell_text(value.get(col.sub.key) if isinstance(value, dict) else None))
        else:
            row.append(_cell_text(value))
    return row


def _cell_text(value: Any, sep: str = "; ") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return sep.join(_cell_text(v) for v in value)
    if isinstance(value, dict):
        if "value" in value:
            return str(value["value"])
        langs = sorted(value, key=lambda k: k != "en")
        return "; ".join((f"[{k}] " if k != "en" else "") + _cell_text(value[k]) for k in langs)
    return str(value)


# --- reading a sheet ---------------------------------------------------------------------------


def read_rows(path: Path) -> list[tuple[int, list[Any]]]:
    """(spreadsheet row number, cells) of a CSV or XLSX file, header row first."""
    suffix = path.suffix.lower()
    data = read_bounded(path)
    if suffix in (".xlsx", ".xlsm"):
        return xlsx_rows(data, str(path))
    if suffix in (".csv", ".tsv", ".txt"):
        return _csv_rows(data, str(path))
    raise InputError(str(path), f"unknown spreadsheet type {suffix or '(no extension)'!r}",
                     hint="save the sheet as .xlsx or .csv")


def _csv_rows(data: bytes, source: str) -> list[tuple[int, list[Any]]]:
    text = check_text(data, source)
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
    row: int
    column: str | None
    message: str
    severity: str = "violation"

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column \"{self.column}\"" if self.column else "")
        return f"{where}: {self.message}"


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

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows) and not any(p.severity == "violation" for p in self.problems)

    def exit_code(self) -> int:
        return 0 if self.ok else 1


def import_sheet(path: Path, reference: Reference, *, lang: str = "en",
                 catalogue: Catalogue | None = None) -> SheetResult:
    """Each row of a sheet -> a checked record; problems by row and column."""
    rows = read_rows(path)
    result = SheetResult(str(path), [])
    if not rows:
        raise InputError(str(path), "is empty", hint="start from `migrmeta template --format xlsx`")
    header_row, headers = rows[0]
    index = _header_index(reference)
    layout: list[Column | None] = []
    for raw in headers:
        text = str(raw).strip() if raw is not None else ""
        col = index.get(fold(text)) if text else None
        if col is None and text:
            col = index.get(fold(re.sub(r"^\d+\.\s*", "", text)))
        if col is not None and col in layout:
            result.problems.append(CellProblem(header_row, text, "this column appears twice"))
            col = None
        layout.append(col)
        if col is None and text:
            result.problems.append(CellProblem(header_row, text, "not a column of the template; "
                                               "its cells are not imported", "warning"))
    id_col = next((c for c in layout if c is not None and c.field is None), None)
    if id_col is None:
        raise InputError(str(path), f"has no \"{ID_HEADER}\" column in its first row",
                         hint="start from `migrmeta template --format xlsx`")
    vocab = Vocabulary(reference)
    known = catalogue.agencies() if catalogue else None  # a sheet names agencies, never adds them
    builders: list[tuple[str, Builder]] = []
    by_row: dict[str, RowResult] = {}
    for number, cells in rows[1:]:
        filled = {col: _cell(v) for col, v in zip(layout, cells, strict=False) if col is not None}
        if not any(v is not None for v in filled.values()):
            continue
        ident = filled.get(id_col)
        if isinstance(ident, str) and ident.startswith(SKIP):
            continue
        row = RowResult(number, str(ident) if ident is not None else None)
        result.rows.append(row)
        builder = Builder(vocab, known)
        entry, problems = row_to_entry(filled)
        builder.add_form(entry)
        for key, message in problems:
            builder.problem(0, key, message)
        builders.append((f"row {number}", builder))
        by_row[f"row {number}"] = row
    present = {c.key: c for c in layout if c is not None}
    every = {**{c.key: c for c in columns(reference, lang)}, **present}
    checked = finish(builders, reference, lang=lang, catalogue=catalogue)
    for imported, (source, _) in zip(checked, builders, strict=True):
        row = by_row[source]
        row.problems = [_cell_problem(row.row, p, present, every) for p in imported.problems]
        row.imported = imported
    return result


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
    "ID_HEADER", "CellProblem", "Column", "RowResult", "SheetResult",
    "columns", "entry_to_row", "import_sheet", "label", "read_rows",
    "row_to_entry",
]


def read_sheet_file(source: str, *, reference: Reference | None = None, lang: str = "en",
                    catalogue: Catalogue | None = None) -> Batch:
    """The converter's reader (formats/registry.py): each good row -> a draft; problems by row and column."""
    result = import_sheet(Path(source), reference or load_reference(), lang=lang, catalogue=catalogue)
    batch = Batch(messages=[Message(p.severity, str(p), source) for p in result.problems], units=len(result.rows))
    for row in result.rows:
        batch.messages.extend(Message(p.severity, str(p), source) for p in row.problems)
        if row.ok and row.imported is not None and row.id:
            graph = row.imported.graph
            name = Path(source).name
            batch.drafts.append(Draft(top_subject(graph), row.id, graph, LossReport(source, "sheet"),
                                      [f"Written by migrmeta from {name}, row {row.row}; check it with "
                                       "`migrmeta validate`."], origin=f"row {row.row}"))
    return batch
