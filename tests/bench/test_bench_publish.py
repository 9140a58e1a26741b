"""bench/bench_publish.py --stages: the figures docs/performance.md reports come from it, so it
must keep running as the code it times is renamed (it patches functions of publishing/site.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench" / "bench_publish.py"


def test_the_stages_bench_times_every_stage_of_a_small_publish(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(BENCH), "--stages", "--records", "30", "--jobs", "1",
                           "--work", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    runs = [line for line in done.stdout.splitlines() if line.startswith("publish, ")]
    assert [r.split(":")[0] for r in runs] == [
        "publish, into an empty folder, empty validation cache", "publish, over the previous site, nothing changed",
        "publish, over the previous site, one record changed", "publish, into an empty folder, warm validation cache"]
    # with one job every stage runs in this process, so each instrumented stage shows up
    first = done.stdout.split("publish, over the previous site")[0]
    for stage in ("validation", "merge", "DCAT-AP profile", "serializations", "DDI and schema.org", "HTML pages"):
        assert f"  {stage} " in first, stage
