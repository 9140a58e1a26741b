"""Worker processes: the one way migrmeta starts them (validation's stores, publish's files).

    with worker_pool(2) as pool:
        results = pool.map(function, parts)

Forked, so that they share what the parent has read without its being pickled (set a module
global before the pool starts; the workers see it). Their signals are set for a pool: Ctrl-C
(SIGINT, sent to the whole process group) is the parent's to handle, so a worker prints no
traceback of its own; SIGTERM has its default action, so `Pool.terminate()` ends a worker
at once whatever handler the parent installed (the CLI turns SIGTERM into an interrupt: a
worker that inherited it and was waiting for work was left waiting, and the parent's
terminate() with it).
"""

from __future__ import annotations

import signal
import warnings
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.pool import Pool


def can_fork() -> bool:
    """Whether workers can be forked here (not on Windows; macOS forks only when asked)."""
    return "fork" in get_all_start_methods()


def worker_pool(processes: int) -> Pool:
    """A pool of `processes` forked workers, their signals set as the module says."""
    with warnings.catch_warnings():  # Python 3.12+ warns of fork in a process with threads (a progress bar's)
        warnings.simplefilter("ignore", DeprecationWarning)
        return get_context("fork").Pool(processes, initializer=_worker_signals)


def _worker_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


__all__ = ["can_fork", "worker_pool"]
