"""`push --prune` deletes only what it should, and says a prune happened only when it did:
against a real `oxigraph serve` (and a proxy in front of one, for a store that answers 204 to a
DELETE it never carried out).

- a record file (or standard input) with --prune is refused: pushing one record must not
  delete every other record's graph; `--dry-run --prune` lists what a prune would delete;
- a graph counts as pruned only when the endpoint no longer lists it after the DELETE;
- graphs of the catalogue under another --graph-base are reported, never deleted.

What the server holds is read back with plain HTTP requests, not with migrmeta.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from command import run
from oxigraph_server import ForwardingProxy, OxigraphServer
from paths import REPO
from test_push import records_copy

from migrmeta.namespaces import SURVEY

RECORDS = REPO / "records"
GONE = f"{SURVEY['wb-amp']}/graph"


@pytest.mark.server
def test_a_record_file_with_prune_is_refused(oxigraph: OxigraphServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "push", str(RECORDS), "--endpoint", oxigraph.query_url)[0] == 0
    before = oxigraph.sizes()
    code, out, err = run(capsys, "push", str(RECORDS / "mx-enadid.ttl"), "--endpoint", oxigraph.query_url, "--prune")
    assert code == 2, out + err
    assert "mx-enadid.ttl: --prune needs whole folders" in err and f"push the folder that holds it ({RECORDS}/)" in err
    assert out == "" and oxigraph.sizes() == before  # nothing sent, nothing deleted
    code, _, err = run(capsys, "push", "-", "--endpoint", oxigraph.query_url, "--prune")
    assert code == 2 and "not standard input" in err
    assert oxigraph.sizes() == before
    code, out, err = run(capsys, "push", str(RECORDS / "mx-enadid.ttl"), "--endpoint", oxigraph.query_url)
    assert code == 0, out + err  # without --prune, one record is pushed as ever
    assert oxigraph.sizes() == before


@pytest.mark.server
def test_dry_run_prune_lists_the_graphs_it_would_delete(oxigraph: OxigraphServer, capsys: pytest.CaptureFixture[str],
                                                        tmp_path: Path) -> None:
    folder = records_copy(tmp_path, "agencies.ttl", "mafe.ttl", "wb-amp.ttl")
    assert run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url)[0] == 0
    before = oxigraph.sizes()
    (folder / "wb-amp.ttl").unlink()
    code, out, err = run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url, "--prune", "--dry-run")
    assert code == 0, out + err
    assert f"would prune <{GONE}> ({before[GONE]} triples, not in the catalogue)" in out
    assert [line for line in out.splitlines() if line.startswith("would prune")] == [
        f"would prune <{GONE}> ({before[GONE]} triples, not in the catalogue)"]
    assert oxigraph.sizes() == before  # a dry run deletes nothing
    code, _, err = run(capsys, "push", str(folder), "--prune", "--dry-run")
    assert code == 2 and "--dry-run --prune needs --endpoint" in err


@pytest.mark.server
def test_a_delete_the_store_did_not_carry_out_is_not_a_prune(
        oxigraph: OxigraphServer, oxigraph_factory: Callable[..., OxigraphServer],
        forwarding_proxy: Callable[..., ForwardingProxy], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = records_copy(tmp_path, "agencies.ttl", "mafe.ttl", "wb-amp.ttl")
    assert run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url, "--no-reference")[0] == 0
    (folder / "wb-amp.ttl").unlink()
    proxy = forwarding_proxy(oxigraph.base, {"DELETE": 204})  # says it deleted, passes nothing on
    code, out, err = run(capsys, "push", str(folder), "--endpoint", proxy.url + "/query", "--prune", "--no-reference")
    assert code == 1, out + err
    assert "DELETE" in proxy.seen and GONE in oxigraph.sizes()
    assert f"pruned <{GONE}>" not in out and "an input was unreadable" not in out
    assert f"NOT PRUNED <{GONE}>: {proxy.url}/store answered the DELETE, yet {proxy.url}/query still lists" in out
    assert "are --store and --endpoint the same store?" in out
    # the query endpoint on one server, the graph store on another: the same prune that did not happen
    other = oxigraph_factory()
    code, out, err = run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url, "--store", other.store_url,
                         "--prune", "--no-reference")
    assert code == 1, out + err
    assert f"NOT PRUNED <{GONE}>" in out and f"pruned <{GONE}>" not in out and GONE in oxigraph.sizes()
    # a DELETE the store refuses is a prune that failed, not a check that failed
    failing = forwarding_proxy(oxigraph.base, {"DELETE": 500})
    code, out, err = run(capsys, "push", str(folder), "--endpoint", failing.url + "/query", "--prune",
                         "--no-reference", "--retries", "0")
    assert code == 1, out + err
    assert f"NOT PRUNED <{GONE}>: DELETE <{GONE}>: {failing.url}/store answered HTTP 500" in out
    assert "check failed" not in out and "check: the store holds the same content" in out
    # through a store that carries DELETE out, the prune happens and is said once
    code, out, err = run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url, "--prune", "--no-reference")
    assert code == 0, out + err
    assert f"pruned <{GONE}> (no longer in the catalogue)" in out and "NOT PRUNED" not in out
    assert GONE not in oxigraph.sizes()


@pytest.mark.server
def test_the_catalogue_under_another_graph_base_is_reported_not_deleted(
        oxigraph: OxigraphServer, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = records_copy(tmp_path, "agencies.ttl", "mafe.ttl", "mx-enadid.ttl")
    base = "https://example.org/agency-a/"
    code, out, err = run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url, "--prune", "--graph-base", base)
    assert code == 0, out + err
    code, out, err = run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url, "--prune")
    assert code == 0, out + err
    theirs = {f"{base}agencies", f"{base}reference", f"{base}survey/mafe", f"{base}survey/mx-enadid"}
    assert theirs <= set(oxigraph.sizes())  # not provably ours: never deleted
    assert len(oxigraph.sizes()) == 8
    assert f"also in the store under another graph base, <{base}>: 4 graphs of this catalogue" in out
    for name in theirs:
        assert f"  <{name}>" in out
    assert f"curl -X DELETE -G '{oxigraph.store_url}' --data-urlencode 'graph=IRI'" in out
    # and the other way round: the default naming's graphs seen from a push under a base
    code, out, err = run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url, "--graph-base", base,
                         "--dry-run", "--prune")
    assert code == 0, out + err
    assert "under another graph base, the default naming (<survey IRI>/graph): 4 graphs" in out
    assert f"  <{SURVEY['mafe']}/graph>" in out and "would prune nothing" in out


@pytest.mark.server
def test_a_site_pushed_where_its_records_were_pushed_under_a_base_names_them(
        oxigraph: OxigraphServer, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Records pushed one graph per file under --graph-base, then the published site (one graph
    per contribution): the store answered every survey twice, and the push said nothing of the
    records' graphs (the sync review)."""
    folder = records_copy(tmp_path, "agencies.ttl", "mafe.ttl", "mx-enadid.ttl")
    base = "https://example.org/agency-b/"
    code, out, err = run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url, "--graph-base", base)
    assert code == 0, out + err
    code, out, err = run(capsys, "publish", str(folder), "-o", str(tmp_path / "site"), "--no-cache", "-q")
    assert code == 0, out + err
    code, out, err = run(capsys, "push", str(tmp_path / "site"), "--endpoint", oxigraph.query_url, "--prune")
    assert code == 0, out + err
    assert f"also in the store under another graph base, <{base}>:" in out
    for name in (f"{base}agencies", f"{base}survey/mafe", f"{base}survey/mx-enadid"):
        assert f"  <{name}>" in out, out
        assert name in oxigraph.sizes()  # said, never deleted
