"""SPARQL over the catalogue: the embedded store (pyoxigraph) and remote endpoints.

- The catalogue as a dataset: one named graph per record (`GraphNaming`), plus one graph
  for the reference data (ontology, vocabularies, countries) so labels can be queried.
- `EmbeddedStore`: that dataset in pyoxigraph; its default graph is the union of the
  named graphs, as a triplestore's is when it is told to (see docs/federation.md).
- `SparqlEndpoint`: the SPARQL 1.1 protocol over HTTP, through `HttpClient`, which takes
  credentials from the environment or ~/.netrc, retries a bounded number of times, and
  never puts a secret in a message.
- `QueryResult`: one shape for local and remote answers, rendered by `render`.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import re
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import pyoxigraph as ox
import requests
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from . import __version__, load, resources
from .errors import InputError, MigrmetaError, UsageError
from .namespaces import ACCESS_RIGHT, DCAT, DCT, MM, PREFIXES, RDF, VOCAB_BASE, XSD
from .reference import reference_files
from .saved import Term, inject_values

ROOT = str(MM).removesuffix("ns#")  # https://w3id.org/migrmeta/: under it, the graphs we manage
GRAPH_SUFFIX = "/graph"
# What `migrmeta publish` writes, best first: catalog.ttl is the merged catalogue; its
# catalog.trig also holds the statements that lost a merge (graphs <...>/superseded), which
# a union default graph would mix back in.
PUBLISHED = ("catalog.ttl", "catalog.nq", "catalog.trig")
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 0.5
ENV_USER, ENV_PASSWORD, ENV_TOKEN = "MIGRMETA_USER", "MIGRMETA_PASSWORD", "MIGRMETA_TOKEN"
_IN_SERIES = str(DCAT) + "inSeries"  # DCAT 3; rdflib's DCAT namespace lists DCAT 2 terms
_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
               "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "rdfxml": ox.RdfFormat.RDF_XML}


class EndpointError(MigrmetaError):
    """A SPARQL endpoint or graph store could not be reached or refused a request (exit 1)."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None, status: int | None = None) -> None:
        super().__init__(message, hint)
        self.status = status


# --- the catalogue as named graphs --------------------------------------------------------


@dataclass(frozen=True)
class GraphNaming:
    """How a record's graph is named: `<survey IRI>/graph`, or `base` + its path under ROOT."""

    base: str | None = None

    def __post_init__(self) -> None:
        if self.base is not None:
            try:
                ox.NamedNode(self.base)
            except ValueError as exc:
                raise UsageError(f"--graph-base {self.base!r} is not an absolute IRI ({exc})") from exc
            if not self.base.endswith(("/", "#")):
                raise UsageError(f"--graph-base {self.base!r} must end with / or #")

    def name(self, subject: str) -> str:
        if self.base is None:
            return subject + GRAPH_SUFFIX
        relative = subject[len(ROOT):] if subject.startswith(ROOT) else subject.rsplit("/", 1)[-1]
        return self.base + quote(relative, safe="/-._~")

    def reference(self) -> str:
        return self.name(ROOT + "reference")

    def manages(self, graph: str) -> bool:
        """Is this graph one that a push may replace or prune?"""
        if self.base is None:
            return graph.startswith(ROOT) and graph.endswith(GRAPH_SUFFIX)
        return graph.startswith(self.base)


@dataclass
class CatalogueGraph:
    """One named graph of the catalogue: a record file, or the reference data."""

    name: str
    source: str
    triples: list[ox.Triple] = field(repr=False)

    def __len__(self) -> int:
        return len(set(self.triples))


