"""Push the catalogue to a triplestore with the SPARQL 1.1 Graph Store HTTP Protocol.

The graphs come from `pushing.plan` (one per record, or a merged dataset's graphs as
merged, plus the reference data), validated first. Each graph is sent with PUT, which
replaces it, so pushing twice changes nothing. After the writes every graph is checked:
by default (`check="content"`) it is read back and its canonical N-Triples compared with
what was sent (`pushing.verify`), so a store that drops a PUT or changes a literal is
caught; `check="counts"` only compares triple counts (one query, for stores too large to
read back). `prune=True` deletes the graphs under the naming's base that the store holds
and the catalogue no longer has, and never when an input was unreadable: an unreadable
record is not a deleted one. A failure part-way is a result: `PushReport` says which
graphs were written, which failed and which were not tried.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox

from migrmeta.errors import EndpointError, InputError, UsageError
from migrmeta.io.http import HttpClient, safe_url
from migrmeta.pushing.plan import PushPlan
from migrmeta.pushing.verify import CHECKS, GraphCheck, compare_content, compare_count
from migrmeta.querying.endpoint import SPARQL_HINTS, SparqlEndpoint
from migrmeta.querying.store import CatalogueGraph, GraphNaming

Progress = Callable[[str, CatalogueGraph], None]  # ("written" | "failed", graph)


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

    def __init__(self, url: str, client: HttpClient | None = None) -> None:
        self.url = url
        self.client = client or HttpClient()

    def put(self, graph: CatalogueGraph) -> None:
        body = ox.serialize(sorted(set(graph.triples), key=str), format=ox.RdfFormat.N_TRIPLES) or b""
        self.client.request("PUT", self.url, what=f"PUT <{graph.name}>", params={"graph": graph.name},
                            hints=SPARQL_HINTS, data=body,
                            headers={"Content-Type": "application/n-triples; charset=utf-8"})

    def delete(self, name: str) -> None:
        try:
            self.client.request("DELETE", self.url, what=f"DELETE <{name}>", params={"graph": name},
                                hints=SPARQL_HINTS)
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
class PushReport:
    """What a push did; `ok` when every graph was written and holds what it should."""

    store: str
    graphs: list[CatalogueGraph]
    input_errors: list[InputError] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    not_attempted: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    mismatches: list[GraphCheck] = field(default_factory=list)
    checked: int = 0
    check_error: str | None = None
    prune: bool = False
    check: str = "content"
    refusal: str | None = None  # "violations" | "unreadable": nothing was sent (see `plan`)
    plan: PushPlan | None = None  # what was read and validated, when the push went through `prepare`

    @classmethod
    def refused(cls, store: str, plan: PushPlan) -> PushReport:
        """The report of a push refused before anything was sent."""
        return cls(safe_url(store), [], list(plan.input_errors), refusal=plan.refusal, plan=plan)

    @property
    def ok(self) -> bool:
        return not (self.refusal or self.failed or self.not_attempted or self.mismatches or self.check_error)

    def exit_code(self) -> int:
        """0 pushed and checked, 1 refused for violations or a graph failed or differs, 3 an input was unreadable."""
        if self.input_errors or self.refusal == "unreadable":
            return 3
        return 0 if self.ok else 1

    def source(self, name: str) -> str:
        return next((g.source for g in self.graphs if g.name == name), "?")


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

    `protected` graphs are never pruned (those of records left out because they are invalid)."""
    if check not in CHECKS:
        raise UsageError(f"unknown check {check!r}; use one of: {', '.join(CHECKS)}")
    report = PushReport(safe_url(store.url), graphs, list(input_errors), prune=prune, check=check)
    for index, graph in enumerate(graphs):
        try:
            store.put(graph)
        except EndpointError as exc:
            report.failed[graph.name] = exc.message
            if progress:
                progress("failed", graph)
            if exc.status is None or exc.status in (401, 403):  # unreachable or refused: stop here
                report.not_attempted = [g.name for g in graphs[index + 1:]]
                break
            continue
        report.written.append(graph.name)
        if progress:
            progress("written", graph)
    if report.failed:
        return report  # no prune and no check after a partial push
    _prune_and_check(report, endpoint, store, naming, prune=prune, protected=set(protected))
    return report


