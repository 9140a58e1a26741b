"""One survey under two IRIs, said the same with `owl:sameAs`, is one survey from the merge on:
`merge` writes it once, `publish` one page and one dcat:Dataset, `diff` and the changelog, feed
and release.json of `publish` say where it went, and the alias's old page sends readers on
and its data documents say which survey it is (migrmeta/merging/aliases.py,
publishing/changelog.py, publishing/pages/moved.py, publishing/alias_data.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from alias_records import ALIAS, MERGE, SAME_AS, SOF
from alias_records import edited as _edited
from alias_records import records as _records
from alias_records import write as _write
from command import run
from lxml import etree, html
from rdflib import Dataset, Graph, Literal, URIRef

from migrmeta.load import parse_bytes
from migrmeta.merging.merge import merge
from migrmeta.namespaces import DCAT, DCT, OWL, RDF, RDFS, SURVEY
from migrmeta.publishing.pages.labels import LANGUAGES, site_labels
from migrmeta.publishing.pages.layout import survey_page_path


def _line_of(path: str, text: str) -> int:
    lines = Path(path.partition("=")[0]).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def _quads(path: Path) -> list[tuple[object, object, object, object]]:
    dataset = Dataset()
    dataset.parse(path, format="trig")
    return list(dataset.quads((None, None, None, None)))


def _only_as_same_as(quads: list[tuple[object, object, object, object]], alias: URIRef, kept: URIRef) -> None:
    """The alias is named by `<kept> owl:sameAs <alias>` and by nothing else, in any graph."""
    naming = {(s, p, o) for s, p, o, _ in quads if alias in (s, o)}
    assert naming == {(kept, OWL.sameAs, alias)}


def test_merge_writes_one_survey_and_says_which_iri_it_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = _records(tmp_path / "in")
    out = tmp_path / "sof.trig"
    code, _, err = run(capsys, "merge", *inputs, "--prefer", "psa", "-o", str(out))
    assert code == 0, err
    line = _line_of(inputs[1], SAME_AS)
    assert (f"same survey: survey:un-sof is published as survey:ph-sof (owl:sameAs in {inputs[1].partition('=')[0]} "
            f"line {line}; psa preferred)") in err
    quads = _quads(out)
    _only_as_same_as(quads, ALIAS, SOF)
    kept = {(s, p, o) for s, p, o, g in quads if g is not None and not str(g).endswith("/superseded")}
    assert {s for s, p, o in kept if p == RDF.type and o == DCAT.DatasetSeries} == {SOF}
    assert {o for s, p, o in kept if s == SOF and p == DCT.identifier} == {Literal("ph-sof")}
    # the UN's statements moved onto ph-sof: its second citation is kept, its identifier set aside
    assert len({o for s, p, o in kept if s == SOF and p == DCT.bibliographicCitation}) == 2
    aside = {(s, p, o) for s, p, o, g in quads if str(g).endswith("un-desa-pd/ph-sof.ttl/superseded")}
    assert (SOF, DCT.identifier, Literal("un-sof")) in aside


def test_a_conflict_the_folding_brings_is_reported_and_settled_by_prefer(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Folded, the two start years meet on one survey: a conflict, written nowhere until --prefer
    settles it; without --prefer the subject of owl:sameAs is the IRI kept."""
    inputs = _records(tmp_path / "in")
    out = tmp_path / "sof.trig"
    code, _, err = run(capsys, "merge", *inputs, "-o", str(out))
    assert code == 1 and not out.exists()
    assert "same survey: survey:ph-sof is published as survey:un-sof" in err and "the subject of owl:sameAs" in err
    assert "conflict: item 4 (Time frame), time frame / dct:temporal of survey:un-sof\n" in err
    code, _, err = run(capsys, "merge", *inputs, "--prefer", "psa", "-o", str(out))
    assert code == 0 and "resolved: item 4 (Time frame), time frame / dct:temporal of survey:ph-sof\n" in err
    quads = _quads(out)
    periods = {o for s, p, o, g in quads if s == SOF and p == DCT.temporal and not str(g).endswith("/superseded")}
    starts = {str(o) for s, p, o, _ in quads if s in periods and p == DCAT.startDate}
    assert starts == {"1991"}
    aside = {o for s, p, o, g in quads if s == SOF and p == DCT.temporal and str(g).endswith("/superseded")}
    assert {str(o) for s, p, o, _ in quads if s in aside and p == DCAT.startDate} == {"1993"}


