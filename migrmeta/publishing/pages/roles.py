"""The agencies a survey names (item 5) and their roles there, and an agency's short names, as
readers are shown them: on the survey's page (survey.py) and on each agency's page and list
(agency.py), the same words.
"""

from __future__ import annotations

from rdflib.term import Node

from migrmeta.namespaces import DCAT, DCT, FOAF, PROV, SKOS
from migrmeta.publishing.html import link, text_html, web_link
from migrmeta.publishing.pages.labels import Labels
from migrmeta.publishing.pages.layout import agency_page
from migrmeta.publishing.pages.model import SiteData

# rdflib namespace lookups are slow in loops: each term looked up once
_DCAT_hadRole = DCAT.hadRole
_DCT_contributor = DCT.contributor
_DCT_creator = DCT.creator
_DCT_publisher = DCT.publisher
_FOAF_homepage = FOAF.homepage
_PROV_agent = PROV.agent
_PROV_qualifiedAttribution = PROV.qualifiedAttribution
_SKOS_altLabel = SKOS.altLabel
SHORT_WORDS = 2  # an alternative name of more words is a name, not an acronym: "United Nations World Food Programme"


def agency_roles(site: SiteData, labels: Labels, survey: Node) -> dict[Node, list[str]]:
    """Each agency the survey names (item 5) -> its roles as a reader is shown them, in the
    labels' language: those of its qualified attributions (Partner, Funder), then "conducting
    organisation", "publisher", and "collaborating agency" when no role says more; each once,
    whatever its case. What the survey's page and the agency's page (agency.py) both say."""
    roles: dict[Node, list[str]] = {}
    for attribution in site.values(survey, _PROV_qualifiedAttribution):
        agent = site.first(attribution, _PROV_agent)
        if agent is not None:
            found = roles.setdefault(agent, [])
            found += [labels.concept(role) or str(role) for role in site.values(attribution, _DCAT_hadRole)]
    for predicate in (_DCT_creator, _DCT_publisher, _DCT_contributor):  # "collaborating agency": when no role says more
        for agent in (a for a in site.values(survey, predicate) if predicate != _DCT_contributor or not roles.get(a)):
            roles.setdefault(agent, []).append(labels.role(predicate))
    shown: dict[Node, list[str]] = {}
    for agent, names in roles.items():
        unique = list(dict.fromkeys(n[:1].upper() + n[1:] for n in names))
        shown[agent] = list({n.casefold(): n for n in reversed(unique)}.values())[::-1]
    return shown


def short_names(site: SiteData, agency: Node) -> list[str]:
    """Its acronyms and short names (IOM, OIM, NSS RA: its alternative names of SHORT_WORDS words
    at most), each once, shown in brackets after its name."""
    return list(dict.fromkeys(str(v) for v in site.values(agency, _SKOS_altLabel)
                              if len(str(v).split()) <= SHORT_WORDS))


def long_names(site: SiteData, agency: Node) -> list[Node]:
    """Its alternative names of more words ("Joint Data Center on Forced Displacement"): other
    names, not acronyms."""
    return [v for v in site.values(agency, _SKOS_altLabel) if len(str(v).split()) > SHORT_WORDS]


def agency_html(site: SiteData, agency: Node, lang: str, up: str = "") -> str:
    """The agency's name in `lang`, linked to its page on this site when it has one (its home
    page is there; `up`: from the page to the language's folder, "../" from a survey's), else
    to its home page."""
    name = text_html(site.agency_name(agency, lang), lang)
    page = site.agency_file_name(agency)
    if page is not None:
        return link(f"{up}{agency_page(page)}", name)
    homepage = site.first(agency, _FOAF_homepage)
    return web_link(str(homepage), name) if homepage is not None else name


__all__ = ["agency_html", "agency_roles", "long_names", "short_names"]
