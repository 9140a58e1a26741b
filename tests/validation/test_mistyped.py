"""Mistakes that are valid RDF and used to pass in silence: a class or property of the mm:
vocabulary it does not define (`a mm:survey`, `mm:sampleSise`), and a date that is no date
(`"2014-13"^^xsd:gYearMonth`). Each is a violation named on its line, with "did you mean",
by both engines alike; `publish` then refuses the record instead of dropping its survey."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import DATA

import migrmeta
from migrmeta.cli import cli

COMPLETE = DATA / "shapes" / "sof-complete.ttl"


def written(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    text = COMPLETE.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "record.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def violations(path: Path, engine: str) -> list[migrmeta.validation.findings.Finding]:
    report = migrmeta.validate([path], cache=False, engine=engine)
    return [f for f in report.findings if f.severity == "violation"]


ENGINES = ("sparql", "pyshacl")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_class_written_in_the_wrong_case_is_a_violation_with_the_class_meant(tmp_path: Path, engine: str) -> None:
    path = written(tmp_path, ("ph-sof-2019 a mm:Survey,", "ph-sof-2019 a mm:survey,"))
    [found] = violations(path, engine)
    assert found.message.startswith("'mm:survey' is not a class of the migrmeta vocabulary")
    assert found.hint == "did you mean 'mm:Survey'?"
    assert found.line == line_of(path, "a mm:survey,")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_misspelt_property_is_a_violation_on_its_line(tmp_path: Path, engine: str) -> None:
    path = written(tmp_path, ("mm:samplingUnit", "mm:samplingUnt"))
    found = [f for f in violations(path, engine) if f.path == "mm:samplingUnt"]
    assert [(f.line, f.hint) for f in found] == [(line_of(path, "mm:samplingUnt"), "did you mean 'mm:samplingUnit'?")]
    assert found[0].message == "'mm:samplingUnt' is not a property of the migrmeta vocabulary: what it says is not read"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("meant", "written_as"), [("dct:description", "dct:descripton"), ("dcat:inSeries", "dcat:inseries"),
                                                   ("dcat:startDate", "dct:startDate"),  # another vocabulary's name
                                                   ("skos:definition", "skos:defintion")])
def test_a_misspelt_property_of_dcmi_dcat_or_skos_is_a_warning_with_the_term_meant(
        tmp_path: Path, engine: str, meant: str, written_as: str) -> None:
    """`dct:contributer agency:iom` lost a collaborator while the record 'conformed' (the statistician review)."""
    path = written(tmp_path, (meant, written_as))
    report = migrmeta.validate([path], cache=False, engine=engine)
    [found] = [f for f in report.findings if f.path == written_as]
    assert found.severity == "warning"
    assert found.message == (f"'{written_as}' is not a property of its vocabulary (DCMI Terms, DCAT or SKOS): "
                             "what it says is not read")
    assert found.hint == f"did you mean '{meant}'?" and found.line == line_of(path, written_as)


def test_every_outside_property_the_bundled_records_use_is_declared() -> None:
    """A property of DCMI Terms, DCAT or SKOS missing from ontology/outside-terms.ttl would warn on
    every record using it."""
    from paths import RECORDS

    report = migrmeta.validate([RECORDS], cache=False)
    assert [f for f in report.findings if "of its vocabulary" in f.message] == []


def test_a_term_nothing_resembles_points_to_the_vocabulary_in_the_readers_language(tmp_path: Path) -> None:
    path = written(tmp_path, ("mm:samplingUnit", "mm:zzqx"))
    [found] = [f for f in migrmeta.validate([path], cache=False, lang="fr").findings if f.path == "mm:zzqx"]
    assert found.message.startswith("'mm:zzqx' n'est pas une propriété du vocabulaire migrmeta")
    assert found.hint == "utilisez un terme que le vocabulaire définit (ontology/migrmeta.ttl)"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("bad", "datatype"), [("2019-13", "gYearMonth"), ("2019-1", "gYearMonth"), ("2019x", "gYear"),
                                               ("2019-02-30", "date")])
def test_a_date_that_does_not_exist_is_a_violation(tmp_path: Path, engine: str, bad: str, datatype: str) -> None:
    path = written(tmp_path, ('dcat:startDate "2019"^^xsd:gYear ;', f'dcat:startDate "{bad}"^^xsd:{datatype} ;'))
    [found] = violations(path, engine)
    assert found.item == 4
    hint = found.hint or ""
    assert hint.startswith("dcat:startDate") and bad in hint, hint
    if bad != "2019-1":  # read as 2019-01 by the dates' reader: no reason of its own to give
        assert f'dcat:startDate: "{bad}" is not a date: ' in hint, hint


def test_well_formed_years_and_months_still_conform(tmp_path: Path) -> None:
    for start in ('"2019-12"^^xsd:gYearMonth', '"2019Z"^^xsd:gYear', '"2019-02-28"^^xsd:date'):
        path = written(tmp_path, ('dcat:startDate "2019"^^xsd:gYear ;', f"dcat:startDate {start} ;"))
        assert violations(path, "sparql") == [], start


def test_publish_refuses_a_record_whose_survey_has_a_misspelt_class(tmp_path: Path) -> None:
    records = tmp_path / "records"
    records.mkdir()
    written(records, ("ph-sof-2019 a mm:Survey,", "ph-sof-2019 a mm:survey,"))
    result = CliRunner().invoke(cli, ["publish", str(records), "-o", str(tmp_path / "site"), "--no-cache"])
    assert result.exit_code == 1, result.output
    assert "did you mean 'mm:Survey'?" in result.output
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("engine", ENGINES)
def test_a_concept_under_a_mistyped_namespace_is_named_in_full_with_the_term_meant(tmp_path: Path, engine: str) -> None:
    """It used to read "'probability.stratified' is not a sample type; did you mean 'probability.stratified'?"."""
    path = written(tmp_path, ("@prefix st: <https://w3id.org/migrmeta/vocab/sample-type/>",
                              "@prefix st: <https://w3id.org/migrmeta/vocab/sampletype/>"))
    found = {f.value: f for f in violations(path, engine)}
    wrong = "https://w3id.org/migrmeta/vocab/sampletype/probability.stratified"
    assert found[wrong].message == f"'{wrong}' is not a sample type"
    assert found[wrong].hint == ("the list's term is <https://w3id.org/migrmeta/vocab/sample-type/probability.stratified>: "
                                 "check the namespace the prefix is declared with "
                                 "(<https://w3id.org/migrmeta/vocab/sample-type/>)")


AGENCY = """@prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix mm: <https://w3id.org/migrmeta/ns#> .
@prefix org: <http://www.w3.org/ns/org#> .
<https://w3id.org/migrmeta/agency/psa> a foaf:Agent, foaf:Organization, mm:Agency ;
    foaf:name "Philippine Statistics Authority"@en ;
    mm:basedIn <http://publications.europa.eu/resource/authority/country/PHL> ;
    dct:type <http://purl.org/adms/publishertype/NationalAuthority> KIND .
