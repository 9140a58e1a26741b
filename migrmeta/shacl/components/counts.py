"""Components that look at all the values of a focus node together."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.term import Node

from migrmeta.namespaces import SH
from migrmeta.shacl.evaluate import Evaluator, scannable, value_pattern
from migrmeta.shacl.model import Context, Hit, Shape
from migrmeta.shacl.terms import Unsupported, sparql_term


@dataclass
class MinCount:
    bound: int
    parameter: URIRef = SH.minCount

    def hits(self, ev: Evaluator, shape: Shape, ctx: Context) -> list[Hit]:
        if self.bound <= 0:
            return []
        if self.bound == 1 and scannable(shape):  # the usual case: a hashed anti-join, all values read once
            query = f"SELECT ?this WHERE {{ {ctx.pattern} MINUS {{ {value_pattern(shape)} }} }}"
        elif self.bound == 1:
            query = f"SELECT ?this WHERE {{ {ctx.pattern} FILTER NOT EXISTS {{ {value_pattern(shape)} }} }}"
        else:
            query = (f"SELECT ?this WHERE {{ {ctx.pattern} OPTIONAL {{ {value_pattern(shape)} }} }} "
                     f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {self.bound})")
        return [Hit(row["this"], None, shape, self, SH.MinCountConstraintComponent) for row in ev.select(query)]


@dataclass
class MaxCount:
    bound: int
    parameter: URIRef = SH.maxCount

    def hits(self, ev: Evaluator, shape: Shape, ctx: Context) -> list[Hit]:
        if ev.valueless(shape):
            return []
        if self.bound == 0:
            query = f"SELECT DISTINCT ?this WHERE {{ {ctx.pattern} {value_pattern(shape)} }}"
        elif scannable(shape):  # every subject's values counted in one pass, then joined
            query = (f"SELECT ?this WHERE {{ {ctx.pattern} {{ SELECT ?this WHERE {{ {value_pattern(shape)} }} "
                     f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {self.bound}) }} }}")
        elif self.bound == 1 and shape.path is not None:  # two different values: a self-join
            path = shape.path.sparql
            query = (f"SELECT DISTINCT ?this WHERE {{ {ctx.pattern} ?this {path} ?value . ?this {path} ?other . "
                     f"FILTER(!sameTerm(?value, ?other)) }}")
        else:
            query = (f"SELECT ?this WHERE {{ {ctx.pattern} {value_pattern(shape)} }} "
                     f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {self.bound})")
        return [Hit(row["this"], None, shape, self, SH.MaxCountConstraintComponent) for row in ev.select(query)]


@dataclass
class HasValue:
    term: str  # SPARQL text of the required value
    parameter: URIRef = SH.hasValue

    def hits(self, ev: Evaluator, shape: Shape, ctx: Context) -> list[Hit]:
        if shape.path is None:
            test = f"FILTER(!sameTerm(?this, {self.term}))"
        else:
            test = f"FILTER NOT EXISTS {{ ?this {shape.path.sparql} {self.term} }}"
        query = f"SELECT ?this WHERE {{ {ctx.pattern} {test} }}"
        return [Hit(row["this"], None, shape, self, SH.HasValueConstraintComponent) for row in ev.select(query)]


@dataclass
class UniqueLang:
    parameter: URIRef = SH.uniqueLang

    def hits(self, ev: Evaluator, shape: Shape, ctx: Context) -> list[Hit]:
        # one result per focus node and shared language, without a value (as pySHACL)
        if shape.path is None or ev.valueless(shape):
            return []  # a node has one value: nothing to share
        path = shape.path.sparql
        if scannable(shape):  # tagged values counted per subject and language in one pass
            query = (f"SELECT ?this ?lang WHERE {{ {ctx.pattern} {{ SELECT ?this ?lang WHERE {{ ?this {path} ?value "
                     f'FILTER(isLiteral(?value) && LANG(?value) != "") BIND(LCASE(LANG(?value)) AS ?lang) }} '
                     f"GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?value) > 1) }} }}")
        else:
            query = (f"SELECT DISTINCT ?this ?lang WHERE {{ {ctx.pattern} ?this {path} ?value . ?this {path} ?other . "
                     'FILTER(isLiteral(?value) && LANG(?value) != "" && isLiteral(?other) '
                     "&& !sameTerm(?value, ?other)) "
                     f"BIND(LCASE(LANG(?value)) AS ?lang) FILTER(LCASE(LANG(?other)) = ?lang) }}")
        return [Hit(row["this"], None, shape, self, SH.UniqueLangConstraintComponent) for row in ev.select(query)]


def _ints(graph: Graph, node: Node, parameter: URIRef) -> list[int]:
    values = list(graph.objects(node, parameter))
    if len(values) > 1:
        raise Unsupported(f"{len(values)} values of {parameter}")
    return [int(str(v)) for v in values]


def min_count(graph: Graph, node: Node) -> list[MinCount]:
    return [MinCount(b) for b in _ints(graph, node, SH.minCount)]


def max_count(graph: Graph, node: Node) -> list[MaxCount]:
    return [MaxCount(b) for b in _ints(graph, node, SH.maxCount)]


def has_value(graph: Graph, node: Node) -> list[HasValue]:
    return [HasValue(sparql_term(v)) for v in graph.objects(node, SH.hasValue)]


def unique_lang(graph: Graph, node: Node) -> list[UniqueLang]:
    values = [str(v).lower() for v in graph.objects(node, SH.uniqueLang)]
    return [UniqueLang()] if "true" in values else []
