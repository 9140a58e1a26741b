"""An agency's page (`<lang>/agencies/<id>.html`): who it is, and the surveys and series of the
catalogue that name it, with its role in each, in each language; and the list of every agency
(`<lang>/agencies.html`, linked from every page's footer).

    for path, html in agency_pages(site, site.agencies(), base_url, organizations): ...

It is where a browser asking for the agency's IRI (`<base>/agency/<id>`) is sent by the
servers' rules (server/), and where a survey's page links the agency's name (survey.py). It
shows the agency's statements (names, acronyms, kind, country, home page, its IRIs elsewhere,
comment; and in its head its schema.org Organization, formats/schemaorg.py), then every
survey or series naming it, by title in the page's language, each with its time frame and the
agency's roles there as the survey's own page words them (`roles.agency_roles`: Partner,
Funder, conducting organisation ...), then its data documents (agencies/<id>.ttl, .jsonld,
.nt: publishing/agency_data.py, for the same agencies: `SiteData.agencies`). An agency that
conducts surveys also links the index filtered by it (`index.html#agency=<code>`).

Pages are made from the whole catalogue (every survey naming the agency), so they go with the
agency's data documents, one part of the site (site.PARTS "agencies").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from rdflib import URIRef
from rdflib.term import Node

from migrmeta.namespaces import DCT, FOAF, MM, ORG, OWL, RDFS
from migrmeta.publishing.html import esc, text_html, web_link
from migrmeta.publishing.pages.build import catalogue_text
from migrmeta.publishing.pages.facets import code_of, conducting_agencies
from migrmeta.publishing.pages.labels import LANGUAGES, Labels, site_labels
from migrmeta.publishing.pages.layout import (
    AGENCY_LIST,
    DATA_FILES,
    PageInfo,
    agency_page,
    data_links,
    document,
    downloads,
)
from migrmeta.publishing.pages.model import SiteData
from migrmeta.publishing.pages.roles import agency_html, agency_roles, long_names, short_names
from migrmeta.publishing.pages.survey import survey_line
from migrmeta.values.text import Text, collation_key, shortened

_KINDS = (ORG.classification, DCT.type)  # the project's agency types (three languages), else ADMS's
Naming = dict[Node, list[tuple[URIRef, str, list[str]]]]  # agency -> (survey, its line, the agency's roles there)


def agency_pages(site: SiteData, agencies: Mapping[str, Node], base_url: str | None,
                 organizations: Mapping[Node, Mapping[str, str]]) -> Iterator[tuple[str, str]]:
    """(site path, HTML) of the agencies' list and of each agency's page (`agencies`: by name,
    `SiteData.agencies`) in each language, in the order of their names; each page embeds the
    agency's schema.org Organization in its language (`organizations`: agency -> language ->
    JSON, script-safe), as a survey's page its Dataset."""
    described = site.described_agencies()
    for lang in LANGUAGES:
        labels = site_labels(lang)
        catalogue_title = catalogue_text(site, DCT.title, lang) or "migrmeta"
        naming = _naming(site, labels, set(described))
        listing = PageInfo(lang, AGENCY_LIST)
        yield listing.site_path(), _listing(site, described, naming, labels, listing, catalogue_title, base_url)
        for name, agency in agencies.items():
            page = PageInfo(lang, agency_page(name))
            script = organizations[agency][lang]
            yield page.site_path(), _page(site, agency, name, labels, page, naming.get(agency, []),
                                          catalogue_title, base_url, script)


