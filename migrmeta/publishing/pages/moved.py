"""The old page of a survey now published as another (`owl:sameAs`), in each language: it sends
the reader on, so a bookmark of `<lang>/surveys/<alias>.html` does not end in a bare 404.

An alias is an IRI a survey of the catalogue names with `owl:sameAs` (merge folded it onto
that survey, merging/aliases.py; the rule is `merging.diff.published_as`, which the release
applies). Its page is where a page of its own would be, `<lang>/surveys/<name>.html`, the name
its IRI gives (io/names.survey_name), for as long as the catalogue says `owl:sameAs`; none for
an IRI that gives no name (a Wikidata item) or whose name a survey of the catalogue has. The
page refreshes at once to the survey's page in the same language, links to it for readers
and browsers that do not refresh, and stays out of search indexes (noindex; canonical: the
survey's page). The servers' rules (server/) need nothing more: they send a browser asking
for `<base>/survey/<alias>` to this page, as for any survey, and a linked-data client to the
alias's data documents (`surveys/<name>.ttl`, `.jsonld`, `.nt`: publishing/alias_data.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NamedTuple

from rdflib import URIRef

from migrmeta.io.names import survey_name
from migrmeta.namespaces import DCT
from migrmeta.publishing.html import esc, text_html
from migrmeta.publishing.pages.build import catalogue_text
from migrmeta.publishing.pages.labels import LANGUAGES, site_labels
from migrmeta.publishing.pages.layout import PageInfo, absolute, document, survey_page_path
from migrmeta.publishing.pages.model import SiteData


class Moved(NamedTuple):
    """An alias that keeps files of its own: its IRI, its file name, the survey it is published
    as, and that survey's file name."""

    alias: URIRef
    name: str
    kept: URIRef
    target: str


def moved(site: SiteData, aliases: Mapping[str, str]) -> Iterator[Moved]:
    """The aliases (IRI -> the survey it is published as) given files where a survey's would be,
    `surveys/<name>.*`: the rule of the old pages here and of the alias's data documents
    (publishing/alias_data.py), sorted by IRI."""
    used = set(site.names.values())
    for alias, kept in sorted(aliases.items()):
        name, target = survey_name(alias), site.name_of(URIRef(kept))
        if name is not None and target is not None and name not in used:
            yield Moved(URIRef(alias), name, URIRef(kept), target)


def moved_pages(site: SiteData, aliases: Mapping[str, str], base_url: str | None) -> Iterator[tuple[str, str]]:
    """The old page of each alias (IRI -> the survey it is published as), in each language."""
    catalogue_titles = {lang: catalogue_text(site, DCT.title, lang) or "migrmeta" for lang in LANGUAGES}
    for alias in moved(site, aliases):
        for lang in LANGUAGES:
            page = PageInfo(lang, f"surveys/{alias.name}.html")
            yield survey_page_path(alias.name, lang), _page(site, alias.kept, page, alias.target,
                                                            catalogue_titles[lang], base_url)


def _page(site: SiteData, kept: URIRef, page: PageInfo, target: str, catalogue_title: str,
          base_url: str | None) -> str:
    labels = site_labels(page.lang)
    href = f"{target}.html"  # the survey's page, beside this one
    title = site.title(kept, page.lang)
    canonical = absolute(base_url, survey_page_path(target, page.lang)) if base_url else href
    head = (f'<meta http-equiv="refresh" content="0; url={esc(href)}">\n<meta name="robots" content="noindex">\n'
            f'<link rel="canonical" href="{esc(canonical)}">\n')
    shown = f'<a href="{esc(href)}">{text_html(title, page.lang)}</a>'
    body = (f'<nav class="crumbs" aria-label="{labels.ui_html("home")}"><a href="../index.html">'
            f"{esc(catalogue_title)}</a></nav>\n<h1>{labels.ui_html('moved')}</h1>\n"
            f"<p>{labels.ui_html('moved_to').replace('{survey}', shown)}</p>\n")
    return document(page, labels, title=f"{labels.ui('moved')} – {catalogue_title}", catalogue_title=catalogue_title,
                    body=body, base_url=base_url, head=head)


__all__ = ["Moved", "moved", "moved_pages"]
