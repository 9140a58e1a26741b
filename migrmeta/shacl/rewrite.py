"""Query plans that scale: anchor property paths on the constants a filter allows.

    ?u skos:broader* ?h . FILTER (?h IN (su:household, su:family))

makes oxigraph walk skos:broader* from every node and filter afterwards (quadratic in the
data); a sequence path filtered so (`?this mm:identification/mm:criterion ?c . FILTER (?c IN
(...))`) is walked backwards from each allowed value, from every node that has it, once per
focus node (quadratic too). The same solutions come from one path per constant, both ends
bound:

    { ?u skos:broader* su:household BIND (su:household AS ?h) } UNION { ... su:family ... }

The rewrite works on rdflib's algebra of the query, wherever the pattern sits (also inside
FILTER EXISTS), so contributors' own SPARQL constraints get it too.
"""

from __future__ import annotations

from typing import Any

from rdflib import URIRef, Variable
from rdflib.paths import AlternativePath, MulPath, SequencePath
from rdflib.plugins.sparql.parserutils import CompValue

from migrmeta.shacl.sparqltext import exists_graph


def anchor(node: Any) -> Any:
    """Rewrite every pattern below node; returns the (possibly new) node."""
    if not isinstance(node, CompValue):
        return node
    for key, value in list(node.items()):
        if isinstance(value, CompValue):
            node[key] = anchor(value)
        elif isinstance(value, list):
            node[key] = [anchor(v) for v in value]
    if node.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
        node.__dict__["graph"] = anchor(exists_graph(node))
    if node.name == "Filter":
        return _anchored_filter(node)
    return node


def _anchored_filter(node: CompValue) -> CompValue:
    allowed = _allowed_constants(node.expr)
    if allowed is None:
        return node
    var, constants = allowed
    found = _path_triple(node.p, var)
    if found is None:
        return node
    bgp, triple = found
    bgp["triples"] = [t for t in bgp.triples if t is not triple]
    branches = [_branch(triple, var, c) for c in constants]
    union = branches[0]
    for branch in branches[1:]:
        union = CompValue("Union", p1=union, p2=branch)
    return CompValue("Join", p1=node.p, p2=union)


def _branch(triple: tuple[Any, Any, Any], var: Variable, constant: URIRef) -> CompValue:
    bgp = CompValue("BGP", triples=[(triple[0], triple[1], constant)])
    return CompValue("Extend", p=bgp, var=var, expr=constant)


def _allowed_constants(expr: Any) -> tuple[Variable, list[URIRef]] | None:
    """?v IN (c1, c2), ?v = c1 || ?v = c2, ?v = c: the variable and its IRIs."""
    if not isinstance(expr, CompValue):
        return None
    if expr.name == "RelationalExpression":
        if expr.op == "IN" and isinstance(expr.expr, Variable):
            others = list(expr.other)
            if others and all(isinstance(o, URIRef) for o in others):
                return expr.expr, others
        if expr.op == "=":
            for a, b in ((expr.expr, expr.other), (expr.other, expr.expr)):
                if isinstance(a, Variable) and isinstance(b, URIRef):
                    return a, [b]
        return None
    if expr.name == "ConditionalOrExpression":
        parts = [_allowed_constants(p) for p in [expr.expr, *(expr.other or [])]]
        if all(p is not None for p in parts):
            variables = {p[0] for p in parts if p is not None}
            if len(variables) == 1:
                return variables.pop(), [c for p in parts if p is not None for c in p[1]]
    return None


def _path_triple(pattern: Any, var: Variable) -> tuple[CompValue, tuple[Any, Any, Any]] | None:
    """The one BGP triple `?x path ?var` (a property path, not a plain predicate) joined in
    this group, if any."""
    if not isinstance(pattern, CompValue):
        return None
    if pattern.name == "BGP":
        matches = [t for t in pattern.triples if t[2] == var and _walked(t[1])]
        if len(matches) == 1 and not any(var in (t[0], t[1]) for t in pattern.triples):
            return pattern, matches[0]
        return None
    if pattern.name == "Join":
        return _path_triple(pattern.p1, var) or _path_triple(pattern.p2, var)
    return None


def _walked(path: Any) -> bool:
    """A path oxigraph may walk from its object end: `p*`, `p+`, sequences, alternatives."""
    if isinstance(path, MulPath):
        return path.mod in ("*", "+")
    return isinstance(path, (SequencePath, AlternativePath))
