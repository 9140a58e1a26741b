"""Every file of the web site, in three languages: `site.py` writes what this yields.

    for name, content in site_files(site, options): ...                      # index, assets, sitemap
    for name, html in survey_pages(site, survey, jsonld_by_lang, base_url): ...  # one survey's pages

    index.html                      the language chooser (and, with scripts, a redirect)
    en/index.html, fr/, es/         the catalogue: search, facets, map, timeline, every record
    en/surveys/<id>.html, fr/, es/  one page per survey or series
    en/agencies/<id>.html, fr/, es/ one page per agency (agency.py, made with its data documents)
    en/agencies.html, fr/, es/      every agency, with the number of surveys naming it (agency.py)
    assets/site.js, site.css        the page's small script (no framework) and style
    assets/search-index.js          the search index, one global (works from file://)
    assets/world-atlas-*            the map geometry's source and licence
    server/nginx.conf, httpd.conf, Caddyfile   content negotiation for <base>/survey/<id>
    sitemap.xml                     with a base URL: every page (the agencies', the changelog and the
                                    feed of each language too), with hreflang alternates and the date
                                    it last changed (a survey's record's dct:modified, else the release's)

Survey pages are made one at a time (`survey_pages`), so a large site is never held in memory.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from rdflib.term import Node

from migrmeta.merging.contributions import Contributed
from migrmeta.namespaces import DCT, FOAF
from migrmeta.publishing.html import SITEMAP_XMLNS, XHTML_XMLNS, esc
from migrmeta.publishing.pages.facets import RecordFacts, record_facts
from migrmeta.publishing.pages.index import IndexContext, index_page
from migrmeta.publishing.pages.labels import DEFAULT_LANGUAGE, LANGUAGES, site_labels
from migrmeta.publishing.pages.layout import (
    AGENCY_LIST,
    CHANGELOG,
    FEED,
    PageInfo,
    absolute,
    agency_page,
    alternates,
    survey_page_path,
    x_default,
)
from migrmeta.publishing.pages.model import SiteData
from migrmeta.publishing.pages.searchindex import search_index
from migrmeta.publishing.pages.survey import PageContext, survey_page
from migrmeta.validation.quality import Score
from migrmeta.values.dates import day_of

# rdflib namespace lookups are slow in loops: each term looked up once
_DCT_description = DCT.description
_DCT_publisher = DCT.publisher
_DCT_title = DCT.title
_FOAF_name = FOAF.name


HERE = Path(__file__).resolve().parent
ASSETS = HERE / "assets"
SERVER = HERE / "server"
COPIED_ASSETS = ("site.js", "site.css", "world-atlas-LICENSE", "world-atlas-SOURCE.txt")
SERVER_FILES = ("nginx.conf", "httpd.conf", "Caddyfile")
SITEMAP_LIMIT = 50_000  # URLs per sitemap file (sitemaps.org)
SITEMAP_BYTES = 50 * 1024 * 1024  # and bytes, uncompressed
# The pages every language has besides the surveys' and agencies', in the sitemap (the agencies'
# list, agency.py, and the changelog and its feed, publishing/changelog.py, always written); a
# feed has no hreflang alternates.
SITE_PAGES = ("index.html", AGENCY_LIST, CHANGELOG, FEED)
FEED_PAGES = frozenset({FEED})

Content = str | Path


@dataclass(frozen=True)
class SiteOptions:
    base_url: str | None = None


def catalogue_text(site: SiteData, predicate: object, lang: str) -> str | None:
    found = site.text(site.catalog, predicate, lang)
    return found.value if found is not None else None


def publisher_name(site: SiteData, lang: str) -> str:
    publisher = site.first(site.catalog, _DCT_publisher)
    return site.agency_name(publisher, lang).value if publisher is not None and site.values(publisher, _FOAF_name) \
        else (str(publisher) if publisher is not None else "")


def survey_pages(site: SiteData, survey: Node, jsonld: Mapping[str, str], base_url: str | None,
                 quality: Score | None = None, contributors: Sequence[Contributed] = ()) -> Iterator[tuple[str, str]]:
    """The three pages of one survey or series (with its quality score, validation/quality.py),
    each embedding `jsonld[lang]`, its schema.org Dataset in the page's language."""
    for lang in LANGUAGES:
        context = PageContext(catalogue_text(site, _DCT_title, lang) or "migrmeta", publisher_name(site, lang),
                              base_url, {survey: jsonld[lang]}, quality, tuple(contributors))
        yield survey_page_path(site.name_of(survey), lang), survey_page(site, survey, site_labels(lang), context)  # type: ignore[arg-type]


