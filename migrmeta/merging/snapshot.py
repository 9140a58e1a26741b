"""A catalogue as it stood at one moment, whatever it is read from: the input of `diff`.

    snapshot = read_snapshot("records/")             # a folder (or file) of records
    snapshot = read_snapshot("site/")                # a published site: its catalog.ttl (.nq, .trig)
    snapshot = read_snapshot("catalogue.trig")       # a dataset `merge` wrote: the graphs as merged
    snapshot = read_snapshot("git:v1.2:records/")    # records/ as a git revision holds them

A snapshot is the statements of all its inputs, each file's blank nodes its own. The skolem
IRIs of a published site (`…/.well-known/genid/<hash>`) are turned back into blank nodes,
so that a site and a folder of records describe nested things (periods, attributions) the
same way, and `diff` compares blank nodes by content, never by label.

Git revisions are read with `git ls-tree` and `git cat-file` (a subprocess, no network) in
the repository holding the current directory; PATH is relative to the current directory,
as git's own `REV:./PATH` is.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox
from rdflib.term import Node

from migrmeta.errors import InputError, UsageError
from migrmeta.load import Verdict, expand_paths, format_for, parse_bytes, read_input
from migrmeta.load.merged import is_candidate, merges_among
from migrmeta.load.record import Record
from migrmeta.merging.dataset import Dataset, merged_file
from migrmeta.rdf import syntaxes
from migrmeta.rdf.skolem import deskolemize
from migrmeta.rdf.terms import Converter

Triple = tuple[Node, Node, Node]
GIT = "git:"
DEFAULT_GIT_PATH = "records"
# What `migrmeta publish` writes, best first (catalog.ttl is the merged catalogue).
SITE_FILES = ("catalog.ttl", "catalog.nq", "catalog.trig")
_CATALOGUE_FILES = ("catalog.ttl", "catalog.nt", "catalog.jsonld", "catalog.nq")  # one graph, as published
CONTRIBUTIONS_FILE = "catalog.trig"  # the contributions by graph, the profile's additions in a graph of their own


@dataclass
class Snapshot:
    """The statements of a catalogue at one moment, and the inputs that could not be read."""

    name: str
    triples: list[Triple] = field(repr=False)
    errors: list[InputError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # a merge's output beside its records, left out


def is_site(spec: str) -> bool:
    """Whether `spec` is a published site (a folder holding a catalogue `publish` wrote)."""
    path = Path(spec)
    return not spec.startswith(GIT) and path.is_dir() and any((path / n).is_file() for n in SITE_FILES)


# How a catalogue is read: as its records said it, as merged (a conflict's losers set aside),
# as published (the DCAT-AP profile applied). Two catalogues are compared at the first view
# both have, so that each and what it was made from do not differ.
CONTRIBUTED, MERGED, PUBLISHED = "contributed", "merged", "published"


def read_snapshots(old: str, new: str) -> tuple[Snapshot, Snapshot]:
    """The two catalogues `diff` compares: records against anything as contributed, a merged
    dataset against a site as merged, two sites as published. A site's own catalog.ttl (.nq)
    is read as its site: it is the site's catalogue, profile applied."""
    specs = {spec: _site_of(spec) for spec in (old, new)}
    merged = {spec: _merged_dataset(read) for spec, read in specs.items()}
    level = {spec: PUBLISHED if is_site(read) else MERGED if merged[spec] is not None else CONTRIBUTED
             for spec, read in specs.items()}
    view = min(level.values(), key=(CONTRIBUTED, MERGED, PUBLISHED).index)
    found = []
    for spec in (old, new):
        snapshot = read_snapshot(specs[spec], view=view, dataset=merged[spec])
        snapshot.name = spec
        found.append(snapshot)
    return found[0], found[1]


def _site_of(spec: str) -> str:
    """The site folder when `spec` is the catalogue (catalog.ttl, .nt, .jsonld) a publish wrote into it,
    else `spec` (catalog.trig is read as the merged dataset it also is)."""
    path = Path(spec)
    if not spec.startswith(GIT) and path.name in _CATALOGUE_FILES and path.is_file() and is_site(str(path.parent)):
        return str(path.parent)
    return spec


def read_snapshot(spec: str, *, view: str = PUBLISHED, dataset: Dataset | None = None) -> Snapshot:
    """A folder or file of records, a published site, a dataset `merge` wrote (.trig, .nq), or
    `git:REV[:PATH]` (PATH: records/).

    A site is read as published (its catalog.ttl), a merged dataset as merged (its union
    would mix a conflict's losers back in); `view` reads either as merged or as contributed
    (catalog.trig's graphs, without the profile's and the provenance). `dataset`: the merged
    dataset `spec` names, already read."""
    if spec.startswith(GIT):
        revision, _, inside = spec[len(GIT):].partition(":")
        return _git_snapshot(spec, revision, inside or DEFAULT_GIT_PATH)
    path = Path(spec)
    if view != PUBLISHED and (path / CONTRIBUTIONS_FILE).is_file():
        dataset = dataset or _merged_dataset(str(path / CONTRIBUTIONS_FILE))
    site = next((path / n for n in SITE_FILES if (path / n).is_file()), None) if path.is_dir() else None
    if site is not None and dataset is None:
        return snapshot_of(spec, _read(str(site)))
    dataset = dataset or _merged_dataset(spec)
    if dataset is not None:
        return snapshot_of(spec, _view(dataset, view))
    if not path.exists():
        raise InputError(spec, "no such file or directory",  # unreadable input: exit 3, as validate's
                         hint="give a folder of records, a published site, or git:REV:records/")
    triples: list[Triple] = []
    errors: list[InputError] = []
    beside: list[Verdict] = []
    for name in expand_paths([spec], beside):
        if isinstance(name, InputError):
            errors.append(name)
            continue
        try:
            triples.extend(_read(name))
        except InputError as exc:
            errors.append(exc)
    snapshot = snapshot_of(spec, triples, errors)
    snapshot.notices = [v.notice() for v in beside]
    return snapshot


