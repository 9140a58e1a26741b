"""`migrmeta publish` web pages in English, French and Spanish: one page per survey and series
(the 14 items in order, labels in the page's language, the schema.org JSON-LD embedded,
downloads), the index (every record, facets, map, timeline, search index), the language
chooser, sitemap.xml with hreflang; escaping of hostile values; determinism."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from paths import DATA as DATA_DIR
from paths import REPO
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from migrmeta.cli import cli, main
from migrmeta.errors import UsageError
from migrmeta.formats.schemaorg import Catalogue, check_dataset, dataset_jsonld
from migrmeta.namespaces import AGENCY_CLASSES, COUNTRY, DCAT, DCT, MM, OWL, PROV, RDF, SURVEY
from migrmeta.publishing.html import SITEMAP_XMLNS, XHTML_XMLNS
from migrmeta.publishing.site import PublishOptions, PublishResult, publish
from migrmeta.values.text import shortened

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
        self.labels: dict[str, str] = {}  # <label for> -> its text
        self._label: str | None = None
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
        if tag == "label":
            self._label = dict(attrs).get("for")
            self.labels[self._label or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
        if tag == "h2":
            self._in_h2 = False
        if tag == "label":
            self._label = None

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)
        if self._in_h2:
            self.headings[-1] += data
        if self._label is not None:
            self.labels[self._label] += data

    def tags(self, name: str, id_prefix: str | None = None) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.starts
                if tag == name and (id_prefix is None or str(attrs.get("id") or "").startswith(id_prefix))]

    def label_text(self, ident: str | None) -> str:
        """The text of the <label for=ident>."""
        return " ".join(self.labels.get(ident or "", "").split())


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


LANGS = ("en", "fr", "es")
CURIE = re.compile(r"\b(?:dct|dcat|dcatap|mm|prov|skos|foaf|disco|rdf|rdfs|xsd|owl|sh):[A-Za-z]")


def visible(page: Page) -> str:
    return " ".join(" ".join(page.text).split())


def test_every_published_survey_has_a_page_in_three_languages(site: tuple[PublishResult, Path]) -> None:
    result, out = site
    turtles = sorted(p.stem for p in (out / "surveys").glob("*.ttl"))
    assert len(turtles) == result.surveys + result.series > 0
    assert not (out / "sitemap.xml").exists()  # no base URL: no sitemap
    for lang in LANGS:
        assert sorted(p.stem for p in (out / lang / "surveys").glob("*.html")) == turtles
    for name in turtles:
        for lang in LANGS:
            text = (out / lang / "surveys" / f"{name}.html").read_text(encoding="utf-8")
            assert text.startswith("<!DOCTYPE html>\n")
            page = Page(text)
            assert page.tags("html") == [{"lang": lang}]
            assert {"charset": "utf-8"} in page.tags("meta")
            assert len(page.tags("title")) == 1
            alternates = {a["hreflang"]: a["href"] for a in page.tags("link") if a.get("hreflang")}
            assert alternates == {**{x: f"../../{x}/surveys/{name}.html" for x in LANGS},
                                  "x-default": f"../../en/surveys/{name}.html"}
            hrefs = {a["href"] for a in page.tags("a")}
            downloads = {f"../../surveys/{name}.{ext}" for ext in ("ttl", "jsonld", "nt", "xml")}
            assert downloads | {"../index.html"} <= hrefs
            assert all((out / lang / "surveys" / h).resolve().is_file() for h in downloads)
            items = [h for h in page.headings if h[:1].isdigit()]
            assert [int(h.split(".")[0]) for h in items] == list(range(1, 15)), name
            assert all(len(h.split(". ", 1)[1]) > 2 for h in items)  # each item's name
            assert not CURIE.search(visible(page)), (lang, name, CURIE.search(visible(page)))


def test_answers_are_shown_with_labels_by_item(site: tuple[PublishResult, Path]) -> None:
    _, out = site
    page = read(out / "en" / "surveys" / "es-eni-2007.html")
    text = visible(page)
    assert "3. Countries covered" in text and "Spain (Southern Europe)" in text  # the country's label, not ESP
    assert "National Immigrant Survey 2007" in text
    assert "2006 – 2007" in text  # the time frame as start – end
    assert "National Statistics Institute (Spain) (INE) – Conducting organisation, Publisher" in text
    assert "Country of birth" in text and "Immigrants: persons born abroad, aged 16 and over" in text
    assert "minimum age 16" in text  # a parameter of the identification criterion
    assert "Cite this record" in text and "https://w3id.org/migrmeta/survey/es-eni-2007" in text
    assert "https://ine.es/dyngs/IOE/en/fichaProg.htm?cid=1259932826080" in {a["href"] for a in page.tags("a")}
    order = [text.index(f"{n}. {name}") for n, name in ((3, "Countries"), (4, "Time"), (5, "Collab"))]
    assert order == sorted(order) and order[0] < text.index("Spain (Southern Europe)") < order[1]
    french = visible(read(out / "fr" / "surveys" / "es-eni-2007.html"))
    assert "3. Pays couverts" in french and "Espagne (Europe méridionale)" in french
    spanish = read(out / "es" / "surveys" / "es-eni-2007.html")
    assert "Encuesta Nacional de Inmigrantes 2007" in visible(spanish)
    assert "3. Países cubiertos" in visible(spanish) and "España" in visible(spanish)


def test_a_completed_survey_without_an_end_is_not_shown_as_ongoing(site: tuple[PublishResult, Path]) -> None:
    """records/au-lsia.ttl: LSIA 1 is completed and gives a start only; its end is not given,
    it is not "ongoing", nor counted in every year to now."""
    _, out = site
    for lang, shown in (("en", "1993-09 (end not given)"), ("fr", "1993-09 (fin non indiquée)"),
                        ("es", "1993-09 (fin no indicada)")):
        page = read(out / lang / "surveys" / "au-lsia-1993.html")
        text = visible(page)
        assert shown in text and "1993-09 –" not in text, lang
        assert json.loads(page.scripts[0])["temporalCoverage"] == "1993-09"
    assert "1993-09 – (ongoing)" not in visible(read(out / "en" / "surveys" / "au-lsia.html"))  # its rounds
    assert "1961 – (ongoing)" in visible(read(out / "en" / "surveys" / "gb-ips.html"))  # an ongoing one is
    records = {r[0]: r for r in search_index(out)["records"]}
    assert records["au-lsia-1993"][3:5] == [1993, 1993]  # the year filter and the chart: 1993 only
    assert records["gb-ips"][3:5] == [1961, None]
    index = visible(read(out / "en" / "index.html"))
    assert "1993-09 (end not given)" in index and "1993-09 – (ongoing)" not in index


def _quality(page: Page) -> dict[str, str | None]:
    found = [a for a in page.tags("p") if "quality" in str(a.get("class") or "").split()]
    assert len(found) == 1
    return found[0]


def test_each_page_shows_the_score_report_quality_gives(site: tuple[PublishResult, Path], cache: Path) -> None:
    """docs/quality.md: each survey's page shows its score, the report's (a series: the mean of
    its rounds), not one computed on the published graph (the profile's foaf:page for dct:source,
    its dcat:Dataset types and dct:accessRights)."""
    from migrmeta.reports.quality import build_quality

    _, out = site
    report = build_quality([ROOT / "records"], cache_dir=cache)
    expected = {row.identifier: f"{row.score.total:g}" for row in report.rows}
    pages = sorted((out / "en" / "surveys").glob("*.html"))
    assert len(pages) == len(expected)
    for lang in LANGS:
        shown = {path.stem: _quality(read(out / lang / "surveys" / path.name))["data-score"] for path in pages}
        assert shown == expected, lang
    series = next(r.score for r in report.rows if r.identifier == "ar-enma")
    rounds = [r.score.total for r in report.rows if r.identifier in ("ar-enma-2020", "ar-enma-2023")]
    assert series.rounds == 2 and shown["ar-enma"] == f"{round(sum(rounds) / 2, 1):g}"


def test_the_score_tooltip_words_items_in_the_page_language(site: tuple[PublishResult, Path]) -> None:
    _, out = site
    tip = str(_quality(read(out / "fr" / "surveys" / "al-rms-2013.html"))["title"])
    # item 14 is answered by a landing page, without the access level asked for: in part, not "non renseigné"
    assert "6. Type d'échantillon : non renseigné" in tip and "14. Accès des chercheurs : renseigné en partie" in tip
    assert tip.count("14. Accès des chercheurs : renseigné en partie") == 1  # two criteria, said once
    spanish = str(_quality(read(out / "es" / "surveys" / "ar-enma.html"))["title"])
    assert "13. Difusión: sin dirección de acceso a los datos (2 de 2 rondas)" in spanish
    english = ("not answered", "answered in part", "no landing page", "no source", "access URL", "licence of the data")
    for lang in ("fr", "es"):
        for path in sorted((out / lang / "surveys").glob("*.html")):
            tip = str(_quality(read(path)).get("title") or "")
            assert not CURIE.search(tip), (lang, path.name, tip)
            assert not any(words in tip for words in english), (lang, path.name, tip)


def test_text_not_in_the_page_language_is_marked(site: tuple[PublishResult, Path]) -> None:
    _, out = site
    raw = (out / "fr" / "surveys" / "es-eni-2007.html").read_text(encoding="utf-8")
    assert '<h1><span lang="en">National Immigrant Survey 2007</span></h1>' in raw  # no French title: English, marked
    spanish = (out / "es" / "surveys" / "es-eni-2007.html").read_text(encoding="utf-8")
    assert "<h1>Encuesta Nacional de Inmigrantes 2007</h1>" in spanish  # the record's own Spanish title
    # the citation too: a screen reader reads the English title in English
    cite = raw[raw.index('<p class="cite">'):]
    assert cite.startswith('<p class="cite">') and '« <span lang="en">National Immigrant Survey 2007</span> »' \
        in cite[:cite.index("</p>")]
    cite = spanish[spanish.index('<p class="cite">'):]
    assert "«Encuesta Nacional de Inmigrantes 2007»" in cite[:cite.index("</p>")]


def test_a_meta_description_ends_at_a_word(site: tuple[PublishResult, Path]) -> None:
    """What a search engine shows as the snippet: at most 300 characters, cut after a whole
    word with "…" (it was cut at 300 characters, mid-word)."""
    _, out = site
    cut = 0
    for page in sorted((out / "en" / "surveys").glob("*.html")):
        described = [a.get("content") or "" for a in read(page).tags("meta") if a.get("name") == "description"]
        full = " ".join(str(embedded_jsonld(out, page.stem)["en"].get("description", "")).split())
        for text in described:
            assert len(text) <= 300, page.name
            if text.endswith("…"):
                cut += 1
                kept = text[:-1]
                assert full.startswith(kept) and not full[len(kept)].isalnum(), (page.name, text[-20:])
    assert cut > 10  # the bundled catalogue has long descriptions


def embedded_jsonld(out: Path, name: str) -> dict[str, dict]:  # type: ignore[type-arg]
    """The schema.org Dataset each page of a survey embeds (one a page), by the page's language."""
    documents = {}
    for lang in LANGS:
        page = read(out / lang / "surveys" / f"{name}.html")
        [script] = page.tags("script")
        assert script == {"type": "application/ld+json"}
        [embedded] = page.scripts
        documents[lang] = json.loads(embedded)
    return documents


