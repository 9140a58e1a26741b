"""Constraints that judge one term of a statement alone: asked once per distinct term.

    SELECT $this ?path WHERE {
        $this ?path ?any .
        FILTER (STRSTARTS(STR(?path), "http://purl.org/dc/terms/"))
        FILTER NOT EXISTS { ?path rdf:type rdf:Property }
    }

asks a question of each statement's predicate alone, and oxigraph asks it of every statement
of every focus node (180,000 times in 5,000 records: a quarter of a second). The same
solutions come from asking it of each distinct predicate of the store (a hundred, found by one
scan that such constraints share), then joining the focus nodes with the predicates that
fail, which are nearly always none. The same holds of the object of a constant predicate
(`$this rdf:type ?value`, filtered on ?value alone).

`prefilter()` recognizes the form on rdflib's algebra of the query (the compiler's, so users'
own constraints get it too); the evaluator runs it (Evaluator.failing_terms).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Literal, URIRef, Variable

_THIS = Variable("this")


@dataclass(frozen=True)
class Prefilter:
    var: str  # the variable the filters read alone (`path`)
    candidates: str  # a query for its distinct values in the store: SELECT DISTINCT ?var ...
    test: str  # the filters' expression, which reads ?var alone


def prefilter(pattern: Any, projected: list[str]) -> Prefilter | None:
    """The form above, if `pattern` (a constraint's WHERE, after the compiler's rewrites) has it:
    one triple pattern of $this, under filters that read one of its variables and nothing else
    of the query, and binds of constants. (Called when compiling only: rdflib's SPARQL
    modules are not imported by a cached engine.)"""
    from migrmeta.shacl.sparqltext import expr

    if getattr(pattern, "name", None) != "Filter":
        return None
    test = pattern.expr
    inner = pattern.p
    bound: set[Variable] = set()
    while getattr(inner, "name", None) == "Extend":  # BIND (rdf:type AS ?path)
        if not isinstance(inner.expr, URIRef | Literal):
            return None
        bound.add(inner.var)
        inner = inner.p
    if getattr(inner, "name", None) != "BGP" or len(inner.triples) != 1:
        return None
    subject, predicate, obj = inner.triples[0]
    if subject != _THIS:
        return None
    if isinstance(predicate, Variable) and isinstance(obj, Variable | BNode) and obj != predicate:
        var, other = predicate, obj
        candidates = f"SELECT DISTINCT ?{var} WHERE {{ ?_{var}_s ?{var} ?_{var}_o }}"  # names never ?{var}
    elif isinstance(predicate, URIRef) and isinstance(obj, Variable):
        var, other = obj, None
        candidates = f"SELECT DISTINCT ?{var} WHERE {{ ?_{var}_s <{predicate}> ?{var} }}"
    else:
        return None
    if var == _THIS or var in bound:
        return None
    outer = {_THIS, *bound} | ({other} if other is not None else set())
    if _variables(test) & outer:
        return None  # the filters read more than the one term (a blank node's label too)
    if not set(projected) <= {str(_THIS), str(var), *map(str, bound)}:
        return None
    return Prefilter(str(var), candidates, expr(test))


def _variables(node: Any) -> set[Variable | BNode]:
    """Every variable an expression reads, in its EXISTS patterns too; and its blank nodes,
    which a query writes as variables (`_:o` in the pattern and in an EXISTS is one node)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    from migrmeta.shacl.sparqltext import exists_graph

    found: set[Variable | BNode] = set()
    if isinstance(node, Variable | BNode):
        found.add(node)
    elif isinstance(node, CompValue):
        for key, value in node.items():
            if key != "_vars":
                found |= _variables(value)
        if node.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            found |= _variables(exists_graph(node))
    elif isinstance(node, list | tuple):
        for value in node:
            found |= _variables(value)
    return found


__all__ = ["Prefilter", "prefilter"]
