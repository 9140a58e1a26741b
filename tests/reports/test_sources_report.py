"""`migrmeta report sources`: every cited address with its kind; HEAD checks only with --check, only on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from http_server import QuietHandler, StartServer
from paths import REPO

from migrmeta.cli import cli
from migrmeta.io.http import HttpClient
from migrmeta.reports.sources import (
    JSON_SCHEMA,
    Pacer,
    SourcesReport,
    build_sources,
    check_sources,
    polite_order,
    render_csv,
    render_json,
    render_markdown,
)

RECORD = """\
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix mm: <https://w3id.org/migrmeta/ns#> .
<https://w3id.org/migrmeta/survey/t-2020> a mm:Survey ;
    dct:identifier "t-2020" ;
    dct:creator <https://w3id.org/migrmeta/agency/t> ;
    dcat:landingPage <{base}/ok> ;
    dct:source <{base}/gone>, <{base}/nohead>, <{base}/moved>, <https://www.scribd.com/document/1/x> .
<https://w3id.org/migrmeta/agency/t> a mm:Agency ; foaf:homepage <{base}/> .
"""


class Pages(QuietHandler):
    def do_HEAD(self) -> None:
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        else:
            self.send_response({"/ok": 200, "/gone": 404, "/nohead": 405}.get(self.path, 404))
        self.send_header("Content-Length", "0")
        self.end_headers()


def write_record(folder: Path, base: str) -> Path:
    path = folder / "t.ttl"
    path.write_text(RECORD.replace("{base}", base), encoding="utf-8")
    return path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, ["report", "sources", *args], catch_exceptions=False)


def test_catalogue_sources_are_listed_without_fetching(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("report sources fetched something without --check")

    monkeypatch.setattr(HttpClient, "request", no_network)
    report = build_sources([REPO / "records"])
    counts = report.counts()
    assert counts["publisher"] > counts["mirror"] and counts["doi"] > 0 and counts["legal"] > 0
    assert not report.checked
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert len(rows) == len(report.rows)
    sof = [r for r in rows if r["record"] == "ph-sof-2019"]
    assert sof and all(r["kind"] == "publisher" and r["agency"].endswith("/psa") for r in sof)
    document = json.loads(render_json(report))
    assert document["schema"] == JSON_SCHEMA and document["counts"] == counts
    assert "| mirror |" in render_markdown(report)


def test_kind_filter(tmp_path: Path) -> None:
    write_record(tmp_path, "http://127.0.0.1:9")
    result = invoke("--kind", "mirror", "--format", "csv", str(tmp_path))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["kind"], r["host"]) for r in rows] == [("mirror", "www.scribd.com")]


def test_check_reports_statuses(http_server: StartServer, tmp_path: Path) -> None:
    server = http_server(Pages)
    write_record(tmp_path, server.url)
    report = build_sources([tmp_path])
    assert not server.hits  # listing fetches nothing
    report = SourcesReport([r for r in report.rows if r.citation.host == "127.0.0.1"])
    check_sources(report, timeout=5, delay=0)
    states = {address.rsplit("/", 1)[1]: (c.status, c.state) for address, c in report.checks.items()}
    assert states == {"ok": (200, "ok"), "gone": (404, "broken"), "nohead": (405, "head-refused"),
                      "moved": (200, "ok")}
    assert report.checks[f"{server.url}/moved"].url == f"{server.url}/ok"
    assert report.failed() == [f"{server.url}/gone"]
    assert sorted(server.hits) == ["/gone", "/moved", "/nohead", "/ok", "/ok"]  # one request each, and the redirect


def test_check_command_exit_codes(http_server: StartServer, tmp_path: Path) -> None:
    server = http_server(Pages)
    write_record(tmp_path, server.url)
    listed = invoke("--kind", "publisher", str(tmp_path))
    assert listed.exit_code == 0 and not server.hits
    checked = invoke("--kind", "publisher", "--check", "--delay", "0", "--format", "json", str(tmp_path))
    assert checked.exit_code == 1
    assert "1 addresses broken or unreachable" in checked.output
    (tmp_path / "t.ttl").write_text(RECORD.replace("{base}", server.url).replace("/gone", "/ok2"), encoding="utf-8")
    assert invoke("--kind", "publisher", "--check", "--delay", "0", str(tmp_path)).exit_code == 1  # /ok2 is a 404
    (tmp_path / "t.ttl").write_text("not turtle", encoding="utf-8")
    assert invoke(str(tmp_path)).exit_code == 3
    assert invoke("--kind", "blog", str(tmp_path)).exit_code == 2


def test_unreachable_address(tmp_path: Path) -> None:
    write_record(tmp_path, "http://127.0.0.1:9")  # the discard port: nothing listens
    report = build_sources([tmp_path])
    report = SourcesReport([r for r in report.rows if r.citation.address.endswith("/ok")])
    check_sources(report, timeout=2, delay=0)
    (check,) = report.checks.values()
    assert check.status is None and check.state == "unreachable" and "127.0.0.1:9" in check.error


def test_pacer_waits_between_requests_to_one_host() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = Pacer(1.0, clock=lambda: now[0], sleep=sleep)
    pacer.wait("a")
    pacer.wait("b")
    now[0] += 0.25
    pacer.wait("a")
    now[0] += 5
    pacer.wait("a")
    assert slept == [0.75]


def test_hosts_are_taken_in_turn() -> None:
    addresses = ["https://a.org/1", "https://a.org/2", "https://a.org/3", "https://b.org/1", "https://a.org/1"]
    assert polite_order(addresses) == ["https://a.org/1", "https://b.org/1", "https://a.org/2", "https://a.org/3"]