def test_the_embedded_jsonld_is_dataset_jsonld(site: tuple[PublishResult, Path]) -> None:
    """In the page's language, in the catalogue, named by its English title (no base URL: no
    address, no pages); in every language a Dataset Google accepts, with no inLanguage (the
    dataset's language, which the page's is not)."""
    _, out = site
    catalogue = Graph().parse(out / "catalog.ttl", format="turtle")
    [catalog] = catalogue.subjects(RDF.type, DCAT.Catalog)
    [title] = [t for t in catalogue.objects(catalog, DCT.title) if isinstance(t, Literal) and t.language == "en"]
    for path in sorted((out / "en" / "surveys").glob("*.html")):
        documents = embedded_jsonld(out, path.stem)
        for lang, document in documents.items():
            survey = URIRef(document["@id"])
            assert (survey, DCT.identifier, None) in catalogue
            assert document == dataset_jsonld(catalogue, survey, lang=lang,
                                              catalogue=Catalogue(str(catalog), str(title))), (lang, path.name)
            problems = check_dataset(document)  # what the English one lacks (au-corms: its time frame), no more
            assert problems == check_dataset(documents["en"]) and not any("required" in p for p in problems)
            assert "inLanguage" not in document
            assert document["includedInDataCatalog"]["name"] == str(title)
            assert document.get("url", "https://").startswith(("http://", "https://"))  # never a relative URL


