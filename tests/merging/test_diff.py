"""`migrmeta diff OLD NEW`: what changed per survey in the questionnaire's terms, between two
folders of records, two published sites, or two git revisions; blank nodes by content."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from command import run
from paths import DATA, RECORDS

from migrmeta.load import read_input
from migrmeta.merging.diff import FieldChange, diff_catalogues
from migrmeta.merging.snapshot import read_snapshot
from migrmeta.rdf.ntriples import ntriples

FILES = ("agencies.ttl", "ph-sof.ttl", "mafe.ttl", "lamp.ttl", "mx-emif-norte.ttl")
SOF = "https://w3id.org/migrmeta/survey/ph-sof"


def folder(path: Path, names: tuple[str, ...] = FILES) -> Path:
    path.mkdir(parents=True)
    for name in names:
        shutil.copy(RECORDS / name, path / name)
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def two(tmp_path: Path) -> tuple[Path, Path]:
    """records (old) and the same with: SOF's English title and the end of MAFE's period
    changed, LAMP removed, MMP added, Emif Norte relabelled (N-Triples, new blank node labels)."""
    old = folder(tmp_path / "old")
    new = folder(tmp_path / "new", tuple(n for n in FILES if n not in ("lamp.ttl", "mx-emif-norte.ttl")))
    shutil.copy(RECORDS / "mmp.ttl", new / "mmp.ttl")
    edit(new / "ph-sof.ttl", '"Survey on Overseas Filipinos"@en', '"Survey on Overseas Filipinos (SOF)"@en')
    edit(new / "mafe.ttl", 'dcat:endDate "2010"^^xsd:gYear', 'dcat:endDate "2011"^^xsd:gYear')
    emif = read_input(str(RECORDS / "mx-emif-norte.ttl")).graph
    (new / "mx-emif-norte.nt").write_text(ntriples(sorted(emif, key=str, reverse=True)), encoding="utf-8")
    return old, new


def test_changes_per_survey_item_and_field(two: tuple[Path, Path]) -> None:
    old, new = two
    diff = diff_catalogues(read_snapshot(str(old)), read_snapshot(str(new)))
    status = {s.survey.rsplit("/", 1)[-1]: s.status for s in diff.surveys}
    assert status == {"lamp": "removed", "mmp": "added", "ph-sof": "changed", "mafe": "changed"}
    sof = next(s for s in diff.surveys if s.survey == SOF)
    assert sof.changes == [FieldChange(1, "Title", "dct:title", "http://purl.org/dc/terms/title",
                                       ('"Survey on Overseas Filipinos"@en',), ('"Survey on Overseas Filipinos (SOF)"@en',))]
    (period,) = next(s for s in diff.surveys if s.survey.endswith("/mafe")).changes
    assert (period.item, period.field) == (4, "dct:temporal")  # a blank node, compared by content
    assert '"2010"^^xsd:gYear' in period.old[0] and '"2011"^^xsd:gYear' in period.new[0]
    assert period.old[0].startswith("[ a dct:PeriodOfTime ;")
    # the relabelled, reordered file says the same: unchanged, as are its blank nodes
    assert "https://w3id.org/migrmeta/survey/mx-emif-norte" not in {s.survey for s in diff.surveys}
    assert diff.unchanged >= 1 and diff.exit_code() == 1


def test_the_command_exit_codes_and_formats(two: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = two
    code, out, _ = run(capsys, "diff", str(old), str(old))
    assert code == 0 and "0 added, 0 removed, 0 changed" in out
    code, text, err = run(capsys, "diff", str(old), str(new))
    assert code == 1, err
    assert "changed  survey:ph-sof  Survey on Overseas Filipinos (SOF)" in text
    assert '  item 1 (Title): dct:title\n    - "Survey on Overseas Filipinos"@en\n' in text
    assert "removed  survey:lamp" in text and "added    survey:mmp" in text
    code, markdown, _ = run(capsys, "diff", str(old), str(new), "--format", "markdown")
    assert code == 1 and markdown.startswith(f"# Changes from `{old}` to `{new}`")
    assert '| 1 Title | `dct:title` | `"Survey on Overseas Filipinos"@en` | `"Survey on Overseas Filipinos (SOF)"@en` |' \
        in markdown
    code, document, _ = run(capsys, "diff", str(old), str(new), "--format", "json")
    parsed = json.loads(document)
    assert parsed["schema"] == "https://w3id.org/migrmeta/diff/1"
    assert parsed["summary"] == {"added": 1, "removed": 1, "changed": 2, "unchanged": parsed["summary"]["unchanged"]}
    sof = next(s for s in parsed["surveys"] if s["survey"] == SOF)
    assert sof["changes"][0]["item"] == 1 and sof["old_hash"] != sof["new_hash"]
    for fmt, first in (("text", text), ("markdown", markdown), ("json", document)):  # the same bytes again
        assert run(capsys, "diff", str(old), str(new), "--format", fmt)[1] == first


def test_two_published_sites(two: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = two
    for records, site in ((old, "site-old"), (new, "site-new")):
        code, out, err = run(capsys, "publish", str(records), "-o", str(tmp_path / site), "--no-cache")
        assert code == 0, out + err
    code, out, err = run(capsys, "diff", str(tmp_path / "site-old"), str(tmp_path / "site-new"), "--format", "json")
    assert code == 1, err
    parsed = json.loads(out)
    status = {s["survey"].rsplit("/", 1)[-1]: s["status"] for s in parsed["surveys"]}
    assert status == {"lamp": "removed", "mmp": "added", "ph-sof": "changed", "mafe": "changed"}
    sof = next(s for s in parsed["surveys"] if s["survey"] == SOF)
    assert [c["field"] for c in sof["changes"]] == ["dct:title"]  # skolem IRIs compared by content too


def test_a_site_against_records_compares_what_the_records_said(two: tuple[Path, Path], tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """`diff site/ records/` where the site was published from those records: nothing changed
    (the DCAT-AP profile's additions, dct:accessRights, dcat:theme, foaf:page for dct:source,
    are the site's, not a change of the records); the edits of `two` are the changes."""
    old, new = two
    code, out, err = run(capsys, "publish", str(old), "-o", str(tmp_path / "site"), "--no-cache")
    assert code == 0, out + err
    code, out, err = run(capsys, "diff", str(tmp_path / "site"), str(old))
    assert code == 0 and "0 changed" in out, out + err
    code, out, err = run(capsys, "diff", str(tmp_path / "site"), str(new), "--format", "json")
    status = {s["survey"].rsplit("/", 1)[-1]: s["status"] for s in json.loads(out)["surveys"]}
    assert code == 1 and status == {"lamp": "removed", "mmp": "added", "ph-sof": "changed", "mafe": "changed"}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false",
                    *args], cwd=repo, check=True, capture_output=True)


