"""`push` guarantees what `publish` guarantees (issue 14, item 1), against a real `oxigraph serve`.

- it validates like publish: a record with violations is refused (nothing is sent), or with
  --skip-invalid left out, listed, and its graph kept in the store even with --prune;
- it pushes what `merge` decided: a merged .trig/.nq, or a published site, graph by graph
  as merged, without the statements that lost a conflict, with the provenance graph;
- pushing the same thing twice changes nothing.

What the store holds is read back with plain HTTP requests, not with migrmeta.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from command import run
from oxigraph_server import OxigraphServer
from paths import DATA, REPO

from migrmeta.merging.dataset import PROVENANCE
from migrmeta.merging.merge import merge
from migrmeta.merging.sources import GRAPH
from migrmeta.querying.store import ROOT
from migrmeta.rdf.terms import to_oxigraph

RECORDS = REPO / "records"
MERGE = DATA / "merge"
REFERENCE = f"{ROOT}reference/graph"
Quads = dict[str, set[ox.Triple]]


def dump(server: OxigraphServer) -> Quads:
    """Every named graph of the store as a set of triples (one GET of the whole dataset)."""
    response = requests.get(server.store_url, headers={"Accept": "application/n-quads"}, timeout=60)
    response.raise_for_status()
    graphs: Quads = {}
    for quad in ox.parse(response.content, format=ox.RdfFormat.N_QUADS):
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs.setdefault(quad.graph_name.value, set()).add(quad.triple)
    return graphs


def dataset(path: Path) -> Quads:
    graphs: Quads = {}
    fmt = ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.N_QUADS
    for quad in ox.parse(path.read_bytes(), format=fmt):
        name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else PROVENANCE
        graphs.setdefault(name, set()).add(quad.triple)
    return graphs


def bad_copy(tmp_path: Path) -> Path:
    """records/ with one record broken as the issue says: a two-letter country, a misspelt sample type."""
    folder = tmp_path / "records"
    folder.mkdir()
    for name in ("agencies.ttl", "mafe.ttl", "gb-ips.ttl"):
        shutil.copy(RECORDS / name, folder / name)
    text = (folder / "gb-ips.ttl").read_text(encoding="utf-8")
    broken = text.replace("dct:spatial country:GBR", "dct:spatial country:SN").replace(
        "st:probability.time-location", "st:probability.clustr")
    assert broken != text
    (folder / "gb-ips.ttl").write_text(broken, encoding="utf-8")
    return folder


@pytest.mark.server
def test_a_record_with_violations_is_not_pushed_over_the_good_graph(
        oxigraph: OxigraphServer, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good = tmp_path / "good"
    good.mkdir()
    for name in ("agencies.ttl", "mafe.ttl", "gb-ips.ttl"):
        shutil.copy(RECORDS / name, good / name)
    assert run(capsys, "push", str(good), "--endpoint", oxigraph.query_url)[0] == 0
    before = dump(oxigraph)
    folder = bad_copy(tmp_path)
    code, out, err = run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url)
    assert code == 1
    assert "gb-ips.ttl" in out and "probability.clustr" in out and "Nothing pushed" in err
    assert dump(oxigraph) == before  # nothing sent: the good graph is still there
    # the findings in the curator's language, as validate and publish give them (the researcher review)
    code, out, err = run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url, "--lang", "fr")
    assert code == 1 and "question 6 (Type d'échantillon)" in out and "item 6" not in out, out
    assert dump(oxigraph) == before
    code, out, err = run(capsys, "push", str(folder), "--endpoint", oxigraph.query_url, "--skip-invalid", "--prune")
    assert code == 0, out + err
    assert "Not pushed, 1 record with violations" in err  # not "1 records"
    assert f"  {folder / 'gb-ips.ttl'}" in err  # listed as not pushed
    graph = "https://w3id.org/migrmeta/survey/gb-ips/graph"
    assert dump(oxigraph)[graph] == before[graph]  # kept, not pruned: an invalid record is not a deleted one
    assert f"kept <{graph}>" not in out and "pruned <" not in out


@pytest.mark.server
def test_a_merged_dataset_is_pushed_as_merged(oxigraph: OxigraphServer, capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.trig"
    inputs = [str(MERGE / "psa" / "ph-sof.ttl"), f"{MERGE / 'un-desa-pd' / 'ph-sof.ttl'}=un-desa-pd",
              str(MERGE / "agencies.ttl")]
    assert run(capsys, "merge", *inputs, "--prefer", "psa", "-o", str(catalogue))[0] == 0
    merged = dataset(catalogue)
    superseded = [g for g in merged if g.endswith("/superseded")]
    assert superseded  # the curator's decision: the UN's start date lost
    code, out, err = run(capsys, "push", str(catalogue), "--endpoint", oxigraph.query_url)
    assert code == 0, out + err
    held = dump(oxigraph)
    expected = {g: t for g, t in merged.items() if g not in superseded}
    assert {g: t for g, t in held.items() if g != REFERENCE} == expected
    assert PROVENANCE in held and all(g.startswith(str(GRAPH)) for g in expected)
    union = set().union(*(t for g, t in held.items() if g not in (REFERENCE, PROVENANCE)))
    assert union == {ox.Triple(*(to_oxigraph(x) for x in t)) for t in merge(inputs, prefer=["psa"]).catalogue()}
    code, out, _ = run(capsys, "push", str(catalogue), "--endpoint", oxigraph.query_url)  # again
    assert code == 0 and dump(oxigraph) == held


@pytest.mark.server
def test_a_published_site_is_pushed_graph_by_graph(oxigraph: OxigraphServer, capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path) -> None:
    site = tmp_path / "site"
    inputs = [str(MERGE / "psa" / "ph-sof.ttl"), f"{MERGE / 'un-desa-pd' / 'ph-sof.ttl'}=un-desa-pd",
              str(MERGE / "agencies.ttl")]
    code, out, err = run(capsys, "publish", *inputs, "--prefer", "psa", "-o", str(site),
                         "--publisher", "agency:un-desa-pd")
    assert code == 0, out + err
    code, out, err = run(capsys, "push", str(site), "--endpoint", oxigraph.query_url, "--prune")
    assert code == 0, out + err
    held = dump(oxigraph)
    published = dataset(site / "catalog.trig")
    aside = [g for g in published if g.endswith(("/superseded", "/replaced"))]
    assert aside and not any(g in held for g in aside)
    assert {g: t for g, t in held.items() if g != REFERENCE} == {g: t for g, t in published.items() if g not in aside}
    # what the store's union default graph serves is the published catalogue, no more, no less
    union = set().union(*(t for g, t in held.items() if g not in (REFERENCE, PROVENANCE)))
    catalogue = {q.triple for q in ox.parse((site / "catalog.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)}
    assert union == catalogue
    code, _, _ = run(capsys, "push", str(site), "--endpoint", oxigraph.query_url, "--prune")
    assert code == 0 and dump(oxigraph) == held  # pushing twice changes nothing


def test_a_merged_dataset_with_violations_is_refused_whole(capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path) -> None:
    catalogue = tmp_path / "bad.trig"
    assert run(capsys, "merge", str(bad_copy(tmp_path)), "-o", str(catalogue))[0] == 0
    code, out, err = run(capsys, "push", str(catalogue), "--endpoint", "http://127.0.0.1:9/query")  # never contacted
    assert code == 1, out + err
    assert f"Nothing pushed: {catalogue} (a merged dataset) has violations; the store is unchanged." in err


def test_records_and_a_dataset_are_not_pushed_together(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.nq"
    assert run(capsys, "merge", str(MERGE / "psa" / "ph-sof.ttl"), "-o", str(catalogue))[0] == 0
    code, _, err = run(capsys, "push", str(catalogue), str(RECORDS / "mafe.ttl"), "--dry-run")
    assert code == 2 and "not both" in err


def test_the_python_api_says_why_nothing_was_sent(tmp_path: Path) -> None:
    import migrmeta

    report = migrmeta.push([bad_copy(tmp_path)], endpoint="http://127.0.0.1:9/query")  # never contacted
    assert report.refusal == "violations" and report.exit_code() == 1 and not report.ok
    assert report.plan is not None and report.plan.validation is not None
    assert report.plan.validation.count("violation") >= 1 and report.written == []