def _listing(site: SiteData, described: list[Node], naming: Naming, labels: Labels, page: PageInfo,
             catalogue_title: str, base_url: str | None) -> str:
    """`<lang>/agencies.html`: every agency the catalogue describes (`described`), by its name
    in the page's language, with its acronyms, kind, country and the number of surveys and series
    naming it, linked to its page (`roles.agency_html`: else to its home page)."""
    lang = page.lang
    rows = []
    for agency in described:
        cells = [f'<th scope="row">{agency_html(site, agency, lang)}{_acronyms(site, agency)}</th>',
                 f"<td>{esc(', '.join(_kinds(site, agency, labels)))}</td>",
                 f"<td>{esc(', '.join(_countries(site, agency, labels)))}</td>",
                 f'<td class="count">{len(naming.get(agency, []))}</td>']
        rows.append((collation_key(site.agency_name(agency, lang).value), str(agency), f"<tr>{''.join(cells)}</tr>"))
    heads = [labels.ui("agencies_name"), _capital(labels.ui("agency_kind")), labels.ui("country")]
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in heads) + \
        f'<th scope="col" class="count">{labels.ui_html("agencies_count")}</th>'
    title = labels.ui("agencies")
    body = (f'<nav class="crumbs" aria-label="{labels.ui_html("home")}"><a href="index.html">'
            f"{esc(catalogue_title)}</a></nav>\n<h1>{esc(title)}</h1>\n"
            f'<p class="lead">{esc(labels.ui("agencies_lead").format(n=len(described)))}</p>\n'
            f'<table class="agencies"><caption class="vh">{esc(title)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(row for _, _, row in sorted(rows))}</tbody></table>\n")
    return document(page, labels, title=f"{title} – {catalogue_title}", catalogue_title=catalogue_title, body=body,
                    base_url=base_url)


def _naming(site: SiteData, labels: Labels, agencies: set[Node]) -> Naming:
    """Agency -> the surveys and series naming it, in title order: each with its line on the
    agencies' pages (made once per language, however many agencies it names) and the agency's
    roles there."""
    found: Naming = {}
    for survey in site.ordered(labels.lang):
        shown = None
        for agency, roles in agency_roles(site, labels, survey).items():
            if agency in agencies:
                shown = shown or survey_line(site, labels, survey, f"../surveys/{site.names[survey]}.html", kind=True)
                found.setdefault(agency, []).append((survey, shown, roles))
    return found


def _page(site: SiteData, agency: Node, name: str, labels: Labels, page: PageInfo,
          surveys: list[tuple[URIRef, str, list[str]]], catalogue_title: str, base_url: str | None,
          organization: str) -> str:
    lang = page.lang
    shown = site.agency_name(agency, lang)
    iri = str(agency)
    comment = site.text(agency, RDFS.comment, lang)
    data = f"{page.root}agencies/{esc(name)}"
    kind = labels.field(MM.Agency)
    body = [f'<nav class="crumbs" aria-label="{labels.ui_html("home")}"><a href="../index.html">'
            f'{esc(catalogue_title)}</a> › <a href="../{AGENCY_LIST}">{labels.ui_html("agencies")}</a></nav>\n',
            f"<h1>{text_html(shown, lang)}{_acronyms(site, agency)}</h1>\n",
            f'<p class="kind">{esc(kind)} · <a href="{esc(iri)}"><code>{esc(iri)}</code></a></p>\n',
            f'<p class="lead">{text_html(comment, lang)}</p>\n' if comment is not None else "",
            _facts(site, agency, labels, shown),
            _surveys(site, agency, labels, surveys),
            downloads(labels.ui_html("agency_data"), data, DATA_FILES)]
    return document(page, labels, title=f"{shown.value} – {catalogue_title}", catalogue_title=catalogue_title,
                    body="".join(body), base_url=base_url,
                    head=data_links(data) + f'<script type="application/ld+json">\n{organization}\n</script>\n',
                    description=shortened(comment.value, 300) if comment is not None else None)


def _acronyms(site: SiteData, agency: Node) -> str:
    """ (IOM, OIM): the agency's acronyms and short names (`roles.short_names`)."""
    found = short_names(site, agency)
    return f' <span class="acronym">({esc(", ".join(found))})</span>' if found else ""


def _facts(site: SiteData, agency: Node, labels: Labels, shown: Text) -> str:
    """Its other names, kind, country, home page, and its IRIs in other catalogues (Wikidata)."""
    lines = []
    named = [*site.values(agency, FOAF.name), *long_names(site, agency)]  # in every language it has
    names = list(dict.fromkeys(Text(str(v), getattr(v, "language", None)) for v in named
                               if str(v) != shown.value))  # the heading's text not again
    if names:
        lines.append(f"<dt>{labels.ui_html('agency_names')}</dt>"
                     + "".join(f"<dd>{text_html(t, labels.lang)}</dd>" for t in names))
    kinds = _kinds(site, agency, labels)
    if kinds:
        lines.append(f"<dt>{labels.ui_html('agency_kind')}</dt>" + "".join(f"<dd>{esc(k)}</dd>" for k in kinds))
    countries = _countries(site, agency, labels)
    if countries:
        lines.append(f"<dt>{labels.field_html(MM.basedIn)}</dt>" + "".join(f"<dd>{esc(c)}</dd>" for c in countries))
    for predicate, label in ((FOAF.homepage, labels.field_html(FOAF.homepage)),
                             (OWL.sameAs, labels.ui_html("agency_same_as"))):
        values = site.values(agency, predicate)
        if values:
            lines.append(f"<dt>{label}</dt>" + "".join(f"<dd>{web_link(str(v))}</dd>" for v in values))
    return "<dl>" + "".join(lines) + "</dl>\n" if lines else ""


def _surveys(site: SiteData, agency: Node, labels: Labels, surveys: list[tuple[URIRef, str, list[str]]]) -> str:
    heading = f'{labels.ui_html("agency_surveys")} ({len(surveys)})'
    rows = [f"<li>{line}" + (f' <span class="roles">– {esc(", ".join(roles))}</span>' if roles else "") + "</li>"
            for _, line, roles in surveys]
    listed = f'<ul class="agency-surveys">{"".join(rows)}</ul>' if rows else \
        f'<p class="none">{labels.ui_html("agency_none")}</p>'
    conducts = any(agency in conducting_agencies(site, survey) for survey, _, _ in surveys)
    search = (f'\n<p><a href="../index.html#agency={esc(code_of(agency))}">{labels.ui_html("agency_search")}</a></p>'
              if conducts else "")  # the index's agency filter: the conducting agencies (facets.py)
    return (f'<section aria-labelledby="surveys">\n<h2 id="surveys">{heading}</h2>\n{listed}{search}\n'
            "</section>\n")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _kinds(site: SiteData, agency: Node, labels: Labels) -> list[str]:
    """Its kinds: the project's agency types, else ADMS's publisher types (`_KINDS`)."""
    return next((found for p in _KINDS if (found := [labels.concept(k) or code_of(k) for k in site.values(agency, p)])),
                [])


def _countries(site: SiteData, agency: Node, labels: Labels) -> list[str]:
    return [labels.country(c) or code_of(c) for c in site.values(agency, MM.basedIn)]


__all__ = ["agency_pages"]
