"""`export schemaorg`: a schema.org Dataset per survey, shaped like the science-on-schema.org
example and readable as JSON-LD with the schema.org vocabulary (never fetched)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from paths import DATA as DATA_DIR
from paths import REPO
from pyld import jsonld
from rdflib import Graph, Literal, URIRef

from migrmeta import namespaces as ns
from migrmeta.cli import cli
from migrmeta.formats.exporting import series_in, surveys_in
from migrmeta.formats.schemaorg import (
    DESCRIPTION_MIN,
    DOI_REGISTRY,
    Catalogue,
    check_dataset,
    dataset_jsonld,
    datasets_jsonld,
    losses,
    temporal_coverage,
)
from migrmeta.load import read_input
from migrmeta.load.reference import Reference

ROOT = REPO
RECORDS = sorted(p for p in (ROOT / "records").glob("*.ttl") if p.name != "agencies.ttl")
EXAMPLE = json.loads((DATA_DIR / "schemaorg" / "full.jsonld").read_text())
# Dataset properties we write that the example does not happen to use.
OURS_ONLY = {"contributor", "conditionsOfAccess", "isPartOf", "hasPart", "includedInDataCatalog"}
SCHEMA = "https://schema.org/"
SURVEY = "https://w3id.org/migrmeta/survey/"
LANGS = ("en", "fr", "es")  # of the site's pages
# A catalogue served at a base URL, whose pages are named after the surveys' IRIs.
SITE = Catalogue("https://example.org/catalog", "Migration surveys", "https://example.org/site/",
                 lambda node, lang: f"https://example.org/site/{lang}/surveys/{str(node).rsplit('/', 1)[-1]}.html")


def as_list(value: Any) -> list[Any]:
    """A property's values: JSON-LD writes one value without the list."""
    return value if isinstance(value, list) else [] if value is None else [value]


@pytest.fixture(scope="module")
def catalogue() -> Graph:
    graph = read_input(str(ROOT / "records" / "agencies.ttl")).graph
    for path in RECORDS:
        graph += read_input(str(path)).graph
    return graph


def surveys() -> list[URIRef]:
    return [s for p in RECORDS for s in surveys_in(read_input(str(p)).graph)]


def expand(document: dict[str, Any]) -> Graph:
    """JSON-LD -> RDF with schema.org as @vocab: the schema.org context is never fetched."""

    def loader(url: str, options: Any = None) -> dict[str, Any]:
        if url.rstrip("/") == SCHEMA.rstrip("/"):
            return {
                "contentType": "application/ld+json",
                "contextUrl": None,
                "documentUrl": url,
                "document": {"@context": {"@vocab": SCHEMA}},
            }
        raise jsonld.JsonLdError(f"{url} is not fetched", "loading document failed")

    quads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader})
    return Graph().parse(data=quads, format="nt")  # default graph only: N-Triples


@pytest.mark.parametrize("survey", surveys(), ids=lambda s: s.rsplit("/", 1)[-1])
@pytest.mark.parametrize("lang", LANGS)
def test_every_survey_has_the_shape_of_the_example(catalogue: Graph, survey: URIRef, lang: str) -> None:
    """In each language of the site's pages, as `publish` makes them (`datasets_jsonld`)."""
    doc = datasets_jsonld(catalogue, survey, LANGS)[lang]
    assert doc == dataset_jsonld(catalogue, survey, lang=lang)
    assert "inLanguage" not in doc  # the dataset's language, not the page's
    assert doc["@context"] == EXAMPLE["@context"][0] == SCHEMA
    assert doc["@type"] == EXAMPLE["@type"] == "Dataset"
    assert set(doc) <= set(EXAMPLE) | OURS_ONLY, set(doc) - set(EXAMPLE)
    nested = {
        "creator": "Organization",
        "publisher": "Organization",
        "spatialCoverage": "Place",
        "variableMeasured": "PropertyValue",
        "distribution": "DataDownload",
        "isPartOf": "Dataset",
    }
    for key, kind in nested.items():
        for node in as_list(doc.get(key)):
            assert node["@type"] == kind
    # a round names its series (dcat:inSeries) as a Dataset with what Google requires of one
    assert [p["@id"] for p in as_list(doc.get("isPartOf"))] == \
        sorted(str(s) for s in catalogue.objects(survey, ns.DCAT.inSeries))
    assert all(p["name"] and p["description"] for p in as_list(doc.get("isPartOf")))
    assert check_dataset(doc) == []  # our records meet Google's Dataset guidelines
    # and it is JSON-LD: the survey is a schema:Dataset with its name and places
    graph = expand(doc)
    sdo = ns.SCHEMA
    assert (survey, ns.RDF.type, sdo.Dataset) in graph
    assert (survey, sdo.name, Literal(doc["name"])) in graph
    places = set(graph.objects(survey, sdo.spatialCoverage))
    assert places == set(catalogue.objects(survey, ns.DCT.spatial)) | {
        c
        for p in (ns.MM.originCountry, ns.MM.destinationCountry, ns.MM.transitCountry)
        for c in catalogue.objects(survey, p)
    }


