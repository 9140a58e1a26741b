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


def test_the_budget_bench_times_each_writer_and_each_part(tmp_path: Path) -> None:
    """--budget: the breakdown docs/performance.md gives of the workers' CPU, writer by writer."""
    done = subprocess.run([sys.executable, str(BENCH), "--budget", "10", "--records", "30", "--work", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("a survey's files, 10 surveys: ") for line in lines), done.stdout
    for writer in ("Turtle", "JSON-LD", "N-Triples", "DDI", "schema.org JSON-LD", "quality score", "reuse key",
                   "pages and the rest"):
        assert any(line.startswith(f"  {writer} ") for line in lines), writer
    for part in ("release", "catalog.ttl", "catalog.nt", "catalog.jsonld", "catalog.trig", "pages", "void.ttl"):
        assert any(line.startswith(f"part {part} ") for line in lines), part


def test_the_whole_bench_runs_on_a_small_catalogue(tmp_path: Path) -> None:
    """The bench without --stages (its baselines, the pages' row) had been broken by a change of
    the pages' arguments, unseen: no test ran it."""
    done = subprocess.run([sys.executable, str(BENCH), "--records", "30", "--jsonld-sample", "5", "--work",
                           str(tmp_path)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "web pages, 3 languages" in done.stdout and "byte-identical: True" in done.stdout, done.stdout
