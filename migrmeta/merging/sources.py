"""Contributions read from files: which agency gave which statements, when, in which graph.

    contributions, errors = contributions_from([Source("records/"), parse_source("psa/sof.ttl=psa")])

Each input file is one contribution: its statements (blank nodes skolemized), its contributing
agency (`PATH=AGENCY`, else the `agency` argument, else the record's `dct:publisher`, its
first `dct:creator`, else `default_agency`), its `dct:modified` (from the record, else `date`,
else the record's `mm:checkedOn`, else the newest date among the inputs: never the clock), and
its named graph
`https://w3id.org/migrmeta/graph/<agency>/<file name>`.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib.term import Node

from migrmeta.errors import InputError, UsageError
from migrmeta.load import STDIN, STDIN_NAME, LineIndex, Verdict, expand_paths, format_for, parse_bytes, read_raw
from migrmeta.merging.parsed import Parsed
from migrmeta.namespaces import AGENCY, BASE, DCT, IS_TYPE, MM, PREFIXES, SURVEY_CLASSES, XSD, IriSpace
from migrmeta.rdf.skolem import GENID_BYTES, deskolemize, encode, skolemize
from migrmeta.rdf.syntaxes import SYNTAXES
from migrmeta.rdf.terms import Converter
from migrmeta.values.dates import newest_day

Triple = tuple[Node, Node, Node]
_DATASETS = frozenset(s.name for s in SYNTAXES if s.datasets)
GRAPH = IriSpace(f"{BASE}graph/")
PROFILE_GRAPH = GRAPH["dcat-ap"]  # the DCAT-AP profile's additions in a published catalog.trig
ASIDE_SUFFIXES = ("/superseded", "/replaced")  # companion graphs of statements that lost a merge or were mapped


@dataclass(frozen=True)
class Source:
    """One input as given on the command line: `PATH` or `PATH=AGENCY`."""

    path: str
    agency: URIRef | None = None


def agency_iri(text: str) -> URIRef:
    """`psa`, `agency:psa` or a full IRI -> the agency's IRI."""
    text = text.strip()
    prefix, _, local = text.partition(":")
    if local and not local.startswith("//") and prefix in PREFIXES:
        return URIRef(f"{PREFIXES[prefix]}{local}")
    if "://" in text or text.startswith("urn:"):
        return URIRef(text)
    if not text or any(c in text for c in " <>\"{}|\\^`/"):
        raise UsageError(f"{text!r} is not an agency: give an id such as psa, agency:psa or an IRI")
    return AGENCY[text]


def parse_source(spec: str) -> Source:
    """`records/x.ttl=psa` -> Source(path, agency); a path holding `=` and existing is kept whole."""
    path, sep, agency = spec.rpartition("=")
    if not sep or not path or Path(spec).exists():
        return Source(spec)
    return Source(path, agency_iri(agency))


@dataclass
class Contribution:
    source: str
    name: str
    sha256: str
    agency: URIRef
    graph: URIRef
    modified: Literal | None
    triples: set[Triple]
    superseded: set[Triple] = field(default_factory=set)
    replaced_by: set[URIRef] = field(default_factory=set)

    @property
    def label(self) -> str:
        return f"{self.source} ({short_agency(self.agency)})"

    def line_of(self, subject: Node, predicate: Node, value: str) -> int | None:
        """The line of the file where `subject` is given `predicate` (`value`, as written, narrows it
        down), for a report: best effort. The file is read again only here (a merge keeps no
        lines, and a report names few statements); standard input, or a file changed since it was
        merged, has none."""
        try:
            data = read_raw(self.source)[1] if self.source != STDIN_NAME else b""
        except InputError:
            data = b""
        if hashlib.sha256(data).hexdigest() != self.sha256:
            return None
        return LineIndex(data, self.source).line_of(subject, str(predicate), value)


def superseded_graph(contribution: Contribution) -> URIRef:
    return URIRef(f"{contribution.graph}/superseded")


def short_agency(iri: Node) -> str:
    text = str(iri)
    return text[len(str(AGENCY)):] if text.startswith(str(AGENCY)) else text


