"""Saved questions: headers, parameters as RDF terms, VALUES injection, and their answers.

Expected answers are computed from the record files with rdflib graph walks (no SPARQL),
so a query that drifts from docs/model.md fails here.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from command import run
from paths import REPO
from rdflib import Graph, Literal, URIRef

from migrmeta.errors import InputError, UsageError
from migrmeta.load.reference import reference_files
from migrmeta.namespaces import (
    ACCESS_LEVEL,
    ACCESS_RIGHT,
    COUNTRY,
    DCT,
    DISSEMINATION,
    FOAF,
    MM,
    POPULATION,
    RDF,
    SAMPLE_TYPE,
    SKOS,
    scheme,
)
from migrmeta.querying.saved import (
    Parameter,
    inject_values,
    parse_saved,
    parse_value,
    resolve_question,
    saved_queries,
    values_block,
    where_position,
)
from migrmeta.querying.store import EmbeddedStore
from migrmeta.reports.inventory import build_inventory
from migrmeta.values.countries import countries

ROOT = REPO
RECORDS = ROOT / "records"
REQUIRED = {"surveys-by-country", "remittances", "proxy-respondents", "microdata-access",
            "surveys-by-sample-type", "coverage-matrix"}


@pytest.fixture(scope="module")
def records() -> Graph:
    graph = Graph()
    for path in sorted(RECORDS.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def vocab() -> Graph:
    graph = Graph()
    for path in reference_files():
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    opened, errors = EmbeddedStore.open([str(RECORDS)])
    assert errors == []
    return opened


def ask(store: EmbeddedStore, name: str, **params: str) -> tuple[list[str], list[dict[str, str]]]:
    saved = saved_queries()[name]
    result = store.query(saved.text, saved.bind(params), saved.source)
    rows = [{v: t.value for v, t in zip(result.variables, row, strict=True) if t is not None} for row in result.rows]
    return result.variables, rows


def surveys_or_series(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects(RDF.type, MM.Survey)} | {s for s in graph.subjects(RDF.type, MM.SurveySeries)}


# --- the files in queries/ ----------------------------------------------------------------


def test_every_saved_question_has_a_header_and_valid_defaults() -> None:
    saved = saved_queries()
    assert set(saved) >= REQUIRED
    for name, query in saved.items():
        assert query.title, f"{name} has no title"
        assert len(query.description) > 40, f"{name} has no real description"
        for parameter in query.parameters.values():
            assert parameter.description, f"{name}: parameter {parameter.name} has no description"
            if parameter.default is not None:
                parse_value(parameter, parameter.default)  # raises when invalid


def test_every_saved_question_runs_on_the_catalogue(store: EmbeddedStore) -> None:
    for name in saved_queries():
        variables, rows = ask(store, name)
        assert variables and rows, f"{name} gives no answer on records/"


# --- headers ------------------------------------------------------------------------------

HEADER = """# title: Surveys of a country
# description: >
#   Two lines of
#   description.
# parameters:
#   country:
#     type: country
#     default: SEN
#     description: The country.
#   unit:
#     type: concept
#     scheme: sampling-unit
#     description: A unit.
SELECT ?s WHERE { ?s <http://purl.org/dc/terms/spatial> ?country ; ?p ?unit }
"""


def test_header_is_read() -> None:
    query = parse_saved(HEADER, "q.rq")
    assert query.name == "q"
    assert query.title == "Surveys of a country"
    assert query.description == "Two lines of description."
    assert list(query.parameters) == ["country", "unit"]
    assert query.parameters["country"] == Parameter("country", "country", "SEN", "The country.")
    assert query.parameters["unit"].scheme == "sampling-unit"
    assert query.parameters["unit"].default is None


def test_plain_comments_are_not_a_header() -> None:
    query = parse_saved("# Find all: surveys: here\nSELECT * WHERE { ?s ?p ?o }", "q.rq")
    assert query.title == "" and query.parameters == {}


@pytest.mark.parametrize(("text", "message"), [
    ("# title: x\n# parameters:\n#   c:\n#     type: country\nSELECT ?s WHERE { ?s ?p ?o }", "no ?c"),
    ("# title: x\n# parameters:\n#   o:\n#     type: colour\nSELECT ?s WHERE { ?s ?p ?o }", "colour"),
    ("# title: x\n# parameters:\n#   o:\n#     type: concept\nSELECT ?s WHERE { ?s ?p ?o }", "scheme"),
    ("# title: x\n# parameters:\n#   o:\n#     type: country\n#     default: XXX\nSELECT ?s WHERE { ?s ?p ?o }", "XXX"),
    ("# title: x\n# parameters:\n#   o:\n#     type: country\n# # ?o in a comment only\nSELECT ?s WHERE { ?s ?p ?x }",
     "no ?o"),
])
def test_bad_headers_name_the_file(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_saved(text, "bad.rq")
    assert "bad.rq" in str(caught.value) and message in str(caught.value)


def test_header_yaml_error_gives_the_line() -> None:
    with pytest.raises(InputError) as caught:
        parse_saved("# title: x\n# parameters: [unclosed\nSELECT * WHERE {}", "bad.rq")
    assert caught.value.location.line is not None


# --- values -> terms ----------------------------------------------------------------------

COUNTRY_PARAM = Parameter("country", "country")


@pytest.mark.parametrize("value", ["SEN", "sen", "SN", "sn", "Senegal", "Sénégal", " senegal "])
def test_country_by_code_or_name(value: str) -> None:
    assert parse_value(COUNTRY_PARAM, value) == ox.NamedNode(str(COUNTRY.SEN))


@pytest.mark.parametrize("value", ["XXX", "SEN> } ; DROP ALL ; #", "SEN . ?s ?p ?o", "<http://x>", ""])
def test_unknown_country_is_a_usage_error(value: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_value(COUNTRY_PARAM, value)
    assert "not a country" in caught.value.message


def test_iri_values_are_validated() -> None:
    iri = Parameter("s", "iri")
    assert parse_value(iri, "survey:ph-sof").value == "https://w3id.org/migrmeta/survey/ph-sof"
    assert parse_value(iri, "<urn:x:1>").value == "urn:x:1"
    for bad in ["http://x> } ; DROP ALL ; #", "not an iri", "http://a b"]:
        with pytest.raises(UsageError):
            parse_value(iri, bad)


def test_literal_values() -> None:
    boolean = Parameter("b", "literal", datatype="xsd:boolean")
    assert parse_value(boolean, "TRUE") == ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    with pytest.raises(UsageError):
        parse_value(boolean, "maybe")
    with pytest.raises(UsageError):
        parse_value(Parameter("n", "literal", datatype="xsd:integer"), "1; DROP ALL")
    tagged = parse_value(Parameter("t", "literal", language="fr"), "enquête")
    assert (tagged.value, tagged.language) == ("enquête", "fr")


def test_concept_by_notation() -> None:
    parameter = Parameter("t", "concept", scheme="sample-type")
    assert parse_value(parameter, "probability.stratified").value == str(SAMPLE_TYPE["probability.stratified"])
    with pytest.raises(UsageError) as caught:
        parse_value(parameter, "random")
    assert "probability" in str(caught.value.hint)


def test_unknown_parameter_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as caught:
        saved_queries()["surveys-by-country"].bind({"nation": "SEN"})
    assert "country" in str(caught.value)


# --- VALUES injection ---------------------------------------------------------------------

DATA = """
@prefix ex: <http://example.org/> .
ex:a ex:p ex:x ; ex:label "a {" .
ex:b ex:p ex:y ; ex:label "b }" .
ex:c ex:p ex:x ; ex:label "c" .
"""
TRICKY = [
    # comments and strings with braces and keywords, IRIs with '#', lower-case where
    'PREFIX ex: <http://example.org/>  # WHERE { not here\nSELECT * where { ?s ex:p ?o ; ex:label ?l FILTER(?l != "WHERE {") }',
    'PREFIX ex: <http://example.org/#x> PREFIX e: <http://example.org/>\nSELECT ?s ?o { ?s e:p ?o }',
    "SELECT ?s ?o WHERE {\n # } {\n ?s <http://example.org/p> ?o }",
    'SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o OPTIONAL { ?s <http://example.org/label> """x\n{ }""" } }',
    "SELECT ?s ?o ?where WHERE { ?s <http://example.org/p> ?o BIND(1 AS ?where) }",
    "SELECT ?s ?o WHERE { { SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } } }",
]


@pytest.fixture(scope="module")
def small() -> ox.Store:
    s = ox.Store()
    s.load(DATA.encode(), format=ox.RdfFormat.TURTLE)
    return s


def _rows(answer: ox.QuerySolutions) -> list[tuple[str, ...]]:
    return sorted(tuple(str(t) for t in row) for row in answer)


@pytest.mark.parametrize("query", TRICKY)
def test_injection_binds_like_pyoxigraph_substitutions(small: ox.Store, query: str) -> None:
    bindings = {"o": ox.NamedNode("http://example.org/x")}
    injected = small.query(inject_values(query, bindings))
    substituted = small.query(query, substitutions={ox.Variable("o"): bindings["o"]})
    expected = _rows(substituted)
    assert expected, "the oracle should find something"
    assert _rows(injected) == expected


def test_injection_in_construct_and_ask(small: ox.Store) -> None:
    bindings = {"o": ox.NamedNode("http://example.org/y")}
    construct = "CONSTRUCT { ?s <http://example.org/q> ?o } WHERE { ?s <http://example.org/p> ?o }"
    triples = list(small.query(inject_values(construct, bindings)))
    assert [t.subject.value for t in triples] == ["http://example.org/b"]
    with pytest.raises(UsageError):  # the short form has no group to hold VALUES
        inject_values("CONSTRUCT WHERE { ?s <http://example.org/p> ?o }", bindings)
    assert bool(small.query(inject_values("ASK { ?s <http://example.org/p> ?o }", bindings)))
    missing = {"o": ox.NamedNode("http://example.org/none")}
    assert not bool(small.query(inject_values("ASK { ?s <http://example.org/p> ?o }", missing)))


def test_values_block_escapes_literals(small: ox.Store) -> None:
    nasty = ox.Literal('a {" } ; DROP ALL ; #\n')
    block = values_block({"l": nasty})
    assert block.count("\n") == 0
    query = "SELECT ?s WHERE { ?s <http://example.org/label> ?l }"
    assert list(small.query(inject_values(query, {"l": nasty}))) == []
    assert len(small) == 6


def test_where_position_needs_a_where_clause() -> None:
    with pytest.raises(UsageError):
        where_position("DESCRIBE <http://example.org/a>")
    text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert text[:where_position(text)].endswith("WHERE {")


# --- what the saved questions answer ------------------------------------------------------


def covering(graph: Graph, country: URIRef) -> set[URIRef]:
    return {s for s in surveys_or_series(graph) if (s, DCT.spatial, country) in graph}


@pytest.mark.parametrize("value", ["MEX", "MX", "Mexico", "México"])
def test_surveys_by_country(store: EmbeddedStore, records: Graph, value: str) -> None:
    _, rows = ask(store, "surveys-by-country", country=value)
    expected = covering(records, COUNTRY.MEX)
    assert len(expected) >= 3
    assert [URIRef(r["survey"]) for r in rows] == sorted(expected)  # one row a survey, however many creators
    for row in rows:  # the first creator by its English name (records/agencies.ttl), and how many there are
        creators = set(records.objects(URIRef(row["survey"]), DCT.creator))
        names = sorted(str(n) for a in creators for n in records.objects(a, FOAF.name) if n.language == "en")
        assert (row.get("agency"), int(row["agencies"])) == (names[0] if names else None, len(creators)), row


def test_surveys_by_country_default_and_injection_attempt(store: EmbeddedStore, records: Graph) -> None:
    _, rows = ask(store, "surveys-by-country")
    assert {URIRef(r["survey"]) for r in rows} == covering(records, COUNTRY.SEN)
    before = len(store)
    with pytest.raises(UsageError):
        ask(store, "surveys-by-country", country="SEN> } ; DROP ALL ; #")
    assert len(store) == before


def test_remittances(store: EmbeddedStore, records: Graph) -> None:
    collecting = set(records.subjects(MM.collectsRemittances, Literal(True)))
    _, rows = ask(store, "remittances")
    assert {URIRef(r["survey"]) for r in rows} == collecting
    with_use = {s for s in collecting if (s, MM.collectsRemittanceUse, Literal(True)) in records}
    _, rows = ask(store, "remittances", use="true")
    assert {URIRef(r["survey"]) for r in rows} == with_use
    assert 0 < len(with_use) < len(collecting)
    _, rows = ask(store, "remittances", use="false")
    assert {URIRef(r["survey"]) for r in rows} == {
        s for s in collecting if (s, MM.collectsRemittanceUse, Literal(False)) in records}


def test_proxy_respondents(store: EmbeddedStore, records: Graph) -> None:
    expected = set(records.subjects(MM.populationCovered, POPULATION["proxy-for-migrants-abroad"]))
    _, rows = ask(store, "proxy-respondents")
    assert {URIRef(r["survey"]) for r in rows} == expected
    _, rows = ask(store, "proxy-respondents", country="IND")
    assert {URIRef(r["survey"]) for r in rows} == {s for s in expected if (s, DCT.spatial, COUNTRY.IND) in records}


def test_microdata_access(store: EmbeddedStore, records: Graph, vocab: Graph) -> None:
    open_levels = {level for level, rights in vocab.subject_objects(MM.accessRights)
                   if rights in (ACCESS_RIGHT.PUBLIC, ACCESS_RIGHT.RESTRICTED)}
    assert ACCESS_LEVEL.unknown not in open_levels
    expected = {s for s in records.subjects(MM.disseminationMeans, DISSEMINATION["microdata-digital"])
                if set(records.objects(s, MM.accessLevel)) & open_levels}
    _, rows = ask(store, "microdata-access")
    assert {URIRef(r["survey"]) for r in rows} == expected
    _, rows = ask(store, "microdata-access", level="external-repository")
    assert {URIRef(r["survey"]) for r in rows} == {
        s for s in expected if (s, MM.accessLevel, ACCESS_LEVEL["external-repository"]) in records}


@pytest.mark.parametrize("notation", ["probability", "probability.stratified", "nonprobability"])
def test_surveys_by_sample_type(store: EmbeddedStore, records: Graph, vocab: Graph, notation: str) -> None:
    wanted = SAMPLE_TYPE[notation]
    expected = {s for s, t in records.subject_objects(MM.sampleType)
                if wanted in set(vocab.transitive_objects(t, SKOS.broader))}
    _, rows = ask(store, "surveys-by-sample-type", sampleType=notation)
    assert {URIRef(r["survey"]) for r in rows} == expected
    # a row per survey and type of its own under the one asked for, never one per unit too
    assert sorted((r["survey"], r["type"]) for r in rows) == sorted(
        (str(s), str(t)) for s in expected for t in records.objects(s, MM.sampleType)
        if wanted in set(vocab.transitive_objects(t, SKOS.broader)))
    for row in rows:
        units = sorted(str(u) for u in records.objects(URIRef(row["survey"]), MM.samplingUnit))
        assert (int(row["samplingUnits"]), row.get("samplingUnit")) == (len(units), units[0] if units else None)


def test_identification(store: EmbeddedStore, records: Graph) -> None:
    """One row per way of identifying migrants (item 11), with its criterion and definition."""
    methods = {(s, records.value(m, MM.criterion)) for s, m in records.subject_objects(MM.identification)}
    _, rows = ask(store, "identification")
    assert {(URIRef(r["survey"]), URIRef(r["criterion"])) for r in rows} == methods
    citizenship = scheme("identification-criterion")["citizenship"]
    _, rows = ask(store, "identification", criterion="citizenship", country="ESP")
    assert {URIRef(r["survey"]) for r in rows} == {
        s for s, c in methods if c == citizenship and (s, DCT.spatial, COUNTRY.ESP) in records}
    assert rows and all(r["criterion"] == str(citizenship) for r in rows)
    defined = [r for r in rows if r.get("definition")]
    assert defined, "a survey of Spain identifying by citizenship gives its definition"


def test_coverage_matrix_counts_the_items_the_reports_count(store: EmbeddedStore, records: Graph) -> None:
    """Per country, the surveys covering it and, per item, those answering it, as `report
    inventory` and `report quality` count a survey's answered items (validation/items.py:
    answered_items): by its own statements, a round not by its series'."""
    variables, rows = ask(store, "coverage-matrix")
    assert variables[:3] == ["country", "name", "surveys"] and variables[3:] == [f"item{i:02d}" for i in range(1, 15)]
    expected: dict[str, list[int]] = {}
    inventory = build_inventory([RECORDS]).rows
    for row in inventory:  # one per survey, with its answered items
        for country in records.objects(URIRef(row.survey), DCT.spatial):
            counts = expected.setdefault(str(country), [0] * 15)
            counts[0] += 1
            for item in row.answered:
                counts[item] += 1
    found = {row["country"]: [int(row["surveys"]), *(int(row[f"item{i:02d}"]) for i in range(1, 15))]
             for row in rows}
    assert found == expected
    # records/th-nso-ms.ttl: the 2024 round does not state item 13; its series cites a report on
    # the 2019-2023 rounds. records/etf-migration-skills.ttl: the 2008 round covers Tajikistan
    # alone, the 2011 round Armenia, Georgia and Morocco; the series all four.
    thailand = found[str(COUNTRY.THA)]
    assert thailand[13] == thailand[0] - 1
    etf_in_tajikistan = [r.survey for r in inventory if "/etf-migration-skills" in r.survey
                         and (URIRef(r.survey), DCT.spatial, COUNTRY.TJK) in records]
    assert len(etf_in_tajikistan) == 1 and found[str(COUNTRY.TJK)][0] >= 1  # the 2008 round, not the series
    assert {row["country"] for row in rows} >= {str(COUNTRY.MEX), str(COUNTRY.SEN)}


