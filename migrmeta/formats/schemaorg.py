"""Survey records -> schema.org `Dataset` JSON-LD for dataset search engines.

    document = dataset_jsonld(graph, survey_iri)        # a dict, ready for json.dumps
    by_lang = datasets_jsonld(graph, survey_iri, ("en", "fr"))   # read once, texts in each language
    problems = check_dataset(document)                   # Google's Dataset guidelines

Follows Google's Dataset structured-data guidelines (name and description required, the
description 50-5000 characters; creator, spatial and temporal coverage, variables measured,
access and distributions recommended) in the style of the science-on-schema.org examples:
`"@context": "https://schema.org/"`, `@type`/`@id` first, nested typed nodes (Organization,
Place, PropertyValue, DataDownload, DataCatalog). A description that is too short is
reported, never padded.

`publish` embeds the result in HTML pages (`<script type="application/ld+json">`), each page
the Dataset in its language (texts chosen as the page chooses them, `values.text.pick`; no
`inLanguage`, which is the dataset's language, not the page's), and gives the `Catalogue` they
are published in (`includedInDataCatalog`) with, given a base URL, each survey's page there in
each language. `url` is a page describing the survey: the record's landing page, else
its page on the site, else an access page. A DOI is an `identifier` and the `sameAs`; other
pages are never `sameAs`, which claims identity (records share a programme's landing page
among its rounds). `distribution` holds files to download only (dcat:downloadURL): Google's
`contentUrl` is the file itself.
Labels of countries and concepts come from the graph when it holds them, else from the
reference data.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta.formats.exporting import Written
from migrmeta.formats.harmonize import agency_name, study_dois
from migrmeta.formats.loss import LossReport
from migrmeta.jsontext import document_text
from migrmeta.load.reference import Reference, load_reference
from migrmeta.namespaces import ACCESS_RIGHT, DCAT, DCT, DOI_RESOLVER, FOAF, MM, OWL, RDF, RDFS, SKOS
from migrmeta.rdf.curie import curie
from migrmeta.rdf.readonly import Statements
from migrmeta.values.countries import iso_alpha3
from migrmeta.values.iris import doi_of
from migrmeta.values.periods import time_frame
from migrmeta.values.text import pick, pick_all, text_sort_key

CONTEXT = "https://schema.org/"
DESCRIPTION_MIN, DESCRIPTION_MAX = 50, 5000  # Google's Dataset guidelines
DOI_REGISTRY = "https://registry.identifiers.org/registry/doi"  # a DOI's propertyID (science-on-schema.org)
# Survey properties written to schema.org; the others are listed by `losses`.
WRITTEN = {
    DCT.title,
    DCT.alternative,
    DCT.identifier,
    DCT.description,
    DCT.spatial,
    DCT.temporal,
    DCT.creator,
    DCT.publisher,
    DCT.contributor,
    MM.identification,
    MM.accessLevel,
    DCT.rights,
    DCAT.distribution,
    DCAT.landingPage,
    DCAT.inSeries,
    DCAT.keyword,
    MM.migrantFocus,
    DCT.license,
    DCT.modified,
    MM.sampleType,
    DCT.bibliographicCitation,
    DCT.isReferencedBy,
    MM.originCountry,
    MM.destinationCountry,
    MM.transitCountry,
}
# rdflib namespace lookups are slow in loops: each term looked up once
_ALTERNATIVE, _CITATION, _CONTRIBUTOR = DCT.alternative, DCT.bibliographicCitation, DCT.contributor
_CREATOR, _DESCRIPTION, _IDENTIFIER, _LICENSE = DCT.creator, DCT.description, DCT.identifier, DCT.license
_PUBLISHER, _REFERENCED_BY, _TITLE = DCT.publisher, DCT.isReferencedBy, DCT.title
_DISTRIBUTION, _IN_SERIES, _KEYWORD = DCAT.distribution, DCAT.inSeries, DCAT.keyword
_IDENTIFICATION, _SAMPLE_TYPE = MM.identification, MM.sampleType
_COUNTRIES = (DCT.spatial, MM.originCountry, MM.destinationCountry, MM.transitCountry)


@dataclass(frozen=True)
class Catalogue:
    """The catalogue the surveys are published in: its IRI, its title in English, the site's
    address (None: not known), and where each survey's or series' page in a language is on
    that site (None: nowhere known). Made once for a whole publish."""

    iri: str
    title: str
    url: str | None = None
    page: Callable[[Node, str], str | None] | None = None

    def jsonld(self) -> dict[str, Any]:
        node: dict[str, Any] = {"@type": "DataCatalog", "@id": self.iri, "name": self.title}
        _put(node, "url", self.url)
        return node


def dataset_jsonld(
    graph: Statements, survey_iri: URIRef | str, *, reference: Reference | None = None, lang: str = "en",
    catalogue: Catalogue | None = None,
) -> dict[str, Any]:
    """A schema.org Dataset for one survey (or series) of the graph, as a JSON-LD dict, its
    texts in `lang` (`datasets_jsonld`); in `catalogue` when it is published in one (`publish`)."""
    return datasets_jsonld(graph, survey_iri, (lang,), reference=reference, catalogue=catalogue)[lang]


def datasets_jsonld(
    graph: Statements, survey_iri: URIRef | str, langs: Sequence[str], *, reference: Reference | None = None,
    catalogue: Catalogue | None = None,
) -> dict[str, dict[str, Any]]:
    """The Dataset in each of `langs` (language -> document), for the pages of a site in those
    languages: the record is read once, and only its texts are chosen per language, as the
    pages choose them (`values.text.pick`: the language, else English, else untagged...),
    with `url` the page in that language when that is the url. No `inLanguage`: it is the
    language of the dataset (dct:language), not of the page describing it."""
    template = _dataset(graph, URIRef(str(survey_iri)), _Labels(graph, reference or load_reference()), catalogue)
    return {lang: _in(template, lang) for lang in langs}


def organizations_jsonld(graph: Statements, agency: Node, langs: Sequence[str], *,
                         reference: Reference | None = None) -> dict[str, dict[str, Any]]:
    """A schema.org Organization for an agency's page in each of `langs` (language -> document),
    as a Dataset names its agencies (`_Labels.organization`: name, home page, the same agency
    elsewhere), with its other names (in other languages, acronyms), its description
    (rdfs:comment) and the country it is based in (mm:basedIn), its texts chosen as the pages
    choose them."""
    labels = _Labels(graph, reference or load_reference())
    doc: dict[str, Any] = {"@context": CONTEXT, **labels.organization(agency)}
    names = sorted((v for v in graph.objects(agency, FOAF.name) if isinstance(v, Literal)), key=text_sort_key)
    acronyms = sorted({str(v) for v in graph.objects(agency, SKOS.altLabel)})

    def others(lang: str) -> list[str]:  # its names in the languages `name` was not chosen in, and its acronyms
        chosen = agency_name(graph, agency, lang)
        return list(dict.fromkeys([*(str(n) for n in names if str(n) != chosen), *acronyms]))

    _put(doc, "alternateName", _InLanguage(others))
    _put(doc, "description", labels.text(agency, RDFS.comment))
    _put(doc, "location", [labels.place(c) for c in _sorted(graph.objects(agency, MM.basedIn))])
    return {lang: _in(doc, lang) for lang in langs}


def _dataset(g: Statements, survey: URIRef, labels: _Labels, catalogue: Catalogue | None) -> dict[str, Any]:
    """The Dataset with its texts still to choose (`_InLanguage`: `_in` chooses them)."""
    doc: dict[str, Any] = {"@context": CONTEXT, "@type": "Dataset", "@id": str(survey)}
    _put(doc, "name", labels.text(survey, _TITLE))
    _put(doc, "alternateName", labels.other_names(survey))
    _put(doc, "description", labels.text(survey, _DESCRIPTION))
    identifier = g.value(survey, _IDENTIFIER)
    url = _url(g, survey, catalogue)
    dois = study_dois(g, survey)  # those of its landing pages and data files, not of what it cites
    _put(doc, "identifier", ([str(identifier)] if identifier is not None else []) + [_doi(doi) for doi in dois])
    _put(doc, "url", url)
    _put(doc, "sameAs", [DOI_RESOLVER + doi for doi in dois if DOI_RESOLVER + doi != url])
    _put(doc, "keywords", labels.keywords(survey))
    _put(doc, "license", _first(g.objects(survey, _LICENSE)))
    _put(doc, "creator", [labels.organization(a) for a in _sorted(g.objects(survey, _CREATOR))])
    publisher = _first(g.objects(survey, _PUBLISHER), raw=True)
    if publisher is not None:
        doc["publisher"] = labels.organization(publisher)
    _put(doc, "contributor", [labels.organization(a) for a in _sorted(g.objects(survey, _CONTRIBUTOR))])
    countries = {c for p in _COUNTRIES for c in g.objects(survey, p)}
    _put(doc, "spatialCoverage", [labels.place(c) for c in _sorted(countries)])
    _put(doc, "temporalCoverage", temporal_coverage(g, survey))
    _put(doc, "measurementTechnique", [labels.label(c) for c in _sorted(g.objects(survey, _SAMPLE_TYPE))])
    _put(doc, "variableMeasured", _by_content([labels.variable(m) for m in g.objects(survey, _IDENTIFICATION)]))
    _access(doc, g, survey, labels)
    downloads = (labels.download(x) for x in g.objects(survey, _DISTRIBUTION))
    _put(doc, "distribution", _by_content([d for d in downloads if d]))
    _put(
        doc,
        "citation",
        sorted({str(c) for c in g.objects(survey, _CITATION)})
        + [str(p) for p in _sorted(g.objects(survey, _REFERENCED_BY))],
    )
    _put(doc, "isPartOf", [_part(labels, s, catalogue) for s in _sorted(g.objects(survey, _IN_SERIES))])
    if (survey, RDF.type, MM.SurveySeries) in g:  # only a series has rounds: no lookup by object for the others
        _put(doc, "hasPart", [_part(labels, r, catalogue) for r in _sorted(g.subjects(_IN_SERIES, survey))])
    if catalogue is not None:
        doc["includedInDataCatalog"] = catalogue.jsonld()
    return doc


def temporal_coverage(graph: Statements, survey: URIRef) -> str | None:
    """ISO 8601: `2008/2010`, `2013/..` (ongoing), `2019` (one year), `1993-09` (a completed
    survey whose end is not given: its start, never "running to this day")."""
    frame = time_frame(graph.value, survey)
    return frame.iso() if frame is not None else None


def check_dataset(document: dict[str, Any]) -> list[str]:
    """What Google's Dataset guidelines would reject or warn about (empty: fine)."""
    problems = []
    if not document.get("name"):
        problems.append("name is missing (required)")
    description = document.get("description") or ""
    if not description:
        problems.append("description is missing (required)")
    elif len(description) < DESCRIPTION_MIN:
        problems.append(
            f"description has {len(description)} characters; Google asks for at least "
            f"{DESCRIPTION_MIN}: write a longer dct:description (it is not padded)"
        )
    elif len(description) > DESCRIPTION_MAX:
        problems.append(f"description has {len(description)} characters; Google truncates beyond {DESCRIPTION_MAX}")
    for key in ("creator", "spatialCoverage", "temporalCoverage"):
        if key not in document:
            problems.append(f"{key} is missing (recommended)")
    return problems


