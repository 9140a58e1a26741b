"""Questionnaire forms: record -> form -> record is lossless; answers in plain words work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from paths import DATA as DATA_DIR
from paths import REPO
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from migrmeta import namespaces as ns
from migrmeta.cli import cli, main
from migrmeta.errors import InputError
from migrmeta.formats.forms import form as forms
from migrmeta.formats.forms.answers import Catalogue, Vocabulary, load_catalogue
from migrmeta.formats.forms.decode import Decoder
from migrmeta.formats.forms.text import form_yaml
from migrmeta.load import read_input
from migrmeta.load.reference import load_reference
from migrmeta.values.agencies import Agencies

ROOT = REPO
RECORDS = sorted((ROOT / "records").glob("*.ttl"))
DATA = DATA_DIR / "forms"


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary(load_reference())


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(ROOT / "records")


def _explain(a: Graph, b: Graph) -> str:
    _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
    return f"only in the record: {sorted(only_a)[:5]}\nonly after the round trip: {sorted(only_b)[:5]}"


def test_there_are_records_to_round_trip() -> None:
    assert RECORDS, "records/ holds no Turtle record"


@pytest.mark.parametrize("path", RECORDS, ids=[p.name for p in RECORDS])
def test_record_form_record_is_lossless(path: Path, reference, vocab) -> None:  # type: ignore[no-untyped-def]
    graph = read_input(str(path)).graph
    form = forms.graph_to_form(graph, vocab, str(path))
    for text, name in ((forms.form_yaml(form, reference), "f.yaml"), (forms.form_json(form), "f.json")):
        back = forms.read_form(text.encode("utf-8"), name)
        built = forms.form_to_graph(back, vocab)
        assert not [p for p in built.problems if p.severity == "violation"], built.problems
        assert isomorphic(graph, built.graph), _explain(graph, built.graph)


def test_fixture_form_holds_series_rounds_agencies_and_parameters(reference, vocab) -> None:  # type: ignore[no-untyped-def]
    """Series + rounds, an agency of the form named by its name, multilingual titles, labels in
    French, ISO alpha-2 codes, identification parameters, a generic literal and `other`."""
    form = forms.read_form((DATA / "ph-sof-series.yaml").read_bytes(), "ph-sof-series.yaml")
    built = forms.form_to_graph(form, vocab)
    assert built.problems == []
    g = built.graph
    series, r2019, r2018 = ns.SURVEY["ph-sof-test"], ns.SURVEY["ph-sof-test-2019"], ns.SURVEY["ph-sof-test-2018"]
    assert {(series, ns.RDF.type, ns.MM.SurveySeries), (r2019, ns.RDF.type, ns.MM.Survey),
            (r2019, ns.DCAT.inSeries, series), (r2019, ns.DCT.creator, ns.AGENCY["psa-test"]),
            (r2019, ns.DCT.spatial, ns.COUNTRY.PHL), (series, ns.MM.status, ns.scheme("survey-status").ongoing),
            (r2019, ns.MM.samplingUnit, ns.scheme("sampling-unit").household),
            (r2019, ns.MM.collectsRemittanceUse, Literal(False)),
            (r2018, ns.DCT.identifier, Literal("ph-sof-test-2018")),
            (ns.AGENCY["psa-test"], ns.RDF.type, ns.FOAF.Agent)} <= set(g)
    assert Literal("Enquête sur les Philippins à l'étranger", lang="fr") in set(g.objects(series, ns.DCT.title))
    method = g.value(r2019, ns.MM.identification)
    assert g.value(method, ns.MM.minAge) == Literal(15)
    assert g.value(method, ns.MM.framework) == ns.scheme("migration-framework").national
    assert g.value(r2018, ns.MM.sampleSize) == Literal("40000", datatype=ns.XSD.positiveInteger)
    assert (r2018, ns.DCT.conformsTo, URIRef("https://example.org/profile")) in g
    again = forms.form_to_graph(forms.read_form(
        forms.form_yaml(forms.graph_to_form(g, vocab), reference).encode(), "x.yaml"), vocab)
    assert isomorphic(g, again.graph), _explain(g, again.graph)


def test_form_headings_come_from_the_ontology(reference, vocab) -> None:  # type: ignore[no-untyped-def]
    text = forms.form_yaml(forms.graph_to_form(read_input(str(ROOT / "records" / "mmp.ttl")).graph, vocab),
                           reference)
    for item in reference.graph.subjects(ns.RDF.type, ns.MM.QuestionnaireItem):
        number = int(str(reference.graph.value(item, ns.SKOS.notation)))
        question = next(str(q) for q in reference.graph.objects(item, ns.SKOS.definition) if q.language == "en")
        name = reference.item_names()[number]["en"]
        heading = text.index(f"# {number}. {name}\n")
        block = []
        for line in text[heading:].splitlines()[1:]:
            if not line.startswith("#    "):
                break
            block.append(line.removeprefix("#").strip())
        assert " ".join(block) == question
    assert text.index("# 6. ") < text.index("sample_type:") < text.index("# 7. ")


def test_wrong_answers_are_named_by_key_with_a_suggestion(reference, vocab, catalogue) -> None:  # type: ignore[no-untyped-def]
    form = forms.graph_to_form(read_input(str(ROOT / "records" / "mmp.ttl")).graph, vocab)
    form.update(id="mmp-copy", sample_type=["random sampl", "Snowball"], countries=["Mexiko", "Atlantis"],
                remittances="perhaps", sample_typo="x")
    result = forms.import_form(form, reference, catalogue=catalogue)
    items = forms.item_texts(reference)
    said = {forms.where(p, result.builder, items): p.message for p in result.problems}
    assert not result.ok
    assert 'did you mean "Random sample"' in said['key "sample_type" (item 6, Type of sample)']
    assert '"Atlantis" is not a country' in said['key "countries" (item 3, Countries covered)']
    assert 'did you mean "sample_type"' in said['key "sample_typo"']
    assert "yes or no" in said['key "remittances" (item 12, Remittances)']


def test_rules_of_the_shapes_come_back_as_form_keys(reference, vocab, catalogue) -> None:  # type: ignore[no-untyped-def]
    form = forms.graph_to_form(read_input(str(ROOT / "records" / "mmp.ttl")).graph, vocab)
    form["id"] = "mmp-module"
    form["survey_design"] = ["module"]  # a module needs its host survey (item 8)
    result = forms.import_form(form, reference, catalogue=catalogue)
    keys = {(p.key, p.item) for p in result.problems if p.severity == "violation"}
    assert ("host_survey", 8) in keys or ("survey_design", 8) in keys
    assert all("sh:" not in p.message for p in result.problems)


def test_yaml_words_stay_words(vocab) -> None:  # type: ignore[no-untyped-def]
    """`NO` is Norway and `no` is no (YAML 1.1 would read both as false); dates stay text."""
    form = forms.read_form(b"id: x\ncountries: [NO, fr]\nremittances: no\nmodified: 2020-01-31\n", "f.yaml")
    assert form["countries"] == ["NO", "fr"] and form["modified"] == "2020-01-31"
    g = forms.form_to_graph(form, vocab).graph
    assert {ns.COUNTRY.NOR, ns.COUNTRY.FRA} == set(g.objects(ns.SURVEY.x, ns.DCT.spatial))
    assert g.value(ns.SURVEY.x, ns.MM.collectsRemittances) == Literal(False)


def test_a_number_written_with_leading_zeros_is_the_number_written(vocab) -> None:  # type: ignore[no-untyped-def]
    """YAML 1.1 read `012500` as octal: a sample of 12,500 became 5,440, an id `00123` became
    "83", a minimum age of `015` 13, in silence (a reviewer's find)."""
    form = forms.read_form(b"id: x\nsample_size: 012500\nidentifier: 00123\nd: 1:30\ne: 0x1F\nf: 12500\n", "f.yaml")
    assert (form["sample_size"], form["identifier"], form["d"], form["e"], form["f"]) == (
        "012500", "00123", "1:30", "0x1F", 12500)
    g = forms.form_to_graph(form, vocab).graph
    assert g.value(ns.SURVEY.x, ns.MM.sampleSize) == Literal(12500)
    written = form_yaml({"id": "x", "identifier": "00123"}, load_reference())  # read back as written
    assert forms.read_form(written.encode(), "w.yaml")["identifier"] == "00123"


@pytest.mark.parametrize(("text", "line"), [
    (b"id: x\ntitle: [unclosed\ncountries: PHL\n", 3),
    (b"id: x\ncountries: PHL\ncountries: MEX\n", 3),
])
def test_unreadable_forms_name_the_line(text: bytes, line: int) -> None:
    with pytest.raises(InputError) as caught:
        forms.read_form(text, "bad.yaml")
    assert caught.value.location.line == line


def test_cli_export_then_import_round_trip(tmp_path: Path) -> None:
    runner = CliRunner()
    record = ROOT / "records" / "ph-sof.ttl"
    catalogue = ["--catalogue", str(ROOT / "records")]
    for suffix in ("yaml", "json"):
        form_file, out = tmp_path / f"ph.{suffix}", tmp_path / f"ph-{suffix}.ttl"
        done = runner.invoke(cli, ["export", "form", str(record), "-o", str(form_file)])
        assert done.exit_code == 0, done.output
        done = runner.invoke(cli, ["import", "form", str(form_file), "-o", str(out), *catalogue])
        assert done.exit_code == 0, done.output
        assert isomorphic(read_input(str(record)).graph, read_input(str(out)).graph)
    assert json.loads((tmp_path / "ph.json").read_text())["surveys"][0]["id"] == "ph-sof-2019"


def test_import_form_to_a_dash_prints_the_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """`-o -` wrote a file named `-`, then refused to replace it (a reviewer's find); `template`
    and `export form` read `-` as standard output."""
    form_file = tmp_path / "ph.yaml"
    assert CliRunner().invoke(cli, ["export", "form", str(ROOT / "records" / "ph-sof.ttl"), "-o",
                                    str(form_file)]).exit_code == 0
    monkeypatch.chdir(tmp_path)
    code, output = run_main(capsys, "import", "form", str(form_file), "-o", "-", "--catalogue", str(ROOT / "records"))
    assert code == 0, output
    assert not (tmp_path / "-").exists() and "survey:ph-sof-2019" in output


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """The real entry point, with its mapping of errors to exit codes."""
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out + err


def test_cli_import_form_reports_and_writes_nothing(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"id": "x-bad", "title": "A survey", "countries": ["Filipines"]}))
    out = tmp_path / "x.ttl"
    code, output = run_main(capsys, "import", "form", str(bad), "-o", str(out),
                            "--catalogue", str(ROOT / "records"))
    assert code == 1
    assert 'key "countries" (item 3, Countries covered): "Filipines" is not a country code or name; ' \
           'did you mean "Philippines"?' in output
    assert not out.exists()
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\n  title: oops\n")
    code, output = run_main(capsys, "import", "form", str(broken))
    assert code == 3 and f"{broken}:2" in output and "Traceback" not in output


