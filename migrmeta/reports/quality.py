"""The quality report: a score per record, per conducting agency and for the catalogue.

    report = build_quality([Path("records")], as_of=None)     # as_of: the newest mm:checkedOn
    print(RENDERERS["markdown"](report))

Scores come from `validation/quality.py` (criteria, weights, the mean of a series' rounds);
this module gathers them over a catalogue and renders them as text, Markdown, CSV or JSON.
The catalogue's mean and each agency's mean are taken over surveys (a series' score is
already the mean of its rounds, so counting it too would count the rounds twice). An agency's
surveys are those it conducts (dct:creator).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef

from migrmeta.jsontext import json_text
from migrmeta.load import Verdict
from migrmeta.messages import plural
from migrmeta.namespaces import DCT, FOAF, MM
from migrmeta.reports.inputs import inputs_named
from migrmeta.reports.sources import read_catalogue
from migrmeta.validation.quality import CRITERIA, DIMENSIONS, Score, Scorer, newest_check_of, rating
from migrmeta.values.countries import countries

JSON_SCHEMA = "https://w3id.org/migrmeta/quality-report/1"
INTERNATIONAL = "international"
_SHORT = {"completeness": "C", "findability": "F", "accessibility": "A", "interoperability": "I",
          "reusability": "R", "provenance": "P"}


@dataclass
class RecordRow:
    score: Score
    identifier: str
    title: str
    source: str


@dataclass
class AgencyRow:
    agency: str
    name: str
    kind: str
    country: str  # alpha-3 code, or "international"
    scores: list[Score]

    @property
    def mean(self) -> float:
        return _mean([s.total for s in self.scores])

    def dimension(self, name: str) -> float:
        return _mean([s.dimensions()[name][0] for s in self.scores])


@dataclass
class QualityReport:
    as_of: date
    rows: list[RecordRow]
    agencies: list[AgencyRow]
    problems: list[str] = field(default_factory=list)
    inputs: str = "`records/`"  # what it was made from, as its header names it (reports/inputs.py)
    notices: list[str] = field(default_factory=list)  # a merge's output beside its records, left out
    checked_later: int = 0  # surveys and series checked (mm:checkedOn) after `as_of`, when given earlier

    @property
    def surveys(self) -> list[RecordRow]:
        return [r for r in self.rows if r.score.kind == "survey"]

    @property
    def mean(self) -> float:
        return _mean([r.score.total for r in self.surveys])

    def dimension(self, name: str) -> float:
        return _mean([r.score.dimensions()[name][0] for r in self.surveys])

    def lost(self) -> list[tuple[str, float, int]]:
        """(criterion, mean points lost per survey, surveys short of it), the largest loss first."""
        surveys = self.surveys or []
        result = []
        for i, criterion in enumerate(CRITERIA):
            parts = [r.score.parts[i] for r in surveys]
            short = sum(1 for p in parts if p.points < p.weight)
            result.append((criterion.key, _mean([p.weight - p.points for p in parts]), short))
        return sorted(result, key=lambda x: (-x[1], x[0]))


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 1) if values else 0.0


def _name(graph: Graph, node: URIRef, predicate: URIRef) -> str:
    values = sorted((v for v in graph.objects(node, predicate) if isinstance(v, Literal)),
                    key=lambda v: (v.language != "en", str(v)))
    return str(values[0]) if values else ""


def _local(iri: object) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1] if iri is not None else ""


def build_quality(paths: Iterable[str | Path], *, as_of: date | None = None, cache: bool = True,
                  cache_dir: Path | None = None) -> QualityReport:
    """Score every survey and series in `paths` (validated first: findings count)."""
    from migrmeta.reports.validated import validated

    paths = list(paths)
    beside: list[Verdict] = []  # validate below leaves the same files out (and says so in its notices)
    several: list[str] = []
    catalogue, sources, problems = read_catalogue(paths, beside, several)
    report = validated(paths, cache=cache, cache_dir=cache_dir)  # a merged dataset as merged, as read_catalogue
    scorer = Scorer(catalogue, report.findings, as_of=as_of)
    rows = []
    later = 0  # surveys and series checked after an `as_of` given earlier
    for subject in scorer.subjects():
        title = _name(catalogue, subject, DCT.title)
        identifier = str(catalogue.value(subject, DCT.identifier) or _local(subject))
        rows.append(RecordRow(scorer.score(subject), identifier, title, sources.get(subject, "")))
        checked = newest_check_of((subject, MM.checkedOn, d) for d in catalogue.objects(subject, MM.checkedOn))
        later += as_of is not None and checked is not None and checked > as_of
    return QualityReport(scorer.as_of, rows, _agencies(catalogue, rows), problems, inputs_named(paths),
                         [*(v.notice() for v in beside), *several], checked_later=later)


def _agencies(graph: Graph, rows: list[RecordRow]) -> list[AgencyRow]:
    by_agency: dict[URIRef, list[Score]] = defaultdict(list)
    for row in rows:
        if row.score.kind == "survey":
            for agency in graph.objects(URIRef(row.score.subject), DCT.creator):
                if isinstance(agency, URIRef):
                    by_agency[agency].append(row.score)
    result = []
    for agency, scores in by_agency.items():
        based = graph.value(agency, MM.basedIn)
        country = countries().get(str(based)) if based is not None else None
        result.append(AgencyRow(str(agency), _name(graph, agency, FOAF.name) or _local(agency),
                                _local(graph.value(agency, DCT.type)), country.code if country else INTERNATIONAL,
                                scores))
    return sorted(result, key=lambda a: (-a.mean, a.name))


# --- rendering -------------------------------------------------------------------------------


def _dims(values: Iterable[float]) -> list[str]:
    return [f"{v:g}" for v in values]


def _dimension_header() -> str:
    weights = {d: sum(c.weight for c in CRITERIA if c.dimension == d) for d in DIMENSIONS}
    return " | ".join(f"{_SHORT[d]} /{weights[d]:g}" for d in DIMENSIONS)


def render_markdown(report: QualityReport) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "/").replace("\n", " ") or "—"

    ratings: dict[str, int] = defaultdict(int)
    for row in report.surveys:
        ratings[row.score.rating] += 1
    lines = ["# Metadata quality of the catalogue", "",
             f"Generated by `migrmeta report quality --format markdown` from {report.inputs}; do not edit by hand. "
             "Criteria and weights: [quality.md](quality.md).", "",
             f"As of {report.as_of.isoformat()} (the newest check of a record, unless `--as-of` says otherwise). "
             f"{len(report.surveys)} surveys and {len(report.rows) - len(report.surveys)} series; "
             f"the catalogue's mean score is **{report.mean:g}**/100 ({rating(report.mean)}): "
             + ", ".join(f"{ratings[r]} {r}" for r in ("excellent", "good", "sufficient", "poor")) + ".", "",
             "Dimensions (mean points per survey): " + "; ".join(
                 f"{d} {report.dimension(d):g}/{sum(c.weight for c in CRITERIA if c.dimension == d):g}"
                 for d in DIMENSIONS) + ".", "",
             "## What to improve first", "", "| criterion | mean points lost | surveys short of it |",
             "| --- | --- | --- |"]
    lines += [f"| {key} | {points:g} | {short} |" for key, points, short in report.lost() if points > 0]
    lines += ["", "## Conducting agencies", "",
              "Mean score of the surveys each agency conducts (dct:creator), with its dimensions "
              "(C completeness, F findability, A accessibility, I interoperability, R reusability, P provenance).", "",
              f"| agency | country | surveys | score | {_dimension_header()} |", "|" + " --- |" * 10]
    for agency in report.agencies:
        lines.append(f"| {cell(agency.name)} | {agency.country} | {len(agency.scores)} | {agency.mean:g} | "
                     + " | ".join(_dims(agency.dimension(d) for d in DIMENSIONS)) + " |")
    lines += ["", "## Records", "", "A series' score is the mean of its rounds.", "",
              f"| record | kind | score | rating | {_dimension_header()} | to improve |", "|" + " --- |" * 11]
    for row in report.rows:
        score = row.score
        kind = f"series of {score.rounds}" if score.kind == "series" and score.rounds else score.kind
        lines.append(f"| {cell(row.identifier)} | {kind} | {score.total:g} | {score.rating} | "
                     + " | ".join(_dims(score.dimensions()[d][0] for d in DIMENSIONS))
                     + f" | {cell('; '.join(score.reasons()[:2]))} |")
    return "\n".join(lines) + "\n"


def render_text(report: QualityReport) -> str:
    lines = [f"Metadata quality as of {report.as_of.isoformat()}: {len(report.surveys)} surveys, "
             f"mean {report.mean:g}/100 ({rating(report.mean)})", ""]
    for row in report.rows:
        score = row.score
        dims = " ".join(f"{_SHORT[d]}{score.dimensions()[d][0]:g}" for d in DIMENSIONS)
        lines.append(f"{score.total:5.1f}  {score.rating:<10} {row.identifier}  [{dims}]")
        lines += [f"        - {reason}" for reason in score.reasons()[:3]]
    lines += ["", "Conducting agencies (mean over the surveys they conduct):"]
    lines += [f"{a.mean:5.1f}  {a.name} ({a.country}, {plural(len(a.scores), 'survey')})" for a in report.agencies]
    for problem in report.problems:
        lines.append(f"skipped: {problem}")
    return "\n".join(lines) + "\n"


def render_csv(report: QualityReport, by: str = "record") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if by == "agency":
        writer.writerow(["agency", "name", "kind", "country", "surveys", "score", *DIMENSIONS])
        for a in report.agencies:
            writer.writerow([a.agency, a.name, a.kind, a.country, len(a.scores), f"{a.mean:g}",
                             *_dims(a.dimension(d) for d in DIMENSIONS)])
        return out.getvalue()
    writer.writerow(["record", "identifier", "source", "kind", "rounds", "score", "rating", *DIMENSIONS,
                     *[c.key for c in CRITERIA], "to improve"])
    for row in report.rows:
        s = row.score
        writer.writerow([s.subject, row.identifier, row.source, s.kind, s.rounds or "", f"{s.total:g}", s.rating,
                         *_dims(s.dimensions()[d][0] for d in DIMENSIONS),
                         *[f"{round(p.points, 2):g}" for p in s.parts], "; ".join(s.reasons())])
    return out.getvalue()


def to_json(report: QualityReport) -> dict[str, Any]:
    return {
        "schema": JSON_SCHEMA,
        "as_of": report.as_of.isoformat(),
        "criteria": [{"criterion": c.key, "dimension": c.dimension, "weight": c.weight, "label": c.label}
                     for c in CRITERIA],
        "catalogue": {"surveys": len(report.surveys), "series": len(report.rows) - len(report.surveys),
                      "score": report.mean, "rating": rating(report.mean),
                      "dimensions": {d: report.dimension(d) for d in DIMENSIONS}},
        "agencies": [{"agency": a.agency, "name": a.name, "kind": a.kind, "country": a.country,
                      "surveys": [s.subject for s in a.scores], "score": a.mean,
                      "dimensions": {d: a.dimension(d) for d in DIMENSIONS}} for a in report.agencies],
        "records": [{**row.score.to_json(), "identifier": row.identifier, "title": row.title, "source": row.source}
                    for row in report.rows],
        "problems": report.problems,
    }


def render_json(report: QualityReport) -> str:
    return json_text(to_json(report)) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "csv": render_csv, "json": render_json}

__all__ = ["JSON_SCHEMA", "RENDERERS", "AgencyRow", "QualityReport", "RecordRow", "build_quality", "render_csv",
           "render_json", "render_markdown", "render_text", "to_json"]
