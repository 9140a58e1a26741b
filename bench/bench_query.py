"""Saved questions: the embedded store (pyoxigraph) against rdflib's SPARQL engine, in one run.

    python bench/bench_query.py                          # 10,000 and 100,000 records
    python bench/bench_query.py --sizes 1000 --repeat 5 --budget 30

For each size it generates a synthetic catalogue (bench/generate.py, kept in --work for the
next run) and loads it twice, with the reference data (ontology, vocabularies, countries):

- migrmeta: `EmbeddedStore` (pyoxigraph), one named graph per record, the default graph
  being their union, exactly as `migrmeta query` runs;
- baseline: one rdflib `Graph` holding every triple (rdflib's most favourable setting: no
  dataset, no union of graphs) queried with rdflib's SPARQL engine.

Every saved question runs with its default parameters, the same text on both engines (the
parameters bound in a VALUES block, as `migrmeta query` sends them). It prints the median
of --repeat runs, the ratio rdflib / pyoxigraph, and the number of rows from each engine
(which must agree). rdflib is slow on 100,000 records: each of its runs is bounded by
--budget seconds (SIGALRM, which interrupts rdflib's pure-Python evaluation); a run over
budget is shown as "> budget", its ratio as a lower bound, and the question is not run
again at that size.
"""

from __future__ import annotations

import argparse
import gc
import signal
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rdflib import Graph

from bench.generate import generate_catalogue
from migrmeta.querying.saved import inject_values, saved_queries
from migrmeta.querying.store import EmbeddedStore, read_catalogue, reference_graph
from migrmeta.rdf.terms import to_rdflib


class OverBudget(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise OverBudget


def timed(run: Callable[[], int], budget: float) -> tuple[float | None, int]:
    """(seconds or None when over budget, rows)."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, budget)
    start = time.perf_counter()
    try:
        rows = run()
        return time.perf_counter() - start, rows
    except OverBudget:
        return None, -1
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def catalogue(n: int, work: Path) -> Path:
    folder = work / f"catalogue-{n}"
    if len(list(folder.glob("syn-*.ttl"))) != n:
        started = time.perf_counter()
        generate_catalogue(n, folder, seed=0, invalid_share=0.0)
        print(f"  generated {n:,} records in {time.perf_counter() - started:.1f} s", flush=True)
    return folder


def load_both(folder: Path) -> tuple[EmbeddedStore, Graph, float, float, int]:
    graphs, errors = read_catalogue([str(folder)])
    if errors:
        raise SystemExit(f"unreadable synthetic records: {errors[0]}")
    graphs.append(reference_graph())
    started = time.perf_counter()
    store = EmbeddedStore()
    store.add(*graphs)
    oxigraph_load = time.perf_counter() - started
    started = time.perf_counter()
    merged = Graph()
    add = merged.add
    for graph in graphs:
        for t in graph.triples:
            add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    rdflib_load = time.perf_counter() - started
    return store, merged, oxigraph_load, rdflib_load, len(store)


def fmt(seconds: float | None, budget: float) -> str:
    return f"> {budget:.0f} s" if seconds is None else f"{seconds * 1000:,.1f} ms"


def bench_size(n: int, work: Path, repeat: int, budget: float) -> list[tuple[str, float, float | None, bool]]:
    print(f"\n{n:,} records", flush=True)
    store, merged, ox_load, rdf_load, triples = load_both(catalogue(n, work))
    print(f"  loaded {triples:,} triples: pyoxigraph {ox_load:.1f} s, rdflib {rdf_load:.1f} s "
          f"(ratio {rdf_load / ox_load:.1f})", flush=True)
    print(f"  {'question':<24} {'rows':>8} {'pyoxigraph':>12} {'rdflib':>12} {'ratio':>9}", flush=True)
    results = []
    for name, saved in saved_queries().items():
        text = inject_values(saved.text, saved.bind({}))

        def run_oxigraph(text: str = text, store: EmbeddedStore = store) -> int:
            return len(store.query(text).rows)

        def run_rdflib(text: str = text, merged: Graph = merged) -> int:
            return len(list(merged.query(text)))

        ox_times, ox_rows = [], 0
        for _ in range(repeat):
            seconds, ox_rows = timed(run_oxigraph, budget)
            ox_times.append(seconds if seconds is not None else budget)
        rdf_times: list[float] = []
        rdf_rows, over = 0, False
        for _ in range(repeat):
            gc.collect()
            seconds, rows = timed(run_rdflib, budget)
            if seconds is None:
                over = True
                break
            rdf_times.append(seconds)
            rdf_rows = rows
        ox_median = statistics.median(ox_times)
        rdf_median = None if over else statistics.median(rdf_times)
        ratio = (budget if over else rdf_median or 0.0) / ox_median
        agree = "" if over or rdf_rows == ox_rows else f"  ROWS DIFFER (rdflib {rdf_rows})"
        shown_ratio = f"{'>' if over else ''}{ratio:,.0f}x"
        print(f"  {name:<24} {ox_rows:>8,} {fmt(ox_median, budget):>12} {fmt(rdf_median, budget):>12} "
              f"{shown_ratio:>9}{agree}", flush=True)
        results.append((name, ox_median, rdf_median, over))
    del store, merged
    gc.collect()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per question and engine (median)")
    parser.add_argument("--budget", type=float, default=120.0, help="seconds allowed to one rdflib run")
    parser.add_argument("--work", type=Path, default=Path("bench/out"), help="where the catalogues are kept")
    args = parser.parse_args()
    print(f"saved questions on pyoxigraph (migrmeta's embedded store) and rdflib; median of {args.repeat} runs, "
          f"rdflib runs bounded by {args.budget:.0f} s")
    summary = {n: bench_size(n, args.work, args.repeat, args.budget) for n in args.sizes}
    print("\nmedian ratio rdflib / pyoxigraph over the saved questions:")
    for n, results in summary.items():
        ratios = [(args.budget if over else rdf or 0.0) / ox for _, ox, rdf, over in results]
        bounded = sum(1 for *_, over in results if over)
        note = f" ({bounded} over budget: lower bounds)" if bounded else ""
        print(f"  {n:>9,} records: {statistics.median(ratios):,.0f}x{note}")


if __name__ == "__main__":
    main()
