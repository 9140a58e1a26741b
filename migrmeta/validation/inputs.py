"""The inputs of a run: files, folders and standard input, with agencies.ttl beside them; each
file read once to be hashed (its cache key), then let go, and read again when it is checked."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import overload

from migrmeta.errors import InputError
from migrmeta.load import STDIN, Verdict, agencies_beside, expand_paths, named_once, read_bounded, read_raw
from migrmeta.validation.cache import cache_key
from migrmeta.validation.memo import Entry, Memo, status
from migrmeta.validation.outcome import Item


def input_names(paths: Iterable[str | Path], notices: list[Verdict] | None = None) -> list[str | InputError]:
    """The inputs, and the agencies.ttl beside them: agencies are described once, next to the
    records, and the checks need them. With `notices`, a merge's output beside its sources is
    left out, and said (load/merged.py)."""
    names = expand_paths(paths, notices)
    extra: list[str] = []
    given = {name for name in names if isinstance(name, str)}
    folders: set[str] = set()
    for given_name in sorted(given - {STDIN}):
        folder = os.path.dirname(given_name)
        if folder in folders:  # one look per folder, however many records it holds
            continue
        folders.add(folder)
        sibling = agencies_beside(given_name)
        if sibling is not None and str(sibling) not in given and str(sibling) not in extra:
            extra.append(str(sibling))
    return named_once([*names, *sorted(extra)])  # records/agencies.ttl given as $PWD/records/agencies.ttl: once


KEEP_BYTES = 200_000_000  # files kept in memory once read; beyond, read again when checked


def read_inputs(paths: Iterable[str | Path], input_format: str | None, fingerprint: str, memo: Memo | None = None,
            statuses: dict[str, tuple[int, ...]] | None = None,
            keys: dict[str, tuple[str, str]] | None = None,
            notices: list[Verdict] | None = None) -> list[Item | InputError | Entry]:
    """Each input read (or the error that stopped it), or its entry in the memo when the file
    has not changed since the last run.

    A file read is hashed and, once KEEP_BYTES are held, let go (its item holds None instead of
    its bytes, read again when it is checked: memory stays bounded however large the
    catalogue); `keys`
    gets each one's cache key and SHA-256, `statuses` its status taken before it was read (a
    file changed meanwhile is read again next time); `notices` as for `input_names`."""
    items: list[Item | InputError | Entry] = []
    kept = 0
    for name in input_names(paths, notices):
        if isinstance(name, InputError):
            items.append(name)
            continue
        entry = memo.reusable(name) if memo is not None and name != STDIN else None
        if entry is not None:
            items.append(entry)
            continue
        before = status(name) if statuses is not None and name != STDIN else None
        try:
            source, data, syntax = read_raw(name, input_format)
        except InputError as exc:
            items.append(exc)
            continue
        if keys is not None:
            keys[source] = (cache_key(data, syntax, fingerprint), hashlib.sha256(data).hexdigest())
        keep = name == STDIN or kept + len(data) <= KEEP_BYTES
        kept += len(data) if keep else 0
        items.append((source, data if keep else None, syntax))
        if before is not None and statuses is not None:
            statuses[name] = before
    return items


class Rereading(Sequence[Item]):
    """Items whose files are read again as they are taken (an unreadable one gives None)."""

    def __init__(self, items: Sequence[Item]) -> None:
        self.items = items

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> Item: ...

    @overload
    def __getitem__(self, index: slice) -> Rereading: ...

    def __getitem__(self, index: int | slice) -> Item | Rereading:
        if isinstance(index, slice):
            return Rereading(self.items[index])
        source, data, syntax = self.items[index]
        if data is None:  # within the same bounds as the first read
            try:
                data = read_bounded(source)
            except InputError:
                data = None
        return source, data, syntax


__all__ = ["Rereading", "input_names", "read_inputs"]
