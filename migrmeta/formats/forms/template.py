"""Empty templates to fill in: CSV, XLSX (with drop-down lists of allowed values) and YAML.

The columns come from the spreadsheet's column table (sheet.py); one example row holds the
facts of a real record (the Philippines SOF 2019 by default). Every word is in the template's
language: headers, notes, the lists' titles and labels (the vocabularies'), the drop-downs,
the sheets' names and the YAML guidance (messages.toml). Output is byte-stable: the XLSX zip
carries fixed timestamps.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from migrmeta.defaults import EXAMPLE_SURVEY
from migrmeta.errors import UsageError
from migrmeta.formats.forms.answers import Vocabulary
from migrmeta.formats.forms.cells import SKIP, Column, agency_columns, cell_text, columns, entry_to_row
from migrmeta.formats.forms.form import SURVEY_FIELDS, Field, form_yaml, graph_to_form, item_texts
from migrmeta.formats.forms.guide import Guide
from migrmeta.io.cells import csv_cell, xlsx_text
from migrmeta.load import read_input
from migrmeta.load.reference import Reference
from migrmeta.messages import message

_FIXED_TIME = (2007, 11, 26, 0, 0, 0)  # the questionnaire's meeting: any constant keeps output stable


def example_entry(reference: Reference, path: Path | None, survey: str | None = None
                  ) -> dict[str, Any] | None:
    """The form entry of a real survey, to show how a filled row or form looks: `survey` (an
    id of the record; a UsageError when it has none such), else EXAMPLE_SURVEY or the first."""
    if path is None or not path.is_file():
        return None
    graph = read_input(str(path)).graph
    form = graph_to_form(graph, Vocabulary(reference), str(path))
    entries = form.get("surveys", [form]) if "surveys" in form or "series" in form else [form]
    chosen = next((e for e in entries if e.get("id") == (survey or EXAMPLE_SURVEY)), None)
    if chosen is None and survey is not None:
        ids = ", ".join(str(e.get("id")) for e in entries if e.get("id"))
        raise UsageError(f"{path} describes no survey {survey!r}", hint=f"give one of: {ids}" if ids else None)
    return chosen or (entries[0] if entries else None)


def allowed(vocab: Vocabulary, f: Field, agencies: Sequence[str] = ()) -> list[str]:
    """The drop-down values of a field: labels in the vocabulary's language (codes where a
    label is ambiguous)."""
    if f.kind == "boolean":
        return [message("answer.yes", vocab.lang), message("answer.no", vocab.lang)]
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
    writer.writerow([csv_cell(c.header) for c in cols])
    if example:
        writer.writerow([csv_cell(c) for c in _example_cells(example, cols, lang)])
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def _example_cells(example: dict[str, Any], cols: Sequence[Column], lang: str) -> list[str]:
    cells = entry_to_row(example, cols, lang)
    cells[0] = f"{SKIP} " + message("template.example_row", lang, id=cells[0])
    return cells


class _Lists:
    """The hidden sheet of allowed answers: one column per list, written once however many
    columns use it."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.ranges: dict[str, str] = {}

    def range(self, name: str, title: str, values: Sequence[str]) -> str:
        """The cells of the list `name` (headed `title`), written the first time it is asked for."""
        from openpyxl.utils import get_column_letter, quote_sheetname

        if name not in self.ranges:
            column = len(self.ranges) + 1
            xlsx_text(self.sheet.cell(row=1, column=column, value=title))
            for i, value in enumerate(values, 2):
                xlsx_text(self.sheet.cell(row=i, column=column, value=value))
            letter = get_column_letter(column)
            title = str(self.sheet.title)
            sheet = title if title.isalnum() else quote_sheetname(title)
            self.ranges[name] = f"{sheet}!${letter}$2:${letter}${len(values) + 1}"
        return self.ranges[name]


def _header(cell: Any) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    xlsx_text(cell)
    cell.font = Font(bold=True)
    cell.fill = PatternFill("solid", fgColor="DDEBF7")
    cell.alignment = Alignment(wrap_text=True, vertical="top")


def _drop_down(formula: str, cells: str, lang: str, *, header: str | None = None, several: bool = False) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    if header is None:  # the agencies' sheet: a plain list
        check = DataValidation(type="list", formula1=formula, allow_blank=True)
    else:
        check = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=not several,
                               errorStyle="warning", showInputMessage=True)
        check.promptTitle = header[:32]
        check.prompt = message("template.pick_several" if several else "template.pick", lang)
        check.error = message("template.not_listed", lang)
    check.add(cells)
    return check


def _list_title(vocab: Vocabulary, f: Field, lang: str) -> str:
    """The heading of a list on the hidden sheet: the vocabulary's title, or what the field takes."""
    if f.kind in ("concept", "country"):
        return vocab.title(f.scheme or "country")
    return message(f"what.{f.kind}", lang)


