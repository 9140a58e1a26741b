"""Records + shapes -> a report. Never raises on non-conformance: that is a result.

    report = migrmeta.validate(["records/"], lang="fr")
    report.conforms, report.findings, report.exit_code()

Two engines give the same findings. The default, `engine="sparql"`, evaluates the shapes
compiled to SPARQL over one pyoxigraph store holding every record of the run
(`validation.compiled`; the compiled shapes are kept in the cache folder). `engine="pyshacl"`,
the reference, runs pySHACL on batches of records, in parallel worker processes when there are
many. Either way each record's outcome is cached by its content and the reference data, so a
re-run after one change revalidates that record only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from migrmeta import defaults, resources
from migrmeta.errors import InputError, PublishError, UsageError
from migrmeta.io.files import write_atomically
from migrmeta.io.memory import collector_paused
from migrmeta.limits import current
from migrmeta.load import Verdict, read_input
from migrmeta.load.reference import Reference, load_reference
from migrmeta.messages import translate
from migrmeta.progress import VALIDATING, Progress, tell
from migrmeta.shacl.engine import has_targets
from migrmeta.shacl.terms import ShapeFailure
from migrmeta.validation.across import check_catalogue
from migrmeta.validation.cache import Cache, cache_key, default_cache_dir
from migrmeta.validation.clock import Clock
from migrmeta.validation.findings import LANGUAGES, Explainer, Finding, Severity
from migrmeta.validation.inputs import Rereading, read_inputs
from migrmeta.validation.memo import Entry, Memo, memo_name
from migrmeta.validation.outcome import Item, Outcome, Summary
from migrmeta.validation.summaries import summarize
from migrmeta.validation.texts import ShapeTexts

ENGINES = ("sparql", "pyshacl")


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
    engine: str = "sparql"
    fallbacks: list[tuple[str, str]] = field(default_factory=list)  # shapes pySHACL validated, and why
    left_to_pyshacl: list[tuple[str, str]] = field(default_factory=list)  # records it checked, and why
    phases: dict[str, float] = field(default_factory=dict, repr=False)  # seconds per step (benchmarks)
    # the file of agencies the checks knew besides the inputs: a survey may name them undescribed
    # (publish describes those it names as this file does)
    known_agencies: str | None = None

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


@dataclass
class Checked:
    """Outcomes of records checked by one engine, and what findings are worded with."""

    outcomes: list[Outcome]
    texts: ShapeTexts
    fallbacks: list[tuple[str, str]]
    left_to_pyshacl: list[tuple[str, str]] = field(default_factory=list)  # records, and why


def _engine(engine: str) -> str:
    if engine not in ENGINES:
        raise UsageError(f"unknown validation engine {engine!r}; use one of: {', '.join(ENGINES)}")
    return engine


def check_records(items: Sequence[Item], *, engine: str = "sparql", reference: Reference | None = None,
                  jobs: int | None = None, cache_dir: Path | None = None, shapes_dir: Path | None = None,
                  progress: Progress | None = None, already: int = 0) -> Checked:
    """(source, bytes, syntax) items -> outcomes, by either engine, without the outcome cache;
    `progress` hears of the records checked (counting `already` ones known beforehand)."""
    _engine(engine)
    reference = reference if reference is not None else load_reference(shapes_dir)
    try:
        return _checked(items, engine, reference, jobs, cache_dir, shapes_dir, progress, already)
    except ShapeFailure as exc:
        where = shapes_dir if shapes_dir is not None else resources.shapes_dir()
        raise InputError(str(where), f"a shape cannot be evaluated: {exc}",
                         hint="fix the shape (an sh:select is a SPARQL 1.1 SELECT query, its prefixes declared "
                              "with sh:declare), or deactivate it (sh:deactivated true); no record was checked"
                         ) from exc


def _checked(items: Sequence[Item], engine: str, reference: Reference, jobs: int | None, cache_dir: Path | None,
             shapes_dir: Path | None, progress: Progress | None, already: int) -> Checked:
    total = already + len(items)
    tell(progress, VALIDATING, already, total)
    if engine == "sparql":
        from migrmeta.validation.compiled import check_items as check_compiled
        from migrmeta.validation.prepared import prepare

        prepared = prepare(reference, cache_dir or default_cache_dir())
        if shapes_dir is not None and not (prepared.engine.compiled or prepared.engine.fallback_shapes):
            raise _targets_nothing(shapes_dir)
        fallbacks = [(str(f.shape), f.reason) for f in prepared.engine.fallback_shapes]
        outcomes = check_compiled(items, prepared, jobs)
        left = {o.source: o.left_to_pyshacl for o in outcomes if o.left_to_pyshacl is not None}
        if left:  # records whose literals the store rewrites: pySHACL judges them as written
            from migrmeta.validation.checks import check_items

            again = check_items([aside.item for aside in left.values()], reference,
                                jobs if jobs is not None else defaults.cpus(), shapes_dir, progress, total - len(left))
            by_source = {o.source: o for o in again}
            outcomes = [by_source.get(o.source, o) for o in outcomes]
        tell(progress, VALIDATING, total, total)
        return Checked(outcomes, prepared.texts, fallbacks, [(source, a.reason) for source, a in left.items()])
    from migrmeta.validation.checks import check_items  # pySHACL: imported for this engine only

    if shapes_dir is not None and not has_targets(reference.shapes):
        raise _targets_nothing(shapes_dir)
    outcomes = check_items(items, reference, jobs if jobs is not None else defaults.cpus(), shapes_dir,
                           progress, already)
    return Checked(outcomes, ShapeTexts.of(reference), [])


def _targets_nothing(shapes_dir: Path) -> UsageError:
    return UsageError(f"{shapes_dir}: no shape here has a target (sh:targetClass, sh:targetNode, sh:targetSubjectsOf, "
                      "sh:targetObjectsOf), or every one is deactivated; nothing would be checked",
                      hint="give the folder that holds the SHACL shapes, e.g. DCAT-AP 3's shapes.ttl")


@dataclass(frozen=True)
class _Settings:
    lang: str
    jobs: int | None
    cache: bool
    cache_dir: Path | None
    shapes_dir: Path | None
    agencies: str | Path | None
    engine: str
    progress: Progress | None


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
    engine: str = "sparql",
    progress: Progress | None = None,
    data: Sequence[Item | InputError] = (),
) -> Report:
    """Validate records (files, directories, `-`) against the shapes and across records.

    Agencies a record names must be described: in an input, in the agencies.ttl beside one,
    or in `agencies` (a file; by default the bundled catalogue's records/agencies.ttl when
    no agencies.ttl is among the inputs), which is known but not reported on.
    `shapes_dir`: a folder of the user's own shapes (e.g. the DCAT-AP 3 ones) instead of the
    project's; `engine`: "sparql" (compiled, the default) or "pyshacl" (the reference).
    `data`: records made rather than read from their file, (source, bytes, syntax), such as a
    merged dataset as merged (`merging.dataset.records_as_merged`): their findings have no line
    (the bytes are not the file's), and several surveys are no mistake there."""
    settings = _Settings(lang if lang in LANGUAGES else "en", jobs, cache, cache_dir, shapes_dir, agencies,
                         _engine(engine), progress)
    names = [str(p) for p in paths]
    with collector_paused():
        reference = load_reference(shapes_dir)
        folder = cache_dir or default_cache_dir()
        memo = Memo.load(folder if cache else None,
                         memo_name(names, lang=settings.lang, format=input_format, shapes=reference.fingerprint,
                                   limits=(current().reading, current().file_mb)))
        statuses: dict[str, tuple[int, ...]] = {}
        hashed: dict[str, tuple[str, str]] = {}  # source -> cache key, SHA-256
        clock = Clock({})
        beside: list[Verdict] = []  # a merge's output beside its sources, left out (load/merged.py)
        items = read_inputs(names, input_format, reference.fingerprint, memo if cache else None, statuses, hashed,
                            beside)
        made = [i for i in data if not isinstance(i, InputError)]
        hashed.update({source: (cache_key(raw or b"", syntax, reference.fingerprint),
                                hashlib.sha256(raw or b"").hexdigest()) for source, raw, syntax in made})
        items += data
        clock.lap("read files")
        report = _run(items, reference, hashed, statuses, memo, clock, settings, {source for source, _, _ in made})
        given = {source for source, _, _ in made}  # also given as merged (`data`): read that way, nothing to say
        report.notices[:0] = [v.notice() for v in beside if v.path not in given]
        return report


def _run(items: list[Item | InputError | Entry], reference: Reference, hashed: dict[str, tuple[str, str]],
         statuses: dict[str, tuple[int, ...]], memo: Memo, clock: Clock, settings: _Settings,
         made: Collection[str] = ()) -> Report:
    folder = settings.cache_dir or default_cache_dir()
    known = _known_agencies_file(items, settings.agencies)
    context = _known_agencies(known, folder)
    read = [i for i in items if isinstance(i, tuple)]
    store = Cache(folder if settings.cache else None)
    keys = {source: key for source, (key, _) in hashed.items()}
    hits = store.get_many(keys.values())
    cached: dict[str, Outcome] = {}
    for source, _, _ in read:
        if keys[source] in hits:
            outcome = _from_cache(source, hits[keys[source]])
            if outcome is None:
                store.note("holds entries that are not outcomes; they are validated again and rewritten")
            else:
                cached[source] = outcome
    todo = Rereading([item for item in read if item[0] not in cached])
    clock.lap("cache lookup")
    checked = check_records(todo, engine=settings.engine, reference=reference, jobs=settings.jobs,
                            cache_dir=folder, shapes_dir=settings.shapes_dir, progress=settings.progress,
                            already=len(items) - len(todo))
    clock.lap("check")
    # an outcome of bytes other than those hashed (the file changed during the run) is not kept, nor
    # an unreadable file's: the cache is keyed by content, and its error names the file and says
    # what to run on it (a copy under another name was told to fix the first one)
    store.put_many((keys[o.source], o.to_json()) for o in checked.outcomes
                   if o.sha256 == hashed[o.source][1] and o.error is None)
    store.close()
    clock.lap("cache write")
    explainer = Explainer(checked.texts, settings.lang)
    records, outcomes, entries = _assemble(items, checked.outcomes, cached, keys, statuses, explainer, memo)
    clock.lap("findings")
    for finding in check_catalogue([*outcomes, *context], explainer.lang, explainer.item_name):
        if finding.source in records and not (finding.source in made and finding.component == "several_surveys"):
            records[finding.source].findings.append(finding)
    for record in records.values():
        if record.source in made:  # lines of bytes made here mean nothing in the user's file
            record.findings = [replace(f, line=None) for f in record.findings]
        record.findings.sort(key=_finding_order)
    clock.lap("across records")
    if memo.changed or set(entries) != set(memo.entries):
        memo.save({source: e for source, e in entries.items() if e.status})
    clock.lap("memo")
    return Report(list(records.values()), explainer.lang, [store.problem] if store.problem else [],
                  settings.engine, checked.fallbacks, checked.left_to_pyshacl, clock.phases, known)


def _source(item: Item | InputError | Entry) -> str:
    if isinstance(item, InputError):
        return item.location.source
    return item.outcome.source if isinstance(item, Entry) else item[0]


def _known_agencies_file(items: Sequence[Item | InputError | Entry], agencies: str | Path | None) -> str | None:
    """The file of agencies known besides the inputs: --agencies, else the bundled agencies.ttl
    when no input is an agencies.ttl."""
    if agencies is not None:
        return str(agencies)
    if any(not isinstance(i, InputError) and Path(_source(i)).name == "agencies.ttl" for i in items):
        return None
    bundled = resources.bundled_agencies()
    return str(bundled) if bundled is not None else None


def _known_agencies(agencies: str | None, cache_dir: Path) -> list[Outcome]:
    """The agencies known besides the inputs, as a context outcome for the checks across records."""
    if agencies is None:
        return []
    known = _agencies_summary(Path(agencies), cache_dir)
    return [Outcome(f"{agencies} (known agencies)", "",
                    summary=Summary(agencies=known.agencies, agency_details=known.agency_details), context=True)]


def _agencies_summary(path: Path, cache_dir: Path) -> Summary:
    """What the known agencies say of themselves (an input's agency may be one of them): from
    `cache_dir` when this code summarized these bytes before. Reading the 244 bundled agencies
    took a fifth of the time of validating one record in a new process."""
    try:
        key = hashlib.sha256(b"%s\0%s\0" % (path.suffix.encode(), resources.package_fingerprint().encode())
                             + path.read_bytes()).hexdigest()
    except OSError:  # read_input says why, with the exit code of an unreadable input
        key = None
    stored = cache_dir / "agencies" / f"{key}.json" if key is not None else None
    if stored is not None:
        with suppress(OSError, ValueError, KeyError, TypeError):
            return Outcome.from_json(str(path), json.loads(stored.read_bytes())).summary
    summary = summarize(read_input(str(path)).graph)  # an unreadable --agencies file is an input error (exit 3)
    if stored is not None:
        kept = Summary(agencies=summary.agencies, agency_details=summary.agency_details)
        with suppress(OSError, PublishError):  # a cache that cannot be written costs time, never correctness
            write_atomically(stored, json.dumps(Outcome(str(path), "", summary=kept).to_json()), durable=False)
    return summary


def _from_cache(source: str, payload: Any) -> Outcome | None:
    """A cached outcome, or None when the entry is not one this version wrote (then it is redone)."""
    try:
        outcome = Outcome.from_json(source, payload)
        if json.loads(json.dumps(outcome.to_json())) != payload:  # another shape, other fields
            return None
        return outcome
    except Exception:  # foreign data of any shape: never a reason to fail a run
        return None


def _assemble(items: list[Item | InputError | Entry], checked: list[Outcome], cached: dict[str, Outcome],
              keys: dict[str, str], statuses: dict[str, tuple[int, ...]], explainer: Explainer,
              memo: Memo) -> tuple[dict[str, RecordReport], list[Outcome], dict[str, Entry]]:
    """Each input's report (its own findings), outcome (for the checks across records) and
    memo entry: from the engine, the outcome cache or the memo of the last run."""
    fresh = {o.source: o for o in checked}
    records: dict[str, RecordReport] = {}
    outcomes: list[Outcome] = []
    entries: dict[str, Entry] = {}
    for item in items:
        if isinstance(item, InputError):
            finding = input_finding(item.problem, item.location.source, item.location.line, item.hint,
                                    lang=explainer.lang)
            records[item.location.source] = RecordReport(item.location.source, "", [], [finding])
            continue
        if isinstance(item, Entry):
            entry = item
        else:
            source = item[0]
            outcome = fresh.get(source) or cached[source]
            entry = Entry(statuses.get(source, ()), keys[source], _summary_only(outcome),
                          _own_findings(explainer, outcome))
            memo.changed = True
        outcome = entry.outcome
        entries[outcome.source] = entry
        records[outcome.source] = RecordReport(outcome.source, outcome.sha256,
                                               outcome.summary.surveys + outcome.summary.series,
                                               list(entry.findings), cached=outcome.source not in fresh)
        outcomes.append(outcome)
    return records, outcomes, entries


def shape_findings(source: str, data: bytes, syntax: str, reference: Reference | None = None) -> list[Finding]:
    """One record's findings of the shapes (no check across records), in English: for a record
    made rather than validated with the others (a quality score's, publish's last published version)."""
    checked = check_records([(source, data, syntax)], reference=reference)
    outcome = checked.outcomes[0]
    return explain_results(Explainer(checked.texts), outcome) if outcome.error is None else []


def _own_findings(explainer: Explainer, outcome: Outcome) -> list[Finding]:
    """A record's findings of its own: an unreadable file's error, or its shapes' results."""
    if outcome.error:
        e = outcome.error
        return [input_finding(e["message"], e["source"], e["line"], e["hint"], e.get("column"), explainer.lang)]
    return explain_results(explainer, outcome)


def _summary_only(outcome: Outcome) -> Outcome:
    return Outcome(outcome.source, outcome.sha256, [], outcome.summary, outcome.error)


def explain_results(explainer: Explainer, outcome: Outcome) -> list[Finding]:
    """Findings of one record; failures nested in a value (sh:detail, or a blank node's) become
    details of the results about that value, which give them their severity."""
    nested: dict[tuple[str, str], list[Any]] = {}
    top = []
    for raw in outcome.results:
        if raw.detail or (raw.shape is None and raw.focus.kind == "bnode"):
            nested.setdefault((raw.focus.kind, raw.focus.value), []).append(raw)
        else:
            top.append(raw)
    findings = []
    told: set[tuple[str, str]] = set()
    for raw in top:
        details: list[Any] = []
        if raw.value is not None:
            value = (raw.value.kind, raw.value.value)
            details = nested.get(value, [])
            told.update([value] if details else [])
        findings.append(explainer.explain(raw, outcome.source, details))
    for value, orphans in nested.items():  # a nested failure whose parent was not reported here
        if value not in told:  # (an sh:detail's parent is, in the record naming the value: it says it)
            findings.extend(explainer.explain(raw, outcome.source) for raw in orphans if not raw.detail)
    # one mistake said once: "12,500"^^xsd:integer breaks both sh:datatype and sh:minInclusive of
    # a shape with one sh:message, and was said (and counted) twice, word for word
    said: dict[tuple[object, ...], Finding] = {}
    for f in findings:
        said.setdefault((f.severity, f.focus, f.path, f.value, f.line, f.message, f.hint), f)
    return list(said.values())


def input_finding(message: str, source: str, line: int | None, hint: str | None, column: int | None = None,
                  lang: str = "en") -> Finding:
    """Why a file could not be read, in `lang` (the reader says it in English)."""
    return Finding(
        severity=Severity.ERROR, source=source, line=line, focus=None, item=None, item_name=None,
        field=None, path=None, value=None, message=translate(message, lang),
        hint=translate(hint, lang) if hint else hint, component="unreadable",
        check="input",
    )


_RANK = {"error": 0, "violation": 1, "warning": 2, "info": 3}


def _finding_order(f: Finding) -> tuple[Any, ...]:
    return (f.focus or "", f.item or 0, _RANK.get(f.severity, 9), f.field or "", f.value or "", f.message)


__all__ = ["ENGINES", "Checked", "RecordReport", "Report", "check_records", "explain_results", "input_finding",
           "validate"]
