"""`migrmeta publish` web pages: one page per survey and series with the schema.org JSON-LD
embedded, index.html, sitemap.xml with --base-url; escaping of hostile values; determinism."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from paths import DATA as DATA_DIR
from paths import REPO
from rdflib import Graph, URIRef

from migrmeta.cli import cli, main
from migrmeta.errors import UsageError
from migrmeta.formats.schemaorg import dataset_jsonld
from migrmeta.namespaces import DCAT, DCT, RDF, SURVEY
from migrmeta.publishing.html import SITEMAP_XMLNS
from migrmeta.publishing.site import PublishOptions, PublishResult, publish

ROOT = REPO
MERGE = DATA_DIR / "merge"
HOSTILE = "</script><script>alert(1)</script>"


class Page(HTMLParser):
    """The parts of a page the tests look at, as a browser's tokenizer sees them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.starts: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self.headings: list[str] = []  # the text of each h2
        self._in_script = self._in_h2 = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")
        if tag == "h2":
            self._in_h2 = True
            self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)
        if self._in_h2:
            self.headings[-1] += data

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.starts if tag == name]


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp() / "validation-cache"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, cache: Path) -> tuple[PublishResult, Path]:
    out = tmp_path_factory.mktemp("html") / "site"
    result = publish([ROOT / "records"], out, PublishOptions(skip_invalid=True, cache_dir=cache))
    assert result.refused is None
    return result, out


def read(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def test_every_published_survey_has_a_page(site: tuple[PublishResult, Path]) -> None:
    result, out = site
    turtles = sorted(p.stem for p in (out / "surveys").glob("*.ttl"))
    assert len(turtles) == result.surveys + result.series > 0
    assert sorted(p.stem for p in (out / "surveys").glob("*.html")) == turtles
    assert not (out / "sitemap.xml").exists()  # no base URL: no sitemap
    for name in turtles:
        text = (out / "surveys" / f"{name}.html").read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>\n")
        page = Page(text)
        assert page.tags("html") == [{"lang": "en"}]
        assert {"charset": "utf-8"} in page.tags("meta")
        assert len(page.tags("title")) == 1
        hrefs = {a["href"] for a in page.tags("a")}
        assert {f"{name}.ttl", f"{name}.jsonld", "../index.html"} <= hrefs
        items = [h for h in page.headings if h != "Rounds"]
        assert [int(h.split(".")[0]) for h in items] == list(range(1, 15)), name
        assert all(len(h.split(". ", 1)[1]) > 2 for h in items)  # each item's name


def test_answers_are_shown_with_labels_by_item(site: tuple[PublishResult, Path]) -> None:
    _, out = site
    page = read(out / "surveys" / "es-eni-2007.html")
    text = "".join(page.text)
    assert "3. Countries covered" in text and "Spain" in text  # the country's label, not ESP
    assert "National Immigrant Survey 2007" in text
    links = {a["href"] for a in page.tags("a")}
    assert "http://publications.europa.eu/resource/authority/country/ESP" in links
    assert "https://w3id.org/migrmeta/vocab/survey-status/completed" in links
    assert page.text.index("3. Countries covered") < page.text.index("Spain") < page.text.index("4. Time frame")


def test_the_embedded_jsonld_is_dataset_jsonld(site: tuple[PublishResult, Path]) -> None:
    _, out = site
    catalogue = Graph().parse(out / "catalog.ttl", format="turtle")
    for path in sorted((out / "surveys").glob("*.html")):
        page = read(path)
        [script] = page.tags("script")
        assert script == {"type": "application/ld+json"}
        [embedded] = page.scripts
        document = json.loads(embedded)
        survey = URIRef(document["@id"])
        assert (survey, DCT.identifier, None) in catalogue
        assert document == dataset_jsonld(catalogue, survey), path.name


def test_series_pages_list_their_rounds(site: tuple[PublishResult, Path]) -> None:
    _, out = site
    catalogue = Graph().parse(out / "catalog.ttl", format="turtle")
    series = SURVEY["au-corms"]
    rounds = {str(r).rsplit("/", 1)[-1] for r in catalogue.subjects(DCAT.inSeries, series)}
    assert rounds
    page = read(out / "surveys" / "au-corms.html")
    assert "Rounds" in page.text
    assert {f"{r}.html" for r in rounds} <= {a["href"] for a in page.tags("a")}


def test_index_lists_every_survey(site: tuple[PublishResult, Path]) -> None:
    _, out = site
    page = read(out / "index.html")
    catalogue = Graph().parse(out / "catalog.ttl", format="turtle")
    [catalog] = list(catalogue.subjects(RDF.type, DCAT.Catalog))
    [title] = [t for t in catalogue.objects(catalog, DCT.title) if getattr(t, "language", None) == "en"]
    assert str(title) in page.text
    hrefs = [a["href"] for a in page.tags("a")]
    pages = sorted(f"surveys/{p.name}" for p in (out / "surveys").glob("*.html"))
    assert sorted(h for h in hrefs if h and h.startswith("surveys/")) == pages
    assert {"catalog.ttl", "catalog.jsonld", "void.ttl"} <= set(hrefs)
    assert all((out / h).is_file() for h in hrefs if h)
    assert len(page.tags("tr")) == len(pages) + 1  # one row per survey, and the header


def test_a_hostile_title_is_escaped(tmp_path: Path, cache: Path) -> None:
    records = tmp_path / "records"
    shutil.copytree(MERGE / "psa", records)
    shutil.copy(MERGE / "agencies.ttl", records)
    record = records / "ph-sof.ttl"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace('"Survey on Overseas Filipinos"@en', f'"SOF {HOSTILE}"@en')
                      .replace('"SOF", ', '"<b>bold</b>", '), encoding="utf-8")
    out = tmp_path / "site"
    assert publish([records], out, PublishOptions(cache_dir=cache)).refused is None
    for path in (out / "surveys" / "ph-sof.html", out / "index.html"):
        raw = path.read_text(encoding="utf-8")
        page = Page(raw)
        assert len(page.tags("script")) == (1 if path.parent.name == "surveys" else 0)
        assert page.tags("b") == []
        assert f"SOF {HOSTILE}" in page.text  # shown as text
        assert "</script><script>" not in raw
    page = read(out / "surveys" / "ph-sof.html")
    assert json.loads(page.scripts[0])["name"] == f"SOF {HOSTILE}"


