"""The published statements, read once, as what the pages need: each subject's values by
predicate, the surveys and series with their file names, rounds and series, and text in the
reader's language.

    site = SiteData.build(by_subject, surveys, names, catalog)   # the statements grouped by subject
    site.values(survey, DCT.title)            # sorted objects
    site.text(survey, DCT.title, "fr")        # Text("Enquête ...", "fr") or None

One pass over the triples builds a dictionary per subject; every page, the search index, the
map and the timeline read from it (no graph queries while writing pages).

What a page reads can be recorded (`with site.reading() as reads:`): each subject whose values
it read, each file name and each series' rounds it asked for. The publish keeps them, so the
next one knows whether a survey's page can be taken over unchanged (publishing/reuse.py); for
that, pages read the site only through these methods.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from rdflib import URIRef
from rdflib.term import Node

from migrmeta.formats.dcat.profile import record_iri
from migrmeta.io.names import name_in
from migrmeta.namespaces import AGENCY, AGENCY_CLASSES, DCAT, DCT, FOAF, MM, RDF
from migrmeta.rdf.skolem import BLANK, LITERAL, kind_of
from migrmeta.values.periods import TimeFrame, time_frame
from migrmeta.values.text import Text, collation_key, pick, pick_all, text_sort_key

# rdflib namespace lookups are slow in loops: each term looked up once
_DCAT_inSeries = DCAT.inSeries
_DCT_modified = DCT.modified
_DCT_title = DCT.title
_FOAF_name = FOAF.name
_MM_SurveySeries = MM.SurveySeries


Triple = tuple[Node, Node, Node]
# What a page read: (SUBJECT, iri) all its values, (VALUES, "iri predicate") those of one
# predicate, (NAME, iri) its file name, (ROUNDS, iri) a series' rounds; blank nodes as N3
# (_:b0), which never match in another run.
Read = tuple[str, str]
_Raw = tuple[str, Node, object]  # a read as it happens: (kind, node, predicate or None)
SUBJECT, VALUES, NAME, ROUNDS = "s", "v", "n", "r"
_Subject = TypeVar("_Subject", bound=Node)
_TYPE = str(RDF.type)
_IN_SERIES = str(DCAT.inSeries)


@dataclass
class SiteData:
    """Values by subject and predicate, and the catalogue's shape (surveys, series, rounds)."""

    props: dict[Node, dict[str, list[Node]]]
    surveys: list[URIRef]  # surveys and series, in the profile's order
    names: dict[Node, str]  # survey or series -> its file name (surveys/<name>.*)
    catalog: Node
    rounds: dict[Node, list[URIRef]] = field(default_factory=dict)  # series -> its rounds, by title
    agency_codes: dict[str, Node] = field(default_factory=dict)  # facet code -> agency (facets.record_facts)
    # language -> IRI -> its HTML and what was read to make it (survey.py)
    html_cache: dict[str, dict[Node, tuple[str, frozenset[Read]]]] = field(default_factory=dict)
    _reading: list[set[_Raw]] = field(default_factory=list)  # the reads being recorded, innermost last
    _noted: list[set[Read]] = field(default_factory=list)  # and those noted (`note`), by recording
    _read_as: dict[_Raw, Read] = field(default_factory=dict)  # each read named once a recording

    @classmethod
    def build(cls, by_subject: Mapping[Node, Sequence[Triple]], surveys: Sequence[Node], names: Mapping[Node, str],
              catalog: Node) -> SiteData:
        """From the published statements grouped by subject (`by_subject`, as the publish groups
        them for the survey files: grouped here again, the subjects were hashed once more for
        each of 360,000 statements at 10,000 records, 0.3 s)."""
        texts: dict[Node, str] = {}  # each predicate's IRI made text once, not once a statement
        props: dict[Node, dict[str, list[Node]]] = {}
        for subject, statements in by_subject.items():
            by_p: dict[str, list[Node]] = {}
            for _, p, o in statements:
                text = texts.get(p)
                if text is None:
                    text = texts[p] = str(p)
                found = by_p.get(text)
                if found is None:
                    by_p[text] = [o]
                else:
                    found.append(o)
            props[subject] = {p: v if len(v) == 1 else sorted(v, key=text_sort_key) for p, v in by_p.items()}
        data = cls(props, [s for s in surveys if isinstance(s, URIRef)], dict(names), catalog)
        rounds: dict[Node, list[URIRef]] = defaultdict(list)
        for survey in data.surveys:
            for series in data.values(survey, _DCAT_inSeries):
                if series in data.names:
                    rounds[series].append(survey)
        data.rounds = {s: data.in_title_order(r) for s, r in rounds.items()}
        return data

    # --- values ------------------------------------------------------------------------------

    def values(self, subject: Node, predicate: object) -> list[Node]:
        if self._reading:
            self._reading[-1].add((VALUES, subject, predicate))
        return self.props.get(subject, {}).get(str(predicate), [])

    def props_of(self, subject: Node) -> dict[str, list[Node]]:
        """Every value of the subject, by predicate."""
        if self._reading:
            self._reading[-1].add((SUBJECT, subject, None))
        return self.props.get(subject, {})

    def name_of(self, node: Node) -> str | None:
        """The file name of a survey or series (None: not one)."""
        if self._reading:
            self._reading[-1].add((NAME, node, None))
        return self.names.get(node)

    def rounds_of(self, series: Node, lang: str = "en") -> list[URIRef]:
        """A series' rounds by their titles in `lang` (`in_title_order`)."""
        if self._reading:
            self._reading[-1].add((ROUNDS, series, None))
        return self.in_title_order(self.rounds.get(series, []), lang)

    # --- what was read -----------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[set[Read]]:
        """Record what is read inside (the set is filled when the block ends); an enclosing
        recording gets it too."""
        raw: set[_Raw] = set()
        noted: set[Read] = set()
        self._reading.append(raw)
        self._noted.append(noted)
        reads: set[Read] = set()
        try:
            yield reads
        finally:
            self._reading.pop()
            self._noted.pop()
            if self._reading:
                self._reading[-1] |= raw
                self._noted[-1] |= noted
            reads |= self._named(raw)
            reads |= noted
            if not self._reading:  # a survey's pages done: its reads do not come back (kept, the memo
                self._read_as.clear()  # would grow with the catalogue)

    def note(self, reads: Iterable[Read]) -> None:
        """Count as read (what a cached piece of HTML was made from)."""
        if self._noted:
            self._noted[-1].update(reads)

    def _named(self, raw: set[_Raw]) -> set[Read]:
        """The reads as the manifest names them. Each read is noted as it happens as a tuple of
        the node itself, and named once when the recording ends: a survey's three pages read
        some 170 times, 50 different things (recording cost 0.11 ms of the three pages' 0.59 ms
        when each read was named as it happened; 0.03-0.04 ms less now)."""
        named: set[Read] = set()
        memo = self._read_as
        for entry in raw:
            read = memo.get(entry)
            if read is None:
                kind, node, predicate = entry
                if kind_of(node) is LITERAL:  # not isinstance: rdflib's terms are ABCs (rdf/skolem.kind_of)
                    continue  # never a subject: nothing to depend on
                name = node_key(node)
                read = memo[entry] = (kind, name if predicate is None else f"{name} {predicate}")
            named.add(read)
        return named

    def first(self, subject: Node, predicate: object) -> Node | None:
        found = self.values(subject, predicate)
        return found[0] if found else None

    def text(self, subject: Node, predicate: object, lang: str) -> Text | None:
        return pick(self.values(subject, predicate), lang)

    def texts(self, subject: Node, predicate: object, lang: str) -> list[Text]:
        """Every text of the predicate: those in `lang` when there are any, else English and
        untagged, else all of them (`pick_all`)."""
        return pick_all(self.values(subject, predicate), lang)

    def is_series(self, subject: Node) -> bool:
        return _MM_SurveySeries in self.values(subject, _TYPE)

    def series_of(self, subject: Node) -> list[Node]:
        return [s for s in self.values(subject, _IN_SERIES) if self.name_of(s) is not None]

    def title(self, subject: Node, lang: str) -> Text:
        return self.text(subject, _DCT_title, lang) or Text(self.name_of(subject) or str(subject), None)

    def modified(self, subject: Node) -> Node | None:
        """When the description of a survey or series last changed: its dct:modified, else its
        catalogue record's (as written: a date or a date and time)."""
        return self.first(subject, _DCT_modified) or self.first(record_iri(subject), _DCT_modified)

    def title_key(self, subject: Node, lang: str = "en") -> tuple[str, str]:
        """How the title shown in `lang` sorts (`collation_key`)."""
        return collation_key(self.title(subject, lang).value)

    def agency_name(self, agency: Node, lang: str) -> Text:
        """foaf:name in the language, else English, else the IRI's last part."""
        found = self.text(agency, _FOAF_name, lang)
        return found or Text(str(agency).rstrip("/").rsplit("/", 1)[-1], None)

    def described_agencies(self) -> list[Node]:
        """Every agency the catalogue describes (typed as one), with a page of its own or not, in
        IRI order."""
        return sorted((s for s, props in self.props.items() if any(t in AGENCY_CLASSES for t in props.get(_TYPE, ()))),
                      key=str)

    def agencies(self) -> dict[str, Node]:
        """The agencies given a page and data documents (`agency_file_name`), by that name, in
        name order."""
        found = {name: subject for subject in self.described_agencies()
                 if (name := self.agency_file_name(subject)) is not None}
        return dict(sorted(found.items()))

    def agency_file_name(self, agency: Node) -> str | None:
        """The name of the agency's page and data documents (`<lang>/agencies/<name>.html`,
        `agencies/<name>.ttl`) when publish gives it them, else None (`agency_file_name`)."""
        return agency_file_name(agency, self.values(agency, _TYPE))

    def time_frame(self, subject: Node) -> TimeFrame | None:
        """The time frame as written (2006, 2013-11, 2019-10-01), and whether a missing end
        means ongoing (the survey's status: migrmeta/values/periods.py)."""
        return time_frame(self.first, subject)

    def years(self, subject: Node) -> tuple[int | None, int | None]:
        """The first and last year of the time frame (ongoing: the last is None; an end not
        given: the start year)."""
        frame = self.time_frame(subject)
        return frame.years if frame is not None else (None, None)

    def ordered(self, lang: str = "en") -> list[URIRef]:
        """Surveys and series by their titles in `lang` (`in_title_order`)."""
        return self.in_title_order(self.surveys, lang)

    def in_title_order(self, subjects: Iterable[_Subject], lang: str = "en") -> list[_Subject]:
        """By the title a reader of `lang` is shown (case- and accent-insensitive), then IRI:
        every list of surveys on a page in that language."""
        return sorted(subjects, key=lambda s: (self.title_key(s, lang), str(s)))


def agency_file_name(agency: Node, types: Iterable[Node]) -> str | None:
    """The name of an agency's page and data documents: an IRI of migrmeta's agency namespace,
    agency/<name>, whose name can name a file (io/names), typed as an agency (`types`: its
    rdf:type values); else None: another IRI is its owner's to answer, and an IRI no statement
    types as an agency is no agency of the catalogue. The one rule of which agencies get them."""
    name = name_in(str(AGENCY), str(agency)) if isinstance(agency, URIRef) else None
    return name if name is not None and any(t in AGENCY_CLASSES for t in types) else None


def node_key(node: Node) -> str:
    """How a read names a node: the IRI, or N3 for a blank node (never the same in another run)."""
    return node.n3() if kind_of(node) is BLANK else str(node)


__all__ = ["NAME", "ROUNDS", "SUBJECT", "VALUES", "Read", "SiteData", "agency_file_name", "node_key"]
