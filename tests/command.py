"""The migrmeta command run in the test process, as a user types it: exit code, stdout, stderr."""

from __future__ import annotations

import pytest

from migrmeta.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`migrmeta ARGS...`; the exit code (0 when the command returns), standard output and error."""
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def said(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """`run`, with what the command wrote to standard output and error together."""
    code, out, err = run(capsys, *args)
    return code, out + err
