"""Cache files of plain values (tuples, lists, strings, numbers) in length-prefixed marshal
pieces: written piece by piece (a large file is never whole in memory), read with one read and
slices (marshal.load on a file object reads byte by byte: ten times slower). A last piece of
None marks the end, so a file cut short reads as damaged, never as fewer entries.

    write_atomically(path, pieces([header, *chunks]), durable=False)
    values = list(unpack(path.read_bytes()))      # EOFError when cut short
"""

from __future__ import annotations

import marshal
import struct
from collections.abc import Iterable, Iterator
from typing import Any

_LENGTH = struct.Struct("<Q")


def pieces(values: Iterable[Any]) -> Iterator[bytes]:
    """Each value marshalled after its length, then the end marker."""
    for value in _ended(values):
        data = marshal.dumps(value)
        yield _LENGTH.pack(len(data)) + data


def _ended(values: Iterable[Any]) -> Iterator[Any]:
    yield from values
    yield None


def unpack(data: bytes) -> Iterator[Any]:
    """The values of a file `pieces` wrote, in order, the end marker (None) included; EOFError
    when a piece is cut short."""
    view, at = memoryview(data), 0
    while at < len(view):
        (length,) = _LENGTH.unpack_from(view, at)
        at += _LENGTH.size
        if at + length > len(view):
            raise EOFError("the file is cut short")
        yield marshal.loads(view[at:at + length])
        at += length


__all__ = ["pieces", "unpack"]
