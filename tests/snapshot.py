"""Golden files (linkml's snapshot fixture, as style.md advises): what the writers write for
two records, kept in tests/snapshots/ and compared on every run.

RDF is compared as isomorphic graphs (a failure prints the triples only on one side); XML
and HTML byte for byte (a failure prints a unified diff). `pytest --update-snapshots`
rewrites the files from what the code writes now: review the change with git diff.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
RDF_FORMATS = {".ttl": "turtle", ".jsonld": "jsonld", ".nt": "ntriples"}

Check = Callable[[str, bytes], None]


def _graph(data: bytes, name: str) -> Graph:
    from migrmeta.load import parse_bytes  # the one reader: the JSON-LD context is read locally

    return parse_bytes(data, name, RDF_FORMATS[Path(name).suffix]).graph


def _compare_rdf(name: str, expected: bytes, actual: bytes) -> None:
    left, right = to_isomorphic(_graph(expected, name)), to_isomorphic(_graph(actual, name))
    if left == right:
        return
    _, only_expected, only_actual = graph_diff(left, right)
    lines = [f"- {t}" for t in sorted(only_expected.serialize(format="nt").splitlines())]
    lines += [f"+ {t}" for t in sorted(only_actual.serialize(format="nt").splitlines())]
    pytest.fail(f"{name} differs from its snapshot (as graphs):\n" + "\n".join(lines[:80]), pytrace=False)


def _compare_bytes(name: str, expected: bytes, actual: bytes) -> None:
    if expected == actual:
        return
    diff = difflib.unified_diff(expected.decode("utf-8", "replace").splitlines(),
                                actual.decode("utf-8", "replace").splitlines(), "snapshot", "now", lineterm="")
    pytest.fail(f"{name} differs from its snapshot:\n" + "\n".join(list(diff)[:80]), pytrace=False)


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Check:
    update = bool(request.config.getoption("--update-snapshots"))

    def check(name: str, actual: bytes) -> None:
        path = SNAPSHOTS / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(actual)
            return
        if not path.is_file():
            pytest.fail(f"no snapshot {path}: run `pytest --update-snapshots` and review it", pytrace=False)
        compare = _compare_rdf if path.suffix in RDF_FORMATS else _compare_bytes
        compare(name, path.read_bytes(), actual)

    return check
