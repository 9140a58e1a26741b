"""A time frame without an end is ongoing only when the survey's status says it goes on (or
there is no status); a completed survey's missing end is not given, never "to this day"."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from migrmeta import namespaces as ns
from migrmeta.namespaces import DCAT, DCT, MM, SURVEY_STATUS
from migrmeta.values.periods import TimeFrame, time_frame

SURVEY = URIRef("https://w3id.org/migrmeta/survey/t")


def _graph(start: str | None, end: str | None = None, status: URIRef | None = None) -> Graph:
    graph = Graph()
    period = BNode()
    graph.add((SURVEY, DCT.temporal, period))
    if start is not None:
        graph.add((period, DCAT.startDate, Literal(start, datatype=ns.XSD.gYearMonth)))
    if end is not None:
        graph.add((period, DCAT.endDate, Literal(end, datatype=ns.XSD.gYearMonth)))
    if status is not None:
        graph.add((SURVEY, MM.status, status))
    return graph


@pytest.mark.parametrize("status", [SURVEY_STATUS.ongoing, SURVEY_STATUS.planned, None])
def test_no_end_is_ongoing_when_the_survey_goes_on_or_says_nothing(status: URIRef | None) -> None:
    frame = time_frame(_graph("2013-04", status=status).value, SURVEY)
    assert frame == TimeFrame("2013-04", None, ongoing=True)
    assert not frame.end_unknown
    assert frame.years == (2013, None)  # runs on
    assert frame.iso() == "2013-04/.."


@pytest.mark.parametrize("status", [SURVEY_STATUS.completed, URIRef("https://example.org/status/stopped")])
def test_no_end_of_a_completed_survey_is_not_given(status: URIRef) -> None:
    frame = time_frame(_graph("1993-09", status=status).value, SURVEY)
    assert frame == TimeFrame("1993-09", None, ongoing=False)
    assert frame.end_unknown
    assert frame.years == (1993, 1993)  # its start year only, not every year to now
    assert frame.iso() == "1993-09"  # the start alone, not 1993-09/..


def test_an_end_given_is_the_end_whatever_the_status() -> None:
    for status in (SURVEY_STATUS.completed, SURVEY_STATUS.ongoing, None):
        frame = time_frame(_graph("2006-11", "2007-02", status).value, SURVEY)
        assert frame == TimeFrame("2006-11", "2007-02") and frame.years == (2006, 2007)
        assert frame.iso() == "2006-11/2007-02"
    assert time_frame(_graph("2019-10", "2019-10").value, SURVEY).iso() == "2019-10"  # type: ignore[union-attr]


def test_no_time_frame_or_no_start() -> None:
    assert time_frame(Graph().value, SURVEY) is None
    assert time_frame(_graph(None, "2010-01").value, SURVEY) is None
