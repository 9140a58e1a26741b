"""Run one query on a dataset, in a process of its own: `python service_worker.py`.

Standard input: one line of JSON (`{"query": ...}`), then the dataset as N-Quads. Standard
output: `results` and SPARQL JSON results, or `graph` and N-Triples. An error goes to
standard error (one line) with exit status 1.

It is a script run by path, importing nothing but pyoxigraph, so that it starts quickly:
`querying.service` runs it for queries that call SERVICE and kills it at their deadline,
which closes the connections pyoxigraph holds open (pyoxigraph itself has no timeout for
SERVICE calls, and an endpoint that never answers would hold the query forever).
"""

from __future__ import annotations

import json
import sys

import pyoxigraph as ox


def main() -> int:
    header = sys.stdin.buffer.readline()
    dataset = sys.stdin.buffer.read()
    try:
        text = json.loads(header)["query"]
        store = ox.Store()
        if dataset:
            store.bulk_load(dataset, format=ox.RdfFormat.N_QUADS)
        answer = store.query(text, use_default_graph_as_union=True)
        if isinstance(answer, ox.QuerySolutions | ox.QueryBoolean):
            body = answer.serialize(format=ox.QueryResultsFormat.JSON) or b""
            sys.stdout.buffer.write(b"results\n" + body)
        else:
            body = ox.serialize(list(answer), format=ox.RdfFormat.N_TRIPLES) or b""
            sys.stdout.buffer.write(b"graph\n" + body)
    except SyntaxError as exc:
        sys.stderr.write(f"SyntaxError: {exc}\n")
        return 1
    except (OSError, RuntimeError, ValueError, KeyError) as exc:
        sys.stderr.write(" ".join(f"{type(exc).__name__}: {exc}".split()) + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
