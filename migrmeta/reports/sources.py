"""The sources report: every web address each record cites, with its kind, and optionally its status.

    report = build_sources([Path("records")])              # reads files only, fetches nothing
    check_sources(report, timeout=10, delay=1.0)           # HEAD requests, polite, on request
    print(RENDERERS["text"](report))

Kinds (publisher's own page, DOI, data archive, legal text, mirror, news, other) come from
`validation/sources.py` and its host rules (`ontology/source-hosts.csv`), so a curator sees
which citations to replace: mirrors by the publisher's page, news by the publisher's release.

`check_sources` sends one HEAD request per distinct address through the one HTTP client
(`io/http.py`: timeout, size cap, no credentials in messages), hosts taken in turn and at
least `delay` seconds between two requests to the same host. It is only ever called on
request (`migrmeta report sources --check`); the tests run it against 127.0.0.1 only.
"""

from __future__ import annotations

import csv
import io
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rdflib import Graph, URIRef

from migrmeta.errors import EndpointError, InputError
from migrmeta.jsontext import json_text
from migrmeta.load import Verdict, agencies_beside, parse_bytes
from migrmeta.merging.dataset import iter_records_as_merged
from migrmeta.namespaces import DCT, MM, RDF
from migrmeta.validation.findings import display
from migrmeta.validation.outcome import Term
from migrmeta.validation.sources import KIND_NAMES, KINDS, Citation, agency_sites, citations, load_host_rules

JSON_SCHEMA = "https://w3id.org/migrmeta/sources-report/1"
REFUSED_HEAD = (405, 501)  # the server does not answer HEAD: the address is not known to be broken


@dataclass(frozen=True)
class Check:
    status: int | None  # HTTP status after redirects; None when no answer came
    url: str = ""  # where the redirects ended
    error: str = ""

    @property
    def state(self) -> str:
        if self.status is None:
            return "unreachable"
        if self.status in REFUSED_HEAD:
            return "head-refused"
        return "ok" if self.status < 400 else "broken"


@dataclass
class SourceRow:
    source: str  # the record's file
    identifier: str
    citation: Citation


@dataclass
class SourcesReport:
    rows: list[SourceRow]
    problems: list[str] = field(default_factory=list)
    checks: dict[str, Check] = field(default_factory=dict)  # address -> check, after check_sources
    notices: list[str] = field(default_factory=list)  # a merge's output beside its records, left out

    @property
    def checked(self) -> bool:
        return bool(self.checks)

    def counts(self) -> dict[str, int]:
        found = Counter(r.citation.kind for r in self.rows)
        return {kind: found[kind] for kind in KINDS}

    def failed(self) -> list[str]:
        return sorted(a for a, c in self.checks.items() if c.state in ("broken", "unreachable"))

    def only(self, kinds: Iterable[str]) -> SourcesReport:
        wanted = set(kinds)
        return SourcesReport([r for r in self.rows if r.citation.kind in wanted], self.problems,
                             {a: c for a, c in self.checks.items() if any(r.citation.address == a and
                                                                         r.citation.kind in wanted for r in self.rows)},
                             self.notices)