def test_two_git_revisions(two: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str],
                           monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = two
    repo = tmp_path / "repo"
    shutil.copytree(old, repo / "records")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "v1")
    shutil.rmtree(repo / "records")
    shutil.copytree(new, repo / "records")
    git(repo, "rm", "-r", "-q", "--cached", "records")  # re-read every file: a same-size edit within the
    git(repo, "add", "-A")                               # second of the first commit looks unchanged to stat
    git(repo, "commit", "-q", "-m", "v2")
    monkeypatch.chdir(repo)
    code, out, err = run(capsys, "diff", "git:HEAD~1:records/", "git:HEAD", "--format", "json")
    assert code == 1, err
    status = {s["survey"].rsplit("/", 1)[-1]: s["status"] for s in json.loads(out)["surveys"]}
    assert status == {"lamp": "removed", "mmp": "added", "ph-sof": "changed", "mafe": "changed"}
    assert run(capsys, "diff", "git:HEAD:records", "records")[0] == 0  # the work tree is HEAD
    code, _, err = run(capsys, "diff", "git:no-such-rev", "records")
    assert code == 2 and "git cannot read it" in err and "Traceback" not in err
    code, _, err = run(capsys, "diff", "git:HEAD:nothing/", "records")
    assert code == 2 and "no records at nothing/" in err