def test_each_page_embeds_the_dataset_in_its_language(site: tuple[PublishResult, Path]) -> None:
    """The name is the page's title and the description its summary, in every page: the
    French one where the record has it, else the text the page falls back to (English)."""
    _, out = site
    for path in sorted((out / "en" / "surveys").glob("*.html")):
        for lang, document in embedded_jsonld(out, path.stem).items():
            raw = (out / lang / "surveys" / path.name).read_text(encoding="utf-8")
            [heading] = re.findall(r"<h1>(.*?)</h1>", raw)
            assert document["name"] == unescape(re.sub(r"<[^>]+>", "", heading)), (lang, path.name)
            [summary] = [m["content"] for m in read(out / lang / "surveys" / path.name).tags("meta")
                         if m.get("name") == "description"]
            assert shortened(document["description"], 300) == summary, (lang, path.name)
    teo = embedded_jsonld(out, "fr-teo")
    assert teo["en"]["name"] == "Trajectories and Origins survey"
    assert teo["fr"]["name"] == "Enquête Trajectoires et Origines"
    assert teo["es"]["name"] == "Trajectories and Origins survey"  # no Spanish title: English, as the page
    ined = "https://w3id.org/migrmeta/agency/ined"
    names = {lang: [c["name"] for c in document["creator"] if c["@id"] == ined] for lang, document in teo.items()}
    assert names == {"en": ["French Institute for Demographic Studies"],
                     "fr": ["Institut national d'études démographiques"],
                     "es": ["French Institute for Demographic Studies"]}
    eni = embedded_jsonld(out, "es-eni-2007")
    assert (eni["en"]["name"], eni["fr"]["name"], eni["es"]["name"]) == \
        ("National Immigrant Survey 2007", "National Immigrant Survey 2007", "Encuesta Nacional de Inmigrantes 2007")


def test_with_a_base_url_the_embedded_jsonld_links_the_sites_pages(tmp_path: Path, cache: Path) -> None:
    """A survey's url is its landing page, else its own page in the page's language; the
    catalogue has the site's address; a series and its rounds link each other with those urls."""
    records = tmp_path / "records"
    records.mkdir()
    for name in ("au-corms.ttl", "agencies.ttl"):  # a series and its two rounds
        shutil.copy(ROOT / "records" / name, records)
    out = tmp_path / "site"
    result = publish([records], out, PublishOptions(skip_invalid=True, cache_dir=cache,
                                                    base_url="https://example.org/mm"))
    assert result.refused is None and result.series == 1 and result.surveys == 2
    catalogue = Graph().parse(out / "catalog.ttl", format="turtle")
    documents = {p.stem: embedded_jsonld(out, p.stem) for p in (out / "en" / "surveys").glob("*.html")}
    assert sorted(documents) == ["au-corms", "au-corms-2013", "au-corms-2016"]
    for lang in LANGS:
        urls = {name: str(catalogue.value(SURVEY[name], DCAT.landingPage)
                          or f"https://example.org/mm/{lang}/surveys/{name}.html") for name in documents}
        assert urls["au-corms"] == f"https://example.org/mm/{lang}/surveys/au-corms.html"  # no landing page
        for name, document in documents.items():
            assert document[lang]["url"] == urls[name]
            assert document[lang]["includedInDataCatalog"]["url"] == "https://example.org/mm/"
        for name in ("au-corms-2013", "au-corms-2016"):
            assert documents[name][lang]["isPartOf"]["url"] == urls["au-corms"]
        assert [p["url"] for p in documents["au-corms"][lang]["hasPart"]] == \
            [urls["au-corms-2013"], urls["au-corms-2016"]]


def test_each_survey_has_a_ddi_codebook(site: tuple[PublishResult, Path]) -> None:
    _, out = site
    for path in sorted((out / "surveys").glob("*.xml")):
        root = ElementTree.parse(path).getroot()
        assert root.tag == "{ddi:codebook:2_5}codeBook", path.name
    assert len(list((out / "surveys").glob("*.xml"))) == len(list((out / "surveys").glob("*.ttl")))
    nt = Graph().parse(out / "surveys" / "es-eni-2007.nt", format="nt")
    assert isomorphic(nt, Graph().parse(out / "surveys" / "es-eni-2007.ttl", format="turtle"))


def test_series_pages_list_their_rounds(site: tuple[PublishResult, Path]) -> None:
    _, out = site
    catalogue = Graph().parse(out / "catalog.ttl", format="turtle")
    series = SURVEY["au-corms"]
    rounds = {str(r).rsplit("/", 1)[-1] for r in catalogue.subjects(DCAT.inSeries, series)}
    assert rounds
    for lang, heading in (("en", "Rounds"), ("fr", "Éditions"), ("es", "Rondas")):
        page = read(out / lang / "surveys" / "au-corms.html")
        assert heading in page.headings
        assert {f"{r}.html" for r in rounds} <= {a["href"] for a in page.tags("a")}


def test_a_series_says_where_its_rounds_answer(site: tuple[PublishResult, Path]) -> None:
    """ar-enma's rounds record their sampling unit (item 7): the series' page, which has none of
    its own, sends the reader to the rounds rather than saying "Not answered."; a survey without
    an answer still says so."""
    _, out = site
    for lang, said in (("en", "see each round"), ("fr", "voir chaque édition"), ("es", "véase cada ronda")):
        text = visible(read(out / lang / "surveys" / "ar-enma.html"))
        item7 = text[text.index("7. "):text.index("8. ")]
        assert said in item7, (lang, item7)
    assert "see each round" not in visible(read(out / "en" / "surveys" / "ar-enma-2023.html"))


def test_an_agencys_roles_do_not_repeat_the_items_name(site: tuple[PublishResult, Path]) -> None:
    """An agency with a role of its own (Partner, Funder) is not also called "Collaborating
    agencies", the item's name; one named only as dct:contributor is "collaborating agency"."""
    _, out = site
    shown = {span for path in (out / "en" / "surveys").glob("*.html")
             for span in re.findall(r'class="roles">– ([^<]*)<', path.read_text(encoding="utf-8"))}
    assert "Partner" in shown and "Collaborating agency" in shown
    assert not any("Collaborating agencies" in roles or ", Collaborating agency" in roles for roles in shown)
    french = (out / "fr" / "surveys" / "au-lsia.html").read_text(encoding="utf-8")
    assert 'class="roles">– Organisme partenaire<' in french


