"""A merge's output kept in the folder of its records (load/merged.py): `validate DIR` leaves it
out when its recorded sources (name + SHA-256) are all there, says so, and reads a stale one."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from command import run
from paths import RECORDS

from migrmeta.load import Verdict, expand_paths

FILES = ("agencies.ttl", "ph-sof.ttl", "mx-enadid.ttl", "mafe.ttl")


@pytest.fixture
def folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Four bundled files and, beside them, their merge (catalogue.trig)."""
    records = tmp_path / "records"
    records.mkdir()
    for name in FILES:
        shutil.copy(RECORDS / name, records / name)
    code, _, err = run(capsys, "merge", str(records), "-o", str(tmp_path / "catalogue.trig"))
    assert code == 0, err
    shutil.move(tmp_path / "catalogue.trig", records / "catalogue.trig")
    return records


def validate(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, str, str]:
    return run(capsys, "validate", "--no-cache", "-q", *(str(p) for p in paths))


def test_a_merge_beside_its_sources_is_left_out_and_said(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = validate(capsys, folder)
    merged = folder / "catalogue.trig"
    assert code == 0, out
    assert "also described in" not in out
    assert f"{merged} is the merge of {len(FILES)} of these files: left out; validate it alone with " \
           f"`migrmeta validate {merged}`" in err
    assert out.rstrip().endswith(f"{len(FILES)} records (1 describing no survey), {len(FILES)} conforming, 0 violations, " +
                                 out.rstrip().rsplit(", ", 1)[1])


def test_the_merge_alone_still_validates(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = validate(capsys, folder / "catalogue.trig")
    assert code == 0, out
    assert "1 record, 1 conforming" in out
    assert "left out" not in err


def test_a_merge_named_beside_its_folder_is_read(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Named on its own, a file is always read: here as one more description of each survey."""
    code, out, err = validate(capsys, folder, folder / "catalogue.trig")
    assert code == 1
    assert "also described in" in out
    assert "left out" not in err


@pytest.mark.parametrize("change", ["edited", "removed"])
def test_a_stale_merge_is_validated_and_said_stale(folder: Path, capsys: pytest.CaptureFixture[str],
                                                   change: str) -> None:
    record = folder / "mx-enadid.ttl"
    if change == "edited":
        record.write_text(record.read_text(encoding="utf-8") + "# edited since the merge\n", encoding="utf-8")
    else:
        record.unlink()
    code, out, err = validate(capsys, folder)
    merged = folder / "catalogue.trig"
    assert code == 1
    assert f"is also described in {merged}" in out  # validated as today
    why = "changed since" if change == "edited" else "not among the inputs"
    assert f"{merged} is a stale merge of {len(FILES)} files (mx-enadid.ttl {why})" in err
    assert "left out" not in err


def test_merge_and_publish_leave_it_out_too(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "merge", str(folder), "-o", str(tmp_path / "again.trig"))
    assert code == 0, err
    assert f"{len(FILES)} contributions" in out
    assert f"{folder / 'catalogue.trig'} is the merge of {len(FILES)} of these files: left out" in err
    code, out, err = run(capsys, "publish", "-q", "--no-cache", str(folder), "-o", str(tmp_path / "site"))
    assert code == 0, err  # not refused as "a dataset written by merge or publish"
    assert "left out" in err


def test_without_notices_nothing_is_left_out(folder: Path) -> None:
    assert str(folder / "catalogue.trig") in expand_paths([folder])
    notices: list[Verdict] = []
    assert str(folder / "catalogue.trig") not in expand_paths([folder], notices)
    assert [(v.path, v.left_out) for v in notices] == [(str(folder / "catalogue.trig"), True)]


def test_query_and_push_leave_it_out_too(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from migrmeta.pushing.plan import prepare
    from migrmeta.querying.store import GraphNaming

    code, out, err = run(capsys, "query", "--data", str(folder), "--no-reference", "--format", "csv",
                         "-e", "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert code == 0, err
    assert out.split() == ["n", str(len(FILES))]  # one graph per record, none for the merge
    assert f"{folder / 'catalogue.trig'} is the merge of {len(FILES)} of these files: left out" in err
    plan = prepare([folder], GraphNaming(), cache=False)
    assert plan.refusal is None
    assert str(folder / "catalogue.trig") not in {g.source for g in plan.graphs}
    assert [n.split(" is ")[0] for n in plan.notices] == [str(folder / "catalogue.trig")]


def test_the_python_api_leaves_it_out_and_says_so(folder: Path) -> None:
    import migrmeta

    answer = migrmeta.query(text="SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                            data=[folder], reference=False)
    assert [[cell.value if cell is not None else None for cell in row] for row in answer.rows] == [[str(len(FILES))]]
    assert [n.split(" is ")[0] for n in answer.notices] == [str(folder / "catalogue.trig")]
    report = migrmeta.validate([folder], cache=False)
    assert [n.split(" is ")[0] for n in report.notices] == [str(folder / "catalogue.trig")]


@pytest.mark.parametrize("command", [("export", "schemaorg"), ("report", "inventory"), ("report", "sources"),
                                     ("report", "quality", "--no-cache"), ("diff", "{copy}")])
def test_export_reports_and_diff_leave_it_out_too(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  command: tuple[str, ...]) -> None:
    """Every command that reads a folder of records: exit 0, the notice, and nothing of the merge."""
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("*.trig"))
    args = [a.replace("{copy}", str(copy)) for a in command]
    out_dir = ["-o", str(tmp_path / "out")] if command[0] == "export" else []
    code, out, err = run(capsys, *args, str(folder), *out_dir)
    assert code == 0, err
    assert f"{folder / 'catalogue.trig'} is the merge of {len(FILES)} of these files: left out" in err
    assert "catalogue.trig" not in out


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false",
                    *args], cwd=repo, check=True, capture_output=True)


def test_diff_of_a_git_revision_leaves_a_committed_merge_out_too(folder: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`diff git:REV:records/` reads the revision's files as `diff records/` reads the folder's:
    a merge committed beside its records is left out and said, not read as one more record
    (which described each survey twice); once its sources change, it is read and said stale."""
    repo = tmp_path / "repo"
    shutil.copytree(folder, repo / "records")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "records and their merge")
    monkeypatch.chdir(repo)
    plain = tmp_path / "plain"
    shutil.copytree(folder, plain, ignore=shutil.ignore_patterns("*.trig"))
    code, out, err = run(capsys, "diff", "git:HEAD:records/", str(plain), "--format", "json")
    assert code == 0, out + err  # before: the merge's statements read too, every survey changed
    assert json.loads(out)["surveys"] == []
    assert f"HEAD:records/catalogue.trig is the merge of {len(FILES)} of these files: left out; " \
           "`git show HEAD:records/catalogue.trig` writes it out" in err

    edited = repo / "records" / "ph-sof.ttl"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "one record edited, the merge not made again")
    code, out, err = run(capsys, "diff", "git:HEAD:records/", str(plain), "--format", "json")
    assert "HEAD:records/catalogue.trig is a stale merge of 4 files (ph-sof.ttl changed since): read as a " \
           "record like the others" in err
    code, out, err = run(capsys, "diff", "git:HEAD:records/catalogue.trig", "git:HEAD~1:records/catalogue.trig")
    assert code == 0 and "left out" not in err  # a file named on its own is always read


@pytest.mark.parametrize(("fmt", "name", "what"), [("json", "report.json", "JSON"),
                                                   ("json", "report.jsonld", "JSON"),
                                                   ("junit", "report.xml", "JUnit XML")])
def test_a_report_written_into_the_records_folder_is_left_out_next_time(
        folder: Path, capsys: pytest.CaptureFixture[str], fmt: str, name: str, what: str) -> None:
    """`validate -o report.json .` in the records folder, then `validate .`: the report was read as
    a record ("holds no statements", exit 3). It is left out, and said; named alone, it is read."""
    code, _, err = run(capsys, "validate", "--no-cache", "-q", "--format", fmt, "-o", str(folder / name), str(folder))
    assert code == 0 and (folder / name).is_file(), err
    code, out, err = validate(capsys, folder)
    assert code == 0, out + err
    assert f"{folder / name} is a report ({what}) migrmeta wrote, not a record: left out" in err
    assert "holds no statements" not in out + err
    code, out, err = validate(capsys, folder / name)  # named: read, and said to be a report, not a record
    assert code == 3
    assert f"is a report migrmeta wrote ({what}), not a survey record" in out + err
    assert "holds no statements" not in out + err and "syntax error" not in out + err
    assert "migrmeta validate records/" in out + err  # what to do instead
    # a JSON-LD record is still a record
    from rdflib import Graph

    (folder / "mafe.json").write_text(Graph().parse(RECORDS / "mafe.ttl").serialize(format="json-ld"), encoding="utf-8")
    found = [str(n) for n in expand_paths([folder], notices=[])]
    assert str(folder / "mafe.json") in found and str(folder / name) not in found


def test_a_record_saved_with_txt_added_is_said_not_skipped_in_silence(folder: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Notepad's `tn-hims-2020.ttl.txt` in a folder of records: validate said "2 conforming" and
    publish left the survey out, both exit 0, without a word (the statistician review)."""
    shutil.copy(RECORDS / "tn-hims-2020.ttl", folder / "tn-hims-2020.ttl.txt")
    (folder / "notes.txt").write_text("not a record", encoding="utf-8")  # any other text file: nothing said
    code, out, err = validate(capsys, folder)
    assert code == 0, out + err
    assert (f"{folder / 'tn-hims-2020.ttl.txt'} is not read: its name ends in .txt; rename it tn-hims-2020.ttl to "
            "read it as a record") in err
    assert "notes.txt" not in err
    code, _, err = run(capsys, "publish", str(folder), "-o", str(folder.parent / "site"), "--no-cache", "-q")
    assert code == 0 and "tn-hims-2020.ttl.txt is not read" in err
    alone = folder.parent / "alone"
    alone.mkdir()
    shutil.copy(RECORDS / "tn-hims-2020.ttl", alone / "tn.ttl.txt")
    code, out, err = validate(capsys, alone)
    assert code == 3 and f"rename {alone / 'tn.ttl.txt'} tn.ttl to read it" in out + err


def test_a_turtle_report_in_the_records_folder_is_refused_never_published(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`validate --format turtle -o records/report.ttl`, then `publish records/`: the report's
    statements went into catalog.ttl and would be pushed as a graph (a reviewer's find). A .ttl in
    a folder is read as a record (its head is not looked at there), so it is refused on reading."""
    report = folder / "validation-report.ttl"
    code, _, err = run(capsys, "validate", "--no-cache", "-q", "--format", "turtle", "-o", str(report), str(folder))
    assert code == 0, err
    code, out, err = run(capsys, "publish", str(folder), "-o", str(tmp_path / "site"), "-q")
    assert code == 3 and not (tmp_path / "site").exists(), out + err
    assert f"{report}\n  error: is a report migrmeta wrote (SHACL Turtle), not a survey record" in out
    assert "keep reports out of the folders of records" in out
    report.unlink()
    code, _, err = run(capsys, "publish", str(folder), "-o", str(tmp_path / "site"), "-q")
    assert code == 0, err
