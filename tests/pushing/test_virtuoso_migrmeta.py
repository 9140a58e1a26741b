"""`migrmeta push` and `migrmeta query --endpoint` against a real Virtuoso (issue 18, part 3).

What the store holds is read with plain HTTP (VirtuosoServer.sizes), the expected sizes come
from rdflib (test_push.expected_sizes). Each place where Virtuoso departs from the standard
(docs/federation.md, "Virtuoso"; the facts in test_virtuoso_protocol.py) has a test here
showing that migrmeta copes: the graph store URL derived from /sparql, digest credentials,
booleans written 1/0, blank nodes written nodeID://, CONSTRUCT answered as Accept asks
first, VALUES refused next to SERVICE, DISTINCT keeping duplicates, and a SERVICE call from
the embedded store that Virtuoso never answers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from command import run
from oxigraph_server import OxigraphServer
from paths import REPO
from rdflib import Graph
from test_push import RECORDS, expected_sizes, records_copy
from virtuoso_server import VirtuosoServer, virtuoso_binaries

from migrmeta.load.reference import reference_files
from migrmeta.namespaces import COUNTRY, DCT, MM, RDF, SURVEY
from migrmeta.querying.store import ROOT

pytestmark = pytest.mark.virtuoso

QUERIES = sorted(p.stem for p in (REPO / "queries").glob("*.rq"))


def load_catalogue(server: VirtuosoServer, folder: Path = RECORDS) -> dict[str, int]:
    """The records and the reference data as push names them, written with plain GSP PUTs."""
    graphs: dict[str, list[ox.Triple]] = {}
    for path in sorted(folder.glob("*.ttl")):
        subject = f"{ROOT}{path.stem}" if path.stem == "agencies" else str(SURVEY[path.stem])
        graphs[f"{subject}/graph"] = [q.triple for q in ox.parse(path=str(path))]
    graphs[f"{ROOT}reference/graph"] = [q.triple for f in reference_files() for q in ox.parse(path=str(f))]
    for name, triples in graphs.items():
        body = ox.serialize(sorted(set(triples), key=str), format=ox.RdfFormat.N_TRIPLES)
        requests.put(server.store_url, params={"graph": name}, data=body, headers={"Content-Type": "application/n-triples"},
                     auth=server.auth(), timeout=60).raise_for_status()
    return server.sizes()


def push(capsys: pytest.CaptureFixture[str], server: VirtuosoServer, folder: Path, *extra: str) -> tuple[int, str, str]:
    return run(capsys, "push", str(folder), "--endpoint", server.sparql_url, "--store", server.store_url, *extra)


def test_the_catalogue_loaded_by_hand_has_the_expected_sizes(virtuoso: VirtuosoServer) -> None:
    """The yardstick for the tests below: what a correct push leaves in Virtuoso."""
    assert load_catalogue(virtuoso) == expected_sizes(RECORDS)


def test_push_answers_virtuosos_digest_challenge(virtuoso: VirtuosoServer, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Virtuoso refuses Basic without a challenge on a first try, then challenges for Digest:
    the client switches to Digest and the credentials never show."""
    for name, value in virtuoso.env().items():
        monkeypatch.setenv(name, value)
    code, out, err = push(capsys, virtuoso, RECORDS)
    assert code == 0, out + err
    assert virtuoso.password not in out + err
    assert virtuoso.sizes() == expected_sizes(RECORDS)