def snapshot_of(name: str, triples: Iterable[Triple], errors: list[InputError] | None = None) -> Snapshot:
    """A snapshot of statements already in memory (e.g. what `publish` is about to write)."""
    return Snapshot(name, deskolemize(triples), errors or [])


def _read(name: str) -> list[Triple]:
    return list(read_input(name).graph)


def _merged_dataset(spec: str) -> Dataset | None:
    return None if spec.startswith(GIT) else merged_file(spec)


def _view(dataset: Dataset, view: str) -> list[Triple]:
    convert = Converter().triple
    return [convert(t) for t in (dataset.as_contributed() if view == CONTRIBUTED else dataset.as_merged())]


def _git(args: list[str], spec: str, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], input=data, capture_output=True, check=False, timeout=120)
    except FileNotFoundError:
        raise UsageError(f"{spec}: git is not installed", hint="install git, or compare two folders") from None
    if done.returncode != 0:
        reason = " ".join(done.stderr.decode("utf-8", errors="replace").split()) or f"exit {done.returncode}"
        raise UsageError(f"{spec}: git cannot read it ({reason})",
                         hint="run diff in the repository; REV is a commit, tag or branch (git:HEAD~1:records/)")
    return done.stdout


def _git_snapshot(spec: str, revision: str, path: str) -> Snapshot:
    if not revision or revision.startswith("-"):
        raise UsageError(f"{spec}: give a revision, as in git:HEAD~1:records/ or git:v1.0")
    listing = _git(["ls-tree", "-r", "-z", "--full-name", f"{revision}^{{tree}}", "--", path], spec)
    blobs = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.decode("utf-8", errors="replace").partition("\t")
        kind, sha = meta.split()[1:3]
        base = name.rsplit("/", 1)[-1]
        if kind == "blob" and not base.startswith(".") and syntaxes.for_path(Path(name)) is not None \
                and base != "context.jsonld":
            blobs.append((name, sha))
    if not blobs:
        raise UsageError(f"{spec}: no records at {path} in revision {revision}",
                         hint="PATH is relative to the current directory, as in git:HEAD~1:records/")
    contents = _cat(blobs, spec)
    records: dict[str, Record | InputError] = {}
    for name, _ in sorted(blobs):
        try:
            records[name] = parse_bytes(contents[name], f"{revision}:{name}", format_for(name))
        except InputError as exc:
            records[name] = exc
    beside = _merges_in_revision(records, contents, path)
    left_out = {v.path for v in beside if v.left_out}
    triples: list[Triple] = []
    errors: list[InputError] = []
    for name, record in records.items():
        if isinstance(record, InputError):
            errors.append(record)
        elif f"{revision}:{name}" not in left_out:
            triples.extend(record.graph)
    snapshot = snapshot_of(spec, triples, errors)
    snapshot.notices = [v.notice() for v in beside]
    return snapshot


def _merges_in_revision(records: dict[str, Record | InputError], contents: dict[str, bytes],
                        path: str) -> list[Verdict]:
    """The merge outputs committed beside their records, as a folder's are found
    (load/merged.py): left out when every source they record is there with the same bytes;
    a file named as PATH itself is always read."""
    revision_of = {name: record.source for name, record in records.items() if isinstance(record, Record)}
    named = os.path.normpath(path)
    candidates = [revision_of[name] for name in revision_of if is_candidate(name) and os.path.normpath(name) != named]
    if not candidates:
        return []
    by_source = {source: name for name, source in revision_of.items()}

    def quads_of(source: str) -> list[ox.Quad] | None:
        record = records[by_source[source]]
        return record.quads if isinstance(record, Record) else None

    def sha256(source: str) -> str | None:
        name = by_source.get(source)
        return hashlib.sha256(contents[name]).hexdigest() if name is not None else None

    found = merges_among(candidates, list(by_source), quads_of, sha256)
    return [replace(v, alone=f"`git show {v.path}` writes it out") for v in found]


def _cat(blobs: list[tuple[str, str]], spec: str) -> dict[str, bytes]:
    """The blobs' bytes, with one `git cat-file --batch`."""
    out = _git(["cat-file", "--batch"], spec, "".join(f"{sha}\n" for _, sha in blobs).encode())
    contents: dict[str, bytes] = {}
    position = 0
    for name, _ in blobs:
        end = out.index(b"\n", position)
        size = int(out[position:end].split()[2])
        contents[name] = out[end + 1:end + 1 + size]
        position = end + 1 + size + 1
    return contents


__all__ = ["GIT", "SITE_FILES", "Snapshot", "read_snapshot", "read_snapshots", "snapshot_of"]
