"""RDF terms between pyoxigraph (parsing, SPARQL) and rdflib (pySHACL, graph algorithms).

The one reader parses with pyoxigraph; code that needs rdflib converts here, and nowhere
else. `Converter` keeps one rdflib object per distinct term, so a catalogue of many records
shares its IRIs and literals instead of holding millions of copies.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import pyoxigraph as ox
import rdflib.term
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from migrmeta.namespaces import named

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
OxTriple = ox.Triple
Triple = tuple[Node, Node, Node]


# rdflib recognizes xsd:date but not xsd:gYear nor xsd:gYearMonth: "2014-13"^^xsd:gYearMonth
# was never ill-typed, so sh:datatype let it through in pySHACL (and in the compiled engine,
# which asks rdflib as pySHACL does). Their lexical forms (XSD 1.1, part 2, 3.3.14-15) are
# recognized here; the value stays None as before, so comparisons and output are unchanged.
_TIMEZONE = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR = r"-?(?:[1-9]\d{3,}|0\d{3})"
_LEXICAL = {
    "http://www.w3.org/2001/XMLSchema#gYear": re.compile(_YEAR + _TIMEZONE),
    "http://www.w3.org/2001/XMLSchema#gYearMonth": re.compile(_YEAR + r"-(?:0[1-9]|1[0-2])" + _TIMEZONE),
}


class _WellFormed:
    def __init__(self, form: re.Pattern[str]) -> None:
        self.form = form

    def __call__(self, lexical: str | bytes, _value: object) -> bool:
        return self.form.fullmatch(str(lexical)) is not None


def _recognize_years_and_months() -> None:
    for iri, form in _LEXICAL.items():
        datatype = URIRef(iri)
        rdflib.term._toPythonMapping[datatype] = _no_value  # known, so checked; no value, as before
        rdflib.term._check_well_formed_types[datatype] = _WellFormed(form)


def _no_value(_lexical: str) -> None:
    return None


_recognize_years_and_months()
# rdflib warns on standard error, in English and naming its own file, of each boolean it cannot
# read ("yes"^^xsd:boolean); validation's finding says it, at the record's line, in --lang
warnings.filterwarnings("ignore", message="Parsing weird boolean", category=UserWarning, module=r"rdflib\.term")


def to_rdflib(term: Any) -> Node:
    """A pyoxigraph term as rdflib's (xsd:string literals stay plain, as rdflib writes them)."""
    if isinstance(term, ox.NamedNode):
        return named(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        return literal(term.value, term.language, term.datatype.value)
    raise TypeError(f"unsupported RDF term {term!r}")


def literal(lexical: str, language: str | None, datatype: str | None) -> Literal:
    """rdflib's literal of a lexical form with a language tag or a datatype (xsd:string or none:
    a plain literal); how every literal read is made (merging/parsed.py makes them again)."""
    if language:
        return Literal(lexical, lang=language)
    if datatype is None or datatype == _XSD_STRING:
        return Literal(lexical)
    made = Literal(lexical, datatype=named(datatype))
    if made.ill_typed and str(made) != lexical:  # rdflib reads "yes"^^xsd:boolean as "false": keep what was written
        return Literal(lexical, datatype=named(datatype), normalize=False)
    return made


def to_oxigraph(node: Node) -> Any:
    """An rdflib term as pyoxigraph's."""
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype or _XSD_STRING)))
    raise TypeError(f"unsupported RDF term {node!r}")


def triple_to_oxigraph(triple: Triple) -> ox.Triple:
    s, p, o = triple
    return ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))


class Converter:
    """pyoxigraph -> rdflib with one rdflib object per distinct term."""

    def __init__(self) -> None:
        self._seen: dict[object, Node] = {}

    def term(self, term: object) -> Node:
        found = self._seen.get(term)
        if found is None:
            found = self._seen[term] = to_rdflib(term)
        return found

    def triple(self, triple: ox.Triple | ox.Quad) -> Triple:
        term = self.term
        return term(triple.subject), term(triple.predicate), term(triple.object)


def value_order(triple: tuple[Node, Node, Node]) -> tuple[str, str, str]:
    """The order a graph's statements are added in where it shows (pySHACL words a shape's
    several sh:node values in the graph's order): by property, kind of value, value."""
    return str(triple[1]), type(triple[2]).__name__, str(triple[2])


__all__ = ["Converter", "OxTerm", "OxTriple", "Triple", "literal", "to_oxigraph", "to_rdflib", "triple_to_oxigraph",
           "value_order"]
