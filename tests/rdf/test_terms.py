"""One rdflib object per IRI: the reader's terms are the namespace constants themselves."""

from __future__ import annotations

from rdflib import URIRef

from migrmeta.load import parse_bytes
from migrmeta.namespaces import IS_TYPE, MM, RDF, SURVEY_CLASSES, interned, named
from migrmeta.rdf.skolem import skolemize

RECORD = b"""@prefix mm: <https://w3id.org/migrmeta/ns#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://w3id.org/migrmeta/survey/x> a mm:Survey ; dct:temporal [ dct:title "t" ] .
"""


def statements() -> list[tuple[object, object, object]]:
    return list(skolemize(parse_bytes(RECORD, "in.ttl", "turtle").graph))


def test_two_parses_share_their_iris_and_skolem_iris() -> None:
    first, second = sorted(statements(), key=str), sorted(statements(), key=str)
    assert first == second and any(isinstance(x, URIRef) and "genid" in x for t in first for x in t)
    for a, b in zip(first, second, strict=True):
        assert all(x is y for x, y in zip(a, b, strict=True) if isinstance(x, URIRef))


def test_the_reader_gives_the_constants_objects() -> None:
    types = [(s, p, o) for s, p, o in statements() if p == RDF.type]
    assert len(types) == 1
    _, predicate, survey_class = types[0]
    assert predicate is next(iter(IS_TYPE))
    assert any(survey_class is c for c in SURVEY_CLASSES)


def test_named_and_interned_keep_the_first_object() -> None:
    iri = "https://w3id.org/migrmeta/ns#aPropertyNoOneUses"
    mine = URIRef(iri)
    assert interned(mine) is mine
    assert named(iri) is mine
    assert interned(URIRef(iri)) is mine
    assert named(str(MM.Survey)) is next(c for c in SURVEY_CLASSES if c == MM.Survey)


def test_the_project_namespaces_give_the_one_object_of_each_iri() -> None:
    """MM.x, MM["x"] and the reader's term are one object (namespaces.IriSpace), made once."""
    from migrmeta.namespaces import DCAT, scheme

    assert MM.Survey is MM["Survey"] is named(str(MM) + "Survey")
    assert DCAT.inSeries is named("http://www.w3.org/ns/dcat#inSeries")
    assert scheme("sample-type").probability is scheme("sample-type")["probability"]
    assert "aTermOnlyThisTestUses" not in vars(MM)
    term = MM.aTermOnlyThisTestUses
    assert vars(MM)["aTermOnlyThisTestUses"] is term  # found without a call from now on
    assert isinstance(term, URIRef) and str(term) == "https://w3id.org/migrmeta/ns#aTermOnlyThisTestUses"
