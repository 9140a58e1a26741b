"""Result messages exactly as pySHACL words them.

A shape's own sh:message values (every language) win; without them pySHACL's generic text
is used, made by pySHACL's own constraint classes so the wording cannot drift. Generic texts
name data nodes, so they need a data graph: IRIs only need the namespaces, blank nodes their
description, which is read from the store on demand.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from migrmeta.shacl.model import Hit
from migrmeta.shacl.terms import OxTerm, to_ox, to_rdflib


class DataView:
    """Just enough of the data graph for pySHACL's stringify_node: namespaces and blank nodes."""

    def __init__(self, store: ox.Store, namespaces: NamespaceManager | None) -> None:
        self.store = store
        self.graph = Graph(bind_namespaces="none")
        if namespaces is not None:
            for prefix, namespace in namespaces.namespaces():
                self.graph.bind(prefix, namespace, override=True, replace=True)
        self._loaded: set[Node] = set()

    def load_blank(self, node: Node) -> None:
        todo = [node]
        while todo:
            current = todo.pop()
            if not isinstance(current, BNode) or current in self._loaded:
                continue
            self._loaded.add(current)
            subject = to_ox(current)
            assert isinstance(subject, ox.BlankNode)
            for quad in self.store.quads_for_pattern(subject, None, None, None):
                obj = to_rdflib(quad.object)
                self.graph.add((current, to_rdflib(quad.predicate), obj))
                todo.append(obj)


class Messages:
    def __init__(self, shapes: Graph) -> None:
        from pyshacl.shapes_graph import ShapesGraph  # imported when messages or compilation need it

        self.shapes_graph = ShapesGraph(shapes)
        _ = self.shapes_graph.shapes  # builds pySHACL's shape table
        self._constraints: dict[tuple[Node, Node], Any] = {}

    def pyshacl_shape(self, node: Node) -> Any:
        return self.shapes_graph.lookup_shape_from_node(node)

    def for_hit(self, hit: Hit, view: DataView) -> tuple[Literal, ...]:
        if hit.messages is not None:
            return hit.messages
        if hit.shape.messages:
            return hit.shape.messages
        return self.generic(hit, view)

    def generic(self, hit: Hit, view: DataView) -> tuple[Literal, ...]:
        key = (hit.shape.node, hit.component.parameter)
        constraint = self._constraints.get(key)
        if constraint is None:
            from pyshacl.constraints import CONSTRAINT_PARAMETERS_MAP

            cls = CONSTRAINT_PARAMETERS_MAP[hit.component.parameter]
            constraint = self._constraints[key] = cls(self.pyshacl_shape(hit.shape.node))
        focus = to_rdflib(hit.focus)
        value = to_rdflib(hit.value) if hit.value is not None else None
        for node in (focus, value):
            if node is not None:
                view.load_blank(node)
        return tuple(constraint.make_generic_messages(view.graph, focus, value))


def _literally(text: str) -> Callable[[re.Match[str]], str]:
    """A replacement taken as is (no backslash escapes)."""
    return lambda _match: text


def substitute(messages: tuple[Literal, ...], bindings: dict[str, OxTerm]) -> tuple[Literal, ...]:
    """{?var} and {$var} replaced by the row's values, as pySHACL does (language kept)."""
    out = []
    for message in messages:
        text = str(message)
        for name, term in bindings.items():
            text = re.sub("{[?$]" + re.escape(name) + "}", _literally(str(to_rdflib(term))), text)
        out.append(Literal(text, lang=message.language, datatype=message.datatype))
    return tuple(out)
