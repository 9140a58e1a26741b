"""Shapes the compiler does not translate: pySHACL validates them, on the same data.

The store's triples are copied into an rdflib graph (blank nodes keep their store labels,
so results point at the store's nodes) and each such shape is run by pySHACL's own Shape
object with the options of the reference run (allow_warnings, no inference).
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from pyshacl.pytypes import SHACLExecutor
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from migrmeta.namespaces import SH
from migrmeta.shacl.paths import parse_path
from migrmeta.shacl.terms import to_rdflib

_FIELDS = {SH.focusNode: "focus", SH.value: "value", SH.resultPath: "path", SH.sourceShape: "shape",
           SH.sourceConstraintComponent: "component", SH.resultSeverity: "severity",
           SH.sourceConstraint: "constraint"}


def store_graph(store: ox.Store, namespaces: NamespaceManager | None) -> Graph:
    graph = Graph(bind_namespaces="none")
    if namespaces is not None:  # pySHACL's generic messages write names with them
        for prefix, namespace in namespaces.namespaces():
            graph.bind(prefix, namespace, override=True, replace=True)
    for quad in store.quads_for_pattern(None, None, None, None):
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def run(pyshacl_shape: Any, data: Graph, shapes: Graph) -> list[dict[str, Any]]:
    """pySHACL's results for one shape over its own targets, as plain field dicts; a
    result's sh:detail results follow it, with "detail_of" the position of their parent."""
    executor = SHACLExecutor(allow_warnings=True)
    _conforms, reports = pyshacl_shape.validate(executor, data)
    out: list[dict[str, Any]] = []
    for _desc, node, triples in reports:
        by_subject: dict[Node, list[tuple[Node, Any]]] = {}
        for subject, predicate, obj in triples:
            by_subject.setdefault(subject, []).append((predicate, obj))
        _collect(node, by_subject, shapes, None, out)
    return out


def _collect(node: Node, by_subject: dict[Node, list[tuple[Node, Any]]], shapes: Graph,
             parent: int | None, out: list[dict[str, Any]]) -> None:
    fields = _fields(by_subject.get(node, []), shapes)
    fields["detail_of"] = parent
    out.append(fields)
    index = len(out) - 1
    for predicate, obj in by_subject.get(node, []):
        if predicate == SH.detail:
            _collect(obj, by_subject, shapes, index, out)


def _fields(pairs: list[tuple[Node, Any]], shapes: Graph) -> dict[str, Any]:
    found: dict[str, Any] = {"messages": []}
    for predicate, obj in pairs:
        term = obj[1] if isinstance(obj, tuple) else obj
        if predicate == SH.resultMessage and isinstance(term, Literal):
            found["messages"].append(term)
        elif isinstance(predicate, URIRef) and predicate in _FIELDS:
            found[_FIELDS[predicate]] = term
    path = found.get("path")
    if path is not None and not isinstance(path, URIRef):
        found["path"] = parse_path(shapes, path).sparql
    return found
