"""RDF terms across the two libraries: pyoxigraph answers, rdflib results, SPARQL text."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..namespaces import RDF, XSD

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
_PLAIN = {str(XSD.string), str(RDF.langString)}


class Unsupported(Exception):
    """A shape uses something the compiler does not translate: pySHACL validates it instead."""


def to_rdflib(term: OxTerm | ox.Triple) -> Node:
    if isinstance(term, ox.Triple):
        raise Unsupported("RDF 1.2 triple terms")
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    # rdflib parses "x" without a datatype: keep the two libraries' plain literals equal
    return Literal(term.value) if datatype == str(XSD.string) else Literal(term.value, datatype=URIRef(datatype))


def to_ox(node: Node) -> OxTerm:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise Unsupported(f"not an RDF term: {node!r}")


def sparql_term(node: Node) -> str:
    """A constant for SPARQL text; blank nodes cannot be named in a query."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return str(to_ox(node))
    raise Unsupported(f"a blank node cannot be a constant in SPARQL: {node}")


def ox_literal_as_rdflib(term: ox.Literal) -> Literal:
    """The literal as rdflib parses it (value conversion, ill-typed flag)."""
    result = to_rdflib(term)
    assert isinstance(result, Literal)
    return result
