"""What findings need of the shapes and the ontology, as plain tables (cached with the compiled shapes).

A finding names the questionnaire item (the shape's sh:order and the ontology's item names),
the field (sh:name), the shape's sh:message in the reader's language and, for a closed answer,
the concepts of its list (hints). Read once from the graphs, these tables let a validation
whose compiled shapes are cached word its findings without parsing any graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from migrmeta.load.reference import Concept, Reference
from migrmeta.namespaces import DCAT, DCT, MM, MMSH, OWL, RDF, SH, SKOS

Texts = list[tuple[str | None, str]]  # (language, text) in the graph's order


@dataclass
class ShapeText:
    order: int | None = None
    messages: Texts = field(default_factory=list)
    names: Texts = field(default_factory=list)
    scheme: str | None = None  # the concept scheme its sh:node asks values to be in
    suggests: str | None = None  # the kind of vocabulary term its hint offers (mmsh:suggests)

    def best(self, texts: Texts, lang: str) -> str | None:
        """The text in `lang`, else the first in English or without a language."""
        fallback: str | None = None
        for language, text in texts:
            if language == lang:
                return text
            if language in (None, "en") and fallback is None:
                fallback = text
        return fallback


@dataclass
class ShapeTexts:
    shapes: dict[str, ShapeText]
    items: dict[int, dict[str, str]]  # questionnaire item number -> {language: short name}
    concepts: dict[str, list[Concept]]  # scheme IRI -> its concepts, by notation
    # the shapes whose findings these tables word (`worded_shapes`); the results of the others
    # carry their own words (outcome.RawResult.messages, shacl.Wording)
    worded: frozenset[str] = frozenset()
    # kind of term (owl:Class, rdf:Property) -> the migrmeta vocabulary's terms of that kind
    terms: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, reference: Reference) -> ShapeTexts:
        graph = reference.shapes
        shapes: dict[str, ShapeText] = {}
        for node in sorted({s for s in graph.subjects() if isinstance(s, URIRef)}):
            suggests = graph.value(node, MMSH.suggests)
            text = ShapeText(_order(graph, node), _texts(graph, node, SH.message), _texts(graph, node, SH.name),
                             _scheme_of(graph, node), str(suggests) if suggests is not None else None)
            if text.order is not None or text.messages or text.names or text.scheme:
                shapes[str(node)] = text
        schemes = {t.scheme for t in shapes.values() if t.scheme}
        concepts = {scheme: reference.scheme_concepts(scheme) for scheme in sorted(schemes)}
        kinds = {t.suggests for t in shapes.values() if t.suggests}
        terms = {kind: _terms(reference.graph, kind) for kind in sorted(kinds)}
        return cls(shapes, reference.item_names(), concepts, worded_shapes(graph), terms)

    def get(self, shape: str | None) -> ShapeText:
        return self.shapes.get(shape or "", _NONE)


@lru_cache(maxsize=8)  # per shapes graph: the pySHACL engine asks once per batch of records
def worded_shapes(graph: Graph) -> frozenset[str]:
    """The shapes whose findings are worded from their own sh:message (ShapeTexts): named, with one."""
    return frozenset(str(s) for s in set(graph.subjects(SH.message))
                     if isinstance(s, URIRef) and _texts(graph, s, SH.message))


_NONE = ShapeText()


def _order(graph: Graph, node: Node) -> int | None:
    order = graph.value(node, SH.order)
    try:
        return int(str(order)) if order is not None else None
    except ValueError:
        return None


def _texts(graph: Graph, node: Node, predicate: URIRef) -> Texts:
    return [(literal.language, str(literal)) for literal in graph.objects(node, predicate)
            if isinstance(literal, Literal)]


_PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


# the vocabularies whose terms are checked (shapes/vocabulary.ttl): migrmeta's, and those of
# ontology/outside-terms.ttl
CHECKED_VOCABULARIES = (str(MM), str(DCT), str(DCAT), str(SKOS))


def vocabulary_of(term: str) -> str:
    """The namespace of a term: up to its last '#' or '/'."""
    return term[:max(term.rfind("#"), term.rfind("/")) + 1]


def _terms(graph: Graph, kind: str) -> list[str]:
    """The classes (kind owl:Class) or properties (rdf:Property) of the checked vocabularies."""
    kinds = _PROPERTY_KINDS if URIRef(kind) == RDF.Property else (URIRef(kind),)
    return sorted({str(s) for k in kinds for s in graph.subjects(RDF.type, k)
                   if isinstance(s, URIRef) and vocabulary_of(str(s)) in CHECKED_VOCABULARIES})


def _scheme_of(graph: Graph, shape: Node) -> str | None:
    for node_shape in graph.objects(shape, SH.node):
        either = [m for alternatives in graph.objects(node_shape, SH["or"]) for m in Collection(graph, alternatives)]
        for prop in (p for n in (node_shape, *either) for p in graph.objects(n, SH.property)):
            if graph.value(prop, SH.path) == SKOS.inScheme:
                scheme = graph.value(prop, SH.hasValue)
                if scheme is not None:
                    return str(scheme)
    return None


__all__ = ["CHECKED_VOCABULARIES", "ShapeText", "ShapeTexts", "vocabulary_of", "worded_shapes"]
