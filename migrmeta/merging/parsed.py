"""Records as the merge reads them (parsed, skolemized), kept by content: a publish over the
same records parses none of them again.

    parsed = Parsed.load(cache_dir, paths)
    triples = parsed.get(sha256, "turtle")       # None: not kept
    parsed.put(sha256, "turtle", triples)
    parsed.save()                                 # what this run used, nothing else

Reading a record for the merge (pyoxigraph's parser, rdflib terms, skolem IRIs) took 3.7 s of
a publish of 10,000 records, every time, one process, before any file could be written; the
validation before it already knows each file's SHA-256 (validation/memo.py: without opening
the unchanged ones). The store keeps each record's statements as indexes into one table of
terms, in the cache folder, keyed by the bytes' SHA-256 and their syntax; its file name holds
migrmeta's code (resources.code_fingerprint), the limits, the working folder and the paths
given, so another version, other limits or other inputs start another store (the newest KEEP
are kept). Terms are made again by the constructors the reader uses (rdf/terms.py), and a
literal that would not come back equal and written the same is never kept: the statements
read back are the statements read (tested, and publish writes the same bytes either way).

A store that cannot be read is ignored; one that cannot be written costs the next publish time
only. `--no-cache` uses none.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import suppress
from dataclasses import astuple
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.term import Node

from migrmeta.errors import PublishError
from migrmeta.io.files import write_atomically
from migrmeta.io.pieces import pieces, unpack
from migrmeta.limits import current
from migrmeta.namespaces import named
from migrmeta.rdf.terms import literal
from migrmeta.resources import code_fingerprint

FORMAT = 1
FOLDER = "parsed"  # in the cache folder
KEEP = 4  # stores kept (the newest): one per set of inputs published
CHUNK = 20_000  # terms, or records, per marshalled piece (io/pieces.py)
Triple = tuple[Node, Node, Node]
Key = tuple[str, str]  # the bytes' SHA-256, the syntax
# A term as stored: (IRI,) or (lexical form, language, datatype), plain values marshal writes
Stored = tuple[str] | tuple[str, str | None, str | None]


def store_name(paths: Sequence[str]) -> str:
    """One store per migrmeta, limits, working folder and paths given."""
    text = json.dumps([FORMAT, code_fingerprint(), astuple(current()), os.getcwd(), list(paths)])
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class Parsed:
    """Each kept record's statements, as indexes (three a statement) into one table of terms."""

    def __init__(self, path: Path | None, forms: list[Stored], records: dict[Key, tuple[int, ...]]) -> None:
        self.path, self._forms, self._records = path, forms, records
        self._terms = [_term(stored) for stored in forms]
        self._index: dict[Node, int] | None = None  # term -> its place, made at the first `put`
        self._used: set[Key] = set()
        self._added = False

    @classmethod
    def load(cls, folder: Path | None, paths: Sequence[str]) -> Parsed:
        """The store of these inputs in the cache folder (empty when there is none, or it cannot
        be read: the records are parsed, and it is written anew)."""
        if folder is None:
            return cls(None, [], {})
        path = folder / FOLDER / f"{store_name(paths)}.store"
        try:
            values = unpack(path.read_bytes())
            header = next(values)
            if not isinstance(header, tuple) or header[0] != FORMAT:
                raise ValueError("another format")
            forms: list[Stored] = []
            records: dict[Key, tuple[int, ...]] = {}
            for _ in range(header[1]):
                forms += next(values)
            for _ in range(header[2]):
                records.update(((sha, syntax), indexes) for sha, syntax, indexes in next(values))
            if next(values) is not None or len(forms) != header[3] or len(records) != header[4]:
                raise ValueError("not the counts of its header")
            return cls(path, forms, records)
        except Exception:  # absent, cut short, another version, not terms: the records are read
            return cls(path, [], {})

    def get(self, sha256: str, syntax: str) -> list[Triple] | None:
        """The statements of the record with these bytes (its SHA-256) in this syntax, if kept."""
        indexes = self._records.get((sha256, syntax))
        if indexes is None:
            return None
        self._used.add((sha256, syntax))
        terms = iter(map(self._terms.__getitem__, indexes))
        return list(zip(terms, terms, terms, strict=True))

    def put(self, sha256: str, syntax: str, triples: Sequence[Triple]) -> None:
        """Keep a record's statements (not when a term could not be made again the same: a
        blank node, a literal rdflib writes another way once read back)."""
        if self._index is None:
            self._index = {term: number for number, term in enumerate(self._terms)}
        index, terms, forms = self._index, self._terms, self._forms
        indexes: list[int] = []
        for triple in triples:
            for term in triple:
                number = index.get(term)
                if number is None:
                    stored = _stored(term)
                    if stored is None:
                        return
                    number = index[term] = len(terms)
                    terms.append(term)
                    forms.append(stored)
                indexes.append(number)
        self._records[sha256, syntax] = tuple(indexes)
        self._used.add((sha256, syntax))
        self._added = True

    def save(self) -> None:
        """Write the records this run read or kept (and the terms they use), when that is not
        what the store held already."""
        if self.path is None or (not self._added and self._used == set(self._records)):
            return
        kept = sorted(self._used)
        renumber: dict[int, int] = {}
        for key in kept:
            for number in self._records[key]:
                renumber.setdefault(number, len(renumber))
        terms = [self._forms[number] for number in renumber]
        records = [(sha, syntax, tuple(map(renumber.__getitem__, self._records[sha, syntax]))) for sha, syntax in kept]
        term_chunks = [terms[i:i + CHUNK] for i in range(0, len(terms), CHUNK)]
        record_chunks = [records[i:i + CHUNK] for i in range(0, len(records), CHUNK)]
        header = (FORMAT, len(term_chunks), len(record_chunks), len(terms), len(records))
        with suppress(OSError, ValueError, PublishError):  # a store not written costs the next run time only
            write_atomically(self.path, _pieces(header, term_chunks, record_chunks), durable=False)
            stores = sorted(self.path.parent.glob("*.store"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in stores[KEEP:]:
                old.unlink(missing_ok=True)


def _pieces(header: tuple[int, ...], *chunks: Sequence[Sequence[object]]) -> Iterator[bytes]:
    return pieces(itertools.chain([header], *chunks))


def _term(stored: Stored) -> Node:
    if len(stored) == 1:
        return named(stored[0])
    return literal(*stored)


def _stored(term: Node) -> Stored | None:
    """The term as the store writes it; None for one that would not be made again the same."""
    if type(term) is URIRef:
        return (str(term),)
    if type(term) is Literal:
        if term.datatype is None:  # plain or with a language tag (as rdflib keeps it): made again the same
            return (str(term), term.language, None)
        stored = (str(term), None, str(term.datatype))
        if literal(*stored) == term:  # rdflib normalizes typed literals; == compares text and datatype
            return stored
    return None


__all__ = ["Parsed", "store_name"]
