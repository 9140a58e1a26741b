"""A survey's or series' page (`<lang>/surveys/<id>.html`): the 14 questionnaire items as
sections, in the questionnaire's order, with labels in the page's language.

    html = survey_page(site, survey, labels, context)

Items with a shape of their own: countries with their roles (origin, destination, transit)
and UN M49 sub-region (3), the time frame as "start – end" with the status and the series (4),
agencies with their roles (5), identification methods with the criterion's meaning, the
survey's definition and its parameters (11), remittances (12) and access levels (14). Other
answers are listed under their field's name. Then the sources, a "cite this record" line,
a series' rounds, and the downloads (Turtle, JSON-LD, N-Triples, DDI Codebook XML; the
schema.org Dataset JSON-LD is embedded in the head). No IRI of a property is ever shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Node

from migrmeta.load.reference import load_reference
from migrmeta.merging.contributions import Contributed
from migrmeta.namespaces import DCAT, DCATAP, DCT, DISCO, FOAF, MM, PROV, SKOS, XSD
from migrmeta.publishing.html import esc, link, text_html, web_link
from migrmeta.publishing.pages.facets import record_countries
from migrmeta.publishing.pages.labels import Labels, m49
from migrmeta.publishing.pages.layout import DATA_FILES, PageInfo, data_links, document, downloads
from migrmeta.publishing.pages.model import SiteData
from migrmeta.publishing.pages.quality import quality_html
from migrmeta.publishing.pages.roles import agency_html, agency_roles, short_names
from migrmeta.rdf.skolem import is_skolem
from migrmeta.validation.quality import Score
from migrmeta.values.text import Text, collation_key, shortened

# rdflib namespace lookups are slow in loops: each term looked up once
_DCAT_inSeries = DCAT.inSeries
_DCT_bibliographicCitation = DCT.bibliographicCitation
_DCT_description = DCT.description
_DCT_source = DCT.source
_DCT_temporal = DCT.temporal
_DCT_title = DCT.title
_FOAF_name = FOAF.name
_FOAF_page = FOAF.page
_MM_Survey = MM.Survey
_MM_SurveySeries = MM.SurveySeries
_MM_accessLevel = MM.accessLevel
_MM_collectsRemittanceUse = MM.collectsRemittanceUse
_MM_collectsRemittances = MM.collectsRemittances
_MM_criterion = MM.criterion
_MM_identification = MM.identification
_MM_primaryAccessLevel = MM.primaryAccessLevel
_MM_status = MM.status
_SKOS_definition = SKOS.definition
_XSD_anyURI = XSD.anyURI


# Fields listed under each item, in this order; items 3, 4, 5, 11, 12 and 14 have their own shape.
ITEM_FIELDS: dict[int, tuple[str, ...]] = {
    1: (str(DCT.title), str(DCT.alternative), str(DCT.identifier)),  # the title in each language it has
    2: (str(DCT.description), str(DISCO.purpose)),
    6: (str(MM.sampleType), str(MM.sampleFrame), str(MM.sampleSize), str(MM.inferenceNote)),
    7: (str(MM.samplingUnit), str(MM.primarySamplingUnit)),
    8: (str(MM.surveyDesign), str(MM.hostSurvey), str(DCATAP.applicableLegislation)),
    9: (str(MM.populationCovered),),
    10: (str(MM.migrantFocus), str(DCAT.keyword)),
    13: (str(MM.disseminationMeans), str(DCT.isReferencedBy), str(DCAT.distribution)),
    14: (str(DCT.rights), str(DCAT.landingPage), str(DCT.license)),
}
ROLE_OF = {str(MM.originCountry): "origin", str(MM.destinationCountry): "destination",
           str(MM.transitCountry): "transit"}
_LOCATION_ROLE = "https://w3id.org/migrmeta/vocab/location-role/"
# shown in every language they have (a title in the survey's own language is part of the answer)
_ALL_LANGUAGES = {str(DCT.title), str(DCT.bibliographicCitation), str(DCT.alternative)}
# Shown by the items' own shapes (or derived by the DCAT-AP profile: dct:accessRights).
_HANDLED = {str(p) for p in (DCT.title, DCT.spatial, MM.originCountry, MM.destinationCountry, MM.transitCountry,
                             DCT.temporal, MM.status, DCAT.inSeries, DCT.creator, DCT.publisher, DCT.contributor,
                             PROV.qualifiedAttribution, MM.identification, MM.collectsRemittances,
                             MM.collectsRemittanceUse, MM.accessLevel, MM.primaryAccessLevel, DCT.accessRights)}
_IDENTIFICATION_PARAMETERS = (str(MM.thresholdMonths), str(MM.referencePeriodYears), str(MM.minAge),
                              str(MM.framework))


@dataclass(frozen=True)
class PageContext:
    """What every survey page shares: the catalogue's title, publisher, base URL."""

    catalogue_title: str
    publisher: str
    base_url: str | None
    jsonld: Mapping[Node, str]  # survey -> the schema.org JSON-LD to embed (already script-safe)
    quality: Score | None = None  # the survey's metadata quality (validation/quality.py)
    contributors: tuple[Contributed, ...] = ()  # of a survey merged from several agencies' files


