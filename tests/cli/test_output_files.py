"""Output files of the commands: never over an existing file without --force (and then named,
every one of them), never over the command's own input, never in a syntax the name does not
promise, and nothing at all when there is nothing to write.

Each test sets up the file a user has (a report, a record, a good dataset), runs the real
command, and checks the exit code, the message and what is on disk afterwards.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from command import run
from paths import REPO, TESTS

from migrmeta.formats.exporting import export_records

RECORD = REPO / "records" / "gb-ips.ttl"
JSONLD_RECORD = TESTS / "snapshots" / "mafe.jsonld"


# --- the output is the input (even with --force) -----------------------------------------------


def test_export_form_never_writes_over_the_record_it_exports(capsys: pytest.CaptureFixture[str],
                                                             tmp_path: Path) -> None:
    record = tmp_path / "mafe.json"  # a JSON-LD record, named as a JSON form may be
    shutil.copy(JSONLD_RECORD, record)
    code, _, err = run(capsys, "export", "form", str(record), "-o", str(record), "--force")
    assert code == 2, err
    assert f"{record} is also an input" in err and "nothing was written" in err and "Traceback" not in err
    assert record.read_bytes() == JSONLD_RECORD.read_bytes()
    other = tmp_path / "." / "mafe.json"  # another spelling of the same file
    code, _, err = run(capsys, "export", "form", str(record), "-o", str(other), "--force")
    assert code == 2 and "is also an input" in err
    assert record.read_bytes() == JSONLD_RECORD.read_bytes()


def test_import_form_never_writes_over_the_form_it_imports(capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path) -> None:
    form = tmp_path / "gb-ips.yaml"
    written = export_records("form", [RECORD]).documents[0].data
    form.write_bytes(written)
    code, _, err = run(capsys, "import", "form", str(form), "--catalogue", str(REPO / "records"), "-o", str(form),
                       "--force")
    assert code == 2, err
    assert f"{form} is also an input" in err and "--force" in err and "Traceback" not in err
    assert form.read_bytes() == written


@pytest.mark.parametrize("name", ["gb-ips.ttl", "gb-ips.txt", "gb-ips"])
def test_export_form_refuses_a_name_that_is_not_a_form(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                       name: str) -> None:
    """The help promises .yaml or .json: a .ttl would hold YAML under a Turtle name."""
    code, _, err = run(capsys, "export", "form", str(RECORD), "-o", str(tmp_path / name))
    assert code == 2, err
    assert f"{tmp_path / name}: write the form as .yaml" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("name", "first"), [("f.yaml", b"#"), ("f.yml", b"#"), ("f.JSON", b"{")])
def test_export_form_follows_the_extensions_it_names(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                     name: str, first: bytes) -> None:
    code, _, err = run(capsys, "export", "form", str(RECORD), "-o", str(tmp_path / name))
    assert code == 0, err
    assert (tmp_path / name).read_bytes().startswith(first)


# --- an existing output file: refused without --force, as validate -o refuses it --------------

TABLE = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:skos="http://www.w3.org/2004/02/skos/core#">
  <skos:Concept rdf:about="http://publications.europa.eu/resource/authority/country/SEN">
    <skos:prefLabel xml:lang="en">Senegal</skos:prefLabel>
  </skos:Concept>
</rdf:RDF>
"""


def _writers(tmp: Path) -> dict[str, list[str]]:
    """Commands whose -o wrote over any file before they had --force (and validate, the model)."""
    table = tmp / "countries-skos.rdf"
    table.write_text(TABLE, encoding="utf-8")
    return {
        "validate": ["validate", "--no-cache", str(RECORD)],
        "diff": ["diff", str(RECORD), str(REPO / "records" / "mmp.ttl")],
        "report quality": ["report", "quality", "--no-cache", str(RECORD)],
        "report sources": ["report", "sources", str(RECORD)],
        "docs items": ["docs", "items"],
        "countries build": ["countries", "build", str(table)],
    }


@pytest.mark.parametrize("command", ["validate", "diff", "report quality", "report sources", "docs items",
                                     "countries build"])
def test_an_existing_output_is_replaced_only_with_force(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                        command: str) -> None:
    argv = _writers(tmp_path)[command]
    target = tmp_path / "r.txt"
    target.write_text("precious\n", encoding="utf-8")
    code, _, err = run(capsys, *argv, "-o", str(target))
    assert code == (2 if command == "diff" else 1), err  # diff's 1 says "something changed"
    assert f"{target} exists already; nothing was written" in err and "--force" in err and "Traceback" not in err
    assert target.read_text(encoding="utf-8") == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["countries-skos.rdf", "r.txt"]  # no temporary left
    code, _, err = run(capsys, *argv, "-o", str(target), "--force")
    assert code in (0, 1) and "exists already" not in err and "Traceback" not in err  # 1: diff found changes
    assert target.read_text(encoding="utf-8") != "precious\n"


