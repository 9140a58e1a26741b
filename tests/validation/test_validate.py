"""`migrmeta validate` and `migrmeta.validate()`: reports, exit codes, bad input, checks across records, cache."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner, Result
from paths import DATA as DATA_DIR
from paths import TESTS
from rdflib import BNode, Graph, URIRef

import migrmeta
from migrmeta import resources
from migrmeta.cli import cli
from migrmeta.namespaces import SH

DATA = DATA_DIR
COMPLETE = DATA / "shapes" / "sof-complete.ttl"


def invoke(*args: str, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, ["validate", "--no-cache", *args], input=input, catch_exceptions=False)


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """The complete record with a wrong sample type and an unknown country."""
    text = COMPLETE.read_text(encoding="utf-8")
    text = text.replace("mm:sampleType st:probability.stratified,", "mm:sampleType st:random, st:probability.stratified,")
    text = text.replace("dct:spatial country:PHL ;\n    dct:temporal [ a dct:PeriodOfTime ; dcat:startDate \"2019\"",
                        "dct:spatial country:PHI ;\n    dct:temporal [ a dct:PeriodOfTime ; dcat:startDate \"2019\"")
    path = tmp_path / "broken.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def test_api_returns_a_report() -> None:
    report = migrmeta.validate([COMPLETE], cache=False)
    assert report.exit_code() == 0
    assert all(f.severity != "violation" for f in report.findings)


def test_conforming_record_exits_0() -> None:
    result = invoke(str(COMPLETE))
    assert result.exit_code == 0, result.output
    assert "1 record, 1 conforming, 0 violations" in result.output


def test_a_file_of_agencies_is_counted_as_a_record_describing_no_survey(tmp_path: Path) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    shutil.copy(COMPLETE, folder / "survey.ttl")
    (folder / "agencies.ttl").write_text(
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
        "<https://w3id.org/migrmeta/agency/psa> a foaf:Organization ; foaf:name \"Philippine Statistics Authority\"@en .\n",
        encoding="utf-8")
    result = invoke(str(folder))
    assert result.output.splitlines()[-1].startswith("2 records (1 describing no survey), 2 conforming"), result.output
    said = invoke(str(folder), "--lang", "fr")
    assert said.output.splitlines()[-1].startswith("2 fiches (1 ne décrivant aucune enquête), 2 conformes")
    (folder / "agencies.ttl").unlink()
    assert invoke(str(folder)).output.splitlines()[-1].startswith("1 record, 1 conforming")


def test_report_for_people_names_item_field_value_and_hint(broken: Path) -> None:
    result = invoke(str(broken))
    assert result.exit_code == 1
    assert "item 6 (Type of sample) / type of sample: 'random' is not a sample type" in result.output
    assert "use one of: complete-enumeration" in result.output
    assert "item 3 (Countries covered) / countries: 'PHI' is not a known country code" in result.output
    assert "did you mean 'PHL'" in result.output
    assert f"{broken}:" in result.output  # file and line
    assert "\x1b[" not in result.output  # colour only on a terminal


def test_messages_in_french_and_spanish(broken: Path) -> None:
    fr = invoke("--lang", "fr", str(broken))
    assert "question 6 (Type d'échantillon)" in fr.output
    assert "'random' n'est pas un type d'échantillon" in fr.output
    assert "1 fiche, 0 conforme" in fr.output
    es = invoke("--lang", "es", str(broken))
    assert "'random' no es un tipo de muestra" in es.output


def test_strict_turns_warnings_into_failure(tmp_path: Path) -> None:
    text = COMPLETE.read_text(encoding="utf-8").replace("    mm:collectsRemittances true ;", "")
    path = tmp_path / "warn.ttl"
    path.write_text(text, encoding="utf-8")
    assert "item 12" in invoke(str(path)).output
    assert invoke(str(path)).exit_code == 0
    assert invoke("--strict", str(path)).exit_code == 1


def test_usage_error_exits_2() -> None:
    result = CliRunner().invoke(cli, ["validate", "--format", "pdf"])
    assert result.exit_code == 2


def test_syntax_error_names_file_and_line_and_others_are_still_checked(tmp_path: Path, broken: Path) -> None:
    bad = tmp_path / "syntax.ttl"
    bad.write_text('@prefix dct: <http://purl.org/dc/terms/> .\n<https://x/s> dct:title "unterminated .\n',
                   encoding="utf-8")
    result = invoke(str(bad), str(broken))
    assert result.exit_code == 3
    assert f"{bad}:2" in result.output
    assert "Traceback" not in result.output
    assert "'random' is not a sample type" in result.output  # the other file was validated
    assert "1 unreadable" in result.output


@pytest.mark.parametrize(("name", "kind", "command"), [
    ("my-survey.yaml", "a questionnaire form", "migrmeta import form {path} -o records/my-survey.ttl"),
    ("surveys.xlsx", "a spreadsheet of surveys", "migrmeta import sheet {path} -o records/"),
])
def test_a_form_or_sheet_given_to_validate_is_sent_to_its_importer(tmp_path: Path, name: str, kind: str,
                                                                    command: str) -> None:
    """It used to be called an unknown file type, to be renamed .ttl."""
    path = tmp_path / name
    path.write_bytes(b"title: x\n")
    result = invoke(str(path))
    assert result.exit_code == 3
    assert f"error: is {kind}, not an RDF record" in result.output
    assert f"hint: `{command.format(path=path)}` checks it and turns it into records" in result.output


@pytest.mark.parametrize("term", ['mm:checkedOn <<( _:b <http://purl.org/dc/terms/title> "x" )>>, "',
                                  'mm:checkedOn << <https://example.org/s> <https://example.org/p> '
                                  '<https://example.org/o> >>, "',
                                  # annotation and reifier syntaxes: triple terms with no << written
                                  'mm:checkedOn "2026-11-30"^^xsd:date {| dct:source <https://example.org/~s> |}, "',
                                  'mm:checkedOn "2026-11-30"^^xsd:date ~ <https://example.org/r>, "'])
def test_an_rdf_1_2_triple_term_is_refused_on_its_line_and_the_other_records_still_checked(
        tmp_path: Path, broken: Path, term: str) -> None:
    """A triple term went through the reader, then the engine raised on it: a traceback; a
    literal holding "<<" before it is no triple term."""
    text = COMPLETE.read_text(encoding="utf-8").replace('dct:title "', 'dct:title "LSMS << 2005", "', 1)
    record = tmp_path / "triple.ttl"
    record.write_text(text.replace('mm:checkedOn "', term, 1), encoding="utf-8")
    line = next(n for n, written in enumerate(record.read_text(encoding="utf-8").splitlines(), 1)
                if "mm:checkedOn" in written)
    result = invoke(str(record), str(broken))
    assert result.exit_code == 3, result.output
    assert f"{record}:{line}: error: holds an RDF 1.2 triple term (<<( ... )>>), which migrmeta does not read" \
        in result.output
    assert "hint: a record is RDF 1.1" in result.output
    assert "'random' is not a sample type" in result.output and "Traceback" not in result.output


def test_a_path_with_braces_and_a_bar_is_named_whole_in_the_importers_command(tmp_path: Path) -> None:
    """The braces of a path were read as the hint's own `{command|call}` markup: the hint showed
    the markup raw."""
    folder = tmp_path / "in {2024}|b"
    folder.mkdir()
    form = folder / "my-survey.yaml"
    form.write_bytes(b"title: x\n")
    codebook = folder / "study.xml"
    shutil.copy(DATA / "ddi" / "ddi_record_ukds_example.xml", codebook)
    output = invoke(str(form), str(codebook)).output
    assert f"hint: `migrmeta import form '{form}' -o records/my-survey.ttl` checks it" in output
    assert f"hint: import it first: `migrmeta import ddi '{codebook}' -o records/` checks it" in output
    spoken = {f.source: f.to_json()["hint"] for f in migrmeta.validate([form, codebook], cache=False).findings}
    assert spoken[str(form)].startswith(f"migrmeta.import_records('form', [{str(form)!r}], "
                                        "output=Path('records/my-survey.ttl')) checks it")
    assert f"migrmeta.import_records('ddi', [{str(codebook)!r}], output=Path('records/'))" in spoken[str(codebook)]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(50), "binary file"),
        (b"\x00\x01\x02\x03binary\x00", "binary file"),
        ('@prefix dct: <http://purl.org/dc/terms/> .\n<https://x/s> dct:title "Enquête"@fr .\n'.encode("utf-16"),
         "UTF-16"),
        ('@prefix dct: <http://purl.org/dc/terms/> .\n<https://x/s> dct:title "Enquête"@fr .\n'.encode("latin-1"),
         "not UTF-8"),
    ],
)
def test_unreadable_files_get_a_clear_message(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "record.ttl"
    path.write_bytes(content)
    result = invoke(str(path))
    assert result.exit_code == 3
    assert expected in result.output
    assert "Traceback" not in result.output


def test_latin1_error_gives_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "latin.ttl"
    path.write_bytes('@prefix dct: <http://purl.org/dc/terms/> .\n<https://x/s> dct:title "Enquête" .\n'.encode("latin-1"))
    result = invoke(str(path))
    assert f"{path}:2:" in result.output
    assert f"iconv -f LATIN1 -t UTF-8 {path} > {tmp_path / 'latin-utf8.ttl'}" in result.output  # its folder too


def test_directory_without_records(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing here", encoding="utf-8")
    result = invoke(str(tmp_path))
    assert result.exit_code == 3
    assert "no records in this directory" in result.output


def test_missing_path(tmp_path: Path) -> None:
    result = invoke(str(tmp_path / "nope.ttl"))
    assert result.exit_code == 3
    assert "no such file or directory" in result.output


@pytest.mark.parametrize(("fmt", "suffix"), [("json-ld", ".jsonld"), ("nt", ".nt"), ("xml", ".rdf"), ("trig", ".trig")])
def test_other_rdf_formats(tmp_path: Path, fmt: str, suffix: str) -> None:
    graph = Graph().parse(COMPLETE)
    path = tmp_path / f"record{suffix}"
    graph.serialize(path, format=fmt)
    result = invoke(str(path))
    assert result.exit_code == 0, result.output


def test_json_ld_with_the_project_context(tmp_path: Path) -> None:
    example = Path(migrmeta.__file__).parent.parent / "ontology" / "examples" / "context-example.jsonld"
    document = json.loads(example.read_text(encoding="utf-8"))
    document["@context"] = "https://w3id.org/migrmeta/context.jsonld"
    path = tmp_path / "sof.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = invoke(str(path))
    assert result.exit_code == 0, result.output


def test_a_status_not_in_the_list_is_named(tmp_path: Path) -> None:
    """The message names the status given (it said only 'status must be one of ...')."""
    example = Path(migrmeta.__file__).parent.parent / "ontology" / "examples" / "context-example.jsonld"
    document = json.loads(example.read_text(encoding="utf-8"))
    document["@context"] = "https://w3id.org/migrmeta/context.jsonld"
    document["@graph"][0]["status"] = "survey-status:finished"
    path = tmp_path / "sof.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = invoke(str(path))
    assert result.exit_code == 1, result.output
    assert "status: 'finished' is not a survey status: use ongoing, completed or planned" in result.output


def test_remote_json_ld_context_is_refused_not_fetched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("migrmeta tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps({"@context": "https://example.org/context.jsonld", "@id": "https://x/s",
                                "title": "x"}), encoding="utf-8")
    result = invoke(str(path))
    assert result.exit_code == 3
    assert "is remote and is not fetched" in result.output


def test_standard_input() -> None:
    result = invoke("-", input=COMPLETE.read_bytes())
    assert result.exit_code == 0, result.output
    assert "1 record, 1 conforming" in result.output


def test_json_report_schema(broken: Path) -> None:
    result = invoke("--format", "json", str(broken))
    data = json.loads(result.output)
    assert data["schema"] == "https://w3id.org/migrmeta/validation-report/1"
    assert data["conforms"] is False
    assert data["summary"]["violations"] >= 2
    finding = next(f for r in data["records"] for f in r["findings"] if f["value"] == "random")
    assert finding["item"] == 6
    assert finding["severity"] == "violation"
    assert finding["path"] == "mm:sampleType"
    assert finding["focus"] == "https://w3id.org/migrmeta/survey/ph-sof-2019"
    assert set(finding) == {"severity", "source", "line", "focus", "item", "item_name", "field", "path", "value",
                            "message", "hint", "shape", "component", "check"}


def test_turtle_report_is_a_shacl_validation_report(broken: Path) -> None:
    result = invoke("--format", "turtle", str(broken))
    graph = Graph().parse(data=result.output, format="turtle")
    reports = list(graph.subjects(None, SH.ValidationReport))
    assert len(reports) == 1
    assert (reports[0], SH.conforms, None) in graph
    assert len(list(graph.objects(reports[0], SH.result))) >= 2


def test_turtle_report_of_unreadable_inputs_reads_back_in_any_parser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A finding about a whole file had `sh:focusNode <file:my survey.ttl>` (or `<file:<stdin>>`),
    which Oxigraph and rdflib refuse: the report is read exactly when something is wrong."""
    import pyoxigraph as ox

    monkeypatch.chdir(tmp_path)
    Path("my survey.ttl").write_text("not turtle at all\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--no-cache", "--format", "turtle", "my survey.ttl", "-"],
                                input="not turtle either\n")
    assert result.exit_code == 3
    report = result.stdout
    focus = {str(o) for o in Graph().parse(data=report, format="turtle").objects(None, SH.focusNode)}
    assert focus == {"file:my%20survey.ttl", "urn:migrmeta:standard-input"}
    assert len(list(ox.parse(report.encode("utf-8"), format=ox.RdfFormat.TURTLE))) > 0