def record_subject(triples: Iterable[ox.Triple], source: str) -> str:
    """The IRI a record is about: its one top-level survey or series, else one named by the file."""
    surveys: set[str] = set()
    in_series: dict[str, str] = {}
    identifiers: dict[str, str] = {}
    kinds = {str(MM.Survey), str(MM.SurveySeries)}
    for triple in triples:
        subject, obj = triple.subject, triple.object
        if not isinstance(subject, ox.NamedNode) or isinstance(obj, ox.Triple):
            continue
        predicate = triple.predicate.value
        if predicate == str(RDF.type) and obj.value in kinds:
            surveys.add(subject.value)
        elif predicate == _IN_SERIES:
            in_series[subject.value] = obj.value
        elif predicate == str(DCT.identifier):
            identifiers[subject.value] = obj.value
    top = sorted(s for s in surveys if in_series.get(s) not in surveys)
    if len(top) == 1:
        return top[0]
    stem = Path(source).stem
    for candidate in top:
        if identifiers.get(candidate) == stem:
            return candidate
    return ROOT + quote(stem, safe="-._~")  # agencies.ttl -> <https://w3id.org/migrmeta/agencies>


def to_oxigraph(node: Node) -> Any:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype or XSD.string)))
    raise TypeError(f"unsupported RDF term {node!r}")


def read_triples(name: str) -> list[ox.Triple]:
    """One record file (or `-`) as pyoxigraph triples; errors as `load` reports them."""
    fmt = "jsonld" if name == load.STDIN else load.format_for(name)
    if fmt not in _OX_FORMATS:  # JSON-LD (contexts resolved locally) and stdin go through load
        record = load.read_input(name)
        return [ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in record.graph]
    try:
        data = Path(name).read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror})") from exc
    load.check_text(data, name, xml=fmt == "rdfxml")
    try:
        triples = [quad.triple for quad in ox.parse(data, format=_OX_FORMATS[fmt])]
    except (SyntaxError, ValueError):
        load.parse_bytes(data, name, fmt)  # raises the InputError with file and line
        raise
    if not triples:
        raise InputError(name, "holds no statements", hint="a record describes one survey")
    return triples


def read_catalogue(
    paths: Iterable[str | Path], naming: GraphNaming | None = None
) -> tuple[list[CatalogueGraph], list[InputError]]:
    """Record files -> one named graph each; unreadable files and clashes as errors, the rest kept."""
    naming = naming or GraphNaming()
    graphs: dict[str, CatalogueGraph] = {}
    errors: list[InputError] = []
    for name in load.expand_paths(paths):
        if isinstance(name, InputError):
            errors.append(name)
            continue
        try:
            triples = read_triples(name)
        except InputError as exc:
            errors.append(exc)
            continue
        graph = naming.name(record_subject(triples, name))
        if graph in graphs:
            errors.append(InputError(
                name, f"describes the same survey as {graphs[graph].source} (graph <{graph}>)",
                hint="describe each survey in one record file, or give the records distinct dct:identifier",
            ))
            continue
        graphs[graph] = CatalogueGraph(graph, name, triples)
    return list(graphs.values()), errors


