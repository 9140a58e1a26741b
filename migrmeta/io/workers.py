"""Worker processes: the one way migrmeta starts them (validation's stores, publish's files).

    with worker_pool(2, shared=catalogue) as pool:
        results = pool.map(function, parts)        # function reads workers.shared()

Forked, so that they share what the parent has read without its being pickled: `shared` is
what every worker finds with `shared()` (set before the fork, cleared when the pool ends).
Their signals are set for a pool: Ctrl-C (SIGINT, sent to the whole process group) is the
parent's to handle, so a worker prints no traceback of its own; SIGTERM has its default
action, so the pool's end kills a worker at once whatever handler the parent installed (the
CLI turns SIGTERM into an interrupt: a worker that inherited it printed its traceback, and
once, waiting for work, was left waiting, and the parent with it). What a worker inherits is
never walked by its cycle collector (io/memory.py).
"""

from __future__ import annotations

import signal
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.pool import Pool
from typing import Any

from migrmeta.io.memory import freeze_inherited

_SHARED: Any = None  # what the workers of the current pool inherit


def can_fork() -> bool:
    """Whether workers can be forked here (not on Windows; macOS forks only when asked)."""
    return "fork" in get_all_start_methods()


@contextmanager
def worker_pool(processes: int, shared: Any = None) -> Iterator[Pool]:
    """A pool of `processes` forked workers that find `shared` with `shared()`; ended (its
    workers killed and waited for) when the block ends, whatever the results."""
    global _SHARED
    _SHARED = shared
    try:
        with warnings.catch_warnings():  # Python 3.12+ warns of fork in a process with threads (a progress bar's)
            warnings.simplefilter("ignore", DeprecationWarning)
            pool = get_context("fork").Pool(processes, initializer=_worker_start)
        try:
            yield pool
        finally:
            pool.terminate()
            pool.join()
    finally:
        _SHARED = None


def shared() -> Any:
    """In a worker: what its pool was started with."""
    return _SHARED


def _worker_start() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    freeze_inherited()


__all__ = ["can_fork", "shared", "worker_pool"]