def test_publish_writes_one_page_and_one_titled_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = _records(tmp_path / "in")
    sites = [tmp_path / "site", tmp_path / "again"]
    for site in sites:
        code, out, err = run(capsys, "publish", *inputs, "-o", str(site), "--prefer", "psa", "--date", "2026-11-30",
                             "-q", "--no-cache")
        assert code == 0, err
        assert "Published 0 surveys and 1 series" in out
        assert "same survey: survey:un-sof is published as survey:ph-sof" in err
    site = sites[0]
    assert sorted(p.name for p in (site / "en" / "surveys").iterdir()) == ["ph-sof.html", "un-sof.html"]
    # the alias's only files: the page that sends a reader of its address on (pages/moved.py), and
    # the data documents that send a linked-data client on (publishing/alias_data.py)
    assert sorted(str(p.relative_to(site)) for p in site.rglob("*un-sof*")) == sorted([
        *(survey_page_path("un-sof", lang) for lang in LANGUAGES),
        *(f"surveys/un-sof{suffix}" for suffix in (".ttl", ".jsonld", ".nt"))])
    catalogue = Graph().parse(site / "catalog.ttl", format="turtle")
    datasets = set(catalogue.subjects(RDF.type, DCAT.Dataset))
    assert datasets == {SOF} and set(catalogue.objects(None, DCAT.dataset)) == {SOF}
    assert catalogue.value(SOF, DCT.title) == Literal("Survey on Overseas Filipinos", lang="en")
    _only_as_same_as([(*t, None) for t in catalogue], ALIAS, SOF)
    _only_as_same_as(_quads(site / "catalog.trig"), ALIAS, SOF)
    code, out, _ = run(capsys, "query", "--data", str(site), "--format", "csv",  # query reads what publish wrote
                       "-e", "SELECT DISTINCT ?s WHERE { ?s a <https://w3id.org/migrmeta/ns#SurveySeries> }")
    assert code == 0 and out.split() == ["s", str(SOF)]
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(sites[1]) for p in sites[1].rglob("*") if p.is_file())
    assert all((site / f).read_bytes() == (sites[1] / f).read_bytes() for f in files)  # the same bytes twice


