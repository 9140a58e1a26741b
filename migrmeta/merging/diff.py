"""What changed between two catalogues, per survey, in the questionnaire's terms.

    changes = diff_catalogues(*read_snapshots("git:v1.0:records/", "records/"))
    changes.changed, changes.surveys[0].changes[0]   # item, field, old values, new values

A survey (or series) is a subject typed mm:Survey or mm:SurveySeries; it is added, removed or
changed; a survey removed that a survey of the new catalogue names with `owl:sameAs` is
published as that one (`published_as`: merge folded it, merging/aliases.py). Its
description is what is said about it, with the blank nodes it uses (periods, attributions,
identification criteria) followed inside: a blank node is compared by its
content (the hash `rdf.skolem` gives it), never by its label, so two parses of one file, or
a file and the site published from it, describe it alike. Each property is placed under its
questionnaire item by the ontology's `mm:answeredBy` (the lowest item, when several), as the
reports count answered items; properties of no item (sources, dates of change) are listed
last. Every list is sorted: the same two catalogues give the same result, and the
renderers (`merging.changes`) the same bytes.

Agencies (subjects typed foaf:Agent, foaf:Organization or mm:Agency) are compared the same
way, apart (`CatalogueDiff.agencies`): a renamed agency, or one whose home page moved, is a
change of the catalogue every survey it conducts shows, though no survey record changed.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import cast

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from migrmeta.load.reference import Reference, load_reference
from migrmeta.merging.snapshot import Snapshot, Triple
from migrmeta.namespaces import AGENCY_CLASSES, DCT, FOAF, IS_TYPE, OWL, RDF, SURVEY_CLASSES, interned
from migrmeta.rdf.curie import Curies
from migrmeta.rdf.skolem import BLANK, IRI, LITERAL, encode, kind_of, skolem_map

_INLINE_DEPTH = 4
_TITLE = frozenset({interned(DCT.title), interned(FOAF.name)})  # a survey's title, an agency's name
# `p in _TITLE`: no Python == for the other predicates
_SAME_AS = interned(OWL.sameAs)


@dataclass(frozen=True)
class FieldChange:
    """One property of one survey: the values it lost (`old`) and gained (`new`), as written."""

    item: int | None
    item_name: str
    field: str  # the property, as a prefixed name
    property: str  # the property's IRI
    old: tuple[str, ...] = ()
    new: tuple[str, ...] = ()


@dataclass
class SurveyDiff:
    """A survey or series (or, in `CatalogueDiff.agencies`, an agency) added, removed or changed."""

    survey: str
    title: str
    status: str  # "added" | "removed" | "changed"
    old_hash: str | None = None
    new_hash: str | None = None
    changes: list[FieldChange] = field(default_factory=list)
    published_as: str | None = None  # removed, as it is now an alias: the survey `owl:sameAs` it
    title_lang: str = ""  # the title's language tag ("" untagged)


@dataclass
class CatalogueDiff:
    old: str
    new: str
    surveys: list[SurveyDiff] = field(default_factory=list)
    unchanged: int = 0
    agencies: list[SurveyDiff] = field(default_factory=list)
    agencies_unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.surveys or self.agencies)

    def exit_code(self) -> int:
        """0 nothing changed, 1 something did (as `diff` itself)."""
        return 1 if self.changed else 0

    def count(self, status: str) -> int:
        return sum(1 for s in self.surveys if s.status == status)

    def count_agencies(self, status: str) -> int:
        return sum(1 for s in self.agencies if s.status == status)


@dataclass
class Description:
    """What a catalogue says about one survey: property -> {value key: value}. The key is the
    value's N-Triples form (a blank node's: its content hash); `written` gives a value as
    Turtle writes it, a blank node inline, for the values that changed only."""

    survey: str
    title: str
    values: dict[URIRef, dict[str, Node]] = field(default_factory=dict)
    by_subject: Mapping[Node, list[tuple[Node, Node]]] = field(default_factory=dict, repr=False, compare=False)
    title_lang: str = ""  # the title's language tag ("" untagged): a page marks a title in another language

    @cached_property
    def hash(self) -> str:
        lines = sorted(f"{encode(p)} {key}" for p, found in self.values.items() for key in found)
        return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()

    def written(self, value: Node, names: Curies) -> str:
        return _written(value, self.by_subject, names, _INLINE_DEPTH)


def describe(triples: Iterable[Triple], classes: frozenset[Node] = SURVEY_CLASSES) -> dict[str, Description]:
    """Every survey and series of the statements (or every subject of `classes`), by IRI."""
    by_subject: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    for s, p, o in triples:
        by_subject[s].append((p, o))
    surveys = sorted({s for s, pairs in by_subject.items() if isinstance(s, URIRef)
                      and any(p in IS_TYPE and o in classes for p, o in pairs)}, key=str)
    # blank nodes are keyed by their content (their own statements, recursively): only those the
    # described subjects reach (a catalogue's few agencies: not the blank nodes of every survey)
    reached: list[Triple] = []
    todo: list[Node] = list(surveys)
    seen = set(todo)
    while todo:
        subject = todo.pop()
        for p, o in by_subject.get(subject, ()):
            reached.append((subject, p, o))
            if kind_of(o) is BLANK and o not in seen:
                seen.add(o)
                todo.append(o)
    keys = {node: f"_:{str(iri).rsplit('/', 1)[-1]}" for node, iri in skolem_map(reached).items()}
    found: dict[str, Description] = {}
    for survey in surveys:
        title, title_lang = _title(by_subject[survey])
        description = Description(str(survey), title, by_subject=by_subject, title_lang=title_lang)
        for p, o in by_subject[survey]:  # kind_of, not isinstance: rdflib's terms are ABCs
            if kind_of(p) is IRI:
                key = keys[cast(BNode, o)] if kind_of(o) is BLANK else encode(o)
                description.values.setdefault(cast(URIRef, p), {})[key] = o
        found[str(survey)] = description
    return found


def fingerprints(triples: Iterable[Triple]) -> dict[str, str]:
    """Survey IRI -> the hash of its description (what `publish` keeps of a release)."""
    return {iri: d.hash for iri, d in describe(triples).items()}


def diff_catalogues(old: Snapshot, new: Snapshot, reference: Reference | None = None) -> CatalogueDiff:
    """The surveys (and agencies) added, removed and changed from `old` to `new`, field by field."""
    old_surveys, old_agencies = surveys_and_agencies(old.triples)
    new_surveys, new_agencies = surveys_and_agencies(new.triples)
    result = diff_descriptions(old.name, old_surveys, new.name, new_surveys, reference)
    result.agencies, result.agencies_unchanged = diff_agencies(old_agencies, new_agencies)
    return result


_AGENCY_TYPES = frozenset(encode(c) for c in AGENCY_CLASSES)


def surveys_and_agencies(triples: Iterable[Triple]) -> tuple[dict[str, Description], dict[str, Description]]:
    """`describe`'s surveys and series, and its agencies, described in one pass."""
    both = describe(triples, SURVEY_CLASSES | AGENCY_CLASSES)
    agencies = {iri: d for iri, d in both.items() if _AGENCY_TYPES & set(d.values.get(RDF.type, {}))}
    return {iri: d for iri, d in both.items() if iri not in agencies}, agencies


