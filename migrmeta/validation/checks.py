"""The pySHACL engine (`engine="pyshacl"`, the reference): one batch of records -> raw SHACL
results and a summary per record (cacheable, language-free).

This is the unit of work of that engine: it runs in worker processes, so it takes bytes and
returns plain data. Records in a batch are validated together in one pySHACL call (the
shapes are compiled once per batch) on their own triples plus the vocabulary triples they
use, and results are split back to records by focus node.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from migrmeta.errors import InputError
from migrmeta.load import Record, parse_bytes
from migrmeta.load.reference import Reference, load_reference
from migrmeta.namespaces import RDF, SH
from migrmeta.progress import VALIDATING, Progress, tell
from migrmeta.shacl import path_predicates
from migrmeta.shacl.terms import ShapeFailure, shapes_mistake
from migrmeta.validation.dropped import dropped_key_results
from migrmeta.validation.monkey.sparqlprep import prepared_queries
from migrmeta.validation.outcome import (
    MISSING_COMPONENTS,
    Item,
    Outcome,
    RawResult,
    Summary,
    Term,
    comparable,
    error_dict,
    gone,
)
from migrmeta.validation.summaries import summarize
from migrmeta.validation.texts import worded_shapes

SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


BATCH = 50  # records per pySHACL run: amortizes shape compilation, keeps graphs small
PARALLEL_FROM = 200  # below this many records to check, worker start-up costs more than it saves


_WORKER_REFERENCE: Reference | None = None


def _worker_init(shapes_dir: Path | None) -> None:
    global _WORKER_REFERENCE
    _WORKER_REFERENCE = load_reference(shapes_dir)


def _worker_batch(items: list[Item]) -> list[dict[str, Any]]:
    assert _WORKER_REFERENCE is not None
    return [{"source": o.source, **o.to_json()} for o in check_batch(items, _WORKER_REFERENCE)]


def check_items(
    items: Sequence[Item], reference: Reference, jobs: int, shapes_dir: Path | None = None,
    progress: Progress | None = None, already: int = 0,
) -> list[Outcome]:
    """Check records with pySHACL, in parallel processes when it pays; `progress` hears of each
    batch done (counting `already` records known beforehand, e.g. from the cache)."""
    batches = [list(items[i : i + BATCH]) for i in range(0, len(items), BATCH)]
    total = already + len(items)
    found: list[Outcome] = []
    if jobs <= 1 or len(items) < PARALLEL_FROM:
        for batch in batches:
            found += check_batch(batch, reference)
            tell(progress, VALIDATING, already + len(found), total)
        return found
    context = get_context("fork") if "fork" in get_all_start_methods() else get_context()
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_init, initargs=(shapes_dir,)) as pool:
        try:
            for done in pool.map(_worker_batch, batches):  # in order, as each batch is done
                found += [Outcome.from_json(d.pop("source"), d) for d in done]
                tell(progress, VALIDATING, already + len(found), total)
        except BaseException:  # a broken shape, an interrupt: the batches not started are not run
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return found


def _batches(records: Sequence[Record]) -> list[list[Record]]:
    """Split records so that none in a batch describes an IRI another one uses (the same
    subject, agencies.ttl and the surveys naming its agencies, a module and its host): each
    is judged without the others' statements, as in the sparql engine's separate stores."""
    batches: list[tuple[list[Record], set[URIRef], set[URIRef]]] = []  # members, described, used
    for record in records:
        graph = record.graph
        described = {s for s in graph.subjects() if isinstance(s, URIRef)}
        used = described | {o for o in graph.objects() if isinstance(o, URIRef)}
        for members, batch_described, batch_used in batches:
            if not (described & batch_used or used & batch_described):
                members.append(record)
                batch_described |= described
                batch_used |= used
                break
        else:
            batches.append(([record], described, used))
    return [members for members, _, _ in batches]


def check_batch(items: Sequence[Item], reference: Reference) -> list[Outcome]:
    """Parse, validate and summarize each (source, bytes, format) item."""
    outcomes: dict[str, Outcome] = {}
    records: list[Record] = []
    for source, data, fmt in items:
        if data is None:
            outcomes[source] = Outcome(source, "", error=error_dict(gone(source)))
            continue
        sha = hashlib.sha256(data).hexdigest()
        try:
            record = parse_bytes(data, source, fmt)
        except InputError as exc:
            outcomes[source] = Outcome(source, sha, error=error_dict(exc))
            continue
        records.append(record)
        outcomes[source] = Outcome(source, sha, summary=summarize(record.graph))
    for batch in _batches(records):
        for source, results in validate_graphs(batch, reference).items():
            outcomes[source].results = results
    for source, data, fmt in items:  # what the reader dropped (both engines alike)
        if data is not None and outcomes[source].error is None:
            outcomes[source].results += dropped_key_results(data, source, fmt)
    return [outcomes[source] for source, _, _ in items]


def validate_graphs(records: Sequence[Record], reference: Reference) -> dict[str, list[RawResult]]:
    """One pySHACL run over records that share no subject; results per record source."""
    data = Graph()
    owner: dict[Node, Record] = {}
    read = path_predicates(reference.shapes)
    for record in records:
        for triple in record.graph:
            data.add(triple)
            owner.setdefault(triple[0], record)
        for triple in reference.closure_for(record.graph, read):
            data.add(triple)
    import pyshacl  # only this engine needs it (~0.3 s to import)

    try:
        with prepared_queries():
            _conforms, report, _text = pyshacl.validate(
                data, shacl_graph=reference.shapes, inplace=True, allow_warnings=True
            )
    except Exception as exc:
        if not shapes_mistake(exc):
            raise
        raise ShapeFailure(str(exc)) from exc  # a shape pySHACL cannot evaluate: the caller names its files
    results: dict[str, list[RawResult]] = {r.source: [] for r in records}
    worded = worded_shapes(reference.shapes)
    for result in report.subjects(RDF.type, SH.ValidationResult):
        raw = to_raw(report, result, worded)
        focus = report.value(result, SH.focusNode)
        found = owner.get(focus) if focus is not None else None
        if found is None:  # a focus node without triples of its own (reference data)
            continue
        shown = raw.value.value if raw.value is not None and raw.value.kind != "bnode" else None
        line = found.line_of(focus, raw.path, shown, written=raw.component not in MISSING_COMPONENTS)
        results[found.source].append(replace(raw, line=line))
    for listed in results.values():
        listed.sort(key=_sort_key)
    return results


def to_raw(report: Graph, result: Node, worded: frozenset[str]) -> RawResult:
    """A result of pySHACL's report; `worded`: the shapes whose findings texts.ShapeTexts words."""
    focus = report.value(result, SH.focusNode)
    value = report.value(result, SH.value)
    path = report.value(result, SH.resultPath)
    shape = report.value(result, SH.sourceShape)
    component = report.value(result, SH.sourceConstraintComponent)
    severity = report.value(result, SH.resultSeverity)
    named = str(shape) if isinstance(shape, URIRef) else None
    return RawResult(
        focus=Term.of(focus) if focus is not None else Term("bnode", ""),
        severity=SEVERITY.get(severity, "violation") if isinstance(severity, URIRef) else "violation",
        shape=named,
        component=str(component).rsplit("#", 1)[-1] if component is not None else "",
        path=str(path) if isinstance(path, URIRef) else None,
        value=Term.of(value) if value is not None else None,
        line=None,
        messages=() if named in worded else RawResult.words_of(report.objects(result, SH.resultMessage)),
        detail=(None, SH.detail, result) in report,
    )


def _sort_key(raw: RawResult) -> tuple[str, str, str, str, str]:
    value = "" if raw.value is None or raw.value.kind == "bnode" else raw.value.value
    focus = "" if raw.focus.kind == "bnode" else raw.focus.value
    return (focus, raw.shape or "", raw.path or "", raw.component, value)


__all__ = ["Outcome", "RawResult", "Summary", "Term", "check_batch", "check_items", "comparable"]
