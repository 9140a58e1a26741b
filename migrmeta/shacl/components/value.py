"""Value type, value range, string and list components: one FILTER each.

Where the SPARQL and pySHACL readings of a test could differ, pySHACL's test decides on
the distinct candidate values (base.py).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from migrmeta.namespaces import RDF, RDFS, SH, XSD
from migrmeta.shacl.components.base import ValueFilter
from migrmeta.shacl.terms import Unsupported, ox_literal_as_rdflib, quiet_literals, sparql_term

_KINDS = {
    SH.IRI: "!isIRI(?value)", SH.BlankNode: "!isBlank(?value)", SH.Literal: "!isLiteral(?value)",
    SH.BlankNodeOrIRI: "isLiteral(?value)", SH.BlankNodeOrLiteral: "isIRI(?value)",
    SH.IRIOrLiteral: "isBlank(?value)",
}
# pySHACL's DatatypeConstraintComponent._assert_actual_datatype; other datatypes pass
_PYTHON_TYPES: dict[URIRef, type] = {
    XSD.integer: int, XSD.float: float, XSD.decimal: Decimal, XSD.boolean: bool,
    XSD.date: date, XSD.time: time, XSD.dateTime: datetime,
}


def _one(graph: Graph, node: Node, parameter: URIRef) -> Node:
    values = list(graph.objects(node, parameter))
    if len(values) != 1:
        raise Unsupported(f"{len(values)} values of {parameter}")
    return values[0]


def class_(graph: Graph, node: Node) -> list[ValueFilter]:
    return [ValueFilter(SH["class"], SH.ClassConstraintComponent,
                        f"isLiteral(?value) || NOT EXISTS {{ ?value <{RDF.type}>/<{RDFS.subClassOf}>* "
                        f"{sparql_term(c)} }}") for c in graph.objects(node, SH["class"])]


def node_kind(graph: Graph, node: Node) -> list[ValueFilter]:
    kind = _one(graph, node, SH.nodeKind)
    if not isinstance(kind, URIRef) or kind not in _KINDS:
        raise Unsupported(f"unknown node kind {kind}")
    return [ValueFilter(SH.nodeKind, SH.NodeKindConstraintComponent, _KINDS[kind])]


_NUMERIC = (XSD.integer, XSD.decimal, XSD.double, XSD.float)


def datatype(graph: Graph, node: Node) -> list[ValueFilter]:
    rule = _one(graph, node, SH.datatype)
    if not isinstance(rule, URIRef) or rule == RDFS.Datatype:
        raise Unsupported(f"sh:datatype {rule}")
    if rule == RDFS.Literal:
        return [ValueFilter(SH.datatype, SH.DatatypeConstraintComponent, "!isLiteral(?value)")]
    wrong = f"!isLiteral(?value) || DATATYPE(?value) != <{rule}>"
    if rule in (XSD.string, RDF.langString):
        return [ValueFilter(SH.datatype, SH.DatatypeConstraintComponent, wrong)]
    # a number the store reads as one is one for rdflib too: only the others go to Python
    readable = " && !isNumeric(?value)" if rule in _NUMERIC else ""
    return [ValueFilter(SH.datatype, SH.DatatypeConstraintComponent, wrong,
                        f"isLiteral(?value) && DATATYPE(?value) = <{rule}>{readable}", IllTyped())]


class IllTyped:
    """The check of sh:datatype for the datatypes rdflib parses (picklable, as compiled shapes are cached)."""

    def __call__(self, value: ox.Literal | ox.NamedNode) -> bool:
        return isinstance(value, ox.Literal) and _ill_typed_lexical(value.value, value.datatype.value)


@lru_cache(maxsize=65536)
def _ill_typed_lexical(lexical: str, datatype: str) -> bool:
    """pySHACL's test: rdflib's ill_typed flag, then the Python type of the parsed value."""
    with quiet_literals():
        literal = Literal(lexical, datatype=URIRef(datatype))
    if getattr(literal, "ill_typed", None) is True:
        return True
    expected = _PYTHON_TYPES.get(URIRef(datatype))
    return expected is not None and not isinstance(literal.value, expected)


def in_(graph: Graph, node: Node) -> list[ValueFilter]:
    members = list(Collection(graph, _one(graph, node, SH["in"])))
    same = " || ".join(f"sameTerm(?value, {sparql_term(m)})" for m in members) or "false"
    return [ValueFilter(SH["in"], SH.InConstraintComponent, f"!({same})")]


def pattern(graph: Graph, node: Node) -> list[ValueFilter]:
    flags = "".join(str(f) for f in graph.objects(node, SH.flags))
    out = []
    for rule in graph.objects(node, SH.pattern):
        out.append(ValueFilter(SH.pattern, SH.PatternConstraintComponent, "isBlank(?value)",
                               "!isBlank(?value)", Mismatch(str(rule), _py_flags(flags))))
    return out


def _py_flags(flags: str) -> int:
    value = 0
    for letter, flag in (("i", re.I), ("m", re.M), ("s", re.S), ("x", re.X)):
        if letter in flags:
            value |= flag
    return value


class Mismatch:
    """sh:pattern, with Python's regular expressions as pySHACL reads them."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern, self.flags = pattern, flags
        self._regex = re.compile(pattern, flags)

    def __getstate__(self) -> tuple[str, int]:
        return self.pattern, self.flags

    def __setstate__(self, state: tuple[str, int]) -> None:
        self.__init__(*state)  # type: ignore[misc]

    def __call__(self, value: ox.Literal | ox.NamedNode) -> bool:
        return self._regex.search(value.value) is None


