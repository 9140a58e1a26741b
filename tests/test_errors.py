"""Messages speak of the caller's arguments: flags on the command line, arguments from Python."""

from __future__ import annotations

from migrmeta.errors import InputError, speak


def test_a_choice_whose_argument_is_a_dict_is_spoken_too() -> None:
    """`{--context IRI=FILE|contexts={IRI: FILE}}` was printed as written (the argument's own
    braces stopped the match)."""
    text = "give {--context IRI=FILE|contexts={IRI: FILE}}, or {--lang|lang=}"
    assert speak(text, cli=True) == "give --context IRI=FILE, or --lang"
    assert speak(text, cli=False) == "give contexts={IRI: FILE}, or lang="
    error = InputError("a.jsonld", "its context is remote", hint=text)
    assert "hint: give --context IRI=FILE, or --lang" in error.cli_text() and "{--" not in error.cli_text()