def read_catalogue(paths: Iterable[str | Path], notices: list[Verdict] | None = None,
                   several: list[str] | None = None) -> tuple[Graph, dict[URIRef, str], list[str]]:
    """The records of `paths` with the agencies described beside them, each subject's file, the
    problems; `notices` as for `load.expand_paths` (a merge's output beside its records left out);
    `several` gets a notice for each survey or series that several files describe (the report
    unites them; the merge would settle their differences)."""
    graph = Graph()
    sources: dict[URIRef, str] = {}
    problems: list[str] = []
    agencies: set[Path] = set()
    described: dict[URIRef, list[str]] = defaultdict(list)
    for record in iter_records_as_merged(paths, notices):  # a merged dataset as merged, not its losers too
        if isinstance(record, InputError):
            problems.append(record.cli_text())  # the reports are read by people who run the command
            continue
        graph += record.graph
        for kind in (MM.Survey, MM.SurveySeries):
            for subject in record.graph.subjects(RDF.type, kind):
                if isinstance(subject, URIRef) and record.source not in described[subject]:
                    described[subject].append(record.source)
        beside = agencies_beside(record.source) if record.source != "-" else None
        if beside is not None:
            agencies.add(beside)
        for subject in record.graph.subjects(DCT.identifier, None):
            if isinstance(subject, URIRef):
                sources.setdefault(subject, record.source)
    for path in sorted(agencies):
        if not any(s == str(path) for s in sources.values()):
            try:
                graph += parse_bytes(path.read_bytes(), str(path), "turtle").graph
            except InputError as exc:
                problems.append(exc.cli_text())
    for subject, files in described.items():
        if len(files) > 1:  # every file, whatever order they were given in
            sources[subject] = "; ".join(sorted(files))
    if several is not None:  # one notice per set of files (a series and its rounds in both: one)
        by_files: dict[tuple[str, ...], list[URIRef]] = defaultdict(list)
        for subject, files in described.items():
            if len(files) > 1:
                by_files[tuple(sorted(files))].append(subject)
        several += [_described_twice(sorted(subjects), files) for files, subjects in sorted(by_files.items())]
    return graph, sources, problems


def _described_twice(subjects: list[URIRef], files: tuple[str, ...]) -> str:
    named = ", ".join(display(Term("iri", str(s))) or str(s) for s in subjects)
    return (f"{named} {'is' if len(subjects) == 1 else 'are'} described in {len(files)} files ({', '.join(files)}): "
            "the report shows what they say together, one of two differing answers where the questionnaire asks "
            f"for one; merge them first (migrmeta merge {' '.join(files)} --prefer AGENCY -o merged.trig) and "
            "report on merged.trig")


def build_sources(paths: Iterable[str | Path]) -> SourcesReport:
    """Every address cited by each survey and series of `paths`, with its kind. Reads files only."""
    beside: list[Verdict] = []
    several: list[str] = []
    graph, sources, problems = read_catalogue(paths, beside, several)
    rules, sites = load_host_rules(), agency_sites(graph)
    subjects = set(graph.subjects(RDF.type, MM.Survey)) | set(graph.subjects(RDF.type, MM.SurveySeries))
    rows = []
    for subject in sorted(s for s in subjects if isinstance(s, URIRef)):
        identifier = str(graph.value(subject, DCT.identifier) or subject)
        rows += [SourceRow(sources.get(subject, ""), identifier, c) for c in citations(graph, subject, rules, sites)]
    rows.sort(key=lambda r: (r.source, r.identifier, r.citation.address, r.citation.predicate))
    return SourcesReport(rows, problems, notices=[*(v.notice() for v in beside), *several])


