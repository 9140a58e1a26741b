"""A survey's files taken over from the previous site when nothing they are made from changed.

A survey's seven files (Turtle, JSON-LD, N-Triples, DDI, a page in each language) are made
from: the statements of the nodes its files and pages read (itself, its record, their skolem
nodes, the agencies, series and rounds it names), the values a page asks of other subjects by
predicate (the catalogue's title and publisher), the file names and series rounds its pages
asked for (pages/model.py records every read), the statements its quality score reads as the
records state them (CONTRIBUTED: which ones the DCAT-AP profile added or replaced), its
findings (and a series' rounds'), the date of the quality scores,
the base URL, its contributors, and migrmeta itself (code, ontology, shapes, the versions of
Python, rdflib, pyoxigraph and lxml). A publish keeps, for each survey, what was read and a
key over all of it, in the cache folder (one file per output folder).

The next publish to the same folder computes each survey's key again, over the same reads
with today's values: when it is the same and the survey's files are still those the last
publish wrote (size, modification time, inode), they are linked into the new site instead of
being made again. A value read that changed, a round added to a series, another migrmeta, a
file touched by hand: the files are made again (a hand edit that keeps the size, made within
the file system's timestamp resolution of the publish, is not seen: `--no-cache`). The site
is the same bytes either way (tested against a publish into an empty folder, edit by edit:
tests/publishing/test_reuse.py). A manifest that cannot be read or written costs time, never
correctness; `--no-cache` neither reads nor writes it.

The files made from the whole catalogue have one entry (CATALOGUE_PARTS), keyed by what the
catalogue is made from (`catalogue_key`: the records as validated and the settings): taken
over when no record changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from lxml import etree
from rdflib.term import Node

from migrmeta import resources
from migrmeta.errors import PublishError
from migrmeta.io.files import current_umask, write_atomically
from migrmeta.io.pieces import pieces, unpack
from migrmeta.publishing.pages.model import NAME, ROUNDS, SUBJECT, VALUES, Read, node_key
from migrmeta.rdf.skolem import encode
from migrmeta.values.countries import coco_table

FORMAT = 1
FOLDER = "sites"  # in the cache folder: one manifest per output folder
CHUNK = 2_000  # surveys per marshalled piece
STATEMENTS, MEMBERS = SUBJECT, "m"  # the reads of the files (model.py has the pages')
CONTRIBUTED = "c"  # a node's statements as contributed: what the quality score reads (site.scored_graph)
Triple = tuple[Node, Node, Node]
Status = tuple[int, int, int, int]  # size, modification time (ns), inode, device


@dataclass(frozen=True)
class Built:
    """What one survey's files were made from, and the files."""

    key: str
    reads: tuple[Read, ...]
    files: tuple[str, ...]  # site-relative names
    status: tuple[Status, ...] = ()  # of each file as written (`with_status`; the swap keeps it)


class Reused:
    """A file of the previous site, linked into the new one: the same bytes, and the same
    modification time (a web server's Last-Modified stays). Copied when its mode is not the one
    a new file gets (another umask: `linkable` false) or links fail."""

    def __init__(self, path: Path, linkable: bool = True) -> None:
        self.path, self.linkable = path, linkable
        self.linked = False  # written as a link: the same inode, so the same status (`with_status`)

    def write(self, target: Path) -> None:
        if self.linkable:
            try:
                os.link(self.path, target)
                self.linked = True
                return
            except FileNotFoundError:  # the target's folder not made yet: the caller makes it and asks again
                raise  # (copied instead, the file would be new whenever a worker made the folder meanwhile)
            except OSError:  # another file system, links not allowed, too many links
                pass
        shutil.copyfile(self.path, target)


