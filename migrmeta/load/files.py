"""Files, directories and standard input -> one parsed record per file.

Every problem with an input is an `InputError` naming the file and, where known, the line.
A path that is found but cannot be read (a folder without permission, a dangling link) is an
error too, never skipped in silence: commands that delete (`push --prune`) rely on it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from migrmeta.errors import InputError, UsageError
from migrmeta.load.record import Record, parse_bytes
from migrmeta.rdf import syntaxes

STDIN = "-"
STDIN_NAME = "<stdin>"
# Reference data sits next to records in a checkout but is not a record.
_NOT_RECORDS = {"context.jsonld"}


def expand_paths(paths: Iterable[str | Path]) -> list[str | InputError]:
    """Files, directories (recursive, RDF suffixes only) and `-` -> sorted input names.

    A missing path, a directory without records, a folder that cannot be listed and a link
    that points nowhere each give an `InputError` in its place, so the other inputs are
    still read and nothing is lost in silence.
    """
    found: list[str | InputError] = []
    for raw in paths:
        if str(raw) == STDIN:
            found.append(STDIN)
            continue
        path = Path(raw)
        if path.is_dir():
            files, problems = _walk(path)
            found.extend(problems)
            if not files and not problems:
                found.append(InputError(str(path), "no records in this directory",
                                        hint="records are files ending in " + ", ".join(sorted(syntaxes.SUFFIXES))))
            found.extend(files)
        elif path.is_file():
            found.append(str(path))
        elif path.is_symlink():
            found.append(InputError(str(path), f"is a link to {os.readlink(path)}, which does not exist"))
        else:
            found.append(InputError(str(path), "no such file or directory"))
    return found


def _walk(top: Path) -> tuple[list[str], list[InputError]]:
    """Record files under `top` (hidden folders skipped), and what could not be read there.

    Strings from `os.scandir`, not Paths: a folder may hold 100,000 records, and a directory
    entry says whether it is a link without asking the file system again."""
    files: list[str] = []
    problems: list[InputError] = []
    suffixes = set(syntaxes.SUFFIXES)
    folders = [str(top)]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                found = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            problems.append(InputError(exc.filename or folder, f"cannot be read ({exc.strerror})",
                                       hint="give migrmeta permission to read it, or move it out of the folder"))
            continue
        for entry in reversed(found):  # walked depth first, in name order
            name = entry.name
            if name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)  # as os.walk: links to folders are not followed
            except OSError:
                is_dir = False
            if is_dir:
                folders.append(entry.path)
                continue
            dot = name.rfind(".")
            if name in _NOT_RECORDS or dot <= 0 or name[dot:].lower() not in suffixes:
                continue
            if entry.is_symlink() and not os.path.exists(entry.path):
                problems.append(InputError(entry.path, f"is a link to {os.readlink(entry.path)}, which does not exist",
                                           hint="remove the link or restore its target"))
                continue
            files.append(entry.path)
    files.sort(key=lambda f: f.split(os.sep))  # the order of Paths: part by part
    return files, sorted(problems, key=lambda e: e.location.source)


def format_for(name: str, explicit: str | None = None) -> str:
    """The syntax of an input: `explicit` (--input-format) or the file's suffix."""
    if explicit:
        if syntaxes.by_name(explicit) is None:
            raise UsageError(f"unknown input format {explicit!r}; use one of: {', '.join(syntaxes.NAMES)}")
        return explicit
    found = syntaxes.for_path(name)
    if found is None:
        suffix = Path(name).suffix.lower()
        raise InputError(name, f"unknown file type {suffix or '(no extension)'!r}",
                         hint="name the file .ttl, .jsonld, .nt, .nq, .trig or .rdf, or pass --input-format")
    return found.name


def read_raw(name: str, input_format: str | None = None) -> tuple[str, bytes, str]:
    """One input's (source name, bytes, format), unparsed: a path or `-` for standard input."""
    if name == STDIN:
        data = sys.stdin.buffer.read()
        return STDIN_NAME, data, input_format or syntaxes.sniff(data)
    fmt = format_for(name, input_format)
    try:
        with open(name, "rb") as handle:
            return name, handle.read(), fmt
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror})") from exc


def read_input(name: str, input_format: str | None = None) -> Record:
    """Read and parse one input (a path or `-` for standard input)."""
    source, data, fmt = read_raw(name, input_format)
    return parse_bytes(data, source, fmt)


def read_stdin_once(names: list[str]) -> list[str | InputError]:
    """Standard input can be read once: a second `-` is a usage mistake, said as such."""
    out: list[str | InputError] = []
    seen = False
    for name in names:
        if name == STDIN and seen:
            out.append(InputError(STDIN_NAME, "is given twice; standard input can be read only once",
                                  hint="give `-` once"))
            continue
        seen = seen or name == STDIN
        out.append(name)
    return out


def agencies_beside(path: str | Path) -> Path | None:
    """The agencies.ttl described once next to a record (or in a folder of records), if any."""
    start = Path(path)
    sibling = (start if start.is_dir() else start.parent) / "agencies.ttl"
    return sibling if sibling.is_file() else None


def iter_records(paths: Iterable[str | Path], input_format: str | None = None) -> Iterator[Record | InputError]:
    """Each input parsed, or the error that stopped it: one bad file never stops the rest."""
    for name in expand_paths(paths):
        if isinstance(name, InputError):
            yield name
            continue
        try:
            yield read_input(name, input_format)
        except InputError as exc:
            yield exc


__all__ = ["STDIN", "STDIN_NAME", "Record", "agencies_beside", "expand_paths", "format_for", "iter_records",
           "parse_bytes", "read_input", "read_raw", "read_stdin_once"]
