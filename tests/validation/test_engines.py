"""The compiled engine (the default) and pySHACL (`engine="pyshacl"`, the reference) give the
same report through `migrmeta.validate()` and `migrmeta validate`: file, line, item, severity,
field, value, message and hint of every finding, with the same semantics (each record judged
with the reference data only), the same options and the compiled shapes kept on disk."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner
from command import run
from paths import DATA, REPO, shapes_folder

import migrmeta
from migrmeta.cli import cli
from migrmeta.validation import prepared
from migrmeta.validation.findings import Finding

COMPLETE = DATA / "shapes" / "sof-complete.ttl"
DCAT_AP_MANDATORY = ("shapes.ttl", "range.ttl", "deprecateduris.ttl")


def whole(findings: Iterable[Finding]) -> list[tuple[object, ...]]:
    return sorted((f.source, f.line or 0, f.focus or "", f.item or 0, f.severity, f.field or "", f.path or "",
                   f.value or "", f.message, f.hint or "", f.shape or "", f.component or "", f.check)
                  for f in findings)


def assert_same(paths: list[Path], **options: object) -> list[tuple[object, ...]]:
    ours = whole(migrmeta.validate(paths, cache=False, **options).findings)  # type: ignore[arg-type]
    theirs = whole(migrmeta.validate(paths, cache=False, engine="pyshacl", jobs=2, **options).findings)  # type: ignore[arg-type]
    only_ours = [f for f in ours if f not in theirs]
    only_theirs = [f for f in theirs if f not in ours]
    assert ours == theirs, "only the sparql engine:\n" + "\n".join(map(str, only_ours)) + \
        "\nonly pySHACL:\n" + "\n".join(map(str, only_theirs))
    return ours


def test_engines_agree_on_the_bundled_records() -> None:
    found = assert_same([REPO / "records"])
    assert found, "the bundled records have warnings to compare"


def test_engines_agree_on_a_synthetic_catalogue_with_every_mistake(tmp_path: Path) -> None:
    from bench.generate import MISTAKES, generate_catalogue

    generate_catalogue(160, tmp_path, seed=11, invalid_share=0.6)
    found = assert_same([tmp_path])
    lines = {f[1] for f in found}
    assert len(found) > 100 and len(lines) > 5  # file:line of the offending property
    shown = {str(f[8]) for f in found}
    for telltale in ("XYZ", "random-sample", "end date is before", "host survey", "remittance"):
        assert any(telltale in text for text in shown), telltale
    assert len(MISTAKES) == 7


def test_records_that_describe_one_anothers_subjects_are_judged_apart(tmp_path: Path) -> None:
    """Two files describing the same survey, a module describing its host, agencies.ttl: in
    one store their statements would meet (two English titles: uniqueLang); each record is
    judged on its own, as by pySHACL record by record."""
    text = COMPLETE.read_text(encoding="utf-8")
    (tmp_path / "a.ttl").write_text(text, encoding="utf-8")
    (tmp_path / "b.ttl").write_text(text.replace('"Survey on Overseas Filipinos 2019"@en',
                                                 '"Overseas Filipinos, 2019 round"@en'), encoding="utf-8")
    prefixes = "".join(line + "\n" for line in text.splitlines() if line.startswith("@prefix"))
    (tmp_path / "host.ttl").write_text(prefixes + 'survey:ph-lfs a mm:Survey ; dct:identifier "ph-lfs" ; '
                                       'dct:title "LFS of the Philippines"@en .\n', encoding="utf-8")
    found = assert_same([tmp_path])
    assert not any(f[11] == "UniqueLangConstraintComponent" for f in found)
    assert any(f[11] == "duplicate_iri" for f in found)


def test_the_cli_gives_the_same_json_with_either_engine() -> None:
    def run(*extra: str) -> dict[str, object]:
        result = CliRunner().invoke(cli, ["validate", "--no-cache", "--format", "json", *extra, str(COMPLETE)])
        assert result.exit_code == 0, result.output
        return dict(json.loads(result.output))

    assert run() == run("--engine", "pyshacl")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from migrmeta.publishing.site import PublishOptions, publish

    out = tmp_path_factory.mktemp("site") / "site"
    result = publish([REPO / "records"], out, PublishOptions(skip_invalid=True, cache=False))
    assert result.refused is None
    return out / "catalog.ttl"


def test_user_shapes_dcat_ap_3_on_the_published_catalogue(published: Path, tmp_path: Path) -> None:
    """`migrmeta validate --shapes DIR` with the official DCAT-AP 3 shapes: the same engine,
    the same findings as pySHACL; nothing left to pySHACL; and the verdict of pySHACL run
    alone on the file: the published catalogue conforms."""
    import pyshacl
    from rdflib import Graph

    shapes = shapes_folder(tmp_path / "dcat-ap-3", {name: DATA / "dcat-ap-3" / name for name in DCAT_AP_MANDATORY})
    shapes_graph = Graph()
    for name in DCAT_AP_MANDATORY:
        shapes_graph.parse(shapes / name)
    alone, _, text = pyshacl.validate(Graph().parse(published), shacl_graph=shapes_graph)
    assert alone, text
    reports = {}
    for engine in ("sparql", "pyshacl"):
        result = CliRunner().invoke(cli, ["validate", "--no-cache", "--shapes", str(shapes), "--engine", engine,
                                          "--format", "json", str(published)])
        assert result.exit_code == 0, result.output  # the reference data added (countries) asks nothing more
        reports[engine] = json.loads(result.output)
        assert reports[engine]["summary"]["violations"] == 0, engine
    assert reports["sparql"] == reports["pyshacl"]
    verbose = CliRunner().invoke(cli, ["validate", "--no-cache", "--shapes", str(shapes), "-v", str(published)])
    assert "engine: sparql (every shape compiled)" in verbose.output
    checked = migrmeta.validate([published], cache=False, shapes_dir=shapes)
    assert checked.fallbacks == [] and len(checked.records) == 1


def test_verbose_names_the_shapes_left_to_pyshacl_and_their_findings_are_reported(tmp_path: Path) -> None:
    shapes = shapes_folder(tmp_path / "shapes", {"fallback.ttl": DATA / "shacl" / "fallback-shapes.ttl"})
    data = DATA / "shacl" / "data-a.ttl"
    result = CliRunner().invoke(cli, ["validate", "--no-cache", "--shapes", str(shapes), "-v", str(data)])
    assert "2 shapes validated by pySHACL, not compiled:" in result.output
    assert ("https://example.org/shapes#Pairs: components not compiled: http://www.w3.org/ns/shacl#equals; "
            "components not compiled: http://www.w3.org/ns/shacl#lessThan") in result.output
    assert "https://example.org/shapes#Recursive: recursive shape" in result.output
    left = ("EqualsConstraintComponent", "LessThanConstraintComponent")  # of the shape pySHACL checks
    ours = [f for f in migrmeta.validate([data], cache=False, shapes_dir=shapes).findings if f.component in left]
    theirs = migrmeta.validate([data], cache=False, shapes_dir=shapes, engine="pyshacl").findings
    assert ours and whole(ours) == whole(f for f in theirs if f.component in left)
    assert "pySHACL" not in CliRunner().invoke(cli, ["validate", "--no-cache", "--shapes", str(shapes),
                                                     str(data)]).output  # only with --verbose


def test_an_unknown_engine_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["validate", "--engine", "fast", str(COMPLETE)])
    assert result.exit_code == 2
    with pytest.raises(migrmeta.errors.UsageError):
        migrmeta.validate([COMPLETE], engine="fast")


# --- the compiled shapes, kept in the cache folder ---------------------------------------------


def test_compiled_shapes_are_read_back_from_the_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prepared, "_MEMO", {})
    first = migrmeta.validate([COMPLETE], cache_dir=tmp_path, cache=False)
    [bundle] = (tmp_path / "compiled").glob("*.pickle")
    monkeypatch.setattr(prepared, "_MEMO", {})

    def refuse(*_args: object) -> None:
        raise AssertionError("compiled again although the bundle is on disk")

    monkeypatch.setattr(prepared, "compile_shapes", refuse)
    second = migrmeta.validate([COMPLETE], cache_dir=tmp_path, cache=False)
    assert [f.to_json() for f in second.findings] == [f.to_json() for f in first.findings]
    assert pickle.loads(bundle.read_bytes())["fingerprint"] == migrmeta.load.reference.load_reference().fingerprint


def test_an_unreadable_bundle_is_compiled_again_and_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prepared, "_MEMO", {})
    migrmeta.validate([COMPLETE], cache_dir=tmp_path, cache=False)
    [bundle] = (tmp_path / "compiled").glob("*.pickle")
    bundle.write_bytes(b"not a pickle")
    monkeypatch.setattr(prepared, "_MEMO", {})
    report = migrmeta.validate([COMPLETE], cache_dir=tmp_path, cache=False)
    assert report.conforms
    assert pickle.loads(bundle.read_bytes())["engine"].compiled


def test_a_bundle_is_keyed_by_the_shapes(tmp_path: Path) -> None:
    shapes = shapes_folder(tmp_path / "shapes", {"a.ttl": DATA / "shacl" / "shapes.ttl"})
    mine = migrmeta.load.reference.load_reference(shapes).fingerprint
    assert prepared.bundle_key(mine) != prepared.bundle_key(migrmeta.load.reference.load_reference().fingerprint)


@pytest.mark.parametrize("mistake", [False, True], ids=["conforming", "unknown-country"])
def test_a_sparql_run_with_compiled_shapes_on_disk_imports_no_pyshacl(tmp_path: Path, mistake: bool) -> None:
    """Not even for a mistake whose nested results (of a blank-node shape, on a country no
    record describes) are dropped: they are never worded."""
    record = COMPLETE
    if mistake:
        record = tmp_path / "xyz.ttl"
        record.write_text(COMPLETE.read_text(encoding="utf-8").replace("dct:spatial country:PHL ;",
                                                                       "dct:spatial country:XYZ ;", 1))
    code = ("import sys; from migrmeta.validation.runner import validate; "
            f"r = validate([{str(record)!r}], cache=False, cache_dir=__import__('pathlib').Path({str(tmp_path)!r})); "
            "print(r.conforms, 'pyshacl' in sys.modules, 'rdflib.plugins.sparql.parser' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, env=env)  # compiles
    again = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env)
    assert again.stdout.split() == [str(not mistake), "False", "False"]


def test_findings_of_shapes_without_words_of_their_own_say_what_failed(tmp_path: Path) -> None:
    """A user's shapes (DCAT-AP 3's) carry no sh:message: each finding names the property and
    the value, then pySHACL's own text; the same with either engine, and from the cache."""
    shapes = shapes_folder(tmp_path / "dcat-ap-3", {name: DATA / "dcat-ap-3" / name for name in DCAT_AP_MANDATORY})
    example = DATA / "dcat" / "dataset_gob_es.ttl"
    expected = "dct:language 'es': Value does not have class dcterms:LinguisticSystem"
    for engine in ("sparql", "pyshacl"):
        texts = {(f.line, f.message) for f in migrmeta.validate([example], cache=False, shapes_dir=shapes,
                                                                 engine=engine).findings}
        assert (22, expected) in texts, engine  # the line of dct:language "es" (was the subject's: "es" is in its IRI)
        assert not any(message.endswith("ConstraintComponent") for _, message in texts), engine
    cache = tmp_path / "cache"
    for _ in range(2):  # the second run reads the outcome back from the cache (not the run's memo)
        shutil.rmtree(cache / "runs", ignore_errors=True)
        again = migrmeta.validate([example], cache=True, cache_dir=cache, shapes_dir=shapes).findings
        assert (22, expected) in {(f.line, f.message) for f in again}


