"""The catalogue's index page (`<lang>/index.html`): search, facets with counts, a world map
and a timeline, and every survey and series listed (series with their rounds grouped).

Without scripts the page is complete: the list holds every record, the facets show the
catalogue's counts, the map and timeline are static SVG with tables as text alternatives.
With scripts (`assets/site.js`, which reads `assets/search-index.js`), the search box and the
facets filter the list and update the counts; the state lives in the URL's fragment
(`#q=remittances&country=SEN,MLI&access=open&from=2000&to=2010`), so a filtered view can be
shared and bookmarked; the map's countries and the timeline's years are links that filter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rdflib.term import Node

from migrmeta.namespaces import MM
from migrmeta.publishing.html import esc, link, text_html
from migrmeta.publishing.pages.facets import FACETS, Facet, RecordFacts, facet_counts, year_counts
from migrmeta.publishing.pages.labels import Labels
from migrmeta.publishing.pages.layout import PageInfo, document
from migrmeta.publishing.pages.model import SiteData
from migrmeta.publishing.pages.survey import time_frame
from migrmeta.publishing.pages.timeline import timeline
from migrmeta.publishing.pages.worldmap import world_map
from migrmeta.values.countries import countries
from migrmeta.values.text import collation_key

# rdflib namespace lookups are slow in loops: each term looked up once
_MM_Survey = MM.Survey
_MM_SurveySeries = MM.SurveySeries


SCRIPTS = ("search-index.js", "site.js")
CATALOGUE_FILES = ("catalog.ttl", "catalog.jsonld", "catalog.nt", "catalog.trig", "void.ttl")
_SHOWN_COUNTRIES = 4


@dataclass(frozen=True)
class IndexContext:
    catalogue_title: str
    description: str | None
    base_url: str | None


def facet_label(facet: Facet, labels: Labels) -> str:
    return labels.ui(facet.ui) if facet.ui else labels.item(facet.item)


def value_label(facet: Facet, code: str, site: SiteData, labels: Labels) -> str:
    if facet.key == "country":
        country = countries().get(code)
        return (labels.country(country.iri) if country is not None else None) or code
    if facet.key in ("region", "subregion"):
        return labels.region(code)
    if facet.key == "remittances":
        return labels.ui(f"remittance_{code}")
    if facet.key == "agency":
        agency = site.agency_codes.get(code)
        return site.agency_name(agency, labels.lang).value if agency is not None else code
    return labels.concept(facet.concept(code)) or code


def value_html(facet: Facet, code: str, site: SiteData, labels: Labels) -> str:
    """A value's label as HTML: an agency's name in another language than the page's is marked
    with its own (WCAG 3.1.2), as the records' titles are."""
    agency = site.agency_codes.get(code) if facet.key == "agency" else None
    if agency is not None:
        return text_html(site.agency_name(agency, labels.lang), labels.lang)
    return esc(value_label(facet, code, site, labels))


def _facet(facet: Facet, counts: Counter[str], site: SiteData, labels: Labels) -> str:
    name = esc(facet_label(facet, labels))
    values = sorted(counts.items(),
                    key=lambda kv: (-kv[1], collation_key(value_label(facet, kv[0], site, labels)), kv[0]))
    rows = []
    for i, (code, count) in enumerate(values):
        ident = f"f-{facet.key}-{i}"
        rows.append(f'<li><input type="checkbox" id="{ident}" name="{facet.key}" value="{esc(code)}" form="search">'
                    f'<label for="{ident}">{value_html(facet, code, site, labels)} '
                    f'<span class="n">{count}</span></label></li>')
    return (f'<details class="facet" open data-facet="{facet.key}"><summary>{name}</summary>\n'
            f'<fieldset><legend class="vh">{name}</legend><ul>{"".join(rows)}</ul></fieldset></details>\n')


def _years(facts: Sequence[RecordFacts], labels: Labels) -> str:
    known = [y for f in facts for y in (f.start, f.end) if y is not None]
    low, high = (min(known), max(known)) if known else (1900, 2100)
    fields = "".join(
        f'<label for="{key}">{labels.ui_html("year_" + key)}</label>'
        f'<input type="number" id="{key}" name="{key}" min="{low}" max="{high}" form="search">'
        for key in ("from", "to"))
    return (f'<fieldset class="years" data-facet="years"><legend>{labels.ui_html("years")}</legend>{fields}'
            f'<button type="submit" form="search">{labels.ui_html("apply")}</button></fieldset>\n')


def _entry(site: SiteData, subject: Node, facts: dict[Node, RecordFacts], labels: Labels, nested: str = "") -> str:
    lang = labels.lang
    record = facts[subject]
    kind = labels.field(_MM_SurveySeries if site.is_series(subject) else _MM_Survey)
    names = [n for code in record.codes.get("country", ())
             if (c := countries().get(code)) is not None and (n := labels.country(c.iri))]
    more = " …" if len(names) > _SHOWN_COUNTRIES else ""
    shown = ", ".join(sorted(names, key=collation_key)[:_SHOWN_COUNTRIES]) + more
    meta = [kind[:1].upper() + kind[1:], shown, time_frame(site, labels, subject)]
    title = link(f"surveys/{site.names[subject]}.html", text_html(site.title(subject, lang), lang))
    return (f'<li id="r-{esc(record.name)}"><p class="title">{title}</p>'
            f'<p class="meta">{esc(" · ".join(m for m in meta if m))}</p>{nested}</li>\n')


