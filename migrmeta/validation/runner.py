"""Records + shapes -> a report. Never raises on non-conformance: that is a result.

    report = migrmeta.validate(["records/"], lang="fr")
    report.conforms, report.findings, report.exit_code()

Records are checked in batches (one pySHACL run per batch), in parallel worker processes
when there are many, and each record's outcome is cached by its content and the reference
data, so a re-run after one change revalidates that record only.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

from migrmeta import defaults, resources
from migrmeta.errors import InputError
from migrmeta.load import STDIN, agencies_beside, expand_paths, read_input, read_raw
from migrmeta.load.reference import Reference, load_reference
from migrmeta.progress import Progress, tell
from migrmeta.validation.across import check_catalogue
from migrmeta.validation.cache import Cache, cache_key, default_cache_dir
from migrmeta.validation.checks import Outcome, Summary, check_batch, summarize
from migrmeta.validation.findings import Explainer, Finding, Severity

VALIDATING = "validating records"  # the stage progress reports
BATCH = 50  # records per pySHACL run: amortizes shape compilation, keeps graphs small
PARALLEL_FROM = 200  # below this many records to check, worker start-up costs more than it saves


@dataclass
class RecordReport:
    source: str
    sha256: str
    surveys: list[str]
    findings: list[Finding] = field(default_factory=list)
    cached: bool = False

    @property
    def readable(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    @property
    def conforms(self) -> bool:
        return not any(f.severity in ("violation", "error") for f in self.findings)


@dataclass
class Report:
    records: list[RecordReport]
    lang: str = "en"
    notices: list[str] = field(default_factory=list)  # about the run, not the records (a damaged cache)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.records for f in r.findings]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def conforms(self) -> bool:
        return all(r.conforms for r in self.records)

    @property
    def unreadable(self) -> int:
        return sum(1 for r in self.records if not r.readable)

    @property
    def revalidated(self) -> int:
        return sum(1 for r in self.records if r.readable and not r.cached)

    def exit_code(self, strict: bool = False) -> int:
        """0 conforms, 1 a violation (or a warning under strict), 3 an input unreadable."""
        if self.unreadable:
            return 3
        if self.count("violation") or (strict and self.count("warning")):
            return 1
        return 0


def _inputs(paths: Iterable[str | Path], input_format: str | None) -> list[tuple[str, bytes, str] | InputError]:
    names = expand_paths(paths)
    # agencies are described once, next to the records: bring them in for the checks
    extra: list[str] = []
    for name in names:
        if isinstance(name, str) and name != STDIN:
            sibling = agencies_beside(name)
            if sibling is not None and str(sibling) not in names and str(sibling) not in extra:
                extra.append(str(sibling))
    items: list[tuple[str, bytes, str] | InputError] = []
    for name in [*names, *extra]:
        if isinstance(name, InputError):
            items.append(name)
            continue
        try:
            items.append(read_raw(name, input_format))
        except InputError as exc:
            items.append(exc)
    return items


def _known_agencies(items: Sequence[tuple[str, bytes, str] | InputError], agencies: str | Path | None) -> list[Outcome]:
    """The agencies known besides the inputs, as a context outcome for the checks across records."""
    if agencies is None:
        if any(not isinstance(i, InputError) and Path(i[0]).name == "agencies.ttl" for i in items):
            return []
        agencies = resources.agencies_file()
        if not agencies.is_file():
            return []
    graph = read_input(str(agencies)).graph  # an unreadable --agencies file is an input error (exit 3)
    return [Outcome(f"{agencies} (known agencies)", "", summary=Summary(agencies=summarize(graph).agencies))]


_WORKER_REFERENCE: Reference | None = None


def _worker_init(shapes_dir: Path | None) -> None:
    global _WORKER_REFERENCE
    _WORKER_REFERENCE = load_reference(shapes_dir)


def _worker_batch(items: list[tuple[str, bytes, str]]) -> list[dict[str, Any]]:
    assert _WORKER_REFERENCE is not None
    return [{"source": o.source, **o.to_json()} for o in check_batch(items, _WORKER_REFERENCE)]


def check_items(
    items: Sequence[tuple[str, bytes, str]], reference: Reference, jobs: int, shapes_dir: Path | None = None,
    progress: Progress | None = None, already: int = 0,
) -> list[Outcome]:
    """Check records, in parallel processes when it pays; `progress` hears of each batch done
    (counting `already` records known beforehand, e.g. from the cache)."""
    batches = [list(items[i : i + BATCH]) for i in range(0, len(items), BATCH)]
    total = already + len(items)
    tell(progress, VALIDATING, already, total)
    found: list[Outcome] = []
    if jobs <= 1 or len(items) < PARALLEL_FROM:
        for batch in batches:
            found += check_batch(batch, reference)
            tell(progress, VALIDATING, already + len(found), total)
        return found
    context = get_context("fork") if "fork" in get_all_start_methods() else get_context()
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_init, initargs=(shapes_dir,)) as pool:
        for done in pool.map(_worker_batch, batches):  # in order, as each batch is done
            found += [Outcome.from_json(d.pop("source"), d) for d in done]
            tell(progress, VALIDATING, already + len(found), total)
    return found


def validate(
    paths: Iterable[str | Path] = (defaults.RECORDS,),
    *,
    lang: str = "en",
    jobs: int | None = None,
    cache: bool = True,
    cache_dir: Path | None = None,
    input_format: str | None = None,
    shapes_dir: Path | None = None,
    agencies: str | Path | None = None,
    progress: Progress | None = None,
) -> Report:
    """Validate records (files, directories, `-`) against the shapes and across records.

    Agencies a record names must be described: in an input, in the agencies.ttl beside one,
    or in `agencies` (a file; by default the bundled catalogue's records/agencies.ttl when
    no agencies.ttl is among the inputs), which is known but not reported on.
    """
    return validate_data(_inputs(paths, input_format), lang=lang, jobs=jobs, cache=cache, cache_dir=cache_dir,
                         shapes_dir=shapes_dir, agencies=agencies, progress=progress)


def validate_data(
    items: Sequence[tuple[str, bytes, str] | InputError],
    *,
    lang: str = "en",
    jobs: int | None = None,
    cache: bool = True,
    cache_dir: Path | None = None,
    shapes_dir: Path | None = None,
    agencies: str | Path | None = None,
    progress: Progress | None = None,
) -> Report:
    """Validate records given as (source name, bytes, syntax name), e.g. the graphs of a merged
    dataset; `agencies` as for `validate`."""
    reference = load_reference(shapes_dir)
    context = _known_agencies(items, agencies)
    readable = [i for i in items if not isinstance(i, InputError)]
    store = Cache((cache_dir or default_cache_dir()) if cache else None)
    keys = {item[0]: cache_key(item[1], item[2], reference.fingerprint) for item in readable}
    hits = store.get_many(keys.values())
    cached: dict[str, Outcome] = {}
    for source, _, _ in readable:
        if keys[source] in hits:
            outcome = _from_cache(source, hits[keys[source]])
            if outcome is None:
                store.note("holds entries that are not outcomes; they are validated again and rewritten")
            else:
                cached[source] = outcome
    todo = [item for item in readable if item[0] not in cached]
    fresh = check_items(todo, reference, jobs if jobs is not None else (os.cpu_count() or 1), shapes_dir,
                        progress, already=len(readable) - len(todo))
    store.put_many((keys[o.source], o.to_json()) for o in fresh)
    store.close()
    by_source = {**cached, **{o.source: o for o in fresh}}
    cached_sources = set(cached)

    explainer = Explainer(reference, lang)
    outcomes = [by_source[i[0]] for i in readable]
    records: dict[str, RecordReport] = {}
    for item in items:
        if isinstance(item, InputError):
            finding = input_finding(item.problem, item.location.source, item.location.line, item.hint)
            records[item.location.source] = RecordReport(item.location.source, "", [], [finding])
            continue
        outcome = by_source[item[0]]
        report = RecordReport(outcome.source, outcome.sha256, outcome.summary.surveys + outcome.summary.series,
                              cached=outcome.source in cached_sources)
        if outcome.error:
            e = outcome.error
            report.findings.append(input_finding(e["message"], e["source"], e["line"], e["hint"], e.get("column")))
        else:
            report.findings.extend(explain_results(explainer, outcome))
        records[outcome.source] = report
    for finding in check_catalogue([*outcomes, *context], explainer.lang, explainer.item_name):
        if finding.source in records:
            records[finding.source].findings.append(finding)
    for record in records.values():
        record.findings.sort(key=_finding_order)
    return Report(list(records.values()), explainer.lang, [store.problem] if store.problem else [])


def _from_cache(source: str, payload: Any) -> Outcome | None:
    """A cached outcome, or None when the entry is not one this version wrote (then it is redone)."""
    try:
        outcome = Outcome.from_json(source, payload)
        if json.loads(json.dumps(outcome.to_json())) != payload:  # another shape, other fields
            return None
        return outcome
    except Exception:  # foreign data of any shape: never a reason to fail a run
        return None


def explain_results(explainer: Explainer, outcome: Outcome) -> list[Finding]:
    """Findings of one record; failures nested in a blank node become details of their parent."""
    nested: dict[str, list[Any]] = {}
    top = []
    for raw in outcome.results:
        if raw.shape is None and raw.focus.kind == "bnode":
            nested.setdefault(raw.focus.value, []).append(raw)
        else:
            top.append(raw)
    findings = []
    for raw in top:
        details = nested.pop(raw.value.value, []) if raw.value and raw.value.kind == "bnode" else []
        findings.append(explainer.explain(raw, outcome.source, details))
    for orphans in nested.values():  # a nested failure whose parent was not reported
        findings.extend(explainer.explain(raw, outcome.source) for raw in orphans)
    return findings


def input_finding(message: str, source: str, line: int | None, hint: str | None, column: int | None = None) -> Finding:
    return Finding(
        severity=Severity.ERROR, source=source, line=line, focus=None, item=None, item_name=None,
        field=None, path=None, value=None, message=message, hint=hint, component="unreadable",
        check="input",
    )


_RANK = {"error": 0, "violation": 1, "warning": 2, "info": 3}


def _finding_order(f: Finding) -> tuple[Any, ...]:
    return (f.focus or "", f.item or 0, _RANK.get(f.severity, 9), f.field or "", f.value or "", f.message)