def diff_agencies(before: Mapping[str, Description], after: Mapping[str, Description]) -> tuple[list[SurveyDiff], int]:
    """The agencies added, removed and changed (field by field), and how many are unchanged."""
    return _entries(before, after, {}, {}, {})


def diff_descriptions(old_name: str, before: Mapping[str, Description], new_name: str,
                      after: Mapping[str, Description], reference: Reference | None = None) -> CatalogueDiff:
    """As `diff_catalogues`, from descriptions already made (`publish` describes its surveys once,
    and reads of the previous release only the surveys whose fingerprint changed)."""
    reference = reference or load_reference()
    result = CatalogueDiff(old_name, new_name)
    result.surveys, result.unchanged = _entries(before, after, reference.item_of_terms(), item_names(reference),
                                                published_as(after))
    return result


def _entries(before: Mapping[str, Description], after: Mapping[str, Description], items: Mapping[Node, int],
             names: Mapping[int, str], aliases: Mapping[str, str]) -> tuple[list[SurveyDiff], int]:
    """The entries added, removed or changed, in IRI order, and how many are unchanged."""
    entries, unchanged = [], 0
    for iri in sorted(set(before) | set(after)):
        was, now = before.get(iri), after.get(iri)
        if was is not None and now is not None and was.hash == now.hash:
            unchanged += 1
            continue
        status = "added" if was is None else "removed" if now is None else "changed"
        described = now or was
        assert described is not None  # the IRI is in one of them
        entry = SurveyDiff(iri, described.title, status, was.hash if was else None, now.hash if now else None,
                           published_as=aliases.get(iri) if now is None else None, title_lang=described.title_lang)
        entry.changes = _changes(was, now, items, names)
        entries.append(entry)
    return entries, unchanged


