"""What checking a record gives, as plain data: cached by content, language-free, engine-free.

Both engines (the compiled SPARQL engine and pySHACL in batches) produce these; findings,
rendering, the cache and the checks across records read them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from migrmeta.errors import InputError

SEVERITY_NAMES = {
    "http://www.w3.org/ns/shacl#Violation": "violation",
    "http://www.w3.org/ns/shacl#Warning": "warning",
    "http://www.w3.org/ns/shacl#Info": "info",
}


# What a result says is missing: its path is not written on its focus node (no line to point at there)
MISSING_COMPONENTS = frozenset({"MinCountConstraintComponent", "QualifiedMinCountConstraintComponent"})


@dataclass(frozen=True)
class Term:
    """An RDF term as plain data."""

    kind: str  # iri | literal | bnode
    value: str
    lang: str | None = None
    datatype: str | None = None

    @classmethod
    def of(cls, node: Node) -> Term:
        if isinstance(node, URIRef):
            return cls("iri", str(node))
        if isinstance(node, Literal):
            return cls("literal", str(node), node.language, str(node.datatype) if node.datatype else None)
        return cls("bnode", str(node))


@dataclass(frozen=True)
class RawResult:
    focus: Term
    severity: str
    shape: str | None
    component: str
    path: str | None
    value: Term | None
    line: int | None
    # (language, text) of the result's message, sorted, when the shapes' tables cannot word it
    # (not in texts.ShapeTexts.worded: a blank-node shape, or one without sh:message): the shape's SPARQL
    # constraint's message, or pySHACL's generic text ("Value does not have class dcat:Distribution")
    messages: tuple[tuple[str | None, str], ...] = ()
    # a result in another's sh:detail (a value's failure under sh:node): said with its parent, whose
    # severity it takes, never a finding of its own while the parent is reported
    detail: bool = False

    @classmethod
    def words_of(cls, messages: Iterable[Node]) -> tuple[tuple[str | None, str], ...]:
        """A result's sh:resultMessage values as `messages` holds them."""
        return tuple(sorted({(m.language, str(m)) for m in messages if isinstance(m, Literal)},
                            key=lambda m: (m[0] or "", m[1])))


@dataclass
class Summary:
    """What the checks across records need to know of one record."""

    surveys: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    agency_links: list[tuple[str, str, str]] = field(default_factory=list)  # subject, property, agency
    identifiers: list[tuple[str, str]] = field(default_factory=list)  # subject, identifier
    hosts: list[tuple[str, str]] = field(default_factory=list)  # survey, host
    titled: list[str] = field(default_factory=list)
    keys: list[tuple[str, str, str, str]] = field(default_factory=list)  # survey, title, creator, start
    rounds: list[tuple[str, str]] = field(default_factory=list)  # survey, the series it is a round of
    same_as: list[tuple[str, str]] = field(default_factory=list)  # IRI, IRI: owl:sameAs between two IRIs
    catalogs: list[str] = field(default_factory=list)  # dcat:Catalog: a catalogue's dump, not a contribution
    # what each agency of `agencies` says of itself, to tell one described under two ids: agency,
    # "name" | "acronym" | "homepage" | "country" (foaf:name, skos:altLabel, foaf:homepage, mm:basedIn), value, language
    agency_details: list[tuple[str, str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class LeftToPyshacl:
    """A record the SPARQL engine leaves to pySHACL: why, and the item to check."""

    reason: str
    item: Item


@dataclass
class Outcome:
    """The result of checking one record: cached by content."""

    source: str
    sha256: str
    results: list[RawResult] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)
    error: dict[str, Any] | None = None
    # the SPARQL engine left the record to pySHACL (compiled.store_rewrites); not cached: the
    # outcome that replaces it is pySHACL's
    left_to_pyshacl: LeftToPyshacl | None = None
    # read by the checks across records and never reported on (the agencies known besides the
    # inputs); not cached
    context: bool = False

    def to_json(self) -> dict[str, Any]:
        """The cache's payload (what `dataclasses.asdict` gives, written out: asdict copies
        every value deeply, ten times slower on 10,000 records)."""
        summary = self.summary
        return {
            "sha256": self.sha256,
            "results": [{"focus": _term(r.focus), "severity": r.severity, "shape": r.shape, "component": r.component,
                         "path": r.path, "value": _term(r.value) if r.value is not None else None, "line": r.line,
                         **({"messages": [list(m) for m in r.messages]} if r.messages else {}),
                         **({"detail": True} if r.detail else {})}
                        for r in self.results],
            "summary": {name: list(getattr(summary, name)) for name in _SUMMARY_FIELDS},
            "error": dict(self.error) if self.error is not None else None,
        }

    @classmethod
    def from_json(cls, source: str, data: dict[str, Any]) -> Outcome:
        results = [
            RawResult(
                focus=Term(**r["focus"]),
                severity=r["severity"],
                shape=r["shape"],
                component=r["component"],
                path=r["path"],
                value=Term(**r["value"]) if r["value"] else None,
                line=r["line"],
                messages=tuple((lang, text) for lang, text in r.get("messages", ())),
                detail=r.get("detail", False),
            )
            for r in data["results"]
        ]
        fields: dict[str, Any] = {
            k: [tuple(x) if isinstance(x, list) else x for x in v] for k, v in data["summary"].items()
        }
        summary = Summary(**fields)
        return cls(source, data["sha256"], results, summary, data.get("error"))


def _term(term: Term) -> dict[str, Any]:
    return {"kind": term.kind, "value": term.value, "lang": term.lang, "datatype": term.datatype}


_SUMMARY_FIELDS = [f.name for f in fields(Summary)]


Item = tuple[str, bytes | None, str]  # source, bytes (None: the file could not be read again), syntax


def gone(source: str) -> InputError:
    """A file read and hashed, then not readable when it was to be checked."""
    return InputError(source, "could not be read again (removed or changed during the run)",
                      hint="run migrmeta validate again")


def error_dict(exc: InputError) -> dict[str, Any]:
    """An unreadable record, as its Outcome keeps it."""
    return {
        "source": exc.location.source,
        "line": exc.location.line,
        "column": exc.location.column,
        "message": exc.problem,
        "hint": exc.hint,
    }


def comparable(raw: RawResult) -> tuple[str, str, str, str, str, str]:
    """A result with blank nodes blanked out: for comparing runs over different graphs."""
    value = "_:" if raw.value is None or raw.value.kind == "bnode" else raw.value.value
    focus = "_:" if raw.focus.kind == "bnode" else raw.focus.value
    return (focus, raw.severity, raw.shape or "", raw.path or "", raw.component, value)


__all__ = ["SEVERITY_NAMES", "Item", "Outcome", "RawResult", "Summary", "Term", "comparable", "error_dict", "gone"]