def _records(site: SiteData, facts: Sequence[RecordFacts], labels: Labels) -> str:
    by_subject = {f.subject: f for f in facts}
    rows = []
    for subject in site.in_title_order(by_subject, labels.lang):  # by the titles this page shows
        if site.series_of(subject):
            continue  # listed under its series
        rounds = site.rounds_of(subject, labels.lang)
        nested = ('<ol class="rounds">' + "".join(_entry(site, r, by_subject, labels) for r in rounds) + "</ol>"
                  if rounds else "")
        rows.append(_entry(site, subject, by_subject, labels, nested))
    return f'<ol id="records" class="records">\n{"".join(rows)}</ol>\n'


def _sorting(labels: Labels) -> str:
    """The order of the list: by title (as written), newest or oldest first. Shown by the
    script, which does the sorting (hidden without it: the list stays by title)."""
    options = "".join(f'<option value="{value}">{labels.ui_html(key)}</option>'
                      for value, key in (("", "sort_title"), ("newest", "sort_newest"), ("oldest", "sort_oldest")))
    return (f'<p class="sort" id="sorting" hidden><label for="sort">{labels.ui_html("sort")}</label> '
            f'<select id="sort">{options}</select></p>\n')


def _table(caption: str, head: tuple[str, str], rows: list[tuple[str, int]]) -> str:
    body = "".join(f"<tr><td>{cell}</td><td>{count}</td></tr>" for cell, count in rows)
    return (f'<details class="alt"><summary>{esc(caption)}</summary><table><caption class="vh">{esc(caption)}</caption>'
            f'<thead><tr><th scope="col">{esc(head[0])}</th><th scope="col">{esc(head[1])}</th></tr></thead>'
            f"<tbody>{body}</tbody></table></details>")


def _figures(facts: Sequence[RecordFacts], counts: dict[str, Counter[str]], site: SiteData, labels: Labels) -> str:
    country = FACETS[0]
    map_svg = world_map(counts["country"], labels, lambda code: f"#country={code}")
    country_rows = sorted(((value_label(country, code, site, labels), code, n)
                           for code, n in counts["country"].items()),
                          key=lambda row: (collation_key(row[0]), row[1]))
    map_table = _table(labels.ui("map_table"), (labels.ui("country"), labels.ui("records")),
                       [(link(f"#country={code}", esc(name)), n) for name, code, n in country_rows])
    years = year_counts(facts)
    line = timeline(years, labels, lambda year: f"#from={year}&to={year}")
    year_table = _table(labels.ui("timeline_table"), (labels.ui("year"), labels.ui("records")),
                        [(str(year), n) for year, n in years.items()])
    return ('<section class="overview">\n'
            f'<figure class="map">{map_svg}<figcaption>{labels.ui_html("map_title")}. '
            f'<small>{labels.ui_html("map_credit")}</small></figcaption>{map_table}</figure>\n'
            f'<figure class="line">{line}<figcaption>{labels.ui_html("timeline_title")}</figcaption>'
            f"{year_table}</figure>\n"
            "</section>\n")


def index_page(site: SiteData, facts: Sequence[RecordFacts], labels: Labels, context: IndexContext) -> str:
    page = PageInfo(labels.lang, "index.html")
    counts = facet_counts(facts)
    total = len(facts)
    status = esc(labels.ui("count_all").format(n=total))
    body = [f"<h1>{esc(context.catalogue_title)}</h1>\n"]
    if context.description:
        body.append(f'<p class="lead">{esc(context.description)}</p>\n')
    body.append(
        '<form id="search" class="search" role="search" action="index.html" method="get">\n'
        f'<label for="q">{labels.ui_html("search_label")}</label>\n'
        '<div class="box"><input type="search" id="q" name="q">'
        f'<button type="submit">{labels.ui_html("search")}</button>'
        f'<button type="button" id="clear" hidden>{labels.ui_html("clear")}</button></div>\n'
        f'<noscript><p>{labels.ui_html("no_script")}</p></noscript>\n</form>\n')
    body.append(_figures(facts, counts, site, labels))
    body.append('<div class="layout">\n<section class="facets" aria-labelledby="filters">\n'
                f'<h2 id="filters">{labels.ui_html("filters")}</h2>\n')
    body.append(_years(facts, labels))
    body += [_facet(facet, counts[facet.key], site, labels) for facet in FACETS if counts[facet.key]]
    body.append("</section>\n")
    body.append(f'<section class="results" aria-labelledby="results-title">\n'
                f'<h2 id="results-title">{labels.ui_html("results")}</h2>\n'
                f'<p id="status" role="status" data-total="{total}" data-all="{labels.ui_html("count_all")}" '
                f'data-some="{labels.ui_html("count_some")}" data-none="{labels.ui_html("no_results")}">{status}</p>\n')
    body.append(_sorting(labels))
    body.append(_records(site, facts, labels))
    body.append("</section>\n</div>\n")
    files = "".join(f'<li><a href="../{f}">{f}</a></li>' for f in CATALOGUE_FILES)
    body.append(f'<section aria-labelledby="data"><h2 id="data">{labels.ui_html("catalogue_data")}</h2>'
                f'<ul class="files">{files}</ul></section>\n')
    return document(page, labels, title=context.catalogue_title, catalogue_title=context.catalogue_title,
                    body="".join(body), base_url=context.base_url, scripts=SCRIPTS, description=context.description)


__all__ = ["CATALOGUE_FILES", "IndexContext", "facet_label", "index_page", "value_label"]
