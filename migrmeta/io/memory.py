"""Python's cycle collector around large runs.

A run over a catalogue makes millions of small objects (rdflib terms, statements, outcomes,
findings) that live until it ends, and every full collection walks all of them: half of the
time of building the site's pages' data (SiteData.build, 10,000 records: 2.3 s, 1.1 s with the
collector paused), a third of a validation re-run. None of them is cyclic garbage.

    with collector_paused():          # a run's stages in this process
        ...
    with parent_frozen():             # while forked workers run (io/workers.py)
        ...
    freeze_inherited()                # first thing in a forked worker
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector paused for the block, then resumed as it was."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            if gc.get_freeze_count() == 0:
                # The run's objects join the oldest generation (two O(1) list moves): resumed
                # as is, the collector's first act was to walk every one of them (0.1 s of a
                # 0.6 s re-run of 10,000 records). They are collected as old objects are.
                # Skipped when the program froze objects of its own (gc.freeze before a fork).
                gc.freeze()
                gc.unfreeze()
            gc.enable()


@contextmanager
def parent_frozen() -> Iterator[None]:
    """What this process holds is never walked by its collector in the block (the objects made
    in it are, as usual), then is again (unless something else had frozen it: left as it was).
    Before a fork, as Python's documentation of gc.freeze advises: the parent's collections
    stay small while it receives its workers' results."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def freeze_inherited() -> None:
    """In a forked worker: what it inherited is never walked by its collector, so collections
    stay small and the parent's pages are not written to (copy on write); what Python's
    documentation of gc.freeze advises for forked workers. Its own objects are walked as usual
    when the collector is on (a pool forked inside `collector_paused`, as validation's stores
    are, inherits it paused: its workers live for one run)."""
    gc.freeze()


__all__ = ["collector_paused", "freeze_inherited", "parent_frozen"]