def test_an_outcome_keeps_the_words_of_its_results_through_the_cache() -> None:
    from migrmeta.validation.outcome import Outcome, RawResult, Term

    raw = RawResult(Term("iri", "urn:x"), "violation", None, "ClassConstraintComponent", "urn:p",
                    Term("literal", "es"), 17, messages=((None, "Value does not have class dct:X"), ("fr", "classe")))
    outcome = Outcome("a.ttl", "0" * 64, [raw, RawResult(Term("iri", "urn:y"), "warning", "urn:s", "MinCount", None,
                                                          None, None)])
    assert Outcome.from_json("a.ttl", json.loads(json.dumps(outcome.to_json()))).results == outcome.results


SHAPES_OF_A_USER = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix mm: <https://w3id.org/migrmeta/ns#> .
@prefix ex: <https://example.org/shapes#> .
ex:Survey a sh:NodeShape ; sh:targetClass mm:Survey ;
    sh:property [ sh:path dct:title ; sh:minCount 3 ;
                  sh:message "three titles, please"@en, "trois titres, s'il vous plaît"@fr ] .
ex:Named a sh:NodeShape ; sh:targetClass mm:Survey ;
    sh:property ex:identifier .
ex:identifier sh:path dct:identifier ; sh:pattern "^zz-" .
"""


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_a_blank_node_shape_speaks_its_own_words_in_the_readers_language(tmp_path: Path, engine: str) -> None:
    shapes = shapes_folder(tmp_path / "shapes", {"mine.ttl": SHAPES_OF_A_USER})
    found = {lang: migrmeta.validate([COMPLETE], cache=False, shapes_dir=shapes, engine=engine, lang=lang).findings
             for lang in ("en", "fr")}
    assert {f.message for f in found["en"] if f.component == "MinCountConstraintComponent"} == {
        "dct:title: three titles, please"}
    assert {f.message for f in found["fr"] if f.component == "MinCountConstraintComponent"} == {
        "dct:title: trois titres, s'il vous plaît"}
    # a named shape without sh:message: pySHACL's text, after the property and the value
    [pattern] = [f for f in found["en"] if f.component == "PatternConstraintComponent"]
    assert pattern.shape == "https://example.org/shapes#identifier"
    assert pattern.message.startswith(f"dct:identifier '{pattern.value}': Value does not match pattern")


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_a_shape_whose_query_does_not_parse_is_named_without_a_traceback(
        tmp_path: Path, engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    shapes = shapes_folder(tmp_path / "shapes", {"broken.ttl": (
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix mm: <https://w3id.org/migrmeta/ns#> .\n"
        "<https://example.org/shapes#S> a sh:NodeShape ; sh:targetClass mm:Survey ;\n"
        '    sh:sparql [ sh:message "bad" ; sh:select "SELECT $this WHERE { $this ?p " ] .\n')})
    code, out, err = run(capsys, "validate", "--no-cache", "--engine", engine, "--shapes", str(shapes), str(COMPLETE))
    assert code == 3, out + err
    assert f"{shapes}: a shape cannot be evaluated" in err
    assert "Expected SelectQuery" in err and "Traceback" not in out + err


def test_a_record_whose_literals_the_store_would_rewrite_is_judged_as_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The store keeps "5"^^xsd:int as "5"^^xsd:integer (terms.REWRITTEN_DATATYPES): such a
    record is checked by pySHACL, so sh:datatype xsd:integer still refuses it, as with
    --engine pyshacl; --verbose names it."""
    text = COMPLETE.read_text(encoding="utf-8")
    assert "mm:referencePeriodYears 5 ]" in text
    odd = tmp_path / "odd.ttl"
    odd.write_text(text.replace("mm:referencePeriodYears 5 ]", 'mm:referencePeriodYears "5"^^xsd:int ]'),
                   encoding="utf-8")
    found = assert_same([odd, COMPLETE])
    assert [f for f in found if f[0] == str(odd) and f[9] == "in detail: mm:referencePeriodYears '5' (wrong datatype)"]
    code, out, _ = run(capsys, "validate", "--no-cache", "-v", str(odd), str(COMPLETE))
    assert code == 1
    assert f"1 record checked by pySHACL, not in the store:\n  {odd}: literals the store would not keep as " \
           "written (xsd:int as xsd:integer)" in out


