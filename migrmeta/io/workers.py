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
never walked by its cycle collector, nor, while the pool runs, what the parent holds
(io/memory.py): a full collection in the parent, set off by the results it unpickles, walked
the whole catalogue (0.8 s of a 10,000-record publish).
"""

from __future__ import annotations

import signal
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.pool import Pool
from typing import Any

from migrmeta.io.interrupts import interrupts_held, release_interrupts
from migrmeta.io.memory import freeze_inherited, parent_frozen

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
    pool: _Pool | None = None
    try:
        with parent_frozen():
            try:
                # held: an interrupt inside Pool() left a half-made pool, whose __del__ printed a
                # traceback; one held until the pool is made lands here, and the pool is ended
                with interrupts_held(), warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork with threads (a progress bar's)
                    pool = _Pool(processes, initializer=_worker_start, context=get_context("fork"))
                yield pool
            finally:
                if pool is not None:
                    pool.terminate()
                    pool.join()
    finally:
        _SHARED = None


class _Pool(Pool):
    """multiprocessing's Pool, without a busy wait: its worker handler also waited on the results'
    pipe, which stays readable until the result handler has read a result whole, so the handler
    woke some 30,000 times in a 10,000-record publish (0.5 s of the parent's CPU, taken from
    the workers). Results never need it: the pool's cache wakes it when it empties, and each
    worker's sentinel when a worker ends."""

    def _get_sentinels(self) -> list[Any]:
        notifier = getattr(self, "_change_notifier", None)  # a private part: another Python may lack it
        if notifier is None or not hasattr(notifier, "_reader"):
            return super()._get_sentinels()  # type: ignore[misc, no-any-return]
        return [notifier._reader]


def shared() -> Any:
    """In a worker: what its pool was started with."""
    return _SHARED


def _worker_start() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    release_interrupts()  # forked while the parent held them (worker_pool)
    freeze_inherited()


__all__ = ["can_fork", "shared", "worker_pool"]
