"""The DCAT-AP 3 profile: the published catalogue conforms to the official shapes (pySHACL,
tests/data/dcat-ap-3/), and the profile only adds to what agencies contributed."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyshacl
import pytest
from conftest import Published
from paths import DATA as DATA_DIR
from paths import REPO
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta.formats.dcat import profile as dcat_ap
from migrmeta.load.reference import Reference
from migrmeta.merging.merge import merge
from migrmeta.namespaces import (
    ACCESS_RIGHT,
    AGENCY,
    AGENCY_TYPE,
    DCAT,
    DCT,
    FOAF,
    MM,
    ORG,
    PUBLISHER_TYPE,
    RDF,
    SH,
    SKOS,
    SURVEY,
    XSD,
)
from migrmeta.publishing.site import PublishResult

ROOT = REPO
SHAPES = DATA_DIR / "dcat-ap-3"
MANDATORY = ("shapes.ttl", "range.ttl", "deprecateduris.ttl")
MERGE = DATA_DIR / "merge"
Triple = tuple[Node, Node, Node]


def shapes(*names: str) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(SHAPES / name, format="turtle")
    return graph


def violations(data: Graph, names: tuple[str, ...] = MANDATORY) -> Counter[str]:
    """Violations by focus node, path and message (warnings are not counted)."""
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes(*names), advanced=True)
    found: Counter[str] = Counter()
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        found[f"{report.value(result, SH.focusNode)} {report.value(result, SH.resultPath)}: "
              f"{report.value(result, SH.resultMessage)}"] += 1
    return found


@pytest.fixture(scope="module")
def site(published: Published) -> tuple[PublishResult, Graph]:
    """records/ as published once for the run (conftest.py)."""
    return published.result, published.catalog


@pytest.fixture(scope="module")
def merged(reference: Reference) -> tuple[set[Triple], dcat_ap.Profile]:
    result = merge([str(MERGE / "psa" / "ph-sof.ttl"), f"{MERGE / 'un-desa-pd' / 'ph-sof.ttl'}=un-desa-pd",
                    str(MERGE / "agencies.ttl")], prefer=["psa"])
    catalogue = result.catalogue()
    return catalogue, dcat_ap.apply(catalogue, reference, dcat_ap.CatalogOptions(publisher=AGENCY["psa"]))


def test_the_published_catalogue_conforms_to_dcat_ap_3(site: tuple[PublishResult, Graph]) -> None:
    result, catalogue = site
    assert result.surveys + result.series > 0
    assert violations(catalogue) == Counter()


def test_each_survey_document_alone_conforms_to_dcat_ap_3(published: Published) -> None:
    """surveys/<id>.ttl is what a survey's IRI answers (server configurations): a harvester that
    reads it alone finds the agencies, countries, series and concepts it names described, and
    the official shapes hold on it. Its JSON-LD says the same."""
    documents = sorted((published.out / "surveys").glob("*.ttl"))
    assert len(documents) == published.result.surveys + published.result.series
    found = Counter()
    every = shapes(*MANDATORY, "shapes_recommended.ttl", "mdr-vocabularies.shape.ttl")
    for document in documents:
        graph = Graph().parse(document, format="turtle")
        _, report, _ = pyshacl.validate(graph, shacl_graph=every, advanced=True)
        for result in report.objects(None, SH.result):
            if report.value(result, SH.resultSeverity) == SH.Violation:
                found[f"{document.name}: {report.value(result, SH.resultMessage)}"] += 1
    assert found == Counter()
    document = json.loads((published.out / "surveys" / "ph-sof.jsonld").read_text(encoding="utf-8"))
    context = json.loads((published.out / "context.jsonld").read_text(encoding="utf-8"))
    document["@context"] = context["@context"]  # the site's copy of the context its IRI names: never fetched
    ph_sof = Graph().parse(data=json.dumps(document), format="json-ld")
    assert len(ph_sof) == len(Graph().parse(published.out / "surveys" / "ph-sof.ttl", format="turtle"))


def test_a_series_document_alone_names_its_rounds(published: Published) -> None:
    """surveys/nl-scp-sim.ttl said nothing of its rounds: DCAT-AP 3 warned "Less than 1 values on
    survey:nl-scp-sim->[ sh:inversePath dcat:inSeries ]" on it alone. Each of a series' data files
    states each round's dcat:inSeries, as the catalogue does, in IRI order."""
    catalogue = published.catalog
    series = sorted(set(catalogue.objects(None, DCAT.inSeries)), key=str)
    assert URIRef(SURVEY["nl-scp-sim"]) in series
    context = json.loads((published.out / "context.jsonld").read_text(encoding="utf-8"))
    for one in series:
        rounds = set(catalogue.subjects(DCAT.inSeries, one))
        stem = published.out / "surveys" / str(one).rsplit("/", 1)[-1]
        document = json.loads(stem.with_suffix(".jsonld").read_text(encoding="utf-8"))
        document["@context"] = context["@context"]
        for graph in (Graph().parse(stem.with_suffix(".ttl"), format="turtle"),
                      Graph().parse(stem.with_suffix(".nt"), format="nt"),
                      Graph().parse(data=json.dumps(document), format="json-ld")):
            assert set(graph.subjects(DCAT.inSeries, one)) == rounds, stem.name
    text = (published.out / "surveys" / "nl-scp-sim.nt").read_text(encoding="utf-8")
    said = [line.split()[0] for line in text.splitlines() if f"<{DCAT.inSeries}>" in line]
    assert said == sorted(said) and len(said) == 4
    alone = Graph().parse(published.out / "surveys" / "nl-scp-sim.ttl", format="turtle")
    _, report, _ = pyshacl.validate(alone, shacl_graph=shapes("shapes.ttl"), advanced=True)
    paths = [report.value(result, SH.resultPath) for result in report.objects(None, SH.result)]
    assert not [p for p in paths if report.value(p, SH.inversePath) == DCAT.inSeries]