def test_junit_report(broken: Path) -> None:
    conforming = Path(migrmeta.__file__).parent.parent / "records" / "gb-ips.ttl"
    result = invoke("--format", "junit", str(broken), str(conforming))
    root = ElementTree.fromstring(result.output)
    cases = root.findall(".//testcase")
    assert len(cases) == 3  # with records/agencies.ttl, brought in for the agency checks
    assert len(root.findall(".//failure")) == 1


def test_checks_across_records(tmp_path: Path) -> None:
    text = COMPLETE.read_text(encoding="utf-8")
    (tmp_path / "a.ttl").write_text(text, encoding="utf-8")
    (tmp_path / "b.ttl").write_text(text.replace("dct:creator agency:psa ;", "dct:creator agency:psa-unknown ;"),
                                    encoding="utf-8")
    result = invoke(str(tmp_path))
    assert result.exit_code == 1
    assert "is also described in" in result.output
    assert "identifier 'ph-sof-2019' is also used" not in result.output  # same subject: reported once as duplicate IRI
    assert "agency 'agency:psa-unknown' is referenced but not described" in result.output


def test_identifier_reused_and_host_survey_absent(tmp_path: Path) -> None:
    text = COMPLETE.read_text(encoding="utf-8")
    other = (text.replace("survey:ph-sof-2019", "survey:ph-sof-2019-copy")
                 .replace('dct:title "Survey on Overseas Filipinos 2019"@en', 'dct:title "Another survey"@en'))
    (tmp_path / "a.ttl").write_text(text, encoding="utf-8")
    (tmp_path / "b.ttl").write_text(other, encoding="utf-8")
    result = invoke(str(tmp_path))
    assert "identifier 'ph-sof-2019' is also used by https://w3id.org/migrmeta/survey/ph-sof-2019-copy" in result.output
    lone = text.replace('survey:ph-lfs dct:title "Labor Force Survey"@en ;', "survey:ph-lfs")
    lone = lone.replace('    dct:alternative "LFS" ;\n    dct:description "The Philippines', '    dct:description "The Philippines', 1)
    assert lone != text and '"Labor Force Survey"@en' not in lone  # the edit removed the host survey's title
    (tmp_path / "b.ttl").unlink()
    (tmp_path / "a.ttl").write_text(lone, encoding="utf-8")
    result = invoke(str(tmp_path / "a.ttl"))
    assert "host survey 'survey:ph-lfs' is not in the catalogue" in result.output


