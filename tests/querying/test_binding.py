"""How queries are sent to remote endpoints: the form (for Accept) and parameters written in
place of their variables when the query calls SERVICE (Virtuoso refuses VALUES there)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from migrmeta.errors import UsageError
from migrmeta.querying.binding import bind_for_endpoint, calls_service, query_form, substitute

MEX = ox.NamedNode("http://publications.europa.eu/resource/authority/country/MEX")
NASTY = ox.Literal('x" } SERVICE <http://evil/> { ?a ?b ?c } #', language="en")


@pytest.mark.parametrize(("text", "form"), [
    ("PREFIX a: <http://x/> SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("# CONSTRUCT { }\nASK { ?s ?p 'SELECT' }", "ASK"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }", "CONSTRUCT"),
    ("PREFIX select: <http://x/> DESCRIBE select:y", "DESCRIBE"),
    ("INSERT DATA { <a:b> <a:c> <a:d> }", ""),
])
def test_query_form_ignores_comments_strings_and_prefixes(text: str, form: str) -> None:
    assert query_form(text) == form


def test_calls_service_only_for_the_keyword() -> None:
    assert calls_service("SELECT * { SERVICE <http://e/> { ?s ?p ?o } }")
    assert calls_service("select * { service silent <http://e/> { ?s ?p ?o } }")
    assert not calls_service("SELECT * { ?s ?p 'SERVICE' } # SERVICE <http://e/>")


def test_substitute_writes_terms_in_the_where_clause_and_keeps_projected_variables() -> None:
    text = ("SELECT DISTINCT ?survey ?country (STR(?country) AS ?code) WHERE {\n"
            "  SERVICE <http://a/> { ?survey <http://p/> ?country FILTER(?country != \"?country\") }\n"
            "} ORDER BY ?country")
    sent = substitute(text, {"country": MEX})
    assert sent.startswith(f"SELECT DISTINCT ?survey ({MEX} AS ?country) (STR({MEX}) AS ?code) WHERE")
    assert f"?survey <http://p/> {MEX} FILTER({MEX} != \"?country\")" in sent  # strings untouched
    result = ox.Store().query(sent)
    assert isinstance(result, ox.QuerySolutions) and [v.value for v in result.variables] == ["survey", "country", "code"]


def test_substituted_terms_are_escaped_by_pyoxigraph() -> None:
    sent = substitute("SELECT ?s WHERE { SERVICE <http://a/> { ?s <http://p/> ?label } }", {"label": NASTY})
    assert str(NASTY) in sent and "SERVICE <http://evil/>" not in sent.replace(str(NASTY), "")
    ox.Store().query(sent.replace("SERVICE <http://a/>", ""))  # still one valid query


def test_bind_for_endpoint_uses_values_unless_the_query_calls_service() -> None:
    plain = "SELECT ?s WHERE { ?s <http://p/> ?country }"
    assert "VALUES (?country)" in bind_for_endpoint(plain, {"country": MEX})
    federated = "SELECT ?s WHERE { SERVICE <http://a/> { ?s <http://p/> ?country } }"
    sent = bind_for_endpoint(federated, {"country": MEX})
    assert "VALUES" not in sent and str(MEX) in sent
    assert bind_for_endpoint(federated, {}) == federated


def test_substitute_needs_a_where_clause() -> None:
    with pytest.raises(UsageError):
        substitute("SELECT ?s WHERE { ?s ?p ?country ", {"country": MEX})


def test_several_values_cannot_be_written_in_place_of_a_variable() -> None:
    with pytest.raises(UsageError, match=r"\?country stands for 2 values .* sent to an endpoint with one value each"):
        substitute("SELECT ?s WHERE { SERVICE <http://a/> { ?s ?p ?country } }",
                   {"country": (MEX, ox.NamedNode("http://publications.europa.eu/resource/authority/country/HND"))})
