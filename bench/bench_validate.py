"""Validation speed, every engine in one run: the compiled engine against pySHACL.

    python bench/bench_validate.py                             # 1,000 and 10,000 records
    python bench/bench_validate.py --sizes 1000,10000,100000   # and 100,000 (peak memory too)
    python bench/bench_validate.py --sizes 1000 --batch-max 1000 --sample 100

For each size, a synthetic catalogue (bench/generate.py: real vocabularies, ~10% of records
with a typical mistake) and, each in a child process of its own (so its peak memory is its
own), with the project's shapes:

- compiled: `migrmeta.validate()`, the default engine, empty cache (full), then after one
  record changed (incremental); the slowest five compiled queries;
- batch: `migrmeta.validate(engine="pyshacl")`, today's engine (pySHACL in batches of 50, one
  worker process per CPU), empty cache, up to `--batch-max` records; its findings must equal
  the compiled engine's;
- pySHACL: `pyshacl.validate()` on the merged graph of a sample of the records (`--sample`)
  plus the reference data, as the baseline was always measured (the whole catalogue takes
  hours); findings compared on the sample;
- pyshacl-turbo (when installed: `pip install pyshacl-turbo`): the same call, same sample,
  and on the whole catalogue up to `--turbo-max` records.

Then, once: one record in a cold process (compiled shapes on disk), through the library and
through the CLI (median of 5 fresh processes); and `import sheet` of `--sheet-rows` rows (an
XLSX as the template is filled in), with the share of the validation call. Ratios are measured
in this run; peak memory is the sum of the proportional set sizes of the child and its workers,
sampled every 0.2 s (shared pages counted once), with getrusage's upper bound beside it.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from migrmeta import defaults  # light: the CLI's defaults, nothing else

Result = dict[str, Any]
ONE = ROOT / "tests" / "data" / "shapes" / "sof-complete.ttl"


def peak_mb() -> float:
    """This process's maximum resident set, plus that of its largest worker process (validation
    forks one per CPU) times the CPUs: an upper bound of the whole run's peak (forked workers
    share the parent's pages, which this counts once per worker)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own + workers * defaults.cpus() if workers else own


class TreeMemory:
    """The peak of the memory this process and its workers use together, sampled every 0.2 s:
    the sum of their proportional set sizes (Linux's PSS: a page shared by n processes counts
    1/n in each, so shared pages count once). 0 where /proc has no smaps_rollup."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            self.peak_kb = max(self.peak_kb, _tree_pss_kb())


def _tree_pss_kb() -> int:
    me, total = os.getpid(), 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            parent = int(Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()[1])
            if int(name) != me and parent != me:
                continue
            for line in Path(f"/proc/{name}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except (OSError, ValueError, IndexError):  # gone meanwhile, or no such file here
            continue
    return total


def shacl_terms(findings: list[Any]) -> list[list[str]]:
    """The compiled engine's SHACL findings in the terms of a pySHACL report (as `comparable`)."""
    from migrmeta.namespaces import PREFIXES

    out = []
    for f in findings:
        if f.check != "shacl":
            continue
        path = f.path
        if path and ":" in path and not path.startswith("http"):
            prefix, local = path.split(":", 1)
            path = str(PREFIXES[prefix]) + local
        value = "_:" if f.term is None or f.term.kind == "bnode" else f.term.value
        out.append([f.focus or "_:", f.severity, f.shape or "", path or "", f.component or "", value])
    return out


def digest(findings: list[Any]) -> str:
    rows = sorted(json.dumps([f.source, f.line, f.item, f.severity, f.field, f.value, f.message, f.hint, f.component])
                  for f in findings)
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]


# --- measured in child processes ---------------------------------------------------------------


