"""One builder per constraint component, keyed by the parameters that switch it on."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rdflib import Graph, URIRef
from rdflib.term import Node

from migrmeta.namespaces import SH
from migrmeta.shacl.components import counts, value
from migrmeta.shacl.model import Component

Builder = Callable[[Graph, Node], Sequence[Component]]

# Components that need nothing but the shape's own triples; the shape-expecting ones
# (node, not, and, or, xone, qualified, closed, property, sparql) are built by the compiler.
SIMPLE: dict[URIRef, Builder] = {
    SH["class"]: value.class_,
    SH.datatype: value.datatype,
    SH.nodeKind: value.node_kind,
    SH["in"]: value.in_,
    SH.pattern: value.pattern,
    SH.languageIn: value.language_in,
    SH.minLength: value.length,
    SH.maxLength: value.length,
    SH.minInclusive: value.value_range,
    SH.minExclusive: value.value_range,
    SH.maxInclusive: value.value_range,
    SH.maxExclusive: value.value_range,
    SH.minCount: counts.min_count,
    SH.maxCount: counts.max_count,
    SH.hasValue: counts.has_value,
    SH.uniqueLang: counts.unique_lang,
}
NESTED = frozenset({SH.node, SH["not"], SH["and"], SH["or"], SH.xone, SH.qualifiedValueShape,
                    SH.closed, SH.property, SH.sparql})
# parameters read together with another one
COMPANIONS = frozenset({SH.flags, SH.ignoredProperties, SH.qualifiedMinCount, SH.qualifiedMaxCount,
                        SH.qualifiedValueShapesDisjoint})
