"""SPARQL over the catalogue: the catalogue as named graphs, and the embedded store (pyoxigraph).

- The catalogue as a dataset: one named graph per record (`GraphNaming`), plus one graph
  for the reference data (ontology, vocabularies, countries) so labels can be queried.
- `EmbeddedStore`: that dataset in pyoxigraph; its default graph is the RDF merge of the
  named graphs, a set, as a triplestore's is when it is told to (see docs/federation.md): a
  statement two files give (a survey two agencies describe) is answered once. A merged
  dataset (`.trig`/`.nq` from `migrmeta merge`, a published site's `catalog.trig`) is read as
  `push` reads it (`merging.dataset`, `dataset_graphs`): its graphs as merged and its
  provenance, never the statements set aside, so the embedded store answers as the store
  that was pushed the same dataset.

Answers and their renderings live in `querying.results`, remote endpoints (the SPARQL 1.1
Protocol over HTTP) in `querying.endpoint`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

import pyoxigraph as ox

from migrmeta import load
from migrmeta.errors import InputError, MigrmetaError, UsageError
from migrmeta.limits import current
from migrmeta.load.reference import reference_files
from migrmeta.merging.dataset import PROVENANCE, Dataset, split_inputs
from migrmeta.merging.sources import ASIDE_SUFFIXES, GRAPH, PROFILE_GRAPH
from migrmeta.namespaces import BASE, DCAT, DCT, MM, RDF
from migrmeta.querying import execution
from migrmeta.querying.binding import calls_service
from migrmeta.querying.results import QueryResult
from migrmeta.querying.saved import Binding, inject_values

ROOT = BASE  # under it, the graphs we manage
GRAPH_SUFFIX = "/graph"
DATASET_GRAPHS = str(GRAPH)  # the graphs of a merged dataset
# What `migrmeta publish` writes: catalog.trig keeps the graphs as merged (read by
# `merging.dataset`, as push reads it); a folder holding only catalog.ttl (or .nq written by
# hand) is loaded as it is.
PUBLISHED = ("catalog.ttl", "catalog.nq", "catalog.trig")
_SAFE = "/-._~"  # what stays as it is in a graph name's path under the base
_IN_SERIES = str(DCAT) + "inSeries"  # DCAT 3; rdflib's DCAT namespace lists DCAT 2 terms


# --- the catalogue as named graphs --------------------------------------------------------


@dataclass(frozen=True)
class GraphNaming:
    """How a record's graph is named: `<survey IRI>/graph`, or `base` + its path under ROOT."""

    base: str | None = None

    def __post_init__(self) -> None:
        if self.base is not None:
            try:
                ox.NamedNode(self.base)
            except ValueError as exc:
                raise UsageError(f"the graph base {self.base!r} is not an absolute IRI ({exc})") from exc
            if not self.base.endswith(("/", "#")):
                raise UsageError(f"the graph base {self.base!r} must end with / or #")

    def name(self, subject: str) -> str:
        if self.base is None:
            return subject + GRAPH_SUFFIX
        relative = subject[len(ROOT):] if subject.startswith(ROOT) else subject.rsplit("/", 1)[-1]
        return self.base + quote(relative, safe=_SAFE)

    def reference(self) -> str:
        return self.name(ROOT + "reference")

    def rebase(self, graph: str) -> str:
        """A merged dataset's graph (`https://w3id.org/migrmeta/graph/...`) as pushed: as it is, or under `base`."""
        return graph if self.base is None else self.name(graph)

    def manages(self, graph: str) -> bool:
        """Is this graph one that a push may replace or prune (a record's, or a merged dataset's)?"""
        if self.base is None:
            return graph.startswith(ROOT) and (graph.endswith(GRAPH_SUFFIX) or graph.startswith(DATASET_GRAPHS))
        return graph.startswith(self.base)

    def relative(self, graph: str) -> str | None:
        """The path under the base of a graph this naming manages (`survey/ph-sof`, `agencies`,
        `reference`, `graph/<agency>/<file>`), the same whatever the base; None for other graphs."""
        if self.base is None:
            return _default_relative(graph)
        return graph[len(self.base):] if graph.startswith(self.base) else None

    def elsewhere(self, graph: str, relatives: set[str]) -> str | None:
        """The other naming under which `graph` would be one of the graphs whose paths are
        `relatives` (see `relative`): its base, or "" for the default naming (`<survey IRI>/graph`);
        None when it is no such graph, or one this naming manages."""
        if self.manages(graph):
            return None
        if self.base is not None and _default_relative(graph) in relatives:
            return ""
        for index, char in enumerate(graph):  # the longest path first: the shortest base
            if char in "/#" and graph[index + 1:] in relatives:
                return graph[: index + 1]
        return None


