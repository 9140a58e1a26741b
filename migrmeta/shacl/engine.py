"""The compiled shapes of one shapes graph, applied to a store.

An Engine pickles (compiled shapes and the reasons of the fallbacks, no rdflib graph, no
pySHACL object), so a caller can keep it on disk keyed by the shapes' bytes and skip the
compilation: pySHACL is then imported only for generic messages and fallback shapes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from migrmeta.shacl.evaluate import Evaluator, target_context
from migrmeta.shacl.model import Hit, Result, Shape
from migrmeta.shacl.terms import Unsupported, quiet_literals, to_rdflib

if TYPE_CHECKING:
    from migrmeta.shacl.messages import DataView, Messages


@dataclass(frozen=True)
class Fallback:
    """A shape validated by pySHACL, and why."""

    shape: Node
    reason: str


@dataclass
class Engine:
    compiled: list[Shape]
    fallback_shapes: list[Fallback]
    shapes_source: Callable[[], Graph] | None = field(default=None, repr=False)  # the shapes graph, on demand
    timings: list[tuple[float, str]] = field(default_factory=list)  # of the last run: seconds, query
    _shapes: Graph | None = field(default=None, repr=False)
    _messages: Messages | None = field(default=None, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        """What is kept on disk: the compiled shapes and the fallbacks (the graph is read again)."""
        return {"compiled": self.compiled, "fallback_shapes": self.fallback_shapes}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["compiled"], state["fallback_shapes"])  # type: ignore[misc]

    @property
    def shapes_graph(self) -> Graph:
        if self._shapes is None:
            if self.shapes_source is None:
                raise RuntimeError("this engine was loaded without its shapes graph: set shapes_source")
            self._shapes = self.shapes_source()
        return self._shapes

    @property
    def messages(self) -> Messages:
        if self._messages is None:
            from migrmeta.shacl.messages import Messages  # pySHACL's shapes graph: only for messages

            self._messages = Messages(self.shapes_graph)
        return self._messages

    def validate(self, store: ox.Store, *, union: bool | None = None, namespaces: NamespaceManager | None = None,
                 messages: bool = True) -> list[Result]:
        """Every result of every shape over the store's data (default graph, or the union
        of its named graphs: by default, when the store has any).

        With messages=False results carry no sh:resultMessage (a caller that words its own
        findings saves pySHACL's generic texts and the import of pySHACL)."""
        if union is None:
            union = next(iter(store.named_graphs()), None) is not None
        ev = Evaluator(store, union)
        hits = [hit for shape in self.compiled for hit in ev.shape_hits(shape, target_context(shape.targets))]
        view = None
        if messages:
            from migrmeta.shacl.messages import DataView

            view = DataView(store, namespaces)
        results: list[Result] = []
        for hit in hits:
            self._add(results, hit, view, None)
        self.timings = ev.timings
        if self.fallback_shapes:
            results += self._fallback(store, results, namespaces)
        return results

    def _add(self, results: list[Result], hit: Hit, view: DataView | None, parent: int | None) -> None:
        results.append(Result(
            focus=to_rdflib(hit.focus),
            path=hit.path if hit.path is not None else hit.shape.shown_path,
            value=to_rdflib(hit.value) if hit.value is not None else None,
            source_shape=hit.shape.node,
            component=hit.constraint_component,
            severity=hit.shape.severity,
            messages=self.messages.for_hit(hit, view) if view is not None else (),
            source_constraint=hit.source_constraint,
            detail_of=parent,
        ))
        index = len(results) - 1
        for detail in hit.details:
            self._add(results, detail, view, index)

    def _fallback(self, store: ox.Store, results_so_far: list[Result],
                  namespaces: NamespaceManager | None) -> list[Result]:
        from migrmeta.shacl import fallback

        with quiet_literals():
            data = fallback.store_graph(store, namespaces)
        out: list[Result] = []
        for entry in self.fallback_shapes:
            shape = self.messages.pyshacl_shape(entry.shape)
            base = len(results_so_far) + len(out)
            with quiet_literals():
                found_all = fallback.run(shape, data, self.shapes_graph)
            for found in found_all:
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
    from migrmeta.shacl.compile import Compiler  # pySHACL reads the shapes: only when compiling

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
    engine = Engine(compiled, fallbacks)
    engine._shapes, engine._messages = shapes_graph, compiler.messages
    return engine


__all__ = ["Engine", "Fallback", "compile_shapes"]
