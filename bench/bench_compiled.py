"""The compiled SHACL engine (migrmeta.shacl) on synthetic catalogues, with pySHACL as the yardstick.

    python bench/bench_compiled.py                       # 1,000 and 10,000 records
    python bench/bench_compiled.py --sizes 1000,10000,100000 --baseline 200

For each size, in a child process of its own (so its peak memory is its own): generate a
catalogue (bench/generate.py), load every record file into one pyoxigraph store with
pyoxigraph's parser (a named graph per file, queried as their union, as migrmeta will), load
the reference data, then validate with all the project's shapes. Prints load and evaluation
time, peak memory, and the five slowest compiled queries; then, across sizes, the ratio of
each of those queries' times (cost should grow with the data, not its square: goal <= 15 for
10x the records). The baseline is pySHACL's whole-graph validate() on `--baseline` records
(migrmeta's prepared-query patch on), in the same run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox

from bench.generate import generate_catalogue
from migrmeta.load.reference import load_reference, reference_files
from migrmeta.shacl import compile_shapes


def load(paths: list[Path]) -> ox.Store:
    """bulk_load, not load: a store filled by one transaction per file answers 2-5x slower
    at 10,000 files (oxigraph 0.5 keeps each quad's transaction range)."""
    store = ox.Store()
    for path in paths:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(path.as_uri()))
    return store


def one(size: int, seed: int) -> dict[str, object]:
    """Everything measured for one size (run in a child process)."""
    with tempfile.TemporaryDirectory(prefix=f"migrmeta-compiled-{size}-") as work:
        paths = generate_catalogue(size, Path(work), seed=seed)
        start = time.perf_counter()
        engine = compile_shapes(load_reference().shapes)
        compile_s = time.perf_counter() - start
        start = time.perf_counter()
        store = load([*reference_files(), *paths, Path(work) / "agencies.ttl"])
        load_s = time.perf_counter() - start
        start = time.perf_counter()
        results = engine.validate(store)
        validate_s = time.perf_counter() - start
    queries: dict[str, float] = {}
    for seconds, query in engine.timings:
        queries[query] = queries.get(query, 0.0) + seconds
    return {
        "size": size, "compile": compile_s, "load": load_s, "validate": validate_s,
        "results": len(results), "queries": queries, "fallback": len(engine.fallback_shapes),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def baseline(size: int, seed: int) -> dict[str, object]:
    """pySHACL, whole graph (records + reference data), as the differential test runs it."""
    import pyshacl
    from rdflib import Graph

    from migrmeta.validation.monkey.sparqlprep import prepared_queries

    reference = load_reference()
    with tempfile.TemporaryDirectory(prefix="migrmeta-baseline-") as work:
        paths = generate_catalogue(size, Path(work), seed=seed)
        data = Graph()
        for triple in reference.graph:
            data.add(triple)
        for path in [*paths, Path(work) / "agencies.ttl"]:
            data.parse(path, format="turtle")
        start = time.perf_counter()
        with prepared_queries():
            pyshacl.validate(data, shacl_graph=reference.shapes, allow_warnings=True, inplace=True)
        return {"size": size, "validate": time.perf_counter() - start}


def child(kind: str, size: int, seed: int) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--sizes", str(size), "--seed", str(seed)],
                         check=True, capture_output=True, text=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def short(query: str) -> str:
    text = " ".join(query.split())
    return text if len(text) <= 150 else text[:70] + " ... " + text[-75:]


def report(runs: list[dict[str, object]], base: dict[str, object] | None) -> None:
    for run in runs:
        size = int(run["size"])  # type: ignore[call-overload]
        per_s = size / float(run["validate"])  # type: ignore[arg-type]
        print(f"\n{size} records: {run['results']} results, {run['fallback']} shapes on pySHACL")
        print(f"  compile {run['compile']:.2f} s   load (pyoxigraph parser) {run['load']:.2f} s   "
              f"validate {run['validate']:.2f} s ({per_s:.0f} records/s)   peak {run['peak_mb']:.0f} MB")
        queries = run["queries"]
        assert isinstance(queries, dict)
        print("  slowest compiled queries:")
        for query, seconds in sorted(queries.items(), key=lambda q: -q[1])[:5]:
            print(f"    {seconds * 1000:9.1f} ms  {short(query)}")
    if base is not None:
        rate = float(base["size"]) / float(base["validate"])  # type: ignore[arg-type]
        print(f"\nbaseline: pySHACL whole graph, {base['size']} records: "
              f"{base['validate']:.1f} s ({rate:.1f} records/s)")
        for run in runs:
            ours = float(run["size"]) / float(run["validate"])  # type: ignore[arg-type]
            print(f"  engine at {run['size']} records: x{ours / rate:.0f} pySHACL's rate")
    for small, large in itertools.pairwise(runs):
        growth = float(large["size"]) / float(small["size"])  # type: ignore[arg-type]
        print(f"\n{small['size']} -> {large['size']} records (x{growth:.0f}): "
              f"validate x{float(large['validate']) / float(small['validate']):.1f}")  # type: ignore[arg-type]
        qs, ql = small["queries"], large["queries"]
        assert isinstance(qs, dict) and isinstance(ql, dict)
        for query, seconds in sorted(ql.items(), key=lambda q: -q[1])[:5]:
            before = qs.get(query)
            ratio = f"x{seconds / before:.1f}" if before else "new"
            print(f"    {ratio:>7}  {seconds * 1000:9.1f} ms  {short(query)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--baseline", type=int, default=200, help="records for the pySHACL run (0: none)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", choices=("engine", "baseline"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.child:
        measure = one if args.child == "engine" else baseline
        print(json.dumps(measure(sizes[0], args.seed)))
        return
    runs = [child("engine", size, args.seed) for size in sizes]
    base = child("baseline", args.baseline, args.seed) if args.baseline else None
    report(runs, base)


if __name__ == "__main__":
    main()
