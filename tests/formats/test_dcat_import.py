"""`import dcat`: CKAN, DCAT-AP and POD examples (files and a local HTTP server) -> drafts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import Published
from http_server import LocalServer, QuietHandler, StartServer
from paths import DATA as DATA_DIR
from paths import REPO
from rdflib import Graph, Literal, URIRef

from migrmeta import namespaces as ns
from migrmeta.cli import cli, main
from migrmeta.errors import InputError
from migrmeta.formats.dcat.reader import import_dcat, parse_rdf
from migrmeta.formats.harmonize import Draft
from migrmeta.load import read_input
from migrmeta.namespaces import DCT
from migrmeta.validation.runner import validate
from migrmeta.values.agencies import Agencies

DATA = DATA_DIR / "dcat"
ROOT = REPO
BEE_CONTEXT = "https://semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/3.0.0/html/examples/context.jsonld"
CONTEXTS = {BEE_CONTEXT: DATA / "context.jsonld"}
DCAT_CANNOT_ANSWER = {6, 7, 8, 9, 11, 12}  # sample, unit, design, populations, identification, remittances


def values(draft: Draft, predicate: URIRef) -> set:
    return set(draft.graph.objects(draft.survey, predicate))


def source_graph(name: str) -> Graph:
    return parse_rdf(
        (DATA / name).read_bytes(),
        name,
        {".ttl": "turtle", ".rdf": "rdfxml"}.get(Path(name).suffix, "jsonld"),
        contexts=CONTEXTS,
    )


def test_datos_gob_es_turtle() -> None:
    (draft,) = import_dcat(str(DATA / "dataset_gob_es.ttl")).drafts
    source = source_graph("dataset_gob_es.ttl")
    (dataset,) = source.subjects(ns.RDF.type, ns.DCAT.Dataset)
    assert values(draft, ns.DCT.title) == set(source.objects(dataset, ns.DCT.title))  # @es kept
    assert values(draft, ns.DCAT.keyword) == set(source.objects(dataset, ns.DCAT.keyword))
    assert dataset in values(draft, ns.DCT.source)  # and its own dct:identifier, a web address
    # accessURL given as a string literal becomes an IRI on a distribution
    (distribution,) = values(draft, ns.DCAT.distribution)
    assert set(draft.graph.objects(distribution, ns.DCAT.accessURL)) == {
        URIRef(str(u)) for u in source.objects(None, ns.DCAT.accessURL)
    }
    (publisher,) = values(draft, ns.DCT.publisher)
    assert str(draft.graph.value(publisher, ns.FOAF.name)) == "Ayuntamiento de Madrid"  # its skos:prefLabel
    # untagged, in a dataset whose dct:language is "es": Spanish, as the dataset's own text
    assert draft.graph.value(publisher, ns.FOAF.name).language == "es"
    assert {u.item for u in draft.report.unanswered} >= DCAT_CANNOT_ANSWER
    assert {e.location for e in draft.report.lost} >= {"dcat:theme", "dct:accrualPeriodicity"}


def test_govdata_rdfxml_keeps_access_rights_and_all_distributions() -> None:
    (draft,) = import_dcat(str(DATA / "dataset_gov_de.rdf"), lang="de").drafts
    source = source_graph("dataset_gov_de.rdf")
    (dataset,) = source.subjects(ns.RDF.type, ns.DCAT.Dataset)
    assert values(draft, ns.DCT.accessRights) == {ns.ACCESS_RIGHT.PUBLIC}
    assert {t.language for t in values(draft, ns.DCT.title)} == {"de"}  # untagged text, --lang de
    with_urls = [
        d
        for d in source.objects(dataset, ns.DCAT.distribution)
        if (d, ns.DCAT.accessURL, None) in source or (d, ns.DCAT.downloadURL, None) in source
    ]
    assert len(values(draft, ns.DCAT.distribution)) == len(with_urls)
    assert values(draft, ns.DCAT.landingPage) == set(source.objects(dataset, ns.DCAT.landingPage))
    # geometries are not countries: reported under item 3
    assert any(e.location == "dct:spatial" and e.item == 3 for e in draft.report.lost)


def test_project_open_data_json_needs_no_remote_context() -> None:
    document = json.loads((DATA / "catalog_pod.jsonld").read_text())
    assert all(isinstance(c, dict) for c in _contexts(document))  # every context is inline
    (draft,) = import_dcat(str(DATA / "catalog_pod.jsonld")).drafts
    assert values(draft, ns.DCT.spatial) == {ns.COUNTRY.USA}  # "spatial": "United States"
    node = draft.graph.value(draft.survey, ns.DCT.temporal)
    assert draft.graph.value(node, ns.DCAT.startDate) == Literal("2009-09-01", datatype=ns.XSD.date)
    assert draft.graph.value(node, ns.DCAT.endDate) == Literal("2010-05-31", datatype=ns.XSD.date)
    assert values(draft, ns.DCAT.landingPage) == {URIRef("http://agency.gov/widgets/data")}
    assert len(values(draft, ns.DCAT.distribution)) == 4
    assert len(values(draft, ns.DCT.publisher)) == 1


def _contexts(document: object) -> list[object]:
    found: list[object] = []
    if isinstance(document, dict):
        for key, value in document.items():
            found += [value] if key == "@context" else _contexts(value)
    elif isinstance(document, list):
        for item in document:
            found += _contexts(item)
    return found


def test_dcat_ap_3_jsonld_needs_a_local_copy_of_its_context() -> None:
    with pytest.raises(InputError) as refused:
        import_dcat(str(DATA / "example-bee-population-dataset-series-combined.jsonld"))
    assert BEE_CONTEXT in refused.value.problem and "--context" in (refused.value.hint or "")
    result = import_dcat(str(DATA / "example-bee-population-dataset-series-combined.jsonld"), contexts=CONTEXTS)
    source = source_graph("example-bee-population-dataset-series-combined.jsonld")
    datasets, series = (set(source.subjects(ns.RDF.type, kind)) for kind in (ns.DCAT.Dataset, ns.DCAT.DatasetSeries))
    assert len(result.drafts) == len(datasets | series) == 5
    # the series is a series draft, and each round (the type-scoped dcat:inSeries, JSON-LD 1.1) points to it
    (made_series,) = [d for d in result.drafts if (None, ns.RDF.type, ns.MM.SurveySeries) in d.graph]
    rounds = [d for d in result.drafts if d is not made_series]
    assert all(set(d.graph.objects(None, ns.DCAT.inSeries)) == {made_series.survey} for d in rounds)
    assert not any(e.location == "dcat:inSeries" for d in result.drafts for e in d.report.lost)
    assert not any("not imported" in w for w in result.warnings)


def test_a_round_whose_series_is_not_in_the_file_says_so(tmp_path: Path) -> None:
    record = tmp_path / "round.ttl"
    record.write_text("""@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <https://example.org/d/2023> a dcat:Dataset ; dct:title "Round 2023"@en ;
            dcat:inSeries <https://example.org/series/elsewhere> .
        """, encoding="utf-8")
    (draft,) = import_dcat(str(record)).drafts
    assert not set(draft.graph.objects(None, ns.DCAT.inSeries))
    assert any(e.location == "dcat:inSeries" and e.item == 4 for e in draft.report.lost)


def test_dcat_ap_3_turtle_example_has_a_syntax_error_as_published() -> None:
    path = DATA / "example-bee-population-dataset-series-combined.ttl"
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "/biojson a " in text)
    with pytest.raises(InputError) as caught:
        import_dcat(str(path))
    assert caught.value.location.source == str(path)
    assert caught.value.location.line == line
    assert "syntax error" in caught.value.problem


def test_drafts_only_violate_what_the_report_lists(tmp_path: Path) -> None:
    agencies = ROOT / "records" / "agencies.ttl"
    for name in ("dataset_gob_es.ttl", "catalog_pod.jsonld"):
        for draft in import_dcat(str(DATA / name), agencies=Agencies.from_file(agencies)).drafts:
            written = tmp_path / draft.filename
            written.write_text(draft.turtle(), encoding="utf-8")
            report = validate([written, agencies], cache=False)
            violated = {f.item for f in report.findings if f.severity == "violation" and f.source == str(written)}
            required = {u.item for u in draft.report.to_complete if u.required}
            assert required <= violated <= {u.item for u in draft.report.to_complete}


# --- over HTTP ------------------------------------------------------------------------------


class Handler(QuietHandler):
    """Serves tests/data/dcat/, plus a page that names a context on this very server."""

    def do_GET(self) -> None:
        if self.path == "/remote-context.jsonld":
            port = self.server.server_address[1]
            body = json.dumps({"@context": f"http://127.0.0.1:{port}/ctx.jsonld", "@id": "x"}).encode()
            return self.reply(body, "application/ld+json")
        if self.path == "/portal/":  # a portal's landing page, where its DCAT is linked
            return self.reply(b"<!DOCTYPE html>\n<html><head><title>Open data portal</title></head>"
                              b'<body><a href="/hydra-page1.ttl">DCAT (Turtle)</a></body></html>\n', "text/html")
        return self.send_file(DATA)


@pytest.fixture
def server(http_server: StartServer) -> LocalServer:
    return http_server(Handler)


def test_two_page_hydra_catalogue_over_http(server: LocalServer) -> None:
    result = import_dcat(f"{server.url}/hydra-page1.ttl")
    assert result.warnings == []
    by_id = {d.identifier: d for d in result.drafts}
    assert set(by_id) == {"emigration-2019", "immigrants-2020"}
    first, second = by_id["emigration-2019"], by_id["immigrants-2020"]
    assert values(first, ns.DCT.spatial) == {ns.COUNTRY.MDA}
    assert values(second, ns.DCT.spatial) == {ns.COUNTRY.ESP}  # "Espagne"
    node = second.graph.value(second.survey, ns.DCT.temporal)
    assert second.graph.value(node, ns.DCAT.startDate) == Literal("2020", datatype=ns.XSD.gYear)
    assert values(first, ns.DCT.rights) == {Literal("Open data, free to reuse.", lang="en")}
    assert values(first, ns.MM.accessLevel) == {ns.ACCESS_LEVEL.open}  # clear wording, noted
    assert any(n.item == 14 for n in first.report.notes)
    assert server.hits == ["/hydra-page1.ttl", "/hydra-page2.jsonld"]


def test_self_linking_page_is_read_once(server: LocalServer) -> None:
    result = import_dcat(f"{server.url}/hydra-loop.ttl")
    assert len(result.drafts) == 1
    assert any("already read" in w for w in result.warnings)
    assert server.hits == ["/hydra-loop.ttl"]


def test_a_web_page_given_for_a_catalogue_is_said_to_be_one(server: LocalServer) -> None:
    """A portal's landing page was parsed as Turtle: "syntax error: Invalid IRI code point ' '",
    and a hint to fix the statement at that line of someone else's web page."""
    with pytest.raises(InputError) as refused:
        import_dcat(f"{server.url}/portal/")
    assert refused.value.problem == "the server answered a web page (text/html), not RDF"
    assert "the catalogue's RDF" in (refused.value.hint or "")


