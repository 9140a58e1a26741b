"""RDF terms across the two libraries: pyoxigraph answers, rdflib results, SPARQL text."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.term import Node

from migrmeta.namespaces import RDF, XSD
from migrmeta.rdf import terms as rdf_terms

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
_PLAIN = {str(XSD.string), str(RDF.langString)}

# Datatypes the store keeps as another (Oxigraph normalizes literals as it stores them, and
# cannot be told not to: oxigraph/oxigraph#526): "5"^^xsd:int reads back as "5"^^xsd:integer.
# sh:datatype, sh:in and sh:hasValue compare datatypes exactly, so a shape or a record with
# such a literal is left to pySHACL (tests/shacl/test_engine.py checks the table on the store).
REWRITTEN_DATATYPES: dict[str, str] = {
    **{str(XSD[name]): str(XSD.integer) for name in (
        "int", "long", "short", "byte", "nonNegativeInteger", "nonPositiveInteger", "negativeInteger",
        "positiveInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")},
    str(XSD.dateTimeStamp): str(XSD.dateTime),
}


class Unsupported(Exception):
    """A shape uses something the compiler does not translate: pySHACL validates it instead."""


class ShapeFailure(Exception):
    """pySHACL could not evaluate a shape (e.g. a SPARQL constraint that does not parse): a
    mistake of the shapes graph, not of the data."""


def shapes_mistake(error: BaseException) -> bool:
    """Whether an error pySHACL raised while evaluating shapes is the shapes' own mistake (a
    shape it cannot load, a query that does not parse or names an undeclared prefix), not a bug."""
    from pyparsing import ParseBaseException
    from pyshacl.errors import ConstraintLoadError, ReportableRuntimeError, ShapeLoadError

    if isinstance(error, (ParseBaseException, ConstraintLoadError, ReportableRuntimeError, ShapeLoadError)):
        return True
    return type(error) is Exception and str(error).startswith("Unknown namespace prefix")  # rdflib's


def to_rdflib(term: OxTerm | ox.Triple) -> Node:
    if isinstance(term, ox.Triple):
        raise Unsupported("RDF 1.2 triple terms")
    return rdf_terms.to_rdflib(term)


def to_ox(node: Node) -> OxTerm:
    try:
        found: OxTerm = rdf_terms.to_oxigraph(node)
    except TypeError:
        raise Unsupported(f"not an RDF term: {node!r}") from None
    return found


def sparql_term(node: Node) -> str:
    """A constant for SPARQL text; blank nodes cannot be named in a query."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        if node.datatype is not None and str(node.datatype) in REWRITTEN_DATATYPES:
            raise Unsupported(f"a literal of {node.datatype}, which the store keeps as "
                              f"{REWRITTEN_DATATYPES[str(node.datatype)]}")
        return str(to_ox(node))
    raise Unsupported(f"a blank node cannot be a constant in SPARQL: {node}")


def ox_literal_as_rdflib(term: ox.Literal) -> Literal:
    """The literal as rdflib parses it (value conversion, ill-typed flag)."""
    with quiet_literals():
        result = to_rdflib(term)
    assert isinstance(result, Literal)
    return result


@contextmanager
def quiet_literals() -> Iterator[None]:
    """rdflib logs a traceback and warns for every ill-typed literal it converts; an engine
    that asks whether a literal is ill-typed reports the answer as a result instead."""
    logger = logging.getLogger("rdflib.term")
    was = logger.disabled
    logger.disabled = True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.disabled = was
