"""The published site behind each real web server its `server/` folder configures (Debian's
nginx, Apache httpd and Caddy) on 127.0.0.1, each with the site's own file (nginx.conf,
httpd.conf, Caddyfile): `/survey/<id>` answers Turtle, JSON-LD and N-Triples by Accept (200,
the right media type, Vary), and sends browsers to the page in their language (303); the
index works over HTTP in a real browser (the search filters, behind nginx). An alias (an IRI
merge folded onto another survey) answers its data documents the same way:
`<alias> owl:sameAs <survey>`."""

from __future__ import annotations

import http.client
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from alias_records import ALIAS, SOF, records
from conftest import Published
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from web_servers import KINDS, WebServer

from migrmeta.load import parse_bytes
from migrmeta.namespaces import OWL
from migrmeta.publishing.site import PublishOptions, publish

pytestmark = pytest.mark.browser
SURVEY = "es-eni-2007"
# the IRIs the rules negotiate (under the site's path): a survey's, an agency's, the catalogue's;
# their documents (without the suffix), and the page a browser is sent to (in <lang>/)
IRIS = [(f"survey/{SURVEY}", f"surveys/{SURVEY}", f"surveys/{SURVEY}.html"),
        ("agency/ine-es", "agencies/ine-es", "agencies/ine-es.html"),
        ("catalog", "catalog", "index.html")]


@pytest.fixture(scope="module")
def site(published: Published) -> Path:
    """The bundled catalogue's site, published once for the run (conftest.py)."""
    return published.out


@pytest.fixture(scope="module", params=KINDS)
def served(request: pytest.FixtureRequest, site: Path,
           web_server_factory: Callable[[str, Path], WebServer]) -> tuple[WebServer, Path]:
    """The bundled catalogue's site behind nginx, Apache httpd and Caddy in turn."""
    return web_server_factory(request.param, site), site


