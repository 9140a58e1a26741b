"""The public Python API: one function per command, typed, with the command's defaults.

Each function is what its command calls; the command only parses options and prints.
Results are plain objects (dataclasses) with enums where a value is one of a few kinds
(`Severity`, `Refusal`); non-conformance is a result, failures are `MigrmetaError`s.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from migrmeta import defaults
from migrmeta.formats.exporting import ExportResult, export_records
from migrmeta.formats.importing import ImportResult, import_records
from migrmeta.merging.merge import MergeResult
from migrmeta.progress import Progress
from migrmeta.publishing.site import PublishOptions, PublishResult, Refusal
from migrmeta.pushing.gsp import PushReport
from migrmeta.querying.results import QueryResult
from migrmeta.validation.findings import Severity
from migrmeta.validation.runner import Report

Paths = Iterable[str | Path]
PathLike = str | os.PathLike[str]


def _path(value: PathLike | None) -> Path | None:
    """A folder or file argument as a Path: a caller may give a str, as the paths above."""
    return None if value is None else Path(value)


def validate(paths: Paths = (defaults.RECORDS,), *, lang: str = "en", jobs: int | None = None, cache: bool = True,
             cache_dir: PathLike | None = None, input_format: str | None = None, shapes_dir: PathLike | None = None,
             agencies: PathLike | None = None, engine: str = "sparql", progress: Progress | None = None) -> Report:
    """Validate records (files, directories, `-`) against the shapes and across records; a merged
    dataset (a .trig/.nq written by merge, a published site or its catalog.trig) as merged: what
    its contributions keep, without the values a conflict set aside. The arguments as for
    `migrmeta.validation.runner.validate`."""
    from migrmeta.reports.validated import validated

    return validated(paths, lang=lang, jobs=jobs, cache=cache, cache_dir=_path(cache_dir), input_format=input_format,
                     shapes_dir=_path(shapes_dir), agencies=_path(agencies), engine=engine, progress=progress)


def merge(paths: Paths = (defaults.RECORDS,), *, agency: str | None = None, prefer: Iterable[str] = (),
          date: str | None = None, default_agency: str = defaults.MAINTAINER_AGENCY) -> MergeResult:
    """Contributions (files, folders, or `PATH=AGENCY`) -> one dataset with provenance; conflicts as data.

    Write it with `migrmeta.merging.output.write_dataset(result, Path("cat.trig"))`."""
    from migrmeta.merging.merge import merge as run
    from migrmeta.merging.sources import agency_iri

    return run([str(p) for p in paths], agency=agency, prefer=tuple(prefer), date=date,
               default_agency=agency_iri(default_agency))


def publish(paths: Paths = (defaults.RECORDS,), output: PathLike = defaults.SITE,
            options: PublishOptions | None = None) -> PublishResult:
    """Validate, merge, apply DCAT-AP 3 and write the site to `output`, atomically."""
    from migrmeta.publishing.site import publish as run

    return run(list(paths), Path(output), options or PublishOptions())


def query(question: str | None = None, *, text: str | None = None, params: Mapping[str, str] | None = None,
          data: Paths = (defaults.RECORDS,), endpoint: str | None = None, reference: bool = True,
          allow_service: bool = False, timeout: float = defaults.HTTP_TIMEOUT,
          retries: int = defaults.HTTP_RETRIES) -> QueryResult:
    """Ask a saved question (by name or .rq file) or a query `text`, with `params` bound as
    RDF terms; on the embedded store holding `data` (records, or a published site), or on a
    SPARQL `endpoint`. Render it with `migrmeta.querying.results.render(result, "csv")`."""
    from migrmeta.io.http import HttpClient
    from migrmeta.load import Verdict
    from migrmeta.querying.endpoint import SparqlEndpoint
    from migrmeta.querying.saved import resolve_question
    from migrmeta.querying.store import EmbeddedStore

    saved = resolve_question(question, text=text)
    bindings = saved.bind(dict(params or {}))
    if endpoint is not None:  # an empty default graph: the named graphs are asked (querying/dataset.py)
        from migrmeta.querying.dataset import default_graphs

        remote = SparqlEndpoint(endpoint, HttpClient(timeout=timeout, retries=retries))
        return remote.query(saved.text, bindings, saved.source,
                            parameters=default_graphs(remote, saved.text).parameters)
    beside: list[Verdict] = []  # a merge's output beside its records: left out, as the command does
    store, errors = EmbeddedStore.open(list(data), reference=reference, notices=beside)
    if errors:
        raise errors[0]
    result = store.query(saved.text, bindings, saved.source, allow_service=allow_service, deadline=timeout)
    result.notices = [verdict.notice() for verdict in beside]
    return result


def push(paths: Paths = (defaults.RECORDS,), *, endpoint: str, store: str | None = None,
         graph_base: str | None = None, prune: bool = False, check: str = "content", reference: bool = True,
         skip_invalid: bool = False, cache: bool = True, timeout: float = defaults.HTTP_TIMEOUT,
         retries: int = defaults.HTTP_RETRIES) -> PushReport:
    """Validate, then write each record (or a merged dataset's graphs, as merged) as a named graph of a
    triplestore (Graph Store Protocol), then check what the store holds (`check`: "content" or "counts").

    A push refused for violations or unreadable inputs sends nothing: `report.refusal` says why and
    `report.plan.validation` holds the findings. `prune` needs the whole catalogue (folders, or one
    merged dataset): a record file with it is a UsageError. Say the report with
    `migrmeta.pushing.render.render_push(report)`."""
    from migrmeta.io.http import HttpClient
    from migrmeta.pushing.gsp import GraphStore, derive_store_url
    from migrmeta.pushing.gsp import push as run
    from migrmeta.pushing.plan import prepare
    from migrmeta.querying.endpoint import SparqlEndpoint
    from migrmeta.querying.store import GraphNaming

    naming = GraphNaming(graph_base)
    client = HttpClient(timeout=timeout, retries=retries)
    graph_store = GraphStore(store or derive_store_url(endpoint), client, derived=store is None)
    plan = prepare(list(paths), naming, reference=reference, skip_invalid=skip_invalid, cache=cache, prune=prune)
    if plan.refusal is not None:
        return PushReport.refused(graph_store.url, plan)
    report = run(plan.graphs, SparqlEndpoint(endpoint, client), graph_store, naming, prune=prune, check=check,
                 input_errors=plan.input_errors, protected=plan.protected)
    report.plan = plan
    return report


__all__ = ["ExportResult", "ImportResult", "MergeResult", "PublishOptions", "PublishResult", "PushReport",
           "QueryResult", "Refusal", "Report", "Severity", "export_records", "import_records", "merge", "publish",
           "push", "query", "validate"]
