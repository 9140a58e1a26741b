"""Push the catalogue to a triplestore with the SPARQL 1.1 Graph Store HTTP Protocol.

The graphs come from `pushing.plan` (one per record, or a merged dataset's graphs as
merged, plus the reference data), validated first. Each graph is sent with PUT, which
replaces it, so pushing twice changes nothing. After the writes every graph is checked:
by default (`check="content"`) it is read back and its canonical N-Triples compared with
what was sent (`pushing.verify`), so a store that drops a PUT or changes a literal is
caught; `check="counts"` only compares triple counts (one query, for stores too large to
read back).

`prune=True` deletes the graphs under the naming's base that the store holds and the
catalogue no longer has (`leftovers`), and never when an input was unreadable: an
unreadable record is not a deleted one. A graph counts as pruned only when the endpoint no
longer lists it after the DELETE: a store (or a proxy) that answers 204 and keeps the graph,
or a `store` that is not the endpoint's, is a prune that did not happen (exit 1). Graphs
that look like this catalogue's under another graph base (an earlier push with another
`--graph-base`, or another publisher's) are reported, never deleted.

A failure part-way is a result: `PushReport` says which graphs were written, which failed
and which were not tried. A failure every PUT would meet (the store cannot be reached,
refuses the credentials, or is not at that URL) stops the push at the first graph. Ctrl-C
raises `PushInterrupted`, a KeyboardInterrupt carrying the report so far.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox

from migrmeta.errors import EndpointError, InputError, UsageError
from migrmeta.io.http import HttpClient, safe_url
from migrmeta.messages import plural
from migrmeta.pushing.plan import PushPlan
from migrmeta.pushing.verify import CHECKS, GraphCheck, compare_content, compare_count
from migrmeta.querying.endpoint import SPARQL_HINTS, SparqlEndpoint
from migrmeta.querying.store import CatalogueGraph, GraphNaming, record_layout_relative

Progress = Callable[[str, CatalogueGraph], None]  # ("written" | "failed", graph)
# Answers every request would get: no store there, credentials refused, no graph store at this URL.
STOP_STATUSES = (None, 401, 403, 404, 405, 501)
_WRONG_URL = (404, 405, 501)


# The graph store that goes with a query endpoint, by the endpoint's path: Oxigraph serves
# queries at /query and the graph store at /store; Virtuoso serves queries at /sparql (and
# /sparql-auth) and the read-write graph store at /sparql-graph-crud-auth (digest).
STORE_PATHS = {"/sparql": "/sparql-graph-crud-auth", "/sparql-auth": "/sparql-graph-crud-auth"}


def derive_store_url(endpoint: str) -> str:
    """The Graph Store Protocol URL for a query endpoint of Oxigraph or Virtuoso."""
    parts = urlsplit(endpoint)
    path = parts.path.rstrip("/") or "/"
    if path in STORE_PATHS:
        return urlunsplit(parts._replace(path=STORE_PATHS[path], query=""))
    if path.endswith("/query"):
        return urlunsplit(parts._replace(path=path[: -len("query")] + "store", query=""))
    raise UsageError(
        f"cannot tell the graph store URL from the endpoint {safe_url(endpoint)}",
        hint="pass {--store URL|store=URL} (Oxigraph: http://host:7878/store; Virtuoso: "
             "http://host:8890/sparql-graph-crud-auth; Fuseki: http://host:3030/<dataset>/data)",
    )


class GraphStore:
    """A Graph Store Protocol endpoint: PUT, DELETE and GET of one graph by its IRI."""

    def __init__(self, url: str, client: HttpClient | None = None, *, derived: bool = False) -> None:
        self.url = url
        self.client = client or HttpClient()
        self.derived = derived  # the URL was derived from the query endpoint's (`derive_store_url`)

    def put(self, graph: CatalogueGraph) -> None:
        body = ox.serialize(sorted(set(graph.triples), key=str), format=ox.RdfFormat.N_TRIPLES) or b""
        self.client.request("PUT", self.url, what=f"PUT <{graph.name}>", params={"graph": graph.name}, data=body,
                            headers={"Content-Type": "application/n-triples; charset=utf-8"})

    def delete(self, name: str) -> None:
        try:
            self.client.request("DELETE", self.url, what=f"DELETE <{name}>", params={"graph": name})
        except EndpointError as exc:
            if exc.status != 404:  # already gone is what we wanted
                raise

    def get(self, name: str) -> list[ox.Triple]:
        response = self.client.request("GET", self.url, what=f"GET <{name}>", params={"graph": name},
                                       hints=SPARQL_HINTS, headers={"Accept": "application/n-triples"})
        try:
            return [quad.triple for quad in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)]
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"GET <{name}>: {safe_url(self.url)} did not answer N-Triples ({exc})") from exc


@dataclass
class Leftovers:
    """What the store holds besides the catalogue: graphs under the base it no longer has
    (what a prune deletes) and its graphs under another base (reported, never deleted)."""

    sizes: dict[str, int]  # every named graph of the store -> its triples
    extra: list[str]
    elsewhere: dict[str, list[str]]  # the other base ("": the default naming) -> graphs of this catalogue under it


def leftovers(graphs: list[CatalogueGraph], endpoint: SparqlEndpoint, naming: GraphNaming,
              protected: Iterable[str] = ()) -> Leftovers:
    """One query for the store's graphs; which of them a prune would delete, and which look
    like this catalogue's under another graph base (`GraphNaming.elsewhere`)."""
    sizes = endpoint.graph_sizes()
    protected = set(protected)
    keep = {g.name for g in graphs} | {naming.reference()} | protected
    extra = sorted(g for g in sizes if naming.manages(g) and g not in keep)
    relatives = {r for name in {g.name for g in graphs} | protected if (r := naming.relative(name)) is not None}
    # a site or merged dataset pushed where its records were pushed one graph per file, under another base
    relatives |= {r for g in graphs if (r := record_layout_relative(g, naming)) is not None}
    elsewhere: dict[str, list[str]] = {}
    for name in sorted(sizes):
        base = naming.elsewhere(name, relatives) if name not in keep else None
        if base is not None:
            elsewhere.setdefault(base, []).append(name)
    return Leftovers(sizes, extra, elsewhere)