def test_an_unreadable_record_gives_no_diff(two: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = two
    (new / "broken.ttl").write_text("<a> <b> .\n", encoding="utf-8")
    code, out, err = run(capsys, "diff", str(old), str(new))
    assert code == 3 and out == "" and "broken.ttl:1" in err and "no diff" in err
    missing = str(new.parent / "missing")
    code, out, err = run(capsys, "diff", str(old), missing)  # an input that cannot be read: 3, as --help says
    assert code == 3 and out == "" and f"{missing}: no such file or directory" in err and "Traceback" not in err


MERGE = DATA / "merge"
MERGE_INPUTS = [str(MERGE / "psa" / "ph-sof.ttl"), f"{MERGE / 'un-desa-pd' / 'ph-sof.ttl'}=un-desa-pd",
                str(MERGE / "agencies.ttl")]


def test_two_merged_datasets_are_compared_as_merged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two `merge` outputs that settled a conflict differently: the diff shows the kept time
    frame changing, not the union of the graphs (where the losing value still sits, set aside)."""
    for prefer, name in (("psa", "a.trig"), ("un-desa-pd", "b.nq")):
        code, out, err = run(capsys, "merge", *MERGE_INPUTS, "--prefer", prefer, "-o", str(tmp_path / name))
        assert code == 0, out + err
    code, out, err = run(capsys, "diff", str(tmp_path / "a.trig"), str(tmp_path / "b.nq"), "--format", "json")
    assert code == 1, out + err
    [sof] = json.loads(out)["surveys"]
    temporal = next(c for c in sof["changes"] if c["field"] == "dct:temporal")
    assert ["1991" in v for v in temporal["old"]] == [True] and ["1993" in v for v in temporal["new"]] == [True]


def test_records_against_a_merged_dataset_compare_every_contribution(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """As `diff --help` says: a merged dataset compared with records is read as its contributions
    said it, the values a conflict set aside included. Against all the records it was made from,
    nothing differs; against only some, the others' values (the set-aside time frame too) are added."""
    code, out, err = run(capsys, "merge", *MERGE_INPUTS, "--prefer", "psa", "-o", str(tmp_path / "m.trig"))
    assert code == 0, out + err
    every = folder(tmp_path / "every", ())
    for sub in ("psa", "un-desa-pd"):
        (every / sub).mkdir()
        (every / sub / "ph-sof.ttl").write_bytes((MERGE / sub / "ph-sof.ttl").read_bytes())
    (every / "agencies.ttl").write_bytes((MERGE / "agencies.ttl").read_bytes())
    code, out, err = run(capsys, "diff", str(every), str(tmp_path / "m.trig"))
    assert code == 0 and "0 changed" in out, out + err
    some = folder(tmp_path / "some", ())
    (some / "ph-sof.ttl").write_bytes((MERGE / "psa" / "ph-sof.ttl").read_bytes())
    (some / "agencies.ttl").write_bytes((MERGE / "agencies.ttl").read_bytes())
    code, out, err = run(capsys, "diff", str(some), str(tmp_path / "m.trig"), "--format", "json")
    [sof] = json.loads(out)["surveys"]
    temporal = next(c for c in sof["changes"] if c["field"] == "dct:temporal")
    assert code == 1 and temporal["old"] == [] and any("1993" in v for v in temporal["new"]), out


def test_a_site_against_a_merged_dataset_compares_them_as_merged(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A site and a `merge` output from the same inputs and policy do not differ (the profile's
    additions are the site's); another policy shows the time frame the other agency gave."""
    code, out, err = run(capsys, "publish", *MERGE_INPUTS, "--prefer", "psa", "-o", str(tmp_path / "site"),
                         "--no-cache", "-q")
    assert code == 0, out + err
    for prefer, name in (("psa", "same.trig"), ("un-desa-pd", "other.trig")):
        code, out, err = run(capsys, "merge", *MERGE_INPUTS, "--prefer", prefer, "-o", str(tmp_path / name))
        assert code == 0, out + err
    code, out, err = run(capsys, "diff", str(tmp_path / "site"), str(tmp_path / "same.trig"))
    assert code == 0 and "0 changed" in out, out + err
    code, out, err = run(capsys, "diff", str(tmp_path / "site"), str(tmp_path / "other.trig"), "--format", "json")
    [sof] = json.loads(out)["surveys"]
    assert code == 1 and [c["field"] for c in sof["changes"]] == ["dct:temporal"], out


def test_a_change_of_spacing_alone_shows_two_different_lines(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    old = folder(tmp_path / "old", ("agencies.ttl", "ph-sof.ttl"))
    new = folder(tmp_path / "new", ("agencies.ttl", "ph-sof.ttl"))
    edit(new / "ph-sof.ttl", '"Survey on Overseas Filipinos"@en', '"Survey on  Overseas Filipinos"@en')
    for fmt in ("text", "markdown"):
        code, out, err = run(capsys, "diff", str(old), str(new), "--format", fmt)
        assert code == 1, err
        assert '"Survey on Overseas Filipinos"@en' in out and '"Survey on  Overseas Filipinos"@en' in out, out


def test_a_title_with_a_line_break_and_markup_stays_one_line_of_text(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A title's line break split the text header in two, and its `<b>` went raw into the
    Markdown heading (a reviewer's find)."""
    old = folder(tmp_path / "old", ("agencies.ttl", "ph-sof.ttl"))
    new = folder(tmp_path / "new", ("agencies.ttl", "ph-sof.ttl"))
    edit(new / "ph-sof.ttl", '"Survey on Overseas Filipinos"@en',
         '"""Survey on <b>Overseas</b>\nFilipinos, **[a link](https://example.org)**"""@en')
    code, out, err = run(capsys, "diff", str(old), str(new))
    assert code == 1, err
    assert "changed  survey:ph-sof  Survey on <b>Overseas</b> Filipinos, **[a link](https://example.org)**\n" in out
    code, out, err = run(capsys, "diff", str(old), str(new), "--format", "markdown")
    assert ("## Changed: Survey on &lt;b&gt;Overseas&lt;/b&gt; Filipinos, \\*\\*\\[a link\\](https://example.org)\\*\\* "
            "(`survey:ph-sof`)") in out


def test_a_change_is_placed_under_the_item_the_reports_count_it_for(tmp_path: Path) -> None:
    """Conditions of access (dct:rights) answer item 14 by the ontology's mm:answeredBy, as
    `report inventory` counts them: a change to them is item 14's, not 'of no item'."""
    old = folder(tmp_path / "old", ("agencies.ttl", "ph-sof.ttl"))
    new = folder(tmp_path / "new", ("agencies.ttl", "ph-sof.ttl"))
    edit(new / "ph-sof.ttl", "the access conditions were not verified.", "access on request to the PSA.")
    diff = diff_catalogues(read_snapshot(str(old)), read_snapshot(str(new)))
    changes = [c for s in diff.surveys for c in s.changes]
    assert changes and {(c.item, c.item_name, c.field) for c in changes} == {(14, "Researcher access", "dct:rights")}


def test_a_sites_catalog_ttl_is_its_site(two: tuple[Path, Path], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """`diff site/catalog.ttl site/` said every survey changed (the file read as records, the site
    as published): the site's own catalogue file is read as the site."""
    old, _ = two
    site = tmp_path / "site"
    code, out, err = run(capsys, "publish", str(old), "-o", str(site), "--no-cache")
    assert code == 0, out + err
    for first, second in ((site / "catalog.ttl", site), (old, site / "catalog.ttl"), (site / "catalog.nt", old), (site / "catalog.jsonld", site)):
        code, out, err = run(capsys, "diff", str(first), str(second))
        assert code == 0 and " 0 changed" in out and f"{first} -> {second}:" in out, out + err


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_an_edit_past_the_cut_shows_where_the_values_part(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          fmt: str) -> None:
    """Values are cut at 300 characters: an edit after that showed two identical lines (the curator's review)."""
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    for name in ("agencies.ttl", "pl-nbp-ua.ttl"):
        shutil.copy(RECORDS / name, old / name)
        shutil.copy(RECORDS / name, new / name)
    text = (new / "pl-nbp-ua.ttl").read_text(encoding="utf-8")
    edited = text.replace("almost half of the migrants have higher education.", "almost half of the migrants have "
                          "a higher education.", 1)
    assert edited != text
    (new / "pl-nbp-ua.ttl").write_text(edited, encoding="utf-8")
    code, out, _ = run(capsys, "diff", str(old), str(new), "--format", fmt)
    assert code == 1
    assert "migrants have higher education." in out and "migrants have a higher education." in out


def test_an_agency_renamed_or_moved_is_a_change_though_no_survey_changed(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Agencies are compared as surveys are: a new name, a moved home page, an agency added
    are changes (exit 1), listed after the surveys; the surveys that name them are unchanged."""
    old = folder(tmp_path / "old", ("agencies.ttl", "ph-sof.ttl"))
    new = folder(tmp_path / "new", ("agencies.ttl", "ph-sof.ttl"))
    edit(new / "agencies.ttl", "foaf:homepage <https://psa.gov.ph/>", "foaf:homepage <https://www.psa.gov.ph/>")
    edit(new / "agencies.ttl", '"Consejo Nacional de Población"@es', '"Consejo Nacional de Población (CONAPO)"@es')
    with (new / "agencies.ttl").open("a", encoding="utf-8") as extra:
        extra.write('\nagency:new-office a foaf:Agent, foaf:Organization, mm:Agency ;\n'
                    '    foaf:name "A New Statistical Office"@en .\n')
    diff = diff_catalogues(read_snapshot(str(old)), read_snapshot(str(new)))
    assert diff.surveys == [] and diff.exit_code() == 1
    found = {a.survey.rsplit("/", 1)[-1]: (a.status, [c.field for c in a.changes]) for a in diff.agencies}
    assert found == {"psa": ("changed", ["foaf:homepage"]), "conapo": ("changed", ["foaf:name"]),
                     "new-office": ("added", ["foaf:name", "rdf:type"])}
    assert diff.agencies_unchanged > 50

    code, text, _ = run(capsys, "diff", str(old), str(new))
    assert code == 1 and "; agencies: 1 added, 0 removed, 2 changed" in text.splitlines()[0]
    assert ("changed  agency:psa  Philippine Statistics Authority\n  foaf:homepage\n"
            "    - <https://psa.gov.ph/>\n    + <https://www.psa.gov.ph/>\n") in text
    assert text.index("agency:conapo") < text.index("agency:new-office") < text.index("agency:psa")
    code, markdown, _ = run(capsys, "diff", str(old), str(new), "--format", "markdown")
    assert "## Agency added: A New Statistical Office (`agency:new-office`)" in markdown
    code, document, _ = run(capsys, "diff", str(old), str(new), "--format", "json")
    parsed = json.loads(document)
    assert parsed["agencies_summary"]["changed"] == 2 and parsed["summary"]["changed"] == 0
    conapo = next(a for a in parsed["agencies"] if a["agency"].endswith("/conapo"))
    assert conapo["name"] == "National Population Council" and conapo["changes"][0]["new"] == [
        '"Consejo Nacional de Población (CONAPO)"@es']
    # unchanged agencies are not listed, and a diff of surveys alone reads as it did
    code, same, _ = run(capsys, "diff", str(old), str(old))
    assert code == 0 and "agencies" not in same


def test_a_site_against_its_records_has_the_same_agencies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = folder(tmp_path / "records", ("agencies.ttl", "ph-sof.ttl"))
    code, out, err = run(capsys, "publish", str(records), "-o", str(tmp_path / "site"), "--no-cache")
    assert code == 0, out + err
    code, out, err = run(capsys, "diff", str(tmp_path / "site"), str(records), "--format", "json")
    assert code == 0, out + err
    assert json.loads(out)["agencies"] == [] and json.loads(out)["agencies_summary"]["unchanged"] > 50
