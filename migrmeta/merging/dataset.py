"""A merged dataset read back: the one reader of a `.trig`/`.nq` from `migrmeta merge` and of
a published site's `catalog.trig`, for `push`, `query --data`, `validate` and the reports.

    found = dataset_path("site/")          # site/catalog.trig (or .nq); a .trig/.nq file as it is
    dataset = read_dataset(found)          # None: the file is a record, not a merged dataset
    records, datasets, errors = split_inputs(["records/", "cat.trig"])   # the two, apart
    records, merged = records_as_merged(["cat.trig"])   # for validate and the reports: as merged

A dataset keeps apart what a catalogue is made of: the graphs as merged (each contribution,
`https://w3id.org/migrmeta/graph/<agency>/<file>`, and a site's DCAT-AP additions,
`.../graph/dcat-ap`), the statements set aside (`<graph>/superseded`: they lost a conflict;
`<graph>/replaced`: the profile replaced them), and the provenance (its default graph). Read
as one record, its union would mix the statements set aside back in: whoever reads a dataset
reads it here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from migrmeta.errors import InputError
from migrmeta.load import Record, Verdict, iter_records, parse_bytes, read_input
from migrmeta.merging.sources import ASIDE_SUFFIXES, GRAPH, PROFILE_GRAPH

PROVENANCE = str(GRAPH["provenance"])  # the default graph of a merged dataset, once pushed or queried
SITE_DATASETS = ("catalog.trig", "catalog.nq")  # in a published folder, the dataset that keeps the graphs
_DATASET_SUFFIXES = (".trig", ".nq")
Made = tuple[str, bytes, str]  # a record made rather than read from its file: source, bytes, syntax


@dataclass
class Dataset:
    """A merged dataset's graphs: as merged, set aside (superseded, replaced), and its provenance."""

    source: str
    graphs: dict[str, list[ox.Triple]]
    aside: dict[str, list[ox.Triple]]
    provenance: list[ox.Triple]

    def as_merged(self) -> list[ox.Triple]:
        """The catalogue as merged: each contribution's kept statements (with those the profile
        replaced), without a conflict's losers nor the DCAT-AP profile's additions."""
        return self._statements(lambda name: not name.endswith("/superseded"))

    def as_published(self) -> list[ox.Triple]:
        """The catalogue as a site publishes it (catalog.ttl): every graph as merged, the DCAT-AP
        profile's too, without what was set aside (a conflict's losers, what the profile replaced)."""
        return list({t: None for triples in self.graphs.values() for t in triples})

    def as_record(self, published: bool = False) -> Made:
        """The catalogue as merged, as a record to validate: (its file, N-Triples, "ntriples");
        `published`: as the site publishes it (a site's DCAT-AP profile applied), what shapes of
        a user's own (DCAT-AP 3, a national profile) check, as harvesters read it."""
        triples = self.as_published() if published else self.as_merged()
        return self.source, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", "ntriples"

    def as_contributed(self) -> list[ox.Triple]:
        """What the contributions said, kept or set aside: the records the catalogue was made from."""
        return self._statements(lambda name: True)

    def _statements(self, wanted: Callable[[str], bool]) -> list[ox.Triple]:
        profile = str(PROFILE_GRAPH)
        named = (*self.graphs.items(), *self.aside.items())
        found = {t: None for name, triples in named if name != profile and wanted(name) for t in triples}
        return list(found)  # a statement in two graphs is one statement; in the graphs' order


def dataset_path(path: str | Path) -> Path | None:
    """The dataset file a path names: a .trig/.nq file, or a published site's catalog.trig."""
    candidate = Path(path)
    if candidate.is_dir():
        return next((candidate / n for n in SITE_DATASETS if (candidate / n).is_file()), None)
    return candidate if candidate.suffix.lower() in _DATASET_SUFFIXES and candidate.is_file() else None


def read_dataset(path: Path) -> Dataset | None:
    """The file as a merged dataset, or None when it is a record (no graph under .../graph/)."""
    quads = read_input(str(path)).quads
    named: dict[str, list[ox.Triple]] = defaultdict(list)
    provenance: list[ox.Triple] = []
    for quad in quads:
        if isinstance(quad.graph_name, ox.NamedNode):
            named[quad.graph_name.value].append(quad.triple)
        else:
            provenance.append(quad.triple)
    if not any(name.startswith(str(GRAPH)) for name in named):
        return None
    aside = {n: t for n, t in named.items() if n.endswith(ASIDE_SUFFIXES)}
    graphs = {n: t for n, t in sorted(named.items()) if n not in aside}
    return Dataset(str(path), graphs, aside, provenance)


def split_inputs(paths: Iterable[str | Path]) -> tuple[list[str | Path], list[Dataset], list[InputError]]:
    """The inputs of `push` and `query --data` sorted out, each in the order given: the paths that
    are records (or anything else that is not a merged dataset), the merged datasets read, and
    the errors of the dataset files that could not be read."""
    records: list[str | Path] = []
    datasets: list[Dataset] = []
    errors: list[InputError] = []
    for path in paths:
        found = dataset_path(path)
        try:
            dataset = read_dataset(found) if found is not None else None
        except InputError as exc:
            errors.append(exc)
            continue
        if dataset is None:
            records.append(path)
        else:
            datasets.append(dataset)
    return records, datasets, errors


def records_as_merged(paths: Iterable[str | Path], published: bool = False
                      ) -> tuple[list[str | Path], list[Made | InputError]]:
    """The inputs of `validate` and the reports: the paths of records, and each merged dataset
    as merged (`Dataset.as_record`: read as one record, its union would bring back every value
    a conflict set aside), or as published (`published`), or the error that stopped it."""
    records, datasets, errors = split_inputs(paths)
    return records, [*errors, *(d.as_record(published) for d in datasets)]


def iter_records_as_merged(paths: Iterable[str | Path],
                           notices: list[Verdict] | None = None) -> Iterator[Record | InputError]:
    """`load.iter_records`, with each merged dataset read as merged (`records_as_merged`);
    `notices` as for `load.expand_paths` (a merge's output beside its records left out)."""
    records, merged = records_as_merged(paths)
    for made in merged:
        yield made if isinstance(made, InputError) else parse_bytes(made[1], made[0], made[2])
    yield from iter_records(records, notices=notices)


def merged_file(name: str) -> Dataset | None:
    """The dataset a .trig/.nq file holds when `merge` or `publish` wrote it; None for a record,
    a folder, or a file that cannot be read (read as a record, it is reported as any record)."""
    path = None if Path(name).is_dir() else dataset_path(name)
    try:
        return read_dataset(path) if path is not None else None
    except InputError:
        return None


__all__ = [
    "PROVENANCE",
    "SITE_DATASETS",
    "Dataset",
    "dataset_path",
    "iter_records_as_merged",
    "merged_file",
    "read_dataset",
    "records_as_merged",
    "split_inputs",
]
