"""Which fields answer which questionnaire item: the ontology's, and what the shapes ask for.

    answered_items(graph, survey, reference)      # {1, 2, 3, ...}: the items the survey answers
    for shape in item_shapes(reference):          # of mm:Survey, ordered by item
        shape.item, shape.path, shape.min_count, shape.violation

An item is *answered* when the survey states any of the fields the ontology lists for it
(`mm:itemN mm:answeredBy`): the inventory report and the quality score count answered items
with `answered_items` alone, so they agree.

A property shape belongs to item N by its sh:order (1-14); it is *asked for* when it has a
sh:minCount, as a violation (mandatory) or a warning (recommended): the shapes may ask more
than an answer (a sample type, not only a frame). The loss reports of imports and exports
(`formats/loss.py`), the survey pages and the quality score (`validation/quality.py`) all
read the items this way, so they follow the shapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

from rdflib import Literal, URIRef
from rdflib.term import Node

from migrmeta.load.reference import Reference
from migrmeta.namespaces import MM, RDF, SH, SKOS
from migrmeta.rdf.readonly import Statements

ITEMS = range(1, 15)


@dataclass(frozen=True)
class ItemShape:
    item: int
    path: URIRef
    min_count: int
    violation: bool  # sh:Violation (or no severity): leaving it out makes the record non-conforming


_shape_cache: dict[int, list[ItemShape]] = {}


def item_shapes(reference: Reference, target: URIRef = MM.Survey) -> list[ItemShape]:
    """Property shapes of the node shape targeting `target`, with their item (sh:order)."""
    key = hash((id(reference.shapes), target))
    if key in _shape_cache:
        return _shape_cache[key]
    shapes = reference.shapes
    found: list[ItemShape] = []
    for node in shapes.subjects(SH.targetClass, target):
        for prop in shapes.objects(node, SH.property):
            path, order = shapes.value(prop, SH.path), shapes.value(prop, SH.order)
            if not isinstance(path, URIRef) or not isinstance(order, Literal):
                continue
            try:
                item = int(order)
            except ValueError:
                continue
            if item not in ITEMS:
                continue
            min_count = shapes.value(prop, SH.minCount)
            found.append(ItemShape(item, path, int(str(min_count)) if min_count is not None else 0,
                                   shapes.value(prop, SH.severity) in (None, SH.Violation)))
    _shape_cache[key] = sorted(found, key=lambda s: (s.item, str(s.path)))
    return _shape_cache[key]


# Read once per Reference: a publish scores every survey page.
_ANSWERING: WeakKeyDictionary[Reference, dict[int, frozenset[URIRef]]] = WeakKeyDictionary()


def answering_terms(reference: Reference) -> dict[int, frozenset[URIRef]]:
    """Item -> the terms that record its answer (the ontology's mm:answeredBy), by item number."""
    found = _ANSWERING.get(reference)
    if found is None:
        graph, terms = reference.graph, {}
        for item in graph.subjects(RDF.type, MM.QuestionnaireItem):
            number = graph.value(item, SKOS.notation)
            if number is not None:
                terms[int(str(number))] = frozenset(t for t in graph.objects(item, MM.answeredBy)
                                                    if isinstance(t, URIRef))
        found = _ANSWERING[reference] = dict(sorted(terms.items()))
    return found


def answered_items(graph: Statements, subject: Node, reference: Reference) -> frozenset[int]:
    """The items `subject` answers: those it states a field of (`answering_terms`), on its own
    (a round does not answer by its series' statements)."""
    stated = set(graph.predicates(subject))
    return frozenset(item for item, terms in answering_terms(reference).items() if stated & terms)


__all__ = ["ITEMS", "ItemShape", "answered_items", "answering_terms", "item_shapes"]
