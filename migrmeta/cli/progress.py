"""The progress bar of long commands (validate, publish, push, import, export): rich's, on
standard error, only when it is a terminal and not with -q/--quiet.

    with progress_bar(quiet) as progress:
        report = validate(paths, progress=progress)

Each stage the library reports (`migrmeta.progress`) gets its own line: what, a bar, records
counted ("150/1000") and the time left. Bars vanish when done, so what stays on the terminal
is the command's own output.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from migrmeta.progress import Progress


def wanted(quiet: bool = False) -> bool:
    return not quiet and sys.stderr.isatty()


@contextmanager
def progress_bar(quiet: bool = False) -> Iterator[Progress | None]:
    """A `Progress` callback drawing on standard error, or None when nobody would see it."""
    if not wanted(quiet):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bars = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=Console(stderr=True), transient=True)
    tasks: dict[str, object] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bars.add_task(stage, total=total)
        bars.update(tasks[stage], completed=done, total=total)  # type: ignore[arg-type]

    with bars:
        yield update


def quiet_option(function: Any) -> Any:
    """`--quiet/-q`: no progress bar."""
    import click

    return click.option("--quiet", "-q", is_flag=True,
                        help="No progress bar (one is drawn on standard error, on a terminal only).")(function)


def quiet_accepted(function: Any) -> Any:
    """`--quiet/-q` on an import or export of one form, which draws no bar: accepted, so that a
    script may give -q to every import and export (README, "Progress")."""
    import click

    return click.option("--quiet", "-q", is_flag=True,
                        help="Accepted as by the other imports and exports; one form draws no progress bar.")(function)
