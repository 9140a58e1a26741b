"""Which fields answer which questionnaire item: the ontology's, and what the shapes ask for.

    answered_items(graph, survey, reference)      # {1, 2, 3, ...}: the items the survey answers
    for shape in item_shapes(reference):          # of mm:Survey, ordered by item
        shape.item, shape.path, shape.min_count, shape.violation

An item is *answered* when the survey states any of the fields the ontology lists for it
(`mm:itemN mm:answeredBy`, read once by `Reference.answering_terms`), by its own statements
(a round not by its series'). The inventory report, the quality score and the loss reports
of imports (`formats/loss.py`: "not answered") count answered items with `answered_items`
alone, so they agree; the saved question `queries/coverage-matrix.rq` counts them the same
way (tests/querying/test_saved.py checks it on records/). Who contributed which item to a
merged survey (`merging/contributions.py`, a floor that cannot import this one) asks the
same Reference (`items_answered_by`) of its statements' predicates; where one field is shown
under one item (a change in `migrmeta diff`, an answer on a survey page, a field an export
loses), it is the lowest the field answers (`Reference.item_of_terms`).

A property shape belongs to item N by its sh:order (1-14); it is *asked for* when it has a
sh:minCount, as a violation (mandatory) or a warning (recommended): the shapes may ask more
than an answer (a sample type, not only a frame). The loss reports of imports (which fields
to add) and the quality score (`validation/quality.py`, and through it the survey pages'
tips) read what is asked this way, so they follow the shapes; an item answered by another
field is never called unanswered for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import Node

from migrmeta.load.reference import Reference
from migrmeta.namespaces import MM, SH
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


def answered_items(graph: Statements, subject: Node, reference: Reference) -> frozenset[int]:
    """The items `subject` answers: those it states a field of (`Reference.answering_terms`),
    on its own (a round does not answer by its series' statements: docs/quality.md)."""
    return reference.items_answered_by(graph.predicates(subject))


__all__ = ["ITEMS", "ItemShape", "answered_items", "item_shapes"]
