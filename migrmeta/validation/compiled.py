"""The compiled engine (the default): records -> one pyoxigraph store -> one Outcome per record.

Every record of the run is read by the one reader into a named graph of its own, the
vocabulary statements the shapes read (`Reference.closure_for`'s: types, schemes, broader
concepts, location roles, notations, and those of the predicates the shapes' paths name) into
another, and the compiled shapes are evaluated once over their union. Each result goes to the
record whose graph describes its focus node (a focus node described by no record, such as a
concept of the vocabularies, is dropped, as by the pySHACL engine), with the line of the
offending property for the records that have results.

Each record is judged with the reference data only, as by the pySHACL engine, so its outcome
can be cached by its own bytes: a record that describes an IRI another record of the run uses
(agencies.ttl describes the agencies the surveys name; a module may describe its host survey)
would let the shapes walk from one into the other, so such records are validated in stores of
their own (few, small ones). Shapes that look forward from the focus node, as all the project's
do, then see exactly what they saw record by record; a user's shape that walks a path backwards
or queries the whole graph in SPARQL may see the other records of its store.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import NamespaceManager

from migrmeta import defaults
from migrmeta.errors import InputError
from migrmeta.io.workers import can_fork, shared, worker_pool
from migrmeta.load.record import LineIndex, lines_of_file
from migrmeta.rdf.curie import curie
from migrmeta.rdf.reader import check_loaded, load_into, parse
from migrmeta.shacl import Result, Wording
from migrmeta.shacl.terms import REWRITTEN_DATATYPES, OxTerm, to_ox
from migrmeta.validation.clock import Clock
from migrmeta.validation.dropped import dropped_key_results
from migrmeta.validation.outcome import (
    MISSING_COMPONENTS,
    SEVERITY_NAMES,
    Item,
    LeftToPyshacl,
    Outcome,
    RawResult,
    Term,
    error_dict,
    gone,
)
from migrmeta.validation.prepared import Prepared
from migrmeta.validation.summaries import summaries
from migrmeta.validation.texts import ShapeTexts

REFERENCE = ox.NamedNode("urn:migrmeta:graph:reference")


def record_graph(index: int) -> ox.NamedNode:
    return ox.NamedNode(f"urn:migrmeta:graph:record:{index}")


@dataclass
class Batch:
    """Records validated together: a store and its record graphs (graph -> source)."""

    store: ox.Store
    graphs: dict[ox.NamedNode, str]


def new_store(prepared: Prepared) -> ox.Store:
    store = ox.Store()
    store.load(input=prepared.reference, format=ox.RdfFormat.N_TRIPLES, to_graph=REFERENCE)
    return store


def check_items(items: Sequence[Item], prepared: Prepared, jobs: int | None = None) -> list[Outcome]:
    """Read, validate and summarize each (source, bytes, syntax) item (`prepared.phases`: the
    seconds each step took, for benchmarks).

    With `jobs` > 1 and many records, the records are split into that many parts, each checked
    in a worker process with a store of its own: the same outcomes (each record is judged alone,
    see above), in less time when the CPUs are free. By default (`jobs` None), one per CPU; each
    worker checks parts of PART_RECORDS records one after another, so memory is one part's store
    per worker however many records there are."""
    jobs = defaults.cpus() if jobs is None else jobs
    if jobs > 1 and len(items) >= PARALLEL_FROM and can_fork():
        return _in_processes(items, prepared, jobs)
    return _check(items, prepared)


PARALLEL_FROM = 2000  # records to check: below this, forking costs more than it saves


PART_RECORDS = 5_000  # records a worker checks at a time, in one store (100,000 records: 20 parts)


def _in_processes(items: Sequence[Item], prepared: Prepared, jobs: int) -> list[Outcome]:
    """The records in parts of PART_RECORDS at most (fewer when that leaves a CPU idle), checked
    by `jobs` workers in turn, in order; a worker's memory is freed part after part."""
    size = min(PART_RECORDS, -(-len(items) // jobs))
    parts = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    with worker_pool(min(jobs, len(parts)), shared=(items, prepared)) as pool:
        done = list(pool.imap(_part, parts))
    prepared.timings = [t for _, timings, _, _ in done for t in timings]
    by_worker: dict[int, dict[str, float]] = {}
    for _, _, phases, worker in done:
        mine = by_worker.setdefault(worker, {})
        for name, seconds in phases.items():
            mine[name] = mine.get(name, 0.0) + seconds
    prepared.phases = {}
    for phases in by_worker.values():  # the slowest worker's time, step by step
        for name, seconds in phases.items():
            prepared.phases[name] = max(seconds, prepared.phases.get(name, 0.0))
    return [outcome for outcomes, _, _, _ in done for outcome in outcomes]


def _part(bounds: tuple[int, int]) -> tuple[list[Outcome], list[tuple[float, str]], dict[str, float], int]:
    items, prepared = shared()
    outcomes = _check(items[bounds[0] : bounds[1]], prepared)
    return outcomes, prepared.timings, prepared.phases, os.getpid()


def _check(items: Sequence[Item], prepared: Prepared) -> list[Outcome]:
    """The records in stores of STORE_RECORDS at most, one after the other: the same outcomes
    (each record is judged alone), memory bounded however many records there are."""
    prepared.phases, prepared.timings = {}, []
    clock = Clock(prepared.phases)
    outcomes: list[Outcome] = []
    for start in range(0, len(items), STORE_RECORDS):
        outcomes += _check_store(items[start : start + STORE_RECORDS], prepared, clock)
    return outcomes


STORE_RECORDS = 20_000  # records per store: ~1 GB of store at most (a record holds ~40 statements)


def _check_store(items: Sequence[Item], prepared: Prepared, clock: Clock) -> list[Outcome]:
    outcomes: dict[str, Outcome] = {}
    data: dict[str, bytes | None] = {}
    store = new_store(prepared)
    graphs: dict[ox.NamedNode, str] = {}
    syntaxes = {source: syntax for source, _, syntax in items}
    for index, (source, raw, syntax) in enumerate(items):
        if raw is None:
            outcomes[source] = Outcome(source, "", error=error_dict(gone(source)))
            continue
        outcomes[source] = Outcome(source, hashlib.sha256(raw).hexdigest())
        try:  # parsed here only when a literal may be one the store rewrites (then loaded from this)
            parsed = parse(raw, source, syntax) if may_name_rewritten(raw, syntax) else None
        except InputError as exc:
            outcomes[source].error = error_dict(exc)
            continue
        rewritten = rewritten_literals(parsed, prepared.engine.predicates) if parsed is not None else None
        if rewritten is not None:  # checked by pySHACL instead (runner.check_records)
            outcomes[source].left_to_pyshacl = LeftToPyshacl(rewritten, (source, raw, syntax))
            continue
        data[source] = raw  # for line numbers (a store holds STORE_RECORDS records at most)
        graph = record_graph(index)
        try:
            load_into(store, raw, source, syntax, graph, parsed)
        except InputError as exc:
            outcomes[source].error = error_dict(exc)
            continue
        graphs[graph] = source
    clock.lap("load")
    by_source = {source: graph for graph, source in graphs.items()}
    for refused in check_loaded(store, graphs):
        outcomes[refused.location.source].error = error_dict(refused)
        graphs.pop(by_source[refused.location.source], None)
    batches = independent_batches(store, graphs, prepared)
    clock.lap("limits and links")
    for batch in batches:
        for source, results in record_results(batch, prepared, data, clock, outcomes).items():
            outcomes[source].results = results + dropped_key_results(data[source] or b"", source,
                                                                     syntaxes[source])
        for source, summary in summaries(batch.store, batch.graphs).items():
            outcomes[source].summary = summary
        clock.lap("summaries")
    return list(outcomes.values())


_REWRITTEN = "|".join(sorted(iri.rsplit("#", 1)[1] for iri in REWRITTEN_DATATYPES))
# In the Turtle family a datatype follows ^^, as an IRI or a prefixed name: a cheap first test
# (10,000 records in 16 ms); JSON-LD and RDF/XML can name it through a context or an entity.
_TYPED = re.compile(rf"\^\^\s*(?:<[^>]*#|[^\s<>\"]*:)(?:{_REWRITTEN})\b".encode())
_TURTLE_FAMILY = ("turtle", "ntriples", "nquads", "trig")


def store_rewrites(data: bytes, source: str, syntax: str, read: frozenset[str] | None) -> str | None:
    """Why the store would not hold the literals of the record that the shapes can read as
    written (a datatype it keeps as another: terms.REWRITTEN_DATATYPES), or None. `read`: the
    predicates the shapes can reach a literal by (Engine.predicates; None: any). Such a record
    is checked by pySHACL, which judges "5"^^xsd:int by its own datatype."""
    if not may_name_rewritten(data, syntax):
        return None
    try:
        return rewritten_literals(parse(data, source, syntax), read)
    except InputError:
        return None  # loading it reports the problem


def may_name_rewritten(data: bytes, syntax: str) -> bool:
    """Whether the bytes may hold a literal of a datatype the store rewrites (false: they do not)."""
    return syntax not in _TURTLE_FAMILY or _TYPED.search(data) is not None


def rewritten_literals(quads: list[ox.Quad], read: frozenset[str] | None) -> str | None:
    """`store_rewrites` over statements already parsed."""
    found = sorted({q.object.datatype.value for q in quads
                    if isinstance(q.object, ox.Literal) and q.object.datatype.value in REWRITTEN_DATATYPES
                    and (read is None or q.predicate.value in read)})
    if not found:
        return None
    kept = ", ".join(f"{curie(d)} as {curie(REWRITTEN_DATATYPES[d])}" for d in found)
    return f"literals the store would not keep as written ({kept})"


def _lines(source: str, data: dict[str, bytes | None], sha256: str) -> LineIndex | None:
    """Where things are written in a record: its bytes, read again from its file (unless the
    file changed since: then no line numbers)."""
    raw = data.get(source)
    return lines_of_file(source, sha256) if raw is None else LineIndex(raw, source)


# --- records that must not see each other ----------------------------------------------------

_SHARED = (
    "SELECT DISTINCT ?g ?h WHERE { "
    "{ SELECT DISTINCT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s) && ?g != <REF>) } } "
    "GRAPH ?h { { ?s ?q ?x } UNION { ?y ?q ?s } } FILTER(?h != ?g && ?h != <REF>) }"
).replace("REF", REFERENCE.value)


def independent_batches(store: ox.Store, graphs: dict[ox.NamedNode, str], prepared: Prepared) -> list[Batch]:
    """The store's records split so that no record describes an IRI another one of its batch
    uses. Records with the most such links are set aside first, so the first batch (the store
    itself) keeps nearly everyone; the others get small stores of their own."""
    answer = store.query(_SHARED)
    assert isinstance(answer, ox.QuerySolutions)
    linked: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
    for row in answer:
        g, h = row["g"], row["h"]
        if g in graphs and h in graphs:
            linked[g].add(h)
            linked[h].add(g)
    if not linked:
        return [Batch(store, graphs)]
    order = sorted(graphs, key=lambda g: (len(linked.get(g, ())), graphs[g]))
    members: list[set[ox.NamedNode]] = []
    for graph in order:
        for group in members:
            if not linked.get(graph, set()) & group:
                group.add(graph)
                break
        else:
            members.append({graph})
    batches = [Batch(store, {g: graphs[g] for g in members[0]})]
    for group in members[1:]:
        side = new_store(prepared)
        for graph in sorted(group, key=lambda g: g.value):
            side.extend(list(store.quads_for_pattern(None, None, None, graph)))
            store.remove_graph(graph)
        batches.append(Batch(side, {g: graphs[g] for g in group}))
    return batches


# --- results ------------------------------------------------------------------------------------


def record_results(batch: Batch, prepared: Prepared, data: dict[str, bytes | None], clock: Clock | None = None,
                   outcomes: dict[str, Outcome] | None = None) -> dict[str, list[RawResult]]:
    """The engine's results over one batch, per record source, sorted, with line numbers
    (`data`: each record's bytes, or None to read them again from its file)."""
    found: dict[str, list[RawResult]] = {source: [] for source in batch.graphs.values()}
    lines: dict[str, LineIndex | None] = {}
    owners: dict[OxTerm, str | None] = {}

    def owner_of(focus: OxTerm) -> str | None:
        """The record a result of this focus node belongs to (None: a literal, reference data)."""
        owner = owners.get(focus, "")
        if owner == "":
            owner = owners[focus] = None if isinstance(focus, ox.Literal) else _owner(batch, focus)
        return owner

    # words for the results of kept shapes the tables cannot word, naming data nodes with the
    # prefixes of an empty rdflib graph: those of the data graph pySHACL reports on (checks.py)
    wording = Wording(prepared.texts.worded, lambda focus: owner_of(focus) is not None)
    results = prepared.engine.validate(batch.store, union=True, messages=wording,
                                       namespaces=_empty_graph_prefixes())
    prepared.timings += prepared.engine.timings
    if clock is not None:
        clock.lap("shapes")
    for result in results:
        owner = owner_of(to_ox(result.focus))
        if owner is None:
            continue  # a literal describes nothing, and no record describes reference data
        raw = to_raw(result, prepared.texts)
        if isinstance(result.focus, URIRef) or raw.path:  # a nested node: by its path (LineIndex.line_of)
            if owner not in lines:
                sha = outcomes[owner].sha256 if outcomes is not None else ""
                lines[owner] = _lines(owner, data, sha) if outcomes is not None \
                    else LineIndex(data[owner] or b"", owner)
            index = lines[owner]
            shown = raw.value.value if raw.value is not None and raw.value.kind != "bnode" else None
            line = index.line_of(result.focus, raw.path, shown, written=raw.component not in MISSING_COMPONENTS) \
                if index is not None else None
            raw = replace(raw, line=line)
        found[owner].append(raw)
    for listed in found.values():
        listed.sort(key=_sort_key)
    if clock is not None:
        clock.lap("results to records, lines")
    return found


@cache
def _empty_graph_prefixes() -> NamespaceManager:
    return Graph().namespace_manager


def _owner(batch: Batch, focus: ox.NamedNode | ox.BlankNode) -> str | None:
    """The record whose graph has statements about `focus`."""
    for quad in batch.store.quads_for_pattern(focus, None, None, None):
        graph = quad.graph_name
        source = batch.graphs.get(graph) if isinstance(graph, ox.NamedNode) else None
        if source is not None:
            return source
    return None


def to_raw(result: Result, texts: ShapeTexts) -> RawResult:
    """A compiled engine's Result in the terms of the pySHACL engine's report (checks.to_raw)."""
    shape = str(result.source_shape) if isinstance(result.source_shape, URIRef) else None
    return RawResult(
        focus=Term.of(result.focus),
        severity=SEVERITY_NAMES.get(str(result.severity), "violation"),
        shape=shape,
        component=str(result.component).rsplit("#", 1)[-1],
        path=str(result.path) if isinstance(result.path, URIRef) else None,
        value=Term.of(result.value) if result.value is not None else None,
        line=None,
        messages=() if shape in texts.worded else RawResult.words_of(result.messages),
        detail=result.detail_of is not None,
    )


def _sort_key(raw: RawResult) -> tuple[str, str, str, str, str]:
    value = "" if raw.value is None or raw.value.kind == "bnode" else raw.value.value
    focus = "" if raw.focus.kind == "bnode" else raw.focus.value
    return (focus, raw.shape or "", raw.path or "", raw.component, value)


__all__ = ["REFERENCE", "Batch", "check_items", "independent_batches", "record_graph", "record_results", "to_raw"]
