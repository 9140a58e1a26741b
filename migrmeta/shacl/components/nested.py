"""Components that ask whether value nodes conform to other shapes.

The other shape is evaluated once over the set of all value nodes (a SPARQL pattern); the
nodes that fail come back as a set, and only their (focus, value) pairs are fetched.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rdflib import URIRef

from migrmeta.namespaces import SH
from migrmeta.shacl.evaluate import Evaluator, values_context
from migrmeta.shacl.model import Context, Hit, Shape
from migrmeta.shacl.terms import OxTerm


@dataclass
class NodeRef:
    """sh:node: a value node that does not conform is a result."""

    target: Shape
    parameter: URIRef = SH.node

    @property
    def nested(self) -> list[Shape]:
        return [self.target]

    def hits(self, ev: Evaluator, shape: Shape, ctx: Context) -> list[Hit]:
        # pySHACL reports a value node with any result at all (a warning too), the value
        # node's own results attached as details
        if self.target.deactivated or ev.valueless(shape):
            return []
        nested = ev.hits_by_focus(self.target, values_context(shape, ctx))
        return [Hit(f, v, shape, self, SH.NodeConstraintComponent, details=tuple(nested[v]))
                for f, v in ev.pairs(shape, ctx, set(nested))]


@dataclass
class Not:
    target: Shape
    parameter: URIRef = SH["not"]

    @property
    def nested(self) -> list[Shape]:
        return [self.target]

    def hits(self, ev: Evaluator, shape: Shape, ctx: Context) -> list[Hit]:
        if ev.valueless(shape):
            return []
        bad = ev.failing(self.target, values_context(shape, ctx))
        return [Hit(f, v, shape, self, SH.NotConstraintComponent)
                for f, v in ev.pairs(shape, ctx) if v not in bad]


@dataclass
class Logical:
    """sh:and, sh:or, sh:xone over one list of shapes."""

    parameter: URIRef
    members: list[Shape]
    constraint_component: URIRef = field(init=False)

    def __post_init__(self) -> None:
        names = {SH["and"]: SH.AndConstraintComponent, SH["or"]: SH.OrConstraintComponent,
                 SH.xone: SH.XoneConstraintComponent}
        self.constraint_component = names[self.parameter]

    @property
    def nested(self) -> list[Shape]:
        return self.members

    def hits(self, ev: Evaluator, shape: Shape, ctx: Context) -> list[Hit]:
        if ev.valueless(shape):
            return []
        inner = values_context(shape, ctx)
        failing = [ev.failing(m, inner) for m in self.members]
        if self.parameter == SH["and"]:
            bad: set[OxTerm] = set().union(*failing)
            pairs = ev.pairs(shape, ctx, bad)
        elif self.parameter == SH["or"]:
            bad = set.intersection(*failing) if failing else set()
            pairs = ev.pairs(shape, ctx, bad) if self.members else ev.pairs(shape, ctx)
        else:
            pairs = [(f, v) for f, v in ev.pairs(shape, ctx) if sum(v not in s for s in failing) != 1]
        return [Hit(f, v, shape, self, self.constraint_component) for f, v in pairs]


@dataclass
class Qualified:
    target: Shape
    siblings: list[Shape]
    min_count: int | None
    max_count: int | None
    parameter: URIRef = SH.qualifiedValueShape

    @property
    def nested(self) -> list[Shape]:
        return [self.target, *self.siblings]

    def hits(self, ev: Evaluator, shape: Shape, ctx: Context) -> list[Hit]:
        inner = values_context(shape, ctx)
        bad = ev.failing(self.target, inner)
        sibling_bad = [ev.failing(s, inner) for s in self.siblings]
        counts: Counter[OxTerm] = Counter()
        for f, v in ev.pairs(shape, ctx):
            if v not in bad and all(v in s for s in sibling_bad):
                counts[f] += 1
        hits = []
        for row in ev.select(f"SELECT ?this WHERE {{ {ctx.pattern} }}"):
            n = counts[row["this"]]
            if self.max_count is not None and n > self.max_count:
                hits.append(Hit(row["this"], None, shape, self, SH.QualifiedMaxCountConstraintComponent))
            if self.min_count is not None and n < self.min_count:
                hits.append(Hit(row["this"], None, shape, self, SH.QualifiedMinCountConstraintComponent))
        return hits


@dataclass
class Closed:
    allowed: list[str]  # SPARQL IRIs of the predicates a value node may have
    parameter: URIRef = SH.closed

    def hits(self, ev: Evaluator, shape: Shape, ctx: Context) -> list[Hit]:
        from migrmeta.shacl.evaluate import value_pattern

        ignore = f"FILTER(?p NOT IN ({', '.join(self.allowed)}))" if self.allowed else ""
        query = (f"SELECT DISTINCT ?this ?value ?p ?o WHERE {{ {ctx.pattern} {value_pattern(shape)} "
                 f"?value ?p ?o . {ignore} FILTER(!(sameTerm(?p, <{SH_TYPE}>) && "
                 f"sameTerm(?o, <{RESOURCE}>))) }}")
        return [Hit(row["this"], row["o"], shape, self, SH.ClosedConstraintComponent, path=URIRef(row["p"].value))
                for row in ev.select(query)]


SH_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RESOURCE = "http://www.w3.org/2000/01/rdf-schema#Resource"
