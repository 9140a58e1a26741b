"""Comparing the compiled engine with pySHACL, result by result.

Both sides become multisets of plain tuples: focus, path, value, source shape, component,
severity and messages. Blank nodes of the data are replaced by a canonical description of
what hangs off them (labels differ between rdflib and oxigraph); literals are compared in
the store's canonical form ("01"^^xsd:integer is stored as "1", language tags lower-case),
after rdflib's own: pySHACL reads rdflib's graph, where "maybe"^^xsd:boolean is "false", while
migrmeta keeps the form written (rdf/terms.literal).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta.namespaces import RDF, SH
from migrmeta.shacl import Engine, Result
from migrmeta.shacl.paths import parse_path
from migrmeta.shacl.terms import to_ox, to_rdflib
from migrmeta.validation.monkey.sparqlprep import prepared_queries

Key = tuple[str, ...]
Describe = Callable[[Node], str]


@cache
def _canonical_literal(literal: Literal) -> str:
    if literal.datatype is not None:
        literal = Literal(str(literal), datatype=literal.datatype)  # rdflib's normalization
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), to_ox(literal)))
    [quad] = list(store.quads_for_pattern(None, None, None, None))
    return str(quad.object)


def describer(triples: Callable[[Node], Iterable[tuple[Node, Node]]]) -> Describe:
    def describe(node: Node, depth: int = 0) -> str:
        if isinstance(node, Literal):
            return _canonical_literal(node)
        if isinstance(node, URIRef):
            return f"<{node}>"
        if depth > 8:
            return "[...]"
        inner = sorted(f"<{p}> {describe(o, depth + 1)}" for p, o in triples(node))
        return "[" + " ; ".join(inner) + "]"

    return describe


def graph_describer(graph: Graph) -> Describe:
    return describer(lambda n: graph.predicate_objects(n))


def store_describer(store: ox.Store) -> Describe:
    def triples(node: Node) -> list[tuple[Node, Node]]:
        subject = to_ox(node)
        assert not isinstance(subject, ox.Literal)
        return [(to_rdflib(q.predicate), to_rdflib(q.object)) for q in store.quads_for_pattern(subject, None, None, None)]

    return describer(triples)


def _messages(messages: Iterable[Literal]) -> str:
    return " | ".join(sorted({str(m) for m in messages}))


def engine_keys(results: list[Result], store: ox.Store) -> Counter[Key]:
    describe = store_describer(store)
    return Counter(
        (describe(r.focus), str(r.path or ""), describe(r.value) if r.value is not None else "",
         str(r.source_shape), str(r.component), str(r.severity), _messages(r.messages))
        for r in results
    )


def pyshacl_keys(data: Graph, shapes: Graph) -> Counter[Key]:
    with prepared_queries():
        _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, allow_warnings=True, inplace=True)
    describe = graph_describer(data)
    keys: Counter[Key] = Counter()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        shown = "" if path is None else str(path) if isinstance(path, URIRef) else parse_path(report, path).sparql
        focus = report.value(result, SH.focusNode)
        assert focus is not None
        keys[(describe(focus), shown, describe(value) if value is not None else "",
              str(report.value(result, SH.sourceShape)), str(report.value(result, SH.sourceConstraintComponent)),
              str(report.value(result, SH.resultSeverity)),
              _messages(m for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)))] += 1
    return keys


def store_of(graph: Graph) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(*(to_ox(t) for t in triple)) for triple in graph)  # type: ignore[misc]
    return store


def differences(ours: Counter[Key], theirs: Counter[Key]) -> str:
    lines = [f"only the engine ({n}x): {k}" for k, n in sorted((ours - theirs).items())]
    lines += [f"only pySHACL ({n}x): {k}" for k, n in sorted((theirs - ours).items())]
    return "\n".join(lines)


def compare(engine: Engine, data: Graph, shapes: Graph, store: ox.Store | None = None) -> tuple[str, int]:
    """Differences (empty when identical) and the number of results."""
    store = store if store is not None else store_of(data)
    ours = engine_keys(engine.validate(store, namespaces=data.namespace_manager), store)
    theirs = pyshacl_keys(data, shapes)
    return differences(ours, theirs), sum(theirs.values())


__all__ = ["BNode", "compare", "differences", "engine_keys", "pyshacl_keys", "store_of"]


def load_store(files: Iterable[str], named: bool) -> ox.Store:
    """The store as migrmeta will load it: pyoxigraph's parser, one named graph per file."""
    store = ox.Store()
    for path in files:
        graph = ox.NamedNode(f"file://{path}") if named else ox.DefaultGraph()
        store.load(path=path, format=ox.RdfFormat.TURTLE, to_graph=graph)
    return store
