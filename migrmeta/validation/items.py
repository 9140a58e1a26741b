"""Which property shapes answer which questionnaire item, read from the shapes.

    for shape in item_shapes(reference):          # of mm:Survey, ordered by item
        shape.item, shape.path, shape.min_count, shape.violation

A property shape belongs to item N by its sh:order (1-14); it is *asked for* when it has a
sh:minCount, as a violation (mandatory) or a warning (recommended). The loss reports of
imports and exports (`formats/loss.py`), the survey pages and the quality score
(`validation/quality.py`) all read the items this way, so they follow the shapes.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal, URIRef

from migrmeta.load.reference import Reference
from migrmeta.namespaces import MM, SH

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


__all__ = ["ITEMS", "ItemShape", "item_shapes"]
