"""The validation cache can never fail a run (issue 13, row 4).

Each test damages the cache in one way (bad JSON in a valid SQLite file, another payload
shape, another schema, a truncated file, a folder where the file should be, a folder that
cannot be written), then validates: the run gives the same findings as without a cache,
says so once, and the next run finds a working cache again.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from paths import REPO
from unprivileged import command

from migrmeta.cli import main
from migrmeta.validation.cache import FILE_NAME, SCHEMA
from migrmeta.validation.runner import Report, validate

RECORD = REPO / "records" / "gb-ips.ttl"


@pytest.fixture
def records(tmp_path: Path) -> Path:
    """Two records: one conforming, one with a violation (a country code that is not one)."""
    folder = tmp_path / "records"
    folder.mkdir()
    text = RECORD.read_text(encoding="utf-8")
    (folder / "gb-ips.ttl").write_text(text, encoding="utf-8")
    bad = text.replace("dct:spatial country:GBR", "dct:spatial country:SN").replace("gb-ips", "gb-ips-bad")
    (folder / "gb-ips-bad.ttl").write_text(bad, encoding="utf-8")
    return folder


def findings(report: Report) -> list[dict[str, object]]:
    return [f.to_json() for f in report.findings]


def fresh(records: Path) -> list[dict[str, object]]:
    report = validate([records], cache=False)
    assert report.count("violation") >= 1
    return findings(report)


def entries(cache: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(cache / FILE_NAME) as db:
        return list(db.execute("SELECT key, payload FROM outcome"))


def damage_payloads(cache: Path, payload: str) -> None:
    with sqlite3.connect(cache / FILE_NAME) as db:
        db.execute("UPDATE outcome SET payload = ?", (payload,))


def check_recovers(records: Path, cache: Path, expected: list[dict[str, object]], said: str) -> None:
    """A run over the damaged cache: right findings, one notice; the next run: no notice, all cached."""
    damaged = validate([records], cache_dir=cache)
    assert findings(damaged) == expected
    assert len(damaged.notices) == 1 and said in damaged.notices[0] and str(cache) in damaged.notices[0]
    again = validate([records], cache_dir=cache)
    assert findings(again) == expected and again.notices == []
    assert all(r.cached for r in again.records)


@pytest.mark.parametrize("payload", ["{not json", "null", "[1, 2]", '{"results": 5}',
                                     '{"sha256": "x", "results": [], "summary": {"surveys": 3}}'])
def test_an_entry_that_is_not_an_outcome_is_redone_and_rewritten(records: Path, tmp_path: Path, payload: str) -> None:
    expected = fresh(records)
    cache = tmp_path / "cache"
    validate([records], cache_dir=cache)
    damage_payloads(cache, payload)
    check_recovers(records, cache, expected, "entries that are not outcomes")
    assert all(json.loads(p) != json.loads(payload) if payload != "{not json" else True for _, p in entries(cache))


def test_a_database_of_another_schema_is_rebuilt(records: Path, tmp_path: Path) -> None:
    expected = fresh(records)
    cache = tmp_path / "cache"
    cache.mkdir()
    with sqlite3.connect(cache / FILE_NAME) as db:
        db.execute("CREATE TABLE outcome (key TEXT, value BLOB, added REAL)")
        db.execute("INSERT INTO outcome VALUES ('k', x'00', 1.0)")
    check_recovers(records, cache, expected, "another version")
    with sqlite3.connect(cache / FILE_NAME) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA


def test_a_cache_of_another_version_is_rebuilt(records: Path, tmp_path: Path) -> None:
    expected = fresh(records)
    cache = tmp_path / "cache"
    validate([records], cache_dir=cache)
    with sqlite3.connect(cache / FILE_NAME) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA + 7}")
    check_recovers(records, cache, expected, "another version")


@pytest.mark.parametrize("keep", [0, 100, 3000])
def test_a_truncated_or_foreign_file_is_rebuilt(records: Path, tmp_path: Path, keep: int) -> None:
    expected = fresh(records)
    cache = tmp_path / "cache"
    validate([records], cache_dir=cache)
    path = cache / FILE_NAME
    data = path.read_bytes()
    path.write_bytes(data[:keep] if keep else b"this is not a database, it is a note\n" * 20)
    damaged = validate([records], cache_dir=cache)
    assert findings(damaged) == expected
    assert len(damaged.notices) <= 1  # a cut that keeps every page SQLite reads may go unnoticed
    again = validate([records], cache_dir=cache)
    assert findings(again) == expected and again.notices == [] and all(r.cached for r in again.records)


def test_a_folder_where_the_file_should_be_is_left_alone(records: Path, tmp_path: Path) -> None:
    expected = fresh(records)
    cache = tmp_path / "cache"
    (cache / FILE_NAME).mkdir(parents=True)
    (cache / FILE_NAME / "someone's.txt").write_text("kept", encoding="utf-8")
    for _ in range(2):
        report = validate([records], cache_dir=cache)
        assert findings(report) == expected
        assert len(report.notices) == 1 and "cannot be used" in report.notices[0]
    assert (cache / FILE_NAME / "someone's.txt").read_text(encoding="utf-8") == "kept"


def test_the_cli_says_it_once_and_exits_as_without_cache(records: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "cache"
    validate([records], cache_dir=cache)
    damage_payloads(cache, "{not json")
    with pytest.raises(SystemExit) as exited:
        main(["validate", "--cache-dir", str(cache), str(records)])
    err = capsys.readouterr().err
    assert exited.value.code == 1  # the violation, as without a cache
    assert err.count("warning: the validation cache") == 1 and "Traceback" not in err


def test_a_cache_that_cannot_be_written_costs_time_only(records: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o555)
    try:
        done = command("validate", "--cache-dir", str(cache), "--format", "json", str(records))
    finally:
        cache.chmod(0o755)
    assert done.returncode == 1, done.stderr  # the violation
    assert done.stderr.count("warning: the validation cache") == 1 and "Traceback" not in done.stderr
    assert {r["source"] for r in json.loads(done.stdout)["records"]} == {str(records / "gb-ips.ttl"),
                                                                         str(records / "gb-ips-bad.ttl")}


def test_a_cached_outcome_holds_only_under_the_limits_it_was_read_with(tmp_path: Path) -> None:
    """A record refused for its nesting is read when `--limit depth` is raised, and refused again
    under the default, though its bytes and the shapes did not change: the reading limits are
    part of the cache key (and of the run's memo)."""
    from migrmeta.limits import Limits, using

    deep = tmp_path / "deep.jsonld"
    nested = "".join('{"https://example.org/a": ' for _ in range(40)) + '"x"' + "}" * 40
    deep.write_text('{"@id": "https://example.org/s", "https://example.org/a": ' + nested + "}", encoding="utf-8")
    cache = tmp_path / "cache"
    assert validate([deep], cache_dir=cache).exit_code() == 3
    with using(Limits(depth=64)):
        assert validate([deep], cache_dir=cache).exit_code() == 0
    assert validate([deep], cache_dir=cache).exit_code() == 3


def test_raising_the_file_size_limit_keeps_the_cached_outcomes(tmp_path: Path) -> None:
    """A file over `file_mb` is refused before its outcome is looked for: the limit is no part
    of the outcomes' keys, and raising it for one large file revalidates nothing else."""
    from migrmeta.limits import Limits, using

    cache = tmp_path / "cache"
    record = REPO / "records" / "mafe.ttl"
    assert validate([record], cache_dir=cache).revalidated == 2  # and agencies.ttl beside it
    with using(Limits(file_mb=100)):
        assert validate([record], cache_dir=cache).revalidated == 0


def test_an_edited_checkout_never_reads_the_outcomes_of_the_code_before(records: Path, tmp_path: Path) -> None:
    """A developer edits a message in a checkout, the version unchanged: the next run with the
    same cache words the finding the new way (the outcomes and the run's memo are keyed by the
    package's files, not only its version)."""
    import shutil
    import subprocess
    import sys

    checkout = tmp_path / "checkout"
    shutil.copytree(REPO / "migrmeta", checkout / "migrmeta", ignore=shutil.ignore_patterns("__pycache__"))
    for data in ("ontology", "shapes"):
        (checkout / data).symlink_to(REPO / data)
    cache = tmp_path / "cache"
    record = records / "gb-ips-bad.ttl"
    os.utime(record, (1_700_000_000, 1_700_000_000))  # not "racily clean": the memo keeps its findings

    def run() -> str:
        done = subprocess.run([sys.executable, "-m", "migrmeta", "validate", "--cache-dir", str(cache),
                               str(record)], capture_output=True, text=True, check=False,
                              cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(checkout)}, timeout=300)
        assert done.returncode == 1, done.stderr
        return done.stdout

    assert "did you mean 'SEN'?" in run()
    messages = checkout / "migrmeta" / "messages.toml"
    text = messages.read_text(encoding="utf-8")
    messages.write_text(text.replace('en = "did you mean {suggestions}?"', 'en = "perhaps {suggestions}?"'),
                        encoding="utf-8")
    assert "perhaps 'SEN'?" in run()


def test_an_unreadable_copy_is_named_as_itself_not_as_the_file_cached_first(tmp_path: Path) -> None:
    """The cache is keyed by content: a draft copied under another name (the first one deleted)
    was told `draft-v1.ttl:3: syntax error`; an unreadable file's error, which names the file
    (and its hint, the command to convert it), is found again each run instead."""
    first, second = tmp_path / "draft-v1.ttl", tmp_path / "draft-v2.ttl"
    first.write_text('<https://x.org/s> <https://x.org/p> "a"\n<https://x.org/t> <https://x.org/p> "c" .\n',
                     encoding="utf-8")
    cache = tmp_path / "cache"
    assert [f.source for f in validate([first], cache_dir=cache).findings] == [str(first)]
    first.rename(second)
    report = validate([second], cache_dir=cache)
    assert [(f.source, f.line) for f in report.findings] == [(str(second), 2)]
    from migrmeta.validation.render import render_json

    assert str(first) not in render_json(report)
