"""Publish is atomic under SIGKILL at any instant, serialised, and leaves no litter (issue 13, rows 3 and 8).

The publish code kills itself at a named step when MIGRMETA_TEST_KILL_AT says so
(`migrmeta.io.folders.STEPS`). For every step, a publish of a new catalogue over an old
site is killed there; `-o` must then hold the old site or the new one, byte for byte, and
the next publish must leave the new site and nothing else beside it. The same for the
fallback used where the system cannot exchange two folders (there the one window, between
two renames, is shown and repaired by the next run). Concurrent publishes are serialised
by a lock, and the one that waits or gives up says so.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from paths import REPO
from unprivileged import migrmeta

from migrmeta.io.folders import KILL_AT, MARKER, STEPS
from migrmeta.publishing.changelog import release_file_names

RECORDS = REPO / "records"
OLD = ("agencies.ttl", "mafe.ttl")
NEW = ("agencies.ttl", "mafe.ttl", "wb-amp.ttl")
# the same command, where the system cannot exchange two folders (macOS, NFS): the fallback
NO_EXCHANGE = ("import sys, migrmeta.io.folders as f; f.exchange = lambda a, b: False; "
               "from migrmeta.cli import main; sys.argv[0] = 'migrmeta'; main(sys.argv[1:])")


def records(tmp_path: Path, name: str, files: tuple[str, ...]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for file in files:
        shutil.copy(RECORDS / file, folder / file)
    return folder


def publish(tmp_path: Path, source: Path, site: Path, *extra: str, kill_at: str | None = None,
            exchange: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != KILL_AT}
    if kill_at:
        env[KILL_AT] = kill_at
    program = [migrmeta()] if exchange else [sys.executable, "-c", NO_EXCHANGE]
    return subprocess.run([*program, "publish", "--cache-dir", str(tmp_path / "cache"), "-o", str(site),
                           str(source), *extra], capture_output=True, text=True, env=env, timeout=900, check=False)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}."))


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, dict[str, bytes], dict[str, bytes]]]:
    """The old and the new catalogue's records, and the sites each gives when published undisturbed:
    the old one, and the new one over the old (its changelog says what changed since)."""
    tmp = tmp_path_factory.mktemp("atomic")
    old, new = records(tmp, "old-records", OLD), records(tmp, "new-records", NEW)
    for source, name in ((old, "old-site"), (old, "new-site"), (new, "new-site")):
        done = publish(tmp, source, tmp / name)
        assert done.returncode == 0, done.stderr
    old_tree, new_tree = tree(tmp / "old-site"), tree(tmp / "new-site")
    assert old_tree != new_tree and MARKER in old_tree
    yield old, new, old_tree, new_tree


def old_site(tmp_path: Path, old: Path) -> Path:
    site = tmp_path / "www" / "site"
    assert publish(tmp_path, old, site).returncode == 0
    return site


@pytest.mark.parametrize("step", STEPS)
def test_killed_at_any_step_the_site_is_old_or_new_and_the_next_run_cleans_up(
        sites: tuple[Path, Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path, step: str) -> None:
    old, new, old_tree, new_tree = sites
    site = old_site(tmp_path, old)
    killed = publish(tmp_path, new, site, kill_at=step)
    if step == "aside":  # only the fallback goes there: with an exchange the run ends normally
        assert killed.returncode == 0, killed.stderr
    else:
        assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert tree(site) in (old_tree, new_tree)  # whole, the old one or the new one
    expected = new_tree if step in ("swapped", "cleaned", "aside") else old_tree
    assert tree(site) == expected
    again = publish(tmp_path, new, site)
    assert again.returncode == 0, again.stderr
    assert tree(site) == new_tree and leftovers(site) == []


@pytest.mark.parametrize("step", ["aside", "swapped"])  # the steps only the fallback has its own way of taking
def test_without_an_atomic_exchange_the_next_run_repairs_the_one_window(
        sites: tuple[Path, Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path, step: str) -> None:
    old, new, old_tree, new_tree = sites
    site = old_site(tmp_path, old)
    killed = publish(tmp_path, new, site, kill_at=step, exchange=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    if step == "aside":  # between the two renames: the documented window (docs/reliability.md)
        assert not site.exists()
    else:
        assert tree(site) == (new_tree if step in ("swapped", "cleaned") else old_tree)
    empty = tmp_path / "no-records"
    empty.mkdir()
    refused = publish(tmp_path, empty, site, exchange=False)
    assert refused.returncode == 3, refused.stderr  # even a run that writes nothing puts the old site back first
    assert tree(site) in (old_tree, new_tree) and leftovers(site) == []
    again = publish(tmp_path, new, site, exchange=False)
    assert again.returncode == 0, again.stderr
    assert tree(site) == new_tree and leftovers(site) == []


def test_leftovers_of_earlier_runs_are_removed_only_if_ours(
        sites: tuple[Path, Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path) -> None:
    old, new, _, new_tree = sites
    site = old_site(tmp_path, old)
    for name, marked in ((".site.abcdefgh.tmp", True), (".site.0123456_.old", True),
                         (".site.zzzzzzzz.tmp", False), (".site.x.abcdefgh.tmp", True)):
        folder = site.parent / name
        (folder / "surveys").mkdir(parents=True)
        (folder / "surveys" / "big.bin").write_bytes(b"\0" * 1_000_000)
        if marked:
            (folder / MARKER).write_text("written by migrmeta\n", encoding="utf-8")
    (site.parent / ".site.qwertyui.tmp").mkdir()  # killed between making it and marking it: empty
    done = publish(tmp_path, new, site)
    assert done.returncode == 0, done.stderr
    # ours removed (marked, or empty); an unmarked folder with content, and another site's (".site.x"), kept
    assert leftovers(site) == [".site.x.abcdefgh.tmp", ".site.zzzzzzzz.tmp"]
    assert tree(site) == new_tree


def test_a_folder_that_is_not_a_site_is_replaced_only_with_force(
        sites: tuple[Path, Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path) -> None:
    _, new, _, new_tree = sites
    site = tmp_path / "documents"
    site.mkdir()
    (site / "thesis.odt").write_bytes(b"years of work")
    refused = publish(tmp_path, new, site)
    assert refused.returncode == 1 and "is not a site written by migrmeta" in refused.stderr
    assert "--force" in refused.stderr and tree(site) == {"thesis.odt": b"years of work"}
    forced = publish(tmp_path, new, site, "--force")
    assert forced.returncode == 0, forced.stderr
    first = publish(tmp_path, new, tmp_path / "first")  # a first release: nothing changed before it
    assert first.returncode == 0 and tree(site) == tree(tmp_path / "first")
    assert new_tree.keys() == tree(site).keys()


def test_a_publish_waits_for_another_or_gives_up_saying_so(
        sites: tuple[Path, Path, dict[str, bytes], dict[str, bytes]], tmp_path: Path) -> None:
    old, new, old_tree, new_tree = sites
    site = old_site(tmp_path, old)
    lock = os.open(site.parent / ".site.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX)  # another publish is writing the site
    os.write(lock, b"4242\n")
    try:
        gave_up = publish(tmp_path, new, site, "--wait", "0")
        assert gave_up.returncode == 1
        assert "another migrmeta run (process 4242) is writing" in gave_up.stderr
        assert "nothing was written" in gave_up.stderr and "--wait SECONDS" in gave_up.stderr
        assert tree(site) == old_tree
        waiting = subprocess.Popen([migrmeta(), "publish", "--cache-dir", str(tmp_path / "cache"), "-o", str(site),
                                    str(new), "--wait", "900"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)
        assert waiting.stderr is not None
        line = waiting.stderr.readline()  # said when it starts to wait, not before
        assert "waiting for another migrmeta run (process 4242) to finish writing" in line
        assert tree(site) == old_tree
    finally:
        os.close(lock)  # the other publish ends
    assert waiting.wait(timeout=900) == 0
    assert tree(site) == new_tree and leftovers(site) == []


def test_racing_publishes_are_serialised(sites: tuple[Path, Path, dict[str, bytes], dict[str, bytes]],
                                         tmp_path: Path) -> None:
    old, new, old_tree, new_tree = sites
    site = old_site(tmp_path, old)
    runs = [subprocess.Popen([migrmeta(), "publish", "--cache-dir", str(tmp_path / "cache"), "-o", str(site),
                              str(source), "--wait", "900"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for source in (new, old, new)]
    results = [run.communicate(timeout=900) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], results
    assert not any("Directory not empty" in err for _, err in results)
    # Each run tells what changed since the site it replaced, read under the lock: after three
    # runs the changelog lists more than an undisturbed run's; every other file is one run's.
    release_files = release_file_names()
    final = tree(site)
    one_run = next(t for t in (old_tree, new_tree) if t["catalog.ttl"] == final["catalog.ttl"])
    assert {n: b for n, b in final.items() if n not in release_files} == \
        {n: b for n, b in one_run.items() if n not in release_files}
    assert json.loads(final["release.json"])["surveys"] == json.loads(one_run["release.json"])["surveys"]
    assert leftovers(site) == []
