"""The quality score (migrmeta.validation.quality): criteria, weights, series, the as-of date, the HTML line."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from paths import DATA, REPO
from rdflib import Graph, Literal, URIRef

from migrmeta.load import Record, read_input
from migrmeta.load.reference import Reference
from migrmeta.namespaces import DCAT, DCT, MM, SURVEY
from migrmeta.validation.findings import Finding, Severity
from migrmeta.validation.quality import CRITERIA, DIMENSIONS, MAXIMUM, Score, Scorer, score_html, score_of

COMPLETE = DATA / "shapes" / "sof-complete.ttl"
ROUND = SURVEY["ph-sof-2019"]


@pytest.fixture(scope="module")
def record() -> Record:
    return read_input(str(COMPLETE))


def scored(graph: Graph, reference: Reference, subject: URIRef = ROUND, findings: list[Finding] | None = None,
           as_of: date | None = None) -> Score:
    return Scorer(graph, findings or [], as_of=as_of, reference=reference).score(subject)


def part(score: Score, key: str) -> float:
    return next(p.points for p in score.parts if p.key == key)


def test_weights_add_up_to_100_over_six_dimensions() -> None:
    assert MAXIMUM == 100
    assert {c.dimension for c in CRITERIA} == set(DIMENSIONS)
    assert len({c.key for c in CRITERIA}) == len(CRITERIA)


def test_docs_give_every_criterion_with_its_weight() -> None:
    """docs/quality.md's table is the one the code uses: same criteria, dimensions and weights."""
    text = (REPO / "docs" / "quality.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\w+) \| ([a-z-]+) \| (\d+(?:\.\d+)?) \|", text, re.MULTILINE)
    assert [(d, k, float(w)) for d, k, w in rows] == [(c.dimension, c.key, c.weight) for c in CRITERIA]


def test_complete_record_scores_high_and_says_what_is_missing(record: Record, reference: Reference) -> None:
    score = score_of(record, ROUND, findings=[], reference=reference)
    assert score.kind == "survey"
    assert part(score, "mandatory-items") == 10
    assert part(score, "recommended-items") == 15
    assert part(score, "publisher-page") == 6  # psada.psa.gov.ph is on the PSA's site (foaf:homepage psa.gov.ph)
    assert part(score, "licence") == 0 and part(score, "access-url") == 0
    assert part(score, "contact-point") == 2  # the agency's home page stands in for a contact point
    assert score.total == (100 - 3 - 4 - 1)
    assert score.rating == "excellent"
    assert "no licence of the data (dct:license)" in score.reasons()
    assert score.dimensions()["completeness"] == (30, 30)


def test_a_missing_recommended_answer_costs_its_share(record: Record, reference: Reference) -> None:
    graph = Graph() + record.graph
    graph.remove((ROUND, MM.collectsRemittances, None))
    graph.remove((ROUND, MM.accessLevel, None))
    score = scored(graph, reference)
    recommended = next(c for c in CRITERIA if c.key == "recommended-items").weight
    assert part(score, "recommended-items") == pytest.approx(recommended * 5 / 7)
    assert part(score, "access-level") == 0
    reason = next(p.reason for p in score.parts if p.key == "recommended-items")
    assert "item 12" in reason and "mm:collectsRemittances" in reason and "item 14" in reason


def test_findings_count(record: Record, reference: Reference) -> None:
    def finding(severity: Severity, component: str, path: str = "mm:sampleFrame", source: str = "x.ttl") -> Finding:
        return Finding(severity=severity, source=source, line=1, focus=str(ROUND), item=6, item_name="",
                       field=None, path=path, value=None, message="a rule says no", hint=None,
                       component=component, check="shacl")

    rule = finding(Severity.WARNING, "SPARQLConstraintComponent")
    missing = finding(Severity.WARNING, "MinCountConstraintComponent")
    assert part(scored(record.graph, reference, findings=[missing]), "consistency") == 5
    assert part(scored(record.graph, reference, findings=[rule]), "consistency") == 2.5
    other_rule = finding(Severity.WARNING, "SPARQLConstraintComponent", path="mm:sampleSize")
    assert part(scored(record.graph, reference, findings=[rule, other_rule]), "consistency") == 0
    # one survey in two agencies' files: the finding both have counts once
    same_elsewhere = finding(Severity.WARNING, "SPARQLConstraintComponent", source="other.ttl")
    assert part(scored(record.graph, reference, findings=[rule, same_elsewhere]), "consistency") == 2.5
    violation = finding(Severity.VIOLATION, "DatatypeConstraintComponent")
    assert part(scored(record.graph, reference, findings=[violation]), "dcat-ddi") == 3


