"""How a report names what it was made from, in its header:

    inputs_named(["records"])              # 'records/'
    inputs_named(["/srv/cat/m.trig"])      # '/srv/cat/m.trig' (outside the current folder)

Each path as given, relative to the current folder when it is inside it; a folder ends with
'/'; the repository's own records folder is `records/` wherever migrmeta runs from (the
bundled reports in docs/ are made from it).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from migrmeta.resources import data_root


def inputs_named(paths: Iterable[str | Path]) -> str:
    return ", ".join(f"`{_named(Path(p))}`" for p in paths) or "`records/`"


def _named(path: Path) -> str:
    resolved = path.resolve()
    suffix = "/" if resolved.is_dir() else ""
    if resolved == (data_root() / "records").resolve():
        return "records/"
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix() + suffix
    except ValueError:
        return str(path) + suffix


__all__ = ["inputs_named"]
