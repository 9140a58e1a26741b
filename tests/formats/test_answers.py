"""A contributor's answers as typed: codes, labels in three languages, countries, dates, yes/no."""

from __future__ import annotations

import datetime as dt

import pytest
from paths import REPO
from rdflib import Graph, Literal, URIRef

from migrmeta import namespaces as ns
from migrmeta.formats.forms import answers
from migrmeta.formats.forms.answers import Vocabulary
from migrmeta.load.reference import Reference
from migrmeta.values.dates import parse_date
from migrmeta.values.errors import BadValue
from migrmeta.values.iris import parse_iri
from migrmeta.values.text import lang_text

ROOT = REPO


@pytest.fixture(scope="module")
def vocab(reference: Reference) -> Vocabulary:
    return Vocabulary(reference)


def _label(reference: Reference, iri: URIRef, lang: str) -> str:
    return next(str(label) for label in reference.graph.objects(iri, ns.SKOS.prefLabel)
                if label.language == lang)


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_concepts_by_label_in_three_languages_any_case(vocab: Vocabulary, reference: Reference,
                                                       lang: str) -> None:
    for name in ("sample-type", "population", "access-level"):
        for concept in reference.scheme_concepts(ns.scheme_iri(name)):
            label = _label(reference, URIRef(concept.iri), lang)
            assert vocab.concept(name, label.upper()) == URIRef(concept.iri), label


def test_concepts_by_code_and_short_forms(vocab: Vocabulary) -> None:
    st = ns.scheme("sample-type")
    assert vocab.concept("sample-type", "probability.simple-random") == st["probability.simple-random"]
    assert vocab.concept("sample-type", "simple random") == st["probability.simple-random"]  # last part
    assert vocab.concept("sample-type", "  Multi-Stage ") == st["probability.multistage"]
    assert vocab.concept("sample-type", "echantillonnage par quotas") == st["nonprobability.quota"]
    assert vocab.concept("sample-type", str(st["probability.cluster"])) == st["probability.cluster"]


def test_an_unknown_answer_suggests_the_close_one(vocab: Vocabulary) -> None:
    with pytest.raises(BadValue) as caught:
        vocab.concept("sample-type", "snowbal")
    assert caught.value.suggestion == "Snowball"
    assert str(caught.value) == '"snowbal" is not in the list "Sample type"; did you mean "Snowball"?'
    assert vocab.concept("sample-type", caught.value.suggestion) == ns.scheme("sample-type")["nonprobability.snowball"]
    with pytest.raises(BadValue) as caught:
        vocab.concept("sample-type", "qwertyuiop")
    assert caught.value.suggestion is None


@pytest.mark.parametrize(("answer", "code"), [
    ("PHL", "PHL"), ("ph", "PHL"), ("Philippines", "PHL"), ("mexique", "MEX"), ("México", "MEX"),
    ("Estados Unidos", "USA"), ("gb", "GBR"), ("Moldova", None),
])
def test_countries_by_code_or_name(vocab: Vocabulary, answer: str, code: str | None) -> None:
    if code is None:  # the EU table names it "Moldova, Republic of" etc.: a suggestion at least
        try:
            assert str(vocab.concept("country", answer)).endswith("/MDA")
        except BadValue as exc:
            assert exc.suggestion
        return
    assert vocab.concept("country", answer) == ns.COUNTRY[code]


def test_misspelt_country_suggests_the_english_name(vocab: Vocabulary) -> None:
    with pytest.raises(BadValue) as caught:
        vocab.concept("country", "Filipines")
    assert caught.value.suggestion == "Philippines"


@pytest.mark.parametrize(("answer", "lexical", "datatype"), [
    (2019, "2019", ns.XSD.gYear), ("2019-10", "2019-10", ns.XSD.gYearMonth),
    ("2019-10-01", "2019-10-01", ns.XSD.date), (dt.date(2019, 10, 1), "2019-10-01", ns.XSD.date),
    (dt.datetime(2019, 10, 1, 0, 0), "2019-10-01", ns.XSD.date),
])
def test_dates(answer: object, lexical: str, datatype: URIRef) -> None:
    assert parse_date(answer) == Literal(lexical, datatype=datatype)


@pytest.mark.parametrize("answer", ["2019-13", "2019-02-30", "October 2019", "19"])
def test_bad_dates(answer: str) -> None:
    with pytest.raises(BadValue):
        parse_date(answer)


@pytest.mark.parametrize(("answer", "value"), [
    ("yes", True), ("Oui", True), ("sí", True), ("si", True), (True, True),
    ("no", False), ("NON", False), (False, False),
])
def test_yes_and_no_in_three_languages(answer: object, value: bool) -> None:
    assert answers.parse_boolean(answer) == Literal(value)


def test_not_yes_or_no() -> None:
    with pytest.raises(BadValue, match="yes or no"):
        answers.parse_boolean("perhaps")


def test_numbers() -> None:
    assert answers.parse_integer("43,000", 1) == Literal(43000)
    assert answers.parse_integer(3914.0, 1) == Literal(3914)
    with pytest.raises(BadValue, match="at least 1"):
        answers.parse_integer("0", 1)
    with pytest.raises(BadValue, match="whole number"):
        answers.parse_integer("about 40", 1)


def test_web_addresses() -> None:
    assert parse_iri("<https://psa.gov.ph/>") == URIRef("https://psa.gov.ph/")
    with pytest.raises(BadValue) as caught:
        parse_iri("psa.gov.ph")
    assert caught.value.suggestion == "https://psa.gov.ph"


def test_text_with_a_language_mark() -> None:
    assert lang_text("[fr] Enquête", "en") == Literal("Enquête", lang="fr")
    assert lang_text("Survey", "en") == Literal("Survey", lang="en")


def test_agencies_by_id_acronym_or_name() -> None:
    known = answers.load_catalogue(ROOT / "records").agencies()
    psa = ns.AGENCY.psa
    for answer in ("psa", "PSA", "Philippine Statistics Authority"):
        assert known.resolve(answer, str(ns.AGENCY)) == psa
    with pytest.raises(BadValue) as caught:
        known.resolve("Philipine Statistics Authority", str(ns.AGENCY))
    assert caught.value.suggestion == "Philippine Statistics Authority"


def test_check_graphs_keeps_blank_nodes_of_two_graphs_apart(reference: Reference) -> None:
    """Two records with the same blank-node labels are validated together without merging."""
    text = (ROOT / "records" / "mmp.ttl").read_text(encoding="utf-8")
    one = Graph().parse(data=text, format="turtle")
    renamed = Graph()
    for s, p, o in one:  # the same blank nodes, with another start date, in a second survey
        s2 = ns.SURVEY["mmp-copy"] if s == ns.SURVEY.mmp else s
        if p == ns.DCT.identifier:
            o = Literal("mmp-copy")
        if p == ns.DCAT.startDate:
            o = Literal("1990", datatype=ns.XSD.gYear)
        renamed.add((s2, p, o))
    found = answers.check_graphs([("a", one), ("b", renamed)], reference,
                                 catalogue=answers.load_catalogue(ROOT / "records"))
    violations = [f for fs in found.values() for f in fs if f.severity == "violation"]
    assert not [f for f in violations if f.component != "duplicate_key"], violations
