"""Push verifies content, not counts (issue 13, row 2).

A store that lies is played by a small HTTP proxy in front of a real `oxigraph serve`: it
forwards every request, except that it answers 204 to a PUT without passing it on
("drop"), or changes one literal of every graph it is sent ("alter"). The counts check
(`--check counts`, the old default) is shown to be fooled first; the content check, the
default now, must catch both and name each graph.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest
import requests
from command import run
from http_server import LocalServer, QuietHandler
from oxigraph_server import OxigraphServer
from paths import REPO

from migrmeta.pushing.verify import canonical_lines, digest

RECORDS = REPO / "records"
_LANG_LITERAL = re.compile(rb'^(.* ")((?:[^"\\]|\\.)*)("@[A-Za-z-]+ \.)$', re.M)


class LyingProxy(QuietHandler):
    """Forwards to `upstream`; `mode` says how it lies about PUTs ("", "drop", "alter"), or
    "mute": queries after the first PUT are answered 503."""

    upstream: ClassVar[str] = ""
    mode: ClassVar[str] = ""
    lied_about: ClassVar[list[str]]

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        graph = parse_qs(urlsplit(self.path).query).get("graph", [""])[0]
        if self.mode == "mute" and self.command == "PUT":
            self.lied_about.append(graph)
        if self.mode == "mute" and self.lied_about and urlsplit(self.path).path.endswith("/query"):
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.command == "PUT" and self.mode == "drop":
            self.lied_about.append(graph)
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.command == "PUT" and self.mode == "alter":
            body, changed = _LANG_LITERAL.subn(rb"\1\2 (changed)\3", body, count=1)
            if changed:
                self.lied_about.append(graph)
        headers = {k: v for k, v in self.headers.items() if k in ("Content-Type", "Accept")}
        answer = requests.request(self.command, self.upstream + self.path, data=body or None, headers=headers,
                                  timeout=120)
        self.send_response(answer.status_code)
        self.send_header("Content-Type", answer.headers.get("Content-Type", "application/octet-stream"))
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)

    do_GET = do_POST = do_PUT = do_DELETE = _forward


@pytest.fixture
def lying(http_server: Callable[[type[QuietHandler]], LocalServer], oxigraph: OxigraphServer
          ) -> Callable[[str], tuple[LocalServer, list[str]]]:
    """`lying(mode)`: a proxy in front of the test's Oxigraph server, and the graphs it lied about."""

    def start(mode: str) -> tuple[LocalServer, list[str]]:
        lies: list[str] = []
        handler = type("Proxy", (LyingProxy,), {"upstream": oxigraph.base, "mode": mode, "lied_about": lies})
        return http_server(handler), lies

    return start


def push_through(capsys: pytest.CaptureFixture[str], proxy: LocalServer, folder: Path, *extra: str
                 ) -> tuple[int, str, str]:
    return run(capsys, "push", str(folder), "--endpoint", proxy.url + "/query", "--store", proxy.url + "/store",
               *extra)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    records = tmp_path / "records"
    records.mkdir()
    for name in ("agencies.ttl", "mafe.ttl", "wb-amp.ttl"):
        shutil.copy(RECORDS / name, records / name)
    return records


