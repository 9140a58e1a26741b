"""SPARQL-based constraints (sh:sparql): the user's SELECT, once, over every focus node.

(rdflib's SPARQL parser and pySHACL are imported when compiling only: a cached engine runs
without them.)

pySHACL runs the query once per focus node with $this pre-bound. Here the query is parsed
once (prefixes from sh:prefixes / sh:declare, $PATH written in, as pySHACL does), its unbounded
paths anchored (rewrite.py), and the focus pattern of the shape joined at the top of its
WHERE clause, so $this takes every focus node in one evaluation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.term import Node

from migrmeta.namespaces import SH
from migrmeta.shacl.evaluate import Evaluator
from migrmeta.shacl.messages import substitute
from migrmeta.shacl.model import Context, Hit, Shape
from migrmeta.shacl.prefilter import Prefilter
from migrmeta.shacl.terms import OxTerm, Unsupported, shapes_mistake, sparql_term

_RESERVED = ("this", "path", "value", "failure")


@dataclass
class SparqlConstraint:
    node: Node  # the sh:SPARQLConstraint
    where: str  # the WHERE body, with FOCUS where the focus pattern goes
    projected: list[str]
    extra_messages: tuple[Literal, ...]
    parameter: URIRef = SH.sparql
    required: tuple[str, ...] = ()  # predicates of triple patterns every solution matches
    # whether a triple pattern with a variable predicate can read a literal's form (its object
    # is a constant, or a variable used again): then a literal of any predicate may matter
    any_predicate: bool = False
    prefilter: Prefilter | None = None  # filters that read one term alone (prefilter.py)

    def hits(self, ev: Evaluator, shape: Shape, ctx: Context) -> list[Hit]:
        if not all(ev.present(p) for p in self.required):
            return []  # a pattern every solution needs matches nothing in this store
        values = ""
        if self.prefilter is not None:
            failing = ev.failing_terms(self.prefilter)
            if failing == []:
                return []  # no term of the store fails the filters
            if failing is not None:
                values = f"VALUES ?{self.prefilter.var} {{ {' '.join(failing)} }}"
        others = " ".join(f"?{v}" for v in self.projected if v != "this")
        query = f"SELECT DISTINCT ?this {others} WHERE {{ {ctx.pattern} {self.where} }}"
        return [h for row in ev.select(query, values=values) if (h := self._hit(shape, row)) is not None]

    def _hit(self, shape: Shape, row: Any) -> Hit | None:
        bound: dict[str, OxTerm] = {v: row[v] for v in self.projected if row[v] is not None}
        focus: OxTerm = row["this"]
        default_value = None if shape.path is not None else focus
        if "failure" in bound:  # pySHACL still names the focus node in the message
            rest = {k: v for k, v in bound.items() if k not in _RESERVED} | {"this": focus}
            return self._make(shape, focus, default_value, None, rest)
        if not any(k in bound for k in ("this", "path", "value")):
            return None  # pySHACL ignores rows that bind none of them
        value = bound.get("value", default_value)
        names = {k: v for k, v in bound.items() if k not in ("this", "path", "value")}
        names.update({k: v for k, v in (("this", bound.get("this")), ("path", bound.get("path")),
                                         ("value", value)) if v is not None})
        path = bound.get("path")
        return self._make(shape, focus, value, URIRef(path.value) if path is not None else None, names)

    def _make(self, shape: Shape, focus: OxTerm, value: OxTerm | None, path: URIRef | None,
              names: dict[str, OxTerm]) -> Hit:
        own = tuple(m for m in self.extra_messages if m not in shape.messages)
        messages = substitute(own + shape.messages, names) if (own or shape.messages) else None
        return Hit(focus, value, shape, self, SH.SPARQLConstraintComponent, path=path or shape.shown_path,
                   bindings=tuple(sorted(names.items())), source_constraint=self.node, messages=messages)


def sparql(graph: Graph, node: Node, pyshacl_shape: Any) -> list[SparqlConstraint]:
    out = []
    for constraint in graph.objects(node, SH.sparql):
        if any(str(d).lower() == "true" for d in graph.objects(constraint, SH.deactivated)):
            continue
        selects = list(graph.objects(constraint, SH.select))
        if len(selects) != 1:
            raise Unsupported("a SPARQL constraint needs one sh:select")
        messages = tuple(m for m in graph.objects(constraint, SH.message) if isinstance(m, Literal))
        out.append(_compile(graph, node, constraint, str(selects[0]), messages, pyshacl_shape))
    return out


def _compile(graph: Graph, shape_node: Node, constraint: Node, select: str,
             messages: tuple[Literal, ...], pyshacl_shape: Any) -> SparqlConstraint:
    # pySHACL reads the prefixes and writes $PATH; rdflib parses (compilation only)
    from pyshacl.errors import ReportableRuntimeError, ValidationFailure
    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper
    from rdflib.plugins.sparql import prepareQuery

    from migrmeta.shacl.prefilter import prefilter
    from migrmeta.shacl.rewrite import anchor
    from migrmeta.shacl.sparqltext import body

    helper: Any = SPARQLQueryHelper(pyshacl_shape, constraint, select, messages=set(messages))  # type: ignore[no-untyped-call]
    helper.collect_prefixes()
    try:
        _bindings, text = helper.pre_bind_variables(URIRef("urn:migrmeta:focus"))
    except (ValidationFailure, ReportableRuntimeError, NotImplementedError) as exc:
        raise Unsupported(f"SPARQL constraint: {exc}") from exc
    try:
        algebra = prepareQuery(helper.apply_prefixes(text)).algebra
    except Exception as exc:
        if not shapes_mistake(exc):  # pyparsing's errors, rdflib's unknown prefix
            raise
        raise Unsupported(f"SPARQL constraint: the query does not parse ({exc})") from exc
    top = _unwrap(algebra.p)
    if top.name != "Project":
        raise Unsupported(f"SPARQL constraint: {top.name} at the top of the query")
    pattern = anchor(_substitute_shape(top.p, shape_node))
    where = body(pattern)
    projected = [str(v) for v in top.PV]
    return SparqlConstraint(constraint, where, projected, messages, required=tuple(sorted(_required(pattern))),
                            any_predicate=_reads_by_any_predicate(pattern, where, projected),
                            prefilter=prefilter(pattern, projected))


def _reads_by_any_predicate(node: Any, where: str, projected: list[str]) -> bool:
    """Whether a triple pattern `?s ?p ?o` of the query can see the form of the literal it
    matches: its object is a constant or a variable the query uses again (projects, filters,
    joins). `$this ?path ?o` with ?o used nowhere else only asks whether a statement exists."""
    for _s, predicate, obj in _triples(node):
        if not isinstance(predicate, Variable):
            continue
        if not isinstance(obj, Variable | BNode):
            return True
        name = str(obj)
        if isinstance(obj, Variable) and (name in projected or len(re.findall(rf"\?{re.escape(name)}\b", where)) > 1):
            return True
    return False


def _triples(node: Any) -> list[tuple[Any, Any, Any]]:
    """Every triple pattern of the algebra, in filters' EXISTS too."""
    from rdflib.plugins.sparql.parserutils import CompValue

    found: list[tuple[Any, Any, Any]] = []
    if isinstance(node, CompValue):
        if node.name == "BGP":
            found += [tuple(t) for t in node.triples]
        for value in node.values():
            found += _triples(value)
    elif isinstance(node, list | tuple) and not (len(node) == 3 and all(isinstance(t, Node) for t in node)):
        for value in node:
            found += _triples(value)
    return found