class Pacer:
    """At least `delay` seconds between two requests to one host (clock and sleep can be given)."""

    def __init__(self, delay: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.delay, self.clock, self.sleep = delay, clock, sleep
        self._last: dict[str, float] = {}

    def wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            left = self.delay - (self.clock() - last)
            if left > 0:
                self.sleep(left)
        self._last[host] = self.clock()


def polite_order(addresses: Iterable[str]) -> list[str]:
    """Distinct addresses with hosts taken in turn, so that waiting for one host is rarely needed."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for address in sorted(set(addresses)):
        by_host[_host(address)].append(address)
    order: list[str] = []
    queues = [by_host[h] for h in sorted(by_host)]
    while any(queues):
        for queue in queues:
            if queue:
                order.append(queue.pop(0))
    return order


def _host(address: str) -> str:
    return (urlsplit(address).hostname or "").lower()


def check_sources(report: SourcesReport, *, timeout: float = 10.0, delay: float = 1.0, pacer: Pacer | None = None,
                  progress: Callable[[str, Check], None] | None = None) -> SourcesReport:
    """HEAD each distinct address once (redirects followed) and keep its status in `report.checks`."""
    from migrmeta.io.http import HttpClient

    client = HttpClient(timeout=timeout, retries=0, environ={})
    pacer = pacer or Pacer(delay)
    for address in polite_order(r.citation.address for r in report.rows):
        pacer.wait(_host(address))
        try:
            answer = client.request("HEAD", address, what="report sources --check", ok=tuple(range(400, 600)))
            check = Check(answer.status, answer.url)
        except EndpointError as exc:
            check = Check(None, error=exc.detail)
        report.checks[address] = check
        if progress is not None:
            progress(address, check)
    return report


# --- rendering -------------------------------------------------------------------------------


def _status(report: SourcesReport, address: str) -> str:
    check = report.checks.get(address)
    if check is None:
        return ""
    if check.status is None:
        return f"unreachable: {check.error}"
    moved = f" -> {check.url}" if check.url and check.url.rstrip("/") != address.rstrip("/") else ""
    return f"{check.status} {check.state}{moved}"


def render_text(report: SourcesReport) -> str:
    lines: list[str] = []
    current = None
    for row in report.rows:
        if (row.source, row.identifier) != current:
            current = (row.source, row.identifier)
            lines.append(f"{row.source}  {row.identifier}")
        status = _status(report, row.citation.address)
        lines.append(f"  {row.citation.kind:<9} {row.citation.predicate:<22} {row.citation.address}"
                     + (f"  [{status}]" if status else ""))
    counts = report.counts()
    lines += ["", f"{len(report.rows)} citations: " + ", ".join(f"{n} {k}" for k, n in counts.items() if n)]
    if report.checked:
        failed = report.failed()
        lines.append(f"{len(report.checks)} addresses checked, {len(failed)} broken or unreachable")
    lines += [f"skipped: {p}" for p in report.problems]
    return "\n".join(lines) + "\n"


def render_markdown(report: SourcesReport) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "%7C") or "—"

    counts = report.counts()
    lines = ["# Sources cited by the records", "",
             "Generated by `migrmeta report sources --format markdown`. Kinds: "
             + "; ".join(f"{k} ({KIND_NAMES[k]})" for k in KINDS) + ".", "",
             "| kind | citations |", "| --- | --- |"]
    lines += [f"| {k} | {n} |" for k, n in counts.items()]
    head = "| file | record | kind | property | address |" + (" status |" if report.checked else "")
    lines += ["", head, "|" + " --- |" * (6 if report.checked else 5)]
    for row in report.rows:
        c = row.citation
        line = f"| {cell(row.source)} | {cell(row.identifier)} | {c.kind} | {c.predicate} | {cell(c.address)} |"
        lines.append(line + (f" {cell(_status(report, c.address))} |" if report.checked else ""))
    return "\n".join(lines) + "\n"


def render_csv(report: SourcesReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["source", "record", "subject", "property", "address", "host", "kind", "agency", "status",
                     "state", "final_url"])
    for row in report.rows:
        c = row.citation
        check = report.checks.get(c.address)
        writer.writerow([row.source, row.identifier, c.subject, c.predicate, c.address, c.host, c.kind,
                         c.agency or "", "" if check is None or check.status is None else check.status,
                         check.state if check else "", check.url if check else ""])
    return out.getvalue()


def to_json(report: SourcesReport) -> dict[str, Any]:
    def check(address: str) -> dict[str, Any] | None:
        found = report.checks.get(address)
        return None if found is None else {"status": found.status, "state": found.state, "url": found.url,
                                           "error": found.error}

    return {"schema": JSON_SCHEMA, "kinds": {k: KIND_NAMES[k] for k in KINDS}, "counts": report.counts(),
            "checked": report.checked,
            "citations": [{"source": r.source, "record": r.identifier, "subject": r.citation.subject,
                           "property": r.citation.predicate, "address": r.citation.address, "host": r.citation.host,
                           "kind": r.citation.kind, "agency": r.citation.agency, "check": check(r.citation.address)}
                          for r in report.rows],
            "problems": report.problems}


def render_json(report: SourcesReport) -> str:
    return json_text(to_json(report)) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "csv": render_csv, "json": render_json}

__all__ = ["JSON_SCHEMA", "RENDERERS", "Check", "Pacer", "SourceRow", "SourcesReport", "build_sources",
           "check_sources", "polite_order", "read_catalogue", "render_csv", "render_json", "render_markdown",
           "render_text", "to_json"]
