"""The shapes compiled once, kept on disk: what the SPARQL engine needs to start in milliseconds.

Compiling the shapes costs 1-2 s (pySHACL reads them, rdflib parses every SPARQL
constraint); a run that validates one record must not pay it. `prepare()` compiles once per
set of shapes and keeps the result in the validation cache folder (`compiled/KEY.pickle`,
written atomically), keyed by the fingerprint of the shapes and reference data, migrmeta's
version, the compiler's own source and the versions of the libraries whose objects it holds. A file that cannot be
read (interrupted, another version, corrupt) is compiled again and replaced: it costs time,
never correctness. `--no-cache` bypasses the stored outcomes, not this file: it depends on
the shapes' bytes only, like Python's own __pycache__.

Besides the compiled shapes it holds what the store needs of the reference data (the
statements `Reference.closure_for` picks from, as N-Triples) and the texts findings are worded
with (`ShapeTexts`), so such a run parses no graph with rdflib.
"""

from __future__ import annotations

import hashlib
import pickle
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

from migrmeta import shacl
from migrmeta.errors import PublishError
from migrmeta.io.files import write_atomically
from migrmeta.load.reference import Reference, load_reference
from migrmeta.rdf.ntriples import ntriples
from migrmeta.resources import version
from migrmeta.shacl import Engine, compile_shapes
from migrmeta.validation import texts
from migrmeta.validation.texts import ShapeTexts

FORMAT = 2  # of the pickled bundle: raise it when Prepared, the compiled classes or what it holds change
# (2: the reference statements of the predicates the shapes' paths name)


@dataclass
class Prepared:
    fingerprint: str  # of the shapes and reference data: part of every outcome's cache key
    engine: Engine
    reference: bytes  # N-Triples: the vocabulary statements the shapes read
    texts: ShapeTexts
    compiled_now: bool = False  # False when read from the cache folder
    timings: list[tuple[float, str]] = field(default_factory=list)  # of the last run: seconds, query
    phases: dict[str, float] = field(default_factory=dict)  # of the last run: seconds per step


def bundle_key(fingerprint: str) -> str:
    parts = [str(FORMAT), fingerprint, version(), _compiler()]
    parts += [_version(lib) for lib in ("pyoxigraph", "rdflib", "pyshacl")]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


@cache
def _compiler() -> str:
    """A hash of the compiler's own source: a changed compiler never reads an old bundle."""
    digest = hashlib.sha256()
    for path in [*sorted(Path(shacl.__file__).parent.rglob("*.py")), Path(__file__), Path(texts.__file__)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _version(lib: str) -> str:
    try:
        return metadata.version(lib)
    except metadata.PackageNotFoundError:
        return "-"


_MEMO: dict[str, Prepared] = {}  # compiled once per process, per set of shapes


def prepare(reference: Reference | None = None, cache_dir: Path | None = None) -> Prepared:
    """The compiled shapes of `reference` (the project's by default): from `cache_dir` when
    they were compiled before, else compiled now and stored there.

    A Reference made in memory (not read from files by `load_reference`) is compiled each time:
    its fingerprint is the caller's word, not a hash of what it holds."""
    reference = reference if reference is not None else load_reference()
    from_files = bool(reference.shape_files)
    key = bundle_key(reference.fingerprint)
    if from_files and key in _MEMO:
        return _MEMO[key]
    path = cache_dir / "compiled" / f"{key}.pickle" if cache_dir is not None and from_files else None
    prepared = _read(path, reference) if path is not None else None
    if prepared is None:
        prepared = compile_reference(reference)
        if path is not None:
            with suppress(OSError, PublishError):  # a cache that cannot be written costs time, never correctness
                write_atomically(path, pickle.dumps(_bundle(prepared), protocol=pickle.HIGHEST_PROTOCOL))
    if from_files:
        _MEMO[key] = prepared
    return prepared


def compile_reference(reference: Reference) -> Prepared:
    engine = compile_shapes(reference.shapes)
    statements = ntriples(reference.closure_triples(shacl.path_predicates(reference.shapes))).encode("utf-8")
    return Prepared(reference.fingerprint, engine, statements, ShapeTexts.of(reference), True)


def _bundle(prepared: Prepared) -> dict[str, object]:
    return {"fingerprint": prepared.fingerprint, "engine": prepared.engine, "reference": prepared.reference,
            "texts": prepared.texts}


def _read(path: Path, reference: Reference) -> Prepared | None:
    try:
        bundle = pickle.loads(path.read_bytes())
        prepared = Prepared(bundle["fingerprint"], bundle["engine"], bundle["reference"], bundle["texts"])
    except Exception:  # any unreadable bundle (missing, truncated, older classes) is compiled again
        return None
    if prepared.fingerprint != reference.fingerprint or not isinstance(prepared.engine, Engine):
        return None
    return prepared


__all__ = ["Prepared", "bundle_key", "compile_reference", "prepare"]
