"""The inventory and the quality report count a questionnaire item answered alike.

Both read it from `validation/items.py: answered_items` (any field of the ontology's
`mm:answeredBy`). Where the shapes ask for one field in particular, the quality report words
an item answered by another field as "answered without" it, never as "not answered".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from paths import DATA, REPO
from rdflib import Graph, Literal, URIRef

from migrmeta.namespaces import DCT, MM
from migrmeta.publishing.pages.labels import site_labels
from migrmeta.publishing.pages.quality import quality_tip
from migrmeta.reports.inventory import build_inventory
from migrmeta.reports.quality import QualityReport, build_quality
from migrmeta.validation.quality import Score

COMPLETE = DATA / "shapes" / "sof-complete.ttl"
SURVEY = "https://w3id.org/migrmeta/survey/ph-sof-2019"

# Each kind of disagreement found (records/ and bench/generate.py's catalogue): an item the
# inventory counted answered by one of its fields, that the quality report called not answered
# because the field its shapes ask for was missing; and a control, an item not answered at all.
CRAFTED: dict[str, tuple[URIRef, ...]] = {
    "frame-no-type": (MM.sampleType,),  # item 6 by a sample frame (records/au-lsia.ttl)
    "rights-no-level": (MM.accessLevel,),  # item 14 by conditions and a landing page (al-rms-2013)
    "identifier-no-title": (DCT.title,),  # item 1 by the identifier (generate.py's "title" mistake)
    "use-no-remittances": (MM.collectsRemittances,),  # item 12 by the use of remittances alone
    "no-remittances": (MM.collectsRemittances,),  # item 12 not answered at all
}
EXPECTED_ANSWERED = {"frame-no-type": 6, "rights-no-level": 14, "identifier-no-title": 1, "use-no-remittances": 12}


def _crafted(folder: Path) -> Path:
    folder.mkdir()
    for name, removed in CRAFTED.items():
        text = COMPLETE.read_text(encoding="utf-8").replace("ph-sof-2019", f"ph-sof-2019-{name}")
        graph = Graph().parse(data=text, format="turtle")
        survey = URIRef(f"{SURVEY}-{name}")
        for predicate in removed:
            graph.remove((survey, predicate, None))
        if name == "use-no-remittances":
            graph.add((survey, MM.collectsRemittanceUse, Literal(True)))
        graph.serialize(folder / f"{name}.ttl", format="turtle")
    return folder


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


def _said(score: Score) -> tuple[set[int], set[int]]:
    """The items the quality report's reasons call not answered, and answered without a field."""
    missing: set[int] = set()
    short: set[int] = set()
    for reason in score.reasons():
        for clause in reason.split("; "):
            items = {int(n) for n in re.findall(r"item (\d+)", clause)}
            if clause.startswith(("not answered:", "researcher access not given")):
                missing |= items
            elif "answered without" in clause:
                short |= items
    return missing, short


def assert_agree(folder: Path, report: QualityReport) -> dict[str, set[int]]:
    answered = {row.survey: row.answered for row in build_inventory([folder]).rows}
    scores = {row.score.subject: row.score for row in report.surveys}
    assert answered and set(answered) == set(scores)
    for survey, items in answered.items():
        score = scores[survey]
        missing, short = _said(score)
        assert not missing & items, (survey, "called not answered, yet answered", missing & items)
        assert short <= items, (survey, "called answered, yet not", short - items)
        assert set(score.answered) == items, survey  # and the report's JSON says so (Score.to_json)
    return answered


def test_both_reports_agree_on_the_catalogue(cache_dir: Path) -> None:
    answered = assert_agree(REPO / "records", build_quality([REPO / "records"], cache_dir=cache_dir))
    assert len(answered) > 100
    lsia = next(s for s in answered if s.endswith("/au-lsia-1993"))
    assert 6 in answered[lsia]  # a sample frame, no sample type: answered, as both say


def test_both_reports_agree_on_each_kind_of_disagreement(tmp_path: Path, cache_dir: Path) -> None:
    folder = _crafted(tmp_path / "crafted")
    report = build_quality([folder], cache_dir=cache_dir)
    answered = assert_agree(folder, report)
    scores = {row.score.subject.rsplit("-2019-", 1)[-1]: row.score for row in report.surveys}
    for name, item in EXPECTED_ANSWERED.items():
        survey = f"{SURVEY}-{name}"
        assert item in answered[survey], name
        missing, short = _said(scores[name])
        assert item in short and item not in missing, (name, scores[name].reasons())
    assert 12 not in answered[f"{SURVEY}-no-remittances"]
    assert 12 in _said(scores["no-remittances"])[0]


def test_a_page_words_an_item_answered_by_another_field_as_answered_in_part(tmp_path: Path,
                                                                           cache_dir: Path) -> None:
    report = build_quality([_crafted(tmp_path / "crafted")], cache_dir=cache_dir)
    scores = {row.score.subject.rsplit("-2019-", 1)[-1]: row.score for row in report.surveys}
    def tip(name: str) -> str:  # every criterion short of full marks, not the page's three
        return quality_tip(scores[name], site_labels("fr"), limit=len(scores[name].parts))

    assert "14. Accès des chercheurs : renseigné en partie" in tip("rights-no-level")
    assert "14. Accès des chercheurs : non renseigné" not in tip("rights-no-level")
    assert "12. Transferts de fonds : renseigné en partie" in tip("use-no-remittances")
    assert "12. Transferts de fonds : non renseigné" in tip("no-remittances")