def test_a_users_shape_reads_what_the_reference_data_says_of_the_concepts_a_record_uses(tmp_path: Path) -> None:
    """Each record is judged with the reference data: a user's shape whose path reads a
    country's skos:prefLabel (as DCAT-AP 3 asks of every skos:Concept) finds it in the country
    list, with either engine; a label no concept has is still missing."""
    shapes = shapes_folder(tmp_path / "shapes", {"labels.ttl": """
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix dct: <http://purl.org/dc/terms/> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix ex: <https://example.org/shapes#> .
        ex:Labelled a sh:NodeShape ; sh:targetClass <https://w3id.org/migrmeta/ns#Survey> ;
            sh:property [ sh:path ( dct:spatial skos:prefLabel ) ; sh:minCount 1 ] ,
                        [ sh:path ( dct:spatial skos:hiddenLabel ) ; sh:minCount 1 ] .
        """})
    record = REPO / "records" / "al-lsms-2005.ttl"
    for engine in ("sparql", "pyshacl"):
        found = migrmeta.validate([record], cache=False, shapes_dir=shapes, engine=engine).findings
        assert [(f.severity, f.component) for f in found] == [("violation", "MinCountConstraintComponent")], engine
        assert found[0].message.endswith("->( dcterms:spatial skos:hiddenLabel )"), engine


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_a_shapes_folder_that_would_check_nothing_is_a_usage_error(tmp_path: Path, engine: str,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """`--shapes` with a folder holding no *.ttl, or Turtle files without a targeted shape (a
    records folder given by mistake), exits 2 and says so, rather than passing every record."""
    empty = tmp_path / "empty"
    empty.mkdir()
    records = shapes_folder(tmp_path / "records", {"mafe.ttl": REPO / "records" / "mafe.ttl"})
    for folder, said in ((empty, "no shapes here (no *.ttl file)"), (records, "no shape here has a target")):
        code, _, err = run(capsys, "validate", "--no-cache", "--engine", engine, "--shapes", str(folder),
                           str(REPO / "records" / "mafe.ttl"))
        assert code == 2 and said in err, err


def test_the_published_catalogue_conforms_to_the_consolidated_dcat_ap_3_shapes(published: Path, tmp_path: Path) -> None:
    """A harvester validating with DCAT-AP 3's consolidated dcat-ap-SHACL.ttl and no reasoner saw
    309 violations (the researcher review): a record's primary topic that is not stated a
    dcat:Resource, links not stated rdfs:Resource. The profile states both: none left."""
    shapes = shapes_folder(tmp_path / "consolidated", {"dcat-ap-SHACL.ttl": DATA / "dcat-ap-3" / "dcat-ap-SHACL.ttl"})
    result = CliRunner().invoke(cli, ["validate", "--no-cache", "--shapes", str(shapes), "--format", "json",
                                      str(published)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["summary"]["violations"] == 0, [f["message"] for r in report["records"] for f in r["findings"]][:5]


def test_a_warnings_details_are_said_with_it_not_counted_as_violations(published: Path, tmp_path: Path) -> None:
    """mdr-vocabularies.shape.ttl (the EU validator's controlled vocabularies): a publisher outside
    the EU corporate-body list is a warning whose sh:detail results (skos:inScheme missing) are
    violations of the nested shape. They were reported as 302 violations of their own (exit 1);
    pySHACL's report conforms but for the warnings. Both engines, the same report."""
    shapes = shapes_folder(tmp_path / "mdr", {"mdr-vocabularies.shape.ttl": DATA / "dcat-ap-3" /
                                               "mdr-vocabularies.shape.ttl"})
    reports = {}
    for engine in ("sparql", "pyshacl"):
        result = CliRunner().invoke(cli, ["validate", "--no-cache", "--shapes", str(shapes), "--engine", engine,
                                          "--format", "json", str(published)])
        assert result.exit_code == 0, result.output
        reports[engine] = json.loads(result.output)
        assert reports[engine]["summary"]["violations"] == 0, engine
        assert reports[engine]["summary"]["warnings"] > 0, engine
    assert reports["sparql"] == reports["pyshacl"]
    text = CliRunner().invoke(cli, ["validate", "--no-cache", "--shapes", str(shapes), str(published)]).output
    assert "warning: dct:publisher 'agency:world-bank'" in text
    assert "hint: in detail: skos:inScheme (missing)" in text
    assert "violation:" not in text


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_details_about_an_agency_described_elsewhere_do_not_fail_its_file(engine: str, tmp_path: Path) -> None:
    """The same shapes on a contribution and agencies.ttl: the details (agency:afrobarometer has
    no skos:inScheme) were reported as violations of agencies.ttl, or of the survey's file, where
    their parent is a warning."""
    shapes = shapes_folder(tmp_path / "mdr", {"mdr-vocabularies.shape.ttl": DATA / "dcat-ap-3" /
                                               "mdr-vocabularies.shape.ttl"})
    records = [REPO / "records" / "afrobarometer-r7.ttl", REPO / "records" / "agencies.ttl"]
    report = migrmeta.validate(records, cache=False, engine=engine, shapes_dir=shapes)
    assert [f.severity.value for f in report.findings if f.severity.value != "warning"] == []
    assert any(f.path == "dct:publisher" and f.value == "agency:afrobarometer" for f in report.findings)


def test_pyshacls_words_for_several_node_shapes_do_not_change_from_run_to_run(tmp_path: Path) -> None:
    """"every Shape in (A, B)": pySHACL names a shape's sh:node values in the order the shapes graph
    gives them, which was the hash seed's."""
    shapes = shapes_folder(tmp_path / "mdr", {"mdr-vocabularies.shape.ttl": DATA / "dcat-ap-3" /
                                               "mdr-vocabularies.shape.ttl"})
    record = REPO / "records" / "afrobarometer-r7.ttl"
    said = set()
    for seed in ("1", "2", "3", "4"):
        run = subprocess.run([sys.executable, "-m", "migrmeta", "validate", "--no-cache", "--engine", "pyshacl",
                              "--shapes", str(shapes), str(record)], capture_output=True, text=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        said.add(next(line for line in run.stdout.splitlines() if "every Shape in" in line))
    assert len(said) == 1, said


def test_the_pyshacl_engine_judges_a_survey_without_the_agencies_file_it_names(tmp_path: Path) -> None:
    """Its batches kept apart only records describing the same subject: agencies.ttl and a survey
    naming its agencies met in one data graph, and user shapes that look into the agencies found
    more there than the sparql engine, which judges each record with the reference data only."""
    shapes = shapes_folder(tmp_path / "mdr", {"mdr-vocabularies.shape.ttl": DATA / "dcat-ap-3" /
                                               "mdr-vocabularies.shape.ttl"})
    records = [REPO / "records" / "afrobarometer-r7.ttl", REPO / "records" / "agencies.ttl"]
    found = {engine: migrmeta.validate(records, cache=False, engine=engine, shapes_dir=shapes).findings
             for engine in ("sparql", "pyshacl")}
    assert found["sparql"] == found["pyshacl"]
    assert len(found["sparql"]) == 1


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_start_date_that_is_no_date_is_said_as_the_forms_say_it(engine: str, lang: str, tmp_path: Path) -> None:
    """`dcat:startDate "2019-13"^^xsd:gYearMonth` was hinted "in detail: dcat:startDate '2019-13'
    (not an allowed value)": the value is no date (there is no month 13), and a form says so."""
    record = tmp_path / "sn.ttl"
    text = (REPO / "records" / "sn-cres-mig-2019.ttl").read_text(encoding="utf-8")
    record.write_text(text.replace('dcat:startDate "2019"^^xsd:gYear', 'dcat:startDate "2019-13"^^xsd:gYearMonth'),
                      encoding="utf-8")
    report = migrmeta.validate([record, REPO / "records" / "agencies.ttl"], cache=False, engine=engine, lang=lang)
    [finding] = [f for f in report.findings if f.severity.value == "violation"]
    assert finding.item == 4
    expected = {"en": 'dcat:startDate: "2019-13" is not a date: there is no month 13',
                "fr": "dcat:startDate: « 2019-13 » n’est pas une date : il n’y a pas de mois 13"}[lang]
    assert (finding.hint or "").startswith(expected), finding.hint


def test_a_sites_dataset_is_checked_with_a_users_shapes_as_it_is_published(published: Path, tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """The harvester review: `validate --shapes <DCAT-AP 3> site/catalog.trig` read the records'
    view (the contributed wording the DCAT-AP profile replaced: dct:source to a page, not a
    dataset) and gave 781 violations where catalog.ttl gave none. With a user's shapes a site's
    dataset is read as published, the same statements as its catalog.ttl; with the project's
    shapes it is still read as merged (the records' view, which those shapes are written for)."""
    from migrmeta.merging.dataset import records_as_merged

    shapes = shapes_folder(tmp_path / "dcat-ap-3", {name: DATA / "dcat-ap-3" / name for name in DCAT_AP_MANDATORY})
    said = {}
    for path in (published.with_name("catalog.trig"), published):
        code, out, _ = run(capsys, "validate", "--no-cache", "--shapes", str(shapes), "--format", "json", str(path))
        findings = [f for record in json.loads(out)["records"] for f in record["findings"]]
        said[path.suffix] = (code, sorted((f["focus"], f["path"], f["value"], f["message"]) for f in findings))
    assert said[".trig"] == said[".ttl"] and said[".trig"][0] == 0
    trig = [published.with_name("catalog.trig")]
    as_merged, as_published = records_as_merged(trig)[1][0], records_as_merged(trig, published=True)[1][0]
    assert not isinstance(as_merged, Exception) and not isinstance(as_published, Exception)
    source = b"<http://purl.org/dc/terms/source> <https://www.bamf.de/"
    assert source in as_merged[1] and source not in as_published[1]  # the profile made it a foaf:page


def test_a_copy_of_migrmetas_shapes_reads_a_site_as_merged_as_without_shapes(published: Path, tmp_path: Path,
                                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """`--shapes` with migrmeta's own shapes (a copy of shapes/, renamed or of another version:
    a review's find) is no user's profile: the site's dataset is read as merged, the records'
    view those shapes are written for, and the report is the one without `--shapes`. A folder
    mixing them with a profile's shapes reads it as published, and says so."""
    from migrmeta.load.reference import ShapesOwner, shapes_owner

    copy = tmp_path / "copy"
    copy.mkdir()
    for path in sorted((REPO / "shapes").glob("*.ttl")):  # other names, another version (a comment added)
        (copy / f"mm-{path.name}").write_text(path.read_text(encoding="utf-8") + "\n# pinned\n", encoding="utf-8")
    trig = str(published.with_name("catalog.trig"))
    plain = run(capsys, "validate", "--no-cache", "--format", "json", trig)
    copied = run(capsys, "validate", "--no-cache", "--shapes", str(copy), "--format", "json", trig)
    assert copied == plain
    assert shapes_owner(None) is shapes_owner(REPO / "shapes") is shapes_owner(copy) is ShapesOwner.MIGRMETA
    profile = shapes_folder(tmp_path / "dcat-ap-3", {name: DATA / "dcat-ap-3" / name for name in DCAT_AP_MANDATORY})
    assert shapes_owner(profile) is ShapesOwner.USER
    shutil.copy(next(profile.glob("*.ttl")), copy / "profile.ttl")
    assert shapes_owner(copy) is ShapesOwner.MIXED
    code, out, err = run(capsys, "validate", "--no-cache", "--shapes", str(copy), "--format", "json", trig)
    assert "holds migrmeta's shapes (mmsh:) beside others" in err + out, (code, err)
