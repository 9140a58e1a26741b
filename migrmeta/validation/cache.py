"""The validation cache: outcomes keyed by a record's content and the reference data.

A key is the SHA-256 of the record's bytes, its format, the fingerprint of the shapes,
vocabularies, country list and ontology, migrmeta's version and code (an edited check in a
checkout never reads the outcomes of the code before), and the limits that decide whether a file can be read
(`Limits.reading`: nesting, list length, XML entities), so any change to either revalidates. Stored in one
SQLite file (atomic writes, safe to interrupt); `--no-cache` bypasses it.

The cache can never fail a run: a file that is not SQLite (truncated, damaged), a database
of another schema or version (`PRAGMA user_version`), an entry whose payload is not the JSON
of an outcome, a directory where the file should be, a folder that cannot be written: each
is ignored, the damaged part rebuilt where possible, and the first such problem is kept in
`problem` so the run says it once (never a traceback, never a wrong result).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from migrmeta.limits import current
from migrmeta.resources import package_fingerprint, version

FILE_NAME = "validation.sqlite3"
SCHEMA = 7  # PRAGMA user_version of the caches this version writes; any other is rebuilt (3: results' own
# words; 4: the reference statements of the predicates the shapes' paths name; 5: each record's owl:sameAs
# in its summary, which the checks across records read; 6: what each agency says of itself, in its summary;
# 7: and the agencies it says it is not, owl:differentFrom)
_COLUMNS = ["key", "payload"]
_CREATE = "CREATE TABLE outcome (key TEXT PRIMARY KEY, payload TEXT NOT NULL)"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "migrmeta"


def cache_key(data: bytes, fmt: str, fingerprint: str) -> str:
    digest = hashlib.sha256()
    parts = (version(), package_fingerprint(), fingerprint, current().reading, fmt)
    for part in (*(p.encode() for p in parts), data):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


class Cache:
    """A key -> JSON store that cannot fail a run; see the module."""

    def __init__(self, directory: Path | None) -> None:
        self._db: sqlite3.Connection | None = None
        self.problem: str | None = None  # the first problem met, said once per run
        self.path = directory / FILE_NAME if directory is not None else None
        if self.path is None:
            return
        try:
            self._db = self._open(self.path)
        except (OSError, sqlite3.Error) as exc:
            self.note(f"cannot be used ({_reason(exc)}); records are validated without it")
            self._db = None

    def note(self, problem: str) -> None:
        """Keep the first problem (one warning per run is enough)."""
        if self.problem is None:
            self.problem = f"the validation cache {self.path} {problem}"

    def _open(self, path: Path) -> sqlite3.Connection:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            mode = None
        if mode is not None and not stat.S_ISREG(mode):
            raise OSError(f"{path} is not a regular file")  # a folder, a link: not ours to remove
        db = sqlite3.connect(path, timeout=5)
        try:
            schema = db.execute("PRAGMA user_version").fetchone()[0]
            columns = [row[1] for row in db.execute("PRAGMA table_info(outcome)")]
        except sqlite3.DatabaseError as exc:  # not a database, or a damaged one
            db.close()
            self.note(f"is damaged ({_reason(exc)}); it was rebuilt")
            path.unlink()
            db = sqlite3.connect(path, timeout=5)
            schema, columns = 0, []
        if schema != SCHEMA or columns != _COLUMNS:
            if schema or columns:
                self.note("was written by another version of migrmeta; it was rebuilt")
            with db:
                db.execute("DROP TABLE IF EXISTS outcome")
                db.execute(_CREATE)
                db.execute(f"PRAGMA user_version = {SCHEMA}")
        return db

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        """The JSON payloads found for `keys`; entries that are not JSON are left out (and noted)."""
        if self._db is None:
            return {}
        wanted = list(keys)
        found: dict[str, Any] = {}
        try:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, payload in self._db.execute(f"SELECT key, payload FROM outcome WHERE key IN ({marks})",
                                                     chunk):
                    try:
                        found[key] = json.loads(payload)
                    except (TypeError, ValueError):
                        self.note("holds entries that are not outcomes; they are validated again and rewritten")
        except sqlite3.Error as exc:
            self.note(f"cannot be read ({_reason(exc)}); records are validated without it")
            self._rebuild()
            return {}
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
        except sqlite3.Error as exc:
            self.note(f"cannot be written ({_reason(exc)}); this run's results are not cached")

    def _rebuild(self) -> None:
        """Start again from an empty cache after a damaged one; give up quietly if that fails too."""
        self.close()
        self._db = None
        if self.path is None:
            return
        try:
            self.path.unlink(missing_ok=True)
            self._db = self._open(self.path)
        except (OSError, sqlite3.Error):
            self._db = None

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
