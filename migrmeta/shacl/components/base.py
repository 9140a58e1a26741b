"""What the value-by-value components share: one FILTER over all (focus, value) pairs."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from ..evaluate import Evaluator, Functions, value_pattern
from ..model import Context, Hit, Shape


@dataclass
class ValueFilter:
    """A component whose failing value nodes a SPARQL expression over ?value picks out."""

    parameter: URIRef
    constraint_component: URIRef
    condition: str  # true for a value node that FAILS
    functions: Functions | None = None

    def hits(self, ev: Evaluator, shape: Shape, ctx: Context) -> list[Hit]:
        query = (f"SELECT DISTINCT ?this ?value WHERE {{ {ctx.pattern} {value_pattern(shape)} "
                 f"FILTER({self.condition}) }}")
        return [Hit(row["this"], row["value"], shape, self, self.constraint_component)
                for row in ev.select(query, self.functions)]
