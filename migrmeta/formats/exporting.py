"""Records -> files of an outside format: the export loop every converter shares.

    result = export_records("ddi", ["records/"], output=Path("ddi/"))
    result.documents   # one Exported per survey (or per record, for forms)

The loop reads the records (one unreadable file never stops the others), brings in the
catalogue's agencies (agencies.ttl beside the records), asks the converter's writer for each
survey, and writes each document atomically under `output`, named by its record id through
the one rule for names on disk (io/names.py); a file already there is not replaced unless
`force` (it is listed in `refused`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from migrmeta import defaults
from migrmeta.errors import InputError, PublishError
from migrmeta.formats.loss import LossReport
from migrmeta.formats.registry import converter
from migrmeta.io.files import write_output
from migrmeta.io.names import file_name
from migrmeta.load import Record, Verdict, agencies_beside, iter_records, read_input
from migrmeta.namespaces import DCT, MM, RDF
from migrmeta.progress import Progress, tell


@dataclass
class Written:
    """What a writer gives for one survey."""

    data: bytes
    report: LossReport | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class Exported:
    source: str
    survey: str
    identifier: str
    data: bytes = field(repr=False)
    report: LossReport | None = None
    problems: list[str] = field(default_factory=list)
    path: Path | None = None


@dataclass
class ExportResult:
    documents: list[Exported] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    refused: list[PublishError] = field(default_factory=list)  # files not written (they exist, a full disk)
    notices: list[str] = field(default_factory=list)  # a merge's output beside its records, left out

    @property
    def reports(self) -> list[LossReport]:
        return [d.report for d in self.documents if d.report is not None]

    def exit_code(self) -> int:
        return 3 if self.errors else 1 if self.refused or any(d.problems for d in self.documents) else 0


def surveys_in(graph: Graph) -> list[URIRef]:
    """The surveys of a record (a series with no round is exported as one study)."""
    found = sorted(s for s in graph.subjects(RDF.type, MM.Survey) if isinstance(s, URIRef))
    return found or series_in(graph)


def series_in(graph: Graph) -> list[URIRef]:
    return sorted(s for s in graph.subjects(RDF.type, MM.SurveySeries) if isinstance(s, URIRef))


def top_subject(graph: Graph) -> URIRef:
    """What a record is about: its series (with the rounds), else its survey."""
    return (series_in(graph) or surveys_in(graph) or [URIRef("")])[0]


def identifier_of(graph: Graph, survey: URIRef) -> str:
    return str(graph.value(survey, DCT.identifier) or str(survey).rsplit("/", 1)[-1])


def _agencies(paths: list[str], agencies: Path | None) -> Graph:
    found = agencies if agencies is not None else next((a for p in paths if (a := agencies_beside(p))), None)
    return read_input(str(found)).graph if found is not None and found.is_file() else Graph()


def export_records(name: str, paths: Iterable[str | Path] = (defaults.RECORDS,), *,
                   output: str | os.PathLike[str] | None = None, agencies: str | os.PathLike[str] | None = None,
                   progress: Progress | None = None, force: bool = False, **options: Any) -> ExportResult:
    """Write every survey of the records with the converter `name`; see the module."""
    output = Path(output) if output is not None else None  # a caller may give a str, as the paths
    agencies = Path(agencies) if agencies is not None else None
    spec = converter(name)
    write = spec.load("writer")
    inputs = [str(p) for p in paths] or [str(defaults.RECORDS)]
    known = _agencies(inputs, agencies)
    result = ExportResult()
    records: list[Record] = []
    beside: list[Verdict] = []
    for record in iter_records(inputs, notices=beside):
        if isinstance(record, InputError):
            result.errors.append(record)
        else:
            records.append(record)
    result.notices = [v.notice() for v in beside]
    catalogue = Graph()
    catalogue += known
    for record in records:
        catalogue += record.graph
    written_from: dict[Path, str] = {}  # each file written by this run -> the record it came from
    for done, record in enumerate(records):
        tell(progress, "exporting", done, len(records))
        subjects = surveys_in(record.graph)
        if spec.unit == "record" and subjects:
            subjects = [top_subject(record.graph)]
        elif spec.unit == "dataset":  # a round's isPartOf names its series: the series is a document too
            subjects = sorted({*subjects, *series_in(record.graph)})
        for survey in subjects:
            written: Written = write(record.graph, survey, catalogue=catalogue, agencies=known, source=record.source,
                                     **options)
            identifier = identifier_of(record.graph, survey)
            document = Exported(record.source, str(survey), identifier, written.data, written.report, written.problems)
            if output is not None:
                try:
                    target = output / file_name(identifier, spec.suffix, source=record.source)
                except InputError as exc:
                    result.errors.append(exc)
                    continue
                if target in written_from:  # one survey in two records: the second would replace the first
                    result.refused.append(PublishError(
                        f"{record.source} describes {identifier} too, as {written_from[target]} does: {target} "
                        f"is written from {written_from[target]} only",
                        hint="export one description of a survey; to export several agencies' descriptions as "
                             "one, publish them ({`migrmeta publish`|migrmeta.publish()} merges them and writes "
                             "each survey's DDI, site/surveys/ID.xml)"))
                    continue
                try:
                    write_output(target, written.data, force=force)
                    written_from[target] = record.source
                except PublishError as exc:
                    result.refused.append(exc)
                    continue
                document.path = target
                if document.report is not None:
                    document.report.output = str(target)
            result.documents.append(document)
    tell(progress, "exporting", len(records), len(records))
    if not result.documents and not result.errors and not result.refused:
        result.errors.append(InputError(", ".join(inputs), "holds no survey to export",
                                        hint="give survey records (agencies.ttl only describes agencies)"))
    return result


__all__ = ["ExportResult", "Exported", "Written", "export_records", "identifier_of", "series_in", "surveys_in",
           "top_subject"]
