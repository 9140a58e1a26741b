"""The validation cache: outcomes keyed by a record's content and the reference data.

A key is the SHA-256 of the record's bytes, its format and the fingerprint of the shapes,
vocabularies, country list and ontology, so any change to either revalidates. Stored in one
SQLite file (atomic writes, safe to interrupt); `--no-cache` bypasses it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from migrmeta.resources import version


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "migrmeta"


def cache_key(data: bytes, fmt: str, fingerprint: str) -> str:
    digest = hashlib.sha256()
    for part in (version().encode(), fingerprint.encode(), fmt.encode(), data):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


class Cache:
    """A key -> JSON store; a cache that cannot be opened is simply not used."""

    def __init__(self, directory: Path | None) -> None:
        self._db: sqlite3.Connection | None = None
        if directory is None:
            return
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(directory / "validation.sqlite3")
            self._db.execute("CREATE TABLE IF NOT EXISTS outcome (key TEXT PRIMARY KEY, payload TEXT)")
        except (OSError, sqlite3.Error):
            self._db = None

    def get_many(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        if self._db is None:
            return {}
        wanted = list(keys)
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT key, payload FROM outcome WHERE key IN ({marks})", chunk)
            found.update((key, json.loads(payload)) for key, payload in rows)
        return found

    def put_many(self, items: Iterable[tuple[str, dict[str, Any]]]) -> None:
        if self._db is None:
            return
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO outcome (key, payload) VALUES (?, ?)",
                    ((key, json.dumps(payload, sort_keys=True)) for key, payload in items),
                )
        except sqlite3.Error:
            pass  # a cache that cannot be written costs time, never correctness

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
