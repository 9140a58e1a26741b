"""Records `publish --skip-invalid` leaves out, published as they were last time.

A record that cannot be read, or has violations, is not a withdrawn survey: publishing
without it would remove its surveys' pages and files and announce them removed in
release.json and the feeds. Its last published version is in the site being replaced: the
contribution graph of `catalog.trig` whose provenance names the file (`dct:title`, with the
bytes' `dct:identifier "sha256:..."`), with the statements a conflict or the DCAT-AP profile
set aside (`<graph>/superseded`, `<graph>/replaced`). That version is merged in the file's
place, so the site keeps the survey as it was, and the run says so.

A file whose name two graphs of the previous site share (two folders holding a `ph-sof.ttl`)
cannot be told apart by name: it is left out, as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from migrmeta.errors import InputError
from migrmeta.merging.dataset import read_dataset
from migrmeta.namespaces import DCT, PROV
from migrmeta.rdf.terms import Converter, Triple

_TITLE, _IDENTIFIER, _DERIVED = str(DCT.title), str(DCT.identifier), str(PROV.wasDerivedFrom)


@dataclass(frozen=True)
class Carried:
    """A left-out record's last published version: its bytes' SHA-256 then, its statements."""

    source: str
    sha256: str
    triples: list[Triple]


def last_published(site: Path, sources: Iterable[str]) -> dict[str, Carried]:
    """The last published version of each source found in `site`'s catalog.trig, by source."""
    wanted = {Path(source).name: source for source in sources}
    dataset_file = site / "catalog.trig"
    if not wanted or not dataset_file.is_file():
        return {}
    try:
        dataset = read_dataset(dataset_file)
    except InputError:  # a site damaged since: nothing to take over, the records are left out
        return {}
    if dataset is None:
        return {}
    entity_of: dict[str, str] = {}  # contribution graph -> the entity describing its file
    described: dict[str, dict[str, str]] = {}  # entity -> {predicate: value}
    for triple in dataset.provenance:
        subject, predicate, obj = triple.subject, triple.predicate.value, triple.object
        if predicate == _DERIVED and isinstance(subject, ox.NamedNode) and subject.value in dataset.graphs:
            entity_of[subject.value] = str(obj)
        elif predicate in (_TITLE, _IDENTIFIER) and isinstance(obj, ox.Literal):
            described.setdefault(str(subject), {})[predicate] = obj.value
    graphs_of: dict[str, list[tuple[str, str]]] = {}  # file name -> (graph, sha256)
    for graph, entity in sorted(entity_of.items()):
        about = described.get(entity, {})
        name, identifier = about.get(_TITLE), about.get(_IDENTIFIER, "")
        if name in wanted and identifier.startswith("sha256:"):
            graphs_of.setdefault(name, []).append((graph, identifier.removeprefix("sha256:")))
    convert = Converter().triple
    found: dict[str, Carried] = {}
    for name, graphs in graphs_of.items():
        if len(graphs) != 1:  # two files of that name were published: which one this is, no one can say
            continue
        graph, sha256 = graphs[0]
        kept = [*dataset.graphs[graph], *dataset.aside.get(f"{graph}/superseded", ()),
                *dataset.aside.get(f"{graph}/replaced", ())]
        found[wanted[name]] = Carried(wanted[name], sha256, [convert(t) for t in dict.fromkeys(kept)])
    return found


__all__ = ["Carried", "last_published"]
