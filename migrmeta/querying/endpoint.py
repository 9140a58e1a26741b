"""Remote SPARQL endpoints: the SPARQL 1.1 Protocol over HTTP.

- `HttpClient`: requests with timeouts and a bounded number of retries (connection errors,
  5xx); credentials from the environment (MIGRMETA_TOKEN, or MIGRMETA_USER and
  MIGRMETA_PASSWORD) or ~/.netrc; errors as `EndpointError`, never with a secret in them.
  `gsp.GraphStore` uses it too.
- `SparqlEndpoint`: a query endpoint (POST with a form body); its answers, SPARQL results
  or RDF, become the same `QueryResult` as the embedded store's.
"""

from __future__ import annotations

import base64
import os
import re
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox
import requests

from migrmeta.errors import EndpointError, UsageError
from migrmeta.querying.results import QueryResult
from migrmeta.querying.saved import Term, inject_values
from migrmeta.resources import version

DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 0.5
ENV_USER, ENV_PASSWORD, ENV_TOKEN = "MIGRMETA_USER", "MIGRMETA_PASSWORD", "MIGRMETA_TOKEN"

_RESULTS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
            "application/sparql-results+xml": ox.QueryResultsFormat.XML}
_GRAPHS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE,
           "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/n-quads": ox.RdfFormat.N_QUADS,
           "application/trig": ox.RdfFormat.TRIG, "text/plain": ox.RdfFormat.N_TRIPLES}
ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
          "application/sparql-results+xml;q=0.5, application/rdf+xml;q=0.4")


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
        self.session.headers["User-Agent"] = f"migrmeta/{version()}"
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