def language_in(graph: Graph, node: Node) -> list[ValueFilter]:
    langs = [str(x).lower() for x in Collection(graph, _one(graph, node, SH.languageIn))]
    if "*" in langs:
        return [ValueFilter(SH.languageIn, SH.LanguageInConstraintComponent, 'LANG(?value) = ""')]
    listed = ", ".join(f'"{lang}"' for lang in langs) or '""'
    first = 'LCASE(IF(CONTAINS(LANG(?value), "-"), STRBEFORE(LANG(?value), "-"), LANG(?value)))'
    return [ValueFilter(SH.languageIn, SH.LanguageInConstraintComponent,
                        f'!isLiteral(?value) || LANG(?value) = "" || '
                        f"!(LCASE(LANG(?value)) IN ({listed}) || {first} IN ({listed}))")]


def length(graph: Graph, node: Node) -> list[ValueFilter]:
    out = []
    for parameter, component, op in ((SH.minLength, SH.MinLengthConstraintComponent, "<"),
                                     (SH.maxLength, SH.MaxLengthConstraintComponent, ">")):
        for rule in graph.objects(node, parameter):
            bound = int(str(rule))
            if parameter == SH.minLength and bound == 0:
                continue  # pySHACL: a minimum length of zero passes everything, blank nodes too
            out.append(ValueFilter(parameter, component, f"isBlank(?value) || STRLEN(STR(?value)) {op} {bound}"))
    return out


_RANGES = ((SH.minInclusive, SH.MinInclusiveConstraintComponent, (0, 1)),
           (SH.minExclusive, SH.MinExclusiveConstraintComponent, (1,)),
           (SH.maxInclusive, SH.MaxInclusiveConstraintComponent, (0, -1)),
           (SH.maxExclusive, SH.MaxExclusiveConstraintComponent, (-1,)))


def value_range(graph: Graph, node: Node) -> list[ValueFilter]:
    out = []
    for parameter, component, passing in _RANGES:
        for rule in graph.objects(node, parameter):
            if not isinstance(rule, Literal):
                raise Unsupported(f"{parameter} {rule} is not a literal")
            check = Comparer(rule, passing)
            if isinstance(rule.value, (int, float, Decimal)) and not isinstance(rule.value, bool):
                # numbers against numbers: SPARQL compares them as rdflib does
                op = {(0, 1): ">=", (1,): ">", (0, -1): "<=", (-1,): "<"}[passing]
                compared = f"?value {op} {sparql_term(rule)}"
                fast = f"isNumeric(?value) && !({compared})"
                # oxigraph's comparison of NaN is an error (XPath's is false): Python decides those
                nan = f'sameTerm(COALESCE({compared}, "NaN"), "NaN")'
                out.append(ValueFilter(parameter, component, f"!isLiteral(?value) || ({fast})",
                                       f"isLiteral(?value) && (!isNumeric(?value) || {nan})", check))
            else:
                out.append(ValueFilter(parameter, component, "!isLiteral(?value)", "isLiteral(?value)", check))
    return out


class Comparer:
    """pySHACL's comparison: strings only with strings, else rdflib's literal order."""

    def __init__(self, rule: Literal, passing: tuple[int, ...]) -> None:
        self.rule, self.passing = rule, passing
        self.rule_is_string = isinstance(rule.value, str)

    def __call__(self, value: ox.Literal | ox.NamedNode) -> bool:
        from pyshacl.rdfutil.compare import compare_literal  # only when a value needs it

        if not isinstance(value, ox.Literal):
            return True
        literal = ox_literal_as_rdflib(value)
        if isinstance(literal.value, str) != self.rule_is_string:
            return True
        try:
            return bool(compare_literal(literal, self.rule) not in self.passing)  # type: ignore[no-untyped-call]
        except (TypeError, NotImplementedError, ArithmeticError):  # NaN against a decimal: Decimal raises
            return True  # not comparable: the comparison is not true, a result (SHACL 4.4)
