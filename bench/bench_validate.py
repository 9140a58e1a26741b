"""Validation speed: migrmeta against plain pySHACL on the whole merged graph, in one run.

    python bench/bench_validate.py                 # 1,000 and 10,000 records
    python bench/bench_validate.py --sizes 1000 --baseline-sample 0   # baseline on every record

For each size it generates a synthetic catalogue (bench/generate.py: real vocabularies, ~10%
of records with a typical mistake) and prints records per second for

- baseline: pySHACL's `validate()` on the merged graph of all records plus the reference data
  (ontology, vocabularies, countries), with the project's shapes;
- migrmeta full: `migrmeta.validate()` with an empty cache (batches, worker processes);
- migrmeta incremental: the same after one record changed (the cache holds the rest);

and checks that migrmeta's findings equal the baseline's (blank nodes aside). Plain pySHACL
parses every SPARQL constraint again for every focus node, so on 10,000 records it runs for
hours: by default the baseline validates the merged graph of a random sample of the records
(`--baseline-sample`; a smaller graph than the whole catalogue, which can only flatter the
baseline) and its rate is measured on that sample; the findings are compared on the sample.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyshacl
from rdflib import Graph, URIRef

import migrmeta
from bench.generate import generate_catalogue, touch_one
from migrmeta.load import read_input
from migrmeta.load.reference import load_reference
from migrmeta.namespaces import PREFIXES, RDF, SH
from migrmeta.validation.checks import comparable, to_raw


def baseline(paths: list[Path], sample: int, seed: int) -> tuple[float, int, set[tuple[str, ...]], set[str]]:
    """Plain pySHACL on a merged graph; returns (seconds, records checked, findings, focus set).

    With a sample, the merged graph holds the sampled records (and all agencies and reference
    data): a smaller graph than the whole catalogue, so the baseline's rate is, if anything,
    flattered. (pySHACL's `focus_nodes` option is not used: it skips nested sh:node checks.)
    """
    reference = load_reference()
    chosen = paths
    if sample and sample < len(paths):
        chosen = sorted(random.Random(seed).sample(paths, sample))
    merged = Graph()
    for triple in reference.graph:
        merged.add(triple)
    surveys: set[str] = set()
    for path in [*chosen, paths[0].parent / "agencies.ttl"]:
        record = read_input(str(path))
        for triple in record.graph:
            merged.add(triple)
        surveys.update(str(s) for s in record.graph.subjects(RDF.type, URIRef("https://w3id.org/migrmeta/ns#Survey")))
    start = time.perf_counter()
    _, report, _ = pyshacl.validate(merged, shacl_graph=reference.shapes, allow_warnings=True, inplace=True)
    seconds = time.perf_counter() - start
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        raw = to_raw(report, result)
        if raw.focus.value in surveys:
            found.add(comparable(raw))
    return seconds, len(chosen), found, surveys


def migrmeta_findings(report: migrmeta.Report, focus: set[str]) -> set[tuple[str, ...]]:
    """migrmeta's SHACL findings, in the baseline's terms, for the given focus nodes."""
    found = set()
    for record in report.records:
        outcome_findings = [f for f in record.findings if f.check == "shacl" and f.focus in focus]
        for f in outcome_findings:
            path = f.path
            if path and ":" in path and not path.startswith("http"):
                prefix, local = path.split(":", 1)
                path = str(PREFIXES[prefix]) + local
            value = "_:" if f.term is None or f.term.kind == "bnode" else f.term.value
            found.add((f.focus or "_:", f.severity, f.shape or "", path or "", f.component or "", value))
    return found


def run(size: int, sample: int, seed: int, jobs: int | None) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"migrmeta-bench-{size}-"))
    try:
        paths = generate_catalogue(size, work / "records", seed=seed)
        cache = work / "cache"
        load_reference()  # parse the reference data once, outside every timing

        start = time.perf_counter()
        full = migrmeta.validate([work / "records"], cache_dir=cache, jobs=jobs)
        full_s = time.perf_counter() - start

        touch_one(paths[size // 2])
        start = time.perf_counter()
        incremental = migrmeta.validate([work / "records"], cache_dir=cache, jobs=jobs)
        incr_s = time.perf_counter() - start

        base_s, base_n, base_found, focus = baseline(paths, sample, seed)
        ours = migrmeta_findings(full, focus)
        rate = {"baseline": base_n / base_s, "full": size / full_s, "incremental": size / incr_s}
        print(f"\n{size} records ({full.count('violation')} violations, {full.count('warning')} warnings)")
        label = f"baseline: pySHACL, merged graph ({base_n} records checked)"
        print(f"  {label:<52} {rate['baseline']:>10.1f} records/s   {base_s:8.1f} s")
        print(f"  {'migrmeta full (empty cache)':<52} {rate['full']:>10.1f} records/s   {full_s:8.1f} s"
              f"   x{rate['full'] / rate['baseline']:.1f} baseline")
        print(f"  {'migrmeta after one changed record':<52} {rate['incremental']:>10.1f} records/s   {incr_s:8.1f} s"
              f"   x{rate['incremental'] / rate['full']:.1f} full   (revalidated {incremental.revalidated})")
        same = ours == base_found
        print(f"  findings equal to the baseline's on the {len(focus)} records checked: {same}"
              f" ({len(base_found)} baseline, {len(ours)} migrmeta)")
        if not same:
            for extra in sorted(ours - base_found)[:5]:
                print("    only migrmeta:", extra)
            for missing in sorted(base_found - ours)[:5]:
                print("    only baseline:", missing)
            raise SystemExit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated catalogue sizes")
    parser.add_argument("--baseline-sample", type=int, default=200,
                        help="records whose focus nodes the baseline validates (0: all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=None, help="migrmeta worker processes (default: CPUs)")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        run(size, args.baseline_sample, args.seed, args.jobs)


if __name__ == "__main__":
    main()