def test_one_survey_with_its_agencies_beside_it_is_named_by_its_keys_alone(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """The documented layout of one survey with the new agencies it names: every message began
    with `surveys[1]`, a section the form does not have (a reviewer's find)."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"id": "x-bad", "title": "A survey", "countries": ["Filipines"],
                                   "agencies": [{"id": "x-office", "name": "X Office", "kind": "government",
                                                 "country": "PHL"}]}))
    code, output = run_main(capsys, "import", "form", str(bad), "-o", str(tmp_path / "x.ttl"),
                            "--catalogue", str(ROOT / "records"))
    assert code == 1 and f'{bad}: violation: key "countries" (item 3, Countries covered): "Filipines"' in output, output
    assert "surveys[" not in output


@pytest.mark.parametrize(("text", "said", "hint"), [
    (b"id: x\ntime_frame:\n\tstart: 2019\n", "a tab cannot indent YAML: indent with spaces", "check the indentation"),
    (b"id: x\ntitle: A\ntitle: B\n", "key 'title' is given twice", "keep one of them"),
])
def test_a_tab_and_a_key_given_twice_are_said_with_their_fix(text: bytes, said: str, hint: str) -> None:
    """A tab got PyYAML's own words ("found character '\\t' that cannot start any token") in
    English, and a key given twice a hint about indentation and quotes (a reviewer's finds)."""
    with pytest.raises(InputError) as caught:
        forms.read_form(text, "bad.yaml")
    assert said in caught.value.message and (caught.value.hint or "").startswith(hint)


def test_same_form_same_bytes(reference, vocab) -> None:  # type: ignore[no-untyped-def]
    form = forms.read_form((DATA / "ph-sof-series.yaml").read_bytes(), "f.yaml")
    first = forms.record_turtle(forms.form_to_graph(form, vocab).graph, "f.yaml")
    second = forms.record_turtle(forms.form_to_graph(form, vocab).graph, "f.yaml")
    assert first == second


def test_schema_doc_lists_every_key_with_its_property() -> None:
    text = (ROOT / "docs" / "form-schema.md").read_text(encoding="utf-8")
    for fields, prefix in [(forms.SURVEY_FIELDS, ""), (forms.AGENCY_FIELDS, "")]:
        for f in fields:
            for key, prop in [(prefix + f.key, f.prop), *[(f"{f.key}.{s.key}", s.prop) for s in f.fields]]:
                assert f"| `{key}` | " in text and f"`{forms.curie(prop)}`" in text, key


def test_guide_form_example_imports(reference, vocab, catalogue) -> None:  # type: ignore[no-untyped-def]
    import re

    guide = (ROOT / "docs" / "contributing-a-survey.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", guide, re.S)
    assert example
    result = forms.import_form(forms.read_form(example.group(1).encode(), "guide.yaml"), reference,
                               catalogue=catalogue, vocab=vocab)
    assert result.ok, [p.message for p in result.problems]
    assert (ns.SURVEY["eg-hims-2013"], ns.DCT.creator, ns.AGENCY.capmas) in result.graph


def _survey_naming(agency: dict) -> dict:  # type: ignore[type-arg]
    """A complete form (the Philippines SOF 2019 of records/) conducted by the given agency."""
    graph = read_input(str(ROOT / "records" / "ph-sof.ttl")).graph
    form = forms.graph_to_form(graph, Vocabulary(load_reference()), "ph-sof.ttl")
    entry = next(e for e in form["surveys"] if e["id"] == "ph-sof-2019")
    entry = {**entry, "id": "ph-sof-2019-copy", "identifier": "ph-sof-2019-copy", "conducted_by": [agency["id"]]}
    entry.pop("in_series", None)
    return {**entry, "agencies": [agency]}


def test_a_form_describes_an_agency_with_its_kind_and_country(reference, catalogue: Catalogue) -> None:  # type: ignore[no-untyped-def]
    """issue 14, item 3: shapes/agency.ttl asks the kind of agency and its country: so does the form."""
    agency = {"id": "ansd", "name": {"en": "National Agency of Statistics and Demography",
                                     "fr": "Agence nationale de la statistique et de la démographie"},
              "acronym": ["ANSD"]}
    lacking = forms.import_form(_survey_naming(agency), reference, catalogue=catalogue)
    assert any(p.key == "kind" and p.item == 5 and p.severity == "violation" for p in lacking.problems), \
        lacking.problems
    done = forms.import_form(_survey_naming({**agency, "kind": "national-statistical-office", "country": "Senegal"}),
                             reference, catalogue=catalogue)
    assert done.ok, [p for p in done.problems if p.severity == "violation"]
    assert done.graph.value(ns.AGENCY.ansd, ns.DCT.type) == ns.scheme("agency-type")["national-statistical-office"]
    assert done.graph.value(ns.AGENCY.ansd, ns.MM.basedIn) == ns.COUNTRY.SEN


def test_a_form_agency_that_the_catalogue_has_is_a_warning(reference, catalogue: Catalogue) -> None:  # type: ignore[no-untyped-def]
    again = {"id": "psa-2", "name": {"en": "Philippine Statistics Authority"}, "kind": "national-statistical-office",
             "country": "PHL"}
    done = forms.import_form(_survey_naming(again), reference, catalogue=catalogue)
    (warning,) = [p for p in done.problems if "may be the catalogue's" in p.message]
    assert warning.severity == "warning" and '"psa"' in warning.message


def test_import_form_in_french_speaks_french(tmp_path: Path) -> None:
    """issue 14, item 5: import form --lang fr; the template says the form's language."""
    graph = read_input(str(ROOT / "records" / "ph-sof.ttl")).graph
    form = forms.graph_to_form(graph, Vocabulary(load_reference()), "ph-sof.ttl")
    entry = next(e for e in form["surveys"] if e["id"] == "ph-sof-2019")
    entry = {**entry, "id": "ph-sof-2019-fr", "identifier": "ph-sof-2019-fr", "countries": ["Philipines"],
             "time_frame": {"start": "2019-13"}}
    entry.pop("in_series", None)
    path = tmp_path / "f.yaml"
    path.write_text(yaml.safe_dump(entry, allow_unicode=True), encoding="utf-8")
    done = CliRunner().invoke(cli, ["import", "form", str(path), "--lang", "fr", "--catalogue",
                                    str(ROOT / "records")])
    assert done.exit_code == 1
    assert "« 2019-13 » n’est pas une date" in done.output and "clé « time_frame.start »" in done.output
    assert "« Philipines » n’est ni un code ni un nom de pays" in done.output
    assert "rien n’est écrit" in done.output and " is not " not in done.output
    template = CliRunner().invoke(cli, ["template", "--format", "yaml", "--lang", "fr", "-o", "-"])
    assert "language: fr" in template.output


def test_a_form_says_its_language(reference, catalogue: Catalogue) -> None:  # type: ignore[no-untyped-def]
    done = forms.import_form({**_survey_naming({"id": "psa"}), "agencies": [], "language": "fr",
                              "title": "Enquête sur les Philippins d'outre-mer 2019"}, reference, catalogue=catalogue)
    survey = ns.SURVEY["ph-sof-2019-copy"]
    assert set(done.graph.objects(survey, ns.DCT.title)) == {Literal("Enquête sur les Philippins d'outre-mer 2019",
                                                                     lang="fr")}
    untold = forms.import_form({**_survey_naming({"id": "psa"}), "agencies": []}, reference, lang="fr",
                               catalogue=catalogue)
    assert any(p.key == "language" and p.severity == "warning" for p in untold.problems)


# --- a statisticians' review: agencies by acronym, numbers, plain words, the date of the check ------


def _read(name: str) -> dict:  # type: ignore[type-arg]
    return forms.read_form((DATA / name).read_bytes(), name)


@pytest.mark.parametrize(("name", "taken_for"), [("ci-emig-ins-acronym.yaml", "ins-tunisia (National Institute of "
                                                  "Statistics (Tunisia), Tunisia)"),
                                                 ("bo-emig-ine-acronym.yaml", "ine-es (National Statistics Institute "
                                                  "(Spain), Spain)")])
def test_a_common_acronym_of_another_countrys_agency_is_refused(reference, catalogue, name: str,  # type: ignore[no-untyped-def]
                                                                 taken_for: str) -> None:
    """`conducted_by: [INS]` for Côte d'Ivoire wrote dct:creator agency:ins-tunisia, without a word."""
    result = forms.import_form(_read(name), reference, catalogue=catalogue)
    assert not result.ok
    assert result.graph.value(ns.SURVEY["ci-emig-2019"], ns.DCT.creator) is None
    (refused,) = [p for p in result.problems if p.key == "conducted_by"]
    assert taken_for in refused.message and "based in none of the survey's countries" in refused.message
    assert refused.item == 5 and refused.severity == "violation"


def test_an_agency_described_with_the_acronym_is_taken_and_not_said_to_be_another_countrys(  # type: ignore[no-untyped-def]
        reference, catalogue) -> None:
    """The form's own INS (Côte d'Ivoire) is meant, and was flagged as maybe ine-es (Spain)."""
    form = _read("ci-emig-ins-described.yaml")
    form["conducted_by"] = ["INS"]
    result = forms.import_form(form, reference, catalogue=catalogue)
    assert result.graph.value(ns.SURVEY["ci-emig-2019"], ns.DCT.creator) == ns.AGENCY["ins-ci"]
    assert not [p for p in result.problems if "may be the catalogue's" in p.message], result.problems


def test_a_near_duplicate_warning_names_the_agency_and_its_country(reference, catalogue: Catalogue) -> None:  # type: ignore[no-untyped-def]
    again = {"id": "psa-2", "name": {"en": "Philippine Statistics Authority"}, "kind": "national-statistical-office"}
    done = forms.import_form(_survey_naming(again), reference, catalogue=catalogue)
    (warning,) = [p for p in done.problems if "may be the catalogue's" in p.message]
    assert "psa (Philippine Statistics Authority, Philippines)" in warning.message


def test_an_agency_country_is_read_one_way_however_written(vocab) -> None:  # type: ignore[no-untyped-def]
    """The country a near duplicate must share: the form and `migrmeta new` read it alike."""
    decoder = Decoder(vocab, Agencies())
    phl = vocab.countries.resolve("PHL")
    for written in ("PHL", "Philippines", f"<{phl}>", ["PHL"], "PHL; MEX"):  # several: the first written
        assert decoder.country_of(written) == phl, written
    for nothing in (None, "", "Atlantis"):
        assert decoder.country_of(nothing) is None, nothing


@pytest.mark.parametrize(("written", "said"), [
    ('"12,5"', '"12,5" is not a whole number: commas, periods and spaces may only separate groups of three digits'),
    ('"1,2,3,4"', '"1,2,3,4" is not a whole number'),
    ("12.500", 'did you mean "12500"?'),  # YAML would read 12.5
])
def test_a_malformed_sample_size_is_refused_not_changed(vocab, written: str, said: str) -> None:  # type: ignore[no-untyped-def]
    form = forms.read_form(f"id: x\nsample_size: {written}\n".encode(), "f.yaml")
    built = forms.form_to_graph(form, vocab)
    assert built.graph.value(ns.SURVEY.x, ns.MM.sampleSize) is None
    assert [p.key for p in built.problems] == ["sample_size"] and said in built.problems[0].message


def test_the_date_of_the_check_has_its_key_and_the_warning_says_it(reference, catalogue) -> None:  # type: ignore[no-untyped-def]
    form = _survey_naming({"id": "psa"})
    form.pop("agencies")
    form.pop("checked_on", None)
    lacking = forms.import_form(form, reference, catalogue=catalogue)
    (warning,) = [p for p in lacking.problems if p.key == "checked_on"]
    assert warning.message.endswith('give the day you checked them ("checked_on", e.g. 2026-11-30)')
    assert "mm:" not in warning.message and "xsd:" not in warning.message
    done = forms.import_form({**form, "checked_on": "2024-05-01"}, reference, catalogue=catalogue)
    assert done.graph.value(ns.SURVEY["ph-sof-2019-copy"], ns.MM.checkedOn) == Literal("2024-05-01",
                                                                                      datatype=ns.XSD.date)
    assert not [p for p in done.problems if p.key == "checked_on"]


def test_messages_speak_the_forms_words_not_rdf(reference, catalogue) -> None:  # type: ignore[no-untyped-def]
    form = {**_survey_naming({"id": "psa"}), "title": "", "conducted_by": [], "remittances": None,
            "host_survey": "enquete-emploi", "survey_design": ["module"], "access_rights": "public"}
    form.pop("agencies")
    result = forms.import_form(form, reference, catalogue=catalogue)
    said = {p.key: p.message for p in result.problems}
    assert said["title"] == "the answer is empty: the survey needs a title, at most one per language"
    assert said["conducted_by"].endswith("name the organisation conducting the survey (its id, acronym or name)")
    assert said["remittances"].endswith("say whether the survey gathers data on remittances (yes or no)")
    assert said["host_survey"].startswith('host survey "enquete-emploi" is not in the catalogue')
    assert said["access_rights"] == '"public" is not a full web address: write it whole, starting with https:// ' \
                                    '(or urn:, doi:, ...)'

    every = " ".join(said.values())
    for jargon in ("language tag", "IRI", "true or false", "survey:", "xsd:", '"..."@'):
        assert jargon not in every, jargon


def test_a_french_form_is_told_how_to_give_the_english_title(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("language: fr\nid: sn-x\ntitle: Enquête sur l'émigration\n", encoding="utf-8")
    done = CliRunner().invoke(cli, ["import", "form", str(path), "--lang", "fr", "--catalogue", str(ROOT / "records")])
    assert "donnez aussi le titre en anglais (un texte par langue : title: {fr: ..., en: ...})" in done.output
    assert '"..."@en' not in done.output


def test_yes_please_is_asked_again_with_yes_suggested(vocab) -> None:  # type: ignore[no-untyped-def]
    built = forms.form_to_graph({"id": "x", "remittances": "yes please", "remittance_use": "Oui."}, vocab)
    assert built.graph.value(ns.SURVEY.x, ns.MM.collectsRemittances) is None
    assert [p.message for p in built.problems] == ['"yes please" is not yes or no (yes/no, oui/non, sí/no); '
                                                   'did you mean "yes"?']
    assert built.graph.value(ns.SURVEY.x, ns.MM.collectsRemittanceUse) == Literal(True)


def test_a_year_range_in_the_start_gives_start_and_end(vocab) -> None:  # type: ignore[no-untyped-def]
    built = forms.form_to_graph({"id": "x", "time_frame": {"start": "2019-21"}}, vocab)
    assert [(p.key, p.message) for p in built.problems] == [
        ("time_frame.start", '"2019-21" is a period, not a date: write 2019 as its start and 2021 as its end')]


def test_congo_is_asked_not_guessed(vocab) -> None:  # type: ignore[no-untyped-def]
    built = forms.form_to_graph({"id": "x", "countries": ["Congo"]}, vocab)
    assert built.graph.value(ns.SURVEY.x, ns.DCT.spatial) is None
    assert "COD (Democratic Republic of the Congo), COG (Congo)" in built.problems[0].message


def test_a_french_form_names_the_countries_of_a_refusal_in_french() -> None:
    """import form --lang fr named them in English in a French message."""
    built = forms.form_to_graph({"id": "x", "countries": ["Congo"]}, Vocabulary(load_reference(), "fr"))
    assert "COD (République démocratique du Congo), COG (Congo)" in built.problems[0].message


def test_an_unknown_agency_is_said_in_the_forms_language_with_the_catalogues_file(tmp_path: Path) -> None:
    """With --catalogue, the hint naming the catalogue's agencies file stayed English in a French
    or Spanish report; and an id given twice was English, and "survey" for an agency."""
    form = tmp_path / "ke.yaml"
    form.write_text("surveys:\n- id: ke-x-2019\n  title: Kenya test survey\n  conducted_by: KNBS\n", encoding="utf-8")
    runner = CliRunner()
    done = runner.invoke(cli, ["import", "form", str(form), "-o", str(tmp_path / "ke.ttl"), "--catalogue",
                               str(ROOT / "records"), "--lang", "fr"])
    assert f"ajoutez-le à {ROOT / 'records' / 'agencies.ttl'} ou à la liste agencies: du formulaire" in done.output, done.output
    form.write_text("surveys:\n- id: ke-x-2019\n  title: A\n  conducted_by: ansd-x\n"
                    "agencies:\n- id: ansd-x\n  name: A\n- id: ansd-x\n  name: B\n", encoding="utf-8")
    done = runner.invoke(cli, ["import", "form", str(form), "-o", str(tmp_path / "ke.ttl"), "--lang", "es"])
    assert "«ansd-x» se usa dos veces: cada organismo necesita su propio identificador" in done.output, done.output


def test_export_form_to_standard_output_with_a_dash() -> None:
    """`export form REC -o -` was refused ("write the form as .yaml ..."), though `template -o -`
    and a left-out -o write to standard output: the same form, either way."""
    record = str(ROOT / "records" / "ph-sof.ttl")
    runner = CliRunner()
    dashed, default = runner.invoke(cli, ["export", "form", record, "-o", "-"]), runner.invoke(cli, ["export", "form",
                                                                                                    record])
    assert dashed.exit_code == 0 and dashed.output == default.output and "id: ph-sof" in dashed.output, dashed.output


def test_a_survey_whose_id_is_used_twice_is_named_by_its_place_in_the_form(tmp_path: Path) -> None:
    """The second of two surveys given one id is checked under a stand-in IRI, which the
    "several surveys" warning named (`survey:unnamed-2`): a name the contributor never wrote.
    It is named by its place in the form, as the other messages name it."""
    form = tmp_path / "ke.yaml"
    form.write_text("surveys:\n- id: ke-x-2019\n  title: Kenya test survey A\n"
                    "- id: ke-x-2019\n  title: Kenya test survey B\n", encoding="utf-8")
    done = CliRunner().invoke(cli, ["import", "form", str(form), "-o", str(tmp_path / "ke.ttl")])
    assert done.exit_code == 1, done.output
    assert 'surveys[2] "ke-x-2019", key "id": "ke-x-2019" is used twice' in done.output
    several = [line for line in done.output.splitlines() if "several surveys" in line]
    assert several and "(survey:ke-x-2019, surveys[2])" in several[0], done.output
    assert "unnamed" not in done.output


def test_a_form_read_in_french_says_its_problems_in_french(tmp_path: Path) -> None:
    """--lang fr left two messages English: a plain answer where a nested one is expected
    ("time_frame takes a nested description"), and an unreadable form ("is not a valid form")."""
    form = tmp_path / "f.yaml"
    form.write_text("id: t-h\ntitle: T\ntime_frame: 2019-2021\n", encoding="utf-8")
    done = CliRunner().invoke(cli, ["import", "form", str(form), "-o", str(tmp_path / "f.ttl"), "--lang", "fr"])
    assert done.exit_code == 1
    assert ("« 2019-2021 » est une seule réponse, alors que time_frame en prend plusieurs : écrivez-les sur les "
            "lignes en dessous, en retrait, chacune avec sa clé (start, end)") in done.output, done.output
    form.write_text('id: t-h\ntitle: "unclosed\n', encoding="utf-8")
    done = CliRunner().invoke(cli, ["import", "form", str(form), "-o", str(tmp_path / "f.ttl"), "--lang", "es"])
    assert done.exit_code == 3 and "Traceback" not in done.output
    assert f"{form}:3:1: no es un formulario válido: " in done.output
    assert "consejo: revise la sangría y ponga entre comillas un texto que contenga ': '" in done.output


def test_a_role_without_roles_and_two_publishers_are_said_without_iris(tmp_path: Path) -> None:
    """"an attribution needs one agency IRI (prov:agent)" and "give at most one publisher, as an
    agency IRI": a statistician filling in a form knows agency ids, not IRIs."""
    form = tmp_path / "f.yaml"
    form.write_text("id: t-r\ntitle: T\npublisher: [psa, iom]\nagency_roles:\n- agency: psa\n", encoding="utf-8")
    done = CliRunner().invoke(cli, ["import", "form", str(form), "-o", str(tmp_path / "f.ttl")])
    roles = next(line for line in done.output.splitlines() if 'key "agency_roles"' in line)
    assert "each agency given a role needs its id (agency) and at least one role of the list" in roles, done.output
    publisher = next(line for line in done.output.splitlines() if 'key "publisher"' in line)
    assert "give at most one publisher, by the agency's id, acronym or name" in publisher, done.output
    assert "IRI" not in roles + publisher and "prov:agent" not in roles


@pytest.mark.parametrize("name", ["ph-sof.ttl", "ph-sof.json"])
def test_a_record_given_to_import_form_is_said_to_be_one(tmp_path: Path, name: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """`import form ph-sof.ttl` said to fix the indentation (YAML choking on @prefix), and a
    JSON-LD record's keys were each 'not a key of the form', to rename into a broken form."""
    from command import run

    path = tmp_path / name
    if name.endswith(".ttl"):
        path.write_bytes((REPO / "records" / "ph-sof.ttl").read_bytes())
    else:
        path.write_bytes((DATA_DIR / "dcat" / "catalog_pod.jsonld").read_bytes())
    code, _out, err = run(capsys, "import", "form", str(path), "-o", str(tmp_path / "out.ttl"), "--catalogue",
                          str(REPO / "records"))
    assert code == 3, err
    assert f"{path}: is an RDF record, not a questionnaire form" in err
    assert f"`migrmeta export form {path} -o {path.stem}.yaml`" in err  # here, not among the records
    assert "indentation" not in err and "not a key of the form" not in err
    assert not (tmp_path / "out.ttl").exists()


def test_import_form_of_a_codebook_points_to_import_ddi_and_a_path_with_a_space_is_quoted(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from command import run

    codebook = tmp_path / "codebook.xml"
    codebook.write_bytes((DATA_DIR / "ddi" / "ag-eth-survey-2003_ddi.xml").read_bytes())
    code, _out, err = run(capsys, "import", "form", str(codebook), "--catalogue", str(REPO / "records"))
    assert code == 3 and "is DDI Codebook XML" in err and "migrmeta import ddi" in err, err
    spaced = tmp_path / "my survey.ttl"
    spaced.write_bytes((REPO / "records" / "ph-sof.ttl").read_bytes())
    code, _out, err = run(capsys, "import", "form", str(spaced), "--catalogue", str(REPO / "records"))
    assert code == 3
    assert f"`migrmeta validate '{spaced}'`" in err and "-o 'my survey.yaml'`" in err, err