def _default_relative(graph: str) -> str | None:
    if not graph.startswith(ROOT):
        return None
    if graph.startswith(DATASET_GRAPHS):
        return quote(graph[len(ROOT):], safe=_SAFE)
    if graph.endswith(GRAPH_SUFFIX):
        return quote(graph[len(ROOT):-len(GRAPH_SUFFIX)], safe=_SAFE)
    return None


@dataclass
class CatalogueGraph:
    """One named graph of the catalogue: a record file, or the reference data."""

    name: str
    source: str
    triples: list[ox.Triple] = field(repr=False)
    also: tuple[str, ...] = ()  # more files whose statements the graph holds (files without a survey)

    def __len__(self) -> int:
        return len(set(self.triples))

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source, *self.also)

    @property
    def shown(self) -> str:
        """Where its statements come from, for people: the file, or the files."""
        return ", ".join(self.sources)


def record_subject(triples: Iterable[ox.Triple], source: str) -> str:
    """The IRI a record is about: its one top-level survey or series, else one named by the file."""
    return _record_subject(triples, source)[0]


def _record_subject(triples: Iterable[ox.Triple], source: str) -> tuple[str, bool]:
    """The IRI a record is about, and whether the file describes any survey or series at all."""
    surveys: set[str] = set()
    in_series: dict[str, str] = {}
    identifiers: dict[str, str] = {}
    kinds = {str(MM.Survey), str(MM.SurveySeries)}
    for triple in triples:
        subject, obj = triple.subject, triple.object
        if not isinstance(subject, ox.NamedNode) or isinstance(obj, ox.Triple):
            continue
        predicate = triple.predicate.value
        if predicate == str(RDF.type) and obj.value in kinds:
            surveys.add(subject.value)
        elif predicate == _IN_SERIES:
            in_series[subject.value] = obj.value
        elif predicate == str(DCT.identifier):
            identifiers[subject.value] = obj.value
    top = sorted(s for s in surveys if in_series.get(s) not in surveys)
    if len(top) == 1:
        return top[0], True
    stem = Path(source).stem
    for candidate in top:
        if identifiers.get(candidate) == stem:
            return candidate, True
    return ROOT + quote(stem, safe="-._~"), bool(surveys)  # agencies.ttl -> <https://w3id.org/migrmeta/agencies>


def record_layout_relative(graph: CatalogueGraph, naming: GraphNaming) -> str | None:
    """A merged dataset's contribution graph (`graph/<agency>/<file>`) by the path a push of
    the records names its file's graph with (`survey/ph-sof`, `agencies`): to find this
    catalogue pushed that way under another graph base. None for a record's own graph."""
    relative = naming.relative(graph.name)
    if relative is None or not relative.startswith("graph/") or relative.endswith(ASIDE_SUFFIXES) \
            or relative == naming.relative(naming.rebase(str(PROFILE_GRAPH))):
        return None  # a companion graph, or the profile's: no record's file
    subject = record_subject(graph.triples, unquote(relative.rsplit("/", 1)[-1]))
    return quote(subject[len(ROOT):], safe=_SAFE) if subject.startswith(ROOT) else None


def read_triples(name: str) -> list[ox.Triple]:
    """One record file (or `-`) as pyoxigraph triples, through the one reader."""
    return load.read_input(name).triples


def read_catalogue(
    paths: Iterable[str | Path], naming: GraphNaming | None = None, notices: list[load.Verdict] | None = None
) -> tuple[list[CatalogueGraph], list[InputError]]:
    """Record files -> one named graph each; unreadable files and clashes as errors, the rest kept.
    With `notices`, a merge's output in a folder beside its sources is left out, and said
    (load/merged.py).

    Files that describe no survey and share a name (`a/agencies.ttl` and `b/agencies.ttl`, as
    `validate` and `publish` read them: together they describe the agencies) are one graph,
    holding the statements of both. Two files describing one survey are an error for the second."""
    naming = naming or GraphNaming()
    graphs: dict[str, CatalogueGraph] = {}
    surveyless: set[str] = set()  # graphs of files that describe no survey
    errors: list[InputError] = []
    for name in load.expand_paths(paths, notices):
        if isinstance(name, InputError):
            errors.append(name)
            continue
        try:
            triples = read_triples(name)
        except InputError as exc:
            errors.append(exc)
            continue
        subject, about_a_survey = _record_subject(triples, name)
        graph = naming.name(subject)
        if graph in graphs:
            first = graphs[graph]
            if not about_a_survey and graph in surveyless:
                graphs[graph] = CatalogueGraph(graph, first.source, first.triples + triples, (*first.also, name))
                continue
            errors.append(InputError(
                name, f"describes the same survey as {first.source} (graph <{graph}>)",
                hint="describe each survey in one record file, or give the records distinct dct:identifier",
            ))
            continue
        graphs[graph] = CatalogueGraph(graph, name, triples)
        if not about_a_survey:
            surveyless.add(graph)
    return list(graphs.values()), errors