class _Render:
    def __init__(self, site: SiteData, labels: Labels, lang: str) -> None:
        self.site, self.labels, self.lang = site, labels, lang
        # the HTML of IRIs (concepts, agencies, surveys...) in this language: they come back page after page
        self.shown = site.html_cache.setdefault(lang, {})

    def value(self, node: Node, depth: int = 0) -> str:
        if not isinstance(node, URIRef) or is_skolem(node):
            return self._value(node, depth)
        if (found := self.shown.get(node)) is None:
            with self.site.reading() as reads:
                html = self._value(node, depth)
            found = self.shown[node] = (html, frozenset(reads))
        self.site.note(found[1])  # what it was made from is read by this page too
        return found[0]

    def _value(self, node: Node, depth: int = 0) -> str:
        site, labels = self.site, self.labels
        if isinstance(node, Literal):
            if (said := labels.boolean(node)) is not None:
                return esc(said)
            if node.datatype == _XSD_anyURI:
                return web_link(str(node))
            return text_html(Text(str(node), node.language), self.lang)
        name = site.name_of(node)
        if name is not None:
            return link(f"{name}.html", text_html(site.title(node, self.lang), self.lang))
        label = labels.concept(node) or labels.country(node)
        if label is not None:
            return esc(label)
        if is_skolem(node):
            return self.fields(node, tuple(sorted(p for p in site.props_of(node) if not p.endswith("#type"))),
                               depth + 1) if depth < 3 else ""
        if site.values(node, _FOAF_name):
            return self.agency(node)
        title = site.text(node, _DCT_title, self.lang)
        if title is not None:  # a host survey outside the catalogue
            return text_html(title, self.lang)
        return web_link(str(node))

    def agency(self, agency: Node) -> str:
        return agency_html(self.site, agency, self.lang, "../")  # from <lang>/surveys/

    def values(self, subject: Node, predicate: str, depth: int = 0, nodes: list[Node] | None = None) -> list[str]:
        literals_in_lang = predicate not in _ALL_LANGUAGES
        nodes = self.site.values(subject, predicate) if nodes is None else nodes
        if literals_in_lang and any(isinstance(n, Literal) and n.language for n in nodes):
            texts = self.site.texts(subject, predicate, self.lang)
            return [text_html(t, self.lang) for t in texts]
        return [self.value(n, depth) for n in nodes]

    def fields(self, subject: Node, predicates: tuple[str, ...], depth: int = 0) -> str:
        lines = []
        props = self.site.props_of(subject)
        for predicate in predicates:
            nodes = props.get(predicate)
            if not nodes:
                continue
            shown = [v for v in self.values(subject, predicate, depth, nodes) if v]
            if shown:
                lines.append(f"<dt>{self.labels.field_html(predicate)}</dt>")
                lines += [f"<dd>{v}</dd>" for v in shown]
        return "<dl>" + "".join(lines) + "</dl>" if lines else ""


