"""Start-up time of the command line: `migrmeta --help` and `migrmeta <cmd> --help`, against
`python -c pass` measured in the same run (goal: ≤ 0.3 s wall on a 2-CPU machine).

    python bench/bench_startup.py            # median of 7 runs each
    python bench/bench_startup.py --runs 15

Every command imports the library it needs inside its function (cli/__init__.py), so help
never pays for rdflib, pySHACL or pyoxigraph's store.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = [
    ["-c", "pass"],
    ["-m", "migrmeta", "--help"],
    ["-m", "migrmeta", "--version"],
    *(["-m", "migrmeta", *command.split(), "--help"] for command in (
        "validate", "publish", "merge", "query", "push", "import", "import ddi", "export schemaorg", "template",
        "new", "report", "harvest oai", "diff")),
]


def wall(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    baseline = wall(CASES[0], options.runs)
    print(f"{'command':<40} {'median s':>9} {'x python':>9}")
    print(f"{'python -c pass':<40} {baseline:>9.3f} {1:>9.1f}")
    worst = 0.0
    for case in CASES[1:]:
        seconds = wall(case, options.runs)
        worst = max(worst, seconds)
        print(f"{'migrmeta ' + ' '.join(case[2:]):<40} {seconds:>9.3f} {seconds / baseline:>9.1f}")
    print(f"slowest: {worst:.3f} s (goal 0.3 s)")


if __name__ == "__main__":
    main()