def test_docs_describe_every_saved_question_and_parameter() -> None:
    docs = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    for name, query in saved_queries().items():
        assert f"`{name}`" in docs, f"docs/queries.md does not describe {name}"
        for parameter in query.parameters:
            assert f"`{parameter}`" in docs, f"docs/queries.md does not name parameter {parameter} of {name}"


@pytest.mark.parametrize(("written", "code"), [
    ("Côte d'Ivoire", "CIV"), ("Côte d’Ivoire", "CIV"), ("UK", "GBR"), ("Czech Republic", "CZE"),
    ("Turkey", "TUR"), ("United States of America", "USA"), ("Sénégal", "SEN")])
def test_query_param_country_names_as_people_write_them(written: str, code: str) -> None:
    """issue 14, item 4: `query -p country=...` takes the names the importers and `new` take."""
    parameter = saved_queries()["surveys-by-country"].parameters["country"]
    assert parse_value(parameter, written) == ox.NamedNode(str(COUNTRY[code]))


def test_query_param_concept_by_a_label_in_french() -> None:
    parameter = saved_queries()["surveys-by-sample-type"].parameters["sampleType"]
    assert parse_value(parameter, "grappes") == ox.NamedNode(str(SAMPLE_TYPE["probability.cluster"]))


def test_query_param_cli_with_an_apostrophe(capsys: pytest.CaptureFixture[str]) -> None:
    from migrmeta.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["query", "surveys-by-country", "-p", "country=Côte d'Ivoire", "--data", str(RECORDS), "--format", "csv"])
    assert exited.value.code in (0, None), capsys.readouterr().err