@dataclass
class PushReport:
    """What a push did; `ok` when every graph was written and holds what it should."""

    store: str
    graphs: list[CatalogueGraph]
    input_errors: list[InputError] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    not_attempted: list[str] = field(default_factory=list)
    hint: str | None = None  # what to do about the failures (of the first one)
    stopped: bool = False  # a failure every PUT would meet: the others were not tried
    unreachable: bool = False  # ... because the store could not be reached
    pruned: list[str] = field(default_factory=list)  # deleted, and no longer listed by the endpoint
    prune_failed: dict[str, str] = field(default_factory=dict)  # a DELETE failed, or did not take
    prune_hint: str | None = None
    extra: list[str] = field(default_factory=list)  # under the base, not in the catalogue, kept
    elsewhere: dict[str, list[str]] = field(default_factory=dict)  # this catalogue under another base
    mismatches: list[GraphCheck] = field(default_factory=list)
    checked: int = 0
    check_error: str | None = None
    check_hint: str | None = None
    prune: bool = False
    check: str = "content"
    endpoint: str = ""
    refusal: str | None = None  # "violations" | "unreadable": nothing was sent (see `plan`)
    plan: PushPlan | None = None  # what was read and validated, when the push went through `prepare`
    interrupted: str | None = None  # Ctrl-C while "writing", "pruning" or "checking"
    in_flight: str | None = None  # the graph whose PUT or DELETE was under way when interrupted
    deletes_sent: list[str] = field(default_factory=list)  # DELETEs answered, not yet verified

    @classmethod
    def refused(cls, store: str, plan: PushPlan) -> PushReport:
        """The report of a push refused before anything was sent."""
        return cls(safe_url(store), [], list(plan.input_errors), refusal=plan.refusal, plan=plan)

    @property
    def ok(self) -> bool:
        return not (self.refusal or self.failed or self.not_attempted or self.mismatches or self.check_error
                    or self.prune_failed or self.interrupted)

    def exit_code(self) -> int:
        """0 pushed and checked; 1 refused for violations, a graph failed or differs, or a prune did not
        take; 3 an input was unreadable; 130 interrupted."""
        if self.interrupted:
            return 130
        if self.input_errors or self.refusal == "unreadable":
            return 3
        return 0 if self.ok else 1

    def source(self, name: str) -> str:
        return next((g.shown for g in self.graphs if g.name == name), "?")