def _survey_sheet(sheet: Any, lists: _Lists, reference: Reference, example: dict[str, Any] | None, lang: str,
                  agencies: Sequence[str], rows: int) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    vocab = Vocabulary(reference, lang)
    cols = columns(reference, lang)
    items = item_texts(reference, lang)
    for n, col in enumerate(cols, 1):
        cell = sheet.cell(row=1, column=n, value=col.header)
        _header(cell)
        answer = col.answer
        if answer is not None and answer.item in items:
            cell.comment = Comment(message("template.note", lang, number=answer.item, question=items[answer.item][1]),
                                   "migrmeta", height=120, width=300)
        letter = get_column_letter(n)
        sheet.column_dimensions[letter].width = 40 if answer and answer.kind == "text" else 22
        values = allowed(vocab, answer, agencies) if answer is not None else []
        if answer is None or not values:
            continue
        several = answer.multi or (col.sub is not None and col.field is not None and col.field.multi)
        formula = lists.range(answer.scheme or answer.kind, _list_title(vocab, answer, lang), values)
        sheet.add_data_validation(_drop_down(formula, f"{letter}2:{letter}{rows}", lang, header=col.header,
                                             several=several))
    if example:
        for n, value in enumerate(_example_cells(example, cols, lang), 1):
            cell = sheet.cell(row=2, column=n, value=value or None)
            xlsx_text(cell)  # a title such as =HYPERLINK(...) stays text
            cell.font = Font(italic=True, color="808080")
    sheet.freeze_panes = "B2"


def _agency_sheet(sheet: Any, lists: _Lists, reference: Reference, lang: str, rows: int) -> None:
    """Agencies the catalogue does not know yet, described on their own sheet."""
    from openpyxl.utils import get_column_letter

    vocab = Vocabulary(reference, lang)
    for n, col in enumerate(agency_columns(reference, lang), 1):
        _header(sheet.cell(row=1, column=n, value=col.header))
        letter = get_column_letter(n)
        sheet.column_dimensions[letter].width = 40 if col.field and col.field.kind == "text" else 24
        if col.field is not None and col.field.kind == "concept":
            title = _list_title(vocab, col.field, lang)
            formula = lists.range(col.field.scheme or "", title, allowed(vocab, col.field))
            sheet.add_data_validation(_drop_down(formula, f"{letter}2:{letter}{rows}", lang))
    sheet.freeze_panes = "B2"


def template_xlsx(reference: Reference, example: dict[str, Any] | None, lang: str = "en",
                  agencies: Sequence[str] = (), rows: int = 500) -> bytes:
    """An XLSX template: headers with the questions as notes, the example row, drop-down lists."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = message("template.surveys_sheet", lang)  # the importer reads each language's name
    hidden = book.create_sheet(message("template.lists_sheet", lang))
    hidden.sheet_state = "hidden"
    lists = _Lists(hidden)
    _survey_sheet(sheet, lists, reference, example, lang, agencies, rows)
    _agency_sheet(book.create_sheet(message("template.agencies_sheet", lang), 1), lists, reference, lang, rows)
    book.properties.creator = "migrmeta"
    out = io.BytesIO()
    book.save(out)
    return _stable_zip(out.getvalue())


def template_agencies_csv(reference: Reference, lang: str = "en") -> bytes:
    """The agencies a CSV sheet names and the catalogue does not know: NAME-agencies.csv beside it."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([csv_cell(c.header) for c in agency_columns(reference, lang)])
    return out.getvalue().encode("utf-8-sig")


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
    vocab = Vocabulary(reference, lang)
    guide = Guide(reference, vocab, lang)
    empty: dict[str, Any] = {"language": lang, "id": None}  # the language of the text written in it
    for f in SURVEY_FIELDS:
        if f.sheet:
            blank = {sub.key: None for sub in f.fields}
            empty[f.key] = ([blank] if f.multi else blank) if f.kind == "node" else None

    def notes(f: Field) -> list[str]:
        what = guide.what(f, agencies)
        lines = [f"{f.key}: {what}:" if f.kind == "concept" else f"{f.key}: {what}"]
        shown = example.get(f.key) if example else None
        if shown is not None and f.kind != "node":
            text = cell_text(shown, lang=lang)
            text = text if len(text) < 90 else text[:87] + "..."
            lines.append("  " + message("template.example", lang, example=text))
        if f.kind == "node":
            lines += [f"  {sub.key}: {guide.what(sub, agencies)}" for sub in f.fields]
        if f.kind == "concept":
            lines += [f"    {c.code}  ({c.label})" for c in vocab.choices(f.scheme or "")]
        return lines

    return form_yaml(empty, reference, lang=lang, notes=notes, header=message("template.form_header", lang))
