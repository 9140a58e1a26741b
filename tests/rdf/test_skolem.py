"""Skolemization: blank nodes -> IRIs derived from their content, stable across parses."""

from __future__ import annotations

import json

import pytest
from paths import DATA as DATA_DIR
from rdflib import BNode, Graph, Literal, URIRef

from migrmeta.load import parse_bytes
from migrmeta.namespaces import DCAT, DCT, RDF, XSD
from migrmeta.rdf.skolem import BLANK, GENID, IRI, LITERAL, OTHER, encode, is_skolem, kind_of, skolem_map, skolemize

DATA = DATA_DIR
SOF = DATA / "merge" / "psa" / "ph-sof.ttl"
SURVEY = URIRef("https://w3id.org/migrmeta/survey/x")
PREFIXES = """@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def period(start: str, end: str | None = None) -> str:
    end_part = f' ; dcat:endDate "{end}"^^xsd:gYear' if end else ""
    return f'<{SURVEY}> dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "{start}"^^xsd:gYear{end_part} ] .\n'


def skolem_of(text: str, fmt: str = "turtle") -> set[tuple[object, object, object]]:
    return set(skolemize(parse_bytes(text.encode(), "test", fmt).graph))


def temporal(triples: set[tuple[object, object, object]]) -> object:
    return next(o for s, p, o in triples if p == DCT.temporal)


def test_blank_nodes_become_genid_iris_and_nothing_else_changes() -> None:
    graph = parse_bytes(SOF.read_bytes(), str(SOF), "turtle").graph
    triples = skolemize(graph)
    assert len(triples) == len(graph)
    assert not any(isinstance(term, BNode) for triple in triples for term in triple)
    node = temporal(set(triples))
    assert isinstance(node, URIRef) and node.startswith(str(GENID)) and is_skolem(node)
    assert (node, DCAT.startDate, Literal("1991", datatype=XSD.gYear)) in triples
    without_bnodes = {t for t in graph if not any(isinstance(x, BNode) for x in t)}
    assert without_bnodes <= set(triples)


def test_same_content_gives_the_same_iri_whatever_the_labels_order_or_syntax() -> None:
    turtle = skolem_of(PREFIXES + period("1991", "1992"))
    reordered = PREFIXES + (f'<{SURVEY}> dct:temporal _:zz .\n_:zz dcat:endDate "1992"^^xsd:gYear ; '
                            'dcat:startDate "1991"^^xsd:gYear ; a dct:PeriodOfTime .\n')
    ntriples = Graph().parse(data=PREFIXES + period("1991", "1992"), format="turtle").serialize(format="nt")
    jsonld = json.dumps({
        "@id": str(SURVEY),
        str(DCT.temporal): {"@type": str(DCT.PeriodOfTime),
                            str(DCAT.startDate): {"@value": "1991", "@type": str(XSD.gYear)},
                            str(DCAT.endDate): {"@value": "1992", "@type": str(XSD.gYear)}},
    })
    assert turtle == skolem_of(reordered) == skolem_of(ntriples, "ntriples") == skolem_of(jsonld, "jsonld")


def test_parsing_twice_mints_no_new_identity() -> None:
    first = skolemize(parse_bytes(SOF.read_bytes(), "a", "turtle").graph)
    second = skolemize(parse_bytes(SOF.read_bytes(), "b", "turtle").graph)
    assert set(first) == set(second)
    assert skolemize(first) == first  # already skolemized: unchanged


def test_different_content_gives_different_iris() -> None:
    assert temporal(skolem_of(PREFIXES + period("1991"))) != temporal(skolem_of(PREFIXES + period("1993")))
    assert temporal(skolem_of(PREFIXES + period("1991"))) != temporal(skolem_of(PREFIXES + period("1991", "1991")))


def test_a_nested_change_changes_the_parent() -> None:
    def outer(role: str) -> URIRef:
        text = PREFIXES + ('@prefix prov: <http://www.w3.org/ns/prov#> .\n'
                           f'<{SURVEY}> prov:qualifiedAttribution [ prov:agent <http://a> ; '
                           f'dcat:hadRole [ dct:title "{role}" ] ] .\n')
        triples = skolem_of(text)
        return next(o for s, p, o in triples if s == SURVEY)  # type: ignore[return-value]

    assert outer("conductor") != outer("funder")
    assert outer("conductor") == outer("conductor")


def test_cycles_between_blank_nodes_are_deterministic() -> None:
    text = PREFIXES + f'<{SURVEY}> dct:relation _:a .\n_:a dct:relation _:b ; dct:title "a" .\n_:b dct:relation _:a .\n'
    relabelled = text.replace("_:a", "_:x").replace("_:b", "_:y")
    first, second = skolem_of(text), skolem_of(relabelled)
    assert first == second
    assert len({s for s, _, _ in first if is_skolem(s)}) == 2


def test_identical_nodes_in_one_graph_collapse() -> None:
    triples = [(SURVEY, DCT.temporal, BNode()), (SURVEY, DCT.temporal, BNode())]
    triples += [(b, RDF.type, DCT.PeriodOfTime) for _, _, b in list(triples)]
    mapping = skolem_map(triples)
    assert len(set(mapping.values())) == 1
    assert len(skolemize(triples)) == 2


def test_canonical_encoding_escapes_like_ntriples() -> None:
    assert encode(Literal('a "b"\n\\c\x01')) == '"a \\"b\\"\\n\\\\c\\u0001"'
    assert encode(Literal("x", datatype=XSD.string)) == encode(Literal("x")) == '"x"'
    assert encode(Literal("x", lang="EN")) == '"x"@en'
    assert encode(Literal("5", datatype=XSD.integer)) == f'"5"^^<{XSD.integer}>'


class _MyIri(URIRef):
    """A subclass, as rdflib's own Genid is of URIRef."""


def test_terms_are_told_apart_by_class_and_subclasses_count_as_theirs() -> None:
    """kind_of replaces isinstance in the writers' loops (rdflib's classes are ABCs): a
    subclass of URIRef, Literal or BNode is written as its base class is, anything else is
    refused as before."""
    iri = _MyIri(f"{GENID}abc")
    assert (kind_of(iri), kind_of(Literal("x")), kind_of(BNode("b")), kind_of("plain text")) == \
        (IRI, LITERAL, BLANK, OTHER)
    assert encode(iri) == f"<{GENID}abc>" and is_skolem(iri)
    assert not is_skolem(Literal(f"{GENID}abc"))  # the same text, a literal: not a skolem node
    assert encode(Literal("1", datatype=XSD.integer)) == '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'
    with pytest.raises(TypeError):
        encode(f"{GENID}abc")  # type: ignore[arg-type]