class Inputs:
    """Today's value of everything a survey's files can read, as digests (each once)."""

    def __init__(self, by_subject: Mapping[Node, list[Triple]], names: Mapping[Node, str],
                 rounds: Mapping[Node, Sequence[Node]], members: Mapping[Node, Sequence[Node]],
                 contributed: tuple[Collection[Triple], Mapping[Node, list[Triple]]] = ((), {})) -> None:
        self._nodes = {node_key(s): s for s in by_subject}
        self._additions, self._replaced = contributed  # the profile's additions; what it replaced, by subject
        self._by_subject = by_subject
        self._names = {node_key(n): name for n, name in names.items()}
        self._rounds = {node_key(s): [str(r) for r in found] for s, found in rounds.items()}
        self._members = {node_key(s): sorted(str(r) for r in found) for s, found in members.items()}
        self._parts: dict[Read, bytes] = {}
        self._code = code_key()  # now, in the publishing process: its workers inherit it

    def key(self, fixed: Sequence[str], reads: Iterable[Read]) -> str:
        digest = hashlib.sha256(self._code.encode())
        for text in fixed:
            digest.update(b"\x00" + text.encode("utf-8"))
        parts, made = self._parts, self._part
        digest.update(b"".join([parts.get(read) or made(read) for read in sorted(reads)]))  # one call, not one per read
        return digest.hexdigest()

    def _part(self, read: Read) -> bytes:
        """What a read adds to a key: its name and the digest of today's value (once per read)."""
        found = self._parts[read] = (f"\x01{read[0]}\x00{read[1]}\x00".encode()
                                     + hashlib.sha256(self._value(read).encode("utf-8")).digest())
        return found

    def _value(self, read: Read) -> str:
        kind, name = read
        if kind == NAME:
            return self._names.get(name, "\x00")
        if kind == ROUNDS:
            return "\n".join(self._rounds.get(name, ()))
        if kind == MEMBERS:
            return "\n".join(self._members.get(name, ()))
        if kind == VALUES:
            subject, predicate = name.rsplit(" ", 1)  # an IRI of a predicate has no space
            node = self._nodes.get(subject)
            found = self._by_subject.get(node, ()) if node is not None else ()
            return _statements(t for t in found if str(t[1]) == predicate)
        node = self._nodes.get(name)
        if kind == STATEMENTS:
            return _statements(self._by_subject.get(node, ()) if node is not None else ())
        if kind == CONTRIBUTED:
            if node is None:
                return ""
            additions = self._additions
            found = [t for t in self._by_subject.get(node, ()) if t not in additions]
            return _statements([*found, *self._replaced.get(node, ())])
        return f"\x00unknown read {kind}"  # from another version: never equal to a real value


def compact(reads: set[Read]) -> tuple[Read, ...]:
    """The reads, sorted, without those of one predicate of a subject read whole."""
    whole = {name for kind, name in reads if kind == STATEMENTS}
    return tuple(sorted(r for r in reads if r[0] != VALUES or r[1].rsplit(" ", 1)[0] not in whole))


def _statements(triples: Iterable[Triple]) -> str:
    """The statements' predicates and objects, one per line, as N-Triples writes them (escaped:
    no text can fake a separator; `encode`, not a tuple's repr: no isinstance on rdflib's ABCs)."""
    return "\n".join(sorted([f"{encode(p)} {encode(o)}" for _, p, o in triples]))


# The manifest's entry for the files made from the whole catalogue (catalog.*, void.ttl, the
# index pages and assets, release.json, the changelogs and feeds: every file `_files` has of
# the parts and `changelog.release_files`): never a survey's IRI.
CATALOGUE_PARTS = "#catalogue"


def catalogue_key(records: Sequence[tuple[str, str, str]], settings: Sequence[str]) -> str:
    """The key of the files made from the whole catalogue: what the published catalogue is made
    from, not the catalogue itself (digesting its 360,000 statements at 10,000 records would cost
    what is saved). The merge and the profile give the same statements for the same records
    (each file's name, SHA-256 as validated and agency, in the order merged) and settings
    (agency, preferences, the catalogue's options, the base URL) with the same migrmeta
    (`code_key`). Taken over only from the site the same folder had: its release.json then
    lists the same fingerprints, so this publish's would be the same bytes."""
    digest = hashlib.sha256(code_key().encode())
    for text in [*(f"{name}\x00{sha256}\x00{agency}" for name, sha256, agency in records), "\x01", *settings]:
        digest.update(b"\x00" + text.encode("utf-8"))
    return digest.hexdigest()


@cache
def code_key() -> str:
    """migrmeta's code and data, Python (the whole version: its standard library writes JSON and
    parses addresses), rdflib, pyoxigraph (resources.code_fingerprint), and what else writes the
    files: lxml and libxml2 (the DDI file), country_converter's table (the regions on the pages).
    Computed once per process, by the publishing process before its workers start."""
    digest = hashlib.sha256(f"{FORMAT} {resources.code_fingerprint()} {etree.LXML_VERSION} "
                            f"{etree.LIBXML_VERSION}".encode())
    digest.update(coco_table().read_bytes())
    return digest.hexdigest()


# --- the manifest ----------------------------------------------------------------------------


def manifest_path(cache_dir: Path, out_dir: Path) -> Path:
    where = hashlib.sha256(str(out_dir.resolve()).encode("utf-8")).hexdigest()[:24]
    return cache_dir / FOLDER / f"{where}.files"


def status(path: Path) -> Status | None:
    """Not validation/memo.py's status: linking a file changes its inode's change time (ctime)."""
    try:
        return status_of(os.stat(path))
    except OSError:
        return None


def status_of(found: os.stat_result) -> Status:
    return (found.st_size, found.st_mtime_ns, found.st_ino, found.st_dev)


def load(path: Path | None) -> dict[str, Built]:
    """The last publish's surveys (dataset IRI -> Built); empty when there is none or it is
    damaged."""
    if path is None:
        return {}
    try:
        parts = unpack(path.read_bytes())
        form, table = next(parts)
        if form != FORMAT:
            return {}
        if not all(_is_read(read) for read in table):
            return {}
        found: dict[str, Built] = {}
        while (rows := next(parts)) is not None:
            for dataset, key, reads, files, statuses in rows:
                entry = Built(key, tuple(table[i] for i in reads), tuple(files), tuple(statuses))
                if not isinstance(dataset, str) or not _is_entry(entry):
                    return {}
                found[dataset] = entry
    except Exception:  # absent, cut short, another version, not a manifest: every file is made again
        return {}
    return found