def check(
    graphs: list[CatalogueGraph], endpoint: SparqlEndpoint, store: GraphStore, naming: GraphNaming,
    *, check: str = "content",
) -> PushReport:
    """Compare what the store holds with the catalogue, writing nothing."""
    report = PushReport(safe_url(store.url), graphs, written=[g.name for g in graphs], check=check)
    _prune_and_check(report, endpoint, store, naming, prune=False, protected=set())
    return report


def _prune_and_check(report: PushReport, endpoint: SparqlEndpoint, store: GraphStore, naming: GraphNaming,
                     *, prune: bool, protected: set[str]) -> None:
    graphs = report.graphs
    keep = {g.name for g in graphs} | {naming.reference()} | protected
    try:
        sizes = endpoint.graph_sizes()
        extra = sorted(g for g in sizes if naming.manages(g) and g not in keep)
        if prune and extra and not report.input_errors:  # an unreadable record is not a deleted one
            for name in extra:
                store.delete(name)
                report.pruned.append(name)
            sizes = endpoint.graph_sizes()
            extra = sorted(g for g in sizes if naming.manages(g) and g not in keep)
        report.extra = extra
        for graph in graphs:
            report.checked += 1
            if report.check == "counts":
                mismatch = compare_count(graph, sizes.get(graph.name, 0))
            else:
                mismatch = compare_content(graph, store.get(graph.name))
            if mismatch is not None:
                report.mismatches.append(mismatch)
    except EndpointError as exc:
        report.check_error = exc.message


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def render_push(report: PushReport) -> str:
    """The report for people: what was written, pruned and checked, or what was not."""
    lines: list[str] = []
    for error in report.input_errors:
        lines.append(f"not pushed: {error}")
    total = sum(len(g) for g in report.graphs if g.name in report.written)
    if report.failed or report.not_attempted:
        lines.append(f"push to {report.store} failed part-way: {len(report.written)} of "
                     f"{_plural(len(report.graphs), 'graph')} written")
        lines += [f"  written      <{g}> ({report.source(g)})" for g in report.written]
        lines += [f"  FAILED       <{g}> ({report.source(g)}): {why}" for g, why in report.failed.items()]
        lines += [f"  not written  <{g}> ({report.source(g)})" for g in report.not_attempted]
        lines.append("nothing was pruned or checked; push again once the store is reachable (PUT replaces, "
                     "so graphs already written are not duplicated)")
        return "\n".join(lines) + "\n"
    lines.append(f"pushed {_plural(len(report.written), 'graph')} ({_plural(total, 'triple')}) to {report.store}")
    for name in report.pruned:
        lines.append(f"pruned <{name}> (no longer in the catalogue)")
    if report.extra:
        reason = "not pruned: an input was unreadable" if report.prune else "not asked to prune"
        lines += [f"kept <{name}>: not in the catalogue ({reason})" for name in report.extra]
    if report.check_error:
        lines.append(f"check failed: {report.check_error}")
    for check in report.mismatches:
        detail = check.note or f"expected {_plural(check.expected, 'triple')}, the store holds {check.found:,}"
        lines.append(f"MISMATCH <{check.graph}> ({check.source}): {detail}")
    if not report.mismatches and not report.check_error:
        what = ("the same content (canonical N-Triples digests)" if report.check == "content"
                else "the expected number of triples (counts only: a changed value would go unseen)")
        lines.append(f"check: the store holds {what} in all {_plural(report.checked, 'graph')}")
    return "\n".join(lines) + "\n"