def test_diff_says_the_alias_is_published_as_the_survey_kept(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    for site, same_as in ((before, False), (after, True)):
        code, _, err = run(capsys, "publish", *_records(tmp_path / site.name / "in", same_as=same_as),
                           "-o", str(site / "site"), "--prefer", "psa", "--date", "2026-11-30", "-q", "--no-cache")
        assert code == 0, err
    code, out, _ = run(capsys, "diff", str(before / "site"), str(after / "site"))
    assert code == 1
    assert ": 0 added, 1 removed (1 published as another survey), 1 changed, 0 unchanged" in out
    assert "removed  survey:un-sof  Survey on Overseas Filipinos  (published as survey:ph-sof: owl:sameAs)" in out
    changed = out.split("changed  survey:ph-sof")[1].split("\n\n")[0]
    assert "owl:sameAs\n    + survey:un-sof" in changed
    code, out, _ = run(capsys, "diff", str(before / "site"), str(after / "site"), "--format", "json")
    surveys = {s["survey"]: s for s in json.loads(out)["surveys"]}
    assert surveys[str(ALIAS)]["published_as"] == str(SOF) and surveys[str(SOF)]["published_as"] is None


def _chain(root: Path, *links: tuple[str, str]) -> list[str]:
    """Three copies of PSA's ph-sof under survey:sof-x, -y, -z, each file with its survey's owl:sameAs links,
    and a round whose series is named survey:sof-x."""
    paths = []
    for name in ("sof-x", "sof-y", "sof-z"):
        said = "".join(f"survey:{s} {SAME_AS} survey:{o} .\n" for s, o in links if s == name)
        extra = f"<https://example.org/round-2019> dcat:inSeries survey:{name} .\n" if name == "sof-x" else ""
        text = _edited(MERGE / "psa" / "ph-sof.ttl", ("survey:ph-sof a", f"{said}{extra}survey:{name} a"))
        paths.append(str(_write(root / f"{name}.ttl", text)))
    return paths


def test_a_chain_is_one_survey_kept_under_the_subject_of_the_first_link(tmp_path: Path) -> None:
    result = merge(_chain(tmp_path, ("sof-z", "sof-y"), ("sof-y", "sof-x")))
    kept = SURVEY["sof-z"]
    assert [(a.alias, a.canonical, a.reason) for a in result.aliases] == [
        (SURVEY["sof-x"], kept, "the subject of owl:sameAs"), (SURVEY["sof-y"], kept, "the subject of owl:sameAs")]
    catalogue = result.catalogue()
    assert {s for s, p, o in catalogue if p == RDF.type and o == DCAT.DatasetSeries} == {kept}
    assert (URIRef("https://example.org/round-2019"), DCAT.inSeries, kept) in catalogue  # objects moved too
    for alias in (SURVEY["sof-x"], SURVEY["sof-y"]):
        _only_as_same_as([(*t, None) for t in catalogue], alias, kept)
    assert result.exit_code() == 0 and not result.duplicates


def test_a_cycle_keeps_the_first_iri_and_a_link_to_an_undescribed_iri_stays_a_link(tmp_path: Path) -> None:
    wikidata = URIRef("http://www.wikidata.org/entity/Q1")
    paths = _chain(tmp_path, ("sof-z", "sof-y"), ("sof-y", "sof-x"), ("sof-x", "sof-z"))
    result = merge(paths)
    assert {(a.canonical, a.reason) for a in result.aliases} == {(SURVEY["sof-x"], "first in IRI order")}
    assert {s for s, p, o in result.catalogue() if p == RDF.type and o == DCAT.DatasetSeries} == {SURVEY["sof-x"]}
    linked = Path(paths[0])
    linked.write_text(linked.read_text(encoding="utf-8") + f"survey:sof-x {SAME_AS} <{wikidata}> .\n", encoding="utf-8")
    alone = merge([str(linked)])
    assert not alone.aliases and (SURVEY["sof-x"], OWL.sameAs, wikidata) in alone.catalogue()


def test_a_survey_and_a_series_said_the_same_are_not_folded(tmp_path: Path) -> None:
    """A round and its series are two things, whatever a link says: the link is kept, nothing moved."""
    series, survey = _chain(tmp_path, ("sof-x", "sof-y"))[:2]
    Path(survey).write_text(_edited(Path(survey), ("mm:SurveySeries, dcat:DatasetSeries, disco:StudyGroup",
                                                   "mm:Survey, dcat:Dataset, disco:Study")), encoding="utf-8")
    result = merge([series, survey])
    assert not result.aliases
    assert (SURVEY["sof-x"], OWL.sameAs, SURVEY["sof-y"]) in result.catalogue()



def _publish_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str], site: Path) -> str:
    """The two surveys published apart, then the UN's folded onto PSA's by owl:sameAs, over that
    site; what the second publish said."""
    said = ""
    for name, same_as in (("apart", False), ("folded", True)):
        code, said, err = run(capsys, "publish", *_records(tmp_path / name, same_as=same_as), "-o", str(site),
                              "--prefer", "psa", "-q", "--no-cache")
        assert code == 0, err
    return said


