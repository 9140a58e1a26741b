"""Queries that call SERVICE, run on the embedded store with a deadline.

pyoxigraph sends a SERVICE call and waits for the answer without a time limit; an endpoint
that never answers (Virtuoso, to the POST of an `application/sparql-query` body that
Oxigraph sends: openlink/virtuoso-opensource issue 842) would hold `migrmeta query
--allow-service` forever. So such a query runs in a child process (`service_worker.py`,
given the store's dataset as N-Quads) that is killed at the deadline: the connections it
held are closed, the endpoint frees its thread, and the user gets an error saying what to
do, never a hang.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from migrmeta.errors import EndpointError, MigrmetaError
from migrmeta.querying.results import QueryResult

WORKER = Path(__file__).with_name("service_worker.py")


def query_with_deadline(store: ox.Store, text: str, seconds: float, source: str = "<query>") -> QueryResult:
    """Run the query on a copy of the store in a child process; stop it after `seconds`.

    Raises SyntaxError for a query pyoxigraph cannot parse (as `Store.query` does)."""
    dataset = store.dump(format=ox.RdfFormat.N_QUADS) or b""
    payload = json.dumps({"query": text}).encode("utf-8") + b"\n" + dataset
    try:
        done = subprocess.run([sys.executable, str(WORKER)], input=payload, capture_output=True,
                              timeout=seconds, check=False)
    except subprocess.TimeoutExpired:
        raise EndpointError(
            f"{source}: the query did not finish within {seconds:g} s: an endpoint it calls with SERVICE did "
            "not answer (the query was stopped)",
            hint="raise --timeout for a slow endpoint; a Virtuoso endpoint never answers the embedded store's "
                 "SERVICE calls: run the query on the Virtuoso endpoint instead (--endpoint), see docs/federation.md",
        ) from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        if reason and reason[-1].startswith("SyntaxError: "):
            raise SyntaxError(reason[-1][len("SyntaxError: "):])
        raise MigrmetaError(f"{source}: the query failed: {reason[-1] if reason else f'exit {done.returncode}'}")
    kind, _, body = done.stdout.partition(b"\n")
    if kind == b"graph":
        return QueryResult("graph", triples=[q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)])
    return QueryResult.from_oxigraph(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))


__all__ = ["query_with_deadline"]
