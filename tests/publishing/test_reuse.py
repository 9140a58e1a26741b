"""A survey's files taken over from the previous site (publishing/reuse.py): the site a publish
writes over its previous one is, edit by edit, the same bytes as a publish into an empty folder,
and the files of the surveys an edit does not touch are the previous site's (the same inode)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrmeta.cli import cli
from migrmeta.formats.dcat.profile import CatalogOptions
from migrmeta.io.pieces import pieces
from migrmeta.publishing import reuse
from migrmeta.publishing.changelog import release_file_names
from migrmeta.publishing.site import PublishOptions, PublishResult, publish

ROOT = Path(__file__).resolve().parents[2]
SERIES, ROUND = "ar-enma", "ar-enma-2020"  # a series of two rounds, in records/ar-enma.ttl
OTHER = "au-lsia"  # a series and its rounds in a file of their own, by another agency


def survey_files(site: Path) -> dict[str, bytes]:
    """The files reuse.py may take over: each survey's Turtle, JSON-LD, N-Triples, DDI and pages."""
    found = [*site.glob("surveys/*"), *site.glob("*/surveys/*.html")]
    return {str(p.relative_to(site)): p.read_bytes() for p in found}


def agency_files(site: Path) -> dict[str, bytes]:
    """Each agency's data documents and pages, and their list: made with the catalogue's files."""
    found = [*site.glob("agencies/*"), *site.glob("*/agencies/*.html"), *site.glob("*/agencies.html")]
    return {str(p.relative_to(site)): p.read_bytes() for p in found}


def inodes(site: Path) -> dict[str, int]:
    return {name: (site / name).stat().st_ino for name in survey_files(site)}


CATALOGUE_FILES = ["catalog.ttl", "catalog.nt", "catalog.jsonld", "catalog.trig", "void.ttl", "index.html",
                   "en/index.html", "fr/index.html", "es/index.html", "assets/search-index.js",
                   *release_file_names()]  # release.json, the changelogs and feeds, at the root and by language


def catalogue_inodes(site: Path) -> dict[str, int]:
    """Files made from the whole catalogue, taken over only when none of the records changed."""
    return {name: (site / name).stat().st_ino for name in CATALOGUE_FILES}


def every_file(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def taken_over(before: dict[str, int], site: Path, name: str) -> bool:
    """Whether every file of the survey `name` is the previous site's (its inode)."""
    now = inodes(site)
    names = [n for n in now if Path(n).stem == name]
    assert len(names) == 7, names  # .ttl .jsonld .nt .xml and three pages
    return all(before.get(n) == now[n] for n in names)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    records = tmp_path / "records"
    shutil.copytree(ROOT / "records", records)
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _agency_name(work: Path) -> None:
    _edit(work / "records" / "agencies.ttl", '"National Population Council"@en', '"Population Council of Mexico"@en')


def _round_title(work: Path) -> None:
    _edit(work / "records" / "ar-enma.ttl", '"National Migrant Survey of Argentina 2020"@en',
          '"Argentine National Migrant Survey, 2020 round"@en')


def _new_round(work: Path) -> None:
    text = (work / "records" / "ar-enma.ttl").read_text(encoding="utf-8")
    start = text.index("survey:ar-enma-2023 a ")
    block = text[start:text.index(" .\n", start) + 3]
    added = text[:text.index("survey:ar-enma a ")].replace("ar-enma-2023", "ar-enma-2026")
    # its own IRI and title; dates unchanged: a newer date would move the date of every page's scores
    added += block.replace("ar-enma-2023", "ar-enma-2026").replace('Argentina 2023"', 'Argentina 2026"')
    (work / "records" / "ar-enma-2026.ttl").write_text(added, encoding="utf-8")


def _type_left_to_the_profile(work: Path) -> None:
    # the published statements are the same (the profile adds the types), the quality score is not
    _edit(work / "records" / "ar-enma.ttl", "survey:ar-enma-2023 a mm:Survey, dcat:Dataset, disco:Study ;",
          "survey:ar-enma-2023 a mm:Survey ;")


def _removed(work: Path) -> None:
    (work / "records" / f"{OTHER}.ttl").unlink()


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("an agency's name", _agency_name),
    ("a round's title", _round_title),
    ("a round added to a series", _new_round),
    ("a type the profile adds too, left out", _type_left_to_the_profile),
    ("a survey removed", _removed),
]