def _countries(r: _Render, survey: Node) -> str:
    roles: dict[str, list[str]] = {}
    for predicate, role in ROLE_OF.items():
        for country in r.site.values(survey, predicate):
            roles.setdefault(str(country), []).append(r.labels.concept(_LOCATION_ROLE + role) or role)
    rows = []
    for iri in record_countries(r.site, survey):
        name = r.labels.country(iri) or iri.rsplit("/", 1)[-1]
        facts = m49(iri)
        region = f' <span class="region">({esc(r.labels.region(facts.subregion))})</span>' \
            if facts is not None and facts.subregion else ""
        role = f' <span class="roles">– {esc(", ".join(roles[iri]))}</span>' if iri in roles else ""
        rows.append((collation_key(name), f"<li>{esc(name)}{role}{region}</li>"))
    return "<ul>" + "".join(row for _, row in sorted(rows)) + "</ul>" if rows else ""


def time_frame(site: SiteData, labels: Labels, survey: Node) -> str:
    """"2006 – 2007", "2019 – (ongoing)", "1993-09 (end not given)" (a completed survey), "2013-11"."""
    frame = site.time_frame(survey)
    return frame.written(" – ", f"({labels.ui('ongoing')})", f" ({labels.ui('end_unknown')})") if frame else ""


def _time(r: _Render, survey: Node) -> str:
    lines = []
    period = time_frame(r.site, r.labels, survey)
    if period:
        lines.append(f"<dt>{r.labels.field_html(_DCT_temporal)}</dt><dd>{esc(period)}</dd>")
    status, series = r.labels.field_html(_MM_status), r.labels.ui_html("round_of")
    lines += [f"<dt>{status}</dt><dd>{r.value(s)}</dd>" for s in r.site.values(survey, _MM_status)]
    lines += [f"<dt>{series}</dt><dd>{r.value(s)}</dd>" for s in r.site.values(survey, _DCAT_inSeries)]
    return "<dl>" + "".join(lines) + "</dl>" if lines else ""


def _agencies(r: _Render, survey: Node) -> str:
    rows = []
    for agent, shown in agency_roles(r.site, r.labels, survey).items():
        shorts = short_names(r.site, agent)
        short = f" ({esc(', '.join(shorts))})" if shorts else ""
        key = collation_key(r.site.agency_name(agent, r.lang).value)
        role_text = esc(", ".join(shown))
        rows.append((key, str(agent), f'<li>{r.agency(agent)}{short} <span class="roles">– {role_text}</span></li>'))
    return "<ul>" + "".join(row for _, _, row in sorted(rows)) + "</ul>" if rows else ""


def _identification(r: _Render, survey: Node) -> str:
    methods = []
    for method in r.site.values(survey, _MM_identification):
        criterion = r.site.first(method, _MM_criterion)
        title = esc(r.labels.concept(criterion) or "") if criterion is not None else ""
        meaning = r.labels.definition(criterion) if criterion is not None else None
        parts = [f"<h3>{title}</h3>" if title else ""]
        if meaning:
            parts.append(f'<p class="meaning"><span class="lead">{r.labels.ui_html("criterion_meaning")}:</span> '
                         f"{esc(meaning)}</p>")
        details = []
        for text in r.site.texts(method, _SKOS_definition, r.lang):
            details.append(f"<dt>{r.labels.ui_html('survey_definition')}</dt><dd>{text_html(text, r.lang)}</dd>")
        body = r.fields(method, _IDENTIFICATION_PARAMETERS)
        parts.append("<dl>" + "".join(details) + body.removeprefix("<dl>").removesuffix("</dl>") + "</dl>"
                     if details or body else "")
        methods.append((title, f'<div class="method">{"".join(parts)}</div>'))
    return "".join(m for _, m in sorted(methods))


def _remittances(r: _Render, survey: Node) -> str:
    if not any(r.site.values(survey, p) for p in (_MM_collectsRemittances, _MM_collectsRemittanceUse)):
        return ""
    lines = []
    collects = r.site.first(survey, _MM_collectsRemittances)
    none = isinstance(collects, Literal) and collects.toPython() is False  # no remittance data: no use of it
    for predicate in (_MM_collectsRemittances, _MM_collectsRemittanceUse):
        value = r.site.first(survey, predicate)
        if value is None and none and predicate == _MM_collectsRemittanceUse:
            continue
        shown = r.value(value) if value is not None else r.labels.ui_html("not_stated")
        lines.append(f"<dt>{r.labels.field_html(predicate)}</dt><dd>{shown}</dd>")
    return "<dl>" + "".join(lines) + "</dl>"