class PushInterrupted(KeyboardInterrupt):
    """Ctrl-C during a push: `report` says what was written (and pruned) before it."""

    def __init__(self, report: PushReport) -> None:
        super().__init__("push interrupted")
        self.report = report


def _write_hint(exc: EndpointError, store: GraphStore) -> str | None:
    if exc.status not in _WRONG_URL:
        return exc.hint
    if store.derived:
        return (f"{safe_url(store.url)} is not a graph store: it was derived from {{--endpoint|endpoint=}}, which "
                "must be the SPARQL query URL (Oxigraph: http://host:7878/query, whose store is /store; Virtuoso: "
                "http://host:8890/sparql); for other stores give {--store URL|store=URL} (docs/queries.md)")
    return (f"is {safe_url(store.url)} the store's Graph Store Protocol URL? (Oxigraph: http://host:7878/store; "
            "Virtuoso: http://host:8890/sparql-graph-crud-auth; Fuseki: http://host:3030/<dataset>/data)")


def push(
    graphs: list[CatalogueGraph],
    endpoint: SparqlEndpoint,
    store: GraphStore,
    naming: GraphNaming,
    *,
    prune: bool = False,
    check: str = "content",
    input_errors: Iterable[InputError] = (),
    protected: Iterable[str] = (),
    progress: Progress | None = None,
) -> PushReport:
    """PUT every graph, then prune and check (`check`: "content" or "counts"); never raises for a failed graph.

    `protected` graphs are never pruned (those of records left out because they are invalid).
    Ctrl-C raises `PushInterrupted` with the report so far."""
    if check not in CHECKS:
        raise UsageError(f"unknown check {check!r}; use one of: {', '.join(CHECKS)}")
    report = PushReport(safe_url(store.url), graphs, list(input_errors), prune=prune, check=check,
                        endpoint=endpoint.shown)
    report.interrupted = "writing"
    try:
        for index, graph in enumerate(graphs):
            report.in_flight = graph.name
            try:
                store.put(graph)
            except EndpointError as exc:
                report.in_flight = None
                report.failed[graph.name] = exc.message
                report.hint = report.hint or _write_hint(exc, store)
                if progress:
                    progress("failed", graph)
                if exc.status in STOP_STATUSES:  # every PUT would meet it: stop here
                    report.stopped, report.unreachable = True, exc.status is None
                    report.not_attempted = [g.name for g in graphs[index + 1:]]
                    break
                continue
            report.in_flight = None
            report.written.append(graph.name)
            if progress:
                progress("written", graph)
        if not report.failed:  # no prune and no check after a partial push
            _prune_and_check(report, endpoint, store, naming, prune=prune, protected=set(protected))
    except KeyboardInterrupt:
        done = {*report.written, *report.failed, *([report.in_flight] if report.in_flight else [])}
        if report.interrupted == "writing":
            report.not_attempted = [g.name for g in graphs if g.name not in done]
        raise PushInterrupted(report) from None
    report.interrupted = None
    return report


def check(
    graphs: list[CatalogueGraph], endpoint: SparqlEndpoint, store: GraphStore, naming: GraphNaming,
    *, check: str = "content",
) -> PushReport:
    """Compare what the store holds with the catalogue, writing nothing."""
    report = PushReport(safe_url(store.url), graphs, written=[g.name for g in graphs], check=check,
                        endpoint=endpoint.shown)
    _prune_and_check(report, endpoint, store, naming, prune=False, protected=set())
    report.interrupted = None
    return report


