"""`publish` keeps the previous release's fingerprint (release.json) and writes changelog.html and
an Atom feed (feed.xml): one entry per changed survey, stable ids, dates from the data, the
same bytes for the same records and previous site."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from command import run
from conftest import Published
from lxml import etree
from lxml import html as lxml_html
from paths import RECORDS
from rdflib import Graph, URIRef

from migrmeta.merging.diff import fingerprints
from migrmeta.merging.snapshot import read_snapshot
from migrmeta.namespaces import DCT
from migrmeta.publishing.html import SITEMAP_XMLNS
from migrmeta.publishing.pages.labels import LANGUAGES, site_labels

FILES = ("agencies.ttl", "ph-sof.ttl", "mafe.ttl", "lamp.ttl")
ATOM = "{http://www.w3.org/2005/Atom}"
SOF = "https://w3id.org/migrmeta/survey/ph-sof"
MAFE = "https://w3id.org/migrmeta/survey/mafe"
LAMP = "https://w3id.org/migrmeta/survey/lamp"


def publish(capsys: pytest.CaptureFixture[str], records: Path, site: Path, *extra: str) -> str:
    code, out, err = run(capsys, "publish", str(records), "-o", str(site), "--no-cache", *extra)
    assert code == 0, out + err
    return out


def files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def entries(site: Path) -> list[etree._Element]:
    feed = etree.fromstring((site / "feed.xml").read_bytes())
    assert feed.tag == f"{ATOM}feed"
    return feed.findall(f"{ATOM}entry")


@pytest.fixture
def records(tmp_path: Path) -> Path:
    folder = tmp_path / "records"
    folder.mkdir()
    for name in FILES:
        shutil.copy(RECORDS / name, folder / name)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_first_release_is_the_baseline(records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    out = publish(capsys, records, site)
    assert "the first release: nothing to compare with" in out
    release = json.loads((site / "release.json").read_text(encoding="utf-8"))
    assert release["changes"] == [] and release["catalog"] == "https://w3id.org/migrmeta/catalog"
    assert release["surveys"] == fingerprints(read_snapshot(str(site)).triples)  # the fingerprint of catalog.ttl
    assert entries(site) == []
    first = files(site)
    out = publish(capsys, records, site)  # again, over itself: nothing changed, the same bytes
    assert "0 added, 0 removed, 0 changed" in out
    assert files(site) == first


def test_a_release_lists_what_changed_and_the_feed_has_one_entry_per_survey(
        records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    publish(capsys, records, site)
    edit(records / "ph-sof.ttl", '"Survey on Overseas Filipinos"@en', '"Survey on Overseas Filipinos (SOF)"@en')
    edit(records / "mafe.ttl", 'dcat:endDate "2010"^^xsd:gYear', 'dcat:endDate "2011"^^xsd:gYear')
    (records / "lamp.ttl").unlink()
    shutil.copy(RECORDS / "mmp.ttl", records / "mmp.ttl")
    previous = tmp_path / "previous"
    shutil.copytree(site, previous)
    out = publish(capsys, records, site)
    assert "1 added, 1 removed, 2 changed" in out
    found = entries(site)
    ids = [e.findtext(f"{ATOM}id") for e in found]
    assert len(ids) == 4 == len(set(ids))
    titles = sorted(e.findtext(f"{ATOM}title") or "" for e in found)
    assert [t.split(":")[0] for t in titles] == ["Added", "Changed", "Changed", "Removed"]
    assert "Changed: Survey on Overseas Filipinos (SOF)" in titles
    assert "Removed: Latin American Migration Project" in titles
    sof = next(e for e in found if (e.findtext(f"{ATOM}id") or "").startswith(f"{SOF}#changed-"))
    assert sof.findtext(f"{ATOM}summary") == "Changed: item 1 (Title): title."  # the field as the pages name it
    assert sof.find(f"{ATOM}link[@rel='alternate']").get("href") == "en/surveys/ph-sof.html"
    modified = max(re.findall(r'dct:modified "([0-9-]+)"', (RECORDS / "ph-sof.ttl").read_text(encoding="utf-8")))
    release_date = json.loads((site / "release.json").read_text(encoding="utf-8"))["date"]
    # the release's date (the data's, not the clock's), never the record's older one: a feed reader
    # passes over an entry older than what it saw; the changelog page gives the record's own date
    assert modified <= release_date and sof.findtext(f"{ATOM}updated") == f"{release_date}T00:00:00Z"
    assert f"updated {modified}" in (site / "en" / "changelog.html").read_text(encoding="utf-8")
    assert [c.get("term") for c in sof.findall(f"{ATOM}category")] == ["item-1"]
    page = (site / "en" / "changelog.html").read_text(encoding="utf-8")
    assert "Survey on Overseas Filipinos (SOF)" in page and "<code>dct:temporal</code>" in page
    assert "&quot;2010&quot;^^xsd:gYear" in page and "&quot;2011&quot;^^xsd:gYear" in page
    # the same records over a copy of the same previous site: the same bytes
    publish(capsys, records, previous)
    assert files(previous) == files(site)
    # published again: nothing new, the entries kept, the feed unchanged
    feed = (site / "feed.xml").read_bytes()
    publish(capsys, records, site)
    assert (site / "feed.xml").read_bytes() == feed
    # a later change adds its entry on top and keeps the earlier ones
    edit(records / "ph-sof.ttl", '"Survey on Overseas Filipinos (SOF)"@en', '"Survey on Overseas Filipinos"@en')
    publish(capsys, records, site)
    later = [e.findtext(f"{ATOM}id") for e in entries(site)]
    assert len(later) == 5 and later[1:] == ids and later[0].startswith(f"{SOF}#changed-")
    # every link of the feed, the changelog and release.json is a page of the site; a removed
    # survey has none, an earlier entry of a survey still published has the page it has now
    links = [e.find(f"{ATOM}link[@rel='alternate']").get("href") for e in entries(site)]
    links += ["en/" + link for link in re.findall(r'<h3>[^<]*<a href="([^"]+)"',
                                                  (site / "en" / "changelog.html").read_text(encoding="utf-8"))]
    release = json.loads((site / "release.json").read_text(encoding="utf-8"))
    pages = {e["survey"]: e["page"] for e in release["changes"]}
    links += [page for page in pages.values() if page]
    assert len(links) == 4 + 4 + 4 and all((site / link.split("#")[0]).is_file() for link in links), links
    assert pages["https://w3id.org/migrmeta/survey/lamp"] is None


def test_a_release_is_never_dated_before_the_one_it_follows(records: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Removing the records with the newest dates dated the next release earlier than the last
    one (its date is the catalogue's dct:modified, the newest record's): the changelog listed an
    older release on top, and the feed's entries were older than what its readers had seen."""
    site = tmp_path / "site"
    publish(capsys, records, site)
    first = json.loads((site / "release.json").read_text(encoding="utf-8"))["date"]
    for path in records.glob("*.ttl"):  # every record dated before the first release
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r'dct:modified "[0-9-]+"', 'dct:modified "2001-01-01"', text), encoding="utf-8")
    (records / "lamp.ttl").unlink()
    publish(capsys, records, site)
    release = json.loads((site / "release.json").read_text(encoding="utf-8"))
    assert release["date"] == first > "2001-01-01"
    removed = next(e for e in entries(site) if (e.findtext(f"{ATOM}id") or "").endswith(tuple("0123456789abcdef"))
                   and "#removed-" in (e.findtext(f"{ATOM}id") or ""))
    assert removed.findtext(f"{ATOM}updated") == f"{first}T00:00:00Z"
    assert all((e.findtext(f"{ATOM}updated") or "") >= f"{first}T" for e in entries(site))
    heads = re.findall(r'<h2 id="release[^"]*">([^<]*)</h2>', (site / "en" / "changelog.html").read_text(encoding="utf-8"))
    assert heads == [f"Release of {first}"], heads  # its changes under the release that tells them
    before = files(site)
    publish(capsys, records, site)  # again: the same date, the same bytes
    assert files(site) == before