def test_the_contributed_statements_alone_do_not_conform(reference: Reference) -> None:
    """What the profile adds is what DCAT-AP needs: without it the same records fail."""
    raw = merge([ROOT / "records"])
    graph = Graph()
    for triple in raw.catalogue():
        graph.add(triple)
    found = violations(graph)
    assert any("Location" in key or "dct:Location" in key or "spatial" in key for key in found)


def test_the_merged_fixture_conforms(merged: tuple[set[Triple], dcat_ap.Profile]) -> None:
    catalogue, applied = merged
    graph = Graph()
    for triple in (catalogue - applied.replaced) | applied.additions:
        graph.add(triple)
    assert violations(graph) == Counter()


def test_contributed_statements_are_kept(merged: tuple[set[Triple], dcat_ap.Profile]) -> None:
    catalogue, applied = merged
    assert not (applied.additions & catalogue)  # only new statements
    # the two re-expressions: dct:source to a document becomes foaf:page to the same document;
    # an agency's kind becomes org:classification, and its dct:type the ADMS publisher type
    assert {p for _, p, _ in applied.replaced} == {DCT.source, DCT.type}
    for s, p, o in applied.replaced:
        if p == DCT.source:
            assert (s, FOAF.page, o) in applied.additions
            assert (o, RDF.type, DCAT.Dataset) not in catalogue
        else:
            assert (s, ORG.classification, o) in applied.additions
            [kind] = [t for t in applied.additions if t[0] == s and t[1] == DCT.type]
            assert kind[2].startswith(PUBLISHER_TYPE)


