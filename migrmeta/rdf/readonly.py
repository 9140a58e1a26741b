"""A small set of statements indexed for reading: the subset of rdflib's `Graph` that the
writers of one survey read (the DDI Codebook, the schema.org Dataset, the quality score),
answering in the same order as rdflib's in-memory store, without its layers.

    graph = ReadOnlyGraph(triples)
    graph.value(survey, DCT.temporal), list(graph.objects(survey, DCAT.keyword))
    (survey, RDF.type, MM.Survey) in graph

A publish makes one per survey (publishing/site.py): rdflib's `Graph` indexes every
statement three ways through its store's plugin layers, and each `objects()` passes through
three generators; this keeps one index and builds the others when first asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from rdflib.exceptions import UniquenessError
from rdflib.namespace import RDF
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
Pattern = tuple[Node | None, Node | None, Node | None]
_Index = dict[Node, dict[Node, dict[Node, None]]]


def _indexed(ordered: Iterable[tuple[Node, Node, Node]]) -> _Index:
    index: _Index = {}
    for a, b, c in ordered:
        by_b = index.get(a)
        if by_b is None:
            by_b = index[a] = {}
        found = by_b.get(b)
        if found is None:
            by_b[b] = {c: None}
        else:
            found[c] = None
    return index


class Statements(Protocol):
    """What the writers of one survey read of a graph: an rdflib `Graph` or a `ReadOnlyGraph`."""

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[Triple]: ...

    def __contains__(self, pattern: Pattern) -> bool: ...

    def objects(self, subject: Node | None = ..., predicate: Node | None = ...) -> Iterator[Node]: ...

    def subjects(self, predicate: Node | None = ..., object: Node | None = ...) -> Iterator[Node]: ...

    def predicates(self, subject: Node | None = ..., object: Node | None = ...) -> Iterator[Node]: ...

    def subject_objects(self, predicate: Node | None = ...) -> Iterator[tuple[Node, Node]]: ...

    def value(self, subject: Node | None = ..., predicate: Node | None = ..., object: Node | None = ...,
              default: Node | None = ..., any: bool = ...) -> Node | None: ...


class ReadOnlyGraph:
    """Statements by subject, predicate and object (each kept once); by predicate and by
    object when first asked for, in the order the statements came, as rdflib's store."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self._spo: _Index = {}
        self._order: list[Triple] = []  # each statement once, as it first came
        self._pos: _Index | None = None
        self._osp: _Index | None = None
        spo, order = self._spo, self._order
        for triple in triples:
            s, p, o = triple
            by_p = spo.get(s)
            if by_p is None:
                by_p = spo[s] = {}
            objects = by_p.get(p)
            if objects is None:
                by_p[p] = {o: None}
            elif o in objects:
                continue
            else:
                objects[o] = None
            order.append(triple)

    def __len__(self) -> int:
        return len(self._order)

    def __iter__(self) -> Iterator[Triple]:
        return self.triples((None, None, None))

    def __contains__(self, pattern: Pattern) -> bool:
        return next(self.triples(pattern), None) is not None

    def triples(self, pattern: Pattern) -> Iterator[Triple]:
        s, p, o = pattern
        if s is not None:
            by_p = self._spo.get(s)
            if by_p is None:
                return
            for predicate in (by_p if p is None else (p,) if p in by_p else ()):
                objects = by_p[predicate]
                if o is None:
                    yield from ((s, predicate, x) for x in objects)
                elif o in objects:
                    yield s, predicate, o
        elif p is not None:
            if self._pos is None:
                self._pos = _indexed((b, c, a) for a, b, c in self._order)
            by_o = self._pos.get(p)
            if by_o is None:
                return
            for obj in (by_o if o is None else (o,) if o in by_o else ()):
                yield from ((x, p, obj) for x in by_o[obj])
        elif o is not None:
            if self._osp is None:
                self._osp = _indexed((c, a, b) for a, b, c in self._order)
            by_s = self._osp.get(o, {})
            yield from ((x, y, o) for x, predicates in by_s.items() for y in predicates)
        else:
            yield from ((x, y, z) for x, by_p in self._spo.items() for y, objects in by_p.items() for z in objects)

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        if subject is not None and predicate is not None:  # the common case, without the generators
            by_p = self._spo.get(subject)
            return iter(by_p.get(predicate, ()) if by_p is not None else ())
        return (o for _, _, o in self.triples((subject, predicate, None)))

    def subjects(self, predicate: Node | None = None, object: Node | None = None) -> Iterator[Node]:
        return (s for s, _, _ in self.triples((None, predicate, object)))

    def predicates(self, subject: Node | None = None, object: Node | None = None) -> Iterator[Node]:
        return (p for _, p, _ in self.triples((subject, None, object)))

    def subject_objects(self, predicate: Node | None = None) -> Iterator[tuple[Node, Node]]:
        return ((s, o) for s, _, o in self.triples((None, predicate, None)))

    def predicate_objects(self, subject: Node | None = None) -> Iterator[tuple[Node, Node]]:
        return ((p, o) for _, p, o in self.triples((subject, None, None)))

    def value(self, subject: Node | None = None, predicate: Node | None = RDF.value, object: Node | None = None,
              default: Node | None = None, any: bool = True) -> Node | None:
        """One value, as rdflib's `Graph.value` (the first the store holds; with `any=False`
        a UniquenessError when there are several)."""
        if sum(x is None for x in (subject, predicate, object)) != 1:
            return None
        if object is None:
            found = self.objects(subject, predicate)
        elif subject is None:
            found = self.subjects(predicate, object)
        else:
            found = self.predicates(subject, object)
        first = next(found, None)
        if first is None:
            return default
        if not any and next(found, None) is not None:
            raise UniquenessError([first])
        return first


__all__ = ["ReadOnlyGraph", "Statements"]
