"""The quality score of a record: 100 points over six dimensions, in the questionnaire's terms.

    scorer = Scorer(catalogue_graph, findings, as_of=date(2026, 11, 30))
    score = scorer.score(URIRef("https://w3id.org/migrmeta/survey/ph-sof-2019"))
    score.total, score.rating, score.parts, score.dimensions()

    score = score_of(record)                  # one parsed record (its series, or its survey)
    html = score_html(score, lang="fr")       # one line for a survey page

Modelled on data.europa.eu's Metadata Quality Assessment (MQA), which scores a dataset's
metadata by findability, accessibility, interoperability, reusability and contextuality:
here the questionnaire's completeness comes first and provenance (sources, the publisher's
own pages, the last check) replaces contextuality. Weights and reasons: CRITERIA below and
docs/quality.md (tested to agree). The age of the last check is measured against `as_of`,
a date passed in, never the clock, so a score is the same on every run.

A series is scored as the mean of its rounds (the rounds carry the answers); a series
without rounds in the graph is scored on its own statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from migrmeta.load import Record, agencies_beside, parse_bytes
from migrmeta.load.reference import Reference, load_reference
from migrmeta.namespaces import DCAT, MM, RDF
from migrmeta.rdf.ntriples import ntriples
from migrmeta.rdf.readonly import Statements
from migrmeta.validation.across import SETTLED_BY_MERGE
from migrmeta.validation.criteria import EVALUATE, Context, View, lacking
from migrmeta.validation.findings import Finding
from migrmeta.validation.sources import agency_sites, load_host_rules

DIMENSIONS = ("completeness", "findability", "accessibility", "interoperability", "reusability", "provenance")
RATINGS = (("excellent", 85.0), ("good", 65.0), ("sufficient", 40.0), ("poor", 0.0))
RATING_NAMES = {
    "excellent": {"en": "excellent", "fr": "excellente", "es": "excelente"},
    "good": {"en": "good", "fr": "bonne", "es": "buena"},
    "sufficient": {"en": "sufficient", "fr": "suffisante", "es": "suficiente"},
    "poor": {"en": "poor", "fr": "faible", "es": "baja"},
}
QUALITY_WORD = {"en": "Metadata quality", "fr": "Qualité des métadonnées", "es": "Calidad de los metadatos"}


@dataclass(frozen=True)
class Criterion:
    key: str
    dimension: str
    weight: float
    label: str
    item: int = 0  # the questionnaire item whose answers it checks (a survey page words a loss by it), or 0


CRITERIA: tuple[Criterion, ...] = (
    Criterion("mandatory-items", "completeness", 10, "mandatory answers of the questionnaire"),
    Criterion("recommended-items", "completeness", 15, "recommended answers of the questionnaire"),
    Criterion("consistency", "completeness", 5, "no warning of the cross-item rules"),
    Criterion("keywords", "findability", 4, "keywords", 10),
    Criterion("spatial", "findability", 3, "countries covered", 3),
    Criterion("temporal", "findability", 3, "a closed time frame, or marked ongoing", 4),
    Criterion("landing-page", "accessibility", 6, "landing page", 14),
    Criterion("access-url", "accessibility", 4, "a distribution with an access URL", 13),
    Criterion("access-level", "accessibility", 5, "researcher access level (item 14)", 14),
    Criterion("vocabularies", "interoperability", 5, "closed answers from the SKOS vocabularies"),
    Criterion("agency-roles", "interoperability", 5, "each agency's role from the agency-role vocabulary", 5),
    Criterion("dcat-ddi", "interoperability", 5, "typed for DCAT and DDI, and conforming to the shapes"),
    Criterion("access-conditions", "reusability", 4, "access conditions in words", 14),
    Criterion("licence", "reusability", 3, "licence of the data", 14),
    Criterion("contact-point", "reusability", 3, "contact point"),
    Criterion("sources", "provenance", 5, "sources cited by address"),
    Criterion("publisher-page", "provenance", 6, "the publisher's own page cited"),
    Criterion("no-mirror", "provenance", 2, "no mirror cited"),
    Criterion("checked", "provenance", 7, "checked against its sources within a year"),
)
MAXIMUM = sum(c.weight for c in CRITERIA)
_ITEMS_ASKED = {"mandatory-items", "recommended-items"}  # their Part.items: the items lacking a field asked for


@dataclass(frozen=True)
class Part:
    key: str
    dimension: str
    weight: float
    points: float
    reason: str = ""  # what is missing; empty when the criterion is met in full
    # the questionnaire items it lost points on: those lacking a field the shapes ask for
    # (mandatory and recommended items: answered or not, Score.answered says), else the
    # criterion's item (Criterion.item), if any; for a series, of any round
    items: tuple[int, ...] = ()
    short: int = 0  # for a series: how many of its rounds are short of the criterion


@dataclass(frozen=True)
class Score:
    subject: str
    kind: str  # survey | series
    parts: tuple[Part, ...]
    as_of: str
    rounds: int = 0  # for a series: how many rounds its score is the mean of
    # the questionnaire items it answers, as the inventory counts them (validation/items.py);
    # for a series, those every round answers
    answered: tuple[int, ...] = ()

    @property
    def total(self) -> float:
        return round(sum(p.points for p in self.parts), 1)

    @property
    def rating(self) -> str:
        return rating(self.total)

    def dimensions(self) -> dict[str, tuple[float, float]]:
        """dimension -> (points, of how many)."""
        return {d: (round(sum(p.points for p in self.parts if p.dimension == d), 1),
                    sum(p.weight for p in self.parts if p.dimension == d)) for d in DIMENSIONS}

    def lost(self) -> list[Part]:
        """The criteria not met in full, those losing most points first."""
        return sorted((p for p in self.parts if p.reason), key=lambda p: (p.points - p.weight, p.key))

    def reasons(self) -> list[str]:
        """What to improve, the criteria losing most points first."""
        return [p.reason for p in self.lost()]

    def to_json(self) -> dict[str, Any]:
        return {"subject": self.subject, "kind": self.kind, "score": self.total, "rating": self.rating,
                "rounds": self.rounds, "as_of": self.as_of, "answered": list(self.answered),
                "dimensions": {d: {"points": pts, "of": of} for d, (pts, of) in self.dimensions().items()},
                "criteria": [{"criterion": p.key, "dimension": p.dimension, "weight": p.weight,
                              "points": round(p.points, 2), "reason": p.reason} for p in self.parts]}


def rating(total: float) -> str:
    return next(name for name, floor in RATINGS if total >= floor)


def newest_check_of(triples: Iterable[tuple[Node, Node, Node]]) -> date | None:
    """The newest mm:checkedOn among the statements (a catalogue's `as_of`), if any."""
    checked = {MM.checkedOn}  # a set, as namespaces.IS_TYPE
    dates = [str(o) for _, p, o in triples if p in checked]
    for text in sorted(dates, reverse=True):  # the newest that is a date (validation says which is not)
        try:
            return date.fromisoformat(text)
        except ValueError:
            continue
    return None


def newest_check(graph: Statements) -> date | None:
    """The newest mm:checkedOn of a graph: the default `as_of` of a catalogue's scores."""
    dates = [d.toPython() for d in graph.objects(None, MM.checkedOn) if isinstance(d, Literal)]
    found = [d for d in dates if isinstance(d, date)]
    return max(found) if found else None


NEVER_CHECKED = date(1970, 1, 1)  # the as_of of a graph without mm:checkedOn


class Scorer:
    """Scores the surveys and series of one graph (a catalogue, or one record with its agencies)."""

    def __init__(self, graph: Statements, findings: Iterable[Finding] = (), *, as_of: date | None = None,
                 reference: Reference | None = None) -> None:
        self.graph = graph
        self.as_of = as_of or newest_check(graph) or NEVER_CHECKED
        self.context = Context(reference or load_reference(), self.as_of, load_host_rules(), agency_sites(graph))
        self.findings: dict[str, list[Finding]] = {}
        seen: set[tuple[str | None, ...]] = set()
        for finding in findings:  # several files describing one survey is the merge's to settle, not a flaw
            if not finding.focus or finding.component in SETTLED_BY_MERGE:
                continue
            # what two files describing one survey both have (or the union gives each) counts once
            key = (finding.focus, finding.severity, finding.shape, finding.component, finding.path, finding.value,
                   None if finding.shape else finding.message)
            if key not in seen:
                seen.add(key)
                self.findings.setdefault(finding.focus, []).append(finding)
        self._done: dict[URIRef, Score] = {}

    def subjects(self) -> list[URIRef]:
        """Every survey and series of the graph, sorted."""
        found = set(self.graph.subjects(RDF.type, MM.Survey)) | set(self.graph.subjects(RDF.type, MM.SurveySeries))
        return sorted(s for s in found if isinstance(s, URIRef))

    def rounds(self, series: URIRef) -> list[URIRef]:
        return sorted(s for s in self.graph.subjects(DCAT.inSeries, series)
                      if isinstance(s, URIRef) and (s, RDF.type, MM.Survey) in self.graph)

    def score(self, subject: URIRef) -> Score:
        if subject not in self._done:
            rounds = self.rounds(subject) if (subject, RDF.type, MM.Survey) not in self.graph else []
            self._done[subject] = self._mean(subject, rounds) if rounds else self._score(subject)
        return self._done[subject]

    def _score(self, subject: URIRef) -> Score:
        view = View(self.graph, subject, self.findings.get(str(subject), []), self.context)
        parts = []
        for criterion in CRITERIA:
            share, reason = EVALUATE[criterion.key](view)
            share = min(1.0, max(0.0, share))
            items: tuple[int, ...] = ()
            if share < 1:
                items = (tuple(dict.fromkeys(i for i, _ in lacking(view, criterion.key == "mandatory-items")))
                         if criterion.key in _ITEMS_ASKED else (criterion.item,) if criterion.item else ())
            parts.append(Part(criterion.key, criterion.dimension, criterion.weight, criterion.weight * share,
                              reason if share < 1 else "", items))
        kind = "survey" if (subject, RDF.type, MM.Survey) in self.graph else "series"
        return Score(str(subject), kind, tuple(parts), self.as_of.isoformat(), answered=tuple(sorted(view.answered)))

    def _mean(self, series: URIRef, rounds: list[URIRef]) -> Score:
        scores = [self.score(r) for r in rounds]
        parts = []
        for i, criterion in enumerate(CRITERIA):
            of_rounds = [s.parts[i] for s in scores]
            short = [p for p in of_rounds if p.reason]
            reason = f"{len(short)} of {len(rounds)} rounds: {short[0].reason}" if short else ""
            items = tuple(sorted({i for p in short for i in p.items}))
            parts.append(Part(criterion.key, criterion.dimension, criterion.weight,
                              sum(p.points for p in of_rounds) / len(of_rounds), reason, items, len(short)))
        answered = set.intersection(*(set(s.answered) for s in scores))
        return Score(str(series), "series", tuple(parts), self.as_of.isoformat(), rounds=len(rounds),
                     answered=tuple(sorted(answered)))


def _record_findings(record: Record, reference: Reference) -> list[Finding]:
    """The record's validation findings (the one validation path: check_records, then explained)."""
    from migrmeta.validation.runner import shape_findings

    data, fmt = record.data, record.format
    if not data:
        data, fmt = ntriples(record.graph).encode("utf-8"), "ntriples"
    return shape_findings(record.source, data, fmt, reference)


def score_of(record: Record, subject: URIRef | None = None, *, agencies: Graph | None = None,
             findings: Iterable[Finding] | None = None, as_of: date | None = None,
             reference: Reference | None = None) -> Score:
    """The score of one record: of `subject`, or else of its series, or else of its one survey.

    `agencies` describes the agencies it names (default: the agencies.ttl beside the record's
    file, if any); `findings` are its validation findings (default: the record is validated);
    `as_of` defaults to the record's newest mm:checkedOn. Pass the catalogue's newest check
    (`newest_check`) to score every record against the same date.
    """
    reference = reference or load_reference()
    graph = Graph()
    graph += record.graph
    if agencies is None:
        beside = agencies_beside(record.source) if record.source not in ("", "-") else None
        if beside is not None and beside.name != record.source:
            agencies = parse_bytes(beside.read_bytes(), str(beside), "turtle").graph
    if agencies is not None:
        graph += agencies
    scorer = Scorer(graph, _record_findings(record, reference) if findings is None else findings,
                    as_of=as_of or newest_check(record.graph), reference=reference)
    if subject is None:
        subjects = scorer.subjects()
        series = [s for s in subjects if (s, RDF.type, MM.SurveySeries) in graph]
        if not subjects:
            raise ValueError(f"{record.source}: no survey or series to score")
        subject = (series or subjects)[0]
    return scorer.score(subject)


def score_html(score: Score, lang: str = "en", labels: Mapping[str, str] | None = None, *,
               tip: str | None = None) -> str:
    """One line of HTML for a survey page: the score, its rating and, as a tooltip, what to improve.

    Every text is escaped; `labels` may replace the words "Metadata quality" per language; `tip`
    the tooltip (by default the report's words, in English: the site words it in the page's
    language by questionnaire item, publishing/pages/survey.py).
    """
    word = (labels or QUALITY_WORD).get(lang) or QUALITY_WORD.get(lang) or QUALITY_WORD["en"]
    name = RATING_NAMES[score.rating].get(lang, score.rating)
    total = f"{score.total:g}"
    if tip is None:
        tip = "; ".join(score.reasons()[:3])
    title = f' title="{escape(tip)}"' if tip else ""
    return (f'<p class="quality quality-{escape(score.rating)}" data-score="{escape(total)}"{title}>'
            f"{escape(word)}: <strong>{escape(total)}</strong>/100 ({escape(name)})</p>")


__all__ = ["CRITERIA", "DIMENSIONS", "MAXIMUM", "NEVER_CHECKED", "RATINGS", "Criterion", "Part", "Score", "Scorer",
           "newest_check", "newest_check_of", "rating", "score_html", "score_of"]
