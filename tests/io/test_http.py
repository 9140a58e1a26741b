"""The one HTTP client's errors say what to do for the kind of server that was asked: a 404
from a SPARQL store points to its /query and /store, from an OAI-PMH repository to its base
URL (tests/formats/test_oai_harvest.py), from anything else to the URL alone."""

from __future__ import annotations

import pytest
from http_server import QuietHandler, StartServer

from migrmeta.errors import EndpointError, InputError
from migrmeta.formats.dcat.paging import fetch
from migrmeta.io.http import HttpClient
from migrmeta.querying.endpoint import SparqlEndpoint


class _NotFound(QuietHandler):
    def do_GET(self) -> None:
        self.send_error(404)

    do_POST = do_GET


def test_a_404_gets_the_hint_of_what_was_asked(http_server: StartServer) -> None:
    server = http_server(_NotFound)
    client = HttpClient(retries=0)
    with pytest.raises(EndpointError) as plain:
        client.request("GET", f"{server.url}/x", what="test")
    assert plain.value.status == 404 and plain.value.hint == "check the URL"
    with pytest.raises(EndpointError) as own:
        client.request("GET", f"{server.url}/x", what="test", hints={404: "give the base URL"})
    assert own.value.hint == "give the base URL"
    with pytest.raises(EndpointError) as sparql:
        SparqlEndpoint(f"{server.url}/sparql", client).query("ASK {}")
    assert sparql.value.hint is not None and "Oxigraph: /query" in sparql.value.hint
    with pytest.raises(InputError) as dcat:
        fetch(f"{server.url}/catalog.ttl", client=client)
    assert dcat.value.hint == "check the URL of the catalogue; other inputs are still imported"
