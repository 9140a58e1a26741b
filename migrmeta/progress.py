"""How long work reports how far it got: a callback the library calls, that only the CLI draws.

    def progress(stage: str, done: int, total: int) -> None: ...
    migrmeta.validate(["records/"], progress=progress)   # ("validating", 150, 1000), ...

`stage` names the step in a few words ("validating", "writing the site"); `done` counts what
is finished out of `total` (records, graphs, files). Calls come in order, `done` never goes
back within a stage, and the last call of a stage has `done == total`. The library never
prints: `migrmeta.cli.progress` draws a bar on standard error, on a terminal only.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]
VALIDATING = "validating records"  # the stage validation reports, whichever engine


def tell(progress: Progress | None, stage: str, done: int, total: int) -> None:
    """Call `progress` if there is one."""
    if progress is not None:
        progress(stage, done, total)


__all__ = ["VALIDATING", "Progress", "tell"]
