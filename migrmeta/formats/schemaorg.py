"""Survey records -> schema.org `Dataset` JSON-LD for dataset search engines.

    document = dataset_jsonld(graph, survey_iri)        # a dict, ready for json.dumps
    problems = check_dataset(document)                   # Google's Dataset guidelines

Follows Google's Dataset structured-data guidelines (name and description required, the
description 50-5000 characters; creator, spatial and temporal coverage, variables measured,
access and distributions recommended) in the style of the science-on-schema.org examples:
`"@context": "https://schema.org/"`, `@type`/`@id` first, nested typed nodes (Organization,
Place, PropertyValue, DataDownload, DataCatalog). A description that is too short is
reported, never padded.

`publish` embeds the result in HTML pages (`<script type="application/ld+json">`) and gives
the `Catalogue` they are published in (`includedInDataCatalog`) with, given a base URL, each
survey's page there. `url` is a page describing the survey: the record's landing page, else
its page on the site, else an access page. A DOI is an `identifier` and the `sameAs`; other
pages are never `sameAs`, which claims identity (records share a programme's landing page
among its rounds). `distribution` holds files to download only (dcat:downloadURL): Google's
`contentUrl` is the file itself.
Labels of countries and concepts come from the graph when it holds them, else from the
reference data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta.formats.exporting import Written
from migrmeta.formats.harmonize import agency_name
from migrmeta.formats.loss import LossReport
from migrmeta.jsontext import json_text
from migrmeta.load.reference import Reference, load_reference
from migrmeta.namespaces import ACCESS_RIGHT, DCAT, DCT, DOI_RESOLVER, FOAF, MM, OWL, RDF, SKOS
from migrmeta.rdf.curie import curie
from migrmeta.rdf.readonly import Statements
from migrmeta.validation.items import item_shapes
from migrmeta.values.iris import doi_of
from migrmeta.values.periods import time_frame

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


@dataclass(frozen=True)
class Catalogue:
    """The catalogue the surveys are published in: its IRI, its title in English, the site's
    address (None: not known), and where each survey's or series' page is on that site (None:
    nowhere known). Made once for a whole publish."""

    iri: str
    title: str
    url: str | None = None
    page: Callable[[Node], str | None] | None = None

    def jsonld(self) -> dict[str, Any]:
        node: dict[str, Any] = {"@type": "DataCatalog", "@id": self.iri, "name": self.title}
        _put(node, "url", self.url)
        return node


def dataset_jsonld(
    graph: Statements, survey_iri: URIRef | str, *, reference: Reference | None = None, lang: str = "en",
    catalogue: Catalogue | None = None,
) -> dict[str, Any]:
    """A schema.org Dataset for one survey (or series) of the graph, as a JSON-LD dict; in
    `catalogue` when it is published in one (`publish`)."""
    survey = URIRef(str(survey_iri))
    labels = _Labels(graph, reference or load_reference(), lang)
    g = graph
    doc: dict[str, Any] = {"@context": CONTEXT, "@type": "Dataset", "@id": str(survey)}
    _put(doc, "name", labels.text(survey, DCT.title))
    _put(doc, "alternateName", sorted({str(v) for v in g.objects(survey, DCT.alternative)}))
    _put(doc, "description", labels.text(survey, DCT.description))
    identifier = g.value(survey, DCT.identifier)
    pages = _pages(g, survey, catalogue)
    dois = [doi for page in pages if (doi := doi_of(page))]
    _put(doc, "identifier", ([str(identifier)] if identifier is not None else []) + [_doi(doi) for doi in dois])
    _put(doc, "url", pages[0] if pages else None)
    _put(doc, "sameAs", [DOI_RESOLVER + doi for doi in dois if DOI_RESOLVER + doi != pages[0]])
    keywords = sorted(
        {str(k) for k in g.objects(survey, DCAT.keyword) if not isinstance(k, Literal) or k.language in (None, lang)}
    )
    keywords += [labels.concept(c) for c in _sorted(g.objects(survey, MM.migrantFocus))]
    _put(doc, "keywords", keywords)
    _put(doc, "license", _first(g.objects(survey, DCT.license)))
    _put(doc, "creator", [labels.organization(a) for a in _sorted(g.objects(survey, DCT.creator))])
    publisher = _first(g.objects(survey, DCT.publisher), raw=True)
    if publisher is not None:
        doc["publisher"] = labels.organization(publisher)
    _put(doc, "contributor", [labels.organization(a) for a in _sorted(g.objects(survey, DCT.contributor))])
    countries = {
        c
        for p in (DCT.spatial, MM.originCountry, MM.destinationCountry, MM.transitCountry)
        for c in g.objects(survey, p)
    }
    _put(doc, "spatialCoverage", [labels.place(c) for c in _sorted(countries)])
    _put(doc, "temporalCoverage", temporal_coverage(g, survey))
    _put(doc, "measurementTechnique", [labels.concept(c) for c in _sorted(g.objects(survey, MM.sampleType))])
    _put(doc, "variableMeasured", _by_content(labels.variable(m) for m in g.objects(survey, MM.identification)))
    _access(doc, g, survey, labels)
    downloads = (labels.download(x) for x in g.objects(survey, DCAT.distribution))
    _put(doc, "distribution", _by_content(d for d in downloads if d))
    _put(
        doc,
        "citation",
        sorted({str(c) for c in g.objects(survey, DCT.bibliographicCitation)})
        + [str(p) for p in _sorted(g.objects(survey, DCT.isReferencedBy))],
    )
    _put(doc, "isPartOf", [_part(labels, s, catalogue) for s in _sorted(g.objects(survey, DCAT.inSeries))])
    if (survey, RDF.type, MM.SurveySeries) in g:  # only a series has rounds: no lookup by object for the others
        _put(doc, "hasPart", [_part(labels, r, catalogue) for r in _sorted(g.subjects(DCAT.inSeries, survey))])
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
    items: dict[Node, int] = {s.path: s.item for s in item_shapes(reference or load_reference())}
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
    return json_text(document) + "\n"


# --- helpers -------------------------------------------------------------------------------


class _Labels:
    def __init__(self, graph: Statements, reference: Reference, lang: str) -> None:
        self.g, self.reference, self.lang = graph, reference, lang

    def text(self, subject: Node, predicate: URIRef) -> str | None:
        values = [v for v in self.g.objects(subject, predicate) if isinstance(v, Literal)]
        chosen = (
            next((v for v in values if v.language == self.lang), None)
            or next((v for v in values if v.language == "en"), None)
            or (sorted(values, key=str)[0] if values else None)
        )
        return str(chosen) if chosen is not None else None

    def label(self, node: Node) -> str:
        for values in ({getattr(v, "language", None): str(v) for v in self.g.objects(node, SKOS.prefLabel)},
                       self.reference.pref_labels(node)):
            if values:
                return values.get(self.lang) or values.get("en") or sorted(values.values())[0]
        return str(node).rstrip("/").rsplit("/", 1)[-1]

    def concept(self, node: Node) -> str:
        return self.label(node)

    def place(self, country: Node) -> dict[str, Any]:
        code = self.g.value(country, SKOS.notation) or self.reference.graph.value(country, SKOS.notation)
        place: dict[str, Any] = {
            "@type": "Place",
            "@id": str(country),
            "name": self.label(country),
            "identifier": str(code) if code is not None else str(country),
        }
        return place

    def organization(self, agency: Node) -> dict[str, Any]:
        org: dict[str, Any] = {
            "@type": "Organization",
            "@id": str(agency),
            "name": agency_name(self.g, agency, self.lang),
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
        definition = self.text(method, SKOS.definition)
        if definition:
            value["description"] = definition
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
        title = self.text(distribution, DCT.title)
        if title:
            node["name"] = title
        return node


def _pages(g: Statements, dataset: Node, catalogue: Catalogue | None) -> list[str]:
    """The pages describing the dataset, its url first: its landing pages (the record's choice),
    its page on the catalogue's site, the access pages of its distributions; a DOI as its
    https://doi.org/ address."""
    found = [str(p) for p in _sorted(g.objects(dataset, DCAT.landingPage))]
    own = catalogue.page(dataset) if catalogue is not None and catalogue.page is not None else None
    found += [own] if own else []
    found += sorted({str(u) for d in g.objects(dataset, DCAT.distribution) for u in g.objects(d, DCAT.accessURL)})
    return list(dict.fromkeys(DOI_RESOLVER + doi if (doi := doi_of(page)) else page for page in found))


def _doi(doi: str) -> dict[str, Any]:
    """A DOI as science-on-schema.org writes an identifier."""
    return {"@type": "PropertyValue", "propertyID": DOI_REGISTRY, "value": f"doi:{doi}", "url": DOI_RESOLVER + doi}


def _part(labels: _Labels, dataset: Node, catalogue: Catalogue | None) -> dict[str, Any]:
    """A series or a round as isPartOf or hasPart gives it: a Dataset with what Google requires
    of any (a name and a description), else its IRI alone; and its url."""
    name, description = labels.text(dataset, DCT.title), labels.text(dataset, DCT.description)
    node: dict[str, Any] = {"@type": "Dataset", "@id": str(dataset), "name": name, "description": description} \
        if name and description else {"@id": str(dataset)}
    _put(node, "url", next(iter(_pages(labels.g, dataset, catalogue)), None))
    return node


def _access(doc: dict[str, Any], g: Statements, survey: URIRef, labels: _Labels) -> None:
    """isAccessibleForFree from the EU access right each access level implies (unknown: none)."""
    levels = _sorted(g.objects(survey, MM.accessLevel))
    rights = {labels.reference.graph.value(level, MM.accessRights) or g.value(level, MM.accessRights)
              for level in levels}
    rights.discard(None)
    if rights:  # free when some version is public (a public-use file next to a licensed one)
        doc["isAccessibleForFree"] = ACCESS_RIGHT.PUBLIC in rights
    conditions = labels.text(survey, DCT.rights)
    if conditions:
        doc["conditionsOfAccess"] = conditions
    elif levels:
        doc["conditionsOfAccess"] = "; ".join(labels.concept(level) for level in levels)


def _put(doc: dict[str, Any], key: str, value: Any) -> None:
    if value is None or value == [] or value == "":
        return
    doc[key] = value[0] if isinstance(value, list) and len(value) == 1 and key not in ("keywords",) else value


def _first(values: Any, raw: bool = False) -> Any:
    ordered = _sorted(values)
    if not ordered:
        return None
    return ordered[0] if raw else str(ordered[0])


def _by_content(nodes: Any) -> list[dict[str, Any]]:
    """Nested nodes (from blank nodes, whose ids change per parse) in a stable order."""
    return sorted(nodes, key=lambda node: json.dumps(node, sort_keys=True))


def _sorted(values: Any) -> list[Node]:
    return sorted(values, key=lambda v: (type(v).__name__, str(v)))
