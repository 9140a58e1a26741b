"""A survey's time frame (item 4) as every output tells it: its start, its end, and what a
missing end means. Read here once for the pages, the timeline, the year filter, schema.org and
the inventory.

    frame = time_frame(graph.value, survey)       # or SiteData.first: any (subject, predicate) -> value
    frame.start, frame.end                        # as written: 2006, 2013-11, 2019-10-01 (end: None)
    frame.ongoing                                 # no end because the survey goes on
    frame.end_unknown                             # no end, and the survey does not go on
    frame.years                                   # (1993, 1993) for an unknown end; (2013, None) ongoing
    frame.iso()                                   # 2008/2010, 2013/.., 1993-09
    frame.written(" – ", "(ongoing)", " (end not given)")   # as a page or a report writes it

A time frame without an end is ongoing only when the survey says so (`mm:status` ongoing or
planned) or says nothing (no status: as before, an open end runs on). A completed survey, or
one of any other status, with no end has an end that is not given: it is told as its start
alone, and counts in its start year only, never as running to this day (rule 32 warns about
it: an unknown end is left out rather than guessed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

from migrmeta.namespaces import DCAT, DCT, MM, SURVEY_STATUS

# The statuses under which a time frame without an end runs on.
GOING_ON = frozenset({SURVEY_STATUS.ongoing, SURVEY_STATUS.planned})

# each looked up once (rdflib's namespace lookups are slow in loops over 10,000 surveys)
_TEMPORAL, _START, _END, _STATUS = DCT.temporal, DCAT.startDate, DCAT.endDate, MM.status

# subject, predicate -> the first value (None: none); Graph.value and SiteData.first are such
Lookup = Callable[[Node, URIRef], "Node | None"]


@dataclass(frozen=True)
class TimeFrame:
    """A start, an end (None: none written) and whether a missing end means ongoing."""

    start: str
    end: str | None
    ongoing: bool = False

    @property
    def end_unknown(self) -> bool:
        """No end, and the survey is not going on: the end is not given, not "now"."""
        return self.end is None and not self.ongoing

    @property
    def years(self) -> tuple[int | None, int | None]:
        """The first and last year it covers: an ongoing one's last is None (it runs on); one
        whose end is not given covers its start year only."""
        first = _year(self.start)
        if self.end is not None:
            return first, _year(self.end)
        return first, None if self.ongoing else first

    def written(self, between: str, running: str, unknown: str = "") -> str:
        """The frame as text: `start{between}end`, the start alone for one date, `start{between}
        {running}` ongoing, `start{unknown}` when the end is not given."""
        if self.end is None:
            return f"{self.start}{between}{running}" if self.ongoing else f"{self.start}{unknown}"
        return self.start if self.start == self.end else f"{self.start}{between}{self.end}"

    def iso(self) -> str:
        """ISO 8601: `2008/2010`, `2013/..` (ongoing), `2019` (one date, or an end not given)."""
        return self.written("/", "..")


def time_frame(first: Lookup, survey: Node) -> TimeFrame | None:
    """The survey's `dct:temporal` (its first) with its `mm:status`; None without a start."""
    period = first(survey, _TEMPORAL)
    if period is None:
        return None
    start = first(period, _START)
    if start is None:
        return None
    end = first(period, _END)
    if end is not None:
        return TimeFrame(str(start), str(end))
    status = first(survey, _STATUS)
    return TimeFrame(str(start), None, ongoing=status is None or status in GOING_ON)


def _year(text: str) -> int | None:
    head = text.lstrip("-")[:4]
    return int(head) if head.isdigit() else None


__all__ = ["GOING_ON", "TimeFrame", "time_frame"]