def _publish(work: Path, out: Path, **options: object) -> PublishResult:
    result = publish([work / "records"], out, PublishOptions(skip_invalid=True, cache_dir=work / "cache",
                                                             **options))  # type: ignore[arg-type]
    assert result.refused is None, result.report.findings[:3]
    return result


def test_a_publish_over_the_previous_site_is_a_publish_from_scratch_edit_by_edit(work: Path) -> None:
    site = work / "site"
    first = _publish(work, site, jobs=1)
    assert first.reused == 0
    again = _publish(work, site, jobs=1)
    assert again.reused == first.surveys + first.series  # nothing changed: every survey's files taken over
    for number, (what, edit) in enumerate(EDITS):
        before, catalogue_before = inodes(site), catalogue_inodes(site)
        catalogue_bytes = {name: (site / name).read_bytes() for name in CATALOGUE_FILES}
        edit(work)
        result = _publish(work, site, jobs=2 if number % 2 else 1)
        fresh = _publish(work, work / f"fresh-{number}", cache=False)
        assert survey_files(site) == survey_files(work / f"fresh-{number}"), what
        assert agency_files(site) == agency_files(work / f"fresh-{number}") != {}, what
        assert not result.catalogue_reused, what  # a record changed: the catalogue's files are made again
        # made again: a file whose bytes changed is new; one written the same is the previous site's
        for name, inode in catalogue_inodes(site).items():
            same = (site / name).read_bytes() == catalogue_bytes[name]
            assert (inode == catalogue_before[name]) == same, (what, name)
        for name in CATALOGUE_FILES[:10]:  # the release's files list what changed: not a first release's
            assert (site / name).read_bytes() == (work / f"fresh-{number}" / name).read_bytes(), (what, name)
        if what == "a survey removed":  # a series and its rounds, which no other survey names
            assert result.reused == result.surveys + result.series
        else:
            assert 0 < result.reused < result.surveys + result.series, what
        assert taken_over(before, site, OTHER if what != "a survey removed" else "al-lsms-2005"), what
        assert fresh.reused == 0
        if what == "an agency's name":  # conapo's surveys' pages name it
            assert not taken_over(before, site, "mx-emif-norte")
        if what in ("a round's title", "a round added to a series"):  # the series' page lists its rounds
            assert not taken_over(before, site, SERIES)
        if what == "a round's title":
            assert not taken_over(before, site, ROUND)
            assert taken_over(before, site, "ar-enma-2023")  # names its series, not its sibling rounds


def test_a_round_added_or_removed_makes_the_series_data_files_again(work: Path) -> None:
    """A series' own files state its rounds' dcat:inSeries (they said nothing of them): a round added
    to a series, then removed, makes them again, each time the bytes of a publish from scratch."""
    site = work / "site"
    _publish(work, site, jobs=1)
    in_series = "<https://w3id.org/migrmeta/survey/{}> <http://www.w3.org/ns/dcat#inSeries> " \
                f"<https://w3id.org/migrmeta/survey/{SERIES}> ."
    series_nt = site / "surveys" / f"{SERIES}.nt"
    assert in_series.format(ROUND) in series_nt.read_text(encoding="utf-8").splitlines()
    for number, (edit, stated) in enumerate([(_new_round, True),
                                             (lambda w: (w / "records" / "ar-enma-2026.ttl").unlink(), False)]):
        before = inodes(site)
        edit(work)
        _publish(work, site, jobs=1)
        fresh = work / f"fresh-{number}"
        _publish(work, fresh, cache=False)
        assert survey_files(site) == survey_files(fresh)
        for suffix in (".ttl", ".nt", ".jsonld"):
            text = (site / "surveys" / f"{SERIES}{suffix}").read_text(encoding="utf-8")
            assert ("ar-enma-2026" in text) is stated, suffix
        assert (in_series.format("ar-enma-2026") in series_nt.read_text(encoding="utf-8").splitlines()) is stated
        assert not taken_over(before, site, SERIES) and taken_over(before, site, OTHER)


