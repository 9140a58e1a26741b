"""One identifier for two surveys: what the merge refuses, with where each IRI says it.

    shared = shared_identifiers(contributions)
    shared[0].identifier, shared[0].first, shared[0].second, shared[0].first_at, shared[0].second_at

A `dct:identifier` names one survey (or series) in the catalogue: its files, pages and
`<base>/survey/<id>` are named by it. Two different IRIs typed `mm:Survey` or
`mm:SurveySeries` that give the same identifier are one survey only when `owl:sameAs` links
them, directly or through a chain, and they are of one type (then merging/aliases.py folds
them onto one IRI); otherwise publishing both would give two surveys one identifier, and the
merge refuses (`MergeResult.shared`, exit 1, nothing written). A survey and a series linked by
`owl:sameAs` are never folded (aliases.py): one identifier for them is refused too, and said
apart (`SharedIdentifier.linked`), since adding `owl:sameAs` is not the way out. Validation says the same of each record
(validation/across.shared_identifiers, `duplicate_identifier`), with the same reading of
`owl:sameAs`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

from migrmeta.merging.sources import SURVEY_CLASSES, Contribution
from migrmeta.namespaces import DCT, IS_TYPE, OWL, interned
from migrmeta.rdf.partition import Partition

_SAME_AS, _IDENTIFIER = frozenset({interned(OWL.sameAs)}), frozenset({interned(DCT.identifier)})  # sets, as IS_TYPE

Place = tuple[str, int | None]  # a file, and the line of the dct:identifier in it (None: not found)


@dataclass(frozen=True)
class SharedIdentifier:
    """Two surveys' IRIs that stay two in the merge, giving one dct:identifier."""

    identifier: str
    first: URIRef
    second: URIRef
    first_at: Place
    second_at: Place
    linked: bool = False  # owl:sameAs links them, but one is a survey and the other a series


def shared_identifiers(contributions: Sequence[Contribution]) -> list[SharedIdentifier]:
    """Each identifier given by surveys' IRIs that stay two (no owl:sameAs links them, or they
    are of different types): the first IRI against the first of each other group of IRIs the
    merge folds into one (IRIs in order), in identifier order."""
    typed: dict[Node, set[Node]] = defaultdict(set)  # IRI -> its survey classes, as aliases.py folds them
    same: Partition[Node] = Partition()
    given: dict[str, dict[URIRef, Contribution]] = defaultdict(dict)  # identifier -> IRI -> its first file
    for c in contributions:
        for s, p, o in c.triples:
            if p in IS_TYPE and o in SURVEY_CLASSES:
                typed[s].add(o)
            elif p in _SAME_AS and isinstance(s, URIRef) and isinstance(o, URIRef):
                same.union(s, o)
            elif p in _IDENTIFIER and isinstance(s, URIRef):
                given[str(o)].setdefault(s, c)
    found: list[SharedIdentifier] = []
    for identifier in sorted(given):
        users = {s: c for s, c in given[identifier].items() if s in typed}
        if len(users) < 2:  # nearly every identifier: one survey's
            continue
        firsts: dict[tuple[Node, frozenset[Node]], URIRef] = {}  # each group folded into one -> its first IRI
        for subject in sorted(users, key=str):
            firsts.setdefault((same.find(subject), frozenset(typed[subject])), subject)
        first, *others = firsts.values()
        for second in others:
            found.append(SharedIdentifier(identifier, first, second, _place(users[first], first, identifier),
                                          _place(users[second], second, identifier),
                                          linked=same.find(first) == same.find(second)))
    return found


def _place(c: Contribution, subject: URIRef, identifier: str) -> Place:
    return c.source, c.line_of(subject, DCT.identifier, f'"{identifier}"')


__all__ = ["SharedIdentifier", "shared_identifiers"]