def reference_graph(naming: GraphNaming | None = None) -> CatalogueGraph:
    """The ontology, the vocabularies and the country list as one graph."""
    triples: list[ox.Triple] = []
    for path in reference_files():
        triples.extend(quad.triple for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    return CatalogueGraph((naming or GraphNaming()).reference(), "reference data", triples)


# --- answers ------------------------------------------------------------------------------


@dataclass
class QueryResult:
    """A SELECT table, an ASK boolean or a CONSTRUCT/DESCRIBE graph."""

    kind: str  # "select" | "ask" | "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[list[Term | None]] = field(default_factory=list)
    boolean: bool = False
    triples: list[ox.Triple] = field(default_factory=list)

    @classmethod
    def from_oxigraph(cls, answer: Any) -> QueryResult:
        if isinstance(answer, ox.QueryBoolean):
            return cls("ask", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            variables = [v.value for v in answer.variables]
            rows = [[solution[i] for i in range(len(variables))] for solution in answer]
            return cls("select", variables=variables, rows=rows)
        return cls("graph", triples=list(answer))


def display_prefixes() -> dict[str, str]:
    """Prefixes for people: the project's, plus one per concept scheme (`sample-type:`)."""
    prefixes = {name: str(ns) for name, ns in PREFIXES.items()}
    prefixes["access-right"] = str(ACCESS_RIGHT)
    for path in sorted(resources.vocabulary_dir().glob("*.ttl")):
        prefixes[path.stem] = f"{VOCAB_BASE}{path.stem}/"
    return prefixes


def _compact(term: Term | None, prefixes: Mapping[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        best = max((ns for ns in prefixes.values() if term.value.startswith(ns)), key=len, default=None)
        if best is not None:
            local = term.value[len(best):]
            if re.fullmatch(r"[\w][\w.-]*", local) and not local.endswith("."):
                name = next(p for p, ns in prefixes.items() if ns == best)
                return f"{name}:{local}"
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)  # an RDF-star quoted triple


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def render_table(result: QueryResult, prefixes: Mapping[str, str] | None = None) -> str:
    prefixes = prefixes if prefixes is not None else display_prefixes()
    if result.kind == "ask":
        return "true\n" if result.boolean else "false\n"
    cells = [[_compact(t, prefixes).replace("\n", " ") for t in row] for row in result.rows]
    header = result.variables
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(header)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(header), line(["-" * w for w in widths]), *(line(r) for r in cells)]
    count = len(cells)
    out.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(out) + "\n"


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    entry = {"type": "literal", "value": term.value}
    if term.language:
        entry["xml:lang"] = term.language
    elif term.datatype.value != str(XSD.string):
        entry["datatype"] = term.datatype.value
    return entry


def render_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.kind == "ask":
        document: dict[str, Any] = {"head": {}, "boolean": result.boolean}
    else:
        bindings = [{v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
                    for row in result.rows]
        document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False) + "\n"


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


def render_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV: plain values, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
        return buffer.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(t) for t in row])
    return buffer.getvalue()