def test_the_store_url_is_derived_from_sparql(virtuoso: VirtuosoServer, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Virtuoso's endpoint is /sparql, its read-write graph store /sparql-graph-crud-auth:
    push finds the one from the other, as it finds Oxigraph's /store from /query."""
    for name, value in virtuoso.env().items():
        monkeypatch.setenv(name, value)
    code, out, err = run(capsys, "push", str(RECORDS), "--endpoint", virtuoso.sparql_url)
    assert code == 0, out + err
    assert f"to {virtuoso.store_url}" in out
    assert virtuoso.sizes() == expected_sizes(RECORDS)


def test_wrong_credentials_are_refused_clearly(virtuoso: VirtuosoServer, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIGRMETA_USER", virtuoso.user)
    monkeypatch.setenv("MIGRMETA_PASSWORD", "not-the-password")
    code, out, err = run(capsys, "push", str(RECORDS), "--endpoint", virtuoso.sparql_url)
    assert code == 1 and "Traceback" not in out + err
    assert "HTTP 401" in out, out
    assert "not-the-password" not in out + err
    assert virtuoso.sizes() == {}


def test_push_repush_prune_and_exact(virtuoso: VirtuosoServer, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name, value in virtuoso.env().items():
        monkeypatch.setenv(name, value)
    code, out, err = push(capsys, virtuoso, RECORDS)
    assert code == 0, out + err
    graphs = len(list(RECORDS.glob("*.ttl"))) + 1  # and the reference data
    assert f"check: the store holds the same content (canonical N-Triples digests) in all {graphs} graphs" in out
    assert virtuoso.sizes() == expected_sizes(RECORDS)
    code, out, err = push(capsys, virtuoso, RECORDS)  # again: the same store
    assert code == 0, out + err
    assert virtuoso.sizes() == expected_sizes(RECORDS)
    folder = records_copy(tmp_path, *(p.name for p in sorted(RECORDS.glob("*.ttl")) if p.stem not in ("lamp", "mmp")))
    code, out, err = push(capsys, virtuoso, folder, "--prune", "--exact")
    assert code == 0, out + err
    assert "pruned <https://w3id.org/migrmeta/survey/lamp/graph>" in out
    assert virtuoso.sizes() == expected_sizes(folder)  # Virtuoso's own graphs untouched
    assert set(virtuoso.all_sizes()) >= virtuoso.baseline


def _rows(out: str) -> list[str]:
    return sorted(out.splitlines()[1:])


@pytest.mark.parametrize("question", QUERIES)
def test_saved_questions_answer_as_on_the_embedded_store(virtuoso: VirtuosoServer, capsys: pytest.CaptureFixture[str],
                                                         question: str) -> None:
    load_catalogue(virtuoso)
    code, remote, err = run(capsys, "query", question, "--endpoint", virtuoso.sparql_url, "--format", "tsv")
    assert code == 0, err
    code, local, err = run(capsys, "query", question, "--data", str(RECORDS), "--format", "tsv")
    assert code == 0, err
    assert remote.splitlines()[0] == local.splitlines()[0]
    assert _rows(remote) == _rows(local)


def test_construct_on_virtuoso_gives_a_graph(virtuoso: VirtuosoServer, capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    """A CONSTRUCT asks for RDF only (Virtuoso answers what Accept lists first): the same
    graph as the embedded store's, written the same."""
    load_catalogue(virtuoso)
    query = tmp_path / "units.rq"
    query.write_text("PREFIX mm: <https://w3id.org/migrmeta/ns#>\n"
                     "CONSTRUCT { ?s mm:samplingUnit ?u } WHERE { ?s mm:samplingUnit ?u }\n", encoding="utf-8")
    code, remote, err = run(capsys, "query", str(query), "--endpoint", virtuoso.sparql_url, "--format", "turtle")
    assert code == 0, err
    code, local, err = run(capsys, "query", str(query), "--data", str(RECORDS), "--format", "turtle")
    assert code == 0, err
    assert "mm:samplingUnit" in remote and remote == local


def test_blank_nodes_in_select_answers(virtuoso: VirtuosoServer, capsys: pytest.CaptureFixture[str],
                                       tmp_path: Path) -> None:
    """Virtuoso writes blank nodes as nodeID://b… in SPARQL results: read as blank nodes."""
    load_catalogue(virtuoso)
    query = tmp_path / "ids.rq"
    query.write_text("PREFIX mm: <https://w3id.org/migrmeta/ns#>\n"
                     "SELECT ?s ?id WHERE { ?s mm:identification ?id }\n", encoding="utf-8")
    for fmt in ("tsv", "json"):
        code, remote, err = run(capsys, "query", str(query), "--endpoint", virtuoso.sparql_url, "--format", fmt)
        assert code == 0, err
        code, local, err = run(capsys, "query", str(query), "--data", str(RECORDS), "--format", fmt)
        assert code == 0, err
        assert "nodeID://" not in remote
        assert len(remote.splitlines()) == len(local.splitlines())
    remote_tsv = run(capsys, "query", str(query), "--endpoint", virtuoso.sparql_url, "--format", "tsv")[1]
    rows = [line.split("\t") for line in remote_tsv.splitlines()[1:]]
    assert len(rows) > 1 and all(row[1].startswith("_:") for row in rows)


def test_booleans_come_back_as_true_and_false(virtuoso: VirtuosoServer, capsys: pytest.CaptureFixture[str]) -> None:
    """Virtuoso's JSON results write xsd:boolean as "1"/"0": read as true/false (the same values)."""
    load_catalogue(virtuoso)
    code, out, err = run(capsys, "query", "remittances", "--endpoint", virtuoso.sparql_url, "--format", "tsv")
    assert code == 0, err
    assert "boolean>" in out and '"1"^^' not in out and '"0"^^' not in out
    assert '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>' in out


def test_proxy_respondents_has_no_duplicate_rows(virtuoso: VirtuosoServer, capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    """With the records minus lamp and mmp, Virtuoso's DISTINCT alone kept duplicate rows
    (test_virtuoso_protocol); the saved question's nested DISTINCT does not, with and
    without its parameter."""
    folder = records_copy(tmp_path, *(p.name for p in sorted(RECORDS.glob("*.ttl")) if p.stem not in ("lamp", "mmp")))
    load_catalogue(virtuoso, folder)
    for params in ((), ("-p", "country=IND")):
        code, remote, err = run(capsys, "query", "proxy-respondents", *params, "--endpoint", virtuoso.sparql_url,
                                "--format", "tsv")
        assert code == 0, err
        code, local, err = run(capsys, "query", "proxy-respondents", *params, "--data", str(folder), "--format", "tsv")
        assert code == 0, err
        rows = remote.splitlines()[1:]
        assert rows and len(rows) == len(set(rows))
        assert _rows(remote) == _rows(local)


def _covering_mexico(record: str) -> set[str]:
    graph = Graph().parse(RECORDS / record, format="turtle")
    return {str(s) for s in graph.subjects(DCT.spatial, COUNTRY.MEX)
            if set(graph.objects(s, RDF.type)) & {MM.Survey, MM.SurveySeries}}


def _recipe(agency_a: str, agency_b: str) -> str:
    text = (REPO / "docs" / "federation.md").read_text(encoding="utf-8")
    recipe = re.findall(r"```sparql\n(.*?)```", text, re.S)[0]
    return recipe.replace("https://sparql.agency-a.example/query", agency_a).replace(
        "https://sparql.agency-b.example/query", agency_b)


def _two_agencies(virtuoso: VirtuosoServer, oxigraph: OxigraphServer, tmp_path: Path,
                  capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """ENADID (INEGI) pushed to Virtuoso, Emif Norte (COLEF) to Oxigraph, both by `migrmeta push`."""
    for agency, record, server in (("inegi", "mx-enadid.ttl", virtuoso.sparql_url),
                                   ("colef", "mx-emif-norte.ttl", oxigraph.query_url)):
        folder = tmp_path / agency
        folder.mkdir()
        for name in (record, "agencies.ttl"):
            (folder / name).write_bytes((RECORDS / name).read_bytes())
        with monkeypatch.context() as env:
            for name, value in virtuoso.env().items():
                env.setenv(name, value)
            code, out, err = run(capsys, "push", str(folder), "--endpoint", server)
        assert code == 0, out + err


def test_the_federation_recipe_with_a_parameter_runs_on_virtuoso(
        virtuoso: VirtuosoServer, oxigraph: OxigraphServer, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/federation.md's recipe, run on Virtuoso with `-p country=Mexico`: the country is
    written into the query (Virtuoso refuses a VALUES block next to SERVICE, SP031), and the
    surveys of both agencies come back."""
    _two_agencies(virtuoso, oxigraph, tmp_path, capsys, monkeypatch)
    query = tmp_path / "across-agencies.rq"
    query.write_text(_recipe(virtuoso.sparql_url, oxigraph.query_url), encoding="utf-8")
    code, shown, err = run(capsys, "query", str(query), "-p", "country=Mexico", "--endpoint", virtuoso.sparql_url,
                           "--show")
    assert code == 0, err
    assert "VALUES ?country" not in shown and "?country" not in shown.split("WHERE", 1)[1]
    assert "<http://publications.europa.eu/resource/authority/country/MEX>" in shown
    code, out, err = run(capsys, "query", str(query), "-p", "country=Mexico", "--endpoint", virtuoso.sparql_url,
                         "--format", "tsv")
    assert code == 0, err
    found = {(row.split("\t")[0].strip("<>"), row.split("\t")[3]) for row in out.splitlines()[1:]}
    expected = {(s, '"agency-a"') for s in _covering_mexico("mx-enadid.ttl")}
    expected |= {(s, '"agency-b"') for s in _covering_mexico("mx-emif-norte.ttl")}
    assert found == expected and len(expected) > 2
    code, out, err = run(capsys, "query", str(query), "-p", "country=SEN", "--endpoint", virtuoso.sparql_url,
                         "--format", "tsv")
    assert code == 0 and out.splitlines()[1:] == [], err


def test_the_embedded_store_never_hangs_on_a_virtuoso_service(
        virtuoso: VirtuosoServer, oxigraph: OxigraphServer, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """pyoxigraph calls SERVICE with an application/sparql-query body, which Virtuoso never
    answers (its issue 842): the query is stopped at --timeout with an error saying where to
    run it instead, and Virtuoso, hung up on, still answers afterwards."""
    _two_agencies(virtuoso, oxigraph, tmp_path, capsys, monkeypatch)
    query = tmp_path / "across-agencies.rq"
    query.write_text(_recipe(virtuoso.sparql_url, oxigraph.query_url), encoding="utf-8")
    code, out, err = run(capsys, "query", str(query), "-p", "country=MEX", "--data", str(RECORDS / "ph-sof.ttl"),
                         "--allow-service", "--timeout", "3")
    assert code == 1 and "Traceback" not in err
    assert "did not finish within 3 s" in err and "--endpoint" in err
    code, out, err = run(capsys, "query", "surveys-by-country", "-p", "country=MEX", "--endpoint", virtuoso.sparql_url,
                         "--format", "tsv")
    assert code == 0 and "mx-enadid" in out, err


def test_missing_virtuoso_fails_rather_than_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    import virtuoso_server

    monkeypatch.setattr(virtuoso_server.shutil, "which", lambda *args, **kwargs: None)
    with pytest.raises(pytest.fail.Exception, match=r"\.ci/install-virtuoso\.sh.*virtuoso-opensource-7-bin"):
        virtuoso_binaries()


def test_a_query_in_virtuosos_own_syntax_is_sent(virtuoso: VirtuosoServer, capsys: pytest.CaptureFixture[str]) -> None:
    """A DEFINE pragma is Virtuoso's, not SPARQL 1.1: it cannot be parsed here, and is still sent
    (a store reads its own extensions). A typo the store refuses keeps the local message, exit 3."""
    query = 'DEFINE sql:signal-void-variables 1 SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    code, out, err = run(capsys, "query", "-e", query, "--endpoint", virtuoso.sparql_url, "--format", "tsv")
    assert code == 0 and out.splitlines()[0] == "?n", out + err
    code, _, err = run(capsys, "query", "-e", "SELECT * WHERE { ?s ?p }", "--endpoint", virtuoso.sparql_url)
    assert code == 3 and "SPARQL syntax error" in err and "<query text>:1:" in err, err
