"""The columns of a spreadsheet and its cells <-> a form entry (one survey per row).

The columns are the form's field table flattened: a header carries the item number and name
("6. Type of sample"), in the chosen language; a nested answer gets one column per part
("4. Time frame: start"); several values in one cell are separated by ";", the parts of several
identification methods line up by position. The Agencies sheet has a column per field of an
agency. sheet.py reads the files, template.py writes them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import Literal

from migrmeta.formats.forms.form import AGENCY_FIELDS, SURVEY_FIELDS, Field, field_by_key
from migrmeta.load.reference import Reference
from migrmeta.messages import catalogue, message
from migrmeta.namespaces import RDFS, SH
from migrmeta.values.text import fold

ID_HEADER = "Survey id"
AGENCY_ID_HEADER = "Agency id"
AGENCY_SHEET = "Agencies"
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
    found = names.get(lang)
    if not found and f"field.{f.key}" in catalogue():  # a term the ontology and shapes leave unnamed
        return message(f"field.{f.key}", lang)
    found = found or names.get("en")
    return min(found, key=lambda n: (len(n), n)) if found else f.key.replace("_", " ")


def columns(reference: Reference, lang: str = "en") -> list[Column]:
    """The sheet's columns, in questionnaire order: "6. Type of sample" (item and field name)."""
    found = [Column(message("column.survey_id", lang), None)]
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


def agency_columns(reference: Reference, lang: str = "en") -> list[Column]:
    """The columns of the Agencies sheet: the agency's id, then its fields."""
    found = [Column(message("column.agency_id", lang), None)]
    for f in AGENCY_FIELDS:
        if f.ask:
            name = label(reference, f, lang)
            found.append(Column(name[:1].upper() + name[1:], f))
    return found


def header_index(reference: Reference) -> dict[str, Column]:
    """Every accepted spelling of a header (3 languages, with or without number, key)."""
    index: dict[str, Column] = {}
    for lang in ("fr", "es", "en"):
        for col in columns(reference, lang):
            for spelling in (col.header, re.sub(r"^\d+\.\s*", "", col.header), col.key):
                index[fold(spelling)] = col
    return index


# --- cells <-> a form entry ------------------------------------------------------------------


def cell_value(value: Any) -> Any:
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
            entry.setdefault(f.key, {})[col.sub.key] = split_cell(col.sub, value)
        else:
            entry[f.key] = split_cell(f, value)
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
                    problems.append((f"{key}.{sub_key}", f"this column gives {len(split)} against {count} "
                                     "in the first column of this question: give one per answer, "
                                     "separated by ';' (and no ';' inside one)"))
                    continue
                split = [value]
            elif sub is not None and (len(split) > count or (len(split) < count and count > 1)):
                # roles 'conductor; funder' for one agency, or 'conductor' for two agencies; a minimum age
                # '15' for two criteria was the first one's alone, in silence (a reviewer's find): each
                # answer is given its place, an empty one for an answer without ('15;')
                places = len(split) < count and sub.ask != "required"
                problems.append((f"{key}.{sub_key}", f"this column gives {len(split)} against {count} "
                                 "in the first column of this question: give one per answer, separated by ';' "
                                 + ("(an answer without one keeps its place, left empty: '15;')" if places else
                                    "(several values of one answer are separated by ',')")))
                continue
            parts[sub_key] = split
        entry[key] = []
        for n in range(max((len(v) for v in parts.values()), default=0)):
            node: dict[str, Any] = {}
            for sub_key, values in parts.items():
                value = values[n] if n < len(values) else None
                sub = field_by_key(f.fields, sub_key)
                if value not in (None, "") and sub is not None:
                    node[sub_key] = split_cell(sub, value, inner=True)
            entry[key].append(node)
    return entry, problems


def split_cell(f: Field, value: Any, inner: bool = False) -> Any:
    if not isinstance(value, str):
        return value
    if f.multi:
        return [p for p in _parts(value, "," if inner else f.cell_separator) if p]
    if f.kind == "text":
        pieces = [p.strip() for p in _LANG_PART.split(value) if p.strip()]
        return pieces if len(pieces) > 1 else value
    return value


def entry_to_row(entry: dict[str, Any], cols: Sequence[Column], lang: str = "en") -> list[str]:
    """A form entry -> the cells of a row (for the template's example, in `lang`)."""
    row = []
    for col in cols:
        if col.field is None:
            row.append(str(entry.get("id", "")))
            continue
        value = entry.get(col.field.key)
        if col.sub is not None and isinstance(value, list):
            parts = [cell_text(v.get(col.sub.key), ", ", lang) if isinstance(v, dict) else "" for v in value]
            row.append("; ".join(parts) if any(parts) else "")
        elif col.sub is not None:
            row.append(cell_text(value.get(col.sub.key) if isinstance(value, dict) else None, lang=lang))
        else:
            separator = "\n" if col.field.cell_separator == "\n" else f"{col.field.cell_separator} "
            row.append(cell_text(value, separator, lang))
    return row


def cell_text(value: Any, sep: str = "; ", lang: str = "en") -> str:
    """An answer as a cell: lists joined, yes and no in `lang`, texts of other languages marked."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return message("answer.yes" if value else "answer.no", lang)
    if isinstance(value, list):
        return sep.join(cell_text(v, lang=lang) for v in value)
    if isinstance(value, dict):
        if "value" in value:
            return str(value["value"])
        langs = sorted(value, key=lambda k: k != "en")
        return "; ".join((f"[{k}] " if k != "en" else "") + cell_text(value[k], lang=lang) for k in langs)
    return str(value)