def _access(r: _Render, survey: Node) -> str:
    primary = set(r.site.values(survey, _MM_primaryAccessLevel))
    levels = [f"<dd>{r.value(level)}" + (f" ({r.labels.ui_html('main_level')})" if level in primary else "") + "</dd>"
              for level in r.site.values(survey, _MM_accessLevel)]
    head = f"<dt>{r.labels.field_html(_MM_accessLevel)}</dt>" + "".join(levels) if levels else ""
    rest = r.fields(survey, ITEM_FIELDS[14]).removeprefix("<dl>").removesuffix("</dl>")
    return f"<dl>{head}{rest}</dl>" if head or rest else ""


@cache
def item_of_properties() -> dict[str, int]:
    """Property -> the questionnaire item it answers (the ontology's mm:answeredBy, as the
    reports count answers; the lowest, when several)."""
    return {str(term): item for term, item in load_reference().item_of_terms().items()}


@cache
def _listed() -> frozenset[str]:
    return frozenset(p for fields in ITEM_FIELDS.values() for p in fields) | _HANDLED


def _others(r: _Render, survey: Node) -> dict[int, tuple[str, ...]]:
    """Item -> its answers that no field list names (so no answer is ever left out)."""
    items, listed = item_of_properties(), _listed()
    extra: dict[int, list[str]] = {}
    for predicate in r.site.props_of(survey):
        if predicate not in listed and predicate in items:
            extra.setdefault(items[predicate], []).append(predicate)
    return {item: tuple(sorted(found)) for item, found in extra.items()}


_SPECIAL = {3: _countries, 4: _time, 5: _agencies, 11: _identification, 12: _remittances, 14: _access}


def _item(r: _Render, survey: Node, number: int, others: dict[int, tuple[str, ...]]) -> str:
    special = _SPECIAL.get(number)
    answer = special(r, survey) if special is not None else r.fields(survey, ITEM_FIELDS.get(number, ()))
    if number in others:
        answer += r.fields(survey, others[number])
    heading = f"{number}. {r.labels.item(number)}"
    none = "" if answer else "in_rounds" if r.site.is_series(survey) and r.site.rounds_of(survey) else "not_answered"
    return (f'<section class="item" aria-labelledby="item-{number}">\n<h2 id="item-{number}">{esc(heading)}</h2>\n'
            f'{answer or f"<p class={chr(34)}none{chr(34)}>{r.labels.ui_html(none)}</p>"}\n</section>\n')


def _contributed(r: _Render, contributors: Sequence[Contributed]) -> str:
    """Who contributed what, for a survey merged from several agencies' files (merging/contributions.py)."""
    if not contributors:
        return ""
    rows = []
    for c in contributors:
        items = ", ".join(str(n) for n in c.items) or "–"
        kept = (f"; {r.labels.ui_html('not_kept')}: {', '.join(str(n) for n in c.superseded_items)}"
                if c.superseded_items else "")
        rows.append(f"<li>{r.agency(c.agency)} <span class=\"file\">({esc(Path(c.source).name)})</span>: "
                    f"{r.labels.ui_html('items')} {esc(items)}{esc(kept)}</li>")
    return (f'<section aria-labelledby="contributed">\n<h2 id="contributed">{r.labels.ui_html("contributed_by")}'
            f"</h2>\n<ul>{''.join(rows)}</ul>\n</section>\n")


def _sources(r: _Render, survey: Node) -> str:
    pages = sorted({str(p) for p in (*r.site.values(survey, _FOAF_page), *r.site.values(survey, _DCT_source))})
    items = [f"<li>{web_link(p)}</li>" for p in pages]
    items += [f"<li>{v}</li>" for v in r.values(survey, str(_DCT_bibliographicCitation))]
    if not items:
        return ""
    return (f'<section aria-labelledby="sources">\n<h2 id="sources">{r.labels.ui_html("sources")}</h2>\n'
            f'<ul>{"".join(items)}</ul>\n</section>\n')


