"""A merge's output kept in the folder of the records it was merged from.

    migrmeta merge records/ -o records/catalogue.trig ; migrmeta validate records/

`merge` writes, in the dataset's default graph, the file name and SHA-256 of each record it
read (merging/merge.py, `MergeResult.provenance`: `<graph> prov:wasDerivedFrom [ dct:title
"ar-enma.ttl"; dct:identifier "sha256:..." ]`). Read as one more record beside those files,
it would describe each of their surveys a second time (~300 "also described in" findings for
the bundled catalogue). So a folder's .trig/.nq that records sources, all of them among the
inputs being read with the same name and bytes, is left out, and a notice says so; one whose
sources changed since or are not all there is read as any file (it is not left out in
silence: the notice says it is stale). A file named on its own is always read.

`load.files.expand_paths(paths, notices=[...])` applies this; without a list for the notices
nothing is left out (nothing may be left out unsaid).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from migrmeta.namespaces import DCT, PROV

SUFFIXES = (".trig", ".nq")  # what merge writes (merging/output.py's WRITERS)
_DERIVED, _TITLE, _IDENTIFIER = (str(t) for t in (PROV.wasDerivedFrom, DCT.title, DCT.identifier))
_SHA = "sha256:"
_NAMED = 3  # files named in a notice, at most


@dataclass(frozen=True)
class Source:
    """A file a merge read: its name (without folder) and the SHA-256 of its bytes."""

    name: str
    sha256: str


def recorded_sources(quads: Iterable[ox.Quad]) -> list[Source]:
    """The sources a merge output records in its default graph (none: not a merge output)."""
    derived: set[ox.NamedNode | ox.BlankNode | ox.Triple] = set()
    title: dict[object, str] = {}
    sha: dict[object, str] = {}
    for quad in quads:
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            continue
        predicate, obj = quad.predicate.value, quad.object
        if predicate == _DERIVED and not isinstance(obj, ox.Literal):
            derived.add(obj)
        elif predicate == _TITLE and isinstance(obj, ox.Literal):
            title[quad.subject] = obj.value
        elif predicate == _IDENTIFIER and isinstance(obj, ox.Literal) and obj.value.startswith(_SHA):
            sha[quad.subject] = obj.value[len(_SHA):]
    found = {Source(title[s], sha[s]) for s in derived if s in title and s in sha}
    return sorted(found, key=lambda s: (s.name, s.sha256))


def is_candidate(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


@dataclass(frozen=True)
class Verdict:
    """What to do with a merge output found in a folder: leave it out, or read it (stale)."""

    path: str
    sources: int
    changed: tuple[str, ...] = ()  # recorded names whose file here has other bytes
    missing: tuple[str, ...] = ()  # recorded names with no file here
    alone: str = ""  # how to read it alone, when not `migrmeta validate <path>` (a git revision's)
    report: str = ""  # not a merge: a report migrmeta wrote ("a validation report"), always left out
    misnamed: bool = False  # not read: a record saved with ".txt" added (x.ttl.txt, load/files.py)

    @property
    def left_out(self) -> bool:
        return not self.changed and not self.missing

    def notice(self) -> str:
        if self.misnamed:
            return (f"{self.path} is not read: its name ends in .txt; rename it {Path(self.path).stem} "
                    "to read it as a record")
        if self.report:
            return f"{self.path} is {self.report} migrmeta wrote, not a record: left out"
        if self.left_out:
            return (f"{self.path} is the merge of {self.sources} of these files: left out; "
                    f"{self.alone or f'validate it alone with `migrmeta validate {self.path}`'}")
        stale = []
        if self.changed:
            stale.append(f"{_some(self.changed)} changed since")
        if self.missing:
            stale.append(f"{_some(self.missing)} not among the inputs")
        return (f"{self.path} is a stale merge of {self.sources} files ({'; '.join(stale)}): read as a record like "
                f"the others; merge again (`migrmeta merge ... -o {self.path} --force`) or move it out of the folder")


def _some(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_NAMED])
    return shown + (f" and {len(names) - _NAMED} more" if len(names) > _NAMED else "")


def merges_among(candidates: Iterable[str], inputs: Sequence[str],
                 quads_of: Callable[[str], Iterable[ox.Quad] | None],
                 sha256: Callable[[str], str | None]) -> list[Verdict]:
    """The verdict on each candidate (a .trig/.nq found among the inputs) that records its
    sources, i.e. a merge output: a folder's files (load/files.py) or a git revision's
    (merging/snapshot.py). `quads_of(name)` reads one (None: it cannot be read, and is read as
    a record, where the error is reported); `sha256(name)` hashes an input."""
    found = []
    for path in candidates:
        quads = quads_of(path)
        sources = recorded_sources(quads) if quads is not None else []
        if sources:  # none: a record written as TriG, not a merge
            found.append(judge(path, sources, [n for n in inputs if n != path], sha256))
    return found


def judge(path: str, sources: Sequence[Source], inputs: Iterable[str], sha256: Callable[[str], str | None]) -> Verdict:
    """Whether every source `path` records is one of `inputs` (same file name, same bytes);
    `sha256(file)` hashes an input (None: it cannot be read), asked only of the names recorded."""
    by_name: dict[str, list[str]] = {}
    for name in inputs:
        by_name.setdefault(os.path.basename(name), []).append(name)
    changed, missing = [], []
    for source in sources:
        files = by_name.get(source.name)
        if not files:
            missing.append(source.name)
        elif all(sha256(f) != source.sha256 for f in files):
            changed.append(source.name)
    return Verdict(path, len(sources), tuple(changed), tuple(missing))


__all__ = ["SUFFIXES", "Source", "Verdict", "is_candidate", "judge", "merges_among", "recorded_sources"]