def test_index_lists_every_survey_grouped_by_series(site: tuple[PublishResult, Path]) -> None:
    _, out = site
    catalogue = Graph().parse(out / "catalog.ttl", format="turtle")
    [catalog] = list(catalogue.subjects(RDF.type, DCAT.Catalog))
    pages = sorted(f"surveys/{p.name}" for p in (out / "en" / "surveys").glob("*.html"))
    for lang in LANGS:
        page = read(out / lang / "index.html")
        assert page.tags("html") == [{"lang": lang}]
        [title] = [t for t in catalogue.objects(catalog, DCT.title) if getattr(t, "language", None) == lang]
        assert str(title) in page.text
        hrefs = [a["href"] for a in page.tags("a")]
        assert sorted(h for h in hrefs if h and h.startswith("surveys/")) == pages
        assert all((out / lang / h).is_file() for h in hrefs if h and not h.startswith(("#", "http")))
        scripts = [s["src"] for s in page.tags("script")]
        assert scripts == ["../assets/search-index.js", "../assets/site.js"]  # nothing from another host
        assert len(page.tags("li", id_prefix="r-")) == len(pages)
    raw = (out / "en" / "index.html").read_text(encoding="utf-8")
    corms = raw[raw.index('<li id="r-au-corms">'):]
    assert corms.index('<ol class="rounds">') < corms.index('id="r-au-corms-2013"') < corms.index("</ol>")