def dataset_graphs(dataset: Dataset, naming: GraphNaming | None = None) -> list[CatalogueGraph]:
    """A merged dataset as push writes it: its graphs as merged, and its provenance (its default
    graph) as `.../graph/provenance`; never the statements set aside (superseded, replaced)."""
    naming = naming or GraphNaming()
    graphs = [CatalogueGraph(naming.rebase(name), dataset.source, triples) for name, triples in dataset.graphs.items()]
    graphs.append(CatalogueGraph(naming.rebase(PROVENANCE), dataset.source, dataset.provenance))
    return graphs


def reference_graph(naming: GraphNaming | None = None) -> CatalogueGraph:
    """The ontology, the vocabularies and the country list as one graph."""
    triples: list[ox.Triple] = []
    for path in reference_files():
        triples.extend(load.read_trusted(path).triples)
    return CatalogueGraph((naming or GraphNaming()).reference(), "reference data", triples)


# --- the embedded store -------------------------------------------------------------------

_RDF_TYPE = str(RDF.type)
_TYPE_NODE = ox.NamedNode(_RDF_TYPE)


class _BlankLabels:
    """A blank node's label in the store: the same for the same inputs every time. The parser
    draws random labels, so a SELECT over blank nodes printed other bytes (and, ordered by them,
    other rows) on each run, where docs/queries.md promises the same bytes (the researcher
    review). One count for the whole store, in the order the inputs give their nodes: the
    parser's labels tell the nodes apart (those of two files never meet, a TriG file's are one
    across its graphs), these only name them."""

    def __init__(self) -> None:
        self.labels: dict[ox.BlankNode, ox.BlankNode] = {}

    def __call__(self, node: ox.BlankNode) -> ox.BlankNode:
        found = self.labels.get(node)
        if found is None:
            found = self.labels[node] = ox.BlankNode(f"b{len(self.labels)}")
        return found

    def ends(self, subject: ox.NamedNode | ox.BlankNode | ox.Triple, obj: ox.NamedNode | ox.BlankNode | ox.Literal
             | ox.Triple) -> tuple[ox.NamedNode | ox.BlankNode | ox.Triple, ox.NamedNode | ox.BlankNode | ox.Literal
                                   | ox.Triple]:
        """A statement's subject and object, a blank one relabelled."""
        return (self(subject) if type(subject) is ox.BlankNode else subject,
                self(obj) if type(obj) is ox.BlankNode else obj)


