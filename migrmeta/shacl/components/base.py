"""What the value-by-value components share: one FILTER over all (focus, value) pairs.

Where SPARQL and pySHACL could read a test differently (ill-typed literals, Python regular
expressions, rdflib's literal comparison), SPARQL only picks the candidate values, once
each (DISTINCT), and pySHACL's own test decides in Python; the failing ones are then
listed in a VALUES block to fetch their focus nodes. No per-row Python callback: those cost
~0.1 ms a row in oxigraph.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import URIRef

from migrmeta.shacl.evaluate import Evaluator, scannable, value_pattern, values_clause
from migrmeta.shacl.model import Context, Hit, Shape

Check = Callable[[ox.Literal | ox.NamedNode], bool]  # true for a value that FAILS


@dataclass
class ValueFilter:
    parameter: URIRef
    constraint_component: URIRef
    condition: str  # SPARQL: true for a value that fails ("false" when Python decides all)
    candidates: str | None = None  # SPARQL: values Python must look at (never blank nodes)
    check: Check | None = None
    _verdicts: dict[ox.Literal | ox.NamedNode, bool] = field(default_factory=dict, repr=False)

    def hits(self, ev: Evaluator, shape: Shape, ctx: Context) -> list[Hit]:
        if ev.valueless(shape):
            return []
        head = f"{ctx.pattern} {value_pattern(shape)}"
        rows = []
        if self.condition != "false" and scannable(shape):  # all values filtered in one pass, then joined
            rows = ev.select(f"SELECT DISTINCT ?this ?value WHERE {{ {ctx.pattern} {{ SELECT ?this ?value WHERE "
                             f"{{ {value_pattern(shape)} FILTER({self.condition}) }} }} }}")
        elif self.condition != "false":
            rows = ev.select(f"SELECT DISTINCT ?this ?value WHERE {{ {head} FILTER({self.condition}) }}")
        found = [Hit(r["this"], r["value"], shape, self, self.constraint_component) for r in rows]
        if self.candidates is not None and self.check is not None:
            found += self._checked(ev, shape, head)
        return found

    def _checked(self, ev: Evaluator, shape: Shape, head: str) -> list[Hit]:
        assert self.check is not None
        values = [r["value"] for r in ev.select(f"SELECT DISTINCT ?value WHERE {{ {head} FILTER({self.candidates}) }}")]
        bad = []
        for value in values:
            verdict = self._verdicts.get(value)
            if verdict is None:
                verdict = self._verdicts[value] = self.check(value)
            if verdict:
                bad.append(value)
        if not bad:
            return []
        rows = ev.select(f"SELECT DISTINCT ?this ?value WHERE {{ {values_clause(shape, bad)} {head} }}")
        return [Hit(r["this"], r["value"], shape, self, self.constraint_component) for r in rows]