def test_a_folder_given_as_the_question_is_said_to_be_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "questions.rq"
    folder.mkdir()
    with pytest.raises(UsageError) as refused:  # was: "no saved question or file named ..."
        resolve_question(str(folder))
    assert str(refused.value).startswith(f"{folder} is a folder, not a query")
    assert "hint: a folder of saved questions is given with --queries DIR" in refused.value.cli_text()


def test_a_missing_query_file_is_an_unreadable_input_and_a_name_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A path (a .rq name, or one with a folder) that is not there is said so, exit 3 as for a
    missing record; a word that names no saved question stays a usage error listing them."""
    from command import run

    for missing in (str(tmp_path / "gone" / "question.rq"), "question.rq", str(tmp_path / "question")):
        code, _out, err = run(capsys, "query", missing, "--data", str(RECORDS))
        assert code == 3, (missing, err)
        assert f"{missing}: no such file or directory" in err
        assert "saved questions:" not in err
    code, _out, err = run(capsys, "query", "surveys-by-contry", "--data", str(RECORDS))
    assert code == 2
    assert "no saved question or file named 'surveys-by-contry'" in err and "surveys-by-country" in err


def test_a_parameter_given_several_times_asks_for_each(store: EmbeddedStore, records: Graph) -> None:
    """`-p country=GTM -p country=HND` kept only the last value (the review): each is an alternative."""
    _, rows = ask_many(store, "surveys-by-country", country=["GTM", "Honduras", "SLV"])
    expected = covering(records, COUNTRY.GTM) | covering(records, COUNTRY.HND) | covering(records, COUNTRY.SLV)
    assert len(covering(records, COUNTRY.HND)) >= 1 and len(covering(records, COUNTRY.GTM)) >= 1
    assert sorted(URIRef(r["survey"]) for r in rows) == sorted(expected)  # each survey once


def test_a_region_asks_for_its_countries(store: EmbeddedStore, records: Graph) -> None:
    """`-p "country=Central America"` was refused: it binds the countries of that UN M49 sub-region."""
    _, rows = ask_many(store, "surveys-by-country", country=["Central America"])
    members = ["BLZ", "CRI", "GTM", "HND", "MEX", "NIC", "PAN", "SLV"]
    expected = set().union(*(covering(records, COUNTRY[code]) for code in members))
    assert {URIRef(r["survey"]) for r in rows} == expected and len(rows) == len(expected)
    assert covering(records, COUNTRY.SEN) - expected  # not every survey


@pytest.mark.parametrize(("region", "members"), [
    ("Sub-Saharan Africa", {"Eastern Africa", "Middle Africa", "Southern Africa", "Western Africa"}),
    ("Latin America and the Caribbean", {"Caribbean", "Central America", "South America"}),
    ("sub saharan africa", {"Eastern Africa", "Middle Africa", "Southern Africa", "Western Africa"}),
])
def test_an_m49_subregion_of_intermediate_regions_asks_for_their_countries(
        store: EmbeddedStore, records: Graph, region: str, members: set[str]) -> None:
    """`-p "country=Sub-Saharan Africa"` was refused as "not a country code or name" (exit 2): coco's
    table names the intermediate regions only; the sub-region is every country of them."""
    known = countries()
    codes = {c.code for c in known if (m := known.m49(c.code)) is not None and m.subregion in members}
    assert {"NGA", "KEN", "ZAF", "COD"} <= codes or {"MEX", "BRA", "JAM"} <= codes
    _, rows = ask_many(store, "surveys-by-country", country=[region])
    expected = set().union(*(covering(records, COUNTRY[code]) for code in codes))
    assert expected and {URIRef(r["survey"]) for r in rows} == expected and len(rows) == len(expected)


def test_an_intermediate_region_and_a_region_still_ask_for_their_countries(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "query", "surveys-by-country", "-p", "country=Middle Africa", "--data", str(RECORDS),
                         "--format", "csv")
    assert code == 0 and out.startswith("survey,"), err
    assert countries().in_region("Middle Africa") and set(countries().in_region("Middle Africa")) < \
        set(countries().in_region("Sub-Saharan Africa")) < set(countries().in_region("Africa"))


@pytest.mark.parametrize(("written", "meant"), [
    ("West Africa", "Western Africa"), ("Latin America", "Latin America and the Caribbean"),
    ("Subsaharan Africa", "Sub-Saharan Africa"),
])
def test_a_near_region_is_refused_with_a_hint_about_regions(capsys: pytest.CaptureFixture[str], written: str,
                                                            meant: str) -> None:
    """The hint spoke of country codes only, so a user who meant a region learnt nothing."""
    code, _, err = run(capsys, "query", "surveys-by-country", "-p", f"country={written}", "--data", str(RECORDS))
    assert code == 2
    assert f'"{written}" is neither a country nor a UN M49 region; did you mean "{meant}"?' in err, err
    assert "hint: a region is written by its UN M49 English name" in err, err


def test_a_word_like_no_region_keeps_the_country_hint(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "query", "surveys-by-country", "-p", "country=Nigerr", "--data", str(RECORDS))
    assert code == 2
    assert '"Nigerr" is not a country code or name; did you mean "Niger"?' in err and "region" not in err, err


def ask_many(store: EmbeddedStore, name: str, **params: list[str]) -> tuple[list[str], list[dict[str, str]]]:
    saved = saved_queries()[name]
    result = store.query(saved.text, saved.bind(params), saved.source)
    rows = [{v: t.value for v, t in zip(result.variables, row, strict=True) if t is not None} for row in result.rows]
    return result.variables, rows


def test_values_block_has_a_row_per_combination() -> None:
    a, b = ox.NamedNode("http://a/1"), ox.NamedNode("http://a/2")
    block = values_block({"x": (a, b), "y": ox.Literal("z")})
    assert block == ' VALUES (?x ?y) { (<http://a/1> "z") (<http://a/2> "z") } '


def test_a_saved_question_without_parameters_refuses_one() -> None:
    """`coverage-matrix -p country=SEN` bound the text "SEN" and answered (0 rows)."""
    with pytest.raises(UsageError, match="coverage-matrix: takes no parameters"):
        saved_queries()["coverage-matrix"].bind({"country": "SEN"})


def test_an_undeclared_prefix_is_named_with_its_declaration(capsys: pytest.CaptureFixture[str]) -> None:
    from migrmeta.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["query", "--data", str(RECORDS), "-e", "SELECT ?s WHERE {\n ?s a mm:Survey ; foo:p ?o }"])
    said = capsys.readouterr().err
    assert exited.value.code == 3
    assert "<query text>:2: SPARQL syntax error: the prefixes mm:, foo: are not declared" in said, said
    assert "PREFIX mm: <https://w3id.org/migrmeta/ns#> PREFIX foo: <...>" in said, said


def test_no_readable_record_asks_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An empty table would say "no survey" of a catalogue never read."""
    from migrmeta.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["query", "remittances", "--data", str(tmp_path / "nosuch")])
    out, err = capsys.readouterr()
    assert exited.value.code == 3 and out == ""
    assert "no records could be read, so the question is not asked" in err


def test_a_broken_draft_does_not_block_the_folders_other_questions(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """One `.rq` with a bad header made every question of its --queries folder fail, --list too
    (the sync review)."""
    (tmp_path / "good.rq").write_text((REPO / "queries" / "remittances.rq").read_text(encoding="utf-8"),
                                      encoding="utf-8")
    (tmp_path / "draft.rq").write_text("# title: [oops\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert resolve_question("good", folder=tmp_path).title == "Surveys collecting remittance data"
    with pytest.raises(InputError) as broken:  # asked for by name: its own error
        resolve_question("draft", folder=tmp_path)
    assert "the header is not valid YAML" in str(broken.value)
    code, out, err = run(capsys, "query", "--list", "--queries", str(tmp_path))
    assert code == 0 and out.startswith("good\n  Surveys collecting remittance data")
    assert f"warning: {tmp_path / 'draft.rq'}:1: the header is not valid YAML" in err and "left out" in err
