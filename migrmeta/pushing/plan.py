"""What a push writes, validated first as publish validates.

    plan = prepare(["records/"], GraphNaming())        # or ["cat.trig"], or ["site/"]
    plan.graphs, plan.refusal, plan.exit_code()

Two kinds of input:

- **records** (files and folders): one graph per record, `<survey IRI>/graph`
  (`querying.store.GraphNaming`);
- **one merged dataset**: `migrmeta merge -o cat.trig` (or `.nq`), or a published site (a
  folder holding `catalog.trig`). Its graphs are pushed as they were merged: each
  contribution graph (`https://w3id.org/migrmeta/graph/<agency>/<file>`) and, for a site,
  the DCAT-AP profile's additions (`.../graph/dcat-ap`); never the statements that lost a
  conflict (`<graph>/superseded`) or that the profile replaced (`<graph>/replaced`), so
  `--prefer` decisions reach the store. Its default graph, the provenance (who contributed
  which graph, from which file), becomes the named graph `.../graph/provenance`.

Plus the reference data (ontology, vocabularies, countries) unless `reference=False`.

Validation: records go through the same runner as `validate` and `publish`; a dataset is
validated as the catalogue its contributions make (with the statements the profile
replaced put back: what publish validated). A violation or an unreadable input refuses the
push (nothing is written). With `skip_invalid`, the records that conform are pushed, the
others listed and kept from pruning; a dataset is pushed whole or not at all.

Pruning (`prune=True`) deletes the store's graphs under the base that the inputs do not have,
so the inputs must be a whole catalogue: folders of records, or one merged dataset. A record
file given alone (or standard input) refuses the prune before anything is validated or sent:
pushing one record with `--prune` would delete every other record's graph.

The reading of a merged dataset is `merging.dataset`'s, shared with `query --data`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from migrmeta.errors import InputError, UsageError
from migrmeta.load import STDIN, Verdict, expand_paths
from migrmeta.merging.dataset import Dataset, split_inputs
from migrmeta.querying.store import CatalogueGraph, GraphNaming, dataset_graphs, read_catalogue, reference_graph
from migrmeta.validation.runner import RecordReport, Report, validate


@dataclass
class PushPlan:
    """The graphs to write, and why some (or all) are not written."""

    graphs: list[CatalogueGraph]
    input_errors: list[InputError] = field(default_factory=list)
    validation: Report | None = None
    invalid: list[RecordReport] = field(default_factory=list)  # records with violations: not pushed
    protected: set[str] = field(default_factory=set)  # graphs prune must keep (their record is invalid)
    refusal: str | None = None  # "violations" | "unreadable": nothing is pushed
    dataset: str | None = None  # the merged dataset pushed, if that is what was given
    notices: list[str] = field(default_factory=list)  # a merge's output beside its records, left out

    def exit_code(self) -> int:
        """For a refused push: 3 when an input is unreadable, else 1; 0 otherwise."""
        if self.refusal is None:
            return 0
        return 3 if self.refusal == "unreadable" else 1


def plan(paths: Iterable[str | Path], naming: GraphNaming, *, reference: bool = True
         ) -> tuple[list[CatalogueGraph], list[InputError]]:
    """The graphs a push would write (records or one dataset, and the reference data), unvalidated."""
    found = prepare(paths, naming, reference=reference, check=False)
    return found.graphs, found.input_errors


def check_prune_scope(records: Iterable[str | Path]) -> None:
    """A UsageError unless the record inputs are whole folders (a merged dataset is whole too):
    pruning after a push of single record files would delete the graphs of every other record."""
    for path in records:
        if str(path) == STDIN:
            raise UsageError("--prune needs whole folders of records (or one merged dataset), not standard input: "
                             "it would delete the graph of every record not given",
                             hint="give the folder that holds the records, or push without {--prune|prune=True}")
        candidate = Path(path)
        if candidate.is_file():  # a path that is missing is an unreadable input: nothing is pruned then
            raise UsageError(
                f"{path}: --prune needs whole folders of records (or one merged dataset), not a record file: it "
                "would delete the graph of every record not given",
                hint=f"push the folder that holds it ({candidate.parent}/) with {{--prune|prune=True}}, or push this "
                     "file without it; to publish parts of a catalogue to one store, give each part its own "
                     "{--graph-base|graph_base=}")


def prepare(paths: Iterable[str | Path], naming: GraphNaming, *, reference: bool = True, check: bool = True,
            skip_invalid: bool = False, cache: bool = True, cache_dir: Path | None = None,
            jobs: int | None = None, prune: bool = False, lang: str = "en") -> PushPlan:
    """Read and (with `check`) validate what to push; see the module. With `prune`, the inputs
    must be a whole catalogue (`check_prune_scope`). `lang`: the findings' language."""
    records, datasets, errors = split_inputs(paths)
    if datasets and (records or len(datasets) > 1):
        raise UsageError("push either records or one merged dataset (a .trig/.nq from `migrmeta merge`, or a "
                         "published site), not both at once",
                         hint="push them one after the other, or merge the records into the dataset first")
    if prune:
        check_prune_scope(records)
    if datasets:
        result = _dataset_plan(datasets[0], naming, check=check, cache=cache, cache_dir=cache_dir, jobs=jobs,
                               lang=lang)
    else:
        result = _records_plan(records, naming, check=check, skip_invalid=skip_invalid, cache=cache,
                               cache_dir=cache_dir, jobs=jobs, lang=lang)
    result.input_errors[:0] = errors
    if errors and result.refusal is None and not skip_invalid and check:
        result.refusal = "unreadable"
    if reference and result.refusal is None:
        result.graphs.append(reference_graph(naming))
    return result


def _records_plan(paths: list[str | Path], naming: GraphNaming, *, check: bool, skip_invalid: bool,
                  cache: bool, cache_dir: Path | None, jobs: int | None, lang: str) -> PushPlan:
    beside: list[Verdict] = []
    graphs, errors = read_catalogue(paths, naming, beside)
    result = PushPlan(graphs, errors, notices=[v.notice() for v in beside])
    if not check:
        return result
    readable = [name for name in expand_paths(paths, notices=[]) if isinstance(name, str)]  # said above
    result.validation = validate(readable, cache=cache, cache_dir=cache_dir, jobs=jobs, lang=lang) if readable \
        else Report([], lang)
    result.invalid = [r for r in result.validation.records if r.readable and not r.conforms]
    if errors or result.invalid:
        if not skip_invalid:
            result.refusal = "unreadable" if errors else "violations"
            result.graphs = []
            return result
        left_out = {r.source for r in result.invalid}
        result.protected = {g.name for g in graphs if left_out.intersection(g.sources)}
        result.graphs = [g for g in graphs if g.name not in result.protected]
    return result


def _dataset_plan(dataset: Dataset, naming: GraphNaming, *, check: bool, cache: bool, cache_dir: Path | None,
                  jobs: int | None, lang: str) -> PushPlan:
    result = PushPlan(dataset_graphs(dataset, naming), dataset=dataset.source)
    if not check:
        return result
    report = validate([], data=[dataset.as_record()], cache=cache, cache_dir=cache_dir, jobs=jobs, lang=lang)
    result.validation = report
    result.invalid = [r for r in report.records if not r.conforms]
    if result.invalid:
        result.refusal = "violations"
        result.graphs = []
    return result


__all__ = ["PushPlan", "check_prune_scope", "plan", "prepare"]
