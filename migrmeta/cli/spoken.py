"""The language a command speaks (its --lang), and an error said in it.

The library raises its errors in English; a command given `--lang fr` says them in French,
the ones it prints itself and those `cli.main` prints for it. The option's callback keeps the
language in the click context's `meta`, shared by the whole command line; `LazyGroup` hands it
to an error on its way out.
"""

from __future__ import annotations

from typing import Any

import click

from migrmeta.errors import InputError, MigrmetaError, speak

KEY = "migrmeta.lang"


def remember_language(ctx: click.Context, _param: Any, value: str) -> str:
    """The --lang option's callback."""
    ctx.meta[KEY] = value
    return value


def spoken_language(ctx: click.Context | None) -> str:
    return str(ctx.meta.get(KEY, "en")) if ctx is not None else "en"


def said_in(text: str, lang: str) -> str:
    """A library message in `lang`, spoken for the command line: its template matched as written
    ({--force|force=True}), else as spoken (--force); unchanged when it is no known message."""
    from migrmeta.messages import translate

    translated = translate(text, lang)
    if translated != text:
        return speak(translated, cli=True)
    return translate(speak(text, cli=True), lang)


def error_said(error: MigrmetaError, lang: str) -> str:
    """An error in `lang`: where it is, its problem and its hint, each said as a message."""
    from migrmeta.messages import message

    if lang == "en":
        return error.cli_text()
    text = f"{error.location}: {said_in(error.problem, lang)}" if isinstance(error, InputError) \
        else said_in(error.message, lang)
    if error.hint:
        text += f"\n  {message('where.hint', lang)}: {said_in(error.hint, lang)}"
    return text