<http://purl.org/adms/publishertype/NationalAuthority> a skos:Concept ;
    skos:inScheme <http://purl.org/adms/publishertype/1.0> .
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_an_agency_as_dcat_ap_publishes_it_needs_its_kind_as_classification(tmp_path: Path, engine: str) -> None:
    path = tmp_path / "agencies.ttl"
    path.write_text(AGENCY.replace(
        "KIND", "; org:classification <https://w3id.org/migrmeta/vocab/agency-type/national-statistical-office>"))
    assert violations(path, engine) == []
    path.write_text(AGENCY.replace("KIND", ""))
    [found] = violations(path, engine)
    assert found.message.startswith("'http://purl.org/adms/publishertype/NationalAuthority' is an ADMS publisher "
                                    "type: give the kind of agency from the agency-type list")


@pytest.mark.parametrize("engine", ENGINES)
def test_one_wrong_value_under_two_properties_is_reported_on_each_ones_line(tmp_path: Path, engine: str) -> None:
    """Both findings named the first line holding the value."""
    path = written(tmp_path, ("mm:populationCovered pop:proxy-for-migrants-abroad ;",
                              "mm:populationCovered pop:proxy-for-migrants-abroad ;\n    mm:originCountry country:PHI ;"))
    text = path.read_text(encoding="utf-8")
    at = text.index("dct:spatial country:PHL ;", text.index("ph-sof-2019 a mm:Survey"))  # the round's, as the origin
    path.write_text(text[:at] + "dct:spatial country:MEX,\n        country:PHI ;" + text[at + 25:], encoding="utf-8")
    lines = {(f.path, f.value): f.line for f in violations(path, engine) if f.value == "PHI"}
    assert lines == {("dct:spatial", "PHI"): line_of(path, "country:PHI ;"),
                     ("mm:originCountry", "PHI"): line_of(path, "mm:originCountry country:PHI")}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_jsonld_key_the_context_does_not_define_is_a_warning_with_the_term_meant(tmp_path: Path,
                                                                                  engine: str) -> None:
    """`"colaborators"` in a JSON-LD record: JSON-LD drops the key and its value, and the record
    conformed without its collaborators (the statistician review)."""
    from paths import RECORDS

    from migrmeta.load import read_input
    from migrmeta.rdf.jsonld_out import jsonld

    graph = read_input(str(RECORDS / "eg-hims-2013.ttl")).graph
    text = jsonld(list(graph), [])
    assert '"collaborators"' in text
    path = tmp_path / "record.jsonld"
    path.write_text(text.replace('"collaborators"', '"colaborators"', 1).replace('"role"', '"rol"'),
                    encoding="utf-8")
    report = migrmeta.validate([path], cache=False, engine=engine)
    found = {f.message.split('"')[1]: f for f in report.findings if f.component == "UnmappedKeyComponent"}
    assert set(found) == {"colaborators", "rol"} and all(f.severity == "warning" for f in found.values())
    assert found["colaborators"].line == line_of(path, '"colaborators"')
    assert found["colaborators"].message == (
        'the key "colaborators" is not defined by the document\'s context: JSON-LD drops it and its value, which '
        'are not read; did you mean "collaborators"?')
    assert found["colaborators"].focus == "https://w3id.org/migrmeta/survey/eg-hims-2013"
    times = text.count('"role"')  # of each attribution: one warning, which says how many (the diff review)
    assert times > 1 and found["rol"].message.endswith(f"did you mean \"role\"? (the key is used {times} times)")
    assert found["rol"].line == line_of(path, '"rol"')
    # as a SHACL report too: the component is migrmeta's own (SHACL's namespace is closed)
    result = CliRunner().invoke(cli, ["validate", "--no-cache", "--engine", engine, "--format", "turtle", str(path)])
    assert result.exit_code == 1, result.output  # the attributions lost their roles: a violation, not a crash
    assert "sh:sourceConstraintComponent <https://w3id.org/migrmeta/shapes#UnmappedKeyComponent>" in result.output
    path.write_text(text, encoding="utf-8")  # as written: nothing dropped
    clean = migrmeta.validate([path], cache=False, engine=engine)
    assert [f for f in clean.findings if f.component == "UnmappedKeyComponent"] == []