def losses(graph: Graph, survey: URIRef, source: str = "", reference: Reference | None = None) -> LossReport:
    """The survey properties schema.org does not carry, for the export's report."""
    report = LossReport(source or str(survey), "migrmeta -> schema.org Dataset", str(survey))
    items = (reference or load_reference()).item_of_terms()  # as diff and the pages place a field
    for predicate in sorted(set(graph.predicates(survey, None)) - WRITTEN - {RDF.type}, key=str):
        count = len(set(graph.objects(survey, predicate)))
        report.lose(curie(predicate), count, "no schema.org property", items.get(predicate))
    return report


def write_dataset(graph: Graph, survey: URIRef, *, catalogue: Graph, agencies: Graph, source: str,
                  lang: str = "en", reference: Reference | None = None) -> Written:
    """The converter's writer (formats/registry.py): the Dataset JSON-LD of one survey, the
    loss report of what schema.org cannot hold (`losses`), and what Google's guidelines would
    reject as problems (nothing is padded)."""
    reference = reference or load_reference()
    document = dataset_jsonld(catalogue, survey, reference=reference, lang=lang)
    report = losses(graph, survey, source, reference)
    problems = check_dataset(document)
    titles = {t.language for t in graph.objects(survey, DCT.title) if isinstance(t, Literal)}
    if titles and lang not in titles:  # `--lang de` for a record without German: said, not silent
        shown = "en" if "en" in titles else sorted(t or "" for t in titles)[0] or "untagged"
        problems.append(f"no title in '{lang}': written in '{shown}' (the record's languages: "
                        f"{', '.join(sorted(t or 'untagged' for t in titles))})")
    return Written(to_json(document).encode("utf-8"), report, problems)


