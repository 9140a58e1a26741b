"""HTTP fetching against a real local server: content types, size cap, timeouts, Hydra paging."""

from __future__ import annotations

import time

import pytest
from http_server import LocalServer, QuietHandler, StartServer
from paths import DATA as DATA_DIR
from rdflib import Graph, Literal, URIRef

from migrmeta.errors import InputError
from migrmeta.formats.dcat.paging import detect_format, fetch, fetch_pages, next_pages
from migrmeta.formats.dcat.reader import parse_rdf
from migrmeta.namespaces import HYDRA

DATA = DATA_DIR / "dcat"


class Handler(QuietHandler):
    """Serves tests/data/dcat/ with proper content types, plus a few special paths."""

    charset = "utf-8"

    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(2)
            return self.reply(b"@prefix : <#> .", "text/turtle")
        if self.path == "/big":  # no Content-Length: the cap must work while streaming
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.end_headers()
            for _ in range(64):
                self.wfile.write(b"#" * 65536)
            return None
        if self.path == "/big-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.send_header("Content-Length", str(10 * 1024 * 1024))
            self.end_headers()
            return None
        if self.path == "/catalog":  # no extension: the Content-Type says Turtle
            return self.reply((DATA / "dataset_gob_es.ttl").read_bytes(), "text/turtle")
        return self.send_file(DATA)


@pytest.fixture
def server(http_server: StartServer) -> LocalServer:
    return http_server(Handler)


def parse(page):  # type: ignore[no-untyped-def]
    return parse_rdf(page.data, page.url, page.format, base=page.url)


def test_content_type_decides_the_format(server: LocalServer) -> None:
    page = fetch(f"{server.url}/catalog")
    assert page.content_type == "text/turtle" and page.format == "turtle"
    assert page.data == (DATA / "dataset_gob_es.ttl").read_bytes()
    assert fetch(f"{server.url}/hydra-page2.jsonld").format == "jsonld"
    assert fetch(f"{server.url}/dataset_gov_de.rdf").format == "rdfxml"


def test_format_falls_back_to_extension_then_content() -> None:
    assert detect_format("application/octet-stream", "https://x.example/a.rdf", b"") == "rdfxml"
    assert detect_format("text/plain", "https://x.example/a", b'  {"@context": {}}') == "jsonld"
    assert detect_format("", "https://x.example/a", b"@prefix dct: <http://purl.org/dc/terms/> .") == "turtle"


def test_size_cap_while_streaming_and_from_the_header(server: LocalServer) -> None:
    with pytest.raises(InputError) as streamed:
        fetch(f"{server.url}/big", max_bytes=1024 * 1024)
    assert "limit" in streamed.value.problem and streamed.value.location.source == f"{server.url}/big"
    with pytest.raises(InputError) as declared:
        fetch(f"{server.url}/big-declared", max_bytes=1024 * 1024)
    assert "10.5 MB" in declared.value.problem
    assert len(fetch(f"{server.url}/big", max_bytes=8 * 1024 * 1024).data) == 64 * 65536


def test_timeout_and_http_errors_name_the_url(server: LocalServer) -> None:
    with pytest.raises(InputError) as slow:
        fetch(f"{server.url}/slow", timeout=0.2)
    assert "timed out" in slow.value.problem
    with pytest.raises(InputError) as missing:
        fetch(f"{server.url}/nothing-here.ttl")
    assert "HTTP 404" in missing.value.problem
    with pytest.raises(InputError):
        fetch("file:///etc/passwd")


def test_next_pages_reads_iris_and_ckan_literals() -> None:
    graph = Graph()
    page = "https://portal.example/catalog.ttl?page=1"
    graph.add((URIRef(page), HYDRA.nextPage, Literal("?page=2")))
    assert next_pages(graph, page) == ["https://portal.example/catalog.ttl?page=2"]
    other = Graph()
    other.add((URIRef("https://portal.example/catalog"), HYDRA.next, URIRef("https://portal.example/catalog?p=3")))
    assert next_pages(other, page) == ["https://portal.example/catalog?p=3"]


def test_two_page_catalogue_is_followed(server: LocalServer) -> None:
    result = fetch_pages(f"{server.url}/hydra-page1.ttl", parse)
    assert [p.url for p, _ in result.pages] == [f"{server.url}/hydra-page1.ttl", f"{server.url}/hydra-page2.jsonld"]
    assert result.warnings == []
    assert server.hits == ["/hydra-page1.ttl", "/hydra-page2.jsonld"]


def test_a_page_linking_to_itself_stops_with_a_warning(server: LocalServer) -> None:
    result = fetch_pages(f"{server.url}/hydra-loop.ttl", parse)
    assert len(result.pages) == 1
    assert "already read" in result.warnings[0]
    assert server.hits == ["/hydra-loop.ttl"]


def test_paging_stops_at_max_pages(server: LocalServer) -> None:
    result = fetch_pages(f"{server.url}/hydra-page1.ttl", parse, max_pages=1)
    assert len(result.pages) == 1
    assert "after 1 pages" in result.warnings[0]
    assert server.hits == ["/hydra-page1.ttl"]