@pytest.mark.parametrize("change", ["title", "base_url", "code"])
def test_what_every_page_shows_makes_every_file_again(work: Path, change: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    site = work / "site"
    _publish(work, site, jobs=1)
    options: dict[str, object] = {}
    if change == "title":
        options["catalog"] = CatalogOptions(title="Migration surveys of the world")
    elif change == "base_url":
        options["base_url"] = "https://example.org/migration/"
    else:  # another migrmeta: its code, ontology or shapes
        monkeypatch.setattr(reuse, "code_key", lambda: "another version")
    result = _publish(work, site, jobs=1, **options)
    assert result.reused == 0 and not result.catalogue_reused
    assert every_file(site) == every_file(_publish_fresh(work, **options))


def _publish_fresh(work: Path, **options: object) -> Path:
    out = work / "fresh"
    shutil.rmtree(out, ignore_errors=True)
    _publish(work, out, cache=False, **options)
    return out


def test_a_file_changed_by_hand_is_made_again(work: Path) -> None:
    site = work / "site"
    _publish(work, site, jobs=1)
    page = site / "en" / "surveys" / f"{OTHER}.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<h1>", "<h1>EDITED "), encoding="utf-8")
    removed = site / "surveys" / f"{SERIES}.xml"
    removed.unlink()
    result = _publish(work, site, jobs=1)
    assert result.reused == result.surveys + result.series - 2
    assert survey_files(site) == survey_files(_publish_fresh(work))