def get(server: WebServer, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """One GET, redirects not followed."""
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        connection.request("GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(("iri", "document", "page"), IRIS)
@pytest.mark.parametrize(("accept", "media_type", "extension", "syntax"), [
    ("text/turtle", "text/turtle", "ttl", "turtle"),
    ("application/ld+json", "application/ld+json", "jsonld", "jsonld"),
    ("application/n-triples", "application/n-triples", "nt", "ntriples"),
    ("application/n-triples;q=1.0, text/plain;q=0.1", "application/n-triples", "nt", "ntriples"),
])
def test_data_by_accept(served: tuple[WebServer, Path], accept: str, media_type: str, extension: str, syntax: str,
                        iri: str, document: str, page: str) -> None:
    server, site = served
    status, headers, body = get(server, f"/{iri}", Accept=accept)
    assert status == 200, (status, server.log())
    assert headers["content-type"].split(";")[0] == media_type
    assert "accept" in [v.strip().lower() for v in headers["vary"].split(",")]
    assert headers["content-location"] == f"/{document}.{extension}"
    assert body == (site / f"{document}.{extension}").read_bytes()
    graph = parse_bytes(body, f"{document}.{extension}", syntax).graph
    assert isomorphic(graph, Graph().parse(site / f"{document}.ttl", format="turtle"))


@pytest.mark.parametrize(("accept", "answer"), [
    ("text/turtle;q=0, application/ld+json", "jsonld"),  # q=0: not acceptable
    ("text/turtle;q=0.0, application/n-triples;q=0.000, application/ld+json;q=0.3", "jsonld"),
    ("application/ld+json, text/turtle;q=0.5", "jsonld"),  # a type without q (1) before those below 1
    ("text/turtle;charset=utf-8;q=0.2, application/n-triples;q=1.0", "nt"),
    ("application/n-triples;q=0.8", "nt"),  # below 1 but the only one
    ("text/html, text/turtle;q=0.5", "page"),  # a page asked for first
    ("text/turtle;q=0", "page"),
])
def test_q_values(served: tuple[WebServer, Path], accept: str, answer: str) -> None:
    """A type with q=0 is never served; types with q=1 (or none) come before those below 1;
    among these, Turtle, JSON-LD, N-Triples; a page (303) when HTML is preferred or nothing fits."""
    server, _ = served
    status, headers, _ = get(server, f"/survey/{SURVEY}", Accept=accept)
    if answer == "page":
        assert status == 303 and urlsplit(headers["location"]).path == f"/en/surveys/{SURVEY}.html", (status, headers)
    else:
        assert status == 200, (status, server.log())
        assert headers["content-location"] == f"/surveys/{SURVEY}.{answer}"


@pytest.mark.parametrize(("iri", "document", "page"), IRIS)
@pytest.mark.parametrize(("accept_language", "lang"), [("", "en"), ("fr-FR,fr;q=0.9", "fr"), ("es", "es"), ("de", "en")])
def test_browsers_are_sent_to_the_page(served: tuple[WebServer, Path], accept_language: str, lang: str,
                                       iri: str, document: str, page: str) -> None:
    """A survey's page; for an agency, its page (who it is, the surveys naming it); for the
    catalogue, its index."""
    server, _ = served
    headers = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    if accept_language:
        headers["Accept_Language"] = accept_language
    status, answer, _ = get(server, f"/{iri}", **headers)
    assert status == 303, (status, server.log())
    location = urlsplit(answer["location"])
    assert location.path + (f"#{location.fragment}" if location.fragment else "") == f"/{lang}/{page}"
    assert {v.strip().lower() for v in answer["vary"].split(",")} >= {"accept", "accept-language"}
    status, found, body = get(server, location.path)
    assert status == 200 and found["content-type"].startswith("text/html")
    assert f'<html lang="{lang}">'.encode() in body
    # a link with a query (a feed reader's utm_source): the same page (a query never put after a fragment)
    status, tagged, _ = get(server, f"/{iri}?utm_source=feed", **headers)
    sent = urlsplit(tagged["location"])
    assert status == 303 and (sent.path, sent.fragment) == (location.path, location.fragment), tagged["location"]


def test_files_keep_their_media_types(served: tuple[WebServer, Path]) -> None:
    server, _ = served
    # JavaScript by either name: text/javascript (RFC 9239; Apache's and Caddy's), application/javascript (nginx's)
    for path, media_types in (("/catalog.ttl", {"text/turtle"}), ("/catalog.jsonld", {"application/ld+json"}),
                              ("/catalog.nt", {"application/n-triples"}),
                              ("/assets/site.js", {"text/javascript", "application/javascript"}),
                              ("/en/index.html", {"text/html"}),
                              # the type the pages' <link rel="alternate"> announce (the harvester review)
                              ("/feed.xml", {"application/atom+xml"}), ("/fr/feed.xml", {"application/atom+xml"})):
        status, headers, _ = get(server, path)
        assert status == 200 and headers["content-type"].split(";")[0] in media_types, path
        assert "vary" not in headers or "accept" not in headers["vary"].lower(), path  # only negotiated answers vary
    for path in ("/survey/..%2fnothing", "/agency/..%2fnothing", "/agency/Not_An_Id", "/catalog/x"):
        assert get(server, path)[0] == 404, path  # only survey and agency ids, and the catalogue, are negotiated


def test_the_data_and_the_context_may_be_read_from_other_sites(served: tuple[WebServer, Path]) -> None:
    """A survey's JSON-LD names its context by IRI: a JSON-LD processor in a web page (the
    JSON-LD Playground, jsonld.js) reads it, and the data, only with CORS allowed."""
    server, _ = served
    for path in ("/context.jsonld", f"/surveys/{SURVEY}.jsonld", f"/surveys/{SURVEY}.ttl", f"/surveys/{SURVEY}.nt",
                 "/catalog.trig"):
        status, headers, _ = get(server, path, Origin="https://json-ld.org")
        assert status == 200 and headers.get("access-control-allow-origin") == "*", path
    status, headers, _ = get(server, f"/survey/{SURVEY}", Accept="application/ld+json")
    assert status == 200 and headers.get("access-control-allow-origin") == "*"  # negotiated too
    assert "access-control-allow-origin" not in get(server, "/en/index.html")[1]  # the pages need none


def test_the_index_over_http_in_a_browser(site: Path, web_server_factory: Callable[[str, Path], WebServer],
                                          page: Any) -> None:
    server = web_server_factory("nginx", site)
    page.goto(server.url + "survey/" + SURVEY)  # a browser's Accept: the page
    assert page.url == server.url + f"en/surveys/{SURVEY}.html"
    page.click("nav.crumbs a")
    page.fill("#q", "kerala")
    page.press("#q", "Enter")
    page.wait_for_function("location.hash === '#q=kerala'")
    visible = page.eval_on_selector_all("#records li[id]:not([hidden])", "items => items.map(i => i.id)")
    assert visible and all("kms" in item or "in-" in item for item in visible), visible
    assert page.errors == []


@pytest.fixture(scope="module")
def alias_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """PSA's ph-sof and the UN's survey:un-sof folded onto it (owl:sameAs), published."""
    root = tmp_path_factory.mktemp("alias")
    options = PublishOptions(prefer=("psa",), cache=False)
    assert publish(records(root / "in"), root / "site", options).refused is None
    return root / "site"


@pytest.fixture(scope="module", params=KINDS)
def served_alias(request: pytest.FixtureRequest, alias_site: Path,
                 web_server_factory: Callable[[str, Path], WebServer]) -> WebServer:
    return web_server_factory(request.param, alias_site)


@pytest.mark.parametrize(("accept", "extension", "syntax"), [
    ("text/turtle", "ttl", "turtle"),
    ("application/ld+json", "jsonld", "jsonld"),
    ("application/n-triples", "nt", "ntriples"),
])
def test_an_alias_answers_its_data_by_accept(served_alias: WebServer, accept: str, extension: str, syntax: str) -> None:
    """A linked-data client following the alias's IRI gets 200 and the statement naming the survey."""
    name = str(ALIAS).rsplit("/", 1)[1]
    status, headers, body = get(served_alias, f"/survey/{name}", Accept=accept)
    assert status == 200, (status, served_alias.log())
    assert headers["content-location"] == f"/surveys/{name}.{extension}"
    graph = parse_bytes(body, f"{name}.{extension}", syntax).graph
    assert (URIRef(ALIAS), OWL.sameAs, URIRef(SOF)) in graph
