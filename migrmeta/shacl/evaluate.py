"""Whole-set evaluation: every query binds ?this to all focus nodes of a shape at once.

A nested shape (sh:node, sh:or, ...) is evaluated once over the set of value nodes of its
parent, described as a SPARQL pattern (blank nodes cannot be listed in a query); the nodes
that fail it come back as a Python set and are matched to their parents' values.

Query plans: oxigraph orders joins by the form of the patterns, not by statistics. A set of
focus nodes is written as a `{ SELECT DISTINCT ?this ... }` group, which oxigraph joins by
hashing: the rest of the query is read in one pass over the store's index (a scan: ~0.4 µs a
statement) instead of one lookup per focus node (~3.5 µs each), so the components are
written to be read that way (MINUS, GROUP BY, a filter on the values). An instance of a
class with no subclass in the data is found by `rdf:type` alone (a run asks once per class).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from time import perf_counter
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from migrmeta.shacl.model import ALLOWED, Context, Hit, Shape
from migrmeta.shacl.terms import OxTerm

if TYPE_CHECKING:
    from migrmeta.shacl.prefilter import Prefilter

Functions = dict[ox.NamedNode, Callable[..., Any]]
_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
_MAX_LISTED = 2000  # distinct terms a prefilter lists in a query (a hundred predicates, typically)
_INSTANCE = re.compile(re.escape(f"{_TYPE}/{_SUBCLASS}*") + r" (<[^<>\s]*>)")


class Evaluator:
    """One validation run over one store."""

    def __init__(self, store: ox.Store, union: bool) -> None:
        self.store = store
        self.union = union
        self.timings: list[tuple[float, str]] = []
        self._by_focus: dict[tuple[int, str], dict[OxTerm, list[Hit]]] = {}
        self._leaves: dict[str, bool] = {}  # class IRI -> whether no class is its subclass
        self._present: dict[str, bool] = {}  # predicate IRI -> whether any statement has it
        self._distinct: dict[str, str | None] = {}  # Prefilter.candidates -> its terms, listed

    def select(self, query: str, functions: Functions | None = None, *, values: str = "") -> list[ox.QuerySolution]:
        """The query's rows; `values`, a VALUES clause of terms from the data, is put at the head
        of its WHERE group as it is (the query's own text is rewritten, `_instance`: not the data's)."""
        query = _INSTANCE.sub(self._instance, query)
        if values:
            head, where, rest = query.partition("WHERE {")
            assert where, "a query given values has a WHERE group"
            query = f"{head}{where} {values} {rest}"
        start = perf_counter()
        answer = self.store.query(query, use_default_graph_as_union=self.union, custom_functions=functions)
        assert isinstance(answer, ox.QuerySolutions)
        rows = list(answer)
        self.timings.append((perf_counter() - start, query))
        return rows

    def present(self, predicate: str) -> bool:
        """Whether any statement of the store has this predicate (asked once per run)."""
        found = self._present.get(predicate)
        if found is None:
            answer = self.store.query(f"ASK {{ ?s <{predicate}> ?o }}", use_default_graph_as_union=self.union)
            found = self._present[predicate] = bool(answer)
        return found

    def failing_terms(self, prefilter: Prefilter) -> list[str] | None:
        """The distinct terms of the store that fail a constraint's filters (prefilter.py),
        written for a VALUES clause; None when they cannot be listed (a blank node among them,
        or too many for a list to be the cheaper plan)."""
        if prefilter.candidates not in self._distinct:
            found = [row[0] for row in self.select(prefilter.candidates)]
            # IRIs and literals only: a blank node cannot be named in a query, nor a triple term
            # (str() of which is no SPARQL)
            listable = len(found) <= _MAX_LISTED and all(isinstance(t, ox.NamedNode | ox.Literal) for t in found)
            self._distinct[prefilter.candidates] = " ".join(str(t) for t in found) if listable else None
        listed = self._distinct[prefilter.candidates]
        if listed is None:
            return None
        if not listed:
            return []
        rows = self.select(f"SELECT ?{prefilter.var} WHERE {{ FILTER({prefilter.test}) }}",
                           values=f"VALUES ?{prefilter.var} {{ {listed} }}")
        return [str(row[0]) for row in rows]

    def valueless(self, shape: Shape) -> bool:
        """A shape whose path is a predicate no statement has: no focus node has a value, so a
        component that judges values finds nothing (and costs no query)."""
        return shape.path is not None and shape.path.iri is not None and not self.present(str(shape.path.iri))

    def _instance(self, match: re.Match[str]) -> str:
        """`rdf:type/rdfs:subClassOf* C` -> `rdf:type C` when nothing is a subclass of C."""
        cls = match.group(1)
        leaf = self._leaves.get(cls)
        if leaf is None:
            answer = self.store.query(f"ASK {{ ?sub {_SUBCLASS} {cls} }}", use_default_graph_as_union=self.union)
            leaf = self._leaves[cls] = not bool(answer)
        return f"{_TYPE} {cls}" if leaf else match.group(0)

    def shape_hits(self, shape: Shape, ctx: Context) -> list[Hit]:
        """Every result of a shape (and of its sh:property shapes) over a set of focus nodes."""
        if shape.deactivated:
            return []
        hits: list[Hit] = []
        for component in shape.components:
            hits += component.hits(self, shape, ctx)
        inner = values_context(shape, ctx)
        for child in shape.properties:
            hits += self.shape_hits(child, inner)
        return hits

    def hits_by_focus(self, shape: Shape, ctx: Context) -> dict[OxTerm, list[Hit]]:
        """A nested shape's results over a set of nodes, once per (shape, node set)."""
        key = (id(shape), ctx.pattern)
        found = self._by_focus.get(key)
        if found is None:
            found = self._by_focus[key] = {}
            for hit in self.shape_hits(shape, ctx):
                found.setdefault(hit.focus, []).append(hit)
        return found

    def failing(self, shape: Shape, ctx: Context) -> set[OxTerm]:
        """The focus nodes of ctx that do not conform to shape (pySHACL's allow_warnings rule:
        a warning or info shape conforms, and only results of other severities fail a node)."""
        if shape.conforms_always:
            return set()
        by_focus = self.hits_by_focus(shape, ctx)
        return {f for f, hits in by_focus.items() if any(h.shape.severity not in ALLOWED for h in hits)}

    def pairs(self, shape: Shape, ctx: Context, among: set[OxTerm] | None = None) -> list[tuple[OxTerm, OxTerm]]:
        """(focus, value) pairs, all of them or those whose value is among the given nodes."""
        if among is not None and not among:
            return []
        restrict = ""
        if among is not None and all(not isinstance(t, ox.BlankNode) for t in among):
            restrict = values_clause(shape, among)  # only their pairs are fetched
        query = f"SELECT DISTINCT ?this ?value WHERE {{ {restrict} {ctx.pattern} {value_pattern(shape)} }}"
        rows = [(row["this"], row["value"]) for row in self.select(query)]
        return [r for r in rows if among is None or r[1] in among]