def compiled(records: str, cache: str) -> Result:
    from bench.generate import touch_one
    from migrmeta.validation import prepared as prep
    from migrmeta.validation.runner import validate

    prep.prepare(None, Path(cache))  # the compiled shapes, as a second run finds them on disk
    start = time.perf_counter()
    with TreeMemory() as used:
        full = validate([records], cache_dir=Path(cache))
    full_s = time.perf_counter() - start
    memory = peak_mb()
    queries: dict[str, float] = {}
    for seconds, query in prep.prepare(None, Path(cache)).timings:
        queries[query] = queries.get(query, 0.0) + seconds
    touch_one(sorted(Path(records).glob("syn-*.ttl"))[len(full.records) // 2])
    start = time.perf_counter()
    again = validate([records], cache_dir=Path(cache))
    return {"full": full_s, "incremental": time.perf_counter() - start, "revalidated": again.revalidated,
            "peak_mb": memory, "pss_mb": used.peak_mb, "queries": queries, "digest": digest(full.findings),
            "records": len(full.records),
            "shacl": shacl_terms(full.findings),
            "violations": full.count("violation"), "warnings": full.count("warning")}


def batch(records: str, cache: str) -> Result:
    from migrmeta.validation.runner import validate

    start = time.perf_counter()
    report = validate([records], cache_dir=Path(cache), engine="pyshacl")
    return {"full": time.perf_counter() - start, "peak_mb": peak_mb(), "digest": digest(report.findings)}


def whole_graph(records: str, sample: int, seed: int, library: str) -> Result:
    """pySHACL (or pyshacl-turbo) on one merged graph: the sampled records + agencies + reference."""
    from rdflib import Graph

    from migrmeta.load import read_input
    from migrmeta.load.reference import load_reference
    from migrmeta.namespaces import MM, RDF, SH
    from migrmeta.validation.checks import to_raw
    from migrmeta.validation.outcome import comparable
    from migrmeta.validation.texts import worded_shapes

    engine = __import__("pyshacl_turbo" if library == "turbo" else "pyshacl")
    paths = sorted(Path(records).glob("syn-*.ttl"))
    chosen = sorted(random.Random(seed).sample(paths, sample)) if 0 < sample < len(paths) else paths
    reference = load_reference()
    merged = Graph()
    for triple in reference.graph:
        merged.add(triple)
    focus: set[str] = set()
    for path in [*chosen, Path(records) / "agencies.ttl"]:
        graph = read_input(str(path)).graph
        merged += graph
        focus.update(str(s) for s in graph.subjects(RDF.type, MM.Survey))
    start = time.perf_counter()
    _, report, _ = engine.validate(merged, shacl_graph=reference.shapes, allow_warnings=True, inplace=True)
    seconds = time.perf_counter() - start
    worded = worded_shapes(reference.shapes)
    found = sorted({comparable(to_raw(report, r, worded)) for r in report.subjects(RDF.type, SH.ValidationResult)
                    if str(report.value(r, SH.focusNode)) in focus})
    return {"seconds": seconds, "records": len(chosen), "peak_mb": peak_mb(),
            "findings": [list(f) for f in found], "focus": sorted(focus)}


def sheet(rows: int, work: str) -> Result:
    from bench.generate import generate_sheet
    from migrmeta.formats.forms import answers, check
    from migrmeta.formats.forms import sheet as sheets
    from migrmeta.load.reference import load_reference
    from migrmeta.validation.prepared import prepare

    path, catalogue = generate_sheet(rows, Path(work))
    prepare()
    spent = [0.0]
    original = answers.check_graphs

    def timed_check(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - start

    check.check_graphs = timed_check  # type: ignore[assignment]
    start = time.perf_counter()
    result = sheets.import_sheet(path, load_reference(), catalogue=answers.load_catalogue(catalogue))
    library_s = time.perf_counter() - start
    out = Path(work) / "out"
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "migrmeta", "import", "sheet", str(path), "-o", str(out),
                           "--catalogue", str(catalogue)], capture_output=True, env=_env())
    cli_s = time.perf_counter() - start
    return {"rows": len(result.rows), "ok": sum(r.ok for r in result.rows), "library": library_s,
            "validation": spent[0], "cli": cli_s, "cli_code": done.returncode,
            "written": len(list(out.glob("*.ttl")))}


def growth(small: str, large: str, queries: list[str]) -> Result:
    """The given queries on both catalogues in one process, interleaved, best of 5 (CPU time):
    runs minutes apart on a shared machine differ by more than the data does."""
    from migrmeta.load import read_raw
    from migrmeta.rdf.reader import load_into
    from migrmeta.validation import compiled as engine
    from migrmeta.validation.inputs import input_names
    from migrmeta.validation.prepared import prepare

    ready = prepare()
    stores = []
    for folder in (small, large):
        store = engine.new_store(ready)
        for index, name in enumerate(n for n in input_names([folder]) if isinstance(n, str)):
            source, data, syntax = read_raw(name)
            load_into(store, data, source, syntax, engine.record_graph(index))
        stores.append(store)
    best: list[list[float]] = [[9e9, 9e9] for _ in queries]
    for _ in range(5):
        for number, query in enumerate(queries):
            for side, store in enumerate(stores):
                start = time.process_time()
                list(store.query(query, use_default_graph_as_union=True))  # type: ignore[arg-type]
                best[number][side] = min(best[number][side], time.process_time() - start)
    return {"best": best}


CHILDREN = {"compiled": compiled, "batch": batch, "whole_graph": whole_graph, "sheet": sheet, "growth": growth}


def child(kind: str, **params: Any) -> Result:
    done = subprocess.run([sys.executable, __file__, "--child", kind, json.dumps(params)],
                          capture_output=True, text=True, env=_env())
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"}


# --- one record in a cold process ---------------------------------------------------------------


def cold(cache_home: Path, runs: int = 5) -> Result:
    # as an installed migrmeta runs: pip writes the bytecode at install, so a machine that
    # forbids writing it (PYTHONDONTWRITEBYTECODE) would time Python's compiler, 0.1 s a run
    env = {k: v for k, v in _env().items() if k != "PYTHONDONTWRITEBYTECODE"} | {"XDG_CACHE_HOME": str(cache_home)}
    library = [sys.executable, "-c", "from migrmeta.validation.runner import validate; "
               f"validate([{str(ONE)!r}], cache=False)"]
    command = [sys.executable, "-m", "migrmeta", "validate", "--no-cache", "-q", str(ONE)]
    empty = [sys.executable, "-c", "pass"]
    subprocess.run(library, check=True, env=env, capture_output=True)  # compiles once; kept on disk, with the bytecode
    out: Result = {}
    for name, argv in (("python", empty), ("library", library), ("cli", command)):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(argv, check=name != "cli", env=env, capture_output=True)
            times.append(time.perf_counter() - start)
        out[name] = {"median": statistics.median(times), "min": min(times)}
    return out


# --- the report -------------------------------------------------------------------------------


def short(query: str) -> str:
    text = " ".join(query.split())
    return text if len(text) <= 110 else text[:50] + " ... " + text[-55:]


def line(label: str, seconds: float, goal: str = "", note: str = "") -> None:
    print(f"  {label:<58} {seconds:9.2f} s  {goal:<12} {note}")


def run_size(size: int, args: argparse.Namespace, work: Path, turbo: bool) -> Result:
    from bench.generate import generate_catalogue

    records = work / f"catalogue-{size}"
    generate_catalogue(size, records, seed=args.seed)
    out: Result = {"size": size, "compiled": child("compiled", records=str(records), cache=str(work / f"c{size}"))}
    ours = out["compiled"]
    print(f"\n{size} records ({ours['violations']} violations, {ours['warnings']} warnings), "
          f"peak memory {ours['pss_mb']:.0f} MB (the processes' summed PSS, sampled; upper bound from "
          f"getrusage {ours['peak_mb']:.0f} MB)", flush=True)
    line("compiled engine, full, empty cache", ours["full"], "", f"{size / ours['full']:.0f} records/s")
    line("compiled engine, after one record changed", ours["incremental"], "",
         f"revalidated {ours['revalidated']}")
    if size <= args.batch_max and not args.no_baselines:
        theirs = out["batch"] = child("batch", records=str(records), cache=str(work / f"b{size}"))
        line("today's engine (--engine pyshacl, batches, 2 processes)", theirs["full"], "",
             f"compiled x{theirs['full'] / ours['full']:.0f}; same findings: {theirs['digest'] == ours['digest']}")
    libraries = [] if args.no_baselines else ["pyshacl", *(["turbo"] if turbo else [])]
    for library in libraries:
        base = out[library] = child("whole_graph", records=str(records), sample=args.sample, seed=args.seed,
                                    library=library)
        rate = base["records"] / base["seconds"]
        focus = set(base["focus"])
        same = sorted({tuple(f) for f in ours["shacl"] if f[0] in focus}) == sorted(map(tuple, base["findings"]))
        line(f"{library}: whole graph, sample of {base['records']} records", base["seconds"], "",
             f"{rate:.1f} records/s; compiled x{size / ours['full'] / rate:.0f}; same findings: {same}")
    if turbo and size <= args.turbo_max and not args.no_baselines:
        whole = out["turbo-whole"] = child("whole_graph", records=str(records), sample=0, seed=args.seed,
                                           library="turbo")
        line("turbo: whole graph, every record", whole["seconds"], "",
             f"compiled x{whole['seconds'] / ours['full']:.1f}")
    print("  slowest compiled queries:")
    for query, seconds in sorted(ours["queries"].items(), key=lambda q: -q[1])[:5]:
        print(f"    {seconds * 1000:8.1f} ms  {short(query)}")
    return out


def ratios(runs: list[Result], work: Path) -> None:
    for small, large in itertools.pairwise(runs):
        ql = large["compiled"]["queries"]
        growth_factor = large["size"] / small["size"]
        top = sorted(ql, key=lambda q: -ql[q])[:5]
        print(f"\n{small['size']} -> {large['size']} records (x{growth_factor:.0f}): full validation "
              f"x{large['compiled']['full'] / small['compiled']['full']:.1f}; the slowest five queries at "
              f"{large['size']}, on both catalogues in one process, best of 5 (goal: ratio <= 15):")
        found = child("growth", small=str(work / f"catalogue-{small['size']}"),
                      large=str(work / f"catalogue-{large['size']}"), queries=top)
        for query, (before, after) in zip(top, found["best"], strict=True):
            print(f"    x{after / before:5.1f}  {before * 1000:7.1f} ms -> {after * 1000:7.1f} ms  {short(query)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated catalogue sizes")
    parser.add_argument("--sample", type=int, default=200, help="records pySHACL (whole graph) validates")
    parser.add_argument("--batch-max", type=int, default=10_000, help="largest size for today's engine")
    parser.add_argument("--turbo-max", type=int, default=1000, help="largest size for turbo on every record")
    parser.add_argument("--sheet-rows", type=int, default=1000, help="rows of the sheet to import (0: none)")
    parser.add_argument("--no-baselines", action="store_true", help="the compiled engine only (e.g. at 100,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child[0]](**json.loads(args.child[1]))))
        return
    try:
        import pyshacl_turbo  # noqa: F401
        turbo = True
    except ImportError:
        turbo = False
        print("pyshacl-turbo is not installed (pip install pyshacl-turbo): its rows are left out")
    with tempfile.TemporaryDirectory(prefix="migrmeta-bench-") as tmp:
        work = Path(tmp)
        runs = [run_size(int(s), args, work, turbo) for s in args.sizes.split(",")]
        ratios(runs, work)
        start = cold(work / "xdg")
        print(f"\none record, cold process (compiled shapes on disk), median of 5 "
              f"(python alone: {start['python']['median']:.2f} s):")
        line("library: python -c 'validate([one], cache=False)'", start["library"]["median"], "goal 0.5 s",
             f"min {start['library']['min']:.2f} s")
        line("CLI: migrmeta validate --no-cache one.ttl", start["cli"]["median"], "goal 0.5 s",
             f"min {start['cli']['min']:.2f} s")
        if args.sheet_rows:
            rows = child("sheet", rows=args.sheet_rows, work=str(work / "sheet"))
            print(f"\nimport sheet, {rows['rows']} rows ({rows['ok']} without problems):")
            line("library: import_sheet()", rows["library"], "goal 5 s",
                 f"of which validation {rows['validation']:.2f} s")
            line("CLI: migrmeta import sheet (writes the records)", rows["cli"], "",
                 f"exit {rows['cli_code']}, {rows['written']} written")


if __name__ == "__main__":
    main()