def _reading_order(text: str) -> tuple[str, str]:
    """How a reader expects a list ordered: ignoring case and accents ("États-Unis" with the E's)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    return plain, text.casefold()


def _titles(html: str) -> list[str]:
    return [unescape(re.sub(r"<[^>]+>", "", t)) for t in re.findall(r'<li id="r-[^"]+"><p class="title">(.*?)</p>', html)]


def test_lists_are_in_the_order_of_what_the_page_shows(site: tuple[PublishResult, Path]) -> None:
    """The index in French and Spanish is sorted by the titles it shows, not by the English ones
    (each series' rounds too); countries and agencies ignore accents ("États-Unis" is no last)."""
    _, out = site
    orders = {}
    for lang in LANGS:
        raw = (out / lang / "index.html").read_text(encoding="utf-8")
        records = raw[raw.index('<ol id="records"'):]
        rounds = re.findall(r'<ol class="rounds">(.*?)</ol>', records, flags=re.S)
        top = _titles(re.sub(r'<ol class="rounds">.*?</ol>', "", records, flags=re.S))
        for titles in (top, *(_titles(r) for r in rounds)):
            assert titles == sorted(titles, key=_reading_order), lang
        orders[lang] = re.findall(r"<li id=\"(r-[^\"]+)\">", records)
        assert len(top) > 50
    assert orders["es"] != orders["en"] and orders["fr"] != orders["en"]  # the titles are translated
    for lang, page in (("fr", "mmp"), ("fr", "mafe"), ("es", "eu-midis")):  # a series page's lists
        raw = (out / lang / "surveys" / f"{page}.html").read_text(encoding="utf-8")
        for items in re.findall(r"<ul>(<li>.*?)</ul>", raw):
            shown = [unescape(re.sub(r"<[^>]+>", "", re.split(r' <span class="(?:roles|region|period)">', li)[0]))
                     for li in re.findall(r"<li>(.*?)</li>", items)]
            if page == "mmp" and "États-Unis" in shown:
                assert shown.index("États-Unis") < shown.index("Guatemala")
            if any('class="roles"' in li or 'class="region"' in li for li in re.findall(r"<li>(.*?)</li>", items)):
                assert shown == sorted(shown, key=_reading_order), (lang, page, shown)


def test_facets_count_what_the_records_say(site: tuple[PublishResult, Path]) -> None:
    _, out = site
    catalogue = Graph().parse(out / "catalog.ttl", format="turtle")
    index = search_index(out)
    records = {r[0]: r for r in index["records"]}
    assert set(records) == {p.stem for p in (out / "surveys").glob("*.ttl")}
    facet = index["facets"].index("country")
    esp = index["values"]["country"].index("ESP")
    spain = {str(s).rsplit("/", 1)[-1] for s in catalogue.subjects(DCT.spatial, COUNTRY.ESP)
             if (s, DCT.identifier, None) in catalogue}
    assert {name for name, r in records.items() if esp in r[5][facet]} == spain
    remittances = index["values"]["remittances"]
    assert set(remittances) <= {"yes", "use", "no", "unknown"}
    page = read(out / "en" / "index.html")
    [box] = [b for b in page.tags("input") if b.get("name") == "country" and b.get("value") == "ESP"]
    label = page.label_text(box["id"])
    assert label.startswith("Spain ") and label.endswith(f" {len(spain)}")
    assert "es-eni-2007" in records and "espana" in records["es-eni-2007"][2].split()  # words in every language
    # the conducting agencies are the creators (item 5), as the pages, the saved questions and
    # `report quality --by agency` count them: not the conductor role, which left some out
    facet = index["facets"].index("agency")
    agencies = index["values"]["agency"]
    conducted: dict[str, set[str]] = {}
    for s, agency in catalogue.subject_objects(DCT.creator):
        if (s, DCT.identifier, None) in catalogue and str(s).rsplit("/", 1)[-1] in records:
            conducted.setdefault(str(agency).rsplit("/", 1)[-1], set()).add(str(s).rsplit("/", 1)[-1])
    shown = {agencies[i]: {name for name, r in records.items() if i in r[5][facet]} for i in range(len(agencies))}
    assert shown == conducted
    assert {"dol-nz", "uppi"} <= set(shown) and len(shown["dol-nz"]) >= 3
    # an agency named in English on the French page is marked so (WCAG 3.1.2), one named in French is not
    french = (out / "fr" / "index.html").read_text(encoding="utf-8")
    labels = dict(re.findall(r'<input type="checkbox" id="(f-agency-\d+)" name="agency" value="([^"]+)"', french))
    assert labels
    for ident, code in labels.items():
        inner = re.search(rf'<label for="{ident}">(.*?) <span class="n">', french)
        assert inner is not None
        english_only = code == "dol-nz"  # "Department of Labour (New Zealand)": no French name
        assert inner.group(1).startswith('<span lang="en">') == english_only or code != "dol-nz", inner.group(1)
    assert re.search(r'<label for="f-agency-\d+"><span lang="en">Department of Labour \(New Zealand\)</span>', french)


def test_the_map_and_timeline_are_static_svg_with_text_alternatives(site: tuple[PublishResult, Path]) -> None:
    _, out = site
    page = read(out / "fr" / "index.html")
    links = {a["href"] for a in page.tags("a") if a.get("data-country")}
    assert "#country=ESP" in links and "#country=AUS" in links
    assert "#country=1A0" in links  # Kosovo: a shape without an ISO number in Natural Earth, drawn by its name
    raw = (out / "fr" / "index.html").read_text(encoding="utf-8")
    assert "<title>Espagne: " in raw  # the country's name in the page's language
    assert "<summary>Fiches par pays</summary>" in raw and "<summary>Fiches par année</summary>" in raw
    assert re.search(r'<a href="#from=2007&amp;to=2007" aria-label="2007: \d+">', raw)
    assert (out / "assets" / "world-atlas-LICENSE").is_file() and (out / "assets" / "world-atlas-SOURCE.txt").is_file()


def test_a_shape_without_a_number_is_drawn_only_for_a_country_without_one() -> None:
    """Natural Earth's N. Cyprus and Somaliland are not drawn over Cyprus and Somalia."""
    from migrmeta.publishing.pages.worldmap import ATLAS, outlines

    geometries = json.loads(ATLAS.read_text(encoding="utf-8"))["objects"]["countries"]["geometries"]
    numbered = {str(g["id"]).zfill(3) for g in geometries if g.get("id") and g.get("arcs")}
    unnumbered = sorted(g["properties"]["name"] for g in geometries if not g.get("id"))
    assert unnumbered == ["Kosovo", "N. Cyprus", "Somaliland"]
    assert set(outlines()) == numbered | {"412"}  # Kosovo, country_converter's number; the other two not drawn


def test_the_language_chooser(site: tuple[PublishResult, Path]) -> None:
    _, out = site
    page = read(out / "index.html")
    assert {a["href"] for a in page.tags("a")} == {f"{lang}/index.html" for lang in LANGS}
    assert {a["hreflang"] for a in page.tags("link") if a.get("hreflang")} == {*LANGS, "x-default"}


def search_index(out: Path) -> dict:  # type: ignore[type-arg]
    text = (out / "assets" / "search-index.js").read_text(encoding="utf-8")
    body = text[text.index("window.MIGRMETA_INDEX = ") + len("window.MIGRMETA_INDEX = "):].rstrip().rstrip(";")
    return json.loads(body)  # type: ignore[no-any-return]


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
    for path in (out / "en" / "surveys" / "ph-sof.html", out / "en" / "index.html"):
        raw = path.read_text(encoding="utf-8")
        page = Page(raw)
        assert len(page.scripts) == (1 if path.parent.name == "surveys" else 2)  # JSON-LD; or the index's two
        assert page.tags("b") == []
        assert f"SOF {HOSTILE}" in page.text  # shown as text
        assert "</script><script>" not in raw
    page = read(out / "en" / "surveys" / "ph-sof.html")
    assert json.loads(page.scripts[0])["name"] == f"SOF {HOSTILE}"
    index = (out / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert "</script>" not in index and "<b>" not in index


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
    urls = list(tree.getroot().iter(f"{{{SITEMAP_XMLNS}}}url"))
    locations = [u.find(f"{{{SITEMAP_XMLNS}}}loc").text for u in urls]  # type: ignore[union-attr]
    pages = ["index.html", "agencies.html", "changelog.html", "feed.xml",
             *sorted(f"surveys/{p.name}" for p in (tmp_path / "site" / "en" / "surveys").glob("*.html")),
             *sorted(f"agencies/{p.name}" for p in (tmp_path / "site" / "en" / "agencies").glob("*.html"))]
    assert any(p.startswith("agencies/") for p in pages)
    assert sorted(locations) == sorted(f"https://example.org/migrmeta/{lang}/{p}" for p in pages for lang in LANGS)
    assert all((tmp_path / "site" / loc.split("/", 4)[4]).is_file() for loc in locations)
    for url in urls:
        if url.find(f"{{{SITEMAP_XMLNS}}}loc").text.endswith("/feed.xml"):  # type: ignore[union-attr]
            assert not list(url.iter(f"{{{XHTML_XMLNS}}}link"))  # a feed, not a page: no hreflang alternates
            continue
        alternates = {a.get("hreflang"): a.get("href") for a in url.iter(f"{{{XHTML_XMLNS}}}link")}
        page = url.find(f"{{{SITEMAP_XMLNS}}}loc").text.split("/", 5)[5]  # type: ignore[union-attr]
        # a reader of another language: the root's chooser where there is one, else English
        default = page if page in ("index.html", "changelog.html") else f"en/{page}"
        assert alternates == {**{x: f"https://example.org/migrmeta/{x}/{page}" for x in LANGS},
                              "x-default": f"https://example.org/migrmeta/{default}"}
        assert (tmp_path / "site" / default).is_file()
    en = Page((tmp_path / "site" / "en" / "index.html").read_text(encoding="utf-8"))
    linked = {a["hreflang"]: a["href"] for a in en.tags("link") if a.get("hreflang")}
    assert linked["fr"] == "https://example.org/migrmeta/fr/index.html"  # absolute with a base URL
    assert linked["x-default"] == "https://example.org/migrmeta/index.html"  # the chooser, as in the sitemap
    chooser = Page((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    assert {a["hreflang"]: a["href"] for a in chooser.tags("link") if a.get("hreflang")}["x-default"] == \
        "https://example.org/migrmeta/index.html"  # the chooser names itself
    assert "location ~ ^/migrmeta/(?:(survey|agency)/" in (tmp_path / "site" / "server" / "nginx.conf").read_text(encoding="utf-8")
    assert (tmp_path / "site" / "void.ttl").read_text(encoding="utf-8").count("https://example.org/migrmeta/") > 0


def test_a_relative_base_url_is_a_usage_error(tmp_path: Path, cache: Path) -> None:
    with pytest.raises(UsageError, match="absolute"):
        publish([MERGE / "psa"], tmp_path / "site", PublishOptions(cache_dir=cache, base_url="site/"))
    with pytest.raises(SystemExit) as exit_info:
        main(["publish", "--cache-dir", str(cache), "-o", str(tmp_path / "site"), "--base-url", "javascript:alert(1)",
              str(MERGE / "psa")])
    assert exit_info.value.code == 2
    assert not (tmp_path / "site").exists()


def test_an_answer_no_field_list_names_is_shown_under_the_item_the_reports_count_it_for(tmp_path: Path,
                                                                                       cache: Path) -> None:
    """A start year stated on the survey itself (not in a dct:temporal period) answers item 4 by
    the ontology's mm:answeredBy, as `report inventory` counts it: the page shows it there."""
    records = tmp_path / "records"
    shutil.copytree(MERGE / "psa", records)
    shutil.copy(MERGE / "agencies.ttl", records)
    record = records / "ph-sof.ttl"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("    mm:status ", '    dcat:startDate "1987"^^xsd:gYear ;\n    mm:status ', 1),
                      encoding="utf-8")
    out = tmp_path / "site"
    assert publish([records], out, PublishOptions(cache_dir=cache)).refused is None
    raw = (out / "en" / "surveys" / "ph-sof.html").read_text(encoding="utf-8")
    time_frame = raw[raw.index('id="item-4"'):raw.index('id="item-5"')]
    assert "1987" in time_frame


def test_the_sitemap_dates_each_page_by_when_its_description_last_changed(tmp_path: Path, cache: Path) -> None:
    records = tmp_path / "records"
    records.mkdir()
    for name in ("agencies.ttl", "mafe.ttl", "ph-sof.ttl"):
        shutil.copy(ROOT / "records" / name, records)
    mafe = records / "mafe.ttl"
    mafe.write_text(mafe.read_text(encoding="utf-8").replace('dct:modified "2026-11-30"', 'dct:modified "2025-03-04"'),
                    encoding="utf-8")
    site = tmp_path / "site"
    publish([records], site, PublishOptions(cache_dir=cache, base_url="https://example.org/mm"))
    catalogue = Graph().parse(site / "catalog.ttl")
    release = str(next(catalogue.objects(next(catalogue.subjects(RDF.type, DCAT.Catalog)), DCT.modified)))
    dates = {u.findtext(f"{{{SITEMAP_XMLNS}}}loc"): u.findtext(f"{{{SITEMAP_XMLNS}}}lastmod")
             for u in ElementTree.parse(site / "sitemap.xml").getroot().iter(f"{{{SITEMAP_XMLNS}}}url")}
    assert dates["https://example.org/mm/fr/surveys/mafe.html"] == "2025-03-04"  # its record's dct:modified
    assert dates["https://example.org/mm/en/surveys/ph-sof.html"] == "2026-11-30"
    for page in ("index.html", "changelog.html", "feed.xml"):  # the site's own pages: the release's date
        assert dates[f"https://example.org/mm/es/{page}"] == release
    assert all(dates.values()), dates
    assert dates["https://example.org/mm/fr/agencies/ined.html"] == release


def test_the_sitemap_never_dates_the_sites_own_pages_back(tmp_path: Path, cache: Path) -> None:
    """The newest record removed dates the catalogue back, not the release (a review's find): the
    index, the agencies' pages and the changelog changed, and the sitemap gave them an older
    date than the last one, which search engines take as nothing new to fetch."""
    records = tmp_path / "records"
    records.mkdir()
    for name in ("agencies.ttl", "mafe.ttl", "ph-sof.ttl"):
        shutil.copy(ROOT / "records" / name, records)
    newest = records / "ph-sof.ttl"
    newest.write_text(newest.read_text(encoding="utf-8").replace('dct:modified "2026-11-30"',
                                                                 'dct:modified "2026-12-06"'), encoding="utf-8")
    site = tmp_path / "site"
    options = PublishOptions(cache_dir=cache, base_url="https://example.org/mm")
    publish([records], site, options)
    newest.unlink()
    publish([records], site, options)
    release = json.loads((site / "release.json").read_text(encoding="utf-8"))["date"]
    assert release == "2026-12-06"
    dates = {u.findtext(f"{{{SITEMAP_XMLNS}}}loc"): u.findtext(f"{{{SITEMAP_XMLNS}}}lastmod")
             for u in ElementTree.parse(site / "sitemap.xml").getroot().iter(f"{{{SITEMAP_XMLNS}}}url")}
    for page in ("index.html", "agencies.html", "agencies/ined.html", "changelog.html", "feed.xml"):
        assert dates[f"https://example.org/mm/en/{page}"] == release, page


def test_a_sitemap_index_dates_each_sitemap_by_its_newest_page() -> None:
    from migrmeta.publishing.pages.build import SITE_PAGES, SITEMAP_LIMIT, sitemaps

    per_file = SITEMAP_LIMIT // 3 - len(SITE_PAGES)  # the site's own pages come first
    pages = [(f"surveys/s{n}.html", "2024-01-01") for n in range(per_file)]
    pages[7] = ("surveys/s7.html", "2025-06-30")
    pages += [("surveys/last.html", None)]  # a page of the second file, its record undated
    files = dict(sitemaps("https://example.org/mm", pages, "2024-05-01"))
    index = ElementTree.fromstring(files["sitemap.xml"])
    found = {s.findtext(f"{{{SITEMAP_XMLNS}}}loc"): s.findtext(f"{{{SITEMAP_XMLNS}}}lastmod")
             for s in index.iter(f"{{{SITEMAP_XMLNS}}}sitemap")}
    assert found == {"https://example.org/mm/sitemap-1.xml": "2025-06-30", "https://example.org/mm/sitemap-2.xml": None}
    assert "<lastmod>" not in files["sitemap-2.xml"]


def test_item_1_shows_the_title_in_each_language_it_has(site: tuple[PublishResult, Path]) -> None:
    """The survey's own-language title ("Encuesta sobre ...") was on no page but the Spanish one:
    item 1 gives every title, marked with its language when it is not the page's."""
    _, out = site
    spanish = "Encuesta sobre Migración Internacional de Personas Guatemaltecas y Remesas 2016"
    english = "Survey on International Migration of Guatemalans and Remittances 2016"
    for lang in LANGS:
        page = (out / lang / "surveys" / "gt-oim-remesas-2016.html").read_text(encoding="utf-8")
        item = page[page.index('id="item-1"'):page.index('id="item-2"')]
        assert english in item and spanish in item, item
        assert (f'<span lang="es">{spanish}</span>' in item) == (lang != "es")


def test_the_remittances_facet_and_item_12_say_what_the_records_say(site: tuple[PublishResult, Path]) -> None:
    """Every series counted "Not stated" although its rounds answer (ten collect remittances);
    and a survey that collects no remittance data showed "use of remittances: not stated" (a
    reviewer's finds)."""
    _, out = site
    catalogue = Graph().parse(out / "catalog.ttl", format="turtle")
    index = search_index(out)
    facet, values = index["facets"].index("remittances"), index["values"]["remittances"]
    collects = URIRef(f"{MM}collectsRemittances")
    for name, *rest in index["records"]:
        subject = next(s for s in catalogue.subjects(DCT.identifier, Literal(name)))
        codes = {values[i] for i in rest[4][facet]}
        answer = catalogue.value(subject, collects)
        rounds = set(catalogue.subjects(DCAT.inSeries, subject))
        if answer is not None:
            assert codes & {"yes", "no"} == {"yes" if answer.toPython() else "no"}, name
        else:
            assert codes == (set() if rounds else {"unknown"}), name
    assert {values[i] for r in index["records"] if r[0] == "gt-oim-remesas" for i in r[5][facet]} == set()
    for lang in LANGS:
        page = (out / lang / "surveys" / "eu-lfs-2021-ahm.html").read_text(encoding="utf-8")
        section = page[page.index('aria-labelledby="item-12"'):]
        section = section[:section.index("</section>")]
        assert section.count("<dt>") == 1, (lang, section)  # remittance data: no; no row for their use


AGENCY = "https://w3id.org/migrmeta/agency/"
NAMING = (DCT.creator, DCT.publisher, DCT.contributor)


def _naming(catalogue: Graph) -> dict[str, set[str]]:
    """Agency name -> the names of the surveys and series naming it (item 5: directly, or by a
    qualified attribution), from the published catalogue."""
    found: dict[str, set[str]] = {}
    for survey in {s for kind in (MM.Survey, MM.SurveySeries) for s in catalogue.subjects(RDF.type, kind)}:
        agents = {o for p in NAMING for o in catalogue.objects(survey, p)}
        agents |= {a for q in catalogue.objects(survey, PROV.qualifiedAttribution) for a in catalogue.objects(q, PROV.agent)}
        for agent in agents:
            if str(agent).startswith(AGENCY):
                found.setdefault(str(agent).removeprefix(AGENCY), set()).add(str(survey).rsplit("/", 1)[-1])
    return found


def test_each_agency_has_a_page_listing_the_surveys_naming_it(site: tuple[PublishResult, Path]) -> None:
    """Each agency with data documents has a page in each language, where its IRI sends a
    browser: the surveys and series naming it (as funder, publisher or partner too, not only
    those it conducts), each linked to its page, with its roles there."""
    _, out = site
    catalogue = Graph().parse(out / "catalog.ttl")
    naming = _naming(catalogue)
    documents = {p.stem for p in (out / "agencies").glob("*.ttl")}
    assert documents and all((out / lang / "agencies" / f"{name}.html").is_file() for name in documents
                             for lang in LANGS)
    assert {p.stem for p in (out / "en" / "agencies").glob("*.html")} == documents
    funders_only = 0
    for name in sorted(documents):
        for lang in LANGS:
            page = read(out / lang / "agencies" / f"{name}.html")
            listed = {str(a["href"]).removeprefix("../surveys/").removesuffix(".html")
                      for a in page.tags("a") if str(a.get("href")).startswith("../surveys/")}
            assert listed == naming.get(name, set()), (name, lang)
            assert all((out / lang / "surveys" / f"{survey}.html").is_file() for survey in listed)
            hrefs = {a.get("href") for a in page.tags("a")}
            assert {f"../../agencies/{name}.{ext}" for ext in ("ttl", "jsonld", "nt")} <= hrefs
        conducts = any(str(s).rsplit("/", 1)[-1] in naming.get(name, set())
                       for s in catalogue.subjects(DCT.creator, URIRef(AGENCY + name)))
        english = read(out / "en" / "agencies" / f"{name}.html")
        # the index's filter is by conducting agency: linked only where it lists something
        assert (f"../index.html#agency={name}" in {a.get("href") for a in english.tags("a")}) == conducts, name
        funders_only += not conducts and bool(naming.get(name))
    assert funders_only > 10  # the agencies the index's filter left on an empty list


def test_an_agency_page_says_who_it_is_and_its_roles_in_the_pages_language(site: tuple[PublishResult, Path]) -> None:
    _, out = site
    french = (out / "fr" / "agencies" / "afd.html").read_text(encoding="utf-8")
    text = visible(Page(french))
    assert "<h1>Agence Française de Développement" in french and "(AFD)" in text
    assert "Organisme public" in text and "France" in text  # its kind and country, in French
    assert "Migrations entre l'Afrique et l'Europe" in text and "Partenaire" in text  # MAFE, its role there
    assert '<span lang="en">French Development Agency</span>' in french  # its other name, marked
    assert not CURIE.search(text)
    english = read(out / "en" / "agencies" / "afd.html")
    assert "Partner" in visible(english) and "Migrations between Africa and Europe" in visible(english)
    # every acronym it has (the review: one, the alphabetically first, hid OIM on the Spanish page)
    assert '<h1>Organización Internacional para las Migraciones <span class="acronym">(IOM, OIM)</span></h1>' in \
        (out / "es" / "agencies" / "iom.html").read_text(encoding="utf-8")
    ipsos = (out / "fr" / "agencies" / "ipsos.html").read_text(encoding="utf-8")  # "Ipsos"@en, "Ipsos"@fr
    assert "autres noms" not in ipsos  # the heading's name is not listed again in another language
    same = [a["href"] for a in read(out / "en" / "agencies" / "eurostat.html").tags("a")
            if str(a.get("href")).startswith("http://www.wikidata.org/")]
    catalogue = Graph().parse(out / "catalog.ttl")
    assert same and same == [str(o) for o in catalogue.objects(URIRef(AGENCY + "eurostat"), OWL.sameAs)]


def test_a_survey_page_links_its_agencies_pages(site: tuple[PublishResult, Path]) -> None:
    """An agency with a page of its own is linked there from item 5 (its home page is on it);
    another keeps the link to its home page."""
    _, out = site
    for lang in LANGS:
        page = read(out / lang / "surveys" / "mafe.html")
        hrefs = {str(a.get("href")) for a in page.tags("a")}
        assert "../agencies/afd.html" in hrefs and "../agencies/ined.html" in hrefs
        assert all((out / lang / "agencies" / h.removeprefix("../agencies/")).is_file()
                   for h in hrefs if h.startswith("../agencies/"))


def test_the_agencies_list_counts_the_surveys_naming_each(site: tuple[PublishResult, Path]) -> None:
    """<lang>/agencies.html lists every agency once, linked to its page, with the number of
    surveys and series naming it; every page's footer links it."""
    _, out = site
    naming = _naming(Graph().parse(out / "catalog.ttl"))
    documents = {p.stem for p in (out / "agencies").glob("*.ttl")}
    for lang in LANGS:
        text = (out / lang / "agencies.html").read_text(encoding="utf-8")
        rows = re.findall(r'<tr><th scope="row"><a href="agencies/([^"]+)\.html">.*?<td class="count">(\d+)</td></tr>', text)
        assert sorted(name for name, _ in rows) == sorted(documents), lang
        assert {name: int(count) for name, count in rows} == {name: len(naming.get(name, ())) for name in documents}
        for page in (f"{lang}/index.html", f"{lang}/surveys/mafe.html", f"{lang}/agencies/afd.html",
                     f"{lang}/changelog.html"):
            footer = read(out / page)
            assert any(str(a.get("href")).endswith("agencies.html") and (out / page).parent.joinpath(
                str(a.get("href"))).resolve() == (out / lang / "agencies.html").resolve() for a in footer.tags("a")), page
    assert '<a href="agencies.html" aria-current="page">' in (out / "en" / "agencies.html").read_text(encoding="utf-8")
    assert '<a href="changelog.html" aria-current="page">' in (out / "en" / "changelog.html").read_text(encoding="utf-8")
    assert "aria-current" not in (out / "en" / "surveys" / "mafe.html").read_text(encoding="utf-8").split("<footer")[1]
    french = visible(read(out / "fr" / "agencies.html"))
    assert f"Les {len(documents)} organismes" in french and "Organisme public" in french


def test_an_agency_page_embeds_its_organization(site: tuple[PublishResult, Path]) -> None:
    """Search engines read who an agency is from its page, as a survey's page gives its Dataset:
    a schema.org Organization in the page's language."""
    _, out = site
    names = ("Agence Française de Développement", "French Development Agency")
    for lang, name, other in (("fr", *names), ("en", *reversed(names))):
        [script] = read(out / lang / "agencies" / "afd.html").scripts
        document = json.loads(script)
        assert (document["@context"], document["@type"], document["@id"]) == (
            "https://schema.org/", "Organization", "https://w3id.org/migrmeta/agency/afd")
        assert document["name"] == name and document["alternateName"] == [other, "AFD"]
        assert document["location"]["@type"] == "Place" and document["location"]["identifier"] == "FRA"
    [script] = read(out / "en" / "agencies" / "eurostat.html").scripts
    document = json.loads(script)
    assert document["sameAs"] == "http://www.wikidata.org/entity/Q217659"
    assert document["url"] == "https://ec.europa.eu/eurostat"


def test_a_sitemap_file_ends_at_its_size_limit_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """sitemaps.org: 50,000 URLs or 50 MiB, whichever comes first; long ids under a long base
    URL passed the size with fewer URLs (a review's find)."""
    from migrmeta.publishing.pages import build

    monkeypatch.setattr(build, "SITEMAP_BYTES", 20_000)
    pages = [(f"surveys/{'x' * 90}-{n}.html", "2024-01-01") for n in range(40)]
    files = dict(build.sitemaps("https://data.example-institute.org/migration/catalogue/v2", pages, "2024-05-01"))
    assert len(files) > 2 and "sitemap.xml" in files
    locations = []
    for name, text in files.items():
        if name != "sitemap.xml":
            assert len(text.encode("utf-8")) <= 20_000, name
            locations += [u.findtext(f"{{{SITEMAP_XMLNS}}}loc") for u in ElementTree.fromstring(text)]
    expected = [f"{lang}/{p}" for p in (*build.SITE_PAGES, *(p for p, _ in pages)) for lang in LANGS]
    assert [str(loc).split("/v2/", 1)[1] for loc in locations] == expected


def test_an_agencys_short_names_and_other_names(site: tuple[PublishResult, Path]) -> None:
    """Acronyms in brackets after the name, on the survey's page as on the agency's and the list
    (all of them, apart from the name); longer alternative names under "also called"."""
    _, out = site
    listing = (out / "es" / "agencies.html").read_text(encoding="utf-8")
    assert 'Organización Internacional para las Migraciones</a> <span class="acronym">(IOM, OIM)</span>' in listing
    jdc = (out / "en" / "agencies" / "jdc.html").read_text(encoding="utf-8")
    assert '<span class="acronym">(JDC)</span></h1>' in jdc
    assert "<dt>also called</dt>" in jdc and "<dd>Joint Data Center on Forced Displacement</dd>" in jdc
    surveys = [p.read_text(encoding="utf-8") for p in (out / "es" / "surveys").glob("*.html")]
    assert any('agencies/iom.html">Organización Internacional para las Migraciones</a> (IOM, OIM)' in t
               for t in surveys)
    [script] = read(out / "en" / "agencies" / "iom.html").scripts
    assert json.loads(script)["alternateName"] == ["Organización Internacional para las Migraciones",
                                                   "Organisation internationale pour les migrations", "IOM", "OIM"]


def test_an_agency_outside_migrmetas_namespace_is_listed_without_a_page(tmp_path: Path, cache: Path) -> None:
    """Its IRI is its owner's to answer: no page here, but the list of agencies counts it (its
    lead said "the N agencies this catalogue describes" and left it out), and a change of it in
    the feed does not speak of its page (a review's finds)."""
    records = tmp_path / "records"
    records.mkdir()
    for name in ("agencies.ttl", "eu-midis.ttl"):
        text = (ROOT / "records" / name).read_text(encoding="utf-8")
        (records / name).write_text(text.replace("agency:ipsos-mori", "<https://example.com/org/ipsos-mori>"),
                                    encoding="utf-8")
    site = tmp_path / "site"
    options = PublishOptions(cache_dir=cache, skip_invalid=True)
    publish([records], site, options)
    listing = (site / "en" / "agencies.html").read_text(encoding="utf-8")
    described = Graph().parse(site / "catalog.ttl")
    agencies = {s for kind in AGENCY_CLASSES for s in described.subjects(RDF.type, kind)}
    assert URIRef("https://example.com/org/ipsos-mori") in agencies
    assert f"The {len(agencies)} agencies" in listing
    assert '<th scope="row">Ipsos MORI</th>' in listing and not (site / "en" / "agencies" / "ipsos-mori.html").exists()
    agencies_file = records / "agencies.ttl"
    agencies_file.write_text(agencies_file.read_text(encoding="utf-8").replace('"Ipsos MORI"@en', '"Ipsos UK"@en'),
                             encoding="utf-8")
    publish([records], site, options)
    feed = (site / "en" / "feed.xml").read_text(encoding="utf-8")
    assert "Agency changed: agency name, as the surveys naming it now show it" in feed
    assert "as its page" not in feed
