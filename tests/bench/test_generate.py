"""bench/generate.py's command line: the one way the docs tell to make a synthetic catalogue."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GENERATE = ROOT / "bench" / "generate.py"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(GENERATE), *args], capture_output=True, text=True, timeout=120)


def test_help_describes_the_arguments_instead_of_failing() -> None:
    done = _run("--help")
    assert done.returncode == 0, done.stderr
    assert "count" in done.stdout and "--seed" in done.stdout and "--invalid-share" in done.stdout


def test_a_count_that_is_not_a_number_is_a_usage_error_without_traceback() -> None:
    done = _run("many")
    assert done.returncode == 2
    assert "invalid int value: 'many'" in done.stderr and "Traceback" not in done.stderr


def test_the_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    for name in ("a", "b"):
        done = _run("12", str(tmp_path / name), "--seed", "3")
        assert done.returncode == 0, done.stderr
        assert "12 records and agencies.ttl" in done.stdout
    first = {p.name: p.read_bytes() for p in sorted((tmp_path / "a").iterdir())}
    second = {p.name: p.read_bytes() for p in sorted((tmp_path / "b").iterdir())}
    assert len(first) == 13 and first == second


def test_the_generated_agencies_conform_so_a_bench_publish_keeps_them(tmp_path: Path) -> None:
    """The agencies file meets shapes/agency.ttl (a kind, a country): `publish --skip-invalid`
    of a synthetic catalogue would otherwise leave it out, and the surveys' agencies undescribed."""
    from migrmeta.validation.runner import validate

    assert _run("5", str(tmp_path / "c")).returncode == 0
    report = validate([str(tmp_path / "c" / "agencies.ttl")], cache=False)
    assert report.conforms and report.count("violation") == 0 and len(report.records) == 1