def render_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV: terms in N-Triples syntax."""
    if result.kind == "ask":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def render_graph(result: QueryResult, fmt: str) -> str:
    """CONSTRUCT/DESCRIBE answers as Turtle (prefixes that are used) or JSON-LD; sorted."""
    triples = sorted(set(result.triples), key=str)
    if fmt == "jsonld":
        return (ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b"").decode("utf-8") + "\n"
    used = {t.value for triple in triples for t in triple if isinstance(t, ox.NamedNode)}
    prefixes = {p: ns for p, ns in sorted(display_prefixes().items()) if any(i.startswith(ns) for i in used)}
    return (ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b"").decode("utf-8")


RESULT_FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = ("turtle", "jsonld")


def render(result: QueryResult, fmt: str = "table") -> str:
    """The answer in a format; a SELECT cannot be Turtle, nor a graph a table."""
    if result.kind == "graph":
        if fmt == "table":
            fmt = "turtle"
        if fmt not in GRAPH_FORMATS:
            raise UsageError(f"a CONSTRUCT or DESCRIBE query gives a graph, not a table: "
                             f"use --format turtle or jsonld, not {fmt}")
        return render_graph(result, fmt)
    if fmt not in RESULT_FORMATS:
        raise UsageError(f"a SELECT or ASK query gives a table: use --format table, csv, tsv or json, not {fmt}")
    renderer = {"table": render_table, "csv": render_csv, "tsv": render_tsv, "json": render_json}[fmt]
    return renderer(result)


# --- the embedded store -------------------------------------------------------------------


def _syntax_error(exc: SyntaxError, source: str) -> InputError:
    match = re.match(r"error at (\d+):(\d+): (.*)", exc.msg or str(exc), re.S)
    if match:
        return InputError(source, f"SPARQL syntax error: {match.group(3)}", line=int(match.group(1)),
                          column=int(match.group(2)), hint="fix the query; see docs/queries.md")
    return InputError(source, f"SPARQL syntax error: {exc}", hint="fix the query; see docs/queries.md")


class EmbeddedStore:
    """The catalogue in pyoxigraph, queried with the union of its graphs as default graph."""

    def __init__(self) -> None:
        self.store = ox.Store()

    def add(self, *graphs: CatalogueGraph) -> None:
        """Load graphs; one bulk load for all of them is much faster than one per graph."""

        def quads() -> Iterator[ox.Quad]:
            for graph in graphs:
                name = ox.NamedNode(graph.name)
                for t in graph.triples:
                    yield ox.Quad(t.subject, t.predicate, t.object, name)

        self.store.bulk_extend(quads())

    def load_dataset(self, path: Path) -> None:
        """A published dump (`catalog.nq` / `.trig` keep their graphs; `.ttl` fills the default graph)."""
        fmt = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG}.get(path.suffix, ox.RdfFormat.TURTLE)
        try:
            self.store.bulk_load(path=str(path), format=fmt)
        except SyntaxError as exc:
            raise InputError(str(path), f"syntax error: {exc.msg}", line=exc.lineno) from exc
        except (OSError, ValueError) as exc:
            raise InputError(str(path), f"cannot be loaded ({exc})") from exc

    @classmethod
    def open(cls, paths: Iterable[str | Path], *, reference: bool = True) -> tuple[EmbeddedStore, list[InputError]]:
        """Records (files, directories) or published directories; the errors of unreadable files."""
        store = cls()
        records: list[str | Path] = []
        for path in paths:
            published = next((Path(path) / n for n in PUBLISHED if (Path(path) / n).is_file()), None)
            if Path(path).is_dir() and published is not None:
                store.load_dataset(published)
            else:
                records.append(path)
        graphs, errors = read_catalogue(records) if records else ([], [])
        if reference:
            graphs.append(reference_graph())
        store.add(*graphs)
        return store, errors

    def __len__(self) -> int:
        return len(self.store)

    def query(self, text: str, bindings: Mapping[str, Term] | None = None, source: str = "<query>") -> QueryResult:
        text = inject_values(text, bindings or {})
        try:
            answer = self.store.query(text, use_default_graph_as_union=True)
            return QueryResult.from_oxigraph(answer)
        except SyntaxError as exc:
            raise _syntax_error(exc, source) from exc
        except (OSError, RuntimeError) as exc:  # e.g. a SERVICE that cannot be reached
            raise MigrmetaError(f"{source}: the query failed: {exc}") from exc


# --- HTTP: credentials, retries, messages without secrets ---------------------------------


class _Bearer(requests.auth.AuthBase):
    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


def credentials(environ: Mapping[str, str]) -> tuple[requests.auth.AuthBase | None, list[str]]:
    """Auth from MIGRMETA_TOKEN or MIGRMETA_USER/MIGRMETA_PASSWORD (else requests reads ~/.netrc)."""
    token = environ.get(ENV_TOKEN)
    if token:
        return _Bearer(token), [token]
    user, password = environ.get(ENV_USER), environ.get(ENV_PASSWORD)
    if user and password:
        basic = base64.b64encode(f"{user}:{password}".encode()).decode()
        return requests.auth.HTTPBasicAuth(user, password), [password, basic]
    if user or password:
        raise UsageError(f"set both {ENV_USER} and {ENV_PASSWORD}, or neither")
    return None, []


def safe_url(url: str) -> str:
    """The URL without user name and password, for messages."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def _reason(exc: Exception) -> str:
    match = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", str(exc))
    if match:
        return match.group(1).strip()
    if "RemoteDisconnected" in str(exc) or "Connection aborted" in str(exc):
        return "the server closed the connection"
    return type(exc).__name__


