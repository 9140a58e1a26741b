"""Where the project's data files are: the repository root in a checkout, a copy in a wheel."""

from __future__ import annotations

import hashlib
import sys
from functools import cache
from importlib import metadata
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def version() -> str:
    """migrmeta's version, from the installed package's metadata (pyproject.toml is the one source)."""
    try:
        return metadata.version("migrmeta")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"


@cache
def package_fingerprint() -> str:
    """A hash of migrmeta's own files (code, messages, page assets): what an outcome worded by
    this code is keyed by. The version alone would let a checkout whose checks were edited read
    the outcomes of the code before; hashing the 221 files costs a few milliseconds, once."""
    return tree_fingerprint(_PACKAGE)


def tree_fingerprint(root: Path, digest: hashlib._Hash | None = None) -> str:
    """The files under `root` (not Python's byte code), each by its relative path and bytes."""
    digest = digest or hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and p.suffix != ".pyc"):
        digest.update(f"\x00{path.relative_to(root)}\x00".encode() + path.read_bytes())
    return digest.hexdigest()


@cache
def code_fingerprint() -> str:
    """migrmeta's code, ontology and shapes, and the versions of Python, rdflib and pyoxigraph:
    what a cache of statements migrmeta read or wrote is keyed by (merging/parsed.py;
    publishing/reuse.py adds what else writes the site's files). Once per process."""
    import pyoxigraph
    import rdflib

    digest = hashlib.sha256(f"{sys.version} {rdflib.__version__} {pyoxigraph.__version__}".encode())
    digest.update(package_fingerprint().encode())
    for root in (ontology_dir(), shapes_dir()):
        if _PACKAGE not in root.parents:  # a wheel carries them in the package: hashed with it already
            tree_fingerprint(root, digest)
    return digest.hexdigest()


@cache
def data_root() -> Path:
    """The folder holding `ontology/` and `shapes/`.

    A wheel carries them in `migrmeta/_data/`; a checkout (editable install, tests) has them
    at the repository root, next to the package.
    """
    bundled = _PACKAGE / "_data"
    if (bundled / "ontology").is_dir():
        return bundled
    return _PACKAGE.parent


def ontology_dir() -> Path:
    return data_root() / "ontology"


def vocabulary_dir() -> Path:
    return ontology_dir() / "vocabularies"


def shapes_dir() -> Path:
    return data_root() / "shapes"


def queries_dir() -> Path:
    return data_root() / "queries"


def context_file() -> Path:
    return ontology_dir() / "context.jsonld"


def countries_file() -> Path:
    return ontology_dir() / "countries.ttl"


def ontology_file() -> Path:
    return ontology_dir() / "migrmeta.ttl"


def outside_terms_file() -> Path:
    """The properties of DCMI Terms, DCAT and SKOS, declared: a misspelt one is said."""
    return ontology_dir() / "outside-terms.ttl"


def agencies_file() -> Path:
    """The bundled catalogue's agencies (records/agencies.ttl; a wheel carries a copy): the agencies a
    record checked alone may name without describing them."""
    return data_root() / "records" / "agencies.ttl"


def bundled_agencies() -> Path | None:
    """The agencies known when no catalogue is given, wherever migrmeta runs: the bundled
    catalogue's agencies.ttl when it is there (None otherwise). The one default of `validate`
    (without --agencies) and of `import form`, `import sheet`, `template` and `new` (without
    --catalogue, outside a folder holding records/)."""
    path = agencies_file()
    return path if path.is_file() else None