def _is_read(value: object) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value)


def _is_entry(entry: Built) -> bool:
    """An entry as `save` writes it (a manifest damaged in a way marshal reads must not fail a
    publish later)."""
    return (isinstance(entry.key, str) and all(isinstance(f, str) for f in entry.files)
            and len(entry.status) == len(entry.files)
            and all(isinstance(s, tuple) and len(s) == 4 and all(isinstance(n, int) for n in s)
                    for s in entry.status))


def unchanged(built: Built, site: Path) -> list[tuple[str, Reused]] | None:
    """The survey's files in the previous site, when each is still the one written."""
    if len(built.status) != len(built.files):
        return None
    mode = 0o666 & ~current_umask()  # a new file's
    taken = []
    for name, was in zip(built.files, built.status, strict=True):
        path = site / name
        try:
            found = os.stat(path)
        except OSError:
            return None
        if status_of(found) != was:
            return None
        taken.append((name, Reused(path, linkable=stat.S_IMODE(found.st_mode) == mode)))
    return taken


def same_as(site: str, name: str, data: bytes, mode: int) -> Reused | None:
    """The previous site's file `name` (`site`: that site's real path) when it holds `data`
    already and has the `mode` a new file gets: linked rather than written, it keeps its
    modification time, and with it a web server's Last-Modified and ETag, so a harvester does not
    fetch again what did not change (the ontology, the shapes, the assets, a page a new migrmeta
    writes the same). Never a file outside the site (a folder of it replaced by a link)."""
    path = os.path.join(site, name)
    try:
        found = os.lstat(path)
        if not stat.S_ISREG(found.st_mode) or found.st_size != len(data) or stat.S_IMODE(found.st_mode) != mode:
            return None
        if not os.path.realpath(path).startswith(site + os.sep):
            return None
        with open(path, "rb") as before:
            if before.read(len(data) + 1) != data:
                return None
    except OSError:  # none there, or unreadable: the file is written
        return None
    return Reused(Path(path))


def as_taken(built: Built, files: Iterable[tuple[str, object]]) -> Built:
    """The entry of files taken over, once written into the new site: its status kept when each
    was linked (the same inodes), cleared when one was copied (a new inode: `with_status` takes
    it again). Files a worker wrote already (not Reused here) come with the entry it made."""
    if any(isinstance(content, Reused) and not content.linked for _, content in files):
        return replace(built, status=())
    return built


def with_status(folder: Path, built: Mapping[str, Built]) -> dict[str, Built]:
    """Each survey's entry with the status of its files, as written in `folder` (the new site
    before it is swapped in: a rename keeps them), so an entry always describes its own files
    even when another publish swaps in its site first. Surveys with a file missing are left out.
    An entry with a status for each file has it already and is kept without a stat (0.8 s for
    10,000 records): its files were linked to those it describes (`unchanged` checked them: the
    same inodes), or a worker took their status as it wrote them. Callers clear the status of
    an entry whose files are new copies."""
    found = {}
    for dataset, entry in built.items():
        if len(entry.status) == len(entry.files):
            found[dataset] = entry
            continue
        statuses = [status(folder / name) for name in entry.files]
        if all(s is not None for s in statuses):
            found[dataset] = replace(entry, status=tuple(s for s in statuses if s is not None))
    return found


def save(path: Path | None, built: Mapping[str, Built]) -> None:
    """Keep what each survey was made from and its files' status (`with_status`); a manifest
    that cannot be written is removed, so none describes an older site."""
    if path is None:
        return
    try:
        write_atomically(path, _pieces(built), durable=False)
    except (OSError, ValueError, PublishError):  # the next publish makes every file
        forget(path)


def forget(path: Path | None) -> None:
    """No manifest for this output folder (`--no-cache`, or one that could not be written)."""
    if path is not None:
        with suppress(OSError):
            path.unlink(missing_ok=True)


def _pieces(built: Mapping[str, Built]) -> Iterator[bytes]:
    index: dict[Read, int] = {}
    rows = []
    for dataset in sorted(built):
        entry = built[dataset]
        reads = tuple(index.setdefault(read, len(index)) for read in entry.reads)
        rows.append((dataset, entry.key, reads, entry.files, entry.status))
    chunks = (rows[at:at + CHUNK] for at in range(0, len(rows), CHUNK))
    return pieces([(FORMAT, tuple(index)), *chunks])


__all__ = ["CATALOGUE_PARTS", "Built", "Inputs", "Reused", "as_taken", "catalogue_key", "code_key", "compact", "forget",
           "load", "manifest_path", "same_as", "save", "status_of", "unchanged",
           "with_status"]