def test_values_come_from_the_record(catalogue: Graph, reference: Reference) -> None:
    survey = URIRef("https://w3id.org/migrmeta/survey/us-nis-2003")
    doc = dataset_jsonld(catalogue, survey)
    assert doc["name"] == str(catalogue.value(survey, ns.DCT.title))
    creators = {c["@id"] for c in doc["creator"]}
    assert creators == {str(a) for a in catalogue.objects(survey, ns.DCT.creator)}
    for creator in doc["creator"]:
        homepage = catalogue.value(URIRef(creator["@id"]), ns.FOAF.homepage)
        assert creator.get("url") == (str(homepage) if homepage else None)
    method = catalogue.value(survey, ns.MM.identification)
    criterion = catalogue.value(method, ns.MM.criterion)
    variable = doc["variableMeasured"]
    assert variable["propertyID"] == str(criterion)
    assert variable["name"] == english_label(reference, criterion)
    assert variable["description"] == str(catalogue.value(method, ns.SKOS.definition))
    # free access follows the access levels' EU access rights, from the vocabulary
    rights = {
        reference.graph.value(level, ns.MM.accessRights) for level in catalogue.objects(survey, ns.MM.accessLevel)
    }
    assert doc.get("isAccessibleForFree") is (True if ns.ACCESS_RIGHT.PUBLIC in rights else None)


def english_label(reference: Reference, concept: URIRef) -> str:
    labels = {label.language: str(label) for label in reference.graph.objects(concept, ns.SKOS.prefLabel)}
    return labels["en"]


def _graph_with_period(start: str, end: str | None, description: str = "x" * 80) -> tuple[Graph, URIRef]:
    graph = Graph()
    survey = URIRef("https://w3id.org/migrmeta/survey/t")
    node = URIRef("https://w3id.org/migrmeta/survey/t#period")
    graph.add((survey, ns.DCT.title, Literal("T", lang="en")))
    graph.add((survey, ns.DCT.description, Literal(description, lang="en")))
    graph.add((survey, ns.DCT.temporal, node))
    graph.add((node, ns.DCAT.startDate, Literal(start, datatype=ns.XSD.gYear)))
    if end:
        graph.add((node, ns.DCAT.endDate, Literal(end, datatype=ns.XSD.gYear)))
    return graph, survey


def test_temporal_coverage_is_an_iso_interval() -> None:
    assert temporal_coverage(*_graph_with_period("2008", "2010")) == "2008/2010"
    assert temporal_coverage(*_graph_with_period("2013", None)) == "2013/.."
    assert temporal_coverage(*_graph_with_period("2019", "2019")) == "2019"


def test_a_completed_survey_without_an_end_covers_its_start_alone(catalogue: Graph) -> None:
    """records/au-lsia.ttl: LSIA 1 is completed and gives no end: not "1993-09/.." (to this day)."""
    lsia = URIRef("https://w3id.org/migrmeta/survey/au-lsia-1993")
    assert (lsia, ns.MM.status, ns.SURVEY_STATUS.completed) in catalogue
    assert temporal_coverage(catalogue, lsia) == "1993-09"
    assert dataset_jsonld(catalogue, lsia)["temporalCoverage"] == "1993-09"
    graph, survey = _graph_with_period("2013", None)
    graph.add((survey, ns.MM.status, ns.SURVEY_STATUS.ongoing))
    assert temporal_coverage(graph, survey) == "2013/.."  # an ongoing one runs on


