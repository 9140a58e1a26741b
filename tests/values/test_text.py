"""fold (the matching key), slug (ids, bounded), text with a language mark."""

from __future__ import annotations

import pytest
from rdflib import Literal

from migrmeta.values.errors import BadValue
from migrmeta.values.text import SLUG_LENGTH, fold, is_slug, lang_text, shortened, slug, split_language


def test_fold_ignores_case_accents_apostrophes_and_punctuation() -> None:
    assert fold("Côte d’Ivoire") == fold("cote d'ivoire") == fold("COTE D'IVOIRE") == "cote divoire"
    assert fold("probability.simple-random") == "probability simple random"
    assert fold("  Multi-Stage ") == "multi stage"
    assert fold("Échantillonnage par quotas") == "echantillonnage par quotas"
    assert fold("Korea, Rep.") == "korea rep"


@pytest.mark.parametrize(("text", "expected"), [
    ("Tunisia HIMS", "tunisia-hims"),
    ("UKDA-6684", "ukda-6684"),
    ("Enquête nationale 2019", "enquete-nationale-2019"),
    ("Côte d’Ivoire", "cote-d-ivoire"),
    ("Ελλάδα", ""),  # nothing left: the caller names it otherwise
])
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected
    assert not expected or is_slug(expected)


def test_slug_is_bounded_and_cut_at_a_word() -> None:
    long = " ".join(["migration"] * 20)
    cut = slug(long)
    assert len(cut) <= SLUG_LENGTH and cut.endswith("migration") and not cut.endswith("-")
    assert slug(long, max_length=20) == "migration-migration"
    assert len(slug("x" * 100)) == SLUG_LENGTH


def test_text_with_a_language_mark() -> None:
    assert split_language("[fr] Enquête", "en") == ("Enquête", "fr")
    assert lang_text("[es] Encuesta", "en") == Literal("Encuesta", lang="es")
    assert lang_text("Survey", "en") == Literal("Survey", lang="en")
    assert lang_text("Survey", None) == Literal("Survey")
    with pytest.raises(BadValue, match="empty"):
        lang_text("[fr]  ", "en")


def test_a_language_mark_that_is_no_language_is_refused() -> None:
    """`[xx] bad` in a sheet cell was written as "bad"@xx, with no warning."""
    with pytest.raises(BadValue, match=r'"\[xx\]" is not a language code: .* ISO 639-1'):
        lang_text("[xx] bad", "en")
    assert lang_text("[pt-BR] Pesquisa", "en") == Literal("Pesquisa", lang="pt-br")
    assert lang_text("[wol] Jàng", "en") == Literal("Jàng", lang="wol")  # ISO 639-2/3: taken as given


@pytest.mark.parametrize(("given", "tag"), [
    ("es", "es"), ("es-ES", "es-ES"), ("http://publications.europa.eu/resource/authority/language/DEU", "de"),
    ("http://id.loc.gov/vocabulary/iso639-2/ger", "de"), ("http://lexvo.org/id/iso639-3/spa", "es"),
    ("http://publications.europa.eu/resource/authority/language/GSW", "gsw"), ("not a language", None),
    ("https://example.org/", None), ("http://example.org/dataset/abc", None),
])
def test_language_tag_from_a_code_or_an_iri(given: str, tag: str | None) -> None:
    from migrmeta.values.text import language_tag

    assert language_tag(given) == tag


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("short enough", 20, "short enough"),
    ("one two  three\nfour", 100, "one two three four"),  # one line
    ("information on migrants, and their families", 30, "information on migrants, and…"),
    ("information on migrants, and their families", 25, "information on migrants…"),  # a whole word, no comma
    ("Supercalifragilistic words", 10, "Supercali…"),  # one long first word: cut inside it
])
def test_shortened_cuts_after_a_whole_word(text: str, limit: int, expected: str) -> None:
    assert shortened(text, limit) == expected
    assert len(shortened(text, limit)) <= limit


def test_shortened_keeps_the_spacing_of_a_value_when_asked() -> None:
    # a diff's value: a change of spacing alone must stay visible
    assert shortened('"Survey on  Overseas Filipinos"@en', 100, keep_spacing=True) == '"Survey on  Overseas Filipinos"@en'
    assert shortened("a  b  c  d  e", 9, keep_spacing=True) == "a  b  c…"
