"""Survey records -> schema.org `Dataset` JSON-LD for dataset search engines.

    document = dataset_jsonld(graph, survey_iri)        # a dict, ready for json.dumps
    problems = check_dataset(document)                   # Google's Dataset guidelines

Follows Google's Dataset structured-data guidelines (name and description required, the
description 50-5000 characters; creator, spatial and temporal coverage, variables measured,
access and distributions recommended) in the style of the science-on-schema.org examples:
`"@context": "https://schema.org/"`, `@type`/`@id` first, nested typed nodes (Organization,
Place, PropertyValue, DataDownload). A description that is too short is reported, never padded.

`publish` embeds the result in HTML pages (`<script type="application/ld+json">`).
Labels of countries and concepts come from the graph when it holds them, else from the
reference data.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta.formats.exporting import Written
from migrmeta.formats.harmonize import agency_name
from migrmeta.formats.loss import LossReport
from migrmeta.jsontext import json_text
from migrmeta.load.reference import Reference, load_reference
from migrmeta.namespaces import ACCESS_RIGHT, DCAT, DCT, FOAF, MM, OWL, RDF, SKOS
from migrmeta.rdf.curie import curie
from migrmeta.rdf.readonly import Statements
from migrmeta.validation.items import item_shapes
from migrmeta.values.periods import time_frame

CONTEXT = "https://schema.org/"
DESCRIPTION_MIN, DESCRIPTION_MAX = 50, 5000  # Google's Dataset guidelines
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


def dataset_jsonld(
    graph: Statements, survey_iri: URIRef | str, *, reference: Reference | None = None, lang: str = "en"
) -> dict[str, Any]:
    """A schema.org Dataset for one survey (or series) of the graph, as a JSON-LD dict."""
    survey = URIRef(str(survey_iri))
    labels = _Labels(graph, reference or load_reference(), lang)
    g = graph
    doc: dict[str, Any] = {"@context": CONTEXT, "@type": "Dataset", "@id": str(survey)}
    _put(doc, "name", labels.text(survey, DCT.title))
    _put(doc, "alternateName", sorted({str(v) for v in g.objects(survey, DCT.alternative)}))
    _put(doc, "description", labels.text(survey, DCT.description))
    identifier = g.value(survey, DCT.identifier)
    if identifier is not None:
        doc["identifier"] = str(identifier)
    _put(doc, "url", _first(g.objects(survey, DCAT.landingPage)))
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
        url = self.g.value(distribution, DCAT.downloadURL) or self.g.value(distribution, DCAT.accessURL)
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