@pytest.mark.parametrize("command", ["validate", "diff", "report quality", "report sources", "docs items",
                                     "countries build"])
def test_an_output_is_never_written_through_a_link_or_to_a_device(capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path, command: str) -> None:
    argv = _writers(tmp_path)[command]
    real = tmp_path / "real.txt"
    real.write_text("precious\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    code, _, err = run(capsys, *argv, "-o", str(link), "--force")
    refused = 2 if command == "diff" else 1  # diff's 1 says "something changed"
    assert code == refused and f"{link} is a symbolic link" in err, err
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "precious\n"
    if Path("/dev/full").exists():
        code, _, err = run(capsys, *argv, "-o", "/dev/full", "--force")
        assert code == refused and "/dev/full is a character device" in err, err


def test_docs_items_still_regenerates_its_own_file(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/items.md is made to be regenerated: without -o it is replaced, as before."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "items.md").write_text("out of date\n", encoding="utf-8")
    code, _, err = run(capsys, "docs", "items")
    assert code == 0, err
    assert (tmp_path / "docs" / "items.md").read_text(encoding="utf-8").startswith("# Questionnaire items")


# --- nothing to write ---------------------------------------------------------------------------


@pytest.mark.parametrize("force", [False, True])
def test_merge_of_nothing_readable_writes_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                  force: bool) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_bytes(b"")
    good = tmp_path / "m1.trig"
    if force:  # a good dataset from an earlier merge: an unreadable input must not replace it
        code, out, err = run(capsys, "merge", str(RECORD), "-o", str(good))
        assert code == 0, err
    before = good.read_bytes() if force else None
    code, out, err = run(capsys, "merge", str(empty), "-o", str(good), *(["--force"] if force else []))
    assert code == 3, err
    if force:
        assert good.read_bytes() == before
    else:
        assert not good.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.ttl", *(["m1.trig"] if force else [])]
    assert f"{empty}: is empty" in err and "nothing written: no input could be read" in err
    assert "written to" not in out


# --- a command that writes two files --------------------------------------------------------------


def test_template_csv_treats_its_agencies_file_like_the_sheet(capsys: pytest.CaptureFixture[str],
                                                               tmp_path: Path) -> None:
    sheet, agencies = tmp_path / "t7.csv", tmp_path / "t7-agencies.csv"
    agencies.write_text("agencies someone filled in\n", encoding="utf-8")
    code, _, err = run(capsys, "template", "--format", "csv", "-o", str(sheet))
    assert code == 1, err
    assert f"{agencies} exists already; nothing was written" in err and "--force" in err
    assert agencies.read_text(encoding="utf-8") == "agencies someone filled in\n"
    assert not sheet.exists()  # nothing at all, not half of the pair
    code, _, err = run(capsys, "template", "--format", "csv", "-o", str(sheet), "--force")
    assert code == 0, err
    assert f"wrote {sheet}, {agencies}" in err
    assert agencies.read_text(encoding="utf-8-sig").startswith("Agency id,")
    assert sheet.read_text(encoding="utf-8-sig").startswith("Survey id,")


def test_template_csv_names_both_files_it_writes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sheet = tmp_path / "surveys.csv"
    code, _, err = run(capsys, "template", "--format", "csv", "-o", str(sheet))
    assert code == 0, err
    assert f"wrote {sheet}, {tmp_path / 'surveys-agencies.csv'}" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["surveys-agencies.csv", "surveys.csv"]


@pytest.mark.parametrize("command", ["validate", "report inventory", "query", "merge"])
def test_no_command_writes_its_report_over_one_of_its_inputs(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                             command: str) -> None:
    """The same check as the form commands', in the shared output path: a record given as
    input and as -o stays the record, --force or not."""
    record = tmp_path / ("gb-ips.trig" if command == "merge" else "gb-ips.ttl")  # merge writes .trig or .nq
    record.write_bytes(RECORD.read_bytes() if command != "merge" else b"")
    if command == "merge":
        code, _, err = run(capsys, "merge", str(RECORD), "-o", str(record), "--force")
        assert code == 0, err
    before = record.read_bytes()
    argv = {"validate": ["validate", "--no-cache", str(record)],
            "report inventory": ["report", "inventory", str(record)],
            "query": ["query", "--data", str(record), "--no-reference", "-e", "SELECT * WHERE { ?s ?p ?o }"],
            "merge": ["merge", str(record)]}[command]
    code, _, err = run(capsys, *argv, "-o", str(record), "--force")
    assert code == 2, err
    assert f"{record} is also an input" in err and "nothing was written" in err
    assert record.read_bytes() == before


@pytest.mark.parametrize("given", ["folder", "default"])
def test_an_existing_file_inside_an_input_folder_is_an_input_too(capsys: pytest.CaptureFixture[str],
                                                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 given: str) -> None:
    """`validate records/ -o records/agencies.ttl --force` replaced agencies.ttl with the report:
    a folder read (named, or records/ by default) covers the files in it."""
    records = tmp_path / "records"
    records.mkdir()
    for name in ("agencies.ttl", "mafe.ttl"):
        shutil.copy(REPO / "records" / name, records / name)
    monkeypatch.chdir(tmp_path)
    before = (records / "agencies.ttl").read_bytes()
    inputs = ["records"] if given == "folder" else []
    for argv in (["validate", "--no-cache", *inputs], ["report", "quality", *inputs]):
        code, _, err = run(capsys, *argv, "-o", "records/agencies.ttl", "--force")
        assert code == 2 and "records/agencies.ttl is also an input (records" in err, err
    assert (records / "agencies.ttl").read_bytes() == before
    code, _, err = run(capsys, "validate", "--no-cache", *inputs, "-o", "report.txt")  # outside: written
    assert code == 0 and (tmp_path / "report.txt").is_file(), err


def test_the_agencies_a_record_is_checked_with_are_an_input_too(capsys: pytest.CaptureFixture[str],
                                                                 tmp_path: Path) -> None:
    """`validate f1/mafe.ttl -o f1/agencies.ttl --force` replaced the agencies read beside the one
    record with the report, and `--agencies ag.ttl -o ag.ttl --force` the agencies given (the
    curator review): both are read, so neither is written over, even with --force."""
    folder = tmp_path / "f1"
    folder.mkdir()
    for name in ("agencies.ttl", "mafe.ttl"):
        shutil.copy(REPO / "records" / name, folder / name)
    beside, given = folder / "agencies.ttl", tmp_path / "ag.ttl"
    shutil.copy(beside, given)
    before = beside.read_bytes()
    record = str(folder / "mafe.ttl")
    for argv in (["validate", "--no-cache", record], ["report", "quality", record], ["report", "inventory", record]):
        code, _, err = run(capsys, *argv, "-o", str(beside), "--force")
        assert code == 2 and f"{beside} is also an input" in err and "Traceback" not in err, (argv, err)
    code, _, err = run(capsys, "validate", "--no-cache", record, "--agencies", str(given), "-o", str(given), "--force")
    assert code == 2 and f"{given} is also an input" in err, err
    assert beside.read_bytes() == before and given.read_bytes() == before
    code, _, err = run(capsys, "validate", "--no-cache", record, "-o", str(tmp_path / "report.txt"))
    assert code == 0 and (tmp_path / "report.txt").is_file(), err  # any other file: written


def test_a_query_never_writes_over_the_default_records_or_its_saved_question(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`query remittances --queries qs -o records/agencies.ttl --force` replaced the agencies the
    store was built from (records/, read by default), and `-o qs/remittances.rq --force` the
    question it ran (the researcher review): both are read, so neither is written over."""
    shutil.copytree(REPO / "records", tmp_path / "records")
    shutil.copytree(REPO / "queries", tmp_path / "qs")
    monkeypatch.chdir(tmp_path)
    before = {path: path.read_bytes() for path in (tmp_path / "records" / "agencies.ttl",
                                                    tmp_path / "qs" / "remittances.rq")}
    for target in ("records/agencies.ttl", "qs/remittances.rq"):
        code, _, err = run(capsys, "query", "remittances", "--queries", "qs", "-o", target, "--force")
        assert code == 2 and f"{target} is also an input" in err and "Traceback" not in err, err
    assert {path: path.read_bytes() for path in before} == before
    code, _, err = run(capsys, "query", "remittances", "--queries", "qs", "-o", "answer.csv")
    assert code == 0 and (tmp_path / "answer.csv").is_file(), err


@pytest.mark.parametrize("fmt", ["ddi", "schemaorg"])
def test_two_records_of_one_survey_are_not_written_over_each_other(capsys: pytest.CaptureFixture[str],
                                                                   tmp_path: Path, fmt: str) -> None:
    """`export ddi a.ttl b.ttl` of one survey wrote a.ttl's file, then refused b.ttl's as 'exists
    already ... --force'; with --force, b.ttl's replaced it (the statistician review)."""
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    shutil.copy(REPO / "records" / "eg-hims-2013.ttl", first)
    second.write_text(first.read_text(encoding="utf-8").replace('"Egypt', '"The Egypt'), encoding="utf-8")
    for force in ((), ("--force",)):
        code, out, err = run(capsys, "export", fmt, str(first), str(second), "-o", str(tmp_path / "out"), *force)
        assert code == 1, out + err
        assert f"{second} describes eg-hims-2013 too, as {first} does" in err
        assert "exists already" not in err
        [written] = (tmp_path / "out").iterdir()
        if fmt == "ddi":  # the first record's, not replaced (schema.org's names come from the whole catalogue)
            assert "The Egypt" not in written.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["form", "sheet", "ddi", "dcat"])
def test_import_of_standard_input_is_a_usage_error_saying_to_save_a_file(capsys: pytest.CaptureFixture[str],
                                                                          tmp_path: Path, kind: str) -> None:
    """`head f.yaml | migrmeta import form -` said '-: cannot be read (No such file or directory)'
    (the CLI review): no importer reads standard input; say so, as publish does."""
    code, out, err = run(capsys, "import", kind, "-", "-o", str(tmp_path / "out"))
    assert code == 2, out + err
    assert "import reads files and folders, not standard input" in err
    assert not (tmp_path / "out").exists()


def test_an_output_folder_under_a_file_is_a_usage_error_as_a_file_is(capsys: pytest.CaptureFixture[str],
                                                                       tmp_path: Path) -> None:
    """`publish -o afile` exited 2, `-o afile/sub` 1 with '... cannot be created (File exists)' (the CLI review)."""
    (tmp_path / "afile").write_text("mine", encoding="utf-8")
    records = [str(REPO / "records" / "ph-sof.ttl"), str(REPO / "records" / "agencies.ttl")]
    code, out, err = run(capsys, "publish", *records, "-o", str(tmp_path / "afile" / "sub"), "--no-cache", "-q")
    assert code == 2, out + err
    assert f"{tmp_path / 'afile' / 'sub'} cannot be a site: {tmp_path / 'afile'} is a file" in err
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("fmt", ["ddi", "schemaorg"])
def test_a_record_with_violations_is_exported_with_a_warning(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                             fmt: str) -> None:
    """A reversed time frame was exported without a word (the CLI review): said, still written."""
    record = tmp_path / "reversed.ttl"
    text = (REPO / "records" / "eg-hims-2013.ttl").read_text(encoding="utf-8")
    old = 'dcat:startDate "2013"^^xsd:gYear ; dcat:endDate "2013"^^xsd:gYear'
    assert old in text
    record.write_text(text.replace(old, 'dcat:startDate "2014"^^xsd:gYear ; dcat:endDate "2012"^^xsd:gYear'),
                      encoding="utf-8")
    code, out, err = run(capsys, "export", fmt, str(record), "-o", str(tmp_path / "out"), "-q")
    assert code == 0 and len(list((tmp_path / "out").iterdir())) == 1, out + err
    assert (f"warning: {record} does not conform to the questionnaire (1 violation), and what is exported from it "
            "carries its mistakes") in err
    code, out, err = run(capsys, "export", fmt, str(REPO / "records" / "eg-hims-2013.ttl"), "-o", str(tmp_path / "ok"),
                         "-q")
    assert code == 0 and "does not conform" not in err


def test_publish_never_replaces_a_folder_holding_its_records_nor_writes_inside_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """`publish recs -o recs --force`, as the hint of the refusal without --force said, replaced
    recs/ by the site: every record deleted; records kept inside a site folder were deleted
    without --force; a site inside the records folder was read as records by the next run."""
    monkeypatch.chdir(tmp_path)
    recs = tmp_path / "recs"
    recs.mkdir()
    for name in ("agencies.ttl", "gb-ips.ttl"):
        shutil.copy(REPO / "records" / name, recs / name)
    before = sorted(p.name for p in recs.iterdir())
    for args in (["recs", "-o", "recs", "--force"], ["recs", "-o", "./recs/../recs"], ["recs", "-o", "recs/site"]):
        code, _out, err = run(capsys, "publish", *args, "-q", "--no-cache")
        assert code == 2, (args, err)
        assert "nothing was written" in err and "Traceback" not in err
        assert sorted(p.name for p in recs.iterdir()) == before
    assert run(capsys, "publish", "recs", "-o", "pub", "-q", "--no-cache")[0] == 0
    recs.rename(tmp_path / "pub" / "records")
    code, _out, err = run(capsys, "publish", "pub/records", "-o", "pub", "-q", "--no-cache")
    assert code == 2 and "holds the input pub/records" in err
    assert sorted(p.name for p in (tmp_path / "pub" / "records").iterdir()) == before
