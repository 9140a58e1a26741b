"""SHACL property paths: parsed once from the shapes graph, written as SPARQL paths."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from migrmeta.namespaces import RDF, SH
from migrmeta.shacl.terms import Unsupported

_UNARY = {SH.inversePath: "^{}", SH.zeroOrMorePath: "{}*", SH.oneOrMorePath: "{}+", SH.zeroOrOnePath: "{}?"}


@dataclass(frozen=True)
class Path:
    node: Node  # the sh:path value in the shapes graph
    sparql: str  # a SPARQL 1.1 property path with full IRIs
    nullable: bool = False  # it may take no step (`p*`, `p?`): every node is then a value of itself

    @property
    def iri(self) -> URIRef | None:
        return self.node if isinstance(self.node, URIRef) else None

    @property
    def shown(self) -> URIRef | str:
        """What a result reports: the predicate, or the SPARQL text of a complex path."""
        return self.iri if self.iri is not None else self.sparql


def parse_path(graph: Graph, node: Node) -> Path:
    return Path(node, _sparql(graph, node, 0), _nullable(graph, node))


def path_predicates(graph: Graph) -> frozenset[Node]:
    """Every predicate a path of the shapes graph names, at any depth (`ex:a`, `( ex:a ex:b )`,
    `[ sh:inversePath ex:a ]` ...): what a shape can read of a node beside its types."""
    found: set[Node] = set()
    todo = list(graph.objects(None, SH.path))
    seen: set[Node] = set()
    while todo:
        node = todo.pop()
        if isinstance(node, URIRef):
            found.add(node)
        elif isinstance(node, BNode) and node not in seen:  # a list cell or a path's own node
            seen.add(node)
            todo += [o for p, o in graph.predicate_objects(node) if p in _STRUCTURE]
    found.discard(RDF.nil)
    return frozenset(found)


_STRUCTURE = frozenset({RDF.first, RDF.rest, SH.alternativePath, *_UNARY})


def _nullable(graph: Graph, node: Node) -> bool:
    """Whether the path (already written by `_sparql`, so well formed) matches with no step."""
    if isinstance(node, URIRef):
        return False
    if (node, RDF.first, None) in graph:
        return all(_nullable(graph, m) for m in Collection(graph, node))
    for alternatives in graph.objects(node, SH.alternativePath):
        return any(_nullable(graph, m) for m in Collection(graph, alternatives))
    if any(True for p in (SH.zeroOrMorePath, SH.zeroOrOnePath) for _ in graph.objects(node, p)):
        return True
    return any(_nullable(graph, inner) for p in (SH.inversePath, SH.oneOrMorePath) for inner in graph.objects(node, p))


def _sparql(graph: Graph, node: Node, depth: int) -> str:
    if depth > 20:
        raise Unsupported("property path nested too deep")
    if isinstance(node, URIRef):
        return f"<{node}>"
    if not isinstance(node, BNode):
        raise Unsupported(f"not a property path: {node!r}")
    if (node, RDF.first, None) in graph:
        members = [_group(graph, m, depth) for m in Collection(graph, node)]
        if len(members) < 2:
            raise Unsupported("a sequence path needs two members")
        return "/".join(members)
    alternatives = list(graph.objects(node, SH.alternativePath))
    if alternatives:
        members = [_group(graph, m, depth) for m in Collection(graph, alternatives[0])]
        if len(members) < 2:
            raise Unsupported("an alternative path needs two members")
        return "|".join(members)
    for predicate, template in _UNARY.items():
        inner = list(graph.objects(node, predicate))
        if inner:
            return template.format(_group(graph, inner[0], depth))
    raise Unsupported(f"not a property path: {node!r}")


def _group(graph: Graph, node: Node, depth: int) -> str:
    text = _sparql(graph, node, depth + 1)
    return text if isinstance(node, URIRef) else f"({text})"