class HttpClient:
    """requests with timeouts, bounded retries (connection errors, 5xx) and scrubbed errors."""

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT, retries: int = DEFAULT_RETRIES,
                 backoff: float = DEFAULT_BACKOFF, environ: Mapping[str, str] | None = None) -> None:
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self.session = requests.Session()
        self.session.headers["User-Agent"] = f"migrmeta/{__version__}"
        auth, self._secrets = credentials(os.environ if environ is None else environ)
        self.session.auth = auth

    def scrub(self, text: str, url: str = "") -> str:
        secrets = list(self._secrets)
        parts = urlsplit(url)
        if parts.password:
            secrets.append(parts.password)
        netrc = requests.utils.get_netrc_auth(url) if url and self.session.auth is None else None
        if netrc:
            secrets += [netrc[1], base64.b64encode(f"{netrc[0]}:{netrc[1]}".encode()).decode()]
        for secret in sorted(set(secrets), key=len, reverse=True):
            if len(secret) >= 3:
                text = text.replace(secret, "***")
        return text

    def request(self, method: str, url: str, *, what: str, **kwargs: Any) -> requests.Response:
        shown = safe_url(url)
        attempts = self.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except requests.ConnectionError as exc:
                if not last:
                    self._wait(attempt)
                    continue
                raise EndpointError(
                    self.scrub(f"{what}: cannot reach {shown} ({_reason(exc)}; tried {attempts} times)", url),
                    hint="is the server running, and is the URL right?",
                ) from None
            except requests.Timeout:
                raise EndpointError(f"{what}: {shown} gave no answer within {self.timeout:g} s",
                                    hint="raise --timeout, or simplify the query") from None
            except requests.RequestException as exc:
                raise EndpointError(self.scrub(f"{what}: {shown}: {exc}", url)) from None
            if response.status_code >= 500 and not last:
                self._wait(attempt)
                continue
            if response.status_code >= 400:
                raise self._http_error(response, what, url)
            return response
        raise AssertionError("unreachable")

    def _wait(self, attempt: int) -> None:
        time.sleep(min(self.backoff * 2**attempt, 10.0))

    def _http_error(self, response: requests.Response, what: str, url: str) -> EndpointError:
        body = " ".join(response.text[:400].split())
        status = response.status_code
        hint = {
            401: f"give credentials: {ENV_USER} and {ENV_PASSWORD}, or {ENV_TOKEN}, or a ~/.netrc entry",
            403: "the credentials are not allowed to do this",
            404: "check the URL (Oxigraph: /query for queries, /store for the graph store)",
        }.get(status)
        message = f"{what}: {safe_url(url)} answered HTTP {status} {response.reason}" + (f": {body}" if body else "")
        return EndpointError(self.scrub(message, url), hint=hint, status=status)


# --- remote endpoints ---------------------------------------------------------------------

_RESULTS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
            "application/sparql-results+xml": ox.QueryResultsFormat.XML}
_GRAPHS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE,
           "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/n-quads": ox.RdfFormat.N_QUADS,
           "application/trig": ox.RdfFormat.TRIG, "text/plain": ox.RdfFormat.N_TRIPLES}
ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
          "application/sparql-results+xml;q=0.5, application/rdf+xml;q=0.4")


class SparqlEndpoint:
    """A SPARQL 1.1 query endpoint (the protocol's POST with a form body)."""

    def __init__(self, url: str, client: HttpClient | None = None) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"--endpoint {safe_url(url)!r} is not an http(s) URL")
        self.url = url
        self.client = client or HttpClient()

    def query(self, text: str, bindings: Mapping[str, Term] | None = None, source: str = "<query>") -> QueryResult:
        text = inject_values(text, bindings or {})
        response = self.client.request("POST", self.url, what="query", data={"query": text},
                                       headers={"Accept": ACCEPT})
        kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        try:
            if kind in _RESULTS:
                return QueryResult.from_oxigraph(ox.parse_query_results(response.content, format=_RESULTS[kind]))
            if kind in _GRAPHS:
                triples = [q.triple for q in ox.parse(response.content, format=_GRAPHS[kind])]
                return QueryResult("graph", triples=triples)
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"query: the answer of {safe_url(self.url)} cannot be read as {kind} ({exc})") from exc
        raise EndpointError(f"query: {safe_url(self.url)} answered {kind or 'without a content type'}, "
                            "not SPARQL results or RDF", hint="is this the URL of a SPARQL query endpoint?")

    def graph_sizes(self) -> dict[str, int]:
        """Named graph -> number of triples, with one query."""
        result = self.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        sizes: dict[str, int] = {}
        for graph, count in result.rows:
            if isinstance(graph, ox.NamedNode) and count is not None:
                sizes[graph.value] = int(count.value)
        return sizes


def iter_rows(result: QueryResult) -> Iterator[dict[str, Term]]:
    """The rows of a SELECT as {variable: term}, unbound variables left out."""
    for row in result.rows:
        yield {v: t for v, t in zip(result.variables, row, strict=True) if t is not None}