def page_url(site: SiteData, base_url: str, survey: Node, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """Where the page of a survey or series in `lang` is on the site served at `base_url`; None
    when it has none."""
    name = site.name_of(survey)
    return absolute(base_url, survey_page_path(name, lang)) if name else None


def site_files(site: SiteData, options: SiteOptions,
               facts: list[RecordFacts] | None = None) -> Iterator[tuple[str, Content]]:
    """The index pages, the search index, the assets and server configurations (the sitemap,
    dated by the release, is made with the release's files: `sitemap_files`)."""
    facts = facts if facts is not None else record_facts(site)
    yield "index.html", chooser(site, options.base_url)
    for lang in LANGUAGES:
        context = IndexContext(catalogue_text(site, _DCT_title, lang) or "migrmeta",
                               catalogue_text(site, _DCT_description, lang), options.base_url)
        yield f"{lang}/index.html", index_page(site, facts, site_labels(lang), context)
    yield "assets/search-index.js", search_index(site, facts)
    for name in COPIED_ASSETS:  # small text files, written like the pages
        yield f"assets/{name}", (ASSETS / name).read_text(encoding="utf-8")
    prefix = urlsplit(options.base_url).path if options.base_url else "/"
    prefix = prefix if prefix.endswith("/") else prefix + "/"
    for name in SERVER_FILES:
        yield f"server/{name}", (SERVER / name).read_text(encoding="utf-8").replace("@PREFIX@", prefix)


def sitemap_files(site: SiteData, base_url: str, release: str) -> Iterator[tuple[str, str]]:
    """sitemap.xml (`sitemaps`) of the site served at `base_url`: a survey's page dated by its
    record's dct:modified; the site's own pages, and an agency's (its own statements, which no
    record dates, with its surveys'), by the release's date (changelog.Release.date: never
    before the previous release's, as the newest records removed would make the catalogue's
    dct:modified)."""
    pages: list[tuple[str, str | None]] = [(f"surveys/{site.names[s]}.html", day_of(site.modified(s)) or release)
                                           for s in site.ordered()]
    pages += [(agency_page(name), release) for name in site.agencies()]
    yield from sitemaps(base_url, pages, release)


def chooser(site: SiteData, base_url: str | None, page: str = "index.html", heading: str | None = None,
            head: str = "") -> str:
    """A page at the root choosing a language: index.html (the catalogue's title in each
    language, linking to that language's index), or for another `page` (changelog.html) that
    page in each language, named by `heading` (a ui.json key given {catalogue}); `head` is
    added to its <head>. Browsers with scripts go on to the reader's language (the #fragment
    kept)."""
    english = catalogue_text(site, _DCT_title, DEFAULT_LANGUAGE) or "migrmeta"

    def named(lang: str) -> str:
        catalogue = catalogue_text(site, _DCT_title, lang) or english
        return site_labels(lang).ui(heading).format(catalogue=catalogue) if heading else catalogue

    title = named(DEFAULT_LANGUAGE)
    items = "".join(
        f'<li><a href="{lang}/{page}" hreflang="{lang}" lang="{lang}">{esc(site_labels(lang).language_name(lang))}'
        f" – {esc(named(lang))}</a></li>" for lang in LANGUAGES)
    redirect = ('<script>(function(){var w=["' + '","'.join(LANGUAGES) + '"],l=navigator.languages||'
                '[navigator.language||""];for(var i=0;i<l.length;i++){var c=String(l[i]).slice(0,2).toLowerCase();'
                f'if(w.indexOf(c)>=0){{location.replace(c+"/{page}"+location.hash);return;}}}}'
                f'location.replace("{DEFAULT_LANGUAGE}/{page}"+location.hash);}})();</script>\n')
    # the alternates of en/<page>, seen from the root (one folder up)
    links = alternates(PageInfo(DEFAULT_LANGUAGE, page), base_url).replace('href="../', 'href="')
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n{links}"
            f'<link rel="stylesheet" href="assets/site.css">\n{head}{redirect}</head>\n<body>\n<main id="main">\n'
            f"<h1>{esc(title)}</h1>\n<nav aria-label=\"{esc(site_labels('en').ui('choose_language'))}\">"
            f'<ul class="choice">{items}</ul></nav>\n</main>\n</body>\n</html>\n')