class EmbeddedStore:
    """The catalogue in pyoxigraph, queried with the merge of its graphs as default graph.

    Each statement is held in its named graph and in the default graph, where the store keeps
    it once: twice the statements (the bundled records: 18,900 -> 37,800; 0.15 s more to open,
    9 MB more memory), for answers that count each statement once. Oxigraph's union flag
    (`use_default_graph_as_union`) matches a statement once per graph holding it: a survey
    described in two files was counted twice by `COUNT(?s)` and listed twice by a query without
    DISTINCT."""

    def __init__(self) -> None:
        self.store = ox.Store()
        self.blank_labels = _BlankLabels()
        self.inputs = 0  # graphs and published dumps read from the inputs (the reference data apart)

    def add(self, *graphs: CatalogueGraph) -> None:
        """Load graphs; one bulk load for all of them is much faster than one per graph."""

        def quads() -> Iterator[ox.Quad]:
            default = ox.DefaultGraph()
            for graph in graphs:
                name = ox.NamedNode(graph.name)
                ends = self.blank_labels.ends
                for t in graph.triples:
                    s, o = ends(t.subject, t.object)
                    yield ox.Quad(s, t.predicate, o, name)
                    yield ox.Quad(s, t.predicate, o, default)

        self.store.bulk_extend(quads())

    def load_dataset(self, path: Path) -> None:
        """A published dump (`catalog.nq` / `.trig` keep their graphs; `.ttl` fills the default graph)."""
        fmt = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG}.get(path.suffix, ox.RdfFormat.TURTLE)
        default = ox.DefaultGraph()

        def quads() -> Iterator[ox.Quad]:  # a named graph's statements into the default graph too, as `add`
            ends = self.blank_labels.ends
            for quad in ox.parse(path=str(path), format=fmt):
                s, o = ends(quad.subject, quad.object)
                yield ox.Quad(s, quad.predicate, o, quad.graph_name)
                if quad.graph_name != default:
                    yield ox.Quad(s, quad.predicate, o, default)

        try:
            self.store.bulk_extend(quads())
        except SyntaxError as exc:
            raise InputError(str(path), f"syntax error: {exc.msg}", line=exc.lineno) from exc
        except (OSError, ValueError) as exc:
            raise InputError(str(path), f"cannot be loaded ({exc})") from exc

    @classmethod
    def open(cls, paths: Iterable[str | Path], *, reference: bool = True,
             notices: list[load.Verdict] | None = None) -> tuple[EmbeddedStore, list[InputError]]:
        """Records (files, directories), merged datasets (.trig/.nq) or published directories,
        each read as `push` reads it; the errors of unreadable files. `notices` as for
        `read_catalogue`."""
        store = cls()
        others, datasets, errors = split_inputs(paths)
        graphs = [graph for dataset in datasets for graph in dataset_graphs(dataset)]
        records: list[str | Path] = []
        for path in others:  # a published folder whose catalogue is no merged dataset: loaded as it is
            published = next((Path(path) / n for n in PUBLISHED if (Path(path) / n).is_file()), None)
            if Path(path).is_dir() and published is not None:
                store.load_dataset(published)
                store.inputs += 1
            else:
                records.append(path)
        if records:
            found_graphs, found_errors = read_catalogue(records, notices=notices)
            graphs += found_graphs
            errors += found_errors
        store.inputs += len(graphs)
        if reference:
            graphs.append(reference_graph())
        store.add(*graphs)
        return store, errors

    def __len__(self) -> int:
        return len(self.store)

    def reference_only(self, text: str) -> list[str]:
        """The IRIs a query names that the reference data uses as a property or a class and this
        store (opened without it) never does: `skos:broader`, `mm:answeredBy`. Without the
        reference data its answer may be empty or short, not because the catalogue says so."""
        named = execution.iris_in(text) or set()
        if not named:
            return []
        used: set[str] = set()
        for triple in reference_graph().triples:
            used.add(triple.predicate.value)
            if triple.predicate.value == _RDF_TYPE and isinstance(triple.object, ox.NamedNode):
                used.add(triple.object.value)
        found = []
        for iri in sorted(named & used):
            term = ox.NamedNode(iri)
            if next(self.store.quads_for_pattern(None, term, None), None) is None and \
                    next(self.store.quads_for_pattern(None, _TYPE_NODE, term), None) is None:
                found.append(iri)
        return found

    def query(self, text: str, bindings: Mapping[str, Binding] | None = None, source: str = "<query>",
              *, allow_service: bool = False, deadline: float | None = None) -> QueryResult:
        """Run a query in a child process stopped at the limit `query_seconds` (or on Ctrl-C); one
        that calls SERVICE runs only with `allow_service`, within `deadline` seconds when given."""
        text = inject_values(text, bindings or {})
        if not allow_service:
            _refuse_services(text, source)
        try:
            if deadline is not None and allow_service:  # SERVICE calls: the endpoints get `deadline` in all
                return QueryResult.from_oxigraph(execution.run(self.store, text, deadline))
            return QueryResult.from_oxigraph(execution.run(self.store, text, current().query_seconds))
        except execution.TooLong:
            if deadline is None or not allow_service:
                raise
            raise MigrmetaError(f"{source}: the query (and the endpoints it calls through SERVICE) did not finish "
                                f"within {deadline:g} s; it was stopped",
                                hint="raise {--timeout|deadline=}, or run it on the store that holds most of the "
                                     "data with {--endpoint URL|endpoint=} (docs/federation.md)") from None
        except execution.QueryFailure as exc:
            if exc.kind == "syntax":
                raise execution.syntax_error(exc.message, source, text) from None
            raise MigrmetaError(f"{source}: the query failed: {exc.message}") from None


def _refuse_services(text: str, source: str) -> None:
    """A query that would contact another endpoint runs only with the user's word."""
    services = execution.service_calls(text)
    hint = "allow it with {--allow-service|allow_service=True} to let migrmeta send the inner query there"
    if services:
        raise UsageError(
            f"{source}: the query calls SERVICE {services[0]}: the embedded store contacts other endpoints only "
            "when you say so", hint=hint)
    if services is None and calls_service(text):
        raise UsageError(f"{source}: the SPARQL parser cannot tell whether this query calls SERVICE; the "
                         "embedded store contacts other endpoints only when you say so", hint=hint)


__all__ = ["GRAPH_SUFFIX", "PUBLISHED", "ROOT", "CatalogueGraph", "EmbeddedStore", "GraphNaming", "dataset_graphs",
           "read_catalogue", "read_triples", "record_layout_relative", "record_subject", "reference_graph"]
