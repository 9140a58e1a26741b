"""Nested answers that contributions give differently, reported, never refused.

Item 11 is multi-valued: the identification methods of every contribution are united. Two
agencies that identify migrants by the same criterion with another reference period (5 years
and 3), duration threshold, minimum age or framework are then published as two methods, each
true for one of them. A survey may ask both (residence one year ago and five years ago), so
this is no conflict; but more often one file is wrong, and the curator should hear of it.

A parameter differs when no contribution gives all the values the others give: {5} and {3}
differ, {5, 3} and {5} do not (the second says less, not something else).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from rdflib.term import Node, URIRef

from migrmeta.merging.sources import Contribution
from migrmeta.namespaces import MM, interned
from migrmeta.rdf.skolem import encode, is_skolem

# a method's parameters, in the order the questionnaire's item 11 lists them
PARAMETERS = tuple(interned(p) for p in (MM.thresholdMonths, MM.referencePeriodYears, MM.minAge, MM.framework))
ITEM = 11


@dataclass(frozen=True)
class Differing:
    """One survey's method of `criterion`, whose `parameter` contributions give differently."""

    survey: Node
    criterion: Node
    parameter: Node
    values: tuple[tuple[Node, tuple[Contribution, ...]], ...]  # each value and who gives it, in value order


def find_differing(contributions: Sequence[Contribution]) -> list[Differing]:
    """The identification parameters two or more contributions give differently, survey by
    survey (after aliases are folded: one IRI per survey), in survey, criterion and parameter order."""
    criterion_of = interned(MM.criterion)
    identification = {interned(MM.identification)}  # a set, as namespaces.IS_TYPE: == is a Python call a statement
    methods: dict[Node, list[tuple[Node, Contribution]]] = defaultdict(list)  # survey -> its methods, by file
    for c in contributions:
        for s, p, o in c.triples:
            if p in identification and is_skolem(o):
                methods[s].append((o, c))
    shared = {s: found for s, found in methods.items() if len({id(c) for _, c in found}) > 1}
    if not shared:  # most catalogues: each survey's methods come from one file
        return []
    wanted = {node for found in shared.values() for node, _ in found}
    parameters = {criterion_of, *PARAMETERS}
    said: dict[tuple[Node, int], dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
    for c in {id(c): c for found in shared.values() for _, c in found}.values():
        for s, p, o in c.triples:
            if p in parameters and s in wanted:
                said[(s, id(c))][p].append(o)
    differing: list[Differing] = []
    for survey in sorted(shared, key=str):
        given: dict[tuple[Node, Node], dict[Node, list[Contribution]]] = defaultdict(lambda: defaultdict(list))
        for node, c in shared[survey]:
            statements = said.get((node, id(c)), {})
            for criterion in statements.get(criterion_of, ()):
                for parameter in PARAMETERS:
                    for value in statements.get(parameter, ()):
                        if c not in given[(criterion, parameter)][value]:
                            given[(criterion, parameter)][value].append(c)
        for (method_criterion, asked), values in sorted(given.items(), key=lambda kv: (
                str(kv[0][0]), PARAMETERS.index(cast(URIRef, kv[0][1])))):
            by_file: dict[int, set[Node]] = defaultdict(set)
            for value, cs in values.items():
                for c in cs:
                    by_file[id(c)].add(value)
            if len(by_file) > 1 and not any(len(v) == len(values) for v in by_file.values()):
                ordered = sorted(values.items(), key=lambda kv: encode(kv[0]))
                differing.append(Differing(survey, method_criterion, asked,
                                           tuple((value, tuple(cs)) for value, cs in ordered)))
    return differing
