"""The words migrmeta says, in English, French and Spanish, from `messages.toml` (data, not code).

    message("report.item", "fr")                              -> "question"
    message("where.row", "es", row=3)                         -> "fila 3"
    in_every_language("template.surveys_sheet")               -> ("Surveys", "Enquêtes", "Encuestas")
    translate('"2019-13" is not a date: there is no month 13 (write a year ...)', "fr")
    plural(1, "record"), plural(1_200, "graph")              -> "1 record", "1,200 graphs"

`translate` shows an English message of the library in another language: each English
template of the catalogue is a pattern (`{name}` stands for any text), and the parts it
captures are translated in turn when they are messages too. Text that matches no template is
left as it is, so a message never disappears, at worst it stays English.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "fr", "es")
# Sections of words said only through `message` (answers, examples, the templates' words): never
# patterns of `translate`, so a value typed "yes" or "back" stays as typed in a message.
_SAID_ONLY = ("answer.", "example.", "what.", "template.")
_FILE = Path(__file__).with_name("messages.toml")
_FIELD = re.compile(r"\{(\w+)\}")


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """"section.name" -> {language: template}."""
    with _FILE.open("rb") as handle:
        data = tomllib.load(handle)
    found: dict[str, dict[str, str]] = {}
    for section, entries in data.items():
        for name, texts in entries.items():
            found[f"{section}.{name}"] = dict(texts)
    return found


def message(key: str, lang: str = "en", /, **params: object) -> str:
    """The message `key` in `lang` (English when the language has none), filled with `params`."""
    texts = catalogue()[key]
    return (texts.get(lang) or texts["en"]).format(**params)


def in_every_language(key: str) -> tuple[str, ...]:
    """The message `key` in each language, English first, each wording once (the words a
    reader accepts whatever the language of the template or answer)."""
    return tuple(dict.fromkeys(message(key, lang) for lang in LANGUAGES))


def _pattern(template: str) -> re.Pattern[str]:
    """A template as a pattern: each `{name}` stands for any text, the same text where it is named again
    (`{{` and `}}` are the braces `message` writes)."""
    parts = _FIELD.split(template)
    named: set[str] = set()
    regex = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            regex.append(re.escape(part.replace("{{", "{").replace("}}", "}")))
        else:
            regex.append(f"(?P={part})" if part in named else f"(?P<{part}>.+?)")
            named.add(part)
    return re.compile("".join(regex) + r"\Z", re.S)


@cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    """Each English template as a pattern, the most literal first (so the most specific wins)."""
    found = []
    for key, texts in catalogue().items():
        if key.startswith(_SAID_ONLY):
            continue
        english = texts["en"]
        found.append((len(_FIELD.sub("", english)), _pattern(english), key))
    return [(pattern, key) for _, pattern, key in sorted(found, key=lambda f: -f[0])]


def recognise(key: str, text: str) -> dict[str, str] | None:
    """The fields of `text` when it is the message `key` in any language, as written; else None.

    recognise("new.kept_at_item", "Réponses données ..., interrompu à la question 5. Pour continuer :")
    -> {"item": "5"}
    """
    for template in catalogue()[key].values():
        found = _pattern(template).match(text)
        if found:
            return found.groupdict()
    return None


def translate(text: str, lang: str) -> str:
    """An English message of the library, said in `lang` (unchanged when it is no known message)."""
    if lang == "en" or not text:
        return text
    for pattern, key in _patterns():
        found = pattern.match(text)
        if found:
            params = {name: translate(value, lang) for name, value in found.groupdict().items()}
            return message(key, lang, **params)
    head, sep, tail = text.partition("; ")  # "message; hint": each part on its own
    if sep:
        return f"{translate(head, lang)}; {translate(tail, lang)}"
    return text


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """`1 graph`, `2 graphs`, `1,200 triples`: a count and its English noun (`nouns` when not noun + s)."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


__all__ = ["LANGUAGES", "catalogue", "in_every_language", "message", "plural", "recognise", "translate"]