def _url_entry(base_url: str, page: str, modified: str | None) -> str:
    """The page in each language, with the date it last changed; a page, not a feed
    (FEED_PAGES), with its hreflang alternates (after <lastmod>, as the schema orders them)."""
    dated = f"<lastmod>{modified}</lastmod>" if modified else ""
    if page in FEED_PAGES:
        return "".join(f"  <url><loc>{esc(absolute(base_url, f'{lang}/{page}'))}</loc>{dated}</url>\n"
                       for lang in LANGUAGES)
    links = "".join(f'<xhtml:link rel="alternate" hreflang="{lang}" '
                    f'href="{esc(absolute(base_url, f"{lang}/{page}"))}"/>'
                    for lang in LANGUAGES)
    links += f'<xhtml:link rel="alternate" hreflang="x-default" href="{esc(absolute(base_url, x_default(page)))}"/>'
    return "".join(f"  <url><loc>{esc(absolute(base_url, f'{lang}/{page}'))}</loc>{dated}{links}</url>\n"
                   for lang in LANGUAGES)


def sitemaps(base_url: str, survey_pages: list[tuple[str, str | None]],
             release: str | None = None) -> Iterator[tuple[str, str]]:
    """sitemap.xml (sitemaps.org 0.9) with hreflang alternates; a sitemap index past 50,000 URLs.
    `survey_pages` are (path, the date it last changed); the site's own pages (index,
    changelog, feed) change with each release, dated `release`."""
    pages = [*((page, release) for page in SITE_PAGES), *survey_pages]
    per_file = SITEMAP_LIMIT // len(LANGUAGES)
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_XMLNS}" xmlns:xhtml="{XHTML_XMLNS}">\n'
    tail = "</urlset>\n"
    chunks: list[list[tuple[str | None, str]]] = [[]]  # each file's pages: (date, entry)
    size = len(head) + len(tail)
    for page, date in pages:  # a file ends at 50,000 URLs or 50 MiB, whichever comes first (sitemaps.org)
        entry = _url_entry(base_url, page, date)
        length = len(entry.encode("utf-8"))
        if chunks[-1] and (len(chunks[-1]) == per_file or size + length > SITEMAP_BYTES):
            chunks.append([])
            size = len(head) + len(tail)
        chunks[-1].append((date, entry))
        size += length
    if len(chunks) == 1:
        yield "sitemap.xml", head + "".join(entry for _, entry in chunks[0]) + tail
        return
    names = [f"sitemap-{n}.xml" for n in range(1, len(chunks) + 1)]
    for name, chunk in zip(names, chunks, strict=True):
        yield name, head + "".join(entry for _, entry in chunk) + tail
    newest = [max((d for d, _ in chunk if d), default=None) for chunk in chunks]
    entries = "".join(f"  <sitemap><loc>{esc(absolute(base_url, name))}</loc>"
                      + (f"<lastmod>{date}</lastmod>" if date else "") + "</sitemap>\n"
                      for name, date in zip(names, newest, strict=True))
    yield "sitemap.xml", (f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_XMLNS}">\n'
                          f"{entries}</sitemapindex>\n")


__all__ = ["SiteOptions", "chooser", "page_url", "site_files", "sitemap_files", "sitemaps", "survey_pages"]
