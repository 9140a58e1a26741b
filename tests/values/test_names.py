"""The one "did you mean" matcher: exact, then whole words, then close spellings; never silly."""

from __future__ import annotations

from migrmeta.values.names import Names


def _names() -> Names:
    names = Names()
    for value, labels in {
        "cluster": ["Cluster", "Sondage en grappes", "Muestreo por conglomerados"],
        "pps": ["Probability proportional to size", "PPS"],
        "quota": ["Quota", "Méthode des quotas"],
        "stratified": ["Stratified", "Sondage stratifié"],
        "multistage": ["Multi-stage", "Sondage à plusieurs degrés"],
        "snowball": ["Snowball", "Snowball sampling", "boule de neige"],
    }.items():
        names.add(value, value, value, code=True)
        for label in labels:
            names.add(value, label, labels[0])
    return names


def test_exact_then_whole_words_in_any_language() -> None:
    names = _names()
    assert names.exact("SONDAGE EN GRAPPES") == ["cluster"]
    assert names.find("grappes") == ["cluster"]  # a word of the French label, not "PPS"
    assert names.find("quotas") == ["quota"]  # a trailing plural s does not matter
    assert names.find("sondage") == ["cluster", "multistage", "stratified"]  # ambiguous: several
    assert names.find("en") == []  # too short to name anything alone


def test_suggestions_are_close_spellings() -> None:
    names = _names()
    assert names.suggest("snowbal") == ["Snowball"]
    assert names.suggest("Stratifed") == ["Stratified"]
    assert names.suggest("qwertyuiop") == []


def test_common_words_never_carry_a_suggestion() -> None:
    names = _names()
    assert names.suggest("sondage aleatoire") == []  # "sondage" is in three labels


def test_short_answers_are_compared_with_three_letter_codes_only() -> None:
    names = Names()
    for code in ("PHL", "UKR", "GBR"):
        names.add(code, code, code, code=True)
    names.add("UKR", "UA", "UA", code=True)
    assert names.suggest("PHI") == ["PHL"]
    assert names.suggest("UK") == []  # two letters: not "UKR", not "UA"
    assert names.suggest("BGR") == ["GBR"]  # two letters swapped


def test_two_letters_swapped_in_a_short_word_are_a_typo() -> None:
    """`-p level=opne` got no "did you mean open?": the ratio judges a swap in four letters far."""
    names = Names()
    for value in ("open", "licensed", "on-request", "unknown"):
        names.add(value, value, value, code=True)
    assert names.suggest("opne") == ["open"]
    assert names.suggest("oprn") == ["open"]  # one letter off
    assert names.suggest("pone") == []  # not a swap of neighbours
