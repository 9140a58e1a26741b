"""rdflib's SPARQL algebra written back as query text (the part SHACL constraints use).

rdflib parses a constraint once; the compiler rewrites the algebra (anchoring paths,
injecting the focus nodes) and this module writes the result for oxigraph. Anything it
does not know raises Unsupported, and the shape goes to pySHACL instead.
"""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Literal, URIRef, Variable
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, Path, SequencePath
from rdflib.plugins.sparql.parserutils import CompValue

from migrmeta.shacl.terms import Unsupported, sparql_term

_BINARY = {"ConditionalOrExpression": "||", "ConditionalAndExpression": "&&"}
_SPECIAL_ARGS = {
    "Builtin_REGEX": ("text", "pattern", "flags"),
    "Builtin_SUBSTR": ("arg", "start", "length"),
    "Builtin_REPLACE": ("arg", "pattern", "replacement", "flags"),
}


def exists_graph(node: CompValue) -> Any:
    """rdflib keeps the translated EXISTS pattern as an attribute, the parse tree as an item."""
    return node.__dict__.get("graph", node.get("graph"))


def term(value: Any) -> str:
    if isinstance(value, Variable):
        return f"?{value}"
    if isinstance(value, BNode):  # [] in a pattern: a variable nobody projects
        return f"?_b{value}"
    if isinstance(value, (URIRef, Literal)):
        return sparql_term(value)
    if isinstance(value, Path):
        return path(value)
    raise Unsupported(f"cannot write {value!r} in SPARQL")


def path(value: Any) -> str:
    if isinstance(value, URIRef):
        return f"<{value}>"
    if isinstance(value, InvPath):
        return f"^({path(value.arg)})"
    if isinstance(value, SequencePath):
        return "/".join(f"({path(a)})" for a in value.args)
    if isinstance(value, AlternativePath):
        return "|".join(f"({path(a)})" for a in value.args)
    if isinstance(value, MulPath):
        return f"({path(value.path)}){value.mod}"
    if isinstance(value, NegatedPath):
        raise Unsupported("negated property paths")
    raise Unsupported(f"unknown path {value!r}")


def body(node: CompValue) -> str:
    """The content of a group pattern (no braces): a filter's scope is the whole group."""
    name = node.name
    if name == "BGP":
        return " ".join(f"{term(s)} {term(p)} {term(o)} ." for s, p, o in node.triples)
    if name == "Join":
        return f"{part(node.p1)} {part(node.p2)}"
    if name == "Filter":
        return f"{body(node.p)} FILTER({expr(node.expr)})"
    if name == "Extend":
        return f"{body(node.p)} BIND({expr(node.expr)} AS ?{node.var})"
    if name == "LeftJoin":
        condition = node.get("expr")
        extra = "" if condition is None or condition.name == "TrueFilter" else f" FILTER({expr(condition)})"
        return f"{part(node.p1)} OPTIONAL {{ {body(node.p2)}{extra} }}"
    if name == "Union":
        return f"{{ {body(node.p1)} }} UNION {{ {body(node.p2)} }}"
    if name == "Minus":
        return f"{part(node.p1)} MINUS {{ {body(node.p2)} }}"
    if name == "Graph":
        return f"GRAPH {term(node.term)} {{ {body(node.p)} }}"
    raise Unsupported(f"SPARQL pattern {name}")


def part(node: CompValue) -> str:
    """A pattern joined with its siblings: a filter keeps its own group."""
    text = body(node)
    return f"{{ {text} }}" if node.name in ("Filter", "Union", "Minus", "LeftJoin") else text


def expr(node: Any) -> str:
    if not isinstance(node, CompValue):
        if isinstance(node, list):
            return ", ".join(expr(x) for x in node)
        return term(node)
    name = node.name
    if name in _BINARY:
        parts = [node.expr, *(node.other or [])]
        return "(" + f" {_BINARY[name]} ".join(expr(p) for p in parts) + ")"
    if name == "RelationalExpression":
        if node.op in ("IN", "NOT IN"):
            return f"({expr(node.expr)} {node.op} ({expr(node.other)}))"
        return f"({expr(node.expr)} {node.op} {expr(node.other)})"
    if name in ("AdditiveExpression", "MultiplicativeExpression"):
        text = expr(node.expr)
        for op, other in zip(node.op or [], node.other or [], strict=True):
            text += f" {op} {expr(other)}"
        return f"({text})"
    if name in ("UnaryNot", "UnaryMinus", "UnaryPlus"):
        sign = {"UnaryNot": "!", "UnaryMinus": "-", "UnaryPlus": "+"}[name]
        return f"{sign}({expr(node.expr)})"
    if name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
        keyword = "EXISTS" if name == "Builtin_EXISTS" else "NOT EXISTS"
        return f"{keyword} {{ {body(exists_graph(node))} }}"
    if name == "Function":
        return f"<{node.iri}>({expr(node.expr or [])})"
    if name.startswith("Builtin_"):
        return _builtin(node)
    raise Unsupported(f"SPARQL expression {name}")


def _builtin(node: CompValue) -> str:
    keys = _SPECIAL_ARGS.get(node.name)
    args = [node.get(k) for k in keys] if keys is not None else [v for k, v in node.items() if k != "_vars"]
    written = [expr(a) for a in args if a is not None]
    return f"{node.name[len('Builtin_'):]}({', '.join(written)})"
