"""Concepts by code or label in any language (prefLabel and altLabel), words before spelling."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from migrmeta import namespaces as ns
from migrmeta.load.reference import Reference
from migrmeta.values.concepts import Concepts
from migrmeta.values.errors import BadValue

ST = ns.scheme("sample-type")


@pytest.fixture(scope="module")
def concepts(reference: Reference) -> Concepts:
    return Concepts.from_reference(reference)


@pytest.mark.parametrize(("written", "notation"), [
    ("probability.cluster", "probability.cluster"),
    ("cluster", "probability.cluster"),  # the last part of the code
    ("Sondage en grappes", "probability.cluster"),  # French prefLabel
    ("grappes", "probability.cluster"),  # a word of it: not a suggestion of "PPS"
    ("conglomerados", "probability.cluster"),  # Spanish
    ("Cluster sample", "probability.cluster"),  # altLabel
    ("échantillonnage par quotas", "nonprobability.quota"),  # French altLabel, accents optional
    ("PPT", "probability.pps"),
    ("  Multi-Stage ", "probability.multistage"),
])
def test_codes_labels_and_words(concepts: Concepts, written: str, notation: str) -> None:
    assert concepts.resolve("sample-type", written) == ST[notation]


def test_a_word_of_several_labels_is_ambiguous(concepts: Concepts) -> None:
    with pytest.raises(BadValue) as refused:
        concepts.resolve("sample-type", "random")
    assert "fits several answers" in str(refused.value) and "probability.simple-random" in str(refused.value)


def test_misspelt_answers_suggest_the_english_label(concepts: Concepts) -> None:
    with pytest.raises(BadValue) as refused:
        concepts.resolve("sample-type", "grapes", "Sample type")
    assert str(refused.value) == '"grapes" is not in the list "Sample type"; did you mean "Cluster"?'
    with pytest.raises(BadValue) as refused:
        concepts.resolve("sample-type", "bola de nieva")
    assert refused.value.suggestion == "bola de nieve"  # the Spanish altLabel, itself accepted
    assert concepts.resolve("sample-type", refused.value.suggestion) == ST["nonprobability.snowball"]


def test_exact_only_for_free_text(concepts: Concepts) -> None:
    assert concepts.exact("sampling-unit", "Household") == ns.scheme("sampling-unit").household
    assert concepts.exact("sample-type", "grappes") is None  # importers guess only whole labels


def test_the_file_reader_agrees_with_the_reference(concepts: Concepts, reference: Reference, root) -> None:  # type: ignore[no-untyped-def]
    from migrmeta.values.concepts import scheme_concepts

    from_file = scheme_concepts(root / "ontology" / "vocabularies" / "sample-type.ttl")
    assert {e.iri for e in from_file.in_scheme("sample-type")} == {e.iri for e in concepts.in_scheme("sample-type")}
    assert from_file.resolve("sample-type", "grappes") == URIRef(ST["probability.cluster"])


def test_an_answer_with_nothing_close_in_a_short_list_is_told_the_list(concepts: Concepts) -> None:
    """"enquête spécifique" for item 8 got "is not in the list" and no more: the contributor had
    nothing to go on (a reviewer's find). A list of a dozen answers or fewer is given whole."""
    with pytest.raises(BadValue) as refused:
        concepts.resolve("survey-design", "enquête spécifique", "Survey design")
    assert str(refused.value) == ('"enquête spécifique" is not in the list "Survey design": answer one of '
                                  "dedicated, dedicated.ethnosurvey, dedicated.flow, dedicated.multisite, "
                                  "dedicated.targeted, longitudinal.panel, module, module.adhoc, module.rider, "
                                  "repeated-cross-section, retrospective.biographic")
    from migrmeta.messages import translate

    assert translate(str(refused.value), "fr").startswith("« enquête spécifique » n’est pas dans la liste « ")


def test_a_word_many_labels_share_is_said_to_fit_them_not_to_be_off_the_list(concepts: Concepts) -> None:
    """"survey" for item 8 was "not in the list", and the whole list given: it fits 8 of its
    answers (a reviewer's find). It is said so, with their codes while they are a dozen or fewer."""
    from migrmeta.messages import translate

    with pytest.raises(BadValue) as refused:
        concepts.resolve("survey-design", "survey", "Survey design")
    said = str(refused.value)
    assert said.startswith('"survey" fits 8 answers of the list "Survey design": write more of the answer, or one '
                           "of these codes: dedicated, dedicated.flow, ")
    assert "module.adhoc" not in said and "repeated-cross-section" not in said  # only the answers it fits
    assert translate(said, "fr").startswith("« survey » correspond à 8 réponses de la liste « Survey design »")
    with pytest.raises(BadValue) as refused:
        concepts.resolve("sample-type", "muestreo", "Sample type")
    assert str(refused.value) == ('"muestreo" fits 17 answers of the list "Sample type": write more of the '
                                  "answer, or its code")
    assert concepts.resolve("survey-design", "dedicated survey") == ns.scheme("survey-design").dedicated