def to_json(document: dict[str, Any] | list[dict[str, Any]]) -> str:
    """Deterministic JSON text (keys in insertion order, UTF-8, 2-space indent)."""
    return document_text(document) + "\n"


# --- helpers -------------------------------------------------------------------------------


class _InLanguage:
    """A value told in the reader's language (a text, a label, a page on the site): chosen
    when the document is made in one (`_in`), the rest of the document read once for all."""

    __slots__ = ("choose",)

    def __init__(self, choose: Callable[[str], Any]) -> None:
        self.choose = choose


def _in(value: Any, lang: str) -> Any:
    """The Dataset (or a part of it) in `lang`: its texts chosen (those left empty left out)."""
    kind = type(value)
    if kind is _InLanguage:
        return value.choose(lang)
    if kind is dict:
        node: dict[str, Any] = {}
        for key, item in value.items():
            kind = type(item)
            if kind is str:  # most values: no call
                node[key] = item
            elif kind is _InLanguage:
                _put(node, key, item.choose(lang))
            else:
                node[key] = _in(item, lang)
        return node
    if kind is list:
        return [item if type(item) is str else _in(item, lang) for item in value]
    return value


class _Labels:
    def __init__(self, graph: Statements, reference: Reference) -> None:
        self.g, self.reference = graph, reference

    def text(self, subject: Node, predicate: URIRef) -> _InLanguage | None:
        """The text the pages show in each language (`pick`); None: it has none."""
        values = sorted((v for v in self.g.objects(subject, predicate) if isinstance(v, Literal)), key=text_sort_key)

        def chosen(lang: str) -> str | None:
            found = pick(values, lang)
            return found.value if found is not None else None

        return _InLanguage(chosen) if values else None

    def other_names(self, survey: Node) -> _InLanguage | list[str]:
        """Its other titles (dct:alternative), and its titles in the languages `name` was not
        chosen in (the survey's own: "Encuesta sobre ..." beside an English name)."""
        others = sorted({str(v) for v in self.g.objects(survey, _ALTERNATIVE)})
        titles = sorted((v for v in self.g.objects(survey, _TITLE) if isinstance(v, Literal)), key=text_sort_key)
        if len(titles) < 2:
            return others

        def besides(lang: str) -> list[str]:
            name = pick(titles, lang)
            return list(dict.fromkeys([*others, *(str(t) for t in titles if name is None or str(t) != name.value)]))

        return _InLanguage(besides)

    def keywords(self, survey: Node) -> _InLanguage:
        """Its keywords as the pages list them in each language (`pick_all`), then the labels
        of its migrant focus."""
        found = sorted(self.g.objects(survey, _KEYWORD), key=text_sort_key)
        others = sorted({str(k) for k in found if not isinstance(k, Literal)})  # an IRI: in every language
        focus = [self.label(c) for c in _sorted(self.g.objects(survey, MM.migrantFocus))]
        return _InLanguage(lambda lang: sorted({t.value for t in pick_all(found, lang)} | set(others))
                           + [_in(label, lang) for label in focus])

    def label(self, node: Node) -> str | _InLanguage:
        """A concept's or a country's label in each language: the graph's, else the reference
        data's; in the language, else English, else the first; else its IRI's last part."""
        labels = {getattr(v, "language", None): str(v) for v in self.g.objects(node, SKOS.prefLabel)} \
            or self.reference.pref_labels(node)
        if not labels:
            return str(node).rstrip("/").rsplit("/", 1)[-1]
        first = min(labels.values())
        return _InLanguage(lambda lang: labels.get(lang) or labels.get("en") or first)

    def place(self, country: Node) -> dict[str, Any]:
        code = self.g.value(country, SKOS.notation) or self.reference.graph.value(country, SKOS.notation)
        place: dict[str, Any] = {
            "@type": "Place",
            "@id": str(country),
            "name": self.label(country),
            "identifier": iso_alpha3(str(code)) if code is not None else str(country),  # XKX, not the EU's 1A0
        }
        return place

    def organization(self, agency: Node) -> dict[str, Any]:
        org: dict[str, Any] = {
            "@type": "Organization",
            "@id": str(agency),
            "name": _InLanguage(lambda lang: agency_name(self.g, agency, lang)),
        }
        homepage = self.g.value(agency, FOAF.homepage)
        if homepage is not None:
            org["url"] = str(homepage)
        same = sorted(str(s) for s in self.g.objects(agency, OWL.sameAs))
        if same:
            org["sameAs"] = same[0] if len(same) == 1 else same
        return org

    def variable(self, method: Node) -> dict[str, Any]:
        """How migrants are identified: the criterion's label, the survey's own definition."""
        criterion = self.g.value(method, MM.criterion)
        value: dict[str, Any] = {
            "@type": "PropertyValue",
            "name": self.label(criterion) if criterion is not None else "migrant status",
        }
        if criterion is not None:
            value["propertyID"] = str(criterion)
        _put(value, "description", self.text(method, SKOS.definition))
        return value

    def download(self, distribution: Node) -> dict[str, Any] | None:
        """A file to download (dcat:downloadURL); an access page is none (it is among the
        dataset's pages, `_pages`): Google's contentUrl is the file itself."""
        url = self.g.value(distribution, DCAT.downloadURL)
        if url is None:
            return None
        node: dict[str, Any] = {"@type": "DataDownload", "contentUrl": str(url)}
        media = self.g.value(distribution, DCAT.mediaType) or self.g.value(distribution, DCT.format)
        if media is not None:  # an IANA media-type IRI ends with type/subtype
            text = str(media)
            node["encodingFormat"] = "/".join(text.split("/")[-2:]) if "/media-types/" in text else text
        _put(node, "name", self.text(distribution, _TITLE))
        return node