def _line(text: str, written: str, after: str = "survey:ph-sof-2019 a ") -> int:
    """The line of the first `written` in the block of the subject `after` begins."""
    start = _line_of_first(text, after)
    return next(n for n, row in enumerate(text.splitlines(), 1) if n >= start and written in row)


def _line_of_first(text: str, written: str) -> int:
    return next(n for n, row in enumerate(text.splitlines(), 1) if written in row)


def test_the_checks_across_records_name_the_line(tmp_path: Path) -> None:
    """An agency referenced but not described, an identifier another survey uses, a host survey
    absent: said with no line, where the record's own findings give file:line (the curator
    review). Each is now at the line that writes it."""
    text = COMPLETE.read_text(encoding="utf-8")
    unknown = text.replace("dct:creator agency:psa ;", "dct:creator agency:psa-unknown ;")
    other = (text.replace("survey:ph-sof-2019", "survey:ph-sof-2019-copy")
             .replace('dct:title "Survey on Overseas Filipinos 2019"@en', 'dct:title "Another survey"@en'))
    (tmp_path / "a.ttl").write_text(unknown, encoding="utf-8")
    (tmp_path / "b.ttl").write_text(other, encoding="utf-8")
    report = migrmeta.validate([tmp_path], cache=False, jobs=1)
    lines = {(Path(f.source).name, f.component): f.line for f in report.findings if f.check == "catalogue"}
    assert lines[("a.ttl", "unknown_agency")] == _line(unknown, "dct:creator agency:psa-unknown")
    assert lines[("b.ttl", "duplicate_identifier")] == _line(other, 'dct:identifier "ph-sof-2019"',
                                                             "survey:ph-sof-2019-copy a ")
    said = invoke(str(tmp_path)).output
    assert f"a.ttl:{_line(unknown, 'agency:psa-unknown')}: violation: item 5" in said, said


