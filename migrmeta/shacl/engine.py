"""The compiled shapes of one shapes graph, applied to a store."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from migrmeta.shacl import fallback
from migrmeta.shacl.compile import Compiler
from migrmeta.shacl.evaluate import Evaluator, target_context
from migrmeta.shacl.messages import DataView, Messages
from migrmeta.shacl.model import Hit, Result, Shape
from migrmeta.shacl.terms import Unsupported, to_rdflib


@dataclass(frozen=True)
class Fallback:
    """A shape validated by pySHACL, and why."""

    shape: Node
    reason: str


@dataclass
class Engine:
    shapes_graph: Graph
    messages: Messages
    compiled: list[Shape]
    fallback_shapes: list[Fallback]
    timings: list[tuple[float, str]] = field(default_factory=list)  # of the last run: seconds, query

    def validate(self, store: ox.Store, *, union: bool | None = None,
                 namespaces: NamespaceManager | None = None) -> list[Result]:
        """Every result of every shape over the store's data (default graph, or the union
        of its named graphs: by default, when the store has any)."""
        if union is None:
            union = next(iter(store.named_graphs()), None) is not None
        ev = Evaluator(store, union)
        view = DataView(store, namespaces)
        results: list[Result] = []
        for shape in self.compiled:
            for hit in ev.shape_hits(shape, target_context(shape.targets)):
                self._add(results, hit, view, None)
        self.timings = ev.timings
        if self.fallback_shapes:
            results += self._fallback(store, results, namespaces)
        return results

    def _add(self, results: list[Result], hit: Hit, view: DataView, parent: int | None) -> None:
        results.append(Result(
            focus=to_rdflib(hit.focus),
            path=hit.path if hit.path is not None else hit.shape.shown_path,
            value=to_rdflib(hit.value) if hit.value is not None else None,
            source_shape=hit.shape.node,
            component=hit.constraint_component,
            severity=hit.shape.severity,
            messages=self.messages.for_hit(hit, view),
            source_constraint=hit.source_constraint,
            detail_of=parent,
        ))
        index = len(results) - 1
        for detail in hit.details:
            self._add(results, detail, view, index)

    def _fallback(self, store: ox.Store, results_so_far: list[Result],
                  namespaces: NamespaceManager | None) -> list[Result]:
        data = fallback.store_graph(store, namespaces)
        out: list[Result] = []
        for entry in self.fallback_shapes:
            shape = self.messages.pyshacl_shape(entry.shape)
            base = len(results_so_far) + len(out)
            for found in fallback.run(shape, data, self.shapes_graph):
                parent = found["detail_of"]
                out.append(Result(
                    focus=found["focus"], path=found.get("path"), value=found.get("value"),
                    source_shape=found["shape"], component=found["component"],
                    severity=found["severity"], messages=tuple(found["messages"]),
                    source_constraint=found.get("constraint"),
                    detail_of=None if parent is None else base + parent,
                ))
        return out


def compile_shapes(shapes_graph: Graph) -> Engine:
    """Compile every shape with targets; the ones that cannot be compiled go to pySHACL."""
    compiler = Compiler(shapes_graph)
    compiled: list[Shape] = []
    fallbacks: list[Fallback] = []
    for ps in compiler.messages.shapes_graph.shapes:
        if ps.deactivated or not any(list(t) for t in ps.target()):
            continue
        try:
            compiled.append(compiler.top_level(ps.node))
        except Unsupported as exc:
            fallbacks.append(Fallback(ps.node, str(exc)))
    return Engine(shapes_graph, compiler.messages, compiled, fallbacks)


__all__ = ["Engine", "Fallback", "compile_shapes"]
