"""One batch of records -> raw SHACL results and a summary per record (cacheable, language-free).

This is the unit of work of validation: it runs in worker processes, so it takes bytes and
returns plain data. Records in a batch are validated together in one pySHACL call (the
shapes are compiled once per batch) on their own triples plus the vocabulary triples they
use, and results are split back to records by focus node.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta.errors import InputError
from migrmeta.load import Record, parse_bytes
from migrmeta.load.reference import Reference
from migrmeta.namespaces import DCAT, DCT, FOAF, MM, PROV, RDF, SH
from migrmeta.validation.monkey.sparqlprep import prepared_queries

SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
_AGENCY_LINKS = (DCT.creator, DCT.publisher, DCT.contributor)


@dataclass(frozen=True)
class Term:
    """An RDF term as plain data."""

    kind: str  # iri | literal | bnode
    value: str
    lang: str | None = None
    datatype: str | None = None

    @classmethod
    def of(cls, node: Node) -> Term:
        if isinstance(node, URIRef):
            return cls("iri", str(node))
        if isinstance(node, Literal):
            return cls("literal", str(node), node.language, str(node.datatype) if node.datatype else None)
        return cls("bnode", str(node))


@dataclass(frozen=True)
class RawResult:
    focus: Term
    severity: str
    shape: str | None
    component: str
    path: str | None
    value: Term | None
    line: int | None


@dataclass
class Summary:
    """What the checks across records need to know of one record."""

    surveys: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    agency_links: list[tuple[str, str, str]] = field(default_factory=list)  # subject, property, agency
    identifiers: list[tuple[str, str]] = field(default_factory=list)  # subject, identifier
    hosts: list[tuple[str, str]] = field(default_factory=list)  # survey, host
    titled: list[str] = field(default_factory=list)
    keys: list[tuple[str, str, str, str]] = field(default_factory=list)  # survey, title, creator, start
    rounds: list[tuple[str, str]] = field(default_factory=list)  # survey, the series it is a round of


@dataclass
class Outcome:
    """The result of checking one record: cached by content."""

    source: str
    sha256: str
    results: list[RawResult] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)
    error: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("source")
        return data

    @classmethod
    def from_json(cls, source: str, data: dict[str, Any]) -> Outcome:
        results = [
            RawResult(
                focus=Term(**r["focus"]),
                severity=r["severity"],
                shape=r["shape"],
                component=r["component"],
                path=r["path"],
                value=Term(**r["value"]) if r["value"] else None,
                line=r["line"],
            )
            for r in data["results"]
        ]
        fields: dict[str, Any] = {
            k: [tuple(x) if isinstance(x, list) else x for x in v] for k, v in data["summary"].items()
        }
        summary = Summary(**fields)
        return cls(source, data["sha256"], results, summary, data.get("error"))


def summarize(graph: Graph) -> Summary:
    summary = Summary()
    surveys = sorted(str(s) for s in graph.subjects(RDF.type, MM.Survey))
    summary.surveys = surveys
    summary.series = sorted(str(s) for s in graph.subjects(RDF.type, MM.SurveySeries))
    summary.agencies = sorted(
        {str(s) for cls in (MM.Agency, FOAF.Agent, FOAF.Organization) for s in graph.subjects(RDF.type, cls)
         if isinstance(s, URIRef)}
    )
    for prop in _AGENCY_LINKS:
        for s, o in graph.subject_objects(prop):
            if isinstance(o, URIRef):
                summary.agency_links.append((str(s), str(prop), str(o)))
    for s, o in graph.subject_objects(PROV.agent):
        if isinstance(o, URIRef):  # reported on the survey the (blank) attribution belongs to
            owner = graph.value(predicate=PROV.qualifiedAttribution, object=s)
            subject = owner if isinstance(owner, URIRef) else s
            summary.agency_links.append((str(subject), str(PROV.agent), str(o)))
    for s, o in graph.subject_objects(DCT.identifier):
        summary.identifiers.append((str(s), str(o)))
    for s, o in graph.subject_objects(MM.hostSurvey):
        if isinstance(o, URIRef):  # a blank host is reported by the shapes (it needs an IRI)
            summary.hosts.append((str(s), str(o)))
    summary.rounds = sorted((str(s), str(o)) for s, o in graph.subject_objects(DCAT.inSeries))
    summary.titled = sorted({str(s) for s in graph.subjects(DCT.title) if isinstance(s, URIRef)})
    for survey in surveys:
        node = URIRef(survey)
        titles = sorted(str(t) for t in graph.objects(node, DCT.title))
        creators = sorted(str(c) for c in graph.objects(node, DCT.creator))
        starts = sorted(str(d) for p in graph.objects(node, DCT.temporal) for d in graph.objects(p, DCAT.startDate))
        if titles and creators and starts:
            for title in titles:
                summary.keys.append((survey, title.casefold().strip(), creators[0], starts[0]))
    summary.agency_links.sort()
    summary.identifiers.sort()
    summary.hosts.sort()
    return summary


def _batches(records: Sequence[Record]) -> list[list[Record]]:
    """Split records so that no two records in a batch describe the same subject."""
    batches: list[tuple[list[Record], set[Node]]] = []
    for record in records:
        subjects = {s for s in record.graph.subjects() if isinstance(s, URIRef)}
        for members, taken in batches:
            if not subjects & taken:
                members.append(record)
                taken |= subjects
                break
        else:
            batches.append(([record], set(subjects)))
    return [members for members, _ in batches]


def check_batch(items: Sequence[tuple[str, bytes, str]], reference: Reference) -> list[Outcome]:
    """Parse, validate and summarize each (source, bytes, format) item."""
    outcomes: dict[str, Outcome] = {}
    records: list[Record] = []
    for source, data, fmt in items:
        sha = hashlib.sha256(data).hexdigest()
        try:
            record = parse_bytes(data, source, fmt)
        except InputError as exc:
            outcomes[source] = Outcome(source, sha, error=_error_dict(exc))
            continue
        records.append(record)
        outcomes[source] = Outcome(source, sha, summary=summarize(record.graph))
    for batch in _batches(records):
        for source, results in validate_graphs(batch, reference).items():
            outcomes[source].results = results
    return [outcomes[source] for source, _, _ in items]


def _error_dict(exc: InputError) -> dict[str, Any]:
    return {
        "source": exc.location.source,
        "line": exc.location.line,
        "column": exc.location.column,
        "message": exc.problem,
        "hint": exc.hint,
    }


def validate_graphs(records: Sequence[Record], reference: Reference) -> dict[str, list[RawResult]]:
    """One pySHACL run over records that share no subject; results per record source."""
    data = Graph()
    owner: dict[Node, Record] = {}
    for record in records:
        for triple in record.graph:
            data.add(triple)
            owner.setdefault(triple[0], record)
        for triple in reference.closure_for(record.graph):
            data.add(triple)
    with prepared_queries():
        _conforms, report, _text = pyshacl.validate(
            data, shacl_graph=reference.shapes, inplace=True, allow_warnings=True
        )
    results: dict[str, list[RawResult]] = {r.source: [] for r in records}
    for result in report.subjects(RDF.type, SH.ValidationResult):
        raw = to_raw(report, result)
        focus = report.value(result, SH.focusNode)
        found = owner.get(focus) if focus is not None else None
        if found is None:  # a focus node without triples of its own (reference data)
            continue
        shown = raw.value.value if raw.value is not None and raw.value.kind != "bnode" else None
        line = found.line_of(focus, raw.path, shown) if isinstance(focus, URIRef) else None
        results[found.source].append(_with_line(raw, line))
    for listed in results.values():
        listed.sort(key=_sort_key)
    return results


def to_raw(report: Graph, result: Node) -> RawResult:
    focus = report.value(result, SH.focusNode)
    value = report.value(result, SH.value)
    path = report.value(result, SH.resultPath)
    shape = report.value(result, SH.sourceShape)
    component = report.value(result, SH.sourceConstraintComponent)
    severity = report.value(result, SH.resultSeverity)
    return RawResult(
        focus=Term.of(focus) if focus is not None else Term("bnode", ""),
        severity=SEVERITY.get(severity, "violation") if isinstance(severity, URIRef) else "violation",
        shape=str(shape) if isinstance(shape, URIRef) else None,
        component=str(component).rsplit("#", 1)[-1] if component is not None else "",
        path=str(path) if isinstance(path, URIRef) else None,
        value=Term.of(value) if value is not None else None,
        line=None,
    )


def _with_line(raw: RawResult, line: int | None) -> RawResult:
    return RawResult(raw.focus, raw.severity, raw.shape, raw.component, raw.path, raw.value, line)


def _sort_key(raw: RawResult) -> tuple[str, str, str, str, str]:
    value = "" if raw.value is None or raw.value.kind == "bnode" else raw.value.value
    focus = "" if raw.focus.kind == "bnode" else raw.focus.value
    return (focus, raw.shape or "", raw.path or "", raw.component, value)


def comparable(raw: RawResult) -> tuple[str, str, str, str, str, str]:
    """A result with blank nodes blanked out: for comparing runs over different graphs."""
    value = "_:" if raw.value is None or raw.value.kind == "bnode" else raw.value.value
    focus = "_:" if raw.focus.kind == "bnode" else raw.focus.value
    return (focus, raw.severity, raw.shape or "", raw.path or "", raw.component, value)


__all__ = ["Outcome", "RawResult", "Summary", "Term", "check_batch", "comparable", "summarize"]