def values_clause(shape: Shape, terms: Iterable[OxTerm]) -> str:
    """VALUES for value nodes (named nodes and literals only): of ?this for a node shape."""
    var = "?value" if shape.path is not None else "?this"
    # oxigraph writes its own terms: an ill-typed literal keeps its lexical form (rdflib would
    # rewrite "maybe"^^xsd:boolean as "false")
    return f"VALUES {var} {{ " + " ".join(str(t) for t in terms) + " }"


_IRI_TEXT = re.compile(r"<[^<>]*>")


def scannable(shape: Shape) -> bool:
    """Whether the shape's path can be read for every subject at once (a predicate, or
    predicates in sequences, alternatives and inverses): a path with `*` or `?` matches every
    node of the store by its empty step, `+` walks from all of them."""
    if shape.path is None:
        return False
    return not any(c in _IRI_TEXT.sub("", shape.path.sparql) for c in "*+?")


def value_pattern(shape: Shape) -> str:
    """Binds ?value to each value node of ?this."""
    if shape.path is None:
        return "BIND(?this AS ?value)"
    return f"?this {shape.path.sparql} ?value ."


def values_context(shape: Shape, ctx: Context) -> Context:
    """The value nodes of a shape's focus nodes, as focus nodes for the shapes it points to.

    For a path read in one pass, the values of the path for every subject: a superset, as
    cheap to read as the path's statements, that gives the same results: a shape judges each
    node alone, and only the (focus, value) pairs of the real focus nodes are looked up."""
    if shape.path is None:
        return ctx
    if scannable(shape):
        return Context(f"{{ SELECT DISTINCT ?this WHERE {{ ?_parent {shape.path.sparql} ?this }} }}")
    return Context(
        f"{{ SELECT DISTINCT ?this WHERE {{ {{ SELECT DISTINCT ?v WHERE {{ {ctx.pattern} "
        f"?this {shape.path.sparql} ?v }} }} BIND(?v AS ?this) }} }}"
    )


def target_context(patterns: Iterable[str]) -> Context:
    union = " UNION ".join(f"{{ {p} }}" for p in patterns)
    return Context(f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}")