@pytest.mark.server
def test_an_honest_store_passes_the_content_check(lying: Callable[[str], tuple[LocalServer, list[str]]],
                                                  folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proxy, _ = lying("")
    code, out, err = push_through(capsys, proxy, folder)
    assert code == 0, out + err
    assert "check: the store holds the same content (canonical N-Triples digests) in all 4 graphs" in out


@pytest.mark.server
def test_a_dropped_put_is_caught(lying: Callable[[str], tuple[LocalServer, list[str]]], oxigraph: OxigraphServer,
                                 folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url)[0] == 0
    record = folder / "mafe.ttl"  # an edit that keeps the number of triples
    record.write_text(record.read_text(encoding="utf-8").replace("Migrations between Africa and Europe",
                                                                  "Migrations between Africa and Europe, revised"),
                      encoding="utf-8")
    proxy, dropped = lying("drop")
    code, out, _ = push_through(capsys, proxy, folder, "--check", "counts")
    assert code == 0 and dropped  # the fault: the store kept the old graph, the counts agree
    code, out, _ = push_through(capsys, proxy, folder)
    assert code == 1, out
    graph = "https://w3id.org/migrmeta/survey/mafe/graph"
    assert [line.split()[1] for line in out.splitlines() if line.startswith("MISMATCH")] == [f"<{graph}>"]
    assert "1 triple missing, 1 unexpected" in out and "revised" in out


@pytest.mark.server
def test_a_changed_literal_is_caught_in_every_graph(lying: Callable[[str], tuple[LocalServer, list[str]]],
                                                    folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proxy, altered = lying("alter")
    code, out, _ = push_through(capsys, proxy, folder, "--check", "counts")
    assert code == 0 and len(altered) == 4  # the fault: one literal changed per graph, counts unchanged
    altered.clear()
    code, out, _ = push_through(capsys, proxy, folder)
    assert code == 1, out
    named = sorted(line.split()[1].strip("<>") for line in out.splitlines() if line.startswith("MISMATCH"))
    assert named == sorted(altered) and len(named) == 4
    assert "(changed)" in out


def test_the_digest_ignores_blank_node_labels_and_sees_a_changed_value() -> None:
    def parse(text: str) -> list[ox.Triple]:
        return [q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)]

    first = parse('<urn:s> <urn:p> [ <urn:q> "a"@en ; <urn:r> [ <urn:q> "b" ] ] .')
    relabelled = parse('<urn:s> <urn:p> _:x . _:x <urn:r> _:y . _:y <urn:q> "b" . _:x <urn:q> "a"@EN .')
    changed = parse('<urn:s> <urn:p> [ <urn:q> "a"@en ; <urn:r> [ <urn:q> "c" ] ] .')
    assert digest(canonical_lines(first)) == digest(canonical_lines(relabelled))
    assert digest(canonical_lines(first)) != digest(canonical_lines(changed))


@pytest.mark.server
def test_a_literal_the_store_writes_in_canonical_form_is_the_same_content(
        lying: Callable[[str], tuple[LocalServer, list[str]]], folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """"1000.0"^^xsd:decimal comes back from Oxigraph as "1000": the check said MISMATCH, exit 1."""
    record = folder / "mafe.ttl"
    text = record.read_text(encoding="utf-8")
    edited = text.replace('dct:alternative "MAFE" ;', 'dct:alternative "MAFE" ;\n'
                          '    dcat:spatialResolutionInMeters "1000.0"^^xsd:decimal ;', 1)
    assert edited != text
    record.write_text(edited, encoding="utf-8")
    proxy, _ = lying("")
    code, out, err = push_through(capsys, proxy, folder)
    assert code == 0, out + err
    assert "MISMATCH" not in out


def test_canonical_lines_read_numbers_as_a_store_keeps_them() -> None:
    def parse(text: str) -> list[ox.Triple]:
        return [q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)]

    written = parse('@prefix x: <http://www.w3.org/2001/XMLSchema#> . <urn:s> <urn:p> "1000.0"^^x:decimal, '
                    '"1.5E0"^^x:double .')
    kept = parse('@prefix x: <http://www.w3.org/2001/XMLSchema#> . <urn:s> <urn:p> "1000"^^x:decimal, "1.5"^^x:double .')
    assert canonical_lines(written) == canonical_lines(kept)


@pytest.mark.server
def test_a_store_that_stops_answering_before_the_prune_says_nothing_was_pruned(
        lying: Callable[[str], tuple[LocalServer, list[str]]], folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The graphs written, the listing before the DELETEs failed: 'check failed: ... timed out' and no
    word of the prune asked for (the curator's review)."""
    proxy, _ = lying("mute")
    code, out, err = push_through(capsys, proxy, folder, "--prune")
    assert code == 1, out + err
    assert "the store's graphs could not be listed, so nothing was pruned" in out + err


@pytest.mark.server
def test_an_endpoint_of_another_server_than_the_store_is_not_a_passed_check(
        oxigraph_factory: Callable[..., OxigraphServer], folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--store one server, --endpoint another: 'check: the store holds the same content ... in all
    graphs', exit 0, and the endpoint, which researchers query, held none of them."""
    queried, written = oxigraph_factory(), oxigraph_factory()
    code, out, err = run(capsys, "push", str(folder), "--endpoint", queried.query_url, "--store", written.store_url)
    assert code == 1, out + err
    assert "the endpoint lists none of the 4 graphs just written to the store" in out + err
    assert "are --endpoint and --store one server?" in out + err