def test_the_feed_links_under_the_base_url(records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    publish(capsys, records, site, "--base-url", "https://example.org/catalogue")
    edit(records / "ph-sof.ttl", '"Survey on Overseas Filipinos"@en', '"Survey on Overseas Filipinos (SOF)"@en')
    publish(capsys, records, site, "--base-url", "https://example.org/catalogue")
    feed = etree.fromstring((site / "feed.xml").read_bytes())
    assert feed.get("{http://www.w3.org/XML/1998/namespace}base") == "https://example.org/catalogue/"
    assert feed.findtext(f"{ATOM}id") == "https://w3id.org/migrmeta/catalog"
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link[@rel='alternate']").get("href") == "en/surveys/ph-sof.html"


def test_an_unreadable_previous_release_refuses_and_keeps_the_site(
        records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    publish(capsys, records, site)
    (site / "release.json").write_text("{not json", encoding="utf-8")
    before = files(site)
    code, _, err = run(capsys, "publish", str(records), "-o", str(site), "--no-cache")
    assert code == 1 and "release.json" in err and "Traceback" not in err
    assert files(site) == before
    # read by a worker process: the same message and hint reach the user
    code, _, from_worker = run(capsys, "publish", str(records), "-o", str(site), "--no-cache", "--jobs", "2")
    assert code == 1 and from_worker == err and f"hint: fix or remove {site / 'release.json'} (not the site)" in err
    assert files(site) == before
    # said in the file's terms, not Python's ("'NoneType' object is not subscriptable")
    for written, said in (("null", "it holds a JSON null, not an object"), ("[]", "it holds a JSON list, not an object"),
                          ("{}", 'it has no "changes"'), ('{"changes": [{}]}', 'entry 1 of "changes" is not an object')):
        (site / "release.json").write_text(written, encoding="utf-8")
        code, _, err = run(capsys, "publish", str(records), "-o", str(site), "--no-cache")
        assert code == 1 and said in err and "subscriptable" not in err, err


def test_a_change_undone_is_a_new_entry_and_the_earlier_one_stays(
        records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An entry's id is the survey, the kind, the day and the new content: a title changed and
    changed back the same day came back to the first entry's id, which was then dropped from
    release.json, the changelog and the feed (and feed readers had seen that id)."""
    site, sof = tmp_path / "site", records / "ph-sof.ttl"
    original = '"Survey on Overseas Filipinos 2019"@en'
    publish(capsys, records, site, "--date", "2026-11-30")
    edit(sof, original, '"Survey on Overseas Filipinos, 2019 round"@en')
    publish(capsys, records, site, "--date", "2026-11-30")
    edit(sof, '"Survey on Overseas Filipinos, 2019 round"@en', original)
    publish(capsys, records, site, "--date", "2026-11-30")
    edit(sof, original, '"Survey on Overseas Filipinos, 2019 round"@en')
    publish(capsys, records, site, "--date", "2026-11-30")
    changes = [e for e in json.loads((site / "release.json").read_text(encoding="utf-8"))["changes"]
               if e["status"] == "changed" and e["survey"].endswith("ph-sof-2019")]
    assert len(changes) == 3
    assert len({e["id"] for e in changes}) == 3
    ids = [e.findtext(f"{ATOM}id") for e in entries(site)]
    assert len(ids) == len(set(ids))


def test_every_page_links_the_changelog_and_the_feed(published: Published) -> None:
    """People find the changes (and the agencies' list) from any page, and feed readers find the
    feed in its head: those of the page's language."""
    site = published.out
    pages = [site / lang / "index.html" for lang in ("en", "fr", "es")]
    pages.append(next((site / "fr" / "surveys").glob("*.html")))
    pages += [site / lang / "changelog.html" for lang in ("en", "fr", "es")]
    for page in pages:
        html = etree.parse(str(page), etree.HTMLParser())
        lang = page.relative_to(site).parts[0]
        feed = html.xpath('//head/link[@rel="alternate"][@type="application/atom+xml"]/@href')
        footer = html.xpath("//footer//a/@href")
        assert len(feed) == 1 and any(href.endswith("changelog.html") for href in footer), page
        for href in (*feed, *footer):
            assert (page.parent / href).resolve().is_file(), href
        assert (page.parent / feed[0]).resolve() == (site / lang / "feed.xml").resolve(), page
        assert {(page.parent / href).resolve() for href in footer} == {
            (site / lang / name).resolve() for name in ("agencies.html", "changelog.html", "feed.xml")}, page
    french = etree.parse(str(pages[1]), etree.HTMLParser())
    assert "Ce qui a changé" in "".join(french.xpath("//footer//text()"))


def test_a_previous_site_larger_than_the_file_limit_is_still_read(records: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The previous site is migrmeta's own output, as large as the catalogue: the limit on a
    contributor's file (file_mb) never stops the next publish (a 10,000-record catalog.ttl is 21 MB)."""
    site = tmp_path / "site"
    publish(capsys, records, site)
    largest = max(p.stat().st_size for p in records.iterdir())
    limit = f"file_mb={largest * 1.2 / 1e6:.6f}"
    assert (site / "catalog.ttl").stat().st_size > largest * 1.2  # the site is over the limit, no record is
    edit(records / "mafe.ttl", "\"Migrations between Africa and Europe\"@en", "\"Migrations between Africa and Europe (MAFE)\"@en")
    code, out, err = run(capsys, "--limit", limit, "publish", str(records), "-o", str(site), "--no-cache")
    assert code == 0, out + err
    assert [e.findtext(f"{ATOM}id") for e in entries(site)] and "mafe" in (site / "en" / "changelog.html").read_text()


def _changes_of(site: Path) -> list[tuple[str, str, list[int]]]:
    release = json.loads((site / "release.json").read_text(encoding="utf-8"))
    return sorted((e["survey"], e["status"], e["items"]) for e in release["changes"])


def test_only_the_changed_surveys_of_the_previous_release_are_read(
        records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """release.json keeps each survey's fingerprint: an unchanged survey is not read again, a
    changed one from its own file (surveys/<id>.ttl); the 21 MB catalog.ttl of a 10,000-survey
    site is not read at all. Shown by spoiling the previous catalog.ttl: the changelog is the
    same as with it whole."""
    site, whole = tmp_path / "site", tmp_path / "whole"
    publish(capsys, records, site)
    edit(records / "mafe.ttl", 'dcat:endDate "2010"^^xsd:gYear', 'dcat:endDate "2011"^^xsd:gYear')
    (records / "lamp.ttl").unlink()
    shutil.copytree(site, whole)
    publish(capsys, records, whole)
    (site / "catalog.ttl").write_text("this is not Turtle {", encoding="utf-8")
    out = publish(capsys, records, site)
    assert "0 added, 1 removed, 1 changed" in out
    assert _changes_of(site) == _changes_of(whole)
    assert ("https://w3id.org/migrmeta/survey/mafe", "changed", [4]) in _changes_of(site)


def test_an_agency_added_reads_nothing_of_the_previous_site(records: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """An agency added since needs nothing of the previous release but its fingerprints: its
    catalog.ttl, spoiled, is not read (a renamed one is: its old name is only there)."""
    site = tmp_path / "site"
    publish(capsys, records, site)
    with (records / "agencies.ttl").open("a", encoding="utf-8") as handle:
        handle.write("\nagency:new-office a foaf:Agent, foaf:Organization, mm:Agency ; dct:type at:government ;\n"
                     "    foaf:name \"A new statistical office\"@en ;\n"
                     "    mm:basedIn <http://publications.europa.eu/resource/authority/country/KEN> .\n")
    (site / "catalog.ttl").write_text("this is not Turtle {", encoding="utf-8")
    out = publish(capsys, records, site)
    assert "agencies: 1 added, 0 removed, 0 changed since the previous release" in out, out
    [entry] = json.loads((site / "release.json").read_text(encoding="utf-8"))["changes"]
    assert (entry["kind"], entry["status"], entry["survey"]) == ("agency", "added",
                                                                 "https://w3id.org/migrmeta/agency/new-office")


def test_a_survey_file_that_does_not_match_its_fingerprint_sends_the_changelog_to_the_whole_catalogue(
        records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A previous site edited by hand: the survey's own file no longer says what release.json
    fingerprinted, so the whole catalog.ttl is read and the changes are still right."""
    site, whole = tmp_path / "site", tmp_path / "whole"
    publish(capsys, records, site)
    edit(records / "mafe.ttl", 'dcat:endDate "2010"^^xsd:gYear', 'dcat:endDate "2011"^^xsd:gYear')
    shutil.copytree(site, whole)
    publish(capsys, records, whole)
    edit(site / "surveys" / "mafe.ttl", '"2010"^^xsd:gYear', '"2009"^^xsd:gYear')
    publish(capsys, records, site)
    assert _changes_of(site) == _changes_of(whole)
    release = json.loads((site / "release.json").read_text(encoding="utf-8"))
    mafe = next(e for e in release["changes"] if e["survey"].endswith("/mafe"))
    [old], [new] = mafe["changes"][0]["old"], mafe["changes"][0]["new"]  # the period, written inline
    assert 'dcat:endDate "2010"' in old and 'dcat:endDate "2011"' in new and "2009" not in old


BASE = "https://example.org/catalogue"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The site's words in French and Spanish, written out here (not looked up): the pages say them.
WORDS = {"fr": {"columns": ["Question", "Champ", "Ancienne valeur", "Nouvelle valeur"], "changed": "Modifiée : ",
                "removed": "Retirée : ", "release": "Version du ", "summary": "Modifiée : question 1 ("},
         "es": {"columns": ["Pregunta", "Campo", "Valor anterior", "Valor nuevo"], "changed": "Modificada: ",
                "removed": "Retirada: ", "release": "Versión del ", "summary": "Modificada: pregunta 1 ("},
         "en": {"columns": ["Item", "Field", "Old value", "New value"], "changed": "Changed: ",
                "removed": "Removed: ", "release": "Release of ", "summary": "Changed: item 1 ("}}


@pytest.fixture
def two_releases(records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The records published, then one title and one time frame changed and one survey removed,
    published again over that site (under a base URL: the sitemap is written)."""
    site = tmp_path / "site"
    publish(capsys, records, site, "--base-url", BASE)
    edit(records / "ph-sof.ttl", '"Survey on Overseas Filipinos"@en', '"Survey on Overseas Filipinos (SOF)"@en')
    edit(records / "mafe.ttl", 'dcat:endDate "2010"^^xsd:gYear', 'dcat:endDate "2011"^^xsd:gYear')
    (records / "lamp.ttl").unlink()
    assert "0 added, 1 removed, 2 changed" in publish(capsys, records, site, "--base-url", BASE)
    return site


def test_the_changelog_is_in_each_language_with_its_words_fields_titles_and_dates(two_releases: Path) -> None:
    site = two_releases
    release = json.loads((site / "release.json").read_text(encoding="utf-8"))["date"]
    french_title = {str(o) for s, p, o in Graph().parse(site / "surveys" / "mafe.ttl")
                    if s == URIRef(MAFE) and p == DCT.title and getattr(o, "language", None) == "fr"}
    assert len(french_title) == 1  # the page's title in French, where the record has one
    for lang, words in WORDS.items():
        labels = site_labels(lang)
        page = lxml_html.fromstring((site / lang / "changelog.html").read_bytes())
        assert page.get("lang") == lang
        assert [" ".join(th.text_content().split()) for th in page.iter("th")] == words["columns"] * 2
        headings = [" ".join(h.text_content().split()) for h in page.iter("h3")]
        assert sorted(h.startswith(words["changed"]) for h in headings) == [False, True, True], headings
        assert sum(h.startswith(words["removed"]) for h in headings) == 1
        assert [h.text_content() for h in page.iter("h2")] == [f"{words['release']}{release}"]  # dates as the pages write them
        # the Field column: the label the survey pages use, the prefixed name only as <code> and a tooltip
        cells = {row[1].findtext("code"): row for row in page.iter("tr") if row.find("td") is not None}
        assert set(cells) == {"dct:title", "dct:temporal"}
        for curie, prop in (("dct:title", DCT.title), ("dct:temporal", DCT.temporal)):
            field = cells[curie][1]
            shown = field.find("span")
            assert shown.text == labels.field(prop) and ":" not in shown.text and shown.get("title") == curie
        assert cells["dct:temporal"][0].text_content() == f"4. {labels.item(4)}"
        mafe = next(a for a in page.iter("a") if a.get("href") == "surveys/mafe.html")
        if lang == "fr":
            assert mafe.text_content() in french_title
        for href in {a.get("href") for a in page.iter("a")} - {None}:
            assert href.startswith("https://") or (site / lang / href.split("#")[0]).resolve().exists(), href


def test_each_language_has_its_feed_and_the_root_keeps_the_english_one(two_releases: Path) -> None:
    site = two_releases
    removed = [e for e in json.loads((site / "release.json").read_text(encoding="utf-8"))["changes"]
               if e["status"] == "removed"]
    assert [(e["survey"], e["title"], e.get("title_lang")) for e in removed] == [
        (LAMP, "Latin American Migration Project", "en")]
    root = etree.fromstring((site / "feed.xml").read_bytes())
    assert root.get(XML_LANG) == "en" and root.findtext(f"{ATOM}id") == "https://w3id.org/migrmeta/catalog"
    ids = [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")]
    hrefs = [e.find(f"{ATOM}link[@rel='alternate']").get("href") for e in root.iter(f"{ATOM}entry")]
    assert len(ids) == 3 and all(h.startswith("en/") and (site / h.split("#")[0]).is_file() for h in hrefs), hrefs
    feeds = set()
    for lang, words in WORDS.items():
        feed = etree.fromstring((site / lang / "feed.xml").read_bytes())  # well-formed XML, or this fails
        assert feed.tag == f"{ATOM}feed" and feed.get(XML_LANG) == lang
        assert feed.get("{http://www.w3.org/XML/1998/namespace}base") == f"{BASE}/{lang}/"
        feeds.add(feed.findtext(f"{ATOM}id"))
        found = feed.findall(f"{ATOM}entry")
        assert [e.findtext(f"{ATOM}id") for e in found] == ids  # the same changes, said in the language
        titles = ["".join(e.find(f"{ATOM}title").itertext()) for e in found]
        assert all(t.startswith((words["changed"], words["removed"])) for t in titles), titles
        sof = next(e for e in found if (e.findtext(f"{ATOM}id") or "").startswith(f"{SOF}#"))
        # SOF has an English title only: marked as such in the other languages' feeds
        marked = sof.findall(f"{ATOM}title/{{http://www.w3.org/1999/xhtml}}div/{{http://www.w3.org/1999/xhtml}}span")
        if lang == "en":
            assert sof.find(f"{ATOM}title").get("type") is None and not marked
        else:
            assert sof.find(f"{ATOM}title").get("type") == "xhtml"
            assert [(s.get(XML_LANG), s.text) for s in marked] == [("en", "Survey on Overseas Filipinos (SOF)")]
        summary = sof.findtext(f"{ATOM}summary") or ""
        assert summary.startswith(words["summary"]) and "dct:" not in summary, summary
        # LAMP, removed, is named by the title release.json recorded, in the language recorded with it
        lamp = next(e for e in found if (e.findtext(f"{ATOM}id") or "").startswith(f"{LAMP}#removed-"))
        lamp_marked = lamp.findall(
            f"{ATOM}title/{{http://www.w3.org/1999/xhtml}}div/{{http://www.w3.org/1999/xhtml}}span")
        if lang == "en":
            assert lamp.find(f"{ATOM}title").get("type") is None and not lamp_marked
        else:
            assert [(s.get(XML_LANG), s.text) for s in lamp_marked] == [("en", "Latin American Migration Project")]
        for entry in found:
            href = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
            assert (site / lang / href.split("#")[0]).is_file(), href
        assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == "changelog.html"
    assert len(feeds | {root.findtext(f"{ATOM}id")}) == 4  # every feed its own id


def test_the_root_changelog_chooses_a_language_and_the_sitemap_lists_every_changelog_and_feed(
        two_releases: Path) -> None:
    site = two_releases
    chooser = lxml_html.fromstring((site / "changelog.html").read_bytes())
    links = chooser.xpath("//main//a")
    assert [(a.get("href"), a.get("hreflang")) for a in links] == [(f"{lang}/changelog.html", lang) for lang in LANGUAGES]
    assert all((site / a.get("href")).is_file() for a in links)
    assert chooser.xpath('//head/link[@type="application/atom+xml"]/@href') == ["feed.xml"]  # feed readers find it
    script = "".join(chooser.xpath("//script/text()"))
    assert '"/changelog.html"+location.hash' in script  # an old link's #entry arrives in the reader's language
    sitemap = etree.fromstring((site / "sitemap.xml").read_bytes())
    locations = {loc.text for loc in sitemap.iter(f"{{{SITEMAP_XMLNS}}}loc")}
    for lang in WORDS:
        assert {f"{BASE}/{lang}/changelog.html", f"{BASE}/{lang}/feed.xml"} <= locations
    assert f"{BASE}/changelog.html" not in locations  # the chooser, as the root index, is not listed


def test_the_changelog_shows_values_as_the_pages_do(records: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """The readers' changelog showed `country:HND` and `"3200"^^xsd:integer` (the researcher review):
    a value is shown as the survey pages show it, its written form kept in the tooltip."""
    site = tmp_path / "site"
    publish(capsys, records, site)
    edit(records / "ph-sof.ttl", "mm:accessLevel acc:unknown", "mm:accessLevel acc:licensed")
    edit(records / "ph-sof.ttl", '"Survey on Overseas Filipinos"@en', '"Survey on Overseas Filipinos (SOF)"@en')
    publish(capsys, records, site)
    for lang in ("en", "fr"):
        labels = site_labels(lang)
        page = lxml_html.fromstring((site / lang / "changelog.html").read_bytes())
        rows = {row[1].findtext("code"): row for row in page.iter("tr") if row.find("td") is not None}
        access = rows["mm:accessLevel"]
        licensed = "https://w3id.org/migrmeta/vocab/access-level/licensed"
        assert access[3].text_content() == labels.concept(licensed)
        assert access[3].find("span").get("title") == "access-level:licensed"  # as written, in the tooltip
        assert ":" not in access[2].text_content()
        assert rows["dct:title"][3].text_content() == "Survey on Overseas Filipinos (SOF)"
        assert '"' not in rows["dct:title"][2].text_content()


def test_a_renamed_agency_is_a_change_of_the_release(records: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A renamed agency changed every page of its surveys, and `diff` said so, but release.json,
    the changelog and the feed said 0 changed: the feed's readers never heard of it."""
    site = tmp_path / "site"
    publish(capsys, records, site)
    edit(records / "agencies.ttl", 'foaf:name "Philippine Statistics Authority"@en',
         'foaf:name "Philippine Statistical Authority"@en')
    out = publish(capsys, records, site)
    assert "0 changed, 4 unchanged; agencies: 0 added, 0 removed, 1 changed since the previous release" in out, out
    release = json.loads((site / "release.json").read_text(encoding="utf-8"))
    [entry] = release["changes"]
    assert entry["kind"] == "agency" and entry["survey"] == "https://w3id.org/migrmeta/agency/psa"
    assert [(c["field"], c["old"], c["new"]) for c in entry["changes"]] == [
        ("foaf:name", ['"Philippine Statistics Authority"@en'], ['"Philippine Statistical Authority"@en'])]
    [feed_entry] = entries(site)
    assert feed_entry.findtext(f"{ATOM}title") == "Agency changed: Philippine Statistical Authority"
    assert (feed_entry.findtext(f"{ATOM}summary") or "").startswith("Agency changed: agency name, as its page and the")
    assert entry["page"] == "en/agencies/psa.html"  # release.json links the page the changelog and feed link
    assert '<h3>Organisme modifié : <a href="agencies/psa.html"><span lang="en">Philippine Statistical Authority</span>' \
        '</a></h3>' in (site / "fr" / "changelog.html").read_text(encoding="utf-8")  # its English name, marked so
    assert (site / "fr" / "agencies" / "psa.html").is_file()  # the entry links the agency's page
    assert feed_entry.find(f"{ATOM}link").get("href", "").endswith("agencies/psa.html")  # type: ignore[union-attr]
    assert "Philippine Statistical Authority" in (site / "en" / "surveys" / "ph-sof.html").read_text(encoding="utf-8")
    before = files(site)
    out = publish(capsys, records, site)  # nothing new: no second entry, the same bytes
    assert "agencies:" not in out and files(site) == before


def test_a_changed_agency_is_named_in_the_pages_language(records: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """The French changelog and feed called an agency by the English name release.json
    recorded, where its survey pages gave its French name (a reviewer's find)."""
    site = tmp_path / "site"
    publish(capsys, records, site)
    edit(records / "agencies.ttl", 'foaf:name "Philippine Statistics Authority"@en',
         'foaf:name "Philippine Statistical Authority"@en, "Autorité statistique des Philippines"@fr')
    publish(capsys, records, site)
    assert '<h3>Organisme modifié : <a href="agencies/psa.html">Autorité statistique des Philippines</a></h3>' in \
        (site / "fr" / "changelog.html").read_text(encoding="utf-8")
    assert "<title>Organisme modifié : Autorité statistique des Philippines</title>" in \
        (site / "fr" / "feed.xml").read_text(encoding="utf-8")
    assert '<h3>Agency changed: <a href="agencies/psa.html">Philippine Statistical Authority</a></h3>' in \
        (site / "en" / "changelog.html").read_text(encoding="utf-8")


def test_a_yes_or_no_answer_changed_reads_as_on_the_survey_page(
        records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The changelog showed `false` where the survey page says no / non / no."""
    site = tmp_path / "site"
    publish(capsys, records, site)
    edit(records / "ph-sof.ttl", "mm:collectsRemittances true", "mm:collectsRemittances false")
    publish(capsys, records, site)
    for lang in LANGUAGES:
        page = (site / lang / "changelog.html").read_text(encoding="utf-8")
        no, yes = site_labels(lang).ui("no"), site_labels(lang).ui("yes")
        assert f'&quot;true&quot;^^xsd:boolean">{yes}</span>' in page, lang
        assert f'&quot;false&quot;^^xsd:boolean">{no}</span>' in page, lang


def test_a_catalogue_iri_with_a_fragment_gives_feed_ids_that_are_iris(records: Path, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """`--catalog-iri http://x/a#b` gave the feeds the id `http://x/a#b#changes-en`: two `#`
    make no IRI, and an Atom id must be one (the curator review)."""
    site, catalogue = tmp_path / "site", "https://example.org/catalogue#it"
    publish(capsys, records, site, "--catalog-iri", catalogue)
    edit(records / "ph-sof.ttl", '"Survey on Overseas Filipinos"@en', '"Survey on Overseas Filipinos (SOF)"@en')
    publish(capsys, records, site, "--catalog-iri", catalogue)
    assert etree.fromstring((site / "feed.xml").read_bytes()).findtext(f"{ATOM}id") == catalogue
    for lang in LANGUAGES:
        feed = etree.fromstring((site / lang / "feed.xml").read_bytes())
        ids = [feed.findtext(f"{ATOM}id"), *(e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry"))]
        assert ids[0] == f"{catalogue}-changes-{lang}" and len(ids) == 2, ids
        assert all(i and i.count("#") == 1 for i in ids), ids  # the entry's id: the survey IRI's fragment


def test_a_change_its_record_does_not_date_is_said(records: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The harvester review: a record edited without moving its dct:modified keeps the date its
    catalogue record had, and a harvester going by the date (ckanext-dcat, piveau) never fetches it
    again. publish says which surveys changed so, and stops saying it once the record is dated."""
    site = tmp_path / "site"
    publish(capsys, records, site)
    edit(records / "mafe.ttl", '"Migrations between Africa and Europe"@en', '"Migration between Africa and Europe"@en')
    said = publish(capsys, records, site)
    assert "warning: changed since the previous release, but dated no later than it by their records' " \
           "dct:modified (1): mafe (2026-11-30)" in said, said
    edit(records / "mafe.ttl", '"Migration between Africa and Europe"@en', '"Migrations between Africa and Europe"@en')
    edit(records / "mafe.ttl", 'dct:modified "2026-11-30"^^xsd:date', 'dct:modified "2026-12-07"^^xsd:date')
    said = publish(capsys, records, site)
    assert "1 changed" in said and "dated no later" not in said, said



def test_a_change_dated_later_than_its_own_last_date_is_not_said_stale(records: Path, tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """The review of the first fix: it compared a changed record's date with the previous
    release's (the newest of any record), so a record re-dated from 2026-10-01 to 2026-11-15
    was called stale beside another record of 2026-11-30. A harvester compares a record's date
    with that record's date it harvested, which release.json now keeps ("modified")."""
    site = tmp_path / "site"
    edit(records / "mafe.ttl", 'dct:modified "2026-11-30"^^xsd:date', 'dct:modified "2026-10-01"^^xsd:date')
    publish(capsys, records, site)
    kept = json.loads((site / "release.json").read_text(encoding="utf-8"))["modified"]
    assert kept[MAFE] == "2026-10-01" and kept[SOF] > "2026-10-01"
    edit(records / "mafe.ttl", '"Migrations between Africa and Europe"@en', '"Migration between Africa and Europe"@en')
    edit(records / "mafe.ttl", 'dct:modified "2026-10-01"^^xsd:date', 'dct:modified "2026-11-15"^^xsd:date')
    said = publish(capsys, records, site)
    assert "1 changed" in said and "dated no later" not in said, said