def test_short_description_is_reported_not_padded(reference: Reference) -> None:
    graph, survey = _graph_with_period("2008", "2010", description="Too short.")
    doc = dataset_jsonld(graph, survey, reference=reference)
    assert doc["description"] == "Too short."
    problems = check_dataset(doc)
    assert any(str(DESCRIPTION_MIN) in p and "description" in p for p in problems)


def _distribution(graph: Graph, survey: URIRef, name: str, **links: str) -> URIRef:
    distribution = URIRef(f"https://w3id.org/migrmeta/survey/t#{name}")
    graph.add((survey, ns.DCAT.distribution, distribution))
    for predicate, url in links.items():
        graph.add((distribution, ns.DCAT[predicate], URIRef(url)))
    return distribution


def test_distributions_and_access_from_a_small_graph(reference: Reference) -> None:
    graph, survey = _graph_with_period("2008", "2010")
    data = _distribution(graph, survey, "data", downloadURL="https://example.org/data.csv",
                         accessURL="https://example.org/data")
    graph.add((data, ns.DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/text/csv")))
    graph.add((survey, ns.MM.accessLevel, ns.ACCESS_LEVEL.licensed))
    doc = dataset_jsonld(graph, survey, reference=reference)
    assert doc["distribution"] == {
        "@type": "DataDownload",
        "contentUrl": "https://example.org/data.csv",
        "encodingFormat": "text/csv",
    }
    assert doc["url"] == "https://example.org/data"  # the access page, the only page there is
    assert "isAccessibleForFree" not in doc  # licensed is restricted, not paid: no claim either way
    assert doc["conditionsOfAccess"] == english_label(reference, ns.ACCESS_LEVEL.licensed)


def test_restricted_access_is_not_paid_access(catalogue: Graph, reference: Reference) -> None:
    """records/gb-snr.ttl: the UK Data Service, free of charge with registration (external-repository,
    RESTRICTED): not isAccessibleForFree false, which says paid; public-use next to licensed: true."""
    snr = URIRef("https://w3id.org/migrmeta/survey/gb-snr")
    assert (snr, ns.MM.accessLevel, ns.ACCESS_LEVEL["external-repository"]) in catalogue
    assert "isAccessibleForFree" not in dataset_jsonld(catalogue, snr, reference=reference)
    graph, survey = _graph_with_period("2008", "2010")
    for level in (ns.ACCESS_LEVEL.licensed, ns.ACCESS_LEVEL["public-use"]):
        graph.add((survey, ns.MM.accessLevel, level))
    assert dataset_jsonld(graph, survey, reference=reference)["isAccessibleForFree"] is True


def test_kosovo_is_xkx_in_spatial_coverage(catalogue: Graph, reference: Reference) -> None:
    """The Place's identifier is ISO alpha-3 (XKX), not the EU table's 1A0; its @id stays the EU IRI."""
    doc = dataset_jsonld(catalogue, URIRef("https://w3id.org/migrmeta/survey/xk-undp-krs-2010"), reference=reference)
    [place] = as_list(doc["spatialCoverage"])
    assert place["@id"] == "http://publications.europa.eu/resource/authority/country/1A0"
    assert place["identifier"] == "XKX"


def test_an_access_page_is_no_download(reference: Reference) -> None:
    """Google's contentUrl is a file: a dcat:accessURL (a DOI, a page) is no DataDownload; a DOI
    is the Dataset's identifier and sameAs (it names this dataset alone); dct:format is the
    file's format."""
    graph, survey = _graph_with_period("2008", "2010")
    graph.add((survey, ns.DCT.identifier, Literal("t")))
    graph.add((survey, ns.DCAT.landingPage, URIRef("https://example.org/survey")))
    _distribution(graph, survey, "doi", accessURL="http://dx.doi.org/10.1234/ABC-9")
    _distribution(graph, survey, "page", accessURL="https://example.org/apply")
    data = _distribution(graph, survey, "file", downloadURL="https://example.org/t.zip")
    graph.add((data, ns.DCT.format, Literal("ZIP")))
    doc = dataset_jsonld(graph, survey, reference=reference)
    assert doc["distribution"] == {"@type": "DataDownload", "contentUrl": "https://example.org/t.zip",
                                   "encodingFormat": "ZIP"}
    assert doc["url"] == "https://example.org/survey"  # the landing page first
    assert doc["sameAs"] == "https://doi.org/10.1234/ABC-9"  # a page (example.org/apply) claims no identity
    assert doc["identifier"] == ["t", {"@type": "PropertyValue", "propertyID": DOI_REGISTRY,
                                       "value": "doi:10.1234/ABC-9", "url": "https://doi.org/10.1234/ABC-9"}]


def test_the_records_doi_access_urls_are_identifiers_not_downloads(catalogue: Graph) -> None:
    """records/al-lsms-2005.ttl and scip.ttl give a DOI as a distribution's dcat:accessURL
    (scip's landing page is the DOI too: it is the url, not also the sameAs)."""
    survey = URIRef(SURVEY + "al-lsms-2005")
    doc = dataset_jsonld(catalogue, survey)
    assert "distribution" not in doc
    assert doc["url"] == str(catalogue.value(survey, ns.DCAT.landingPage))
    assert doc["sameAs"] == "https://doi.org/10.48529/kzst-d297"
    assert doc["identifier"][1]["value"] == "doi:10.48529/kzst-d297"
    scip = dataset_jsonld(catalogue, URIRef(SURVEY + "scip"), catalogue=SITE)
    assert "distribution" not in scip and "sameAs" not in scip
    assert scip["url"] == "https://doi.org/10.4232/1.12341"
    assert scip["identifier"][1]["url"] == "https://doi.org/10.4232/1.12341"


def test_url_is_the_landing_page_else_the_page_in_the_catalogue(catalogue: Graph, reference: Reference) -> None:
    """A record's landing page stays its url; a survey without one has its own page on a site
    with a base URL; with neither, no url (never a relative one). A landing page is never
    sameAs: au-corms' rounds each have their own, but other records share one among rounds."""
    survey = URIRef(SURVEY + "au-corms-2013")
    landing = str(catalogue.value(survey, ns.DCAT.landingPage))
    assert dataset_jsonld(catalogue, survey)["url"] == landing
    published = dataset_jsonld(catalogue, survey, catalogue=SITE)
    assert published["url"] == landing and "sameAs" not in published
    series = URIRef(SURVEY + "au-corms")
    assert catalogue.value(series, ns.DCAT.landingPage) is None
    assert "url" not in dataset_jsonld(catalogue, series)
    assert dataset_jsonld(catalogue, series, catalogue=SITE)["url"] == "https://example.org/site/en/surveys/au-corms.html"
    graph, bare = _graph_with_period("2008", "2010")
    assert "url" not in dataset_jsonld(graph, bare, reference=reference)
    no_pages = Catalogue("https://example.org/catalog", "Migration surveys")  # no base URL: no pages
    assert "url" not in dataset_jsonld(graph, bare, reference=reference, catalogue=no_pages)


def test_each_language_has_its_texts_and_falls_back_as_the_pages_do(reference: Reference) -> None:
    """The texts in the language when the record has them, else English (as the pages: title,
    description, keywords, agencies' names, labels); the url the page in that language."""
    graph, survey = _graph_with_period("2008", "2010")  # an English description only
    graph.add((survey, ns.DCT.title, Literal("Enquête T", lang="fr")))
    graph.add((survey, ns.DCAT.keyword, Literal("return migration", lang="en")))
    graph.add((survey, ns.DCAT.keyword, Literal("migration de retour", lang="fr")))
    graph.add((survey, ns.DCAT.keyword, Literal("remittances", lang="en")))
    agency = URIRef("https://w3id.org/migrmeta/agency/t")
    graph.add((survey, ns.DCT.creator, agency))
    graph.add((agency, ns.FOAF.name, Literal("Statistics office", lang="en")))
    graph.add((agency, ns.FOAF.name, Literal("Office statistique", lang="fr")))
    graph.add((survey, ns.MM.sampleType, ns.SAMPLE_TYPE["probability.cluster"]))
    docs = datasets_jsonld(graph, survey, LANGS, reference=reference, catalogue=SITE)
    assert [docs[lang]["name"] for lang in LANGS] == ["T", "Enquête T", "T"]
    assert {docs[lang]["description"] for lang in LANGS} == {"x" * 80}
    assert [docs[lang]["keywords"] for lang in LANGS] == \
        [["remittances", "return migration"], ["migration de retour"], ["remittances", "return migration"]]
    assert [docs[lang]["creator"]["name"] for lang in LANGS] == \
        ["Statistics office", "Office statistique", "Statistics office"]
    labels = {label.language: str(label) for label in
              reference.graph.objects(ns.SAMPLE_TYPE["probability.cluster"], ns.SKOS.prefLabel)}
    assert [docs[lang]["measurementTechnique"] for lang in LANGS] == [labels[lang] for lang in LANGS]
    assert [docs[lang]["url"] for lang in LANGS] == [f"https://example.org/site/{lang}/surveys/t.html" for lang in LANGS]
    assert all(check_dataset(docs[lang]) == check_dataset(docs["en"]) for lang in LANGS)
    assert all(doc == dataset_jsonld(graph, survey, reference=reference, lang=lang, catalogue=SITE)
               for lang, doc in docs.items())
    assert dataset_jsonld(graph, survey, reference=reference, lang="de")["name"] == "T"  # none in German: English


def test_the_catalogue_it_is_published_in(catalogue: Graph) -> None:
    survey = URIRef(SURVEY + "mafe")
    assert "includedInDataCatalog" not in dataset_jsonld(catalogue, survey)  # exported alone: in none
    assert dataset_jsonld(catalogue, survey, catalogue=SITE)["includedInDataCatalog"] == {
        "@type": "DataCatalog", "@id": "https://example.org/catalog", "name": "Migration surveys",
        "url": "https://example.org/site/"}
    no_address = Catalogue("https://example.org/catalog", "Migration surveys")
    assert dataset_jsonld(catalogue, survey, catalogue=no_address)["includedInDataCatalog"] == {
        "@type": "DataCatalog", "@id": "https://example.org/catalog", "name": "Migration surveys"}


def test_a_round_is_part_of_its_series_and_the_series_has_its_rounds(catalogue: Graph) -> None:
    series = URIRef(SURVEY + "au-corms")
    rounds = sorted(str(r) for r in catalogue.subjects(ns.DCAT.inSeries, series))
    assert len(rounds) == 2
    part = dataset_jsonld(catalogue, URIRef(rounds[0]), catalogue=SITE)["isPartOf"]
    assert part == {"@type": "Dataset", "@id": str(series), "name": str(catalogue.value(series, ns.DCT.title)),
                    "description": str(catalogue.value(series, ns.DCT.description)),
                    "url": "https://example.org/site/en/surveys/au-corms.html"}
    assert "url" not in dataset_jsonld(catalogue, URIRef(rounds[0]))["isPartOf"]  # no site, no landing page
    whole = dataset_jsonld(catalogue, series, catalogue=SITE)
    assert [r["@id"] for r in whole["hasPart"]] == rounds
    assert all(r["@type"] == "Dataset" and r["name"] and r["description"] for r in whole["hasPart"])
    assert [r["url"] for r in whole["hasPart"]] == \
        [str(catalogue.value(URIRef(r), ns.DCAT.landingPage)) for r in rounds]  # as each round's own url
    assert "hasPart" not in dataset_jsonld(catalogue, URIRef(rounds[0]))
    assert not any(x.location == "dcat:inSeries" for x in losses(catalogue, URIRef(rounds[0])).lost)


def test_a_series_without_a_time_frame_has_no_temporal_coverage(catalogue: Graph) -> None:
    """records/au-corms.ttl leaves the series' dct:temporal out on purpose (its end is not
    known): nothing is made up from its rounds."""
    series = URIRef(SURVEY + "au-corms")
    assert catalogue.value(series, ns.DCT.temporal) is None
    assert "temporalCoverage" not in dataset_jsonld(catalogue, series)


def test_cli_writes_one_file_per_survey_deterministically(tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["export", "schemaorg", str(ROOT / "records"), "-o", str(tmp_path / "a")])
    second = runner.invoke(cli, ["export", "schemaorg", str(ROOT / "records"), "-o", str(tmp_path / "b")])
    assert first.exit_code == second.exit_code == 0
    files = sorted((tmp_path / "a").glob("*.jsonld"))
    series = [s for p in RECORDS for s in series_in(read_input(str(p)).graph)]
    assert len(series) > 30  # each series is a Dataset too, as on the site (the review: 36 of 37 were left out)
    assert sorted(f.stem for f in files) == sorted({str(s).rsplit("/", 1)[-1] for s in [*surveys(), *series]})
    assert all((tmp_path / "b" / f.name).read_bytes() == f.read_bytes() for f in files)
    assert all(json.loads(f.read_text())["@type"] == "Dataset" for f in files)


def test_agencies_next_to_the_record_are_found_from_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run outside the repository: creators are named from the agencies.ttl beside the record."""
    record = REPO / "records" / "mmp.ttl"
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["export", "schemaorg", str(record)])
    assert result.exit_code == 0, result.output
    names = {c["name"] for c in json.loads(result.stdout)["creator"]}  # the loss report is on stderr
    assert "Princeton University" in names


def test_cli_prints_what_schema_org_cannot_hold(tmp_path: Path) -> None:
    """As `export ddi` does: the loss report on stderr beside the printed document, on stdout
    with -o (text or JSON), listing the survey's properties schema.org has no place for."""
    record = ROOT / "records" / "ch-mms.ttl"
    printed = CliRunner().invoke(cli, ["export", "schemaorg", str(record)])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.stdout)  # the documents alone on stdout
    assert "migrmeta -> schema.org Dataset -> https://w3id.org/migrmeta/survey/ch-mms-2016" in printed.stderr
    assert "mm:sampleFrame x1 [item 6] - no schema.org property" in printed.stderr
    written = CliRunner().invoke(cli, ["export", "schemaorg", str(record), "-o", str(tmp_path), "--format", "json"])
    assert written.exit_code == 0, written.output
    reports = json.loads(written.stdout)["reports"]
    graph = Graph().parse(record)
    rounds = set(graph.subjects(ns.RDF.type, ns.MM.Survey))
    assert {URIRef(r["target"]) for r in reports} == rounds | set(graph.subjects(ns.RDF.type, ns.MM.SurveySeries))
    for report in reports:
        assert Path(report["output"]).is_file()
        lost = {x["location"]: x for x in report["lost"]}
        survey = URIRef(report["target"])
        if survey not in rounds:
            continue  # the series: what its rounds answer is theirs
        assert lost["mm:samplingUnit"]["item"] == 7
        assert lost["mm:surveyDesign"]["count"] == len(set(graph.objects(survey, ns.MM.surveyDesign)))
        assert "dct:title" not in lost and "mm:sampleType" not in lost


def test_a_language_the_record_has_no_title_in_is_said(capsys: pytest.CaptureFixture[str]) -> None:
    """`--lang de` wrote English in silence: it still does (exit 0), and says so on standard
    error; a language the record has is written without a word; a code that is no language
    (`xx`) is a usage error (the sync review)."""
    from command import run

    record = str(REPO / "records" / "mafe.ttl")
    code, out, err = run(capsys, "export", "schemaorg", record, "--lang", "de")
    assert code == 0 and "no title in 'de': written in 'en' (the record's languages: en, fr)" in err
    assert json.loads(out)["name"] == "Migrations between Africa and Europe"
    code, _, err = run(capsys, "export", "schemaorg", record, "--lang", "fr")
    assert code == 0 and "no title in" not in err
    for wrong in ("xx", "english", "1", "x"):
        code, out, err = run(capsys, "export", "schemaorg", record, "--lang", wrong)
        assert code == 2 and f"--lang {wrong!r} is not a language code" in err and out == "", wrong


def test_a_lost_field_is_placed_under_the_item_the_ontology_says_it_answers() -> None:
    """As `diff` and the survey pages place a field (mm:answeredBy), not by the shapes alone:
    a note on inference answers item 6 though no shape asks for it."""
    record = ROOT / "records" / "ve-encovi.ttl"
    printed = CliRunner().invoke(cli, ["export", "schemaorg", str(record)])
    assert printed.exit_code == 0, printed.output
    assert "mm:inferenceNote x1 [item 6] - no schema.org property" in printed.stderr


def test_the_titles_in_other_languages_are_alternate_names(catalogue: Graph) -> None:
    """A survey's title in its own language ("Encuesta sobre ...") was in neither name nor alternateName."""
    survey = URIRef(SURVEY + "gt-oim-remesas-2016")
    spanish = "Encuesta sobre Migración Internacional de Personas Guatemaltecas y Remesas 2016"
    english = "Survey on International Migration of Guatemalans and Remittances 2016"
    assert {str(t) for t in catalogue.objects(survey, ns.DCT.title)} == {spanish, english}
    documents = datasets_jsonld(catalogue, survey, ["en", "es"])
    assert (documents["en"]["name"], documents["en"]["alternateName"]) == (english, spanish)
    assert (documents["es"]["name"], documents["es"]["alternateName"]) == (spanish, english)
