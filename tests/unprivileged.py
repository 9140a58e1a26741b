"""Running the real `migrmeta` command where file permissions apply, even when the tests run as root.

Root reads a folder of mode 000 as if nothing were wrong, so a test of an unreadable folder
would show nothing. `command(...)` runs migrmeta in a subprocess; as root, with the two
capabilities that bypass permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) dropped from
the bounding set by `setpriv` (util-linux, on every Debian system): the process keeps its
user id (so it can still reach pytest's private tmp_path) but mode 000 means what it says.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

DROP = "-dac_override,-dac_read_search"


def migrmeta() -> str:
    """The `migrmeta` script of the Python running the tests."""
    found = shutil.which("migrmeta", path=str(Path(sys.executable).parent)) or shutil.which("migrmeta")
    if not found:
        pytest.fail("the `migrmeta` command is not installed next to this Python: pip install -e '.[test]'",
                    pytrace=False)
    return found


def without_override(argv: list[str]) -> list[str]:
    """`argv`, run so that file permissions bind (see the module)."""
    if os.geteuid() != 0:
        return argv
    setpriv = shutil.which("setpriv")
    if not setpriv:
        pytest.fail("the tests run as root and need `setpriv` (util-linux) to drop CAP_DAC_OVERRIDE: "
                    "apt-get install util-linux", pytrace=False)
    return [setpriv, "--bounding-set", DROP, *argv]


def command(*args: str, cwd: Path | None = None, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """`migrmeta ARGS...` without the permission-bypassing capabilities; output captured as text."""
    return subprocess.run(without_override([migrmeta(), *args]), capture_output=True, text=True, cwd=cwd,
                          timeout=900, check=False, **kwargs)
