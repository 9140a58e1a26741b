"""The compiled shapes of one shapes graph, applied to a store.

An Engine pickles (compiled shapes, the reasons of the fallbacks and the shapes graph's
statements as one blob, no pySHACL object), so a caller can keep it on disk keyed by the
shapes' bytes and skip the compilation: the graph is rebuilt, and pySHACL imported, only for
generic messages and fallback shapes. The statements are kept rather than the files parsed
again: shapes are looked up by node, and a parser gives blank nodes new labels each time.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from migrmeta.namespaces import RDF, RDFS, SH
from migrmeta.rdf.terms import value_order
from migrmeta.shacl.evaluate import Evaluator, target_context
from migrmeta.shacl.model import Hit, Result, Shape
from migrmeta.shacl.terms import OxTerm, ShapeFailure, Unsupported, quiet_literals, shapes_mistake, to_rdflib

if TYPE_CHECKING:
    from migrmeta.shacl.messages import DataView, Messages


@dataclass(frozen=True)
class Fallback:
    """A shape validated by pySHACL, and why."""

    shape: Node
    reason: str


def _canonical(statements: list[tuple[Node, Node, Node]]) -> list[tuple[Node, Node, Node]]:
    """The statements with each subject's values in the order `load_reference` adds them
    (property, kind of term, text): pySHACL words a shape's several sh:node values in the
    graph's order, and a graph rebuilt from a bundle another run pickled must word them as
    the pySHACL engine does on the parsed files (subjects keep their first-seen order)."""
    first: dict[Node, int] = {}
    for subject, _, _ in statements:
        first.setdefault(subject, len(first))
    return sorted(statements, key=lambda t: (first[t[0]], *value_order(t)))


@dataclass
class Engine:
    compiled: list[Shape]
    fallback_shapes: list[Fallback]
    # the predicates by which a shape can reach a literal (compile.readable_predicates; None: any)
    predicates: frozenset[str] | None = None
    timings: list[tuple[float, str]] = field(default_factory=list)  # of the last run: seconds, query
    _shapes: Graph | None = field(default=None, repr=False)
    _shapes_kept: bytes | None = field(default=None, repr=False)  # the graph as pickled, rebuilt on demand
    _messages: Messages | None = field(default=None, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        """What is kept on disk: the compiled shapes, the fallbacks, and the shapes graph's
        statements and prefixes (its blank nodes keep their labels)."""
        kept = self._shapes_kept
        if kept is None:
            graph = self.shapes_graph
            kept = pickle.dumps((list(graph), list(graph.namespaces())), protocol=pickle.HIGHEST_PROTOCOL)
        return {"compiled": self.compiled, "fallback_shapes": self.fallback_shapes, "predicates": self.predicates,
                "shapes": kept}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["compiled"], state["fallback_shapes"], state["predicates"])  # type: ignore[misc]
        self._shapes_kept = state["shapes"]

    @property
    def shapes_graph(self) -> Graph:
        if self._shapes is None:
            if self._shapes_kept is None:
                raise RuntimeError("an Engine made by hand has no shapes graph: make it with compile_shapes")
            statements, prefixes = pickle.loads(self._shapes_kept)
            graph = Graph(bind_namespaces="none")  # the prefixes as they were, for the messages' names
            for prefix, namespace in prefixes:
                graph.bind(prefix, namespace, override=True, replace=True)
            for triple in _canonical(statements):
                graph.add(triple)
            self._shapes = graph
        return self._shapes

    @property
    def messages(self) -> Messages:
        if self._messages is None:
            from migrmeta.shacl.messages import Messages  # pySHACL's shapes graph: only for messages

            self._messages = Messages(self.shapes_graph)
        return self._messages

    def validate(self, store: ox.Store, *, union: bool | None = None, namespaces: NamespaceManager | None = None,
                 messages: bool | Wording = True) -> list[Result]:
        """Every result of every shape over the store's data (default graph, or the union
        of its named graphs: by default, when the store has any).

        With messages=False results carry no sh:resultMessage (a caller that words its own
        findings saves pySHACL's generic texts and the import of pySHACL); with a Wording,
        only the results it asks for carry one."""
        if union is None:
            union = next(iter(store.named_graphs()), None) is not None
        ev = Evaluator(store, union)
        hits = [hit for shape in self.compiled for hit in ev.shape_hits(shape, target_context(shape.targets))]
        words = _Words(self, store, namespaces, messages)
        results: list[Result] = []
        with quiet_literals():  # an ill-typed value ("30/11/2026"^^xsd:date) is a finding, not rdflib's traceback
            for hit in hits:
                self._add(results, hit, words, None)
        self.timings = ev.timings
        if self.fallback_shapes:
            results += self._fallback(store, results, namespaces)
        return results

    def _add(self, results: list[Result], hit: Hit, words: _Words, parent: int | None) -> None:
        results.append(Result(
            focus=to_rdflib(hit.focus),
            path=hit.path if hit.path is not None else hit.shape.shown_path,
            value=to_rdflib(hit.value) if hit.value is not None else None,
            source_shape=hit.shape.node,
            component=hit.constraint_component,
            severity=hit.shape.severity,
            messages=words.of(hit),
            source_constraint=hit.source_constraint,
            detail_of=parent,
        ))
        index = len(results) - 1
        for detail in hit.details:
            self._add(results, detail, words, index)

    def _fallback(self, store: ox.Store, results_so_far: list[Result],
                  namespaces: NamespaceManager | None) -> list[Result]:
        from migrmeta.shacl import fallback

        with quiet_literals():
            data = fallback.store_graph(store, namespaces)
        out: list[Result] = []
        for entry in self.fallback_shapes:
            shape = self.messages.pyshacl_shape(entry.shape)
            base = len(results_so_far) + len(out)
            try:
                with quiet_literals():
                    found_all = fallback.run(shape, data, self.shapes_graph)
            except Exception as exc:
                if not shapes_mistake(exc):
                    raise
                raise ShapeFailure(f"shape {entry.shape}: {exc}") from exc  # the caller names its files
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


@dataclass(frozen=True)
class Wording:
    """Which results `Engine.validate` words, for a caller that words most findings itself:
    not those of the `worded` shapes (IRIs: the caller has their sh:message), nor those whose
    focus node `wanted` refuses (the caller drops them). The others get the shape's SPARQL
    constraint's message or pySHACL's generic text."""

    worded: frozenset[str]
    wanted: Callable[[OxTerm], bool]


class _Words:
    """The messages of the results of one run, as `Engine.validate` was asked for them (the
    view of the data that pySHACL's generic texts need is made when the first one is)."""

    def __init__(self, engine: Engine, store: ox.Store, namespaces: NamespaceManager | None,
                 wanted: bool | Wording) -> None:
        self.engine, self.store, self.namespaces, self.wanted = engine, store, namespaces, wanted
        self.view: DataView | None = None

    def of(self, hit: Hit) -> tuple[RdfLiteral, ...]:
        wording = self.wanted
        if not wording or (isinstance(wording, Wording) and (
                (isinstance(hit.shape.node, URIRef) and str(hit.shape.node) in wording.worded)
                or not wording.wanted(hit.focus))):
            return ()
        if self.view is None:
            from migrmeta.shacl.messages import DataView

            self.view = DataView(self.store, self.namespaces)
        return self.engine.messages.for_hit(hit, self.view)


def compile_shapes(shapes_graph: Graph) -> Engine:
    """Compile every shape with targets; the ones that cannot be compiled go to pySHACL."""
    from migrmeta.shacl.compile import Compiler, readable_predicates  # pySHACL reads the shapes: only then

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
    engine = Engine(compiled, fallbacks, readable_predicates(shapes_graph, compiled, bool(fallbacks)))
    engine._shapes, engine._messages = shapes_graph, compiler.messages
    return engine


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def has_targets(shapes_graph: Graph) -> bool:
    """Whether some shape of the graph has a target (or is a class too: an implicit one), so that
    validating with it can check anything."""
    if any(True for p in _TARGETS for _ in shapes_graph.triples((None, p, None))):
        return True
    shapes = {s for kind in (SH.NodeShape, SH.PropertyShape) for s in shapes_graph.subjects(RDF.type, kind)}
    return any((s, RDF.type, RDFS.Class) in shapes_graph for s in shapes)


__all__ = ["Engine", "Fallback", "Wording", "compile_shapes", "has_targets"]
