"""Interrupts held back while a step must not be cut in half.

    with interrupts_held():
        pool = Pool(...)      # Ctrl-C or SIGTERM now waits until the block ends

The signals stay pending and their handlers run, as usual, when the block ends. A process
forked inside the block inherits the mask: it must call `release_interrupts()` first.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

_HELD = frozenset({signal.SIGINT, signal.SIGTERM})


@contextmanager
def interrupts_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait (pending) until the block ends; their handlers then run as usual."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def release_interrupts() -> None:
    """In a process forked inside `interrupts_held`: let SIGINT and SIGTERM through again."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)


__all__ = ["interrupts_held", "release_interrupts"]
