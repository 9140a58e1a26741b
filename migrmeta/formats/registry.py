"""The converters: one registry line per outside format, naming what it reads and writes.

`migrmeta import NAME` and `migrmeta export NAME` are built from this table (cli/convert.py),
and so are `migrmeta.import_records(NAME, ...)` / `migrmeta.export_records(NAME, ...)`.
Adding a format is one module with a reader and/or a writer, plus one line here:

    Converter("ddi", "DDI Codebook",
              reads="DDI Codebook 1.2.2, 2.5 or 2.6 XML (bare or in an OAI-PMH envelope)",
              writes="DDI Codebook 2.5 XML, valid against the DDI-C 2.5.1 XSD",
              reader="migrmeta.formats.ddi.reader:read_ddi_file", dir_suffix=".xml",
              linker="migrmeta.formats.ddi.reader:link_series",
              writer="migrmeta.formats.ddi.writer:write_ddi", suffix=".xml", unit="dataset"),

Readers and writers are named as "module:function" so that building the command line does
not import them (they pull in rdflib, lxml, openpyxl...).

- A reader is `(source: str, **options) -> Batch` (formats/importing.py): drafts and messages.
- A writer is `(graph, subject, *, catalogue: Graph, agencies: Graph, source: str, **options) -> Written`
  (formats/exporting.py): the document's bytes, a loss report, problems.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from migrmeta.errors import UsageError


@dataclass(frozen=True)
class Converter:
    name: str
    title: str
    reads: str | None = None  # what `import NAME` takes, for people
    writes: str | None = None  # what `export NAME` writes, for people
    reader: str | None = None  # "module:function"
    writer: str | None = None
    suffix: str = ""  # of the files the writer writes
    unit: str = "survey"  # the writer writes one document per "survey", per "record" (a series with its
    # rounds), or per "dataset" (each survey and each series, as the published site has them)
    dir_suffix: str = ""  # a directory given to `import` stands for its files with this suffix
    # "module:function", (drafts) -> None: what the drafts of one import, read from several
    # sources, say of each other (DDI: the codebook its rounds name as their series is a series)
    linker: str | None = None

    def load(self, which: str) -> Any:
        """The "reader", "writer" or "linker" function (a linker is optional: None when absent)."""
        target = {"reader": self.reader, "writer": self.writer, "linker": self.linker}[which]
        if target is None and which == "linker":
            return None
        if target is None:
            raise UsageError(f"{self.title} cannot be {'imported' if which == 'reader' else 'exported'}")
        module, _, function = target.partition(":")
        return getattr(import_module(module), function)


CONVERTERS: tuple[Converter, ...] = (
    Converter("form", "questionnaire form",
              reads="a filled questionnaire form (YAML or JSON), one survey",
              writes="a questionnaire form (YAML with the questions, or JSON) that imports back unchanged",
              reader="migrmeta.formats.forms.form:read_form_file",
              writer="migrmeta.formats.forms.form:export_form", suffix=".yaml", unit="record"),
    Converter("sheet", "spreadsheet",
              reads="a spreadsheet (XLSX or CSV), one survey per row",
              reader="migrmeta.formats.forms.sheet:read_sheet_file"),
    Converter("ddi", "DDI Codebook",
              reads="DDI Codebook 1.2.2, 2.5 or 2.6 XML (bare or in an OAI-PMH envelope)",
              writes="DDI Codebook 2.5 XML, valid against the DDI-C 2.5.1 XSD",
              reader="migrmeta.formats.ddi.reader:read_ddi_file", dir_suffix=".xml",
              linker="migrmeta.formats.ddi.reader:link_series",
              writer="migrmeta.formats.ddi.writer:write_ddi", suffix=".xml", unit="dataset"),
    Converter("dcat", "DCAT",
              reads="DCAT catalogues and datasets (DCAT-AP, CKAN, Project Open Data): files or http(s) URLs",
              reader="migrmeta.formats.dcat.reader:read_dcat_source"),
    Converter("schemaorg", "schema.org",
              writes="schema.org Dataset JSON-LD, for dataset search engines",
              writer="migrmeta.formats.schemaorg:write_dataset", suffix=".jsonld", unit="dataset"),
)
_BY_NAME = {c.name: c for c in CONVERTERS}


def converter(name: str) -> Converter:
    found = _BY_NAME.get(name)
    if found is None:
        raise UsageError(f"no converter named {name!r}; known: {', '.join(_BY_NAME)}")
    return found


def readers() -> list[Converter]:
    return [c for c in CONVERTERS if c.reader]


def writers() -> list[Converter]:
    return [c for c in CONVERTERS if c.writer]


__all__ = ["CONVERTERS", "Converter", "converter", "readers", "writers"]
