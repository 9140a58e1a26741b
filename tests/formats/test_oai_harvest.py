"""`migrmeta harvest oai`: a real local OAI-PMH repository (tests/oai_server.py) serving the real
DDI files of tests/data/ddi in pages of two, with a deletion, error answers, a 503 with
Retry-After, a malformed page, a token that loops, a redirect to another site, and a page over
the size cap. Each scenario drives the command (or the library call) and checks the drafts, the
loss reports, the harvest state and the requests the repository saw."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from command import run
from http_server import LocalServer
from oai_server import REAL, Item, Repository, codebook_of, ddi_items, dublin_core
from paths import DATA, RECORDS
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from migrmeta.errors import InputError
from migrmeta.formats.ddi.reader import read_ddi
from migrmeta.formats.harmonize import Draft
from migrmeta.formats.oai import HarvestOptions, OaiClient, harvest
from migrmeta.formats.oai.state import STATE_FILE, HarvestState
from migrmeta.io.http import HttpClient
from migrmeta.load import parse_bytes, read_input
from migrmeta.namespaces import COUNTRY, DCT, PROV, RDF
from migrmeta.values.agencies import Agencies

AGENCIES = RECORDS / "agencies.ttl"
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
StartServer = Callable[[type], LocalServer]


def repository(*, deleted: bool = True) -> Repository:
    """The five real DDI files and, after them, one record deleted at the source: three pages."""
    items = ddi_items()
    if deleted:
        items.append(Item("oai:test.migrmeta:withdrawn", "2023-06-15", deleted=True))
    return Repository(items)


def harvest_cli(capsys: pytest.CaptureFixture[str], server: LocalServer, output: Path,
                *extra: str) -> tuple[int, str, str]:
    return run(capsys, "harvest", "oai", f"{server.url}/oai", "-o", str(output), "--agencies", str(AGENCIES),
               "--retries", "2", *extra)


def state(output: Path) -> dict:
    return json.loads((output / STATE_FILE).read_text(encoding="utf-8"))["endpoints"][0]


def graph_of(path: Path) -> Graph:
    return read_input(str(path)).graph


def without_provenance(graph: Graph) -> Graph:
    """The draft as `import ddi` makes it: the harvest's dct:source and prov:wasDerivedFrom left out."""
    out = Graph()
    nodes = set(graph.objects(None, PROV.wasDerivedFrom))
    for s, p, o in graph:
        if s in nodes or p == PROV.wasDerivedFrom or (p == DCT.source and "verb=GetRecord" in str(o)):
            continue
        out.add((s, p, o))
    return out