def test_cache_revalidates_only_what_changed(tmp_path: Path) -> None:
    records = tmp_path / "records"
    records.mkdir()
    for name in ("a", "b", "c"):
        text = COMPLETE.read_text(encoding="utf-8").replace("ph-sof-2019", f"ph-sof-2019-{name}")
        text = text.replace("Survey on Overseas Filipinos 2019", f"Survey on Overseas Filipinos 2019 {name}")
        (records / f"{name}.ttl").write_text(text.replace("survey:ph-sof ", f"survey:ph-sof-{name} ")
                                             .replace("survey:ph-sof ;", f"survey:ph-sof-{name} ;")
                                             .replace('"ph-sof"', f'"ph-sof-{name}"'), encoding="utf-8")
    cache = tmp_path / "cache"
    first = migrmeta.validate([records], cache_dir=cache)
    assert first.revalidated == 3
    second = migrmeta.validate([records], cache_dir=cache)
    assert second.revalidated == 0
    assert [f.to_json() for f in second.findings] == [f.to_json() for f in first.findings]
    changed = records / "b.ttl"
    changed.write_text(changed.read_text(encoding="utf-8").replace("mm:samplingUnit su:household",
                                                                   "mm:samplingUnit su:tent"), encoding="utf-8")
    third = migrmeta.validate([records], cache_dir=cache)
    assert third.revalidated == 1
    assert any(f.value == "tent" for f in third.findings)
    assert migrmeta.validate([records], cache=False).revalidated == 3


def test_parallel_and_serial_runs_agree(tmp_path: Path) -> None:
    """pySHACL in worker processes gives what it gives in one process."""
    from bench.generate import generate_catalogue

    generate_catalogue(220, tmp_path, seed=3, invalid_share=0.3)
    serial = migrmeta.validate([tmp_path], cache=False, jobs=1, engine="pyshacl")
    parallel = migrmeta.validate([tmp_path], cache=False, jobs=2, engine="pyshacl")
    assert [f.to_json() for f in serial.findings] == [f.to_json() for f in parallel.findings]
    assert serial.count("violation") > 0


def test_bundled_records_conform(root: Path) -> None:
    report = migrmeta.validate([root / "records"], cache=False)
    violations = [f.text() for f in report.findings if f.severity in ("violation", "error")]
    assert violations == []
    assert len(report.records) >= 25


def test_copy_of_records_is_independent_of_cwd(tmp_path: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(root / "records", tmp_path / "records")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "--no-cache", "-q"])
    assert result.exit_code == 0, result.output


def test_blank_node_labels_are_local_to_each_file(tmp_path: Path) -> None:
    """`_:b0` in two files are two nodes, even when the files are validated in one batch."""
    for year in (2001, 2002):
        text = (COMPLETE.read_text(encoding="utf-8").split("# --- the host survey")[0]
                .replace("survey:ph-sof a mm:SurveySeries", f"survey:s{year} a mm:SurveySeries")
                .replace('dct:identifier "ph-sof"', f'dct:identifier "s{year}"')
                .replace('dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "1991"^^xsd:gYear ] ;',
                         "dct:temporal _:b0 ;"))
        assert "dct:temporal _:b0 ;" in text  # the series' time frame is now a labelled blank node
        text += f'\n_:b0 a dct:PeriodOfTime ; dcat:startDate "{year}"^^xsd:gYear .\n'
        (tmp_path / f"r{year}.ttl").write_text(text, encoding="utf-8")
    report = migrmeta.validate([tmp_path], cache=False, jobs=1)  # one batch: one graph for both records
    # were `_:b0` one node, each series would have a time frame with two start dates (at most one: item 4)
    assert [f.text() for f in report.findings if f.item == 4] == []


def test_findings_about_attributions_are_reported_on_the_survey_in_a_stable_order(tmp_path: Path) -> None:
    text = COMPLETE.read_text(encoding="utf-8").replace(
        "prov:qualifiedAttribution [ a prov:Attribution ; prov:agent agency:psa ;",
        "prov:qualifiedAttribution [ a prov:Attribution ; prov:agent agency:nso ; dcat:hadRole role:partner ] ,\n"
        "        [ a prov:Attribution ; prov:agent agency:bsp ; dcat:hadRole role:funder ] ,\n"
        "        [ a prov:Attribution ; prov:agent agency:psa ;")
    path = tmp_path / "record.ttl"
    path.write_text(text, encoding="utf-8")
    outputs = {invoke(str(path)).output for _ in range(3)}
    assert len(outputs) == 1
    output = outputs.pop()
    assert "agency 'agency:bsp' is referenced but not described" in output
    assert output.index("agency:bsp") < output.index("agency:nso")
    report = migrmeta.validate([path], cache=False)
    unknown = [f for f in report.findings if f.component == "unknown_agency"]
    assert {f.focus for f in unknown} == {"https://w3id.org/migrmeta/survey/ph-sof-2019"}


def test_one_survey_per_file(tmp_path: Path) -> None:
    text = COMPLETE.read_text(encoding="utf-8")
    extra = ('\nsurvey:other a mm:Survey ; dct:identifier "other" .\n')
    path = tmp_path / "two.ttl"
    path.write_text(text + extra, encoding="utf-8")
    result = invoke(str(path))
    assert "this file describes several surveys (survey:other, survey:ph-sof-2019)" in result.output
    assert "this file describes several surveys" not in invoke(str(COMPLETE)).output  # a series and its round


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_a_catalogues_dump_may_describe_several_surveys(tmp_path: Path, engine: str) -> None:
    """`migrmeta validate site/catalog.ttl` warned that the catalogue describes several surveys."""
    text = COMPLETE.read_text(encoding="utf-8")
    path = tmp_path / "catalog.ttl"
    path.write_text(text + '\nsurvey:other a mm:Survey ; dct:identifier "other" .\n'
                    "<https://example.org/catalog> a dcat:Catalog ; dcat:dataset survey:ph-sof-2019, survey:other .\n",
                    encoding="utf-8")
    report = migrmeta.validate([path], cache=False, engine=engine)
    assert "several_surveys" not in {f.component for f in report.findings}
    path.write_text(path.read_text(encoding="utf-8").replace("a dcat:Catalog ;", "a dcat:Resource ;"), encoding="utf-8")
    report = migrmeta.validate([path], cache=False, engine=engine)
    assert "several_surveys" in {f.component for f in report.findings}


