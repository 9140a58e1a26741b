"""Who contributed what to a merged survey: per survey, each contributing agency and the
questionnaire items its statements answer (kept, and set aside by a `--prefer` decision).

    for survey, contributed in contributions_by_survey(result).items():
        for c in contributed: print(survey, c.agency, c.source, c.items, c.superseded_items)

The survey pages show it ("Contributed by"); the merge result's provenance (the default graph
of catalog.trig) holds the same facts as RDF.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain

from rdflib import URIRef
from rdflib.term import Node

from migrmeta.load.reference import Reference, load_reference
from migrmeta.merging.merge import MergeResult
from migrmeta.merging.sources import SURVEY_CLASSES, Contribution, Triple
from migrmeta.namespaces import IS_TYPE


@dataclass(frozen=True)
class Contributed:
    """One contribution to one survey: the agency, its file and graph, the items it answers."""

    agency: URIRef
    source: str
    graph: URIRef
    items: tuple[int, ...]  # questionnaire items its kept statements answer (mm:answeredBy)
    superseded_items: tuple[int, ...] = ()  # items where another agency's value was preferred


def _answered(triples: Iterable[Triple], subjects: set[Node], reference: Reference) -> tuple[int, ...]:
    """The items these statements about the survey answer, as the reports count them: by the
    ontology's mm:answeredBy (validation/items.answered_items reads the same Reference)."""
    return tuple(sorted(reference.items_answered_by(p for s, p, _ in triples if s in subjects)))


def contributions_by_survey(result: MergeResult, reference: Reference | None = None
                            ) -> dict[URIRef, list[Contributed]]:
    """Each survey (and series) of the merge -> its contributions, in agency order."""
    reference = reference or load_reference()
    same: dict[Node, set[Node]] = {}
    for group in result.equivalents:
        for subject in group:
            same[subject] = set(group)
    found: dict[URIRef, list[Contributed]] = defaultdict(list)
    for c in result.contributions:
        for survey in _surveys(c):
            subjects = same.get(survey, {survey})
            answered = _answered(c.triples, subjects, reference)
            aside = _answered(c.superseded, subjects, reference)
            if answered or aside:
                found[survey].append(Contributed(c.agency, c.source, c.graph, answered, aside))
    for group in result.equivalents:  # a survey known under several IRIs: one list for all of them
        together = {x for s in group for x in found.get(s, [])}
        for subject in group:
            if subject in found:
                found[subject] = list(together)
    return {s: sorted(cs, key=lambda x: (str(x.agency), x.source)) for s, cs in sorted(found.items())}


def _surveys(c: Contribution) -> list[URIRef]:
    return sorted({s for s, p, o in chain(c.triples, c.superseded) if p in IS_TYPE and o in SURVEY_CLASSES
                   and isinstance(s, URIRef)}, key=str)


__all__ = ["Contributed", "contributions_by_survey"]