def test_a_full_harvest_pages_over_tokens_and_gives_the_drafts_of_import_ddi(
        http_server: StartServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = repository()
    repo.busy_pages = {1}  # the second page: 503 + Retry-After: 1, once
    server = http_server(repo.handler())
    code, out, err = harvest_cli(capsys, server, tmp_path / "drafts", "--format", "json")
    assert code == 0, err
    # the requests: Identify, formats, three pages (the busy one twice), all to the base URL
    assert server.hits[:3] == ["/oai?verb=Identify", "/oai?verb=ListMetadataFormats",
                               "/oai?verb=ListRecords&metadataPrefix=oai_ddi25"]
    tokens = [h for h in server.hits if "resumptionToken" in h]
    assert len(tokens) == 3 and tokens[0] == tokens[1] and tokens[1] != tokens[2]
    assert all(h.startswith("/oai?") for h in server.hits)
    assert "5 drafts written, 3 pages" in err and "deleted at the source: oai:test.migrmeta:withdrawn" in err
    # each draft is import ddi's draft of the same file, plus provenance; the same loss report
    reports = json.loads(out)["reports"]
    assert len(reports) == len(REAL)
    book = Agencies.from_file(AGENCIES)  # one for the run, as `import ddi` of several files has
    for name, datestamp in REAL.items():
        identifier = f"oai:test.migrmeta:{name.rsplit('.', 1)[0]}"
        (expected,) = read_ddi(DATA / "ddi" / name, agencies=book)
        path = tmp_path / "drafts" / expected.filename
        harvested = graph_of(path)
        assert isomorphic(without_provenance(harvested), graph_of_draft(expected)), name
        url = URIRef(f"{server.url}/oai?verb=GetRecord&identifier={identifier.replace(':', '%3A')}"
                     "&metadataPrefix=oai_ddi25")
        assert (expected.survey, DCT.source, url) in harvested
        (node,) = harvested.objects(expected.survey, PROV.wasDerivedFrom)
        assert isinstance(node, BNode) and (node, RDF.type, PROV.Entity) in harvested
        assert (node, DCT.identifier, Literal(identifier)) in harvested
        assert (node, DCT.modified, Literal(datestamp, datatype=XSD_DATE)) in harvested
        report = next(r for r in reports if r["source"] == str(url))
        assert report["lost"] == [{"location": x.location, "count": x.count, "item": x.item, "note": x.note}
                                  for x in expected.report.lost]
        assert report["output"] == str(path)
    remembered = state(tmp_path / "drafts")
    assert remembered["last_harvest"] == repo.response_date and remembered["metadata_prefix"] == "oai_ddi25"
    assert remembered["records"]["oai:test.migrmeta:withdrawn"] == {"datestamp": "2023-06-15", "deleted": True,
                                                                    "files": []}


def graph_of_draft(draft: Draft) -> Graph:
    return parse_bytes(draft.turtle().encode(), "draft", "turtle").graph


def test_the_next_harvest_asks_only_for_what_changed_and_prune_deletes(
        http_server: StartServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = repository(deleted=False)
    server = http_server(repo.handler())
    drafts = tmp_path / "drafts"
    assert harvest_cli(capsys, server, drafts)[0] == 0
    before = {p.name: p.read_bytes() for p in drafts.glob("*.ttl")}
    # at the source: gesis-2800 changes, ukds-7481 is deleted, a day later
    gesis, ukds = repo.items[3], repo.items[4]
    gesis.datestamp, gesis.metadata = "2024-07-01", gesis.metadata.replace(b"ALLBUS", b"ALLBUS-NEU")
    ukds.datestamp, ukds.deleted = "2024-07-01", True
    repo.response_date = "2024-07-02T08:00:00Z"
    server.hits.clear()
    code, _, err = harvest_cli(capsys, server, drafts)
    assert code == 0, err
    assert "/oai?verb=ListRecords&metadataPrefix=oai_ddi25&from=2024-06-01" in server.hits  # the last harvest's date
    assert "1 draft written" in err and "changed since 2024-06-01" in err
    assert "deleted at the source: oai:test.migrmeta:ukds-7481; drafts kept: ukda-7481.ttl" in err
    after = {p.name: p.read_bytes() for p in drafts.glob("*.ttl")}
    assert set(after) == set(before)
    assert [n for n in after if after[n] != before[n]] == ["gesis-za2800.ttl"]
    assert b"ALLBUS-NEU" in after["gesis-za2800.ttl"]
    assert state(drafts)["last_harvest"] == "2024-07-02T08:00:00Z"
    # nothing changed since: noRecordsMatch is an empty harvest; --prune deletes the deleted record's draft
    code, _, err = harvest_cli(capsys, server, drafts, "--prune")
    assert code == 0, err
    assert "0 drafts written" in err and "pruned ukda-7481.ttl" in err
    assert not (drafts / "ukda-7481.ttl").exists() and "oai:test.migrmeta:ukds-7481" not in state(drafts)["records"]
    assert len(list(drafts.glob("*.ttl"))) == 4


def test_the_same_repository_gives_the_same_bytes(http_server: StartServer, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    server = http_server(repository().handler())
    for name in ("a", "b"):
        assert harvest_cli(capsys, server, tmp_path / name)[0] == 0
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir()) and STATE_FILE in files
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_a_record_that_is_not_ddi_is_reported_and_the_others_harvested(
        http_server: StartServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = repository(deleted=False)
    repo.items.insert(1, Item("oai:test.migrmeta:not-ddi", "2023-01-20", dublin_core("Not a codebook")))
    server = http_server(repo.handler())
    code, _, err = harvest_cli(capsys, server, tmp_path / "drafts")
    assert code == 3 and "Traceback" not in err
    assert "not imported: " in err and "identifier=oai%3Atest.migrmeta%3Anot-ddi" in err
    assert "no DDI codeBook element (the root is <dc>)" in err
    assert len(list((tmp_path / "drafts").glob("*.ttl"))) == len(REAL)


@pytest.mark.parametrize("trouble", ["badResumptionToken", "malformed", "loop", "redirect"])
def test_a_harvest_that_stops_part_way_keeps_what_it_wrote(
        http_server: StartServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], trouble: str) -> None:
    repo = repository()
    server = http_server(repo.handler())
    elsewhere = http_server(repository().handler())
    if trouble == "badResumptionToken":  # the repository forgot its tokens (restarted, expired)
        repo.tokens = _Forgetful()
    elif trouble == "malformed":
        repo.malformed_pages = {1}
    elif trouble == "loop":
        repo.looping = True
    else:
        repo.redirect_to = f"{elsewhere.url}/oai"
    drafts = tmp_path / "drafts"
    code, _, err = harvest_cli(capsys, server, drafts)
    expected = {"badResumptionToken": (1, "OAI-PMH error badResumptionToken: the token is unknown or expired"),
                "malformed": (3, "XML syntax error"),
                "loop": (1, "sent the resumption token 'loop-token' a second time"),
                "redirect": (1, f"the repository redirects to {elsewhere.url}/oai?verb=ListRecords")}[trouble]
    assert code == expected[0] and expected[1] in err and "Traceback" not in err, err
    assert "stopped: " in err and "the drafts written are kept" in err
    assert len(list(drafts.glob("*.ttl"))) == 2  # the first page's
    assert state(drafts)["last_harvest"] == "" and len(state(drafts)["records"]) == 2
    if trouble == "malformed":
        assert "resumptionToken=t1-p1" in err and ":" in err.split("XML syntax error")[0]  # the page and its line
        said = err.split("XML syntax error")[1].split("\n")[0]
        assert re.search(r"line \d+, line \d+|column \d+", said) is None, said  # the position once, in front
    if trouble == "redirect":
        assert elsewhere.hits == []  # never asked
    # once the repository is well again, the next harvest completes
    repo.tokens, repo.malformed_pages, repo.looping, repo.redirect_to = {}, set(), False, None
    code, _, err = harvest_cli(capsys, server, drafts)
    assert code == 0 and state(drafts)["last_harvest"] == repo.response_date, err
    assert len(list(drafts.glob("*.ttl"))) == len(REAL)


class _Forgetful(dict):  # type: ignore[type-arg]
    """A token table that forgets every token it is given."""

    def __setitem__(self, key: object, value: object) -> None:
        pass


def test_no_records_match_is_an_empty_harvest(http_server: StartServer, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    server = http_server(repository().handler())
    code, out, err = harvest_cli(capsys, server, tmp_path / "drafts", "--from", "2030-01-01")
    assert code == 0, err
    assert "0 drafts written" in err and out == ""


def test_one_record_by_get_record(http_server: StartServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server = http_server(repository().handler())
    code, _, err = harvest_cli(capsys, server, tmp_path / "drafts", "--record", "oai:test.migrmeta:gesis-2800")
    assert code == 0, err
    assert [p.name for p in (tmp_path / "drafts").glob("*.ttl")] == ["gesis-za2800.ttl"]
    assert any("verb=GetRecord" in h for h in server.hits)
    code, _, err = harvest_cli(capsys, server, tmp_path / "drafts", "--record", "oai:test.migrmeta:nothing")
    assert code == 1 and "idDoesNotExist" in err and "check --record" in err


def test_dublin_core_when_no_ddi_is_offered(http_server: StartServer, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    repo = repository(deleted=False)
    repo.formats = [f for f in repo.formats if f[0] == "oai_dc"]
    server = http_server(repo.handler())
    code, out, err = harvest_cli(capsys, server, tmp_path / "drafts")
    assert code == 0, err
    assert "(oai_dc: Dublin Core)" in err and "OAI-PMH Dublin Core (oai_dc) -> migrmeta draft" in out
    drafts = sorted((tmp_path / "drafts").glob("*.ttl"))
    assert len(drafts) == len(REAL)
    graph = graph_of(drafts[0])
    (survey,) = graph.subjects(DCT.spatial, COUNTRY.ETH)  # dc:coverage "Ethiopia"
    assert (survey, DCT.title, None) in graph


def test_the_prefix_can_be_chosen(http_server: StartServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server = http_server(repository().handler())
    code, _, err = harvest_cli(capsys, server, tmp_path / "drafts", "--prefix", "ddi", "--record",
                               "oai:test.migrmeta:ag-eth-survey-2003_ddi")
    assert code == 0 and "(ddi: DDI Codebook 1.2.2)" in err, err
    code, _, err = harvest_cli(capsys, server, tmp_path / "drafts", "--prefix", "marc21")
    assert code == 2 and "metadata prefix 'marc21' is not offered (offered: oai_dc, ddi, oai_ddi25)" in err


def test_an_endpoint_that_is_not_oai_pmh(http_server: StartServer, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    server = http_server(repository().handler())
    code, _, err = run(capsys, "harvest", "oai", f"{server.url}/catalogue", "-o", str(tmp_path / "d"))
    assert code == 1 and "Traceback" not in err
    assert "not an OAI-PMH 2.0 endpoint" in err and "hint: give the repository's OAI-PMH base URL" in err
    assert not (tmp_path / "d").exists()


def test_bad_arguments_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "harvest", "oai", "http://127.0.0.1:9/oai", "-o", str(tmp_path), "--from", "01/02/2024")
    assert code == 2 and "not an OAI-PMH date" in err
    code, _, err = run(capsys, "harvest", "oai", "ftp://example.org/oai", "-o", str(tmp_path))
    assert code == 2 and "not an http(s) URL" in err
    code, _, err = run(capsys, "harvest", "oai", "http://127.0.0.1:9/oai?verb=Identify", "-o", str(tmp_path))
    assert code == 2 and "without ?verb=" in err


def test_a_page_over_the_size_cap_stops_the_harvest(http_server: StartServer, tmp_path: Path) -> None:
    server = http_server(repository().handler())
    client = OaiClient(f"{server.url}/oai", HttpClient(max_bytes=20_000, retries=0))
    report = harvest(f"{server.url}/oai", tmp_path / "drafts", HarvestOptions(), client)
    assert report.exit_code() == 1 and report.failure is not None
    assert "over the 0.02 MB limit" in str(report.failure)


def test_the_shared_files_are_the_ones_served() -> None:
    """The repository serves the copies in tests/data/ddi of the real files of ../shared/ext/ddi."""
    assert set(REAL) <= {p.name for p in (DATA / "ddi").glob("*.xml")}
    for name in REAL:
        assert codebook_of(name).lstrip().startswith(b"<codeBook")


# --- the harvest state is an input: it never makes harvest write or delete outside the folder ---


def _name_in_state(drafts: Path, identifier: str, files: list[str], datestamp: str | None = None) -> None:
    """Edit the state as a shared, committed copy may have been edited."""
    document = json.loads((drafts / STATE_FILE).read_text(encoding="utf-8"))
    entry = document["endpoints"][0]["records"][identifier]
    entry["files"] = files
    if datestamp:
        entry["datestamp"] = datestamp
    (drafts / STATE_FILE).write_text(json.dumps(document, indent=2), encoding="utf-8")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("how", ["absolute", "parent", "subfolder"])
def test_a_state_naming_a_file_outside_the_drafts_is_refused_before_anything_is_deleted(
        http_server: StartServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str) -> None:
    """A deleted record's files set to a path: `--prune --full` used to print "pruned /…/victim.ttl"
    and delete it."""
    server = http_server(repository().handler())
    drafts = tmp_path / "drafts"
    assert harvest_cli(capsys, server, drafts)[0] == 0
    (tmp_path / "outside").mkdir()
    victim = tmp_path / "outside" / "victim.ttl"
    victim.write_text("precious\n", encoding="utf-8")
    (drafts / "sub").mkdir()
    (drafts / "sub" / "x.ttl").write_text("precious too\n", encoding="utf-8")
    name = {"absolute": str(victim), "parent": "../outside/victim.ttl", "subfolder": "sub/x.ttl"}[how]
    _name_in_state(drafts, "oai:test.migrmeta:withdrawn", [name])
    before = _snapshot(drafts)
    server.hits.clear()
    code, _, err = harvest_cli(capsys, server, drafts, "--prune", "--full")
    assert code == 3 and "Traceback" not in err, err
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert (drafts / "sub" / "x.ttl").read_text(encoding="utf-8") == "precious too\n"
    assert _snapshot(drafts) == before and server.hits == []  # refused before any request or write
    # the message names the state file and the line of the entry, the record and the file, and what to do
    line = next(n for n, text in enumerate((drafts / STATE_FILE).read_text().splitlines(), 1) if json.dumps(name) in text)
    assert f"{drafts / STATE_FILE}:{line}: the record 'oai:test.migrmeta:withdrawn'" in err
    assert f"names the draft file {name!r}, which is a path, not the name of a file in the folder" in err
    assert "nothing was harvested, written or deleted" in err and "hint: a harvest only writes and deletes" in err
    assert "pruned" not in err


def test_a_state_naming_a_file_in_the_parent_folder_is_never_overwritten(
        http_server: StartServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A record's files set to "../precious.ttl" with an old datestamp: the next harvest used to
    write the record's draft over the file outside the folder."""
    server = http_server(repository().handler())
    drafts = tmp_path / "drafts"
    assert harvest_cli(capsys, server, drafts)[0] == 0
    precious = tmp_path / "precious.ttl"
    precious.write_text("# curated by hand\n", encoding="utf-8")
    _name_in_state(drafts, "oai:test.migrmeta:gesis-2800", ["../precious.ttl"], datestamp="2000-01-01")
    before = _snapshot(drafts)
    code, _, err = harvest_cli(capsys, server, drafts, "--full")
    assert code == 3 and "Traceback" not in err, err
    assert precious.read_text(encoding="utf-8") == "# curated by hand\n" and _snapshot(drafts) == before
    assert "the record 'oai:test.migrmeta:gesis-2800'" in err and "'../precious.ttl'" in err


@pytest.mark.parametrize(("name", "problem"), [
    ("records.json", "is not a name of the form <record id>.ttl"),
    (STATE_FILE, "is not a name of the form <record id>.ttl"),
    ("Capital.ttl", "the part before .ttl is not a record id"),
    ("con.ttl", "the part before .ttl is a name Windows reserves"),
    ("..", "is a path"),
    ("a\\..\\b.ttl", "is a path"),
])
def test_only_draft_names_are_read_from_a_state(tmp_path: Path, name: str, problem: str) -> None:
    (tmp_path / STATE_FILE).write_text(json.dumps({"endpoints": [{
        "base_url": "http://x/oai", "metadata_prefix": "oai_ddi25",
        "records": {"oai:x:1": {"datestamp": "2024-01-01", "files": ["ok.ttl", name]}}}]}), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        HarvestState.load(tmp_path)
    assert caught.value.location.source == str(tmp_path / STATE_FILE) and problem in caught.value.problem
    assert HarvestState.load(tmp_path.parent / "nothing-here").endpoints == {}


def test_a_state_that_is_not_json_names_its_line(tmp_path: Path) -> None:
    (tmp_path / STATE_FILE).write_text('{"endpoints": [\n  {"base_url": }\n]}\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        HarvestState.load(tmp_path)
    assert caught.value.location.line == 2 and "invalid JSON" in caught.value.problem
    (tmp_path / STATE_FILE).write_text('{"endpoints": [{"base_url": "u", "metadata_prefix": "p", '
                                       '"records": {"r": {"datestamp": "d", "files": "x.ttl"}}}]}', encoding="utf-8")
    with pytest.raises(InputError, match="is not a list"):
        HarvestState.load(tmp_path)


# --- a record that cannot be imported is asked for again ---------------------------------


def test_a_record_that_failed_is_asked_for_again_until_it_is_imported(
        http_server: StartServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = repository(deleted=False)
    broken = Item("oai:test.migrmeta:not-ddi", "2023-01-20", dublin_core("Not a codebook"))
    gone = Item("oai:test.migrmeta:gone", "2023-02-20", dublin_core("Not a codebook either"))
    repo.items[1:1] = [broken, gone]
    server = http_server(repo.handler())
    drafts = tmp_path / "drafts"
    code, _, err = harvest_cli(capsys, server, drafts)
    assert code == 3 and err.count("not imported: ") == 2, err
    assert f"2 records marked failed in {drafts / STATE_FILE}: the next harvest asks for them again" in err
    records = state(drafts)["records"]
    assert records["oai:test.migrmeta:not-ddi"] == {"datestamp": "2023-01-20", "files": [], "failed": True}
    assert state(drafts)["last_harvest"] == "2024-06-01T12:00:00Z"
    # nothing changed at the source: the next harvest asks again from the earliest failed record (not from
    # the last harvest, which would never list them again), and says again that they fail
    repo.response_date = "2024-07-02T08:00:00Z"
    server.hits.clear()
    code, _, err = harvest_cli(capsys, server, drafts)
    assert code == 3 and err.count("not imported: ") == 2, err
    assert "/oai?verb=ListRecords&metadataPrefix=oai_ddi25&from=2023-01-20" in server.hits
    assert "asked again for 2 records not imported before" in err and "0 drafts written" in err
    # the repository mends one and removes the other (without a deletion record)
    broken.metadata = codebook_of("gesis-2800.xml").replace(b"ZA2800", b"ZA2801")
    repo.items.remove(gone)
    repo.response_date = "2024-08-03T08:00:00Z"
    code, _, err = harvest_cli(capsys, server, drafts)
    assert code == 0 and "not imported: " not in err and "1 draft written" in err, err
    records = state(drafts)["records"]
    assert "failed" not in records["oai:test.migrmeta:not-ddi"] and records["oai:test.migrmeta:not-ddi"]["files"]
    assert "failed" not in records["oai:test.migrmeta:gone"]
    assert len(list(drafts.glob("*.ttl"))) == len(REAL) + 1
    # all imported: the next harvest asks from the last harvest again
    server.hits.clear()
    code, _, err = harvest_cli(capsys, server, drafts)
    assert code == 0 and "/oai?verb=ListRecords&metadataPrefix=oai_ddi25&from=2024-08-03" in server.hits, err


# --- bad --from / --until are usage errors, before any request ---------------------------


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "2024-13-45"], "migrmeta: --from: \"2024-13-45\" is not a date: there is no month 13\n"),
    (["--until", "2023-02-29"], "migrmeta: --until: \"2023-02-29\" is not a date: February 2023 has 28 days\n"),
    (["--from", "2024-06-01T25:00:00Z"], "--from '2024-06-01T25:00:00Z' is not an OAI-PMH date"),
    (["--from", "01/02/2024"], "--from '01/02/2024' is not an OAI-PMH date"),
    (["--from", "2024-06-01", "--until", "2023-01-01"], "--from '2024-06-01' is after --until '2023-01-01'"),
    (["--from", "2024-06-01", "--until", "2024-07-01T00:00:00Z"], "are not of the same granularity"),
])
def test_dates_that_do_not_exist_or_an_empty_window_are_usage_errors(
        http_server: StartServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
        message: str) -> None:
    server = http_server(repository().handler())
    code, out, err = harvest_cli(capsys, server, tmp_path / "drafts", *args)
    assert code == 2 and message in err and "hint: " in err and "Traceback" not in err, err
    assert server.hits == [] and not (tmp_path / "drafts").exists() and out == ""


def test_a_window_of_real_dates_is_asked_for(http_server: StartServer, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    server = http_server(repository().handler())
    code, _, err = harvest_cli(capsys, server, tmp_path / "drafts", "--from", "2023-02-01", "--until", "2023-04-30")
    assert code == 0 and "3 drafts written" in err, err
    assert "/oai?verb=ListRecords&metadataPrefix=oai_ddi25&from=2023-02-01&until=2023-04-30" in server.hits


# --- messages fit what was asked --------------------------------------------------------


def test_a_url_that_is_not_found_gets_the_oai_pmh_hint(http_server: StartServer, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    server = http_server(repository().handler())
    code, _, err = run(capsys, "harvest", "oai", f"{server.url}/index.php/oia", "-o", str(tmp_path / "d"))
    assert code == 1 and "answered HTTP 404" in err, err
    assert "hint: check the URL: give the repository's OAI-PMH base URL" in err
    assert "SPARQL" not in err and "Oxigraph" not in err


def test_an_answer_that_is_not_xml_says_so_once(http_server: StartServer, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    server = http_server(repository().handler())
    code, _, err = run(capsys, "harvest", "oai", f"{server.url}/api", "-o", str(tmp_path / "d"))
    assert code == 1 and "not an OAI-PMH 2.0 endpoint: its answer is not XML" in err, err
    assert "answered an answer" not in err


def test_a_draft_the_curator_edited_is_never_overwritten_or_pruned(
        http_server: StartServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`harvest --full` wrote over a completed draft without a word (the review): the state
    keeps each draft's hash as written, and a draft that differs is the curator's."""
    repo = repository(deleted=False)
    server = http_server(repo.handler())
    drafts = tmp_path / "drafts"
    assert harvest_cli(capsys, server, drafts)[0] == 0
    edited = drafts / "ukda-7481.ttl"
    completed = edited.read_text(encoding="utf-8") + '\n<https://w3id.org/migrmeta/survey/ukda-7481> ' \
        '<http://www.w3.org/ns/dcat#keyword> "CURATOR EDIT"@en .\n'
    edited.write_text(completed, encoding="utf-8")
    untouched = {p.name: p.read_bytes() for p in drafts.glob("*.ttl") if p != edited}
    code, _, err = harvest_cli(capsys, server, drafts, "--full")
    assert code == 0, err
    assert edited.read_text(encoding="utf-8") == completed
    aside = drafts / "ukda-7481.ttl.new"
    assert aside.is_file() and b"CURATOR EDIT" not in aside.read_bytes()
    assert "kept ukda-7481.ttl: edited since it was harvested; the new draft is ukda-7481.ttl.new" in err
    assert {p.name: p.read_bytes() for p in drafts.glob("*.ttl") if p != edited} == untouched  # rewritten alike
    # deleted at the source, then --prune: the edited draft stays, said so
    ukds = repo.items[4]
    ukds.datestamp, ukds.deleted = "2024-07-01", True
    repo.response_date = "2024-07-02T08:00:00Z"
    code, _, err = harvest_cli(capsys, server, drafts, "--prune")
    assert code == 0, err
    assert edited.read_text(encoding="utf-8") == completed
    assert "kept ukda-7481.ttl: edited since it was harvested; not pruned, though its record was deleted" in err
    assert "drafts kept: ukda-7481.ttl (--prune deletes them)" not in err


def test_a_state_from_before_the_hashes_never_loses_an_edited_draft(
        http_server: StartServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A state written before drafts' hashes were kept cannot tell an edit: a draft that differs
    from the new one is kept, the new one written beside it."""
    server = http_server(repository(deleted=False).handler())
    drafts = tmp_path / "drafts"
    assert harvest_cli(capsys, server, drafts)[0] == 0
    document = json.loads((drafts / STATE_FILE).read_text(encoding="utf-8"))
    for record in document["endpoints"][0]["records"].values():
        del record["sha256"]
    (drafts / STATE_FILE).write_text(json.dumps(document), encoding="utf-8")
    edited = drafts / "ukda-7481.ttl"
    completed = edited.read_text(encoding="utf-8") + "# completed by the curator\n"
    edited.write_text(completed, encoding="utf-8")
    code, _, err = harvest_cli(capsys, server, drafts, "--full")
    assert code == 0, err
    assert edited.read_text(encoding="utf-8") == completed and (drafts / "ukda-7481.ttl.new").is_file()
    assert [p.name for p in drafts.glob("*.new")] == ["ukda-7481.ttl.new"]  # the others, unchanged, rewritten


@pytest.mark.parametrize("edited", [False, True])
def test_a_survey_whose_identifier_changed_at_the_source_takes_its_own_file_name(
        http_server: StartServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], edited: bool) -> None:
    """A new IDNo at the source made a new survey IRI, written under the old file name: a file
    named gesis-za2800.ttl described gesis-za2801. The draft now takes its own name; the old
    file is deleted, unless the curator edited it (kept, said what to do)."""
    repo = repository(deleted=False)
    server = http_server(repo.handler())
    drafts = tmp_path / "drafts"
    assert harvest_cli(capsys, server, drafts)[0] == 0
    old = drafts / "gesis-za2800.ttl"
    assert old.is_file()
    if edited:
        old.write_text(old.read_text(encoding="utf-8") + "# completed by the curator\n", encoding="utf-8")
    gesis = repo.items[3]
    gesis.datestamp, gesis.metadata = "2024-07-01", gesis.metadata.replace(b">ZA2800<", b">ZA2801<")
    repo.response_date = "2024-07-02T08:00:00Z"
    code, _, err = harvest_cli(capsys, server, drafts)
    assert code == 0, err
    new = drafts / "gesis-za2801.ttl"
    assert (URIRef("https://w3id.org/migrmeta/survey/gesis-za2801"), RDF.type, None) in graph_of(new)
    files = state(drafts)["records"][gesis.identifier]["files"]
    if edited:
        assert old.is_file() and "# completed by the curator" in old.read_text(encoding="utf-8")
        assert ("kept gesis-za2800.ttl: edited since it was harvested; its survey is now gesis-za2801.ttl: carry "
                "your edits into it, and delete this file") in err
        assert files == ["gesis-za2801.ttl", "gesis-za2800.ttl"]
    else:
        assert not old.exists()
        assert "renamed gesis-za2800.ttl -> gesis-za2801.ttl (the survey's identifier changed at the source)" in err
        assert files == ["gesis-za2801.ttl"]
    # the next harvest, nothing changed: nothing renamed again, nothing lost
    code, _, err = harvest_cli(capsys, server, drafts, "--full")
    assert code == 0 and "renamed" not in err and new.is_file(), err


def test_a_harvest_tells_its_progress_against_the_list_size_and_the_cli_takes_q(
        http_server: StartServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from migrmeta.formats.oai.harvest import HARVESTING

    server = http_server(repository().handler())  # six records (one deleted), pages of two
    heard: list[tuple[str, int, int]] = []
    client = OaiClient(f"{server.url}/oai", HttpClient(retries=0))
    report = harvest(f"{server.url}/oai", tmp_path / "drafts", HarvestOptions(agencies=Agencies.from_file(AGENCIES)),
                     client, lambda stage, done, total: heard.append((stage, done, total)))
    assert report.exit_code() == 0
    assert heard == [(HARVESTING, 2, 6), (HARVESTING, 4, 6), (HARVESTING, 6, 6)]
    code, _out, err = harvest_cli(capsys, server, tmp_path / "again", "-q")
    assert code == 0, err
