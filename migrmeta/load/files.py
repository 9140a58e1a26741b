"""Files, directories and standard input -> one parsed record per file.

Every problem with an input is an `InputError` naming the file and, where known, the line.
A path that is found but cannot be read (a folder without permission, a dangling link) is an
error too, never skipped in silence: commands that delete (`push --prune`) rely on it.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from migrmeta.errors import InputError, UsageError, literal
from migrmeta.limits import TRUSTED, current, using
from migrmeta.load.merged import Verdict, is_candidate, merges_among
from migrmeta.load.record import Record, parse_bytes
from migrmeta.rdf import syntaxes
from migrmeta.rdf.reader import written_report

STDIN = "-"
STDIN_NAME = "<stdin>"
# Reference data sits next to records in a checkout but is not a record.
_NOT_RECORDS = {"context.jsonld"}
_SUFFIXES = frozenset(syntaxes.SUFFIXES)


def expand_paths(paths: Iterable[str | Path], notices: list[Verdict] | None = None) -> list[str | InputError]:
    """Files, directories (recursive, RDF suffixes only) and `-` -> sorted input names.

    A missing path, a directory without records, a folder that cannot be listed, a link
    that points nowhere and a second `-` each give an `InputError` in its place, so the
    other inputs are still read and nothing is lost in silence. A file named twice (`records/`
    and `records/mafe.ttl`) is read once, where it first appears.

    With `notices`, a merge's output found in a folder beside the very files it was merged
    from is left out, and its `Verdict` appended to them (a stale one is read, and said too):
    see load/merged.py. Without, every file is kept.
    """
    paths = list(paths)
    found: list[str | InputError] = []
    walked: set[str] = set()  # found in a folder: only these may be left out, unless named too
    named: set[str] = set()
    for raw in paths:
        if str(raw) == STDIN:
            found.append(STDIN)
            continue
        path = Path(raw)
        if path.is_dir():
            misnamed: list[str] = []
            files, problems = walk(path, _is_record, misnamed)
            found.extend(problems)
            if not files and not problems:
                renamed = f"; rename {misnamed[0]} {Path(misnamed[0]).stem} to read it" if misnamed else ""
                found.append(InputError(str(path), "no records in this directory",
                                        hint="records are files ending in " + ", ".join(sorted(syntaxes.SUFFIXES))
                                             + renamed))
            elif notices is not None:
                notices.extend(Verdict(name, 0, misnamed=True) for name in misnamed)
            found.extend(files)
            walked.update(files)
        elif path.is_file():
            found.append(str(path))
            named.add(_key(str(path)))
        elif path.is_symlink() and not path.exists():
            found.append(InputError(str(path), f"is a link to {os.readlink(path)}, which does not exist"))
        elif path.exists():  # /dev/null, a pipe, a socket: there, but nothing to read a record from
            found.append(InputError(str(path), "is neither a file nor a folder (a device, a pipe...)",
                                    hint="give record files or folders of them"))
        else:
            found.append(InputError(str(path), "no such file or directory"))
    found = read_stdin_once(named_once(found) if len(paths) > 1 else found)
    if notices is None or not walked:
        return found
    return _without_merges(_without_reports(found, walked, named, notices), walked, named, notices)


def _without_reports(found: list[str | InputError], walked: set[str], named: set[str],
                     notices: list[Verdict]) -> list[str | InputError]:
    """`found` without the reports migrmeta wrote into a folder of records (`validate -o
    report.json .`): the next run read one as a record, and failed on it (exit 3)."""
    kept: list[str | InputError] = []
    for name in found:
        what = None
        if isinstance(name, str) and name.lower().endswith((".json", ".jsonld", ".xml")) and name in walked \
                and _key(name) not in named:  # the suffix first: no path work for the thousands of .ttl
            what = _own_report(name)
        if what is None:
            kept.append(name)
        else:
            notices.append(Verdict(str(name), 0, report=what))
    return kept


def _own_report(name: str) -> str | None:
    try:
        with open(name, "rb") as handle:
            head = handle.read(512)
    except OSError:
        return None  # read as a record, where the error is said
    found = written_report(head)
    return f"a report ({found})" if found is not None else None


def _without_merges(found: list[str | InputError], walked: set[str], named: set[str],
                    notices: list[Verdict]) -> list[str | InputError]:
    """`found` without the merge outputs whose sources are all among it (load/merged.py)."""
    candidates = [n for n in found if isinstance(n, str) and n in walked and is_candidate(n) and _key(n) not in named]
    if not candidates:
        return found
    inputs = [n for n in found if isinstance(n, str) and n != STDIN]
    hashes: dict[str, str | None] = {}

    def sha256(name: str) -> str | None:
        if name not in hashes:
            try:
                hashes[name] = hashlib.sha256(read_bounded(name)).hexdigest()
            except InputError:
                hashes[name] = None
        return hashes[name]

    def quads_of(path: str) -> list[ox.Quad] | None:
        try:
            return read_input(path).quads
        except InputError:
            return None

    verdicts = merges_among(candidates, inputs, quads_of, sha256)
    notices.extend(verdicts)
    left_out = {v.path for v in verdicts if v.left_out}
    return [n for n in found if not (isinstance(n, str) and n in left_out)]


def _key(name: str) -> str:
    return os.path.normpath(os.path.abspath(name))


def named_once(found: list[str | InputError]) -> list[str | InputError]:
    """Each file once, where it first appears (by its absolute, normalized name: no file
    system call per file); errors and `-` as they are."""
    seen: set[str] = set()
    kept: list[str | InputError] = []
    for name in found:
        if isinstance(name, str) and name != STDIN:
            key = _key(name)
            if key in seen:
                continue
            seen.add(key)
        kept.append(name)
    return kept


def _is_record(name: str) -> bool:
    dot = name.rfind(".")
    return name not in _NOT_RECORDS and dot > 0 and name[dot:].lower() in _SUFFIXES


def _is_misnamed(name: str) -> bool:
    """A record a text editor saved with ".txt" added (Notepad, or Windows hiding known extensions)."""
    return name.lower().endswith(".txt") and _is_record(name[:-4])


def walk(top: Path, accept: Callable[[str], bool], misnamed: list[str] | None = None
         ) -> tuple[list[str], list[InputError]]:
    """The files under `top` whose name `accept` takes (hidden files and folders skipped), in
    the order of Paths, and an `InputError` for each folder that cannot be listed and each
    accepted name that is a link to nothing: what cannot be read is said, never skipped. With
    `misnamed`, the records saved with ".txt" added (x.ttl.txt) are added to it, to be said.

    Strings from `os.scandir`, not Paths: a folder may hold 100,000 records, and a directory
    entry says whether it is a link without asking the file system again."""
    files: list[str] = []
    problems: list[InputError] = []
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
            if not accept(name):
                if misnamed is not None and _is_misnamed(name):
                    misnamed.append(entry.path)
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
        importer = _IMPORTERS.get(suffix)
        if importer is not None:  # a file migrmeta reads, but not as a record: say which command does
            kind, command, output = importer
            target = output.replace("NAME", Path(name).stem)
            shell = literal(f"migrmeta import {command} {shlex.quote(name)} -o {shlex.quote(target)}")
            python = literal(f"migrmeta.import_records('{command}', [{name!r}], output=Path({target!r}))")
            raise InputError(name, f"is {kind}, not an RDF record",
                             hint=f"{{`{shell}`|{python}}} checks it and "
                                  "turns it into records; validate reads records (.ttl, .jsonld, .nt, "
                                  ".nq, .trig, .rdf)")
        raise InputError(name, f"unknown file type {suffix or '(no extension)'!r}",
                         hint="name the file .ttl, .jsonld, .nt, .nq, .trig or .rdf (only "
                              "{`migrmeta validate --input-format FORMAT`|validate(..., input_format=)} "
                              "reads a file under any name)")
    return found.name


_FORM = ("a questionnaire form", "form", "records/NAME.ttl")
_SHEET = ("a spreadsheet of surveys", "sheet", "records/")
# suffixes of what the importers read (and no RDF syntax has) -> what it is, the importer, its output
_IMPORTERS = {".yaml": _FORM, ".yml": _FORM, ".json": _FORM, ".xlsx": _SHEET, ".csv": _SHEET}


def too_big(source: str, size: str) -> InputError:
    limits = current()
    return InputError(source, f"is {size}, over the {limits.file_mb:g} MB limit (limit `file_mb`)",
                      hint="split it (one survey per file), or raise {--limit file_mb=N|the limit file_mb}")


def read_bounded(path: str | Path, source: str | None = None) -> bytes:
    """The bytes of a user's file, refused before it is read when it is over the `file_mb` limit."""
    source = source or str(path)
    limit = current().file_bytes
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise too_big(source, f"{size / 1e6:.1f} MB")
            chunks, total = [], 0
            while total <= limit:  # a file that grows while read, a pipe, a device: read no further
                chunk = handle.read(min(1 << 20, limit + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
            data = b"".join(chunks)
    except OSError as exc:
        raise InputError(source, f"cannot be read ({exc.strerror})") from exc
    if len(data) > limit:
        raise too_big(source, "larger")
    return data


def read_raw(name: str, input_format: str | None = None) -> tuple[str, bytes, str]:
    """One input's (source name, bytes, format), unparsed: a path or `-` for standard input."""
    if name == STDIN:
        data = sys.stdin.buffer.read(current().file_bytes + 1)
        if len(data) > current().file_bytes:
            raise too_big(STDIN_NAME, "larger")
        return STDIN_NAME, data, input_format or syntaxes.sniff(data)
    fmt = format_for(name, input_format)
    return name, read_bounded(name), fmt


def read_input(name: str, input_format: str | None = None) -> Record:
    """Read and parse one input (a path or `-` for standard input)."""
    source, data, fmt = read_raw(name, input_format)
    return parse_bytes(data, source, fmt)


def read_trusted(path: str | Path) -> Record:
    """One of the project's own data files (reference data, shapes), parsed without the limits on
    untrusted input (limits.TRUSTED)."""
    with using(TRUSTED):
        return read_input(str(path))


def read_stdin_once(names: Iterable[str | InputError]) -> list[str | InputError]:
    """Standard input can be read once: a second `-` is an error of its own (named `-`, not
    `<stdin>`, so the record read from the first one keeps its name and its findings)."""
    out: list[str | InputError] = []
    seen = False
    for name in names:
        if name == STDIN and seen:
            out.append(InputError(STDIN, "standard input is given a second time; it can be read only once "
                                  f"(the first - was read as {STDIN_NAME})", hint="give - once"))
            continue
        seen = seen or name == STDIN
        out.append(name)
    return out


def agencies_beside(path: str | Path) -> Path | None:
    """The agencies.ttl described once next to a record (or in a folder of records), if any."""
    start = Path(path)
    sibling = (start if start.is_dir() else start.parent) / "agencies.ttl"
    return sibling if sibling.is_file() else None


def files_read(paths: Iterable[str | Path], agencies: str | Path | None = None) -> list[str | Path]:
    """What a run over `paths` reads: the paths, the agencies file given (`--agencies`) and the
    agencies.ttl beside each file given. An output may be none of them: a report written over the
    agencies.ttl beside the one record validated replaced the catalogue's agencies (a reviewer's find)."""
    given = list(paths)
    read: list[str | Path] = [*given, *([agencies] if agencies is not None else [])]
    for path in given:
        sibling = agencies_beside(path) if str(path) != STDIN else None
        if sibling is not None:
            read.append(sibling)
    return read


def iter_records(paths: Iterable[str | Path], input_format: str | None = None,
                 notices: list[Verdict] | None = None) -> Iterator[Record | InputError]:
    """Each input parsed, or the error that stopped it: one bad file never stops the rest;
    `notices` as for `expand_paths`."""
    for name in expand_paths(paths, notices):
        if isinstance(name, InputError):
            yield name
            continue
        try:
            yield read_input(name, input_format)
        except InputError as exc:
            yield exc


__all__ = ["STDIN", "STDIN_NAME", "Record", "agencies_beside", "expand_paths", "format_for", "iter_records",
           "named_once", "parse_bytes", "read_bounded", "read_input", "read_raw", "read_stdin_once",
           "read_trusted", "walk"]