def _url(g: Statements, dataset: Node, catalogue: Catalogue | None) -> str | _InLanguage | None:
    """The page describing the dataset: its first landing page (the record's choice), else its
    page on the catalogue's site in the reader's language, else the first access page of its
    distributions; a DOI as its https://doi.org/ address."""
    landing = [str(p) for p in _sorted(g.objects(dataset, DCAT.landingPage))]
    access = sorted({str(u) for d in g.objects(dataset, _DISTRIBUTION) for u in g.objects(d, DCAT.accessURL)})
    pages = [DOI_RESOLVER + doi if (doi := doi_of(page)) else page for page in landing + access]
    # a dataset has a page in every language of the site or in none
    if landing or catalogue is None or catalogue.page is None or catalogue.page(dataset, "en") is None:
        return pages[0] if pages else None
    page = catalogue.page
    return _InLanguage(lambda lang: page(dataset, lang))


def _doi(doi: str) -> dict[str, Any]:
    """A DOI as science-on-schema.org writes an identifier."""
    return {"@type": "PropertyValue", "propertyID": DOI_REGISTRY, "value": f"doi:{doi}", "url": DOI_RESOLVER + doi}


def _part(labels: _Labels, dataset: Node, catalogue: Catalogue | None) -> dict[str, Any]:
    """A series or a round as isPartOf or hasPart gives it: a Dataset with what Google requires
    of any (a name and a description), else its IRI alone; and its url."""
    name, description = labels.text(dataset, _TITLE), labels.text(dataset, _DESCRIPTION)
    node: dict[str, Any] = {"@type": "Dataset", "@id": str(dataset), "name": name, "description": description} \
        if name and description else {"@id": str(dataset)}
    _put(node, "url", _url(labels.g, dataset, catalogue))
    return node