def test_an_agency_kind_is_published_with_its_adms_publisher_type(site: tuple[PublishResult, Graph]) -> None:
    """DCAT-AP 3 takes an agent's dct:type from the ADMS publisher types; the agency's own kind
    (agency-type.ttl) stays, as org:classification, and the type is described in the catalogue."""
    _, catalogue = site
    kinds = {"national-statistical-office": "NationalAuthority", "international-organisation": "SupraNationalAuthority",
             "research": "Academia-ScientificOrganisation", "government": "NationalAuthority"}
    for kind, adms in kinds.items():
        agencies = set(catalogue.subjects(ORG.classification, URIRef(f"{AGENCY_TYPE}{kind}")))
        assert agencies, kind
        for agency in agencies:
            assert list(catalogue.objects(agency, DCT.type)) == [PUBLISHER_TYPE[adms]]
    scheme = URIRef("http://purl.org/adms/publishertype/1.0")
    assert (PUBLISHER_TYPE.NationalAuthority, SKOS.inScheme, scheme) in catalogue
    assert (scheme, RDF.type, SKOS.ConceptScheme) in catalogue
    assert catalogue.value(PUBLISHER_TYPE.NationalAuthority, SKOS.prefLabel) == Literal("National authority", lang="en")


def test_the_controlled_vocabularies_hold_but_for_the_eu_bodies_list(site: tuple[PublishResult, Graph]) -> None:
    """mdr-vocabularies.shape.ttl, the EU validator's controlled-vocabulary checks: agents' types
    are ADMS publisher types, countries and languages are the EU tables' (scheme stated in the
    catalogue, no code list needed). What is left is a warning no survey agency can settle: a
    publisher that is not in the EU corporate-body list."""
    _, catalogue = site
    _, report, _ = pyshacl.validate(catalogue, shacl_graph=shapes("mdr-vocabularies.shape.ttl"), advanced=True)
    top = list(report.objects(None, SH.result))
    assert top, "the catalogue's publishers are not EU bodies: the check ran"
    assert {(report.value(r, SH.resultSeverity), report.value(r, SH.resultPath)) for r in top} == \
        {(SH.Warning, DCT.publisher)}
    details = set(report.subjects(SH.sourceShape, None)) - set(top)
    assert {report.value(r, SH.resultPath) for r in details} == {SKOS.inScheme}
    assert {report.value(r, SH.focusNode) for r in details} <= set(catalogue.objects(None, DCT.publisher))


def test_catalogue_and_records(merged: tuple[set[Triple], dcat_ap.Profile]) -> None:
    catalogue, applied = merged
    graph = Graph()
    for triple in (catalogue - applied.replaced) | applied.additions:
        graph.add(triple)
    catalog = applied.catalog
    assert (catalog, RDF.type, DCAT.Catalog) in graph
    assert graph.value(catalog, DCT.publisher) == AGENCY["psa"]
    assert {t.language for t in graph.objects(catalog, DCT.title)} == {"en", "fr", "es"}
    assert list(graph.objects(catalog, DCAT.dataset)) == [SURVEY["ph-sof"]]
    [record] = list(graph.objects(catalog, DCAT.record))
    assert list(graph.objects(record, FOAF.primaryTopic)) == [SURVEY["ph-sof"]]
    assert list(graph.objects(record, DCT.modified)) == [Literal("2026-11-29", datatype=XSD.date)]
    assert (SURVEY["ph-sof"], RDF.type, DCAT.Dataset) in graph  # a series is a dataset (DCAT 3)
    assert (URIRef("http://publications.europa.eu/resource/authority/country/PHL"), RDF.type, DCT.Location) in graph
    theme = graph.value(SURVEY["ph-sof"], DCAT.theme)
    assert theme is not None and graph.value(theme, SKOS.prefLabel) is not None
    taxonomy = graph.value(catalog, DCAT.themeTaxonomy)
    assert (taxonomy, RDF.type, SKOS.ConceptScheme) in graph and graph.value(taxonomy, DCT.title) is not None


def test_options_override_the_catalogue_defaults(reference: Reference) -> None:
    result = merge([str(MERGE / "psa" / "ph-sof.ttl"), str(MERGE / "agencies.ttl")])
    options = dcat_ap.CatalogOptions(iri="https://example.org/cat", title="Test catalogue",
                                     description="A test.", publisher=AGENCY["psa"])
    applied = dcat_ap.apply(result.catalogue(), reference, options)
    graph = Graph()
    for triple in applied.additions:
        graph.add(triple)
    catalog = URIRef("https://example.org/cat")
    assert applied.catalog == catalog
    assert list(graph.objects(catalog, DCT.title)) == [Literal("Test catalogue", lang="en")]
    assert list(graph.objects(catalog, DCT.description)) == [Literal("A test.", lang="en")]
    assert list(graph.objects(catalog, DCT.publisher)) == [AGENCY["psa"]]
    assert (AGENCY["migrmeta"], FOAF.name, None) not in graph  # the default publisher is not used


