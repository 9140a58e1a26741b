"""How much of untrusted input migrmeta reads before it refuses: one set of limits, documented
in docs/security.md, set per run with `migrmeta --limit NAME=VALUE` (or `Limits(...)` in Python).

A record is a few kilobytes; these defaults are orders of magnitude above any honest record
and far below what exhausts memory or Python's recursion.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields, replace

from migrmeta.errors import UsageError


@dataclass(frozen=True)
class Limits:
    file_mb: float = 20.0  # size of one input file (records, forms, sheets, DDI, DCAT documents)
    depth: int = 32  # nesting: blank nodes inside blank nodes, JSON objects, YAML, XML elements
    list_length: int = 500  # members of one RDF list
    entities: int = 100  # XML entity declarations in one document (nested or external ones are always refused)
    sheet_rows: int = 10_000  # rows of a spreadsheet
    sheet_columns: int = 200  # columns of a spreadsheet
    sheet_mb: float = 50.0  # uncompressed size of a spreadsheet (zip bombs)
    yaml_aliases: int = 100  # YAML aliases (*name) in one form (alias bombs)
    http_mb: float = 50.0  # one HTTP response
    http_seconds: float = 120.0  # one HTTP exchange, start to end (a server that trickles)
    query_seconds: float = 300.0  # one query on the embedded store

    @property
    def reading(self) -> str:
        """The limits that decide whether the bytes of a record can be parsed: part of the key of
        its cached validation outcome (refused under one limit, it may be read under another).
        Not `file_mb`: a file over it is refused before its outcome is looked for."""
        return f"depth={self.depth} list_length={self.list_length} entities={self.entities}"

    @property
    def file_bytes(self) -> int:
        return int(self.file_mb * 1_000_000)

    @property
    def http_bytes(self) -> int:
        return int(self.http_mb * 1_000_000)

    @property
    def sheet_bytes(self) -> int:
        return int(self.sheet_mb * 1_000_000)

    def with_settings(self, settings: list[str]) -> Limits:
        """`NAME=VALUE` settings (as `--limit` takes them) over these limits."""
        known = {f.name: f.type for f in fields(self)}
        changes: dict[str, float | int] = {}
        for setting in settings:
            name, _, value = setting.partition("=")
            name = name.strip().replace("-", "_")
            if name not in known:
                raise UsageError(f"limit {setting!r}: no such limit; known: {', '.join(sorted(known))}")
            try:
                number: float | int = float(value) if known[name] == "float" else int(value)
            except ValueError:
                raise UsageError(f"limit {setting!r}: {value!r} is not a number") from None
            if number < 0:
                raise UsageError(f"limit {setting!r}: limits are not negative")
            changes[name] = number
        return replace(self, **changes)  # type: ignore[arg-type]


DEFAULT_LIMITS = Limits()
# The project's own data (ontology, vocabularies, countries, shapes, profile): read with the
# reader's bounds lifted, so a user lowering a limit for their files never trips on ours.
TRUSTED = Limits(file_mb=1e6, depth=10**6, list_length=10**9, entities=10**6)
_CURRENT: ContextVar[Limits] = ContextVar("migrmeta_limits", default=DEFAULT_LIMITS)


def current() -> Limits:
    """The limits of this run: the defaults unless `using()` set others."""
    return _CURRENT.get()


@contextmanager
def using(limits: Limits) -> Iterator[Limits]:
    """Run a block with other limits (the CLI's `--limit`, a library caller's choice)."""
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


__all__ = ["DEFAULT_LIMITS", "TRUSTED", "Limits", "current", "using"]
