"""io/names: which agencies publish gives documents and a page, by the one rule both use."""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef

from migrmeta.io.names import agency_name
from migrmeta.namespaces import AGENCY, FOAF, MM, SURVEY

AGENT = [FOAF.Agent]


def test_an_agency_of_migrmetas_namespace_typed_as_one_has_a_name() -> None:
    assert agency_name(URIRef(f"{AGENCY}ine-es"), AGENT) == "ine-es"
    assert agency_name(URIRef(f"{AGENCY}ine-es"), [MM.Agency]) == "ine-es"


def test_what_is_not_one_of_its_agencies_has_none() -> None:
    assert agency_name(URIRef(f"{AGENCY}ine-es"), []) is None  # named, never typed: no agency of the catalogue
    assert agency_name(URIRef(f"{AGENCY}ine-es"), [MM.Survey]) is None
    assert agency_name(URIRef("https://www.ine.es/"), AGENT) is None  # its owner's to answer
    assert agency_name(URIRef(f"{SURVEY}es-eni-2007"), AGENT) is None
    assert agency_name(Literal(f"{AGENCY}ine-es"), AGENT) is None  # text, not an IRI
    assert agency_name(BNode(), AGENT) is None


def test_a_name_that_cannot_name_a_file_has_none() -> None:
    for local in ("", "../etc", "INE", "a/b", "con", "x" * 101):
        assert agency_name(URIRef(f"{AGENCY}{local}"), AGENT) is None, local