def _access(doc: dict[str, Any], g: Statements, survey: URIRef, labels: _Labels) -> None:
    """isAccessibleForFree true when some access level implies the EU access right PUBLIC (a
    public-use file next to a licensed one), else left out: restricted access (a licence, a
    registration, an enclave) is not paid access, and the model records no fee."""
    levels = _sorted(g.objects(survey, MM.accessLevel))
    rights = {labels.reference.graph.value(level, MM.accessRights) or g.value(level, MM.accessRights)
              for level in levels}
    if ACCESS_RIGHT.PUBLIC in rights:
        doc["isAccessibleForFree"] = True
    conditions = labels.text(survey, DCT.rights)
    if conditions is None and levels:
        names = [labels.label(level) for level in levels]
        conditions = _InLanguage(lambda lang: "; ".join(_in(name, lang) for name in names))
    _put(doc, "conditionsOfAccess", conditions)


def _put(doc: dict[str, Any], key: str, value: Any) -> None:
    """No empty value; one value without its list (keywords are always a list)."""
    if value is None or value == [] or value == "":
        return
    doc[key] = value[0] if isinstance(value, list) and len(value) == 1 and key not in ("keywords",) else value


def _first(values: Any, raw: bool = False) -> Any:
    ordered = _sorted(values)
    if not ordered:
        return None
    return ordered[0] if raw else str(ordered[0])


def _by_content(nodes: list[dict[str, Any]]) -> list[dict[str, Any]] | _InLanguage:
    """Nested nodes (from blank nodes, whose ids change per parse) in a stable order: by what
    they say in the reader's language."""
    if len(nodes) < 2:
        return nodes
    return _InLanguage(lambda lang: sorted((_in(node, lang) for node in nodes),
                                           key=lambda node: json.dumps(node, sort_keys=True)))


def _sorted(values: Any) -> list[Node]:
    return sorted(values, key=lambda v: (type(v).__name__, str(v)))