def test_one_file_checked_alone_knows_the_catalogues_agencies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """issue 14, item 8: the README's `migrmeta validate my-survey.ttl`, with the file away from records/."""
    from paths import RECORDS

    names_iom_and_world_bank = [p for p in sorted(RECORDS.glob("*.ttl"))
                                if "agency:iom" in p.read_text(encoding="utf-8")
                                and "agency:world-bank" in p.read_text(encoding="utf-8") and p.name != "agencies.ttl"]
    source = names_iom_and_world_bank[0] if names_iom_and_world_bank else RECORDS / "al-rms-2013.ttl"
    shutil.copy(source, tmp_path / "my-survey.ttl")
    monkeypatch.chdir(tmp_path)
    result = invoke("my-survey.ttl")
    assert "referenced but not described" not in result.output
    assert result.exit_code == 0, result.output
    assert "agencies.ttl" not in result.output  # known, not reported on
    # --agencies says otherwise: an empty list of agencies
    (tmp_path / "none.ttl").write_text("<https://example.org/a> a <http://xmlns.com/foaf/0.1/Agent> .\n", encoding="utf-8")
    result = invoke("my-survey.ttl", "--agencies", "none.ttl")
    assert result.exit_code == 1
    assert "referenced but not described" in result.output


def test_a_rerun_reads_only_the_files_that_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.generate import generate_catalogue
    from migrmeta.validation import inputs

    paths = generate_catalogue(6, tmp_path / "records", seed=2)
    cache = tmp_path / "cache"
    first = migrmeta.validate([tmp_path / "records"], cache_dir=cache)
    read: list[str] = []
    original = inputs.read_raw

    def counting(name: str, fmt: str | None = None) -> tuple[str, bytes, str]:
        read.append(name)
        return original(name, fmt)

    monkeypatch.setattr(inputs, "read_raw", counting)
    monkeypatch.setattr("migrmeta.validation.memo.RACY_NS", 0)  # the files were written a moment ago
    again = migrmeta.validate([tmp_path / "records"], cache_dir=cache)  # the memo of the first run was racy
    read.clear()
    third = migrmeta.validate([tmp_path / "records"], cache_dir=cache)
    assert read == [] and third.revalidated == 0
    assert [f.to_json() for f in third.findings] == [f.to_json() for f in first.findings] == \
        [f.to_json() for f in again.findings]
    text = paths[2].read_text(encoding="utf-8")
    before = paths[2].stat()
    paths[2].write_text(text.replace("mm:samplingUnit su:", "mm:samplingUnit su:x"), encoding="utf-8")
    os.utime(paths[2], ns=(before.st_atime_ns, before.st_mtime_ns))  # same modification time: still seen
    fourth = migrmeta.validate([tmp_path / "records"], cache_dir=cache)
    assert read == [str(paths[2])] and fourth.revalidated == 1
    assert any(f.source == str(paths[2]) and f.item == 7 for f in fourth.findings)