class _Reader:
    """Inputs -> (source, SHA-256 of the bytes, skolemized statements) through the one reader,
    with one rdflib object per distinct term across all inputs (a large catalogue shares its
    IRIs and literals); from the store of records read before (parsed.py) when it has the
    bytes, without opening the file when the validation before gave their SHA-256."""

    def __init__(self, parsed: Parsed | None, validated: Mapping[str, str],
                 carried: Mapping[str, tuple[str, list[Triple]]]) -> None:
        self.convert = Converter().triple
        self.parsed, self.validated, self.carried = parsed, validated, carried

    def read(self, name: str) -> tuple[str, str, list[Triple]] | InputError:
        if name in self.carried:  # its last published version, in its place (publishing/carried.py)
            sha256, statements = self.carried[name]
            return name, sha256, statements
        try:
            known = self.validated.get(name) if name != STDIN else None
            if known is not None and self.parsed is not None:
                kept = self.parsed.get(known, format_for(name))
                if kept is not None:
                    return name, known, kept
            source, data, syntax = read_raw(name)
            sha256 = hashlib.sha256(data).hexdigest()
            if known is not None and sha256 != known:
                return InputError(source, "changed after it was validated, while this publish ran",
                                  hint="publish again: the file is validated as it is now")
            if known is None and self.parsed is not None:  # no SHA-256 given: looked up by the one read
                kept = self.parsed.get(sha256, syntax)
                if kept is not None:
                    return source, sha256, kept
            record = parse_bytes(data, source, syntax)
        except InputError as exc:
            return exc
        convert = self.convert
        read = [convert(quad) for quad in record.quads]
        # a published file sent back: the nested nodes it describes named by their content again
        # (one it only points at is another file's; a merge's dataset, .trig or .nq, keeps its IRIs)
        if GENID_BYTES in data and syntax not in _DATASETS:
            read = deskolemize(read, described_only=True)
        triples = skolemize(read)
        if self.parsed is not None:
            self.parsed.put(sha256, syntax, triples)
        return record.source, sha256, triples


def values_of(triples: Iterable[Triple], subjects: Iterable[Node], predicate: Node) -> list[Node]:
    wanted, predicates = set(subjects), {predicate}  # a set, as namespaces.IS_TYPE
    return sorted((o for s, p, o in triples if p in predicates and s in wanted), key=encode)


def _record_agency(triples: set[Triple]) -> URIRef | None:
    surveys = {s for s, p, o in triples if p in IS_TYPE and o in SURVEY_CLASSES}
    for predicate in (DCT.publisher, DCT.creator):
        found = [o for o in values_of(triples, surveys, predicate) if isinstance(o, URIRef)]
        if found:
            return found[0]
    return None


def _record_date(triples: set[Triple], prop: URIRef = DCT.modified) -> Literal | None:
    return newest_day(o for _, p, o in triples if p == prop)


def contributions_from(
    sources: Sequence[Source], *, agency: URIRef | None = None, default_agency: URIRef | None = None,
    date: str | None = None, parsed: Parsed | None = None, validated: Mapping[str, str] | None = None,
    notices: list[Verdict] | None = None, carried: Mapping[str, tuple[str, list[Triple]]] | None = None,
) -> tuple[list[Contribution], list[InputError]]:
    """Read and skolemize each input; decide its agency, date and graph name. `parsed` keeps
    the statements read (parsed.py); `validated` gives, by file name, the SHA-256 of the bytes
    validated: a file that no longer has them is an error, not merged unchecked. With
    `notices`, a merge's output in a folder beside its sources is left out, and said
    (load/merged.py). `carried`: by file name, (SHA-256, statements) read in the file's place
    (publish: a record left out, as last published)."""
    contributions: list[Contribution] = []
    errors: list[InputError] = []
    reader = _Reader(parsed, validated or {}, carried or {})
    for spec in sources:
        for name in expand_paths([spec.path], notices):
            if isinstance(name, InputError):
                errors.append(name)
                continue
            read = reader.read(name)
            if isinstance(read, InputError):
                errors.append(read)
                continue
            source, sha256, statements = read
            triples = set(statements)
            who = spec.agency or agency or _record_agency(triples) or default_agency
            if who is None:
                errors.append(InputError(source, "cannot tell which agency contributed this file",
                                         hint=f"give {source}=AGENCY, or {{--agency AGENCY|agency=AGENCY}}"))
                continue
            contributions.append(Contribution(
                source=source, name=Path(source).name, sha256=sha256, agency=who,
                graph=URIRef(""), modified=_record_date(triples), triples=triples,
            ))
    if date:  # --date: for the records that carry no dct:modified
        for c in contributions:
            c.modified = c.modified or Literal(date, datatype=XSD.date)
    for c in contributions:  # else the day the record's facts were checked (a form's, a sheet's)
        c.modified = c.modified or _record_date(c.triples, MM.checkedOn)
    fallback = newest_day(c.modified for c in contributions)
    for c in contributions:
        if c.modified is None:
            c.modified = fallback
    _name_graphs(contributions)
    return contributions, errors


def _name_graphs(contributions: list[Contribution]) -> None:
    """`graph/<agency>/<file name>`; a clash (same agency and name) adds the content hash."""
    def key(c: Contribution, suffix: str = "") -> URIRef:
        agency = short_agency(c.agency)
        if agency == str(c.agency):
            agency = hashlib.sha256(agency.encode()).hexdigest()[:12]
        return GRAPH[f"{quote(agency, safe='')}/{quote(c.name + suffix, safe='')}"]

    counts: dict[URIRef, int] = defaultdict(int)
    for c in contributions:
        counts[key(c)] += 1
    for c in contributions:
        c.graph = key(c) if counts[key(c)] == 1 else key(c, f"-{c.sha256[:8]}")


# --- merging ---------------------------------------------------------------------------------



__all__ = ["GRAPH", "SURVEY_CLASSES", "Contribution", "Source", "Triple", "agency_iri", "contributions_from",
           "parse_source", "short_agency", "superseded_graph", "values_of"]