def test_publishing_twice_gives_identical_pages(site: tuple[PublishResult, Path], cache: Path,
                                                tmp_path: Path) -> None:
    _, first = site
    again = tmp_path / "again"
    publish([ROOT / "records"], again, PublishOptions(skip_invalid=True, cache_dir=cache))
    assert snapshot(again) == snapshot(first)
    with_base = PublishOptions(skip_invalid=True, cache_dir=cache, base_url="https://example.org/mm")
    publish([ROOT / "records"], tmp_path / "a", with_base)
    publish([ROOT / "records"], tmp_path / "b", with_base)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_sitemap_only_with_a_base_url(tmp_path: Path, cache: Path) -> None:
    records = tmp_path / "records"
    shutil.copytree(MERGE / "psa", records)
    shutil.copy(MERGE / "agencies.ttl", records)
    runner = CliRunner()
    plain = runner.invoke(cli, ["publish", "--cache-dir", str(cache), "-o", str(tmp_path / "plain"), str(records)],
                          catch_exceptions=False)
    assert plain.exit_code == 0, plain.output
    assert not (tmp_path / "plain" / "sitemap.xml").exists()
    assert "sitemap.xml" not in plain.output
    result = runner.invoke(cli, ["publish", "--cache-dir", str(cache), "-o", str(tmp_path / "site"),
                                 "--base-url", "https://example.org/migrmeta", str(records)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "sitemap.xml" in result.output
    tree = ElementTree.parse(tmp_path / "site" / "sitemap.xml")
    locations = [e.text for e in tree.getroot().iter(f"{{{SITEMAP_XMLNS}}}loc")]
    pages = ["index.html", *sorted(f"surveys/{p.name}" for p in (tmp_path / "site" / "surveys").glob("*.html"))]
    assert locations == [f"https://example.org/migrmeta/{p}" for p in pages]
    assert (tmp_path / "site" / "void.ttl").read_text(encoding="utf-8").count("https://example.org/migrmeta/") > 0


def test_a_relative_base_url_is_a_usage_error(tmp_path: Path, cache: Path) -> None:
    with pytest.raises(UsageError, match="absolute"):
        publish([MERGE / "psa"], tmp_path / "site", PublishOptions(cache_dir=cache, base_url="site/"))
    with pytest.raises(SystemExit) as exit_info:
        main(["publish", "--cache-dir", str(cache), "-o", str(tmp_path / "site"), "--base-url", "javascript:alert(1)",
              str(MERGE / "psa")])
    assert exit_info.value.code == 2
    assert not (tmp_path / "site").exists()
