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
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Literal

from ..errors import InputError
from ..load import check_text, read_input
from ..namespaces import RDFS, SH
from ..reference import Reference
from .answers import Catalogue, Vocabulary, normalize
from .form import (
    SURVEY_FIELDS,
    Builder,
    Field,
    Imported,
    Problem,
    field_by_key,
    finish,
    form_yaml,
    graph_to_form,
    item_texts,
)

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
                index[normalize(spelling)] = col
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
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror})") from exc
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(data, str(path))
    if suffix in (".csv", ".tsv", ".txt"):
        return _csv_rows(data, str(path))
    raise InputError(str(path), f"unknown spreadsheet type {suffix or '(no extension)'!r}",
                     hint="save the sheet as .xlsx or .csv")


def _xlsx_rows(data: bytes, source: str) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(source, f"is not a readable XLSX workbook ({exc})",
                         hint="save it again from your spreadsheet program as .xlsx") from exc
    sheet = book["Surveys"] if "Surveys" in book.sheetnames else book.worksheets[0]
    rows = [(n, list(cells)) for n, cells in enumerate(sheet.iter_rows(values_only=True), 1)]
    book.close()
    return rows


def _csv_rows(data: bytes, source: str) -> list[tuple[int, list[Any]]]:
    text = check_text(data, source)
    first = text.splitlines()[0] if text else ""
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return [(n, list(cells)) for n, cells in enumerate(reader, 1)]
    except csv.Error as exc:
        raise InputError(source, f"is not valid CSV ({exc})", line=reader.line_num) from exc


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
        col = index.get(normalize(text)) if text else None
        if col is None and text:
            col = index.get(normalize(re.sub(r"^\d+\.\s*", "", text)))
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

EXAMPLE_SURVEY = "ph-sof-2019"
_FIXED_TIME = (2007, 11, 26, 0, 0, 0)  # the questionnaire's meeting: any constant keeps output stable


def example_entry(reference: Reference, path: Path | None, survey: str = EXAMPLE_SURVEY
                  ) -> dict[str, Any] | None:
    """The form entry of a real survey, to show how a filled row or form looks."""
    if path is None or not path.is_file():
        return None
    graph = read_input(str(path)).graph
    form = graph_to_form(graph, Vocabulary(reference), str(path))
    entries = form.get("surveys", [form]) if "surveys" in form or "series" in form else [form]
    return next((e for e in entries if e.get("id") == survey), entries[0] if entries else None)


def allowed(vocab: Vocabulary, f: Field, agencies: Sequence[str] = ()) -> list[str]:
    """The drop-down values of a field: English labels (codes where a label is ambiguous)."""
    if f.kind == "boolean":
        return ["yes", "no"]
    if f.kind == "agency":
        return list(agencies)
    if f.kind not in ("concept", "country"):
        return []
    scheme = f.scheme or "country"
    values = []
    for choice in vocab.choices(scheme):
        try:
            ok = str(vocab.concept(scheme, choice.label)) == choice.iri
        except ValueError:
            ok = False
        values.append(choice.label if ok else choice.code)
    return values


def template_csv(reference: Reference, example: dict[str, Any] | None, lang: str = "en") -> bytes:
    cols = columns(reference, lang)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in cols])
    if example:
        writer.writerow(_example_cells(example, cols))
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def _example_cells(example: dict[str, Any], cols: Sequence[Column]) -> list[str]:
    cells = entry_to_row(example, cols)
    cells[0] = f"{SKIP} example: {cells[0]}"
    return cells