def survey_line(site: SiteData, labels: Labels, survey: URIRef, href: str, kind: bool = False) -> str:
    """A survey's or series' title linked to its page (`href`), marked as a series (`kind`) if it
    is one, and its time frame: a line of a list of surveys."""
    title = link(href, text_html(site.title(survey, labels.lang), labels.lang))
    series = f' <span class="kind">({esc(labels.field(_MM_SurveySeries))})</span>' \
        if kind and site.is_series(survey) else ""
    period = time_frame(site, labels, survey)
    return title + series + (f' <span class="period">{esc(period)}</span>' if period else "")


def _rounds(r: _Render, survey: Node) -> str:
    rounds = r.site.rounds_of(survey, r.lang)
    items = [f"<li>{survey_line(r.site, r.labels, x, f'{r.site.name_of(x)}.html')}</li>" for x in rounds]
    body = f"<ul>{''.join(items)}</ul>" if items else f'<p class="none">{r.labels.ui_html("no_rounds")}</p>'
    heading = r.labels.ui_html("rounds")
    return f'<section aria-labelledby="rounds">\n<h2 id="rounds">{heading}</h2>\n{body}\n</section>\n'


def _cite(r: _Render, survey: Node, context: PageContext) -> str:
    modified = r.site.modified(survey)
    # the title marked with its language when it is not the page's, as in the heading
    cited = esc(r.labels.ui("cite_text")).format(
        publisher=esc(context.publisher), title=text_html(r.site.title(survey, r.lang), r.lang),
        catalogue=esc(context.catalogue_title), date=esc(str(modified)) if modified is not None else "",
        iri=esc(str(survey)))
    return (f'<section aria-labelledby="cite">\n<h2 id="cite">{r.labels.ui_html("cite")}</h2>\n'
            f'<p class="cite">{cited}</p>\n</section>\n')


def _downloads(r: _Render, name: str, root: str) -> str:
    return downloads(r.labels.ui_html("downloads"), f"{root}surveys/{esc(name)}",
                     (*DATA_FILES, ("xml", "application/xml", r.labels.ui("ddi"))),
                     f"<li>{r.labels.ui_html('embedded')}</li>")


def survey_page(site: SiteData, survey: URIRef, labels: Labels, context: PageContext) -> str:
    """The page of one survey or series in the labels' language."""
    lang = labels.lang
    r = _Render(site, labels, lang)
    name = site.name_of(survey) or ""  # pages are made for the surveys and series only: never ""
    page = PageInfo(lang, f"surveys/{name}.html")
    root = page.root
    series = site.is_series(survey)
    title = site.title(survey, lang)
    kind = labels.field(_MM_SurveySeries if series else _MM_Survey)
    head = (data_links(f"{root}surveys/{esc(name)}")
            + f'<script type="application/ld+json">\n{context.jsonld[survey]}\n</script>\n')
    iri = str(survey)
    body = [f'<nav class="crumbs" aria-label="{labels.ui_html("home")}"><a href="../index.html">'
            f"{esc(context.catalogue_title)}</a></nav>\n", f"<h1>{text_html(title, lang)}</h1>\n",
            f'<p class="kind">{esc(kind[:1].upper() + kind[1:])} · '
            f'<a href="{esc(iri)}"><code>{esc(iri)}</code></a></p>\n'
            if iri.startswith(("http://", "https://")) else f'<p class="kind">{esc(kind)}</p>\n',
            quality_html(context.quality, labels)]
    others = _others(r, survey)
    body += [_item(r, survey, number, others) for number in range(1, 15)]
    if series:
        body.append(_rounds(r, survey))
    body += [_contributed(r, context.contributors), _sources(r, survey), _cite(r, survey, context),
             _downloads(r, name, root)]
    description = site.text(survey, _DCT_description, lang)
    return document(page, labels, title=f"{title.value} – {context.catalogue_title}",
                    catalogue_title=context.catalogue_title, body="".join(body), base_url=context.base_url,
                    head=head, description=shortened(description.value, 300) if description else None)


__all__ = ["ITEM_FIELDS", "PageContext", "survey_line", "survey_page", "time_frame"]