def _prune_and_check(report: PushReport, endpoint: SparqlEndpoint, store: GraphStore, naming: GraphNaming,
                     *, prune: bool, protected: set[str]) -> None:
    report.interrupted = "checking"
    try:
        found = leftovers(report.graphs, endpoint, naming, protected)
    except EndpointError as exc:  # before any DELETE: say so, with --prune
        report.check_error, report.check_hint = exc.message, exc.hint
        if prune:
            report.check_error += "; the store's graphs could not be listed, so nothing was pruned"
        return
    sizes, report.elsewhere, report.extra = found.sizes, found.elsewhere, found.extra
    unseen = [g.name for g in report.graphs if g.name not in sizes]
    if unseen and len(unseen) == len(report.graphs):  # none of them: two servers (one lost: the check says which)
        report.check_error = (f"the endpoint lists none of the {plural(len(unseen), 'graph')} just written to the "
                              f"store (e.g. <{unseen[0]}>): are --endpoint and --store one server?; nothing was "
                              "pruned")
        report.check_hint = ("give --store the graph store of the server --endpoint queries (Oxigraph: "
                             "http://HOST:PORT/store beside http://HOST:PORT/query), or check that the store keeps "
                             "what it is sent")
        return
    if prune and found.extra and not report.input_errors:  # an unreadable record is not a deleted one
        report.interrupted = "pruning"
        after = _prune(report, endpoint, store, found.extra)
        report.interrupted = "checking"
        if after is None:
            return
        sizes = after
    try:
        for graph in report.graphs:
            report.checked += 1
            if report.check == "counts":
                mismatch = compare_count(graph, sizes.get(graph.name, 0))
            else:
                mismatch = compare_content(graph, store.get(graph.name))
            if mismatch is not None:
                report.mismatches.append(mismatch)
    except EndpointError as exc:
        report.check_error, report.check_hint = exc.message, exc.hint


def _prune(report: PushReport, endpoint: SparqlEndpoint, store: GraphStore, extra: list[str]) -> dict[str, int] | None:
    """DELETE each graph, then list the store's graphs again: a graph is pruned when it is gone.
    The store's graphs afterwards (None when they could not be listed: the report says why)."""
    sent = report.deletes_sent
    for name in extra:
        report.in_flight = name  # left set by Ctrl-C: the report says its DELETE was under way
        try:
            store.delete(name)
        except EndpointError as exc:
            report.in_flight = None
            report.prune_failed[name] = exc.message
            report.prune_hint = report.prune_hint or exc.hint
            if exc.status in STOP_STATUSES:  # every DELETE would meet it
                break
            continue
        report.in_flight = None
        sent.append(name)
    try:
        sizes = endpoint.graph_sizes()
    except EndpointError as exc:
        report.check_error, report.check_hint = exc.message, exc.hint
        report.extra = [g for g in extra if g not in report.prune_failed and g not in sent]
        return None  # the DELETEs sent stay in `deletes_sent`: not known to have taken
    for name in sent:
        if name in sizes:
            report.prune_failed[name] = (f"{safe_url(store.url)} answered the DELETE, yet "
                                         f"{endpoint.shown} still lists the graph ({sizes[name]:,} triples)")
            report.prune_hint = report.prune_hint or (
                "are {--store|store=} and {--endpoint|endpoint=} the same store? A proxy that answers DELETE "
                "without passing it on does the same. Delete the graph on the store itself, then push with "
                "{--prune|prune=True} again")
        else:
            report.pruned.append(name)
    report.extra = [g for g in extra if g not in report.pruned and g not in report.prune_failed]
    report.deletes_sent = []
    return sizes


__all__ = ["STOP_STATUSES", "GraphStore", "Leftovers", "PushInterrupted", "PushReport", "check", "derive_store_url",
           "leftovers", "push"]
