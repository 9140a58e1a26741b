"""IRIs as answers: RFC 3987 syntax, absolute only."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from migrmeta.values.errors import BadValue
from migrmeta.values.iris import doi_of, is_iri, is_web_address, parse_iri


@pytest.mark.parametrize("text", [
    "https://psa.gov.ph/", "http://example.org/a?b=c#d", "urn:isbn:9780123456789",
    "https://w3id.org/migrmeta/survey/ph-sof", "https://example.org/caf%C3%A9", "https://例え.jp/ページ",
])
def test_absolute_iris(text: str) -> None:
    assert is_iri(text)
    assert parse_iri(f"<{text}>") == URIRef(text)


@pytest.mark.parametrize(("text", "why"), [
    ("<a b c>", "holds a space"),
    ("<../../../x>", "is not a full web address: write it whole, starting with https://"),
    ("https://example.org/a{b}", "the character '{'"),
    ('https://example.org/"x"', "the character '\"'"),
    ("https://example.org/a|b", "the character '|'"),
    ("https://example.org/a^b", "the character '^'"),
    ("https://example.org/a`b", "the character '`'"),
    ("https://example.org/a\\b", "the character '\\\\'"),
    ("https://example.org/a\tb", "control character U+0009"),
    ("https://example.org/a\x85b", "control character U+0085"),
    ("https://example.org/%zz", "not followed by two hexadecimal digits"),
    ("https:relative", "is not a web address"),
    ("", "is empty"),
])
def test_refused_iris(text: str, why: str) -> None:
    with pytest.raises(BadValue) as refused:
        parse_iri(text)
    assert why in str(refused.value)


def test_a_web_address_without_its_scheme_gets_one_suggested() -> None:
    with pytest.raises(BadValue) as refused:
        parse_iri("psa.gov.ph")
    assert refused.value.suggestion == "https://psa.gov.ph"
    with pytest.raises(BadValue) as refused:
        parse_iri("../x")
    assert refused.value.suggestion is None  # never "https://../x"


def test_web_addresses() -> None:
    assert is_web_address("https://psa.gov.ph/")
    assert not is_web_address("urn:isbn:1") and not is_web_address("https:// spaces")


@pytest.mark.parametrize(("text", "doi"), [
    ("10.48529/kzst-d297", "10.48529/kzst-d297"), ("doi: 10.4232/1.12341", "10.4232/1.12341"),
    ("https://doi.org/10.1234/ABC-9", "10.1234/ABC-9"), ("http://dx.doi.org/10.1234/x ", "10.1234/x"),
    ("https://microdata.worldbank.org/index.php/catalog/64", None), ("https://doi.org/about", None),
])
def test_a_doi_in_each_of_its_written_forms(text: str, doi: str | None) -> None:
    assert doi_of(text) == doi


def test_a_reference_typed_where_an_address_is_asked_is_called_a_citation() -> None:
    with pytest.raises(BadValue) as refused:
        parse_iri("INEGI (2021). Encuesta Nacional de Migración.")
    assert "reads as a reference to a document: give it as a citation" in str(refused.value)
