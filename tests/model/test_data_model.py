"""The ontology, vocabularies, country list, shapes and context: what issue 2 promises of them."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyshacl
import pytest
from paths import DATA, SHARED
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from migrmeta import resources
from migrmeta.formats.countries import build_country_list
from migrmeta.load import read_input
from migrmeta.load.reference import Reference
from migrmeta.namespaces import COUNTRY, DCT, MM, OWL, RDF, RDFS, SH, SKOS
from migrmeta.reports.items import items_table

LANGS = {"en", "fr", "es"}


def langs(graph: Graph, node: URIRef, predicate: URIRef) -> set[str]:
    return {o.language for o in graph.objects(node, predicate) if isinstance(o, Literal) and o.language}


def ontology_terms(graph: Graph) -> list[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
    return sorted({s for k in kinds for s in graph.subjects(RDF.type, k)
                   if isinstance(s, URIRef) and str(s).startswith(str(MM))})


def test_ontology_header() -> None:
    graph = Graph().parse(resources.ontology_file())
    ontology = URIRef("https://w3id.org/migrmeta/ns")
    assert (ontology, RDF.type, OWL.Ontology) in graph
    assert graph.value(ontology, OWL.versionIRI) is not None
    survey = MM.Survey
    parents = set(graph.objects(survey, RDFS.subClassOf))
    assert URIRef("http://www.w3.org/ns/dcat#Dataset") in parents
    assert URIRef("http://rdf-vocabulary.ddialliance.org/discovery#Study") in parents


def test_every_term_has_labels_comments_and_an_item(reference: Reference) -> None:
    graph = Graph().parse(resources.ontology_file())
    terms = ontology_terms(graph)
    assert len(terms) > 30
    missing = []
    for term in terms:
        if langs(graph, term, RDFS.label) != LANGS or langs(graph, term, RDFS.comment) != LANGS:
            missing.append(str(term))
    assert missing == []
    infrastructure = {MM.questionnaireItem, MM.answeredBy, MM.QuestionnaireItem, MM.alpha2, MM.sourceVersion,
                      MM.accessRights, MM.checkedOn}
    without_item = [t for t in terms if t not in infrastructure and graph.value(t, MM.questionnaireItem) is None]
    assert without_item == []


def test_every_item_is_reachable_from_the_ontology() -> None:
    graph = Graph().parse(resources.ontology_file())
    items = list(graph.subjects(RDF.type, MM.QuestionnaireItem))
    assert {int(graph.value(i, SKOS.notation)) for i in items} == set(range(1, 15))
    annotated = {int(o) for o in graph.objects(None, MM.questionnaireItem)}
    for item in items:  # each item is annotated on our terms, or answered by standard terms only
        answers = set(graph.objects(item, MM.answeredBy))
        number = int(graph.value(item, SKOS.notation))
        assert number in annotated or all(not str(t).startswith(str(MM)) for t in answers)
        assert langs(graph, item, RDFS.label) == LANGS
        assert list(graph.objects(item, MM.answeredBy))


def test_alignments_to_standard_vocabularies() -> None:
    graph = Graph().parse(resources.ontology_file())
    targets = {str(o) for p in (RDFS.subPropertyOf, RDFS.subClassOf, SKOS.closeMatch, SKOS.exactMatch,
                                OWL.equivalentProperty) for o in graph.objects(None, p)}
    for namespace in ("http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/",
                      "http://rdf-vocabulary.ddialliance.org/discovery#", "http://www.w3.org/ns/prov#",
                      "https://schema.org/"):
        assert any(t.startswith(namespace) for t in targets), namespace


SCHEMES = ["sample-type", "sampling-unit", "survey-design", "population", "migrant-type", "agency-type",
           "identification-criterion", "dissemination", "access-level"]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_vocabulary_concepts_are_complete(scheme: str) -> None:
    graph = Graph().parse(resources.vocabulary_dir() / f"{scheme}.ttl")
    scheme_iri = URIRef(f"https://w3id.org/migrmeta/vocab/{scheme}")
    assert langs(graph, scheme_iri, DCT.title) >= {"en"}
    concepts = list(graph.subjects(SKOS.inScheme, scheme_iri))
    assert concepts
    for concept in concepts:
        assert langs(graph, concept, SKOS.prefLabel) >= LANGS, concept
        assert "en" in langs(graph, concept, SKOS.definition), concept
        assert graph.value(concept, SKOS.notation) is not None
        notation = str(graph.value(concept, SKOS.notation))
        assert str(concept).endswith("/" + notation)
        for broader in graph.objects(concept, SKOS.broader):
            assert (broader, SKOS.inScheme, scheme_iri) in graph


def test_questionnaire_answers_are_present(reference: Reference) -> None:
    concepts = reference.concepts
    base = "https://w3id.org/migrmeta/vocab/"
    for path in ["population/migrants-at-destination", "population/return-migrants-at-origin",
                 "population/non-migrants-at-origin", "population/non-migrants-at-destination",
                 "population/proxy-for-migrants-abroad", "dissemination/reports", "dissemination/tabulations",
                 "dissemination/aggregate-digital", "dissemination/microdata-digital", "sample-type/probability",
                 "sample-type/nonprobability.purposive", "sample-type/nonprobability.snowball",
                 "sampling-unit/household", "sampling-unit/individual", "survey-design/dedicated",
                 "survey-design/module"]:
        assert base + path in concepts, path


def test_ddi_matches_use_confirmed_iris() -> None:
    graph = Graph().parse(resources.vocabulary_dir() / "sample-type.ttl")
    probability = URIRef("https://w3id.org/migrmeta/vocab/sample-type/probability")
    assert URIRef("http://rdf-vocabulary.ddialliance.org/cv/SamplingProcedure/1.1.4/0d2765b") in set(
        graph.objects(probability, SKOS.exactMatch))


def test_return_migrants_are_an_origin_population(reference: Reference) -> None:
    roles = set(reference.graph.objects(
        URIRef("https://w3id.org/migrmeta/vocab/population/return-migrants-at-origin"), MM.locationRole))
    assert roles == {URIRef("https://w3id.org/migrmeta/vocab/location-role/origin")}


def test_country_list_has_three_languages_and_its_source(reference: Reference) -> None:
    senegal = COUNTRY.SEN
    assert langs(reference.graph, senegal, SKOS.prefLabel) == LANGS
    assert str(reference.graph.value(senegal, MM.alpha2)) == "SN"
    text = resources.countries_file().read_text(encoding="utf-8")
    assert "countries-skos.rdf" in text.splitlines()[0]
    assert "20221214-0" in text
    assert (COUNTRY.YUG, SKOS.inScheme, None) not in reference.graph  # deprecated entries are not valid


EU_COUNTRIES = DATA / "eu-authority" / "countries-skos.rdf.gz"  # the EU table, compressed (SOURCE.txt there)


def test_country_list_is_derived_from_the_eu_table(tmp_path: Path) -> None:
    table = tmp_path / "countries-skos.rdf"
    table.write_bytes(gzip.decompress(EU_COUNTRIES.read_bytes()))
    derived = build_country_list(table)
    shipped = Graph().parse(resources.countries_file())
    assert isomorphic(derived, shipped)


def test_the_eu_table_in_the_test_data_is_the_shared_one() -> None:
    shared = SHARED / "ext/eu-authority/countries-skos.rdf"
    if not shared.is_file():
        pytest.skip("../shared is not beside this checkout (a clone): the copy is checked where it is")
    assert gzip.decompress(EU_COUNTRIES.read_bytes()) == shared.read_bytes()


def test_shapes_conform_to_shacl_for_shacl(reference: Reference) -> None:
    meta = Graph().parse(Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl")
    conforms, _, text = pyshacl.validate(reference.shapes, shacl_graph=meta)
    assert conforms, text


def test_every_property_shape_is_documented(reference: Reference) -> None:
    shapes = reference.shapes
    for shape in shapes.subjects(RDF.type, SH.PropertyShape):
        assert langs(shapes, shape, SH.name) == LANGS, shape
        assert langs(shapes, shape, SH.description) == LANGS, shape
        assert langs(shapes, shape, SH.message) == LANGS, shape
        assert shapes.value(shape, SH.order) is not None, shape
        assert shapes.value(shape, SH.group) is not None, shape


def test_items_table_is_current(reference: Reference) -> None:
    assert (resources.data_root() / "docs" / "items.md").read_text(encoding="utf-8") == items_table(reference)


def test_json_ld_context_reads_like_the_questionnaire() -> None:
    context = json.loads(resources.context_file().read_text(encoding="utf-8"))["@context"]
    assert context["@version"] == 1.1
    for term in ("title", "countries", "sampleType", "samplingUnit", "surveyDesign", "populationsCovered",
                 "identification", "collectsRemittances", "disseminationMeans", "accessLevel"):
        assert term in context


def test_json_ld_example_gives_the_same_graph_as_turtle() -> None:
    record = read_input(str(resources.ontology_dir() / "examples" / "context-example.jsonld"))
    survey = URIRef("https://w3id.org/migrmeta/survey/ph-sof-2019")
    assert (survey, RDF.type, MM.Survey) in record.graph
    assert (survey, DCT.spatial, COUNTRY.PHL) in record.graph
    assert (survey, MM.samplingUnit, URIRef("https://w3id.org/migrmeta/vocab/sampling-unit/household")) in record.graph