def test_a_removed_site_is_not_looked_for_survey_by_survey(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The manifest of a site removed since describes nothing there: each survey's key is
    computed once, as its files are made, not also to look for files to take over."""
    site = work / "site"
    first = _publish(work, site, jobs=1)
    shutil.rmtree(site)
    keys = []
    original = reuse.Inputs.key
    monkeypatch.setattr(reuse.Inputs, "key", lambda self, *a: keys.append(1) or original(self, *a))
    again = _publish(work, site, jobs=1)
    assert again.reused == 0
    assert len(keys) == first.surveys + first.series
    assert survey_files(site) == survey_files(_publish_fresh(work))


def test_a_damaged_manifest_costs_time_only(work: Path) -> None:
    site = work / "site"
    _publish(work, site, jobs=1)
    manifest = reuse.manifest_path(work / "cache", site)
    data = manifest.read_bytes()
    manifest.write_bytes(data[: len(data) // 2])  # cut short
    assert _publish(work, site, jobs=1).reused == 0
    assert _publish(work, site, jobs=1).reused > 0  # written again whole
    before = survey_files(site)
    assert _publish(work, site, jobs=1, cache=False).reused == 0  # --no-cache: every file made again
    assert survey_files(site) == before
    assert not manifest.exists()  # and no record left of an older site
    assert _publish(work, site, jobs=1).reused == 0


def test_a_manifest_of_another_shape_costs_time_only(work: Path) -> None:
    site = work / "site"
    _publish(work, site, jobs=1)
    manifest = reuse.manifest_path(work / "cache", site)
    dataset = f"https://w3id.org/migrmeta/survey/{OTHER}"
    # marshal reads it, its format number is right, its entries are not what `save` writes
    manifest.write_bytes(b"".join(pieces([(reuse.FORMAT, (("s", "https://example.org/a"),)),
                                          [(dataset, 7, (0,), ("surveys/a.ttl",), ((1, 2),))]])))
    assert _publish(work, site, jobs=1).reused == 0
    assert survey_files(site) == survey_files(_publish_fresh(work))


def test_each_entry_describes_the_files_of_its_own_folder(tmp_path: Path) -> None:
    """The status is taken in the new site's folder before the swap (a rename keeps it): were it
    taken in the output folder afterwards, a publish that swapped in its site meanwhile would
    have its files recorded under the other's keys."""
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    for folder in (ours, theirs):
        (folder / "surveys").mkdir(parents=True)
        (folder / "surveys" / "a.ttl").write_text(folder.name, encoding="utf-8")
    entry = reuse.Built("key", (), ("surveys/a.ttl",))
    found = reuse.with_status(ours, {"a": entry})["a"]
    assert found.status == (reuse.status(ours / "surveys" / "a.ttl"),)
    assert reuse.unchanged(found, ours) is not None and reuse.unchanged(found, theirs) is None
    assert reuse.with_status(ours, {"b": reuse.Built("key", (), ("surveys/b.ttl",))}) == {}  # a file missing


@pytest.mark.parametrize("jobs", [1, 2])
def test_files_taken_over_by_a_link_keep_their_status(work: Path, jobs: int) -> None:
    """A linked file's status is not taken again (reuse.with_status): what the manifest keeps
    must still be what the files in the new site are, so the next publish takes them over too."""
    site = work / "site"
    first = _publish(work, site, jobs=jobs)
    second = _publish(work, site, jobs=jobs)
    everything = first.surveys + first.series
    assert second.reused == everything
    manifest = reuse.load(reuse.manifest_path(work / "cache", site))
    assert len(manifest) == everything + 1  # and the catalogue's files
    for entry in manifest.values():
        assert entry.status == tuple(reuse.status(site / name) for name in entry.files)
    assert _publish(work, site, jobs=jobs).reused == everything


def test_files_taken_over_get_the_mode_a_new_file_gets(work: Path) -> None:
    site = work / "site"
    previous = os.umask(0o022)
    try:
        _publish(work, site, jobs=1)
        os.umask(0o077)
        result = _publish(work, site, jobs=1)
        fresh = _publish_fresh(work)
    finally:
        os.umask(previous)
    assert result.reused > 0
    modes = {name: (site / name).stat().st_mode for name in survey_files(site)}
    assert modes == {name: (fresh / name).stat().st_mode for name in survey_files(fresh)}
    assert {mode & 0o777 for mode in modes.values()} == {0o600}


def test_the_command_says_what_it_took_over(work: Path) -> None:
    runner = CliRunner()
    arguments = ["publish", str(work / "records"), "-o", str(work / "site"), "--skip-invalid",
                 "--cache-dir", str(work / "cache")]
    first = runner.invoke(cli, arguments)
    assert first.exit_code == 0, first.output
    assert "taken over" not in first.output
    _round_title(work)
    second = runner.invoke(cli, arguments)
    assert second.exit_code == 0, second.output
    assert "were taken over from the previous site" in second.output
    assert "catalogue's files" not in second.output  # a record changed: the catalogue's files were made
    third = runner.invoke(cli, arguments)
    assert third.exit_code == 0, third.output
    assert "and the catalogue's files (no record changed) were taken over" in third.output
    assert "0 added, 0 removed, 0 changed" in third.output
    assert os.path.isfile(work / "site" / "surveys" / f"{ROUND}.ttl")


@pytest.mark.parametrize("jobs", [1, 2])
def test_nothing_changed_the_whole_site_is_taken_over(work: Path, jobs: int) -> None:
    """The same records and settings: the catalogue's files (catalog.*, void.ttl, the index
    pages, the search index, the release and its changelog and feed) are the previous site's
    too, linked; the site is the same bytes as a publish into an empty folder, and says that
    nothing changed since the previous release."""
    site = work / "site"
    first = _publish(work, site, jobs=jobs)
    assert not first.catalogue_reused
    before, catalogue_before = inodes(site), catalogue_inodes(site)
    again = _publish(work, site, jobs=jobs)
    assert again.catalogue_reused and again.reused == first.surveys + first.series
    assert catalogue_inodes(site) == catalogue_before and inodes(site) == before
    assert every_file(site) == every_file(_publish_fresh(work))
    assert again.changes is not None and not again.changes.changed
    assert again.changes.unchanged == first.surveys + first.series
    assert (again.triples, again.surveys, again.series) == (first.triples, first.surveys, first.series)
    assert _publish(work, site, jobs=jobs).catalogue_reused  # the manifest still describes them


@pytest.mark.parametrize("change", ["a record's bytes", "a catalogue file by hand", "the publishing agency"])
def test_the_catalogues_files_are_made_again_when_what_they_are_made_from_changed(work: Path, change: str) -> None:
    site = work / "site"
    _publish(work, site, jobs=1)
    options: dict[str, object] = {}
    if change == "a record's bytes":  # a comment only: the same statements, other bytes (made again: safe)
        with (work / "records" / f"{OTHER}.ttl").open("a", encoding="utf-8") as record:
            record.write("# reviewed\n")
    elif change == "a catalogue file by hand":
        catalog = site / "catalog.ttl"
        catalog.write_text(catalog.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    else:
        options["agency"] = "https://w3id.org/migrmeta/agency/un-desa-pd"
    result = _publish(work, site, jobs=1, **options)
    assert not result.catalogue_reused
    fresh = _publish_fresh(work, **options)
    for name in CATALOGUE_FILES[:10]:
        assert (site / name).read_bytes() == (fresh / name).read_bytes(), name


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_whose_bytes_did_not_change_keeps_its_date(work: Path, jobs: int) -> None:
    """Without the manifest (--no-cache) and with a record changed, every file written the same
    as before is the previous site's, linked: its inode and modification time stay, and a web
    server's Last-Modified and ETag with them (the ontology, the shapes, the assets, the other
    surveys). What changed is written anew."""
    site = work / "site"
    _publish(work, site, jobs=jobs, cache=False)
    before = {str(p.relative_to(site)): p.stat() for p in site.rglob("*") if p.is_file()}
    _round_title(work)
    _publish(work, site, jobs=jobs, cache=False)
    after = {str(p.relative_to(site)): p.stat() for p in site.rglob("*") if p.is_file()}
    kept = {name for name in after if name in before and after[name].st_ino == before[name].st_ino}
    for name in ["context.jsonld", "ontology/migrmeta.ttl", "shapes/survey.ttl", "assets/site.css",
                 f"surveys/{OTHER}.ttl", f"fr/surveys/{OTHER}.html"]:
        assert name in kept, name
        assert after[name].st_mtime_ns == before[name].st_mtime_ns, name
    for name in [f"surveys/{ROUND}.ttl", f"en/surveys/{ROUND}.html", "catalog.ttl", "release.json"]:
        assert name not in kept, name
    fresh = _publish_fresh(work)  # no previous release there: its changelog and feeds differ
    assert survey_files(site) == survey_files(fresh)
    for name in ["catalog.ttl", "catalog.jsonld", "context.jsonld", "assets/site.css", "ontology/migrmeta.ttl"]:
        assert (site / name).read_bytes() == (fresh / name).read_bytes(), name


def test_a_file_is_never_linked_from_outside_the_previous_site(work: Path) -> None:
    """The review: a folder of the previous site replaced by a link to another folder (here
    ontology/) holding the same bytes: the new site's file must not be that outside file
    (a hard link to it would change with it); it is written anew."""
    site = work / "site"
    _publish(work, site, jobs=1, cache=False)
    outside = work / "outside"
    shutil.move(str(site / "ontology"), outside)
    (site / "ontology").symlink_to(outside, target_is_directory=True)
    _publish(work, site, jobs=1, cache=False)
    assert not (site / "ontology").is_symlink()
    ours, theirs = site / "ontology" / "migrmeta.ttl", outside / "migrmeta.ttl"
    assert ours.read_bytes() == theirs.read_bytes()
    assert ours.stat().st_ino != theirs.stat().st_ino and theirs.stat().st_nlink == 1