def published_as(after: Mapping[str, Description]) -> dict[str, str]:
    """Each IRI a survey of the catalogue names with `owl:sameAs` -> that survey: a survey folded
    onto another (merging/aliases.py) is named by it, `<kept> owl:sameAs <alias>`. (A survey and
    a series linked are both in the catalogue: `after` tells them from an alias.)"""
    return {str(o): iri for iri, d in sorted(after.items()) for o in d.values.get(_SAME_AS, {}).values()}


def _changes(was: Description | None, now: Description | None, items: Mapping[Node, int],
             names: Mapping[int, str]) -> list[FieldChange]:
    old_values = was.values if was else {}
    new_values = now.values if now else {}
    curies = Curies()
    changes = []
    for prop in set(old_values) | set(new_values):
        before, after = old_values.get(prop, {}), new_values.get(prop, {})
        lost = tuple(sorted(was.written(before[k], curies) for k in set(before) - set(after))) if was else ()
        gained = tuple(sorted(now.written(after[k], curies) for k in set(after) - set(before))) if now else ()
        if lost or gained:
            item = items.get(prop)
            changes.append(FieldChange(item, names.get(item, "") if item else "", curies.name(str(prop)), str(prop),
                                       lost, gained))
    return sorted(changes, key=lambda c: (c.item or 99, c.field))


def _title(pairs: list[tuple[Node, Node]]) -> tuple[str, str]:
    """The title (an agency's name) a diff names the survey by, English first, and its language."""
    titles = sorted((cast(Literal, o) for p, o in pairs if p in _TITLE and kind_of(o) is LITERAL), key=lambda t: (
        t.language != "en", t.language or "", str(t)))
    return (str(titles[0]), titles[0].language or "") if titles else ("", "")


def _written(node: Node, by_subject: Mapping[Node, list[tuple[Node, Node]]], names: Curies, depth: int) -> str:
    """A value as Turtle writes it, a blank node inline: `[ a dct:PeriodOfTime ; dcat:startDate … ]`."""
    if not isinstance(node, BNode):
        return names.term(node)
    if depth == 0:
        return "[ … ]"
    parts = sorted(("a" if p == RDF.type else names.name(str(p)), _written(o, by_subject, names, depth - 1))
                   for p, o in by_subject.get(node, ()))
    return "[ " + " ; ".join(f"{p} {o}" for p, o in parts) + " ]" if parts else "[]"


def item_names(reference: Reference, lang: str = "en") -> dict[int, str]:
    return {n: labels.get(lang) or labels.get("en", "") for n, labels in reference.item_names().items()}


__all__ = ["CatalogueDiff", "Description", "FieldChange", "SurveyDiff", "describe", "diff_agencies", "diff_catalogues",
           "diff_descriptions", "fingerprints", "published_as",
           "surveys_and_agencies"]
