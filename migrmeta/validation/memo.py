"""The last run over the same inputs, kept by file status: a re-run reads only what changed.

The outcome cache is keyed by each record's bytes, so a re-run after one change still reads
and hashes every file, decodes every cached outcome and words every finding again: seconds
for 10,000 records. This memo keeps, for the last run with the same arguments, language and
shapes, each file's status (size, modification and change times, inode) with its cache key,
its outcome's summary and its worded findings. A file whose status is unchanged is taken from
the memo without being opened; any other is read and checked as usual (cache, then engine).
The checks across records always run again, on every summary.

A file written in the last seconds before the memo was (same size, a modification time the
file system cannot tell apart) is read again, as git does with "racily clean" entries. A memo
that cannot be read is ignored; one that cannot be written costs the next run time, never
correctness. `--no-cache` uses neither.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Any

from migrmeta.errors import PublishError
from migrmeta.io.files import write_atomically
from migrmeta.io.pieces import pieces, unpack
from migrmeta.resources import package_fingerprint, version
from migrmeta.validation.cache import SCHEMA
from migrmeta.validation.findings import Finding, Severity
from migrmeta.validation.outcome import Outcome, Summary, Term

FORMAT = 4  # marshal of plain tuples: 10,000 entries read in tens of milliseconds (4: findings of shapes
# without sh:message worded from their results); raise it when findings are worded otherwise
CHUNK = 2_000  # entries per marshalled piece: the file is written piece by piece (memory stays flat)
RACY_NS = 2_000_000_000  # files changed this close to the memo's writing are read again
KEEP = 8  # memos kept in the cache folder (the newest)


@dataclass
class Entry:
    status: tuple[int, ...]
    key: str
    outcome: Outcome  # summary, SHA-256 and error only: the findings are worded already
    findings: list[Finding]  # the record's own (shapes, input), before the checks across records
    row: tuple[Any, ...] | None = None  # as stored: written back as it was read


def status(name: str) -> tuple[int, ...] | None:
    try:
        found = os.stat(name)
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino, found.st_dev)


def memo_name(paths: list[str], **settings: object) -> str:
    """One memo per set of arguments, language, shapes and migrmeta's version and code (and the
    outcomes' format: findings are worded from them)."""
    parts = [FORMAT, SCHEMA, version(), package_fingerprint(), os.getcwd(), paths, sorted(settings.items())]
    text = json.dumps(parts, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class Memo:
    def __init__(self, path: Path | None, entries: dict[str, Entry], written_ns: int) -> None:
        self.path, self.entries, self.written_ns = path, entries, written_ns
        self.changed = False

    @classmethod
    def load(cls, folder: Path | None, name: str) -> Memo:
        if folder is None:
            return cls(None, {}, 0)
        path = folder / "runs" / f"{name}.memo"
        try:
            parts = unpack(path.read_bytes())
            written_ns = next(parts)
            entries: dict[str, Entry] = {}
            while (rows := next(parts)) is not None:
                entries.update((row[0], _entry(row)) for row in rows)
        except Exception:  # absent, interrupted, another version: start afresh
            return cls(path, {}, 0)
        return cls(path, entries, written_ns)

    def reusable(self, name: str) -> Entry | None:
        """The entry of a file whose status is the one recorded, and not racily so."""
        entry = self.entries.get(name)
        if entry is None:
            return None
        now = status(name)
        if now != entry.status or now[1] >= self.written_ns - RACY_NS:
            return None
        return entry

    def save(self, entries: dict[str, Entry]) -> None:
        if self.path is None:
            return
        with suppress(OSError, ValueError, PublishError):  # a memo not written costs the next run time only
            write_atomically(self.path, _pieces(entries), durable=False)  # a crash costs the next run time only
            runs = sorted(self.path.parent.glob("*.memo"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in runs[KEEP:]:
                old.unlink(missing_ok=True)


def _pieces(entries: dict[str, Entry]) -> Iterator[bytes]:
    """The memo file (io/pieces.py): the time it is written, then the entries CHUNK at a time."""
    listed = list(entries.items())
    chunks = ([entry.row if entry.row is not None and entry.row[0] == source else _row(source, entry)
               for source, entry in listed[start:start + CHUNK]] for start in range(0, len(listed), CHUNK))
    return pieces(itertools.chain([time.time_ns()], chunks))


_SUMMARY = [f.name for f in fields(Summary)]
_FINDING = [f.name for f in fields(Finding) if f.name != "term"]
_PLAIN = len(_FINDING)


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, str) else value


def _row(source: str, entry: Entry) -> tuple[Any, ...]:
    o = entry.outcome
    summary = tuple(getattr(o.summary, name) for name in _SUMMARY)
    # marshal takes plain strings only: the severity (a StrEnum) is kept as its text
    found = tuple((*(_plain(getattr(f, name)) for name in _FINDING), astuple(f.term) if f.term is not None else None)
                  for f in entry.findings)
    return (source, entry.status, entry.key, o.sha256, summary, o.error, found)


_SEVERITY = {str(s): s for s in Severity}


def _finding(values: tuple[Any, ...]) -> Finding:
    """A finding as the memo keeps it, rebuilt without the frozen dataclass's __init__ (one
    object.__setattr__ per field: a third of the time of reading a memo of 10,000 records)."""
    finding = object.__new__(Finding)
    fields_of = finding.__dict__
    fields_of.update(zip(_FINDING, values, strict=False))  # values ends with the term, set below
    fields_of["severity"] = _SEVERITY[values[0]]
    term = values[_PLAIN]
    fields_of["term"] = Term(*term) if term is not None else None
    return finding


def _entry(row: tuple[Any, ...]) -> Entry:
    source, state, key, sha, summary, error, found = row
    outcome = Outcome(source, sha, [], Summary(*summary), error)
    return Entry(tuple(state), key, outcome, [_finding(f) for f in found], row)


__all__ = ["Entry", "Memo", "memo_name", "status"]