def template_xlsx(reference: Reference, example: dict[str, Any] | None, lang: str = "en",
                  agencies: Sequence[str] = (), rows: int = 500) -> bytes:
    """An XLSX template: headers with the questions as notes, the example row, drop-down lists."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    vocab = Vocabulary(reference)
    cols = columns(reference, lang)
    items = item_texts(reference, lang)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Surveys"
    lists = book.create_sheet("Lists")
    lists.sheet_state = "hidden"
    list_ranges: dict[str, str] = {}
    for n, col in enumerate(cols, 1):
        cell = sheet.cell(row=1, column=n, value=col.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        answer = col.answer
        if answer is not None and answer.item in items:
            cell.comment = Comment(f"Item {answer.item}: {items[answer.item][1]}", "migrmeta",
                                   height=120, width=300)
        letter = get_column_letter(n)
        sheet.column_dimensions[letter].width = 40 if answer and answer.kind == "text" else 22
        values = allowed(vocab, answer, agencies) if answer is not None else []
        if not values:
            continue
        name = answer.scheme or answer.kind if answer else ""
        if name not in list_ranges:
            column = len(list_ranges) + 1
            lists.cell(row=1, column=column, value=name)
            for i, value in enumerate(values, 2):
                lists.cell(row=i, column=column, value=value)
            list_letter = get_column_letter(column)
            list_ranges[name] = f"Lists!${list_letter}$2:${list_letter}${len(values) + 1}"
        several = answer is not None and (answer.multi or (col.sub is not None and col.field is not None
                                                           and col.field.multi))
        check = DataValidation(type="list", formula1=list_ranges[name], allow_blank=True,
                               showErrorMessage=not several, errorStyle="warning",
                               showInputMessage=True)
        check.promptTitle = col.header[:32]
        check.prompt = ("Pick a value, or type several separated by ;" if several else
                        "Pick a value from the list")
        check.error = "Not in the list: the import will say what is allowed"
        check.add(f"{letter}2:{letter}{rows}")
        sheet.add_data_validation(check)
    if example:
        for n, value in enumerate(_example_cells(example, cols), 1):
            cell = sheet.cell(row=2, column=n, value=value or None)
            cell.font = Font(italic=True, color="808080")
    sheet.freeze_panes = "B2"
    book.properties.creator = "migrmeta"
    out = io.BytesIO()
    book.save(out)
    return _stable_zip(out.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """Rewrite an XLSX with fixed timestamps, so one template is byte-identical to the next."""
    stamp = "2007-11-26T00:00:00Z"
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" +
                                 stamp.encode(), content)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, content)
    return out.getvalue()


def template_yaml(reference: Reference, example: dict[str, Any] | None, lang: str = "en",
                  agencies: Sequence[str] = ()) -> str:
    """An empty form: every key, with its question, what it takes and an example as comments."""
    vocab = Vocabulary(reference)
    empty: dict[str, Any] = {"id": None}
    for f in SURVEY_FIELDS:
        if f.sheet:
            blank = {sub.key: None for sub in f.fields}
            empty[f.key] = ([blank] if f.multi else blank) if f.kind == "node" else None

    def notes(f: Field) -> list[str]:
        lines = [f"{f.key}: {_what(f, vocab, agencies)}"]
        shown = example.get(f.key) if example else None
        if shown is not None and f.kind != "node":
            text = _cell_text(shown)
            lines.append(f"  e.g. {text if len(text) < 90 else text[:87] + '...'}")
        if f.kind == "node":
            lines += [f"  {sub.key}: {_what(sub, vocab, agencies)}" for sub in f.fields]
        if f.kind == "concept":
            lines += [f"    {c.code}  ({c.label})" for c in vocab.choices(f.scheme or "")]
        return lines

    header = ("migrmeta survey form: fill in the answers after each key, in plain words.\n"
              "Lists: one answer per line, starting with '- '. Codes or labels (English, French or\n"
              "Spanish) are accepted. Check it with: migrmeta import form THIS-FILE -o my-survey.ttl\n"
              "Guide: docs/contributing-a-survey.md; every key: docs/form-schema.md\n\n"
              "Short id of the survey: lower-case letters, digits and '-' (e.g. ph-sof-2019)")
    return form_yaml(empty, reference, lang=lang, notes=notes, header=header)


def _what(f: Field, vocab: Vocabulary, agencies: Sequence[str]) -> str:
    several = "; several allowed" if f.multi else ""
    if f.kind == "concept":
        return f"a value of the list \"{vocab.title(f.scheme or '')}\" (code or label){several}:"
    what = {
        "text": "text in English (other languages: a line `fr: ...` per language under the key)",
        "string": "text",
        "country": "ISO country code (PHL or PH) or name",
        "agency": "agency id" + (f" ({', '.join(agencies[:6])}, ...)" if agencies else "")
                  + ", acronym or name",
        "survey": "the id of a survey in the catalogue (e.g. ph-lfs)",
        "iri": "a web address (https://...)",
        "date": "a year (2019), a month (2019-10) or a day (2019-10-01)",
        "integer": "a whole number",
        "boolean": "yes or no",
        "node": "one set of the keys below" + ("; several allowed, each starting with '- '"
                                                if f.multi else ""),
    }[f.kind]
    if f.kind == "node":
        return what
    return what + several


__all__ = [
    "EXAMPLE_SURVEY", "ID_HEADER", "CellProblem", "Column", "RowResult", "SheetResult", "allowed",
    "columns", "entry_to_row", "example_entry", "import_sheet", "label", "read_rows",
    "row_to_entry", "template_csv", "template_xlsx", "template_yaml",
]
