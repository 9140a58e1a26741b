"""The form an interrupted `migrmeta new` keeps, and reading it back to go on (`--resume`).

Its first line, in the session's language, says where the session stopped (an item, the
sources, or a new agency being described); the second is the command that goes on, with
the options that matter to the answers (`-o`, `--lang`, `--catalogue`), so following it writes
the record where the contributor first asked. `read_kept` reads both back and refuses any
other file before a question is asked (resuming replaces the file with the answers).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrmeta.errors import UsageError
from migrmeta.formats.forms.text import read_form
from migrmeta.load import read_bounded
from migrmeta.messages import message, recognise

KEPT_MARK = "Answers given to `migrmeta new` so far"  # the English first words of a kept form
SOURCES = 15  # the item number the sources are asked as, after item 14
_KINDS = ("new.kept_describing", "new.kept_at_item", "new.kept_at_sources")
_COMMAND = re.compile(r"migrmeta new --resume .*$")


@dataclass(frozen=True)
class Kept:
    """What an interrupted session kept: the answers, where to go on, and how it was started."""

    form: dict[str, Any]
    item: int  # the item it was interrupted in (SOURCES: the sources)
    agencies: tuple[str, ...] = ()  # new agencies whose description it was interrupted in
    output: str | None = None  # the record's file given with -o


def resume_command(path: str | Path, output: str | Path | None = None, lang: str = "en",
                   catalogue: str | Path | None = None) -> str:
    """`migrmeta new --resume PATH -o OUTPUT --lang fr`: the options of the session that matter."""
    words = ["migrmeta", "new", "--resume", str(path)]
    if output is not None:
        words += ["-o", str(output)]
    if lang != "en":
        words += ["--lang", lang]
    if catalogue is not None:
        words += ["--catalogue", str(catalogue)]
    return shlex.join(words)


def kept_header(item: int | None, agencies: Sequence[str], command: str, lang: str = "en") -> str:
    """The header of a kept form: where the session stopped, then the command that goes on."""
    if item is None:
        first = message("new.kept_at_sources", lang)
    elif agencies:
        first = message("new.kept_describing", lang, item=item, id=", ".join(agencies))
    else:
        first = message("new.kept_at_item", lang, item=item)
    return f"{first}\n  {command}"


def _where(first: str) -> tuple[int, tuple[str, ...]] | None:
    for key in _KINDS:
        found = recognise(key, first)
        if found is None:
            continue
        if key == "new.kept_at_sources":
            return SOURCES, ()
        if not found["item"].isdigit():
            return None
        agencies = tuple(found["id"].split(", ")) if "id" in found else ()
        return int(found["item"]), agencies
    return None


def resume_point(text: str) -> int:
    """The item to go on from, read from a kept form's text (SOURCES: only the sources are
    left; 1 when it says none)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].removeprefix("#").strip()
    where = _where(first)
    return where[0] if where else 1


def _output(text: str) -> str | None:
    for line in text.splitlines()[1:6]:
        found = _COMMAND.search(line)
        if not found:
            continue
        try:
            words = shlex.split(found.group(0))
        except ValueError:
            return None
        for flag in ("-o", "--output"):
            if flag in words[:-1]:
                return words[words.index(flag) + 1]
        return None
    return None


def read_kept(path: Path) -> Kept:
    """The answers of a form an interrupted session kept, where to go on and its -o.

    Any other file (a record, a form written otherwise, notes) is refused before anything is
    asked, since resuming replaces the file with the answers."""
    data = read_bounded(path)
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    where = _where(first.removeprefix("#").strip()) if first.startswith("#") else None
    if where is None:
        raise UsageError(f"{path} is not a form kept by an interrupted `migrmeta new` (those begin "
                         f"\"# {KEPT_MARK}\", or the same in French or Spanish); it was not changed",
                         hint="give the file named when the session was interrupted (such as new-survey.partial.yaml); "
                              "a filled form becomes a record with {`migrmeta import form FILE`|"
                              "import_records(\"form\", [FILE])}")
    form = read_form(data, str(path))
    if not isinstance(form, dict):
        raise UsageError(f"{path} holds no answers (its text is not a form of keys and values); it was not changed",
                         hint="give the file named when the session was interrupted, as it was written")
    item, agencies = where
    return Kept(form, item, agencies, _output(text))


__all__ = ["KEPT_MARK", "SOURCES", "Kept", "kept_header", "read_kept", "resume_command", "resume_point"]