def test_a_memo_written_in_pieces_is_read_whole_and_one_cut_short_is_ignored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo is written CHUNK entries at a time (a 100,000-record run's memo is never whole in
    memory): every piece is read back; a file cut short (a crash while writing) is no memo."""
    from bench.generate import generate_catalogue
    from migrmeta.validation import inputs

    generate_catalogue(7, tmp_path / "records", seed=3)
    cache = tmp_path / "cache"
    monkeypatch.setattr("migrmeta.validation.memo.CHUNK", 2)  # 8 inputs (agencies.ttl too): 4 pieces
    monkeypatch.setattr("migrmeta.validation.memo.RACY_NS", 0)
    first = migrmeta.validate([tmp_path / "records"], cache_dir=cache)
    read: list[str] = []
    original = inputs.read_raw
    monkeypatch.setattr(inputs, "read_raw", lambda name, fmt=None: read.append(name) or original(name, fmt))
    again = migrmeta.validate([tmp_path / "records"], cache_dir=cache)
    assert read == [] and again.revalidated == 0
    assert [f.to_json() for f in again.findings] == [f.to_json() for f in first.findings]
    [memo] = (cache / "runs").glob("*.memo")
    memo.write_bytes(memo.read_bytes()[:-1])  # the end marker lost
    cut = migrmeta.validate([tmp_path / "records"], cache_dir=cache)
    assert len(read) == len(first.records) and cut.revalidated == 0  # every file read again (cache hits)
    assert [f.to_json() for f in cut.findings] == [f.to_json() for f in first.findings]


def test_an_unreadable_memo_is_ignored(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = migrmeta.validate([COMPLETE], cache_dir=cache)
    for memo in (cache / "runs").glob("*.memo"):
        memo.write_bytes(b"\x00garbage")
    again = migrmeta.validate([COMPLETE], cache_dir=cache)
    assert [f.to_json() for f in again.findings] == [f.to_json() for f in first.findings]
    assert not (tmp_path / "none" / "runs").exists()
    migrmeta.validate([COMPLETE], cache=False, cache_dir=tmp_path / "none")
    assert not (tmp_path / "none" / "runs").exists()


def test_the_cycle_collector_resumes_as_it_was_with_the_run_in_its_oldest_generation() -> None:
    """A run pauses Python's cycle collector; afterwards it is on again (or still off), the run's
    objects wait in the oldest generation instead of being walked at once, and objects the
    program froze itself stay frozen."""
    import gc

    assert gc.isenabled()
    migrmeta.validate([COMPLETE], cache=False)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert gc.get_count()[0] < 700  # the youngest generation starts afresh (its threshold: 700)
    gc.disable()
    try:
        migrmeta.validate([COMPLETE], cache=False)
        assert not gc.isenabled()
    finally:
        gc.enable()
    kept = [object() for _ in range(3)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        migrmeta.validate([COMPLETE], cache=False)
        # still frozen: the count drops only by the frozen objects the run let go of
        assert frozen - 1000 < gc.get_freeze_count() <= frozen and gc.isenabled()
    finally:
        gc.unfreeze()
    assert kept


def test_quiet_and_strict_still_show_the_warnings_that_fail_the_run() -> None:
    """`validate -q --strict` exited 1 showing only '0 violations, 2 warnings': -q hid what failed it."""
    from paths import RECORDS

    result = invoke("-q", "--strict", "--no-cache", str(RECORDS / "gb-ips.ttl"))
    assert result.exit_code == 1, result.output
    assert "warning:" in result.output
    assert "warning:" not in invoke("-q", "--no-cache", str(RECORDS / "gb-ips.ttl")).output


AGENCY_PREFIXES = """@prefix agency: <https://w3id.org/migrmeta/agency/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix mm: <https://w3id.org/migrmeta/ns#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix country: <http://publications.europa.eu/resource/authority/country/> .
@prefix at: <https://w3id.org/migrmeta/vocab/agency-type/> .
"""


def _agency(ident: str, name: str, country: str, acronym: str | None = None, homepage: str | None = None) -> str:
    return (f"agency:{ident} a foaf:Agent, foaf:Organization, mm:Agency ; foaf:name \"{name}\"@en ;"
            + (f' skos:altLabel "{acronym}" ;' if acronym else "")
            + (f" foaf:homepage <{homepage}> ;" if homepage else "")
            + f" dct:type at:national-statistical-office ; mm:basedIn country:{country} .\n")


def _two_folders(tmp_path: Path, one: str, other: str) -> tuple[Path, Path]:
    (tmp_path / "psa").mkdir()
    (tmp_path / "un").mkdir()
    first, second = tmp_path / "psa" / "agencies.ttl", tmp_path / "un" / "agencies.ttl"
    first.write_text(AGENCY_PREFIXES + one, encoding="utf-8")
    second.write_text(AGENCY_PREFIXES + other, encoding="utf-8")
    return first, second


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_one_agency_under_two_ids_is_a_warning_on_each_naming_the_other_and_its_file(tmp_path: Path,
                                                                                      engine: str) -> None:
    """The same agency described as agency:psa by one contributor and agency:philippine-statistics-authority
    by another got through validate, merge and publish: a survey then listed its conductor twice."""
    psa = _agency("psa", "Philippine Statistics Authority", "PHL", "PSA", "https://psa.gov.ph/")
    first, second = _two_folders(tmp_path, psa, psa.replace("agency:psa ", "agency:philippine-statistics-authority "))
    report = migrmeta.validate([first, second], cache_dir=tmp_path / "cache", engine=engine)
    alike = [f for f in report.findings if f.component == "duplicate_agency"]
    assert [(f.source, f.focus, f.severity, f.item) for f in alike] == [
        (str(first), "https://w3id.org/migrmeta/agency/psa", "warning", 5),
        (str(second), "https://w3id.org/migrmeta/agency/philippine-statistics-authority", "warning", 5)]
    assert alike[0].message.startswith("agency 'agency:psa' looks like philippine-statistics-authority "
                                       f"(Philippine Statistics Authority, Philippines), described in {second}")
    assert alike[1].message.startswith("agency 'agency:philippine-statistics-authority' looks like psa ")
    assert "use one id for it in every record" in alike[0].message
    again = migrmeta.validate([first, second], cache_dir=tmp_path / "cache", engine=engine)  # from the cache
    assert again.revalidated == 0
    assert [f.to_json() for f in again.findings] == [f.to_json() for f in report.findings]
    french = migrmeta.validate([first, second], cache=False, engine=engine, lang="fr")
    assert any("ressemble à" in f.message for f in french.findings if f.component == "duplicate_agency")
    # by the acronym in one country, or by the web site, alone
    for other in (_agency("psa-2", "Statistics Authority of the Philippines", "PHL", "PSA"),
                  _agency("psa-2", "Pangasiwaan ng Estadistika", "PHL", None, "https://www.psa.gov.ph"),
                  _agency("psa-2", "Philippine Statistic Authority", "PHL")):
        second.write_text(AGENCY_PREFIXES + other, encoding="utf-8")
        report = migrmeta.validate([first, second], cache=False, engine=engine)
        assert len([f for f in report.findings if f.component == "duplicate_agency"]) == 2, other


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_agencies_alike_but_two_or_linked_by_same_as_are_not_said(tmp_path: Path, engine: str) -> None:
    psa = _agency("psa", "Philippine Statistics Authority", "PHL", "PSA", "https://psa.gov.ph/")
    other = psa.replace("agency:psa ", "agency:philippine-statistics-authority ")
    first, second = _two_folders(tmp_path, psa, other + "agency:philippine-statistics-authority owl:sameAs agency:psa .\n")
    report = migrmeta.validate([first, second], cache=False, engine=engine)
    assert "duplicate_agency" not in {f.component for f in report.findings}  # one agency, said so
    two = [
        (_agency("essex", "University of Essex", "GBR"), _agency("sussex", "University of Sussex", "GBR")),
        (_agency("ine-es", "Instituto Nacional de Estadística", "ESP", "INE"),
         _agency("ine-pt", "Instituto Nacional de Estatística", "PRT", "INE")),  # another country
        (_agency("conapo", "National Population Council", "MEX", "CONAPO", "https://www.gob.mx/conapo"),
         _agency("stps", "Ministry of Labour and Social Welfare (Mexico)", "MEX", "STPS", "https://www.gob.mx/stps")),
        (_agency("unep", "United Nations Environment Programme", "KEN", "UNEP"),
         _agency("uneb", "Uganda National Examinations Board", "KEN", "UNEB")),  # four letters, one apart
        (_agency("syn-12", "Synthetic statistical office 12", "PHL"), _agency("syn-13", "Synthetic statistical office 13", "PHL")),
        (_agency("diw-berlin", "German Institute for Economic Research", "DEU", "DIW"),
         _agency("diw-soep", "Socio-Economic Panel", "DEU", "DIW Berlin")),  # a name that is the other's id
    ]
    for one, another in two:
        first.write_text(AGENCY_PREFIXES + one, encoding="utf-8")
        second.write_text(AGENCY_PREFIXES + another, encoding="utf-8")
        report = migrmeta.validate([first, second], cache=False, engine=engine)
        assert "duplicate_agency" not in {f.component for f in report.findings}, (one, another)


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_agencies_a_curator_says_are_two_are_not_said_alike(tmp_path: Path, engine: str) -> None:
    """Two real agencies may look alike (one acronym in one country): `a owl:differentFrom b`,
    said in either file, silences the warning on both, through the cache too; a third look-alike
    is still said."""
    psa = _agency("psa", "Philippine Statistics Authority", "PHL", "PSA", "https://psa.gov.ph/")
    other = _agency("psa-2", "Philippine Sports Association", "PHL", "PSA")
    first, second = _two_folders(tmp_path, psa, other)
    said = migrmeta.validate([first, second], cache=False, engine=engine)
    assert len([f for f in said.findings if f.component == "duplicate_agency"]) == 2
    assert "if they are two, say so with owl:differentFrom" in said.findings[0].message
    for stated in (first, second):
        _two_folders(tmp_path / stated.parent.name, psa, other)  # fresh copies, the statement in one
        one, another = tmp_path / stated.parent.name / "psa" / "agencies.ttl", tmp_path / stated.parent.name / "un" / "agencies.ttl"
        target = one if stated == first else another
        subject, value = ("psa", "psa-2") if stated == first else ("psa-2", "psa")
        target.write_text(target.read_text(encoding="utf-8") + f"agency:{subject} owl:differentFrom agency:{value} .\n",
                          encoding="utf-8")
        for _ in range(2):  # then from the cache
            report = migrmeta.validate([one, another], cache_dir=tmp_path / "cache", engine=engine)
            assert "duplicate_agency" not in {f.component for f in report.findings}, report.findings
            assert report.conforms
    third = _agency("psa-3", "Philippine Statistics Authority", "PHL")
    one.write_text(one.read_text(encoding="utf-8") + third, encoding="utf-8")
    report = migrmeta.validate([one, another], cache=False, engine=engine)
    assert {f.focus.rsplit("/", 1)[-1] for f in report.findings if f.component == "duplicate_agency"} == {"psa", "psa-3"}


def test_an_agency_a_record_describes_is_compared_with_the_known_ones(tmp_path: Path, root: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled agencies (no agencies.ttl among the inputs) are compared, not reported on; the
    bundled records' own agencies are all told apart."""
    path = tmp_path / "mine.ttl"
    path.write_text(AGENCY_PREFIXES + _agency("philippine-statistics-authority", "Philippine Statistics Authority",
                                              "PHL"), encoding="utf-8")
    monkeypatch.chdir(root)
    found = [f for f in migrmeta.validate([path], cache=False).findings if f.component == "duplicate_agency"]
    assert [(f.source, f.message.split(" (")[0]) for f in found] == [
        (str(path), "agency 'agency:philippine-statistics-authority' looks like psa")]
    bundled = migrmeta.validate([root / "records"], cache=False)
    assert [f.text() for f in bundled.findings if f.component == "duplicate_agency"] == []


