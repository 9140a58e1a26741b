"""Shapes graph -> compiled shapes: targets as SPARQL patterns, components as queries.

pySHACL's own ShapesGraph decides what is a shape and reads severity, messages and
deactivation, so both engines see the same shapes; this module only translates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from migrmeta.namespaces import RDF, RDFS, SH
from migrmeta.shacl.components import COMPANIONS, NESTED, SIMPLE
from migrmeta.shacl.components.nested import Closed, Logical, NodeRef, Not, Qualified
from migrmeta.shacl.components.sparql import SparqlConstraint, sparql
from migrmeta.shacl.messages import Messages
from migrmeta.shacl.model import Component, Shape
from migrmeta.shacl.paths import parse_path
from migrmeta.shacl.terms import Unsupported, sparql_term

_INSTANCE = f"<{RDF.type}>/<{RDFS.subClassOf}>*"


class Compiler:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.messages = Messages(graph)
        self._shapes: dict[Node, Shape] = {}
        self._building: set[Node] = set()
        self._custom = _custom_parameters(graph)

    def top_level(self, node: Node) -> Shape:
        shape = self.shape(node)
        ps = self.messages.pyshacl_shape(node)
        if any(True for _ in ps.target()[0]) and _empty_path_reached(shape):
            # A node named by sh:targetNode may be in no statement: by pySHACL's pre-binding it is
            # still its own value along an empty path, which a query joining ?this cannot find.
            raise Unsupported("sh:targetNode with a path that may take no step (*, ?)")
        shape.targets = _targets(ps)
        return shape

    def shape(self, node: Node) -> Shape:
        found = self._shapes.get(node)
        if found is not None:
            return found
        if node in self._building:
            raise Unsupported(f"recursive shape {node}")
        self._building.add(node)
        try:
            built = self._build(node)
        finally:
            self._building.discard(node)
        self._shapes[node] = built
        return built

    def _build(self, node: Node) -> Shape:
        try:
            ps = self.messages.pyshacl_shape(node)
        except KeyError as exc:
            raise Unsupported(f"{node} is not a shape") from exc
        if not isinstance(ps.severity, URIRef):
            raise Unsupported(f"severity {ps.severity}")
        path = parse_path(self.graph, ps.path()) if ps.is_property_shape else None
        messages = tuple(sorted((m for m in ps.message if isinstance(m, Literal)),
                                key=lambda m: (m.language or "", str(m))))
        shape = Shape(node, path, ps.severity, messages, bool(ps.deactivated))
        shape.components = self._components(node, ps)
        shape.properties, reasons = [], set()
        for prop in self.graph.objects(node, SH.property):
            try:
                shape.properties.append(self.shape(prop))
            except Unsupported as exc:  # every reason, in a stable order (graph order is not)
                reasons.add(str(exc))
        if reasons:
            raise Unsupported("; ".join(sorted(reasons)))
        if path is not None and shape.properties:
            raise Unsupported("sh:property inside a property shape")
        return shape

    def _components(self, node: Node, ps: Any) -> list[Component]:
        present = {p for p in self.graph.predicates(node) if p in ALL_CONSTRAINT_PARAMETERS}
        unknown = present - set(SIMPLE) - NESTED - COMPANIONS
        if unknown or present & self._custom:
            names = sorted(str(p) for p in unknown | (present & self._custom))
            raise Unsupported("components not compiled: " + ", ".join(names))
        components: list[Component] = []
        for builder in dict.fromkeys(SIMPLE[p] for p in present if isinstance(p, URIRef) and p in SIMPLE):
            components += builder(self.graph, node)
        components += self._nested(node, present)
        if SH.sparql in present:
            components += sparql(self.graph, node, ps)
        return components

    def _nested(self, node: Node, present: set[Node]) -> list[Component]:
        g = self.graph
        out: list[Component] = [NodeRef(self.shape(n)) for n in g.objects(node, SH.node)]
        out += [Not(self.shape(n)) for n in g.objects(node, SH["not"])]
        for parameter in (SH["and"], SH["or"], SH.xone):
            for members in g.objects(node, parameter):
                out.append(Logical(parameter, [self.shape(m) for m in Collection(g, members)]))
        if SH.qualifiedValueShape in present:
            if (node, SH.path, None) not in g:  # pySHACL ignores it there, with a warning
                raise Unsupported("sh:qualifiedValueShape on a node shape")
            out += self._qualified(node)
        if any(str(v).lower() == "true" for v in g.objects(node, SH.closed)):
            out.append(self._closed(node))
        return out

    def _qualified(self, node: Node) -> list[Component]:
        g = self.graph
        low = [int(str(v)) for v in g.objects(node, SH.qualifiedMinCount)]
        high = [int(str(v)) for v in g.objects(node, SH.qualifiedMaxCount)]
        disjoint = any(str(v).lower() == "true" for v in g.objects(node, SH.qualifiedValueShapesDisjoint))
        out: list[Component] = []
        for target in g.objects(node, SH.qualifiedValueShape):
            siblings: list[Shape] = []
            if disjoint:
                for parent in g.subjects(SH.property, node):
                    for other in g.objects(parent, SH.property):
                        siblings += [self.shape(s) for s in g.objects(other, SH.qualifiedValueShape) if s != target]
            out.append(Qualified(self.shape(target), list(dict.fromkeys(siblings)),
                                 low[0] if low else None, high[0] if high else None))
        return out

    def _closed(self, node: Node) -> Closed:
        g = self.graph
        allowed = {p for prop in g.objects(node, SH.property) for p in g.objects(prop, SH.path)
                   if isinstance(p, URIRef)}
        for listed in g.objects(node, SH.ignoredProperties):
            allowed |= {p for p in Collection(g, listed) if isinstance(p, URIRef)}
        return Closed(sorted(f"<{p}>" for p in allowed))


def _reached(shape: Shape) -> Iterator[Shape]:
    """The shape, its property shapes and the shapes its components name, each once."""
    todo, seen = [shape], set()
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += current.properties
        todo += [n for c in current.components if isinstance(c, (NodeRef, Not, Logical, Qualified)) for n in c.nested]


# a path that may take no step in a SPARQL constraint's own text: `<p>*`, `(...)?`
_EMPTY_STEP = re.compile(r"[>)][*?]")


def _empty_path_reached(shape: Shape) -> bool:
    """Whether a shape reached from this one has a path that may take no step, or a SPARQL
    constraint whose query walks one."""
    return any((s.path is not None and s.path.nullable)
               or any(isinstance(c, SparqlConstraint) and _EMPTY_STEP.search(c.where) for c in s.components)
               for s in _reached(shape))


_IRI = re.compile(r"<([^<>\s]*)>")


def readable_predicates(graph: Graph, compiled: list[Shape], left_to_pyshacl: bool) -> frozenset[str] | None:
    """The predicates by which a shape can reach a literal of the data: every IRI of the shapes
    graph and of the compiled SPARQL constraints; None (any) when a shape reads predicates it
    does not name (sh:closed, a query with a variable predicate) or pySHACL validates some."""
    if left_to_pyshacl:
        return None
    found = {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}
    for shape in (s for top in compiled for s in _reached(top)):
        for component in shape.components:
            if isinstance(component, Closed):
                return None
            if isinstance(component, SparqlConstraint):
                if component.any_predicate:
                    return None
                found.update(_IRI.findall(component.where))
    return frozenset(found)


def _targets(ps: Any) -> list[str]:
    nodes, classes, implicit, objects_of, subjects_of = ps.target()
    patterns = [f"VALUES ?this {{ {sparql_term(n)} }}" for n in nodes]
    patterns += [f"?this {_INSTANCE} {sparql_term(c)} ." for c in dict.fromkeys([*classes, *implicit])]
    patterns += [f"?this {sparql_term(p)} ?_o ." for p in subjects_of]
    patterns += [f"?_s {sparql_term(p)} ?this ." for p in objects_of]
    return patterns


def _custom_parameters(graph: Graph) -> set[Node]:
    """Parameters of SHACL-SPARQL constraint components: not compiled."""
    return {path for component in graph.subjects(RDF.type, SH.ConstraintComponent)
            for parameter in graph.objects(component, SH.parameter)
            for path in graph.objects(parameter, SH.path)}