def test_age_of_the_last_check_against_the_as_of_date(record: Record, reference: Reference) -> None:
    assert part(scored(record.graph, reference, as_of=date(2027, 11, 30)), "checked") == 7
    assert part(scored(record.graph, reference, as_of=date(2028, 1, 1)), "checked") == 3.5
    assert part(scored(record.graph, reference, as_of=date(2030, 1, 1)), "checked") == 0
    default = Scorer(record.graph, [], reference=reference)
    assert default.as_of == date(2026, 11, 30)  # the newest mm:checkedOn, never the clock
    graph = Graph() + record.graph
    graph.remove((ROUND, MM.checkedOn, None))
    assert part(scored(graph, reference, as_of=date(2026, 11, 30)), "checked") == 0


def test_mirrors_news_and_text_citations(record: Record, reference: Reference) -> None:
    graph = Graph() + record.graph
    for predicate in (DCT.source, DCAT.landingPage):
        graph.remove((ROUND, predicate, None))
        graph.remove((SURVEY["ph-sof"], predicate, None))
    score = scored(graph, reference)
    assert part(score, "sources") == 3  # text citations only
    assert part(score, "publisher-page") == 0 and part(score, "no-mirror") == 0
    graph.add((ROUND, DCT.source, URIRef("https://www.scribd.com/document/1/sof")))
    graph.add((ROUND, DCT.source, URIRef("https://doi.org/10.1234/sof")))
    score = scored(graph, reference)
    assert part(score, "sources") == 5
    assert part(score, "publisher-page") == 4  # a DOI, not the publisher's page
    assert part(score, "no-mirror") == 0
    assert any("scribd.com" in r for r in score.reasons())


def test_a_round_takes_series_wide_facts_from_its_series(record: Record, reference: Reference) -> None:
    graph = Graph() + record.graph
    graph.remove((ROUND, DCAT.landingPage, None))
    graph.remove((ROUND, DCT.source, None))
    score = scored(graph, reference)
    assert part(score, "landing-page") == 6 and part(score, "sources") == 5 and part(score, "publisher-page") == 6


def test_a_series_scores_the_mean_of_its_rounds(record: Record, reference: Reference) -> None:
    graph = Graph() + record.graph
    other = SURVEY["ph-sof-2018"]
    for p, o in list(graph.predicate_objects(ROUND)):
        if p not in (MM.accessLevel, DCT.identifier, MM.collectsRemittances):
            graph.add((other, p, o))
    graph.add((other, DCT.identifier, Literal("ph-sof-2018")))
    scorer = Scorer(graph, [], reference=reference)
    rounds = [scorer.score(ROUND), scorer.score(other)]
    series = scorer.score(SURVEY["ph-sof"])
    assert series.kind == "series" and series.rounds == 2
    assert series.total == pytest.approx(sum(r.total for r in rounds) / 2, abs=0.1)
    assert "1 of 2 rounds" in next(p.reason for p in series.parts if p.key == "access-level")


def test_score_of_validates_a_record_when_no_findings_are_given(record: Record, reference: Reference) -> None:
    score = score_of(record, reference=reference)
    assert score.subject == str(SURVEY["ph-sof"])  # the record's series
    assert score.total == score_of(record, reference=reference).total  # deterministic


def test_score_html_is_one_escaped_line(record: Record, reference: Reference) -> None:
    score = score_of(record, ROUND, findings=[], reference=reference)
    html = score_html(score, lang="fr")
    assert "\n" not in html
    assert html.startswith('<p class="quality quality-excellent" data-score="92"')
    assert "Qualité des métadonnées: <strong>92</strong>/100 (excellente)" in html
    tricky = Score(score.subject, score.kind, tuple(p if p.key != "licence" else
                                                     type(p)(p.key, p.dimension, p.weight, 0, '<b>"x"</b>')
                                                     for p in score.parts), score.as_of)
    assert "<b>" not in score_html(tricky) and "&lt;b&gt;&quot;x&quot;" in score_html(tricky)


def test_unknown_closed_answers_and_bare_agencies(record: Record, reference: Reference, tmp_path: Path) -> None:
    graph = Graph() + record.graph
    graph.add((ROUND, MM.sampleType, URIRef("https://w3id.org/migrmeta/vocab/sample-type/random")))
    graph.add((ROUND, DCT.contributor, URIRef("https://w3id.org/migrmeta/agency/iom")))
    graph.add((ROUND, MM.checkedOn, Literal(date(2026, 11, 30))))
    score = scored(graph, reference)
    assert 0 < part(score, "vocabularies") < 5
    assert part(score, "agency-roles") == 2.5
    assert "agency:iom" in next(p.reason for p in score.parts if p.key == "agency-roles")
