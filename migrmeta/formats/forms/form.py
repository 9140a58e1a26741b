"""Record graph <-> questionnaire form (a plain dict, written as YAML or JSON): the public API.

A form holds one survey (its keys at the top) or sections `series`, `surveys`, `resources`
(other described things, e.g. host surveys) and `agencies`. Values are plain words: codes or
labels of the SKOS lists, ISO country codes, agency ids, years.

Export is lossless: anything a field cannot say in plain words is kept in a generic form
(`"<iri>"`, `{value:, lang:|datatype:}`, `other:`, `types:`); docs/form-schema.md has the rules.

The work is done in one module per step, all imported from here:

- fields.py  the field table (14 questionnaire items <-> RDF), sections, `Problem`
- encode.py  record graph -> form (`graph_to_form`)
- decode.py  form -> record graph (`form_to_graph`, `Decoder`, `Builder`)
- check.py   validating the built graph, problems by form key (`finish`, `where`)
- text.py    form files as YAML/JSON, item texts, records as Turtle

Imports written `name as name` re-export names that other code may import from here.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from migrmeta.errors import InputError, literal
from migrmeta.formats.exporting import Written, identifier_of, top_subject
from migrmeta.formats.forms.answers import Catalogue, Vocabulary
from migrmeta.formats.forms.check import Imported, findings_to_problems, finish, where
from migrmeta.formats.forms.check import plain_terms as plain_terms
from migrmeta.formats.forms.decode import Builder, Decoder, form_to_graph, split_form
from migrmeta.formats.forms.encode import Exporter as Exporter
from migrmeta.formats.forms.encode import graph_to_form
from migrmeta.formats.forms.fields import (
    AGENCY_FIELDS,
    SECTIONS,
    SURVEY_FIELDS,
    Field,
    Problem,
    Section,
    field_by_key,
    field_path,
)
from migrmeta.formats.forms.fields import AGENCY_TYPES as AGENCY_TYPES
from migrmeta.formats.forms.fields import ATTRIBUTION as ATTRIBUTION
from migrmeta.formats.forms.fields import DEFAULT_LANG as DEFAULT_LANG
from migrmeta.formats.forms.fields import DISTRIBUTION as DISTRIBUTION
from migrmeta.formats.forms.fields import IDENTIFICATION as IDENTIFICATION
from migrmeta.formats.forms.fields import NONE_LANG as NONE_LANG
from migrmeta.formats.forms.fields import PERIOD as PERIOD
from migrmeta.formats.forms.fields import RESERVED as RESERVED
from migrmeta.formats.forms.fields import SECTION as SECTION
from migrmeta.formats.forms.fields import SERIES_TYPES as SERIES_TYPES
from migrmeta.formats.forms.fields import SURVEY_TYPES as SURVEY_TYPES
from migrmeta.formats.forms.fields import expand as expand
from migrmeta.formats.forms.fields import item_of as item_of
from migrmeta.formats.forms.text import (
    FORM_SUFFIXES,
    form_is_json,
    form_json,
    form_yaml,
    item_texts,
    read_form,
    record_turtle,
)
from migrmeta.formats.forms.text import SCHEME_PREFIXES as SCHEME_PREFIXES
from migrmeta.formats.harmonize import Draft
from migrmeta.formats.importing import Batch, Message
from migrmeta.formats.loss import LossReport
from migrmeta.load import read_bounded
from migrmeta.load.reference import Reference, load_reference
from migrmeta.messages import message, translate
from migrmeta.rdf import syntaxes
from migrmeta.rdf.curie import curie as curie
from migrmeta.rdf.reader import not_a_record
from migrmeta.values.agencies import Agencies


def import_form(form: Any, reference: Reference, *, source: str = "form", lang: str = "en",
                catalogue: Catalogue | None = None, vocab: Vocabulary | None = None,
                medium: str = "form") -> Imported:
    """A form (dict) -> a record graph, checked with the shapes; problems by form key, in
    the words of a form (or of `migrmeta new`'s prompts: `medium` "prompt")."""
    vocab = vocab or Vocabulary(reference, lang)
    agencies = catalogue.agencies() if catalogue else Agencies()
    builder = form_to_graph(form, vocab, agencies)
    if lang != "en" and isinstance(form, dict) and "language" not in form and _has_plain_text(form):
        builder.problem(None, "language", f"text without a [{lang}] mark is read as English: if the form's text is "
                        f"in another language, say so at its top (language: {lang})", severity="warning")
    return finish([(source, builder)], reference, lang=lang, catalogue=catalogue, medium=medium)[0]


def _has_plain_text(form: dict[str, Any]) -> bool:
    """Does the form hold text (titles, descriptions) written without a language?"""
    keys = {f.key for f in SURVEY_FIELDS if f.kind == "text"}
    entries = [form, *(e for s in ("surveys", "series") for e in form.get(s) or [] if isinstance(e, dict))]
    return any(isinstance(e.get(k), str) and not e[k].startswith("[") for e in entries for k in keys)


__all__ = [
    "AGENCY_FIELDS",
    "SECTIONS",
    "SURVEY_FIELDS",
    "Builder",
    "Decoder",
    "Field",
    "Imported",
    "Problem",
    "Section",
    "field_by_key",
    "field_path",
    "findings_to_problems",
    "finish",
    "form_is_json",
    "form_json",
    "form_to_graph",
    "form_yaml",
    "graph_to_form",
    "import_form",
    "item_texts",
    "read_form",
    "record_turtle",
    "split_form",
    "where",
]


def _header(source: str, where: str = "") -> list[str]:
    return [f"Written by migrmeta from {Path(source).name}{where}; check it with `migrmeta validate`."]


def read_form_file(source: str, *, reference: Reference | None = None, lang: str = "en",
                   catalogue: Catalogue | None = None) -> Batch:
    """The converter's reader (formats/registry.py): one form file -> one draft, or its problems."""
    reference = reference or load_reference()
    data = read_bounded(source)
    _refuse_a_record(source, data)
    result = import_form(read_form(data, source), reference, source=source, lang=lang, catalogue=catalogue)
    items = item_texts(reference, lang)
    messages = [Message(p.severity, f"{where(p, result.builder, items, lang)}: {translate(p.message, lang)}", source)
                for p in result.problems]
    if not result.ok:
        return Batch(messages=messages)
    survey = top_subject(result.graph)
    draft = Draft(survey, identifier_of(result.graph, survey), result.graph, LossReport(source, "form"),
                  _header(source))
    return Batch([draft], messages)


def _refuse_a_record(source: str, data: bytes) -> None:
    """An RDF record given as a form (`import form ph-sof.ttl`): YAML read its @prefix as an
    indentation mistake, a JSON-LD record's keys as unknown keys to rename. Told what it is, by
    its suffix, or by the "@context" of a .json file."""
    suffix = Path(source).suffix.lower()
    syntax = syntaxes.for_path(source)
    record = syntax is not None and suffix not in FORM_SUFFIXES
    if record and syntax is not None and (other := not_a_record(data, source, syntax.name)) is not None:
        raise other  # a DDI codebook: `import ddi` reads it
    if record or (suffix == ".json" and b'"@context"' in data[:65536]):
        shell, form = literal(shlex.quote(source)), literal(shlex.quote(f"{Path(source).stem}.yaml"))
        hint = message("input.record_not_form_hint", shell=shell, python=literal(repr(source)), form=form)
        raise InputError(source, message("input.record_not_form"), hint=hint)


def export_form(graph: Graph, subject: URIRef, *, catalogue: Graph, agencies: Graph, source: str, lang: str = "en",
                as_json: bool = False, reference: Reference | None = None) -> Written:
    """The converter's writer: a record as a form (YAML with the questions, or JSON) that imports back unchanged."""
    reference = reference or load_reference()
    form = graph_to_form(graph, Vocabulary(reference), source)
    if as_json:
        return Written(form_json(form).encode("utf-8"))
    name = Path(source)
    header = message("form.exported_header", lang, name=name.name, stem=name.stem)
    return Written(form_yaml(form, reference, lang=lang, header=header).encode("utf-8"))