def test_access_rights_are_derived_from_the_access_level(tmp_path: Path, reference: Reference) -> None:
    levels = {
        "public": ("mm:accessLevel acc:public-use", "PUBLIC"),
        "primary": ("mm:accessLevel acc:public-use, acc:licensed ; mm:primaryAccessLevel acc:licensed", "RESTRICTED"),
        "ambiguous": ("mm:accessLevel acc:public-use, acc:licensed", None),
        "unknown": ("mm:accessLevel acc:unknown", None),
        "stated": ("mm:accessLevel acc:public-use ; dct:accessRights "
                   "<http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC>", "NON_PUBLIC"),
    }
    paths = []
    for name, (statement, _) in levels.items():
        text = (MERGE / "psa" / "ph-sof.ttl").read_text(encoding="utf-8")
        text = "@prefix acc: <https://w3id.org/migrmeta/vocab/access-level/> .\n" + text
        text = text.replace("survey:ph-sof ", f"survey:{name} ").replace(
            "mm:status status:ongoing ;", f"mm:status status:ongoing ; {statement} ;")
        path = tmp_path / f"{name}.ttl"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    result = merge(paths)
    applied = dcat_ap.apply(result.catalogue(), reference)
    published = (result.catalogue() - applied.replaced) | applied.additions
    for name, (_, expected) in levels.items():
        rights = {o for s, p, o in published if s == SURVEY[name] and p == DCT.accessRights}
        assert rights == ({ACCESS_RIGHT[expected]} if expected else set()), name
        for right in rights:
            assert (right, RDF.type, DCT.RightsStatement) in published
    assert (SURVEY["stated"], DCT.accessRights, ACCESS_RIGHT["NON_PUBLIC"]) not in applied.additions


def test_mm_survey_types_are_stated(site: tuple[PublishResult, Graph]) -> None:
    _, catalogue = site
    for survey in catalogue.subjects(RDF.type, MM.Survey):
        assert (survey, RDF.type, DCAT.Dataset) in catalogue
    for agent in set(catalogue.objects(None, DCT.creator)) | set(catalogue.objects(None, DCT.publisher)):
        assert (agent, RDF.type, FOAF.Agent) in catalogue and catalogue.value(agent, FOAF.name) is not None


def test_an_undescribed_publisher_or_a_missing_date_is_refused(tmp_path: Path, reference: Reference) -> None:
    from migrmeta.errors import PublishError, UsageError

    result = merge([str(MERGE / "psa" / "ph-sof.ttl"), str(MERGE / "agencies.ttl")])
    with pytest.raises(UsageError, match="not described"):  # exit 2, as --prefer naming an agency not described
        dcat_ap.apply(result.catalogue(), reference, dcat_ap.CatalogOptions(publisher=AGENCY["nobody"]))
    undated = tmp_path / "undated.ttl"
    undated.write_text((MERGE / "psa" / "ph-sof.ttl").read_text(encoding="utf-8").replace(
        ' ;\n    dct:modified "2026-11-29"^^xsd:date .', " ."), encoding="utf-8")
    result = merge([str(undated)])
    with pytest.raises(PublishError, match='date="YYYY-MM-DD"') as refused:  # the library speaks of arguments
        dcat_ap.apply(result.catalogue(), reference)
    assert "--date YYYY-MM-DD" in refused.value.cli_text()  # the command line, of its option
    dated = dcat_ap.apply(result.catalogue(), reference, dcat_ap.CatalogOptions(date="2025-05-01"))
    [record] = dated.records.values()
    assert (record, DCT.modified, Literal("2025-05-01", datatype=XSD.date)) in dated.additions