def test_the_known_agencies_are_read_from_the_cache_while_their_file_is_unchanged(tmp_path: Path) -> None:
    """What --agencies says is kept in the cache folder, keyed by its bytes: a changed file is
    read again, and a damaged cache entry is read past."""
    known, record = tmp_path / "known.ttl", tmp_path / "mine.ttl"
    known.write_text(AGENCY_PREFIXES + _agency("x-office", "Office of X", "PHL"), encoding="utf-8")
    record.write_text(AGENCY_PREFIXES + "<https://example.org/s> dct:publisher agency:x-office .\n",
                      encoding="utf-8")
    cache = tmp_path / "cache"

    def unknown() -> list[str]:
        report = migrmeta.validate([record], cache=False, cache_dir=cache, agencies=known)
        return [f.value or "" for f in report.findings if f.component == "unknown_agency"]

    assert unknown() == []
    stored = list((cache / "agencies").glob("*.json"))
    assert len(stored) == 1
    assert unknown() == []  # from the stored summary
    known.write_text(AGENCY_PREFIXES + _agency("y-office", "Office of Y", "PHL"), encoding="utf-8")
    assert unknown() == ["agency:x-office"]
    for entry in (cache / "agencies").glob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    assert unknown() == ["agency:x-office"]
    known.write_text(AGENCY_PREFIXES + _agency("x-office", "Office of X", "PHL"), encoding="utf-8")
    assert unknown() == []


def test_known_agencies_are_compared_with_those_the_inputs_describe_not_with_each_other() -> None:
    from migrmeta.validation.across import alike_agencies

    base = "https://w3id.org/migrmeta/agency/"
    details = {f"{base}{ident}": [("name", name, "en"), ("country", "http://publications.europa.eu/resource/authority/country/PHL", "")]
               for ident, name in (("psa", "Philippine Statistics Authority"), ("psa-2", "Philippine Statistics Authority"),
                                   ("nso", "Bureau of Migration Research"))}
    agencies = list(details)
    assert {a.rsplit("/", 1)[-1] for a, _, _ in alike_agencies(agencies, details)} == {"psa", "psa-2"}
    assert alike_agencies(agencies, details, reported=[f"{base}nso"]) == []
    assert [a.rsplit("/", 1)[-1] for a, _, _ in alike_agencies(agencies, details, reported=[f"{base}psa-2"])] == ["psa-2"]
    assert alike_agencies(agencies, details, reported=[]) == []


def test_one_mistake_is_said_once_with_the_value_as_written_and_no_warning_of_rdflib(tmp_path: Path) -> None:
    """"12,500"^^xsd:integer breaks sh:datatype and sh:minInclusive of one shape with one message:
    it was said and counted twice; "yes"^^xsd:boolean was reported as "false" (rdflib's reading),
    after a UserWarning naming rdflib's own file."""
    import subprocess
    import sys

    text = (Path(migrmeta.__file__).parent.parent / "records" / "ph-sof.ttl").read_text(encoding="utf-8")
    text = text.replace('mm:sampleFrame "The sample', 'mm:sampleSize "12,500"^^xsd:integer ;\n    mm:sampleFrame "The sample')
    text = text.replace("mm:collectsRemittances true ;", 'mm:collectsRemittances "yes"^^xsd:boolean ;')
    path = tmp_path / "ph-sof.ttl"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "migrmeta", "validate", "--no-cache", "--format", "json", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "Warning" not in done.stderr and "rdflib" not in done.stderr, done.stderr
    found = [(f["path"], f["value"]) for r in json.loads(done.stdout)["records"] for f in r["findings"]]
    assert sorted(found) == [("mm:collectsRemittances", "yes"), ("mm:sampleSize", "12,500")]