def test_remote_context_named_by_a_fetched_page_is_not_fetched(server: LocalServer) -> None:
    with pytest.raises(InputError) as refused:
        import_dcat(f"{server.url}/remote-context.jsonld")
    assert "not fetched" in refused.value.problem
    assert server.hits == ["/remote-context.jsonld"]
    result = import_dcat(f"{server.url}/example-bee-population-dataset-series-combined.jsonld", contexts=CONTEXTS)
    assert len(result.drafts) == 5  # four datasets and their series
    assert server.hits[-1] == "/example-bee-population-dataset-series-combined.jsonld"


def test_cli_over_http_and_exit_codes(server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = CliRunner().invoke(
        cli, ["import", "dcat", f"{server.url}/hydra-page1.ttl", "-o", str(tmp_path), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)["reports"]
    assert sorted(Path(r["output"]).name for r in reports) == ["emigration-2019.ttl", "immigrants-2020.ttl"]
    bad = DATA / "example-bee-population-dataset-series-combined.ttl"
    with pytest.raises(SystemExit) as exited:
        main(["import", "dcat", str(bad), str(DATA / "dataset_gob_es.ttl"), "-o", str(tmp_path / "b")])
    assert exited.value.code == 3
    line = next(n for n, text in enumerate(bad.read_text().splitlines(), 1) if "/biojson a " in text)
    assert f"{bad}:{line}:" in capsys.readouterr().err
    assert (tmp_path / "b" / "300676-0-deporte-encuesta-escuelas.ttl").is_file()  # the other is imported
    with pytest.raises(SystemExit) as usage:
        main(["import", "dcat", str(DATA / "dataset_gob_es.ttl"), "--context", "no-equals-sign"])
    assert usage.value.code == 2


def test_untagged_text_takes_the_language_the_dataset_names_by_the_eu_table() -> None:
    """GovData names its language <.../authority/language/DEU>, as DCAT-AP asks: its untagged
    title and description are German whatever --lang says, and no note says they were tagged
    with --lang."""
    result = import_dcat(str(DATA / "dataset_gov_de.rdf"), lang="en")
    (draft,) = result.drafts
    assert {t.language for t in values(draft, ns.DCT.title)} == {"de"}
    assert {t.language for t in values(draft, ns.DCT.description)} == {"de"}
    assert not any("without a language tag" in str(m) for m in draft.report.notes)


def test_distribution_format_size_and_language_are_kept_or_reported() -> None:
    """issue 14, item 6: GovData's distributions carry dct:format, dcat:byteSize and dct:language."""
    (draft,) = import_dcat(str(DATA / "dataset_gov_de.rdf"), lang="de").drafts
    source = source_graph("dataset_gov_de.rdf")
    (dataset,) = source.subjects(ns.RDF.type, ns.DCAT.Dataset)
    by_url = {draft.graph.value(d, ns.DCAT.accessURL): d for d in values(draft, ns.DCAT.distribution)}
    kept = (ns.DCT.format, ns.DCT.language)
    listed = {e.location for e in draft.report.lost}
    for original in source.objects(dataset, ns.DCAT.distribution):
        url = source.value(original, ns.DCAT.accessURL) or source.value(original, ns.DCAT.downloadURL)
        if url is None:
            continue
        copy = by_url[URIRef(str(url))]
        for predicate in kept:
            assert set(draft.graph.objects(copy, predicate)) == set(source.objects(original, predicate))
        sizes = [int(float(str(s))) for s in source.objects(original, ns.DCAT.byteSize)]
        assert [int(str(s)) for s in draft.graph.objects(copy, ns.DCAT.byteSize)] == sizes
        for predicate in set(source.predicates(original)):  # anything not carried over is listed
            if not set(draft.graph.objects(copy, predicate)) and predicate != ns.RDF.type:
                assert any(loc.startswith("dcat:distribution/") and
                           (loc.endswith(str(predicate) + ">") or loc.endswith(":" + predicate.split("#")[-1].split("/")[-1]))
                           for loc in listed), predicate
    assert any(d for d in source.objects(dataset, ns.DCAT.distribution) if (d, ns.DCAT.byteSize, None) in source)


def test_a_draft_is_the_same_imported_alone_or_after_another_source(tmp_path: Path) -> None:
    """The acronym one source gives a new agency (FSA) does not reach the draft of another
    source naming the same agency without it, as for DDI files."""
    prefixes = ("@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> . "
                "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n")
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    first.write_text(prefixes + '<https://example.org/d/a> a dcat:Dataset ; dct:title "A"@en ; dct:publisher '
                     '[ a foaf:Agent ; foaf:name "Foo Statistics Agency (FSA)"@en ] .\n', encoding="utf-8")
    second.write_text(prefixes + '<https://example.org/d/b> a dcat:Dataset ; dct:title "B"@en ; dct:publisher '
                      '[ a foaf:Agent ; foaf:name "Foo Statistics Agency"@en ] .\n', encoding="utf-8")
    runner = CliRunner()
    for out, sources in (("both", [first, second]), ("alone", [second])):
        result = runner.invoke(cli, ["import", "dcat", *map(str, sources), "-o", str(tmp_path / out)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "both" / "b.ttl").read_bytes() == (tmp_path / "alone" / "b.ttl").read_bytes()
    assert b"FSA" in (tmp_path / "both" / "a.ttl").read_bytes()


def test_a_catalogue_migrmeta_published_keeps_the_texts_the_records_model_holds(tmp_path: Path) -> None:
    """catalog.ttl of a published site -> drafts: the alternative titles (untagged, as records
    hold them), purpose and citations come back; migrmeta's own answers, which DCAT does not
    carry, are listed as lost with the reason."""
    from migrmeta.publishing.site import PublishOptions, publish

    site = tmp_path / "site"
    records = REPO / "records"
    publish([records / "al-rms-2013.ttl", records / "agencies.ttl"], site, PublishOptions(cache=False))
    (draft,) = import_dcat(str(site / "catalog.ttl")).drafts
    record = read_input(str(records / "al-rms-2013.ttl")).graph
    for predicate in (ns.DCT.alternative, ns.DISCO.purpose, ns.DCT.bibliographicCitation):
        assert values(draft, predicate) == set(record.objects(None, predicate)), predicate
    lost = {e.location: e.note for e in draft.report.lost}
    assert "DCAT does not carry" in lost["mm:checkedOn"] and "disco:purpose" not in lost


def test_a_new_agency_keeps_the_kind_migrmeta_published(tmp_path: Path) -> None:
    """catalog.ttl gives an agency's kind as org:classification (its dct:type is the ADMS
    publisher type DCAT-AP asks for): a draft whose agencies are new takes the kind back."""
    from migrmeta.publishing.site import PublishOptions, publish

    site = tmp_path / "site"
    records = REPO / "records"
    publish([records / "al-rms-2013.ttl", records / "agencies.ttl"], site, PublishOptions(cache=False))
    (draft,) = import_dcat(str(site / "catalog.ttl"), agencies=Agencies()).drafts
    known = read_input(str(records / "agencies.ttl")).graph
    creators = sorted(draft.graph.objects(draft.survey, ns.DCT.creator), key=str)
    assert len(creators) == 2
    for new in creators:
        [name] = [n for n in draft.graph.objects(new, ns.FOAF.name) if n.language == "en"]
        [agency] = [a for a in known.subjects(ns.FOAF.name, name)]
        assert list(draft.graph.objects(new, ns.DCT.type)) == list(known.objects(agency, ns.DCT.type))
    assert not [n for n in draft.report.notes if "kind read" in n.message]


def test_an_adms_publisher_type_gives_a_new_agency_its_kind_with_a_note(tmp_path: Path) -> None:
    source = tmp_path / "portal.ttl"
    source.write_text("""@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://example.org/ds/1> a dcat:Dataset ; dct:title "Household survey on migration"@en ;
    dct:publisher <https://example.org/org/agency> .
<https://example.org/org/agency> a foaf:Agent ; foaf:name "Regional Migration Observatory"@en ;
    dct:type <http://purl.org/adms/publishertype/SupraNationalAuthority> .
""", encoding="utf-8")
    (draft,) = import_dcat(str(source), agencies=Agencies()).drafts
    [agency] = draft.graph.objects(draft.survey, ns.DCT.publisher)
    assert list(draft.graph.objects(agency, ns.DCT.type)) == [ns.AGENCY_TYPE["international-organisation"]]
    [note] = [n for n in draft.report.notes if "kind read" in n.message]
    assert note.item == 5 and "SupraNationalAuthority" in note.message


def test_the_sources_own_identifier_is_kept_as_a_source_or_reported(tmp_path: Path) -> None:
    """The record's dct:identifier must be a slug (shapes/survey.ttl): the source's own, when
    another, is kept as dct:source if it is a web address (datos.gob.es gives the publisher's
    address at datos.madrid.es), else listed as lost; either way the report says so."""
    (draft,) = import_dcat(str(DATA / "dataset_gob_es.ttl")).drafts
    source = source_graph("dataset_gob_es.ttl")
    (dataset,) = source.subjects(ns.RDF.type, ns.DCAT.Dataset)
    (own,) = source.objects(dataset, ns.DCT.identifier)
    assert values(draft, ns.DCT.identifier) == {Literal("300676-0-deporte-encuesta-escuelas")}
    assert values(draft, ns.DCT.source) == {dataset, URIRef(str(own))}
    [note] = [n for n in draft.report.notes if str(own) in n.message]
    assert note.item == 1 and "kept as dct:source" in note.message
    record = tmp_path / "coded.ttl"
    record.write_text("""@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <https://example.org/d/1> a dcat:Dataset ; dct:title "Labour force survey"@en ; dct:identifier "LFS 2019" .
        <https://example.org/d/2> a dcat:Dataset ; dct:title "Census"@en ; dct:identifier "census-2020" .
        """, encoding="utf-8")
    coded, same = import_dcat(str(record)).drafts
    assert values(coded, ns.DCT.identifier) == {Literal("lfs-2019")}
    [lost] = [e for e in coded.report.lost if e.location == "dct:identifier"]
    assert lost.item == 1 and "'LFS 2019'" in lost.note and "lfs-2019" in lost.note
    assert values(same, ns.DCT.identifier) == {Literal("census-2020")}  # the same: nothing to say
    assert not [e for e in same.report.lost if e.location == "dct:identifier"]
    assert not [n for n in same.report.notes if "dct:identifier" in n.message]


def test_a_data_service_serving_the_dataset_becomes_its_distribution() -> None:
    """DCAT-AP 3's bee example: the API platform (dcat:servesDataset the live counts, pointing at
    the dataset) was dropped unsaid; its endpoint is now the access URL of a distribution of
    that draft, with the service's title and description, and the report says so."""
    drafts = import_dcat(str(DATA / "example-bee-population-dataset-series-combined.jsonld"), contexts=CONTEXTS).drafts
    source = source_graph("example-bee-population-dataset-series-combined.jsonld")
    (service,) = source.subjects(ns.RDF.type, ns.DCAT.DataService)
    (served,) = source.objects(service, ns.DCAT.servesDataset)
    (endpoint,) = source.objects(service, ns.DCAT.endpointURL)
    (draft,) = [d for d in drafts if served in values(d, ns.DCT.source)]
    (distribution,) = values(draft, ns.DCAT.distribution)
    assert draft.graph.value(distribution, ns.DCAT.accessURL) == endpoint
    assert draft.graph.value(distribution, ns.DCT.title) == source.value(service, ns.DCT.title)
    assert draft.graph.value(distribution, ns.DCT.description) == source.value(service, ns.DCT.description)
    [note] = [n for n in draft.report.notes if str(service) in n.message]
    assert note.item == 13 and str(endpoint) in note.message
    others = [d for d in drafts if d is not draft]
    assert not any((None, ns.DCAT.accessURL, endpoint) in d.graph for d in others)
    assert not any(str(service) in n.message for d in others for n in d.report.notes)


def test_what_points_at_the_dataset_is_mapped_or_reported(tmp_path: Path) -> None:
    """Resources linked to the dataset that the draft does not keep are in its report: a data
    service's other properties, a service without an endpoint, a distribution's data service,
    a catalogue record about the dataset; not the catalogue listing it, nor a link from
    another dataset of the import (that draft's own report lists it)."""
    source = tmp_path / "services.ttl"
    source.write_text("""@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://example.org/catalog> a dcat:Catalog ; dcat:dataset <https://example.org/ds/1>, <https://example.org/ds/2> ;
    dcat:record <https://example.org/record/1> .
<https://example.org/record/1> a dcat:CatalogRecord ; foaf:primaryTopic <https://example.org/ds/1> ;
    dct:modified "2024-01-02" .
<https://example.org/ds/1> a dcat:Dataset ; dct:title "Household survey on migration"@en ;
    dcat:distribution <https://example.org/dist/1> .
<https://example.org/dist/1> a dcat:Distribution ; dcat:accessURL <https://example.org/files/1.csv> ;
    dcat:accessService <https://example.org/api/sparql> .
<https://example.org/api/sparql> a dcat:DataService ; dcat:endpointURL <https://example.org/sparql> .
<https://example.org/api/v1> a dcat:DataService ; dct:title "Survey API"@en ;
    dcat:endpointURL <https://example.org/api/v1/> ;
    dcat:endpointDescription <https://example.org/api/v1/openapi.json> ; dcat:servesDataset <https://example.org/ds/1> .
<https://example.org/api/old> a dcat:DataService ; dcat:servesDataset <https://example.org/ds/1> .
<https://example.org/ds/2> a dcat:Dataset ; dct:title "Second round"@en ; dct:relation <https://example.org/ds/1> .
""", encoding="utf-8")
    first, second = import_dcat(str(source)).drafts
    urls = {first.graph.value(d, ns.DCAT.accessURL) for d in values(first, ns.DCAT.distribution)}
    assert urls == {URIRef("https://example.org/files/1.csv"), URIRef("https://example.org/api/v1/")}
    lost = {(e.location, e.note) for e in first.report.lost}
    assert ("^dcat:servesDataset/dcat:endpointDescription", "https://example.org/api/v1: no place in a survey "
            "record's distribution") in lost
    assert any(loc == "^dcat:servesDataset" and "https://example.org/api/old" in note and "without an endpoint" in note
               for loc, note in lost)
    assert any(loc == "dcat:distribution/dcat:accessService" and "https://example.org/api/sparql" in note
               and "endpoint https://example.org/sparql" in note for loc, note in lost)
    assert any(loc == "^foaf:primaryTopic" and "https://example.org/record/1 (dcat:CatalogRecord)" in note
               for loc, note in lost)
    assert not any(loc in ("^dcat:dataset", "^dct:relation") for loc, _ in lost)
    assert "dct:relation" in {e.location for e in second.report.lost}  # its own, outgoing


def test_a_catalogue_migrmeta_published_gives_back_its_sources_publications_and_roles(
        published: Published, tmp_path: Path) -> None:
    """A portal harvesting another agency's migrmeta catalogue got drafts citing themselves
    (dct:source <their own IRI>) and lost every cited document (published as foaf:page), the
    publications using the survey (dct:isReferencedBy), the roles (prov:qualifiedAttribution)
    and dct:contributor."""
    from migrmeta.formats.importing import import_records
    from migrmeta.namespaces import PROV

    result = import_records("dcat", [str(published.out / "catalog.ttl")], agencies=Agencies.from_file(REPO / "records" / "agencies.ttl"))
    assert result.errors == []
    drafts = {d.survey: d.graph for d in result.drafts}
    compared = 0
    for path in sorted((REPO / "records").glob("*.ttl")):
        record = read_input(str(path)).graph
        for survey in set(record.subjects(DCT.identifier, None)):
            if survey not in drafts:
                continue
            draft, compared = drafts[survey], compared + 1
            assert (survey, DCT.source, survey) not in draft
            for prop in (DCT.source, DCT.isReferencedBy):
                assert set(record.objects(survey, prop)) <= set(draft.objects(survey, prop)), (survey, prop)
            assert len(set(draft.objects(survey, PROV.qualifiedAttribution))) == \
                len(set(record.objects(survey, PROV.qualifiedAttribution))), survey
            assert set(draft.objects(survey, DCT.contributor)) == set(record.objects(survey, DCT.contributor)), survey
    assert compared == len(drafts)


def test_documents_and_attributions_that_cannot_be_carried_are_in_the_loss_report(tmp_path: Path) -> None:
    """A citation given as text, a page without an address, an attribution without an agent: the
    draft keeps what it can (a source's citation as dct:bibliographicCitation) and the report
    says the rest, as it did before these were read; and the datasets drafted are told."""
    from migrmeta.formats.dcat.reader import DRAFTING

    path = tmp_path / "cat.ttl"
    path.write_text("""@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix prov: <http://www.w3.org/ns/prov#> .
<https://portal.example.org/ds/lfs-2020> a dcat:Dataset ; dct:title "Labour force survey 2020"@en ;
  dct:identifier "lfs-2020" ; dct:source "Statistics Office, LFS methodology report, 2021" ;
  dct:isReferencedBy "Smith, J. (2022). Migration and labour." ; foaf:page [ a foaf:Document ] ;
  prov:qualifiedAttribution [ a prov:Attribution ] ;
  dct:publisher [ a foaf:Organization ; foaf:name "Statistics Office of Example" ] .
""", encoding="utf-8")
    heard: list[tuple[str, int, int]] = []
    (draft,) = import_dcat(str(path), progress=lambda *call: heard.append(call)).drafts
    assert heard == [(DRAFTING, 0, 1), (DRAFTING, 1, 1)]
    assert (draft.survey, DCT.bibliographicCitation,
            Literal("Statistics Office, LFS methodology report, 2021", lang="en")) in draft.graph
    lost = {(x.location, x.item) for x in draft.report.lost}
    assert {("dct:isReferencedBy", 13), ("foaf:page", None), ("prov:qualifiedAttribution", 5)} <= lost


def test_one_catalogue_reports_its_progress_through_the_import_loop() -> None:
    from migrmeta.formats.dcat.reader import DRAFTING
    from migrmeta.formats.importing import import_records

    heard: list[tuple[str, int, int]] = []
    result = import_records("dcat", [str(DATA / "dataset_gob_es.ttl")], progress=lambda *call: heard.append(call))
    assert heard and heard[-1] == (DRAFTING, len(result.drafts), len(result.drafts))


def test_a_sites_trig_is_imported_as_published_without_the_values_a_conflict_set_aside(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """catalog.trig keeps a conflict's losing value in its .../superseded graph: imported as the
    union of its graphs, the draft had both titles (a reviewer's find); catalog.ttl had one."""
    from command import run

    (tmp_path / "psa").mkdir()
    (tmp_path / "un").mkdir()
    record = (REPO / "records" / "ph-sof.ttl").read_text(encoding="utf-8")
    (tmp_path / "psa" / "ph-sof.ttl").write_text(record, encoding="utf-8")
    old, new = 'dct:title "Survey on Overseas Filipinos 2019"@en', 'dct:title "Survey on Overseas Filipinos, 2019 round"@en'
    assert old in record
    (tmp_path / "un" / "ph-sof.ttl").write_text(record.replace(old, new), encoding="utf-8")
    site = tmp_path / "site"
    code, _, err = run(capsys, "publish", str(REPO / "records" / "agencies.ttl"), f"{tmp_path}/psa/ph-sof.ttl=psa",
                       f"{tmp_path}/un/ph-sof.ttl=un-desa-pd", "--prefer", "psa", "-o", str(site), "-q")
    assert code == 0, err
    drafts = {}
    for name in ("catalog.ttl", "catalog.trig"):
        result = import_dcat(str(site / name))
        drafts[name] = {d.identifier: {str(o) for o in d.graph.objects(d.survey, DCT.title)} for d in result.drafts}
    assert drafts["catalog.trig"] == drafts["catalog.ttl"]
    assert drafts["catalog.trig"]["ph-sof-2019"] == {"Survey on Overseas Filipinos 2019"}


def test_an_access_level_the_catalogue_states_is_never_contradicted_by_a_guess(published: Published) -> None:
    """afrobarometer-r7 states access 'unknown' (its terms were not read); its rights text read
    like public use, and the draft of the published catalogue said public-use (a reviewer's find)."""
    result = import_dcat(str(published.out / "catalog.ttl"))
    [draft] = [d for d in result.drafts if d.identifier == "afrobarometer-r7"]
    assert values(draft, ns.MM.accessLevel) == set()
    assert not any("access level read from dct:rights" in n.message for n in draft.report.notes)


def _dataset(tmp_path: Path, body: str) -> Draft:
    """A DCAT dataset of the Philippines with the statements `body` adds (Turtle)."""
    source = tmp_path / "portal.ttl"
    source.write_text(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<https://example.org/ds/1> a dcat:Dataset ; dct:title "A migration survey"@en ;\n'
        '  dct:description "About migrants."@en ;\n'
        "  dct:spatial <http://publications.europa.eu/resource/authority/country/PAK> ;\n" + body + " .\n",
        encoding="utf-8")
    (draft,) = import_dcat(str(source), agencies=Agencies.from_file(REPO / "records" / "agencies.ttl")).drafts
    return draft


def test_a_period_that_ends_before_it_starts_is_reported_not_drafted(tmp_path: Path) -> None:
    draft = _dataset(tmp_path, '  dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2012-12-01"^^xsd:date ;\n'
                               '    dcat:endDate "2011-01-01"^^xsd:date ]')
    assert values(draft, DCT.temporal) == set()
    assert any(e.note == "the period ends (2011-01-01) before it starts (2012-12-01): correct the dates"
               and e.item == 4 for e in draft.report.lost)


def test_rights_that_deny_open_access_give_no_open_level(tmp_path: Path) -> None:
    draft = _dataset(tmp_path, '  dct:rights [ a dct:RightsStatement ; '
                               'rdfs:label "Not open data: access only under licence."@en ]'
                     .replace("rdfs:label", "<http://www.w3.org/2000/01/rdf-schema#label>"))
    assert values(draft, ns.MM.accessLevel) == set()
    assert values(draft, DCT.rights) == {Literal("Not open data: access only under licence.", lang="en")}


def test_another_countrys_agency_is_not_taken_on_its_acronym(tmp_path: Path) -> None:
    draft = _dataset(tmp_path, '  dct:publisher [ a foaf:Organization ; foaf:name "Pakistan Statistics Agency"@en ;\n'
                               '    skos:altLabel "PSA" ]')
    [publisher] = values(draft, DCT.publisher)
    assert publisher != ns.AGENCY["psa"]
    assert any(n.message.startswith(f"new agency {publisher}: its name or acronym is that of psa (")
               for n in draft.report.notes)


@pytest.mark.parametrize("order", ["chile first", "spain first"])
def test_an_acronym_refused_for_one_country_stays_the_known_agency_of_its_own(tmp_path: Path, order: str) -> None:
    """"INE" of a Chilean dataset made a new agency:ine, which then took the "INE" of the Spanish
    dataset after it: the draft depended on the datasets' order (a review's find)."""
    datasets = {"chile": "CHL", "spain": "ESP", "chile-again": "CHL"}
    names = list(datasets) if order == "chile first" else ["spain", "chile", "chile-again"]
    source = tmp_path / "portal.ttl"
    source.write_text(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
        f"<https://example.org/cat> a dcat:Catalog ; dcat:dataset {', '.join(f'<https://example.org/{n}>' for n in names)} .\n"
        + "".join(f'<https://example.org/{n}> a dcat:Dataset ; dct:title "Encuesta {n}"@es ;\n'
                  f"  dct:spatial <http://publications.europa.eu/resource/authority/country/{datasets[n]}> ;\n"
                  '  dct:publisher [ a foaf:Organization ; foaf:name "INE" ] .\n' for n in names),
        encoding="utf-8")
    drafts = import_dcat(str(source), agencies=Agencies.from_file(REPO / "records" / "agencies.ttl")).drafts
    publisher = {d.identifier: values(d, DCT.publisher) for d in drafts}
    assert publisher["spain"] == {ns.AGENCY["ine-es"]}
    assert publisher["chile"] == publisher["chile-again"] and publisher["chile"] != {ns.AGENCY["ine-es"]}


def test_two_countries_offices_of_one_acronym_are_two_new_agencies(tmp_path: Path) -> None:
    """Chile's and Bolivia's "INE" in one catalogue, neither known: they were one new agency."""
    source = tmp_path / "portal.ttl"
    rows = [("cl-1", "CHL"), ("bo-1", "BOL"), ("cl-2", "CHL")]
    source.write_text(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
        + "".join(f'<https://example.org/{n}> a dcat:Dataset ; dct:title "Encuesta {n}"@es ;\n'
                  f"  dct:spatial <http://publications.europa.eu/resource/authority/country/{c}> ;\n"
                  '  dct:publisher [ a foaf:Organization ; foaf:name "INE" ] .\n' for n, c in rows),
        encoding="utf-8")
    drafts = import_dcat(str(source), agencies=Agencies.from_file(REPO / "records" / "agencies.ttl")).drafts
    publisher = {d.identifier: values(d, DCT.publisher) for d in drafts}
    assert publisher["cl-1"] == publisher["cl-2"] != publisher["bo-1"]
    assert ns.AGENCY["ine-es"] not in publisher["cl-1"] | publisher["bo-1"]
