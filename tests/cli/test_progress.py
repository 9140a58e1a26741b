"""Progress of long commands (issue 14, item 10): the library reports through a callback, the
command line draws rich's bar on standard error, on a terminal only, and not with -q."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import RECORDS

from migrmeta.cli import cli
from migrmeta.validation.runner import validate


def test_validate_reports_each_batch_in_order_ending_at_the_total(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    validate([RECORDS], cache=False, jobs=1, progress=lambda *call: calls.append(call))
    assert calls and all(stage == "validating records" for stage, _, _ in calls)
    done = [d for _, d, _ in calls]
    assert done == sorted(done) and done[0] == 0
    assert calls[-1][1] == calls[-1][2] == len(list(RECORDS.glob("*.ttl")))
    again: list[tuple[str, int, int]] = []  # from the cache: counted at once
    validate([RECORDS], cache_dir=tmp_path, jobs=1)
    validate([RECORDS], cache_dir=tmp_path, jobs=1, progress=lambda *call: again.append(call))
    assert again[0][1] == again[0][2]


def test_import_and_export_report_their_units(tmp_path: Path) -> None:
    from migrmeta.formats.exporting import export_records

    calls: list[tuple[str, int, int]] = []
    export_records("schemaorg", [RECORDS], progress=lambda *call: calls.append(call))
    assert calls[-1] == ("exporting", len(list(RECORDS.glob("*.ttl"))), len(list(RECORDS.glob("*.ttl"))))


def _on_a_terminal(*args: str, cwd: Path) -> str:
    """Run migrmeta with its standard error on a pseudo-terminal; what was drawn there."""
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    process = subprocess.Popen([sys.executable, "-m", "migrmeta", *args], cwd=cwd, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed: the command is done
            break
        if not chunk:
            break
        drawn += chunk
    process.wait(timeout=600)
    os.close(leader)
    return drawn.decode("utf-8", "replace")


@pytest.mark.parametrize("quiet", [False, True])
def test_bar_on_a_terminal_only_and_not_with_quiet(tmp_path: Path, quiet: bool) -> None:
    shutil.copytree(RECORDS, tmp_path / "records")
    drawn = _on_a_terminal("validate", "--no-cache", "records", *(["-q"] if quiet else []), cwd=tmp_path)
    assert ("validating records" in drawn) is not quiet
    # not a terminal (as under CliRunner, or piped): nothing drawn
    result = CliRunner().invoke(cli, ["validate", "--no-cache", str(tmp_path / "records")])
    assert "validating records" not in result.output


def test_every_import_and_export_takes_q(tmp_path: Path) -> None:
    """README: `-q` turns the bar off for import and export: a script may give it to each of
    them (and to harvest), whether or not the command draws one."""
    import click

    context = click.Context(cli)
    for name in ("import", "export", "harvest"):
        group = cli.get_command(context, name)
        assert isinstance(group, click.Group)
        for sub in group.list_commands(context):
            command = group.get_command(context, sub)
            assert command is not None
            flags = {flag for p in command.params for flag in getattr(p, "opts", [])}
            assert {"-q", "--quiet"} <= flags, f"migrmeta {name} {sub}"
    runner = CliRunner()
    exported = runner.invoke(cli, ["export", "form", "-q", str(RECORDS / "ph-sof.ttl"), "-o", str(tmp_path / "f.yaml")])
    assert exported.exit_code == 0, exported.output
    imported = runner.invoke(cli, ["import", "form", "-q", str(tmp_path / "f.yaml"), "-o", str(tmp_path / "f.ttl")])
    assert imported.exit_code == 0, imported.output
    assert (tmp_path / "f.ttl").is_file()