def test_the_iconv_hint_for_standard_input_is_a_pipe() -> None:
    data = '@prefix dct: <http://purl.org/dc/terms/> .\n<https://x/s> dct:title "Enquête" .\n'.encode("latin-1")
    result = CliRunner().invoke(cli, ["validate", "--no-cache", "-"], input=data)
    assert result.exit_code == 3
    assert "| iconv -f LATIN1 -t UTF-8 | migrmeta ... -" in result.output and "<stdin>-utf8" not in result.output


def test_a_json_ld_records_findings_name_the_line(tmp_path: Path) -> None:
    """JSON-LD writes terms ("startDate") and compact ids ("survey:mafe"), not the IRIs a
    Turtle record is searched for: each finding still names its line (load/jsonld_lines.py).
    A contributor's record: migrmeta's context named by IRI, the time frame a nested node with
    no id, its start date's key misspelt; a date written wrong; a value missing."""
    text = (TESTS / "snapshots" / "mafe.jsonld").read_text(encoding="utf-8")
    frame = text[text.index('"timeFrame": {'):]
    frame = frame[:frame.index("\n      },") + 9]
    nested = frame.replace(frame[frame.index('"id"'):frame.index('"type"')], "")  # no id: a blank node
    text = text.replace(frame, nested.replace('"startDate"', '"startDat"'))
    text = text.replace('"modified": "2026-11-30"', '"modified": "30/11/2026"')
    record = tmp_path / "mafe.jsonld"
    record.write_text(text, encoding="utf-8")
    report = migrmeta.validate([record], cache=False, jobs=1)
    found = {(f.item, f.path.rsplit(":", 1)[-1] if f.path else None): f.line for f in report.findings}
    assert found[(4, "temporal")] == _line_of_first(text, '"timeFrame": {')
    assert found[(None, "modified")] == _line_of_first(text, '"modified": "30/11/2026"'), found
    said = invoke(str(record)).output
    misspelt = _line_of_first(text, '"startDat"')
    assert f'mafe.jsonld:{misspelt}: warning: the key "startDat"' in said, said
    assert all(f.line is not None for f in report.findings), [(f.message, f.line) for f in report.findings]


def test_an_ill_typed_value_is_a_finding_not_rdflibs_logged_traceback(tmp_path: Path,
                                                                       caplog: pytest.LogCaptureFixture,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """`migrmeta.validate()` in a notebook: a date written "30/11/2026"^^xsd:date is a finding;
    rdflib logged a traceback for it too (the command line silences rdflib's logger, the library
    had not), as the value of the finding was converted."""
    import logging

    logger = logging.getLogger("rdflib.term")  # as a program that never ran the command line has it
    monkeypatch.setattr(logger, "propagate", True)
    monkeypatch.setattr(logger, "handlers", [])
    record = tmp_path / "sof.ttl"
    text = COMPLETE.read_text(encoding="utf-8")
    written = next(line for line in text.splitlines() if "dct:modified" in line)
    record.write_text(text.replace(written, '    dct:modified "30/11/2026"^^xsd:date ;'), encoding="utf-8")
    with caplog.at_level(logging.DEBUG, logger="rdflib"):
        report = migrmeta.validate([record], cache=False, jobs=1)
    assert any(f.path == "dct:modified" and f.value == "30/11/2026" for f in report.findings), report.findings
    assert [r.getMessage() for r in caplog.records if r.name.startswith("rdflib")] == []


def test_a_json_ld_records_lines_do_not_depend_on_the_working_directory(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The review: a record naming a context file beside it ("@context": "ctx.jsonld") had its
    lines found only when run from its own folder (the context was looked for in the working
    directory). Its context is found beside the record, as the reader finds it."""
    text = (TESTS / "snapshots" / "mafe.jsonld").read_text(encoding="utf-8")
    folder = tmp_path / "records"
    folder.mkdir()
    shutil.copy(resources.context_file(), folder / "ctx.jsonld")
    record = folder / "mafe.jsonld"
    record.write_text(text.replace('"https://w3id.org/migrmeta/context.jsonld"', '"ctx.jsonld"', 1)
                      .replace('"modified": "2026-11-30"', '"modified": "30/11/2026"', 1), encoding="utf-8")
    lines = []
    for cwd in (tmp_path, folder):
        monkeypatch.chdir(cwd)
        report = migrmeta.validate([record], cache=False, jobs=1)
        lines.append([(f.path, f.line) for f in report.findings])
    assert lines[0] == lines[1]
    assert ("dct:modified", _line_of_first(record.read_text(encoding="utf-8"), '"modified": "30/11/2026"')) in lines[0]


def test_a_json_ld_node_without_id_is_found_by_its_key_only_when_written_once() -> None:
    """load/jsonld_lines.py: a finding on a node written without an id (a nested time frame)
    names the line of its key when that key is written once in the document, and no line when
    the finding is about a value missing there or the key is written in several places; the
    context's own lines never count."""
    from migrmeta.load.record import LineIndex

    text = ('{\n  "@context": {"dct": "http://purl.org/dc/terms/", "dcat": "http://www.w3.org/ns/dcat#",\n'
            '    "startDate": "dcat:startDate", "title": "dct:title"},\n'
            '  "@id": "https://w3id.org/migrmeta/survey/x",\n'
            '  "title": "A survey",\n'
            '  "dct:temporal": {\n    "startDate": "20x8"\n  },\n'
            '  "dct:spatial": [{"title": "a"}, {"title": "b"}]\n}\n')
    index = LineIndex(text.encode("utf-8"))
    start = "http://www.w3.org/ns/dcat#startDate"
    title = "http://purl.org/dc/terms/title"
    assert index.line_of(BNode(), start, "20x8") == 7
    assert index.line_of(BNode(), start, None, written=False) is None
    assert index.line_of(BNode(), title, "a") is None  # the key is written on lines 5 and 9
    assert index.line_of(URIRef("https://w3id.org/migrmeta/survey/x"), title, "A survey") == 5