def _required(node: Any) -> set[str]:
    """The constant predicates of the triple patterns that every solution of `node` matches
    (not those under OPTIONAL, UNION, MINUS's right side, GRAPH or a filter's EXISTS)."""
    name = getattr(node, "name", None)
    if name == "BGP":
        return {str(p) for _, p, _ in node.triples if isinstance(p, URIRef)}
    if name == "Join":
        return _required(node.p1) | _required(node.p2)
    if name in ("LeftJoin", "Minus"):
        return _required(node.p1)
    if name in ("Filter", "Extend", "ToMultiSet"):
        return _required(node.p)
    return set()


def _unwrap(node: Any) -> Any:
    while node.name in ("Distinct", "Reduced", "OrderBy"):
        node = node.p
    return node


def _substitute_shape(node: Any, shape_node: Node) -> Any:
    """$currentShape is a constant of the query."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, Variable) and str(node) == "currentShape":
        sparql_term(shape_node)  # a blank shape cannot be named in SPARQL: Unsupported
        return shape_node
    if isinstance(node, CompValue):
        for key, value in list(node.items()):
            node[key] = _substitute_shape(value, shape_node)
        if "graph" in node.__dict__:
            node.__dict__["graph"] = _substitute_shape(node.__dict__["graph"], shape_node)
        return node
    if isinstance(node, list):
        return [_substitute_shape(v, shape_node) for v in node]
    if isinstance(node, tuple):
        return tuple(_substitute_shape(v, shape_node) for v in node)
    return node
