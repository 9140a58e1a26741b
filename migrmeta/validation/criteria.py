"""The criteria of the quality score, one small function each: a survey -> (share, reason).

Each criterion looks at one survey (a `View`: the catalogue graph, the survey, the series it
is a round of, its validation findings and the scoring context) and answers how much of it
is met, from 0 to 1, and in words what is missing. The weights and the reasoning are in
`validation/quality.py` (CRITERIA) and docs/quality.md.

Some facts are stated once for a whole series and hold for each round: keywords, the landing
page, distributions, rights, licence, contact point and the sources cited. A round is given
them when its series states them (`View.inherited`). The answers to the questionnaire's
items are the round's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from weakref import WeakKeyDictionary

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta.load.reference import Reference
from migrmeta.namespaces import DCAT, DCT, DISCO, FOAF, MM, PROV, RDF, SH, SKOS, SURVEY_STATUS
from migrmeta.rdf.curie import curie
from migrmeta.rdf.readonly import Statements
from migrmeta.validation.findings import Finding
from migrmeta.validation.items import answered_items, item_shapes
from migrmeta.validation.sources import AUTHORITATIVE, Citation, HostRules, Site, citations
from migrmeta.values.periods import time_frame

Share = tuple[float, str]  # how much of a criterion is met (0..1), and what is missing


@dataclass
class Context:
    """What every score of one run shares (what is read of the shapes is read once)."""

    reference: Reference
    as_of: date
    rules: HostRules
    sites: dict[URIRef, list[Site]] = field(default_factory=dict)
    _item_names: dict[int, dict[str, str]] | None = field(default=None, repr=False)
    _vocabularies: list[tuple[tuple[URIRef, ...], URIRef]] | None = field(default=None, repr=False)

    @property
    def item_names(self) -> dict[int, dict[str, str]]:
        if self._item_names is None:
            self._item_names = self.reference.item_names()
        return self._item_names

    @property
    def vocabulary_paths(self) -> list[tuple[tuple[URIRef, ...], URIRef]]:
        """(property path, concept scheme) of every closed answer of a survey, from the shapes."""
        if self._vocabularies is None:
            self._vocabularies = closed_answers(self.reference)
        return self._vocabularies


# Read once per Reference: a publish makes a Context for every survey page it scores.
_CLOSED_ANSWERS: WeakKeyDictionary[Reference, list[tuple[tuple[URIRef, ...], URIRef]]] = WeakKeyDictionary()


def closed_answers(reference: Reference) -> list[tuple[tuple[URIRef, ...], URIRef]]:
    """(property path, concept scheme) of every closed answer of a survey, from the shapes."""
    found = _CLOSED_ANSWERS.get(reference)
    if found is None:
        shapes = reference.shapes
        shape = next(shapes.subjects(SH.targetClass, MM.Survey), None)
        found = _CLOSED_ANSWERS[reference] = sorted(set(_vocabulary_paths(shapes, shape))) if shape is not None else []
    return found


@dataclass
class View:
    graph: Statements
    subject: URIRef
    findings: list[Finding]
    context: Context
    _citations: list[Citation] | None = field(default=None, repr=False)
    _lacking: dict[bool, list[tuple[int, URIRef]]] = field(default_factory=dict, repr=False)
    _answered: frozenset[int] | None = field(default=None, repr=False)

    @property
    def series(self) -> list[Node]:
        return list(self.graph.objects(self.subject, DCAT.inSeries))

    def has(self, predicate: URIRef) -> bool:
        return (self.subject, predicate, None) in self.graph

    @property
    def answered(self) -> frozenset[int]:
        """The items the survey answers, as the inventory counts them (validation/items.py)."""
        if self._answered is None:
            self._answered = answered_items(self.graph, self.subject, self.context.reference)
        return self._answered

    def inherited(self, predicate: URIRef) -> list[Node]:
        """Values of `predicate` on the survey, or else on its series."""
        own = list(self.graph.objects(self.subject, predicate))
        return own or [o for s in self.series for o in self.graph.objects(s, predicate)]

    def citations(self) -> list[Citation]:
        """The addresses the survey cites, or else those its series cites (computed once)."""
        if self._citations is None:
            own = citations(self.graph, self.subject, self.context.rules, self.context.sites)
            self._citations = own or [c for s in self.series
                                      for c in citations(self.graph, s, self.context.rules, self.context.sites)]
        return self._citations


def _listing(names: list[str], limit: int = 3) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


# --- completeness ----------------------------------------------------------------------------


# Read once per Reference, as _CLOSED_ANSWERS: (item, path) of the answers the shapes require
# (violation) or recommend (warning).
_ASKED: WeakKeyDictionary[Reference, dict[bool, list[tuple[int, URIRef]]]] = WeakKeyDictionary()


def _asked_paths(reference: Reference, violation: bool) -> list[tuple[int, URIRef]]:
    by_severity = _ASKED.setdefault(reference, {})
    found = by_severity.get(violation)
    if found is None:
        shapes = [s for s in item_shapes(reference) if s.min_count > 0 and s.violation == violation]
        found = by_severity[violation] = list(dict.fromkeys((s.item, s.path) for s in shapes))
    return found


def lacking(view: View, violation: bool) -> list[tuple[int, URIRef]]:
    """(item, property) of the answers the shapes require (violation) or recommend that the survey
    lacks (once a view: the score's reason and its items both ask). The item may still be
    answered by another of its fields (`View.answered`): the shapes ask for more."""
    found = view._lacking.get(violation)
    if found is None:
        asked = _asked_paths(view.context.reference, violation)
        found = view._lacking[violation] = [(item, path) for item, path in asked if not view.has(path)]
    return found


def _asked(view: View, violation: bool) -> Share:
    names = view.context.item_names
    paths = _asked_paths(view.context.reference, violation)
    if not paths:
        return 1.0, ""
    missing = lacking(view, violation)
    # by whether the item is answered by another of its fields (the inventory's count) or not at all
    said: dict[bool, list[str]] = {True: [], False: []}
    for item, path in missing:
        said[item in view.answered].append(f"item {item} ({names.get(item, {}).get('en', '')}: {curie(path)})")
    kind = "mandatory" if violation else "recommended"
    reasons = (["not answered: " + _listing(said[False])] if said[False] else []) + (
        [f"answered without the {kind} field: " + _listing(said[True])] if said[True] else [])
    return 1 - len(missing) / len(paths), "; ".join(reasons)


def mandatory_items(view: View) -> Share:
    return _asked(view, violation=True)


def recommended_items(view: View) -> Share:
    return _asked(view, violation=False)


def consistency(view: View) -> Share:
    """No finding of the cross-item rules (a missing answer is counted by the two criteria above)."""
    found = [f for f in view.findings if f.component != "MinCountConstraintComponent"
             and f.severity in ("warning", "violation")]
    if not found:
        return 1.0, ""
    return max(0.0, 1 - len(found) / 2), _listing([f.message for f in found], 2)


# --- findability -----------------------------------------------------------------------------


def keywords(view: View) -> Share:
    if view.inherited(DCAT.keyword) or view.inherited(DCAT.theme):
        return 1.0, ""
    return 0.0, "no keywords (dcat:keyword)"


def spatial(view: View) -> Share:
    return (1.0, "") if view.has(DCT.spatial) else (0.0, "no country covered (dct:spatial)")


def temporal(view: View) -> Share:
    frame = time_frame(view.graph.value, view.subject)  # read as every output reads it (values/periods.py)
    if frame is None:
        return 0.0, "no time frame (dct:temporal with dcat:startDate)"
    # the score asks more than the pages: an open end is full marks only when marked ongoing
    ongoing = view.graph.value(view.subject, MM.status) == SURVEY_STATUS.ongoing
    if frame.end is None and not ongoing:
        return 2 / 3, "the time frame has no end and the survey is not marked ongoing"
    return 1.0, ""


# --- accessibility ---------------------------------------------------------------------------


def landing_page(view: View) -> Share:
    return (1.0, "") if view.inherited(DCAT.landingPage) else (0.0, "no landing page (dcat:landingPage)")


def access_url(view: View) -> Share:
    found = [u for d in view.inherited(DCAT.distribution) for u in view.graph.objects(d, DCAT.accessURL)]
    return (1.0, "") if found else (0.0, "no distribution with an access URL (dcat:accessURL)")


def access_level(view: View) -> Share:
    if view.has(MM.accessLevel):
        return 1.0, ""
    if 14 in view.answered:  # by the conditions or a landing page: answered, without the level asked for
        return 0.0, "item 14 answered without a researcher access level (mm:accessLevel)"
    return 0.0, "researcher access not given (item 14, mm:accessLevel)"


# --- interoperability ------------------------------------------------------------------------


def _vocabulary_paths(shapes: Graph, node: Node, depth: int = 0) -> list[tuple[tuple[URIRef, ...], URIRef]]:
    """(property path, concept scheme) of every closed answer a node shape checks, nested ones too."""
    found: list[tuple[tuple[URIRef, ...], URIRef]] = []
    for prop in shapes.objects(node, SH.property):
        path = shapes.value(prop, SH.path)
        target = shapes.value(prop, SH.node)
        if not isinstance(path, URIRef) or target is None:
            continue
        for member in shapes.objects(target, SH.property):
            scheme = shapes.value(member, SH.hasValue)
            if shapes.value(member, SH.path) == SKOS.inScheme and isinstance(scheme, URIRef):
                found.append(((path,), scheme))
        if depth < 1:
            found += [((path, *inner), scheme) for inner, scheme in _vocabulary_paths(shapes, target, depth + 1)]
    return found


def controlled_vocabularies(view: View) -> Share:
    reference = view.context.reference
    values: list[tuple[Node, URIRef]] = []
    for path, scheme in view.context.vocabulary_paths:
        nodes: list[Node] = [view.subject]
        for step in path:
            nodes = [o for n in nodes for o in view.graph.objects(n, step)]
        values += [(node, scheme) for node in nodes]
    if not values:
        return 0.0, "no closed answer from the vocabularies"
    outside = sorted(str(v) for v, scheme in values if scheme not in reference.schemes_of(v))
    return 1 - len(outside) / len(values), ("not in its vocabulary: " + _listing(outside) if outside else "")


def agency_roles(view: View) -> Share:
    named = {a for p in (DCT.creator, DCT.contributor) for a in view.graph.objects(view.subject, p)}
    if not named:
        return 0.0, "no agency named"
    reference = view.context.reference
    qualified = {view.graph.value(q, PROV.agent) for q in view.graph.objects(view.subject, PROV.qualifiedAttribution)
                 if any(reference.schemes_of(r) for r in view.graph.objects(q, DCAT.hadRole))}
    bare = sorted(curie(a) for a in named - qualified if isinstance(a, URIRef))
    return 1 - len(bare) / len(named), ("no role (prov:qualifiedAttribution) for " + _listing(bare) if bare else "")


def dcat_ddi_alignment(view: View) -> Share:
    types = set(view.graph.objects(view.subject, RDF.type))
    wanted = (DCAT.Dataset, DISCO.Study) if MM.Survey in types else (DCAT.DatasetSeries, DISCO.StudyGroup)
    missing = [curie(t) for t in wanted if t not in types]
    violations = [f for f in view.findings if f.severity == "violation"]
    share = (3 * (1 - len(missing) / len(wanted)) + (0 if violations else 2)) / 5
    reasons = ([f"not typed {' and '.join(missing)}"] if missing else []) + (
        [f"{len(violations)} violation(s) of the shapes"] if violations else [])
    return share, "; ".join(reasons)



# --- reusability -----------------------------------------------------------------------------


def access_conditions(view: View) -> Share:
    return (1.0, "") if view.inherited(DCT.rights) else (0.0, "access conditions not stated (dct:rights)")


def licence(view: View) -> Share:
    found = view.inherited(DCT.license) or [
        lic for d in view.inherited(DCAT.distribution) for lic in view.graph.objects(d, DCT.license)]
    return (1.0, "") if found else (0.0, "no licence of the data (dct:license)")


def contact_point(view: View) -> Share:
    if view.inherited(DCAT.contactPoint):
        return 1.0, ""
    agencies = [a for p in (DCT.publisher, DCT.creator) for a in view.graph.objects(view.subject, p)]
    if any(view.graph.value(a, FOAF.homepage) is not None for a in agencies):
        return 2 / 3, "no contact point (dcat:contactPoint); the agency's home page stands in"
    return 0.0, "no contact point (dcat:contactPoint) nor an agency home page"


# --- provenance ------------------------------------------------------------------------------


def sources_cited(view: View) -> Share:
    if view.inherited(DCT.source):
        return 1.0, ""
    if view.inherited(DCT.bibliographicCitation):
        return 0.6, "text citations only: give the address of a source (dct:source)"
    return 0.0, "no source cited (dct:source, dct:bibliographicCitation)"


def publisher_page(view: View) -> Share:
    kinds = {c.kind for c in view.citations()}
    if "publisher" in kinds:
        return 1.0, ""
    if kinds & set(AUTHORITATIVE):
        return 2 / 3, "no page of the conducting or publishing agency cited (a DOI, archive or legal text is)"
    return 0.0, "no page of the conducting or publishing agency, DOI, data archive or legal text cited"


def no_mirror(view: View) -> Share:
    cited = view.citations()
    if not cited:
        return 0.0, "no address cited"
    mirrors = sorted({c.host for c in cited if c.kind == "mirror"})
    return (0.0, "cites a mirror: " + _listing(mirrors)) if mirrors else (1.0, "")


def checked_recently(view: View) -> Share:
    checked = view.graph.value(view.subject, MM.checkedOn)
    when = checked.toPython() if isinstance(checked, Literal) else None
    if not isinstance(when, date):
        return 0.0, "never checked against its sources (mm:checkedOn)"
    as_of = view.context.as_of
    months = (as_of.year - when.year) * 12 + as_of.month - when.month - (as_of.day < when.day)
    if months <= 12:
        return 1.0, ""
    if months <= 36:
        return 0.5, f"last checked {when.isoformat()}, more than a year before {as_of.isoformat()}"
    return 0.0, f"last checked {when.isoformat()}, more than three years before {as_of.isoformat()}"


EVALUATE: dict[str, Callable[[View], Share]] = {
    "mandatory-items": mandatory_items,
    "recommended-items": recommended_items,
    "consistency": consistency,
    "keywords": keywords,
    "spatial": spatial,
    "temporal": temporal,
    "landing-page": landing_page,
    "access-url": access_url,
    "access-level": access_level,
    "vocabularies": controlled_vocabularies,
    "agency-roles": agency_roles,
    "dcat-ddi": dcat_ddi_alignment,
    "access-conditions": access_conditions,
    "licence": licence,
    "contact-point": contact_point,
    "sources": sources_cited,
    "publisher-page": publisher_page,
    "no-mirror": no_mirror,
    "checked": checked_recently,
}

__all__ = ["EVALUATE", "Context", "Share", "View", "lacking"]
