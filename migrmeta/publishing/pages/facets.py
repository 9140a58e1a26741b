"""What each record is filtered by: its facet values (codes), its years and its search words.

    facts = record_facts(site)             # one RecordFacts per survey or series
    counts = facet_counts(facts)           # facet -> {code: number of records}

Facets: country (alpha-3), UN M49 region and sub-region, conducting agency, sample type,
sampling unit, survey design (dedicated survey or module), populations, migrant types,
remittance data (yes / use / no / unknown), dissemination means and access level. A concept
also counts under its broader concepts (a stratified sample is a probability sample). Codes
are short and stable (the last part of the IRI) because they go into URLs
(`index.html#country=SEN&access=open`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from rdflib import Literal
from rdflib.term import Node

from migrmeta.load.reference import load_reference
from migrmeta.namespaces import DCAT, DCT, DISCO, FOAF, MM, SKOS, scheme_iri
from migrmeta.publishing.pages.labels import LANGUAGES, m49, site_labels
from migrmeta.publishing.pages.model import SiteData
from migrmeta.values.countries import countries
from migrmeta.values.text import fold

# rdflib namespace lookups are slow in loops: each term looked up once
_DCAT_keyword = DCAT.keyword
_DCT_alternative = DCT.alternative
_DCT_contributor = DCT.contributor
_DCT_creator = DCT.creator
_DCT_description = DCT.description
_DCT_publisher = DCT.publisher
_DCT_spatial = DCT.spatial
_DCT_title = DCT.title
_DISCO_purpose = DISCO.purpose
_FOAF_name = FOAF.name
_MM_accessLevel = MM.accessLevel
_MM_collectsRemittanceUse = MM.collectsRemittanceUse
_MM_collectsRemittances = MM.collectsRemittances
_MM_destinationCountry = MM.destinationCountry
_MM_disseminationMeans = MM.disseminationMeans
_MM_migrantFocus = MM.migrantFocus
_MM_originCountry = MM.originCountry
_MM_populationCovered = MM.populationCovered
_MM_sampleType = MM.sampleType
_MM_samplingUnit = MM.samplingUnit
_MM_surveyDesign = MM.surveyDesign
_MM_transitCountry = MM.transitCountry
_SKOS_altLabel = SKOS.altLabel
_SKOS_broader = SKOS.broader



@dataclass(frozen=True)
class Facet:
    key: str  # in URLs and the search index
    item: int  # the questionnaire item it answers (its label, when no ui key)
    predicate: str | None = None  # concept facets: the property holding the concepts
    ui: str | None = None  # the label's key in ui.json, else the item's name
    scheme: str | None = None  # concept facets: the concept scheme (codes are its concepts' last parts)

    def concept(self, code: str) -> str:
        return f"{scheme_iri(self.scheme or '')}/{code}"


COUNTRY_PROPERTIES = (str(_DCT_spatial), str(_MM_originCountry), str(_MM_destinationCountry), str(_MM_transitCountry))
FACETS = (
    Facet("country", 3),
    Facet("region", 3, ui="region"),
    Facet("subregion", 3, ui="subregion"),
    Facet("agency", 5, ui="agency"),
    Facet("sample", 6, str(_MM_sampleType), scheme="sample-type"),
    Facet("unit", 7, str(_MM_samplingUnit), scheme="sampling-unit"),
    Facet("design", 8, str(_MM_surveyDesign), scheme="survey-design"),
    Facet("population", 9, str(_MM_populationCovered), scheme="population"),
    Facet("migrant", 10, str(_MM_migrantFocus), scheme="migrant-type"),
    Facet("remittances", 12),
    Facet("dissemination", 13, str(_MM_disseminationMeans), scheme="dissemination"),
    Facet("access", 14, str(_MM_accessLevel), scheme="access-level"),
)
REMITTANCES = ("yes", "use", "no", "unknown")
_TEXT_PROPERTIES = (_DCT_title, _DCT_alternative, _DCT_description, _DISCO_purpose, _DCAT_keyword)


@dataclass
class RecordFacts:
    subject: Node
    name: str
    codes: dict[str, list[str]] = field(default_factory=dict)  # facet key -> sorted codes
    start: int | None = None
    end: int | None = None
    words: list[str] = field(default_factory=list)  # folded, unique, sorted


def code_of(iri: object) -> str:
    """The last part of an IRI: a concept's or an agency's code in URLs."""
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@cache
def _broader() -> dict[str, tuple[str, ...]]:
    """Concept -> all its broader concepts (transitively), from the vocabularies."""
    graph = load_reference().graph
    direct: dict[str, set[str]] = {}
    for narrower, broader in graph.subject_objects(_SKOS_broader):
        direct.setdefault(str(narrower), set()).add(str(broader))
    closure: dict[str, tuple[str, ...]] = {}
    for concept in direct:
        seen: set[str] = set()
        todo = list(direct[concept])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(direct.get(node, ()))
        closure[concept] = tuple(sorted(seen))
    return closure


def conducting_agencies(site: SiteData, subject: Node) -> list[Node]:
    """The conducting organisations: dct:creator (item 5, docs/model.md), as the survey pages,
    the saved questions and `report quality --by agency` count them. (The conductor role alone
    left out a creator whenever another agency held that role, and counted a series' conductor
    that is not its creator: the filter disagreed with every other count.)"""
    return sorted(set(site.values(subject, _DCT_creator)), key=str)


def record_countries(site: SiteData, subject: Node) -> list[str]:
    return sorted({str(c) for p in COUNTRY_PROPERTIES for c in site.values(subject, p)})


def _remittances(site: SiteData, subject: Node) -> list[str]:
    """yes (and use), no, or unknown ("Not stated"); a series that does not answer for all its
    rounds has no code, as in every other facet (its rounds answer: a reviewer found ten series
    "Not stated" whose rounds all collect remittances)."""
    collects = site.first(subject, _MM_collectsRemittances)
    use = site.first(subject, _MM_collectsRemittanceUse)
    if isinstance(collects, Literal) and collects.toPython() is True:
        return ["yes", "use"] if isinstance(use, Literal) and use.toPython() is True else ["yes"]
    if isinstance(collects, Literal) and collects.toPython() is False:
        return ["no"]
    return [] if site.is_series(subject) and site.rounds_of(subject) else ["unknown"]


def _concepts(site: SiteData, subject: Node, predicate: str) -> list[str]:
    broader = _broader()
    found: set[str] = set()
    for concept in site.values(subject, predicate):
        found.add(str(concept))
        found.update(broader.get(str(concept), ()))
    return sorted(code_of(c) for c in found)


def _words(site: SiteData, subject: Node, agencies: Iterable[Node], country_iris: Iterable[str]) -> list[str]:
    texts = [str(v) for p in _TEXT_PROPERTIES for v in site.values(subject, p) if isinstance(v, Literal)]
    for agency in agencies:
        texts += [str(v) for p in (_FOAF_name, _SKOS_altLabel) for v in site.values(agency, p)]
    for iri in country_iris:
        texts += [label for lang in LANGUAGES if (label := site_labels(lang).country(iri))]
    return sorted({w for t in texts for w in fold(t).split() if len(w) > 1})


def record_facts(site: SiteData) -> list[RecordFacts]:
    """The facets, years and words of every survey and series, in title order."""
    out = []
    known = countries()
    agency_iris: dict[str, Node] = {}
    for subject in site.ordered():
        country_iris = record_countries(site, subject)
        facts = RecordFacts(subject, site.names[subject])
        facts.codes["country"] = sorted({c.code for iri in country_iris if (c := known.get(iri)) is not None})
        regions = [m for iri in country_iris if (m := m49(iri)) is not None]
        facts.codes["region"] = sorted({m.region for m in regions if m.region})
        facts.codes["subregion"] = sorted({m.subregion for m in regions if m.subregion})
        agencies = list(site.values(subject, _DCT_creator)) + list(site.values(subject, _DCT_publisher)) + \
            list(site.values(subject, _DCT_contributor))
        conductors = conducting_agencies(site, subject)
        for agency in conductors:
            agency_iris.setdefault(code_of(agency), agency)
        facts.codes["agency"] = sorted({code_of(a) for a in conductors})
        for facet in FACETS:
            if facet.predicate is not None:
                facts.codes[facet.key] = _concepts(site, subject, facet.predicate)
        facts.codes["remittances"] = _remittances(site, subject)
        facts.start, facts.end = site.years(subject)
        facts.words = _words(site, subject, agencies, country_iris)
        out.append(facts)
    site.agency_codes = agency_iris
    return out


def facet_counts(facts: Iterable[RecordFacts]) -> dict[str, Counter[str]]:
    codes: dict[str, list[str]] = {f.key: [] for f in FACETS}
    for record in facts:
        for key, found in record.codes.items():
            codes[key] += found
    # one Counter per facet: Counter.update checks for a Mapping (an ABC, a Python call) each time
    return {key: Counter(found) for key, found in codes.items()}


def year_counts(facts: Iterable[RecordFacts]) -> dict[int, int]:
    """Year -> records whose time frame includes it (an ongoing one runs to the latest year; one
    whose end is not given counts in its start year: `SiteData.years`)."""
    records = [f for f in facts if f.start is not None]
    if not records:
        return {}
    last = max(max(f.start or 0, f.end or 0) for f in records)
    counts: Counter[int] = Counter()
    for record in records:
        assert record.start is not None
        counts.update(range(record.start, (record.end if record.end is not None else last) + 1))
    return dict(sorted(counts.items()))


__all__ = ["FACETS", "REMITTANCES", "Facet", "RecordFacts", "code_of", "conducting_agencies", "facet_counts",
           "record_countries", "record_facts", "year_counts"]
