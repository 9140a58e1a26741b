"""`migrmeta push` against a real Oxigraph server: push, re-push, prune, checks, failures.

What the server holds is read back with plain HTTP requests (not migrmeta), and the
expected sizes come from rdflib parses of the record files.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from command import run
from oxigraph_server import OxigraphServer, ScriptedServer
from paths import REPO
from rdflib import Graph
from rdflib.compare import isomorphic

from migrmeta.io.http import HttpClient
from migrmeta.load.reference import reference_files
from migrmeta.namespaces import SURVEY
from migrmeta.pushing.gsp import GraphStore, PushInterrupted, check, derive_store_url, push
from migrmeta.pushing.plan import plan
from migrmeta.pushing.render import render_push
from migrmeta.querying.endpoint import SparqlEndpoint
from migrmeta.querying.store import ROOT, CatalogueGraph, GraphNaming
from migrmeta.rdf.terms import to_rdflib

RECORDS = REPO / "records"
REFERENCE = f"{ROOT}reference/graph"


def expected_sizes(folder: Path, *, reference: bool = True) -> dict[str, int]:
    """Graph name -> triples, from rdflib and the naming rule of docs/queries.md."""
    sizes: dict[str, int] = {}
    for path in sorted(folder.glob("*.ttl")):
        graph = Graph().parse(path, format="turtle")
        stem = path.stem
        subject = f"{ROOT}{stem}" if stem == "agencies" else str(SURVEY[stem])
        sizes[f"{subject}/graph"] = len(graph)
    if reference:
        merged = Graph()
        for path in reference_files():
            merged.parse(path, format="turtle")
        sizes[REFERENCE] = len(merged)
    return sizes


def dump(server: OxigraphServer) -> dict[str, Graph]:
    """Every named graph of the server, fetched with one GSP GET of the whole dataset."""
    response = requests.get(server.store_url, headers={"Accept": "application/n-quads"}, timeout=30)
    response.raise_for_status()
    graphs: dict[str, Graph] = {}
    for quad in ox.parse(response.content, format=ox.RdfFormat.N_QUADS):
        graph = graphs.setdefault(quad.graph_name.value, Graph())
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graphs


def records_copy(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "records"
    folder.mkdir()
    for name in names:
        shutil.copy(RECORDS / name, folder / name)
    return folder



@pytest.mark.server
def test_push_writes_one_graph_per_record(oxigraph: OxigraphServer, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "push", str(RECORDS), "--endpoint", oxigraph.query_url)
    assert code == 0, out + err
    assert oxigraph.sizes() == expected_sizes(RECORDS)
    assert "check: the store holds the same content" in out


@pytest.mark.server
def test_push_twice_changes_nothing(oxigraph: OxigraphServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "push", str(RECORDS), "--endpoint", oxigraph.query_url)[0] == 0
    first = dump(oxigraph)
    code, out, _ = run(capsys, "push", str(RECORDS), "--endpoint", oxigraph.query_url, "--exact")  # an alias now
    assert code == 0, out
    second = dump(oxigraph)
    assert set(first) == set(second) == set(expected_sizes(RECORDS))
    for name in first:  # blank nodes get new labels on each PUT: compare as graphs
        assert isomorphic(first[name], second[name]), name


@pytest.mark.server
def test_prune_removes_deleted_records_only(oxigraph: OxigraphServer, capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path) -> None:
    folder = records_copy(tmp_path, "agencies.ttl", "mafe.ttl", "wb-amp.ttl", "ph-sof.ttl")
    requests.put(oxigraph.store_url, params={"graph": "https://example.org/someone-else"}, data="<urn:a> <urn:b> <urn:c> .",
                 headers={"Content-Type": "application/n-triples"}, timeout=10).raise_for_status()
    assert run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url)[0] == 0
    gone = f"{SURVEY['wb-amp']}/graph"
    (folder / "wb-amp.ttl").write_text("@prefix broken", encoding="utf-8")  # its survey is still in the catalogue
    code, out, _ = run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url, "--prune", "--skip-invalid")
    assert f"kept <{gone}>: no input read gives it (not pruned: an input was unreadable, which may be the one " \
           "that gives it)" in out, out
    assert gone in oxigraph.sizes()
    (folder / "wb-amp.ttl").unlink()
    code, out, _ = run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url)
    assert code == 0 and f"kept <{gone}>" in out and gone in oxigraph.sizes()
    code, out, _ = run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url, "--prune")
    assert code == 0 and f"pruned <{gone}>" in out
    sizes = oxigraph.sizes()
    assert gone not in sizes
    assert sizes == {**expected_sizes(folder), "https://example.org/someone-else": 1}


@pytest.mark.server
def test_unreadable_record_is_not_pruned(oxigraph: OxigraphServer, capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    folder = records_copy(tmp_path, "agencies.ttl", "mafe.ttl", "wb-amp.ttl")
    assert run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url, "--no-reference")[0] == 0
    (folder / "wb-amp.ttl").write_text("this is not turtle", encoding="utf-8")
    code, out, err = run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url, "--prune", "--no-reference")
    assert code == 3
    assert "wb-amp.ttl:1" in out + err
    assert f"{SURVEY['wb-amp']}/graph" in oxigraph.sizes()


@pytest.mark.server
def test_graph_base(oxigraph: OxigraphServer, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = records_copy(tmp_path, "agencies.ttl", "mafe.ttl")
    base = "https://data.example.org/graphs/"
    code, out, _ = run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url, "--graph-base", base)
    assert code == 0, out
    assert set(oxigraph.sizes()) == {f"{base}survey/mafe", f"{base}agencies", f"{base}reference"}


@pytest.mark.server
def test_partial_failure_says_what_was_written(own_oxigraph: OxigraphServer) -> None:
    naming = GraphNaming()
    graphs, errors = plan([str(RECORDS)], naming)
    assert errors == [] and len(graphs) > 5
    client = HttpClient(retries=1, backoff=0.01)
    store = GraphStore(own_oxigraph.store_url, client)

    def stop_after_three(event: str, graph: CatalogueGraph) -> None:
        if event == "written" and graph.name == graphs[2].name:
            own_oxigraph.stop()  # the server goes away part-way

    report = push(graphs, SparqlEndpoint(own_oxigraph.query_url, client), store, naming, progress=stop_after_three)
    assert report.written == [g.name for g in graphs[:3]]
    assert list(report.failed) == [graphs[3].name] and "cannot reach" in report.failed[graphs[3].name]
    assert report.not_attempted == [g.name for g in graphs[4:]]
    assert report.exit_code() == 1
    text = render_push(report)
    assert "failed part-way: 3 of" in text
    for graph in graphs:
        assert f"<{graph.name}> ({graph.source})" in text


@pytest.mark.server
def test_rejected_graph_is_reported_and_others_written(oxigraph: OxigraphServer) -> None:
    naming = GraphNaming()
    graphs, _ = plan([str(RECORDS / "mafe.ttl"), str(RECORDS / "wb-amp.ttl")], naming, reference=False)
    rejected = CatalogueGraph("not an IRI", "made-up.ttl", graphs[0].triples)  # the server answers 400
    client = HttpClient(retries=0)
    report = push([graphs[0], rejected, graphs[1]], SparqlEndpoint(oxigraph.query_url, client),
                  GraphStore(oxigraph.store_url, client), naming)
    assert report.written == [graphs[0].name, graphs[1].name]
    assert "HTTP 400" in report.failed["not an IRI"] and report.not_attempted == []
    assert report.exit_code() == 1


@pytest.mark.server
def test_check_finds_a_changed_graph(oxigraph: OxigraphServer) -> None:
    naming = GraphNaming()
    graphs, _ = plan([str(RECORDS / "mafe.ttl")], naming, reference=False)
    client = HttpClient(retries=0)
    endpoint, store = SparqlEndpoint(oxigraph.query_url, client), GraphStore(oxigraph.store_url, client)
    assert push(graphs, endpoint, store, naming).ok
    name = graphs[0].name
    # same number of triples, one of them different: only the content check can see it
    update = (f"DELETE {{ GRAPH <{name}> {{ ?s <http://purl.org/dc/terms/identifier> ?id }} }} "
              f"INSERT {{ GRAPH <{name}> {{ ?s <http://purl.org/dc/terms/identifier> 'changed' }} }} "
              f"WHERE {{ GRAPH <{name}> {{ ?s <http://purl.org/dc/terms/identifier> ?id }} }}")
    requests.post(oxigraph.base + "/update", data={"update": update}, timeout=10).raise_for_status()
    assert check(graphs, endpoint, store, naming, check="counts").ok
    exact = check(graphs, endpoint, store, naming)
    assert not exact.ok and exact.mismatches[0].graph == name
    requests.post(oxigraph.base + "/update", data={"update": f"DELETE WHERE {{ GRAPH <{name}> {{ ?s ?p 'changed' }} }}"},
                  timeout=10).raise_for_status()
    counted = check(graphs, endpoint, store, naming, check="counts")
    assert [(m.expected, m.found) for m in counted.mismatches] == [(len(graphs[0]), len(graphs[0]) - 1)]
    assert "MISMATCH" in render_push(counted)


@pytest.mark.server
def test_a_store_url_that_is_not_a_graph_store_stops_at_the_first_graph(
        oxigraph: OxigraphServer, capsys: pytest.CaptureFixture[str]) -> None:
    """`--endpoint .../sparql` on Oxigraph: the derived store (Virtuoso's path) is not there. One
    failure, said once with what to do, rather than the same 404 for each of the 66 graphs."""
    code, out, err = run(capsys, "push", str(RECORDS), "--endpoint", oxigraph.base + "/sparql", "--retries", "0")
    assert code == 1, out + err
    assert out.count("HTTP 404") == 1 and out.count("FAILED") == 1
    assert f"failed: 0 of {len(expected_sizes(RECORDS))} graphs written" in out
    assert f"not written  the other {len(expected_sizes(RECORDS)) - 1} graphs (not tried)" in out
    assert "it was derived from --endpoint, which must be the SPARQL query URL (Oxigraph: http://host:7878/query" in out
    assert "once the store is reachable" not in out
    assert oxigraph.sizes() == {}


@pytest.mark.server
def test_ctrl_c_says_what_was_written(oxigraph: OxigraphServer, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = records_copy(tmp_path, "agencies.ttl", "mafe.ttl", "wb-amp.ttl", "ph-sof.ttl")
    put = GraphStore.put
    sent: list[str] = []

    def put_then_ctrl_c(self: GraphStore, graph: CatalogueGraph) -> None:
        if len(sent) == 2:
            raise KeyboardInterrupt  # the user presses Ctrl-C while the third PUT is under way
        put(self, graph)
        sent.append(graph.name)

    monkeypatch.setattr(GraphStore, "put", put_then_ctrl_c)
    code, out, err = run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url)
    assert code == 130, out + err
    assert set(oxigraph.sizes()) == set(sent)
    assert "interrupted while writing: 2 of 5 graphs written" in out
    for name in sent:
        assert f"  written      <{name}>" in out
    assert "  unknown      <" in out and out.count("  not written  <") == 2
    assert "run the same push again" in out and "Aborted" not in err


@pytest.mark.server
def test_ctrl_c_while_pruning_says_what_was_deleted(oxigraph: OxigraphServer, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = records_copy(tmp_path, "agencies.ttl", "mafe.ttl", "wb-amp.ttl", "ph-sof.ttl", "lamp.ttl", "mmp.ttl")
    code, out, err = run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url)
    assert code == 0, out + err
    for name in ("wb-amp.ttl", "ph-sof.ttl", "lamp.ttl", "mmp.ttl"):
        (folder / name).unlink()
    delete = GraphStore.delete
    deleted: list[str] = []

    def delete_then_ctrl_c(self: GraphStore, name: str) -> None:
        if len(deleted) == 2:
            raise KeyboardInterrupt  # Ctrl-C while the third DELETE is under way
        delete(self, name)
        deleted.append(name)

    monkeypatch.setattr(GraphStore, "delete", delete_then_ctrl_c)
    code, out, err = run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url, "--prune")
    assert code == 130, out + err
    assert "interrupted while pruning" in out
    assert all(f"  DELETE sent  <{name}>" in out for name in deleted)
    assert out.count("  unknown      <") == 1 and out.count("  not deleted  <") == 1, out


@pytest.mark.server
def test_ctrl_c_in_the_library_carries_the_report(oxigraph: OxigraphServer) -> None:
    naming = GraphNaming()
    graphs, _ = plan([str(RECORDS / "mafe.ttl"), str(RECORDS / "wb-amp.ttl")], naming, reference=False)
    client = HttpClient(retries=0)

    def ctrl_c(event: str, graph: CatalogueGraph) -> None:
        raise KeyboardInterrupt

    with pytest.raises(PushInterrupted) as stopped:  # a KeyboardInterrupt, with what was done
        push(graphs, SparqlEndpoint(oxigraph.query_url, client), GraphStore(oxigraph.store_url, client), naming,
             progress=ctrl_c)
    report = stopped.value.report
    assert isinstance(stopped.value, KeyboardInterrupt)
    assert report.written == [graphs[0].name] and report.not_attempted == [graphs[1].name]
    assert report.exit_code() == 130 and not report.ok


def test_store_url_is_derived_or_required(capsys: pytest.CaptureFixture[str]) -> None:
    assert derive_store_url("http://h:7878/query") == "http://h:7878/store"
    assert derive_store_url("http://h:8890/sparql") == "http://h:8890/sparql-graph-crud-auth"  # Virtuoso
    assert derive_store_url("http://h:8890/sparql-auth/") == "http://h:8890/sparql-graph-crud-auth"
    code, _, err = run(capsys, "push", str(RECORDS / "mafe.ttl"), "--endpoint", "http://h:3030/ds/sparql")
    assert code == 2 and "--store" in err


def test_dry_run_sends_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "push", str(RECORDS), "--dry-run")
    assert code == 0
    for name, size in expected_sizes(RECORDS).items():
        assert any(line.split()[:2] == [name, str(size)] for line in out.splitlines()), name


@pytest.mark.parametrize("failures", [2, 5])
def test_retries_are_bounded(scripted: Callable[..., ScriptedServer], failures: int) -> None:
    server = scripted([(503, "text/plain", b"busy")] * failures + [(204, "text/plain", b"")])
    graphs, _ = plan([str(RECORDS / "mafe.ttl")], GraphNaming(), reference=False)
    store = GraphStore(server.url + "/store", HttpClient(retries=3, backoff=0.01))
    if failures <= 3:
        store.put(graphs[0])
        assert len(server.seen) == failures + 1
    else:
        with pytest.raises(Exception, match="HTTP 503"):
            store.put(graphs[0])
        assert len(server.seen) == 4  # one try and three retries
    assert all(s.method == "PUT" and s.headers["Content-Type"].startswith("application/n-triples")
               for s in server.seen)


def test_push_credentials_are_not_printed(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                          scripted: Callable[..., ScriptedServer]) -> None:
    server = scripted([(401, "text/plain", b"who are you? {auth}")])
    monkeypatch.setenv("MIGRMETA_TOKEN", "very-secret-token")
    code, out, err = run(capsys, "push", str(RECORDS / "mafe.ttl"), "--endpoint", server.url + "/query")
    assert code == 1 and "HTTP 401" in out
    assert "hint: give credentials: MIGRMETA_USER and MIGRMETA_PASSWORD, or MIGRMETA_TOKEN" in out
    assert "once the store is reachable" not in out and "push again once this is fixed" in out  # it answered
    assert "very-secret-token" not in out + err
    assert server.seen[0].headers["Authorization"] == "Bearer very-secret-token"
    assert len(server.seen) == 1  # refused credentials: no point trying the other graphs


def test_missing_server_binary_fails_rather_than_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    import oxigraph_server

    monkeypatch.setattr(oxigraph_server.shutil, "which", lambda *args, **kwargs: None)
    with pytest.raises(pytest.fail.Exception, match=r"pip install -e '\.\[test\]'"):
        oxigraph_server.oxigraph_binary()