def test_the_changelog_feed_and_release_say_the_alias_is_published_as_the_survey_kept(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    said = _publish_twice(tmp_path, capsys, site)
    assert "1 removed (1 published as another survey)" in said  # publish's own summary, as diff's
    kept_page = survey_page_path("ph-sof")
    assert kept_page == "en/surveys/ph-sof.html" and (site / kept_page).is_file()
    release = json.loads((site / "release.json").read_text(encoding="utf-8"))
    entry = next(e for e in release["changes"] if e["survey"] == str(ALIAS))
    assert (entry["status"], entry["published_as"], entry["page"]) == ("removed", str(SOF), kept_page)
    assert entry["published_as_title"] == "Survey on Overseas Filipinos"
    for lang, heading, published_as in (
            ("en", "Published under another IRI:", "is now published as"),
            ("fr", "Publiée sous un autre IRI :", "est désormais publiée en tant que"),  # the pages' words, translated
            ("es", "Publicada con otro IRI:", "se publica ahora como")):
        changelog = html.fromstring((site / lang / "changelog.html").read_bytes())
        article = next(a for a in changelog.iter("article") if a.findtext("p/code") == str(ALIAS))  # its entry
        said = " ".join(article.text_content().split())
        assert said.startswith(heading) and "Removed" not in said, said
        assert f"{ALIAS} {published_as} Survey on Overseas Filipinos ({SOF}, owl:sameAs)" in said, said
        assert {a.get("href") for a in article.iter("a")} == {survey_page_path("ph-sof", lang).split("/", 1)[1]}
    atom = "{http://www.w3.org/2005/Atom}"
    feed = etree.fromstring((site / "feed.xml").read_bytes())
    item = next(e for e in feed.iter(f"{atom}entry") if e.findtext(f"{atom}id", "").startswith(f"{ALIAS}#"))
    assert item.findtext(f"{atom}title", "").startswith("Published under another IRI:")
    assert item.find(f"{atom}link[@rel='alternate']").get("href") == kept_page  # type: ignore[union-attr]
    summary = item.findtext(f"{atom}summary", "")
    assert summary.startswith(f"Published as “Survey on Overseas Filipinos” ({SOF})") and "Removed" not in summary
    french = etree.fromstring((site / "fr" / "feed.xml").read_bytes())
    item = next(e for e in french.iter(f"{atom}entry") if e.findtext(f"{atom}id", "").startswith(f"{ALIAS}#"))
    title = item.find(f"{atom}title")
    assert title is not None and "".join(title.itertext()).startswith("Publiée sous un autre IRI : ")
    # the alias's title, recorded in English, is marked so in the French feed (an XHTML title)
    assert title.get("type") == "xhtml" and [s.get("{http://www.w3.org/XML/1998/namespace}lang") for s in
                                             title.iter("{http://www.w3.org/1999/xhtml}span")] == ["en"]
    assert item.findtext(f"{atom}summary", "").startswith(f"Publiée en tant que « Survey on Overseas Filipinos » ({SOF})")
    assert item.find(f"{atom}link[@rel='alternate']").get("href") == "surveys/ph-sof.html"  # type: ignore[union-attr]


def test_the_alias_old_page_sends_readers_to_the_survey_kept_in_each_language(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    _publish_twice(tmp_path, capsys, site)
    for lang in LANGUAGES:
        page = html.fromstring((site / survey_page_path("un-sof", lang)).read_bytes())
        assert page.get("lang") == lang
        assert page.xpath("//meta[@http-equiv='refresh']/@content") == ["0; url=ph-sof.html"]
        assert page.xpath("//meta[@name='robots']/@content") == ["noindex"]
        assert (site / lang / "surveys" / "ph-sof.html").is_file()
        labels = site_labels(lang)
        assert page.xpath("string(//h1)") == labels.ui("moved")
        said = page.xpath("string(//main/p)")
        assert said == labels.ui("moved_to").replace("{survey}", "Survey on Overseas Filipinos")
        assert page.xpath("//main/p/a/@href") == ["ph-sof.html"]


def test_a_second_fold_publishes_the_same_bytes_and_the_old_page_stays_while_the_link_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same two publishes over two copies give the same bytes; a third, the records unchanged,
    keeps the alias's old page (a later bookmark, not only the fold's release) and the changelog's link."""
    first, second = tmp_path / "first", tmp_path / "second"
    _publish_twice(tmp_path / "a", capsys, first)
    _publish_twice(tmp_path / "b", capsys, second)
    files = sorted(str(p.relative_to(first)) for p in first.rglob("*") if p.is_file())
    assert files == sorted(str(p.relative_to(second)) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    before = {lang: (first / survey_page_path("un-sof", lang)).read_bytes() for lang in LANGUAGES}
    shutil.rmtree(tmp_path / "a" / "folded")
    code, _, err = run(capsys, "publish", *_records(tmp_path / "a" / "folded"), "-o", str(first), "--prefer", "psa",
                       "-q", "--no-cache")
    assert code == 0, err
    assert {lang: (first / survey_page_path("un-sof", lang)).read_bytes() for lang in LANGUAGES} == before
    release = json.loads((first / "release.json").read_text(encoding="utf-8"))
    assert [(e["published_as"], e["page"]) for e in release["changes"] if e["survey"] == str(ALIAS)] == [
        (str(SOF), "en/surveys/ph-sof.html")]


def test_a_round_said_the_same_as_its_series_keeps_its_own_title(tmp_path: Path) -> None:
    """Not folded, not compared either: the round's title and identifier are no conflict with
    the series' (--prefer psa set them aside, and the round was published without them)."""
    round_ = _write(tmp_path / "un" / "sof-2019.ttl", (
        "@prefix mm: <https://w3id.org/migrmeta/ns#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n"
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix survey: <https://w3id.org/migrmeta/survey/> .\n"
        f"survey:ph-sof-2019 a mm:Survey, dcat:Dataset ; dcat:inSeries survey:ph-sof ; {SAME_AS} survey:ph-sof ;\n"
        '    dct:identifier "ph-sof-2019" ; dct:title "Survey on Overseas Filipinos 2019"@en .\n'))
    result = merge([str(MERGE / "psa" / "ph-sof.ttl"), f"{round_}=un-desa-pd"], prefer=["psa"])
    assert not result.aliases and not result.conflicts
    catalogue = result.catalogue()
    assert (SURVEY["ph-sof-2019"], DCT.title, Literal("Survey on Overseas Filipinos 2019", lang="en")) in catalogue
    assert (SURVEY["ph-sof-2019"], DCT.identifier, Literal("ph-sof-2019")) in catalogue


def test_two_surveys_said_the_same_through_a_series_are_folded(tmp_path: Path) -> None:
    """sof-z (a series) owl:sameAs sof-x and sof-y (two surveys): the series stays apart, the
    two surveys are one, whichever IRI of the class the series would have been."""
    paths = _chain(tmp_path, ("sof-z", "sof-x"), ("sof-z", "sof-y"))
    for path in paths[:2]:
        Path(path).write_text(_edited(Path(path), ("mm:SurveySeries, dcat:DatasetSeries, disco:StudyGroup",
                                                   "mm:Survey, dcat:Dataset, disco:Study")), encoding="utf-8")
    result = merge(paths)
    assert [(a.alias, a.canonical, a.reason) for a in result.aliases] == [
        (SURVEY["sof-y"], SURVEY["sof-x"], "first in IRI order")]
    assert {s for s, p, o in result.catalogue() if p == RDF.type and o == DCAT.Dataset} == {SURVEY["sof-x"]}


@pytest.mark.parametrize("base_url", [None, "https://example.org/mm/"])
def test_the_alias_data_documents_say_which_survey_it_is(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         base_url: str | None) -> None:
    """surveys/un-sof.ttl, .jsonld, .nt: `<alias> owl:sameAs <kept>` (and, with a base URL, rdfs:seeAlso
    the kept survey's document in the same format), each read back as an rdflib graph (through the one
    reader: the JSON-LD's context is the project's, never fetched); the same bytes twice."""
    sites = [tmp_path / "site", tmp_path / "again"]
    for site in sites:
        extra = ["--base-url", base_url] if base_url else []
        code, _, err = run(capsys, "publish", *_records(tmp_path / "in"), "-o", str(site), "--prefer", "psa",
                           "-q", "--no-cache", *extra)
        assert code == 0, err
    for suffix, syntax in ((".ttl", "turtle"), (".jsonld", "jsonld"), (".nt", "ntriples")):
        path = sites[0] / "surveys" / f"un-sof{suffix}"
        graph = parse_bytes(path.read_bytes(), str(path), syntax).graph
        expected = {(ALIAS, OWL.sameAs, SOF)}
        if base_url:
            expected.add((ALIAS, RDFS.seeAlso, URIRef(f"{base_url}surveys/ph-sof{suffix}")))
        assert set(graph) == expected, path
        assert path.read_bytes() == (sites[1] / "surveys" / f"un-sof{suffix}").read_bytes()


def test_the_alias_data_documents_are_taken_over_with_the_catalogue_and_right_after_an_edit(
        tmp_path: Path) -> None:
    """publishing/reuse.py: with no record changed, a publish over the previous site links the
    alias's documents (the same inode) as the catalogue's files; after an edit they are made
    again, the same bytes as a publish into an empty folder, and an edit that leaves their bytes
    as they were (a title: they say only which survey the alias is) keeps the previous files and
    their dates."""
    from migrmeta.publishing.site import PublishOptions, publish

    inputs, site, cache = _records(tmp_path / "in"), tmp_path / "site", tmp_path / "cache"
    options = PublishOptions(prefer=("psa",), cache_dir=cache)
    names = [f"surveys/un-sof{suffix}" for suffix in (".ttl", ".jsonld", ".nt")]

    def published() -> dict[str, int]:
        assert publish(inputs, site, options).refused is None
        fresh = tmp_path / f"fresh-{len(list(tmp_path.glob('fresh-*')))}"
        assert publish(inputs, fresh, PublishOptions(prefer=("psa",), cache=False)).refused is None
        for name in (*names, "catalog.ttl"):
            assert (site / name).read_bytes() == (fresh / name).read_bytes(), name
        return {name: (site / name).stat().st_ino for name in names}

    first = published()
    assert published() == first  # nothing changed: taken over
    psa = Path(inputs[0])
    psa.write_text(_edited(psa, ('"Survey on Overseas Filipinos"@en', '"Survey of Overseas Filipinos"@en')),
                   encoding="utf-8")
    assert published() == first  # a record changed, but not these bytes: the previous files kept
