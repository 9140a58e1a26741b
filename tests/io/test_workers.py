"""Worker processes (io/workers.py): forked, Ctrl-C left to the parent, SIGTERM ending them
whatever handler the parent installed."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

import pytest

from migrmeta.io.workers import can_fork, shared, worker_pool

pytestmark = pytest.mark.skipif(not can_fork(), reason="workers are forked")


def _dispositions(_: int) -> tuple[object, object]:
    return signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)


def test_a_worker_ignores_ctrl_c_and_dies_of_sigterm_whatever_the_parent_set() -> None:
    def interrupt(signum: int, frame: object) -> None:  # what `migrmeta publish` sets
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        with worker_pool(2) as pool:
            found = pool.map(_dispositions, range(4))
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert set(found) == {(signal.SIG_IGN, signal.SIG_DFL)}


def test_terminating_a_pool_under_the_clis_sigterm_handler_never_hangs() -> None:
    """What this module prevents: idle workers that inherited a SIGTERM handler raising
    KeyboardInterrupt printed its traceback when terminated, and now and then were left waiting
    for work, and terminate() with them (a publish hung so, once, in the test suite)."""
    script = textwrap.dedent("""
        import signal
        from migrmeta.io.workers import worker_pool

        def interrupt(signum, frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, interrupt)
        for _ in range(30):
            with worker_pool(2) as pool:
                assert pool.map(abs, range(-8, 0)) == list(range(8, 0, -1))
        print("done")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "done", done.stderr
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr


class _Inherited:
    """An object the parent made before the fork, tracked by the cycle collector."""


def _collector_state(_: int) -> tuple[bool, bool, bool]:
    import gc

    inherited = shared()
    return gc.isenabled(), gc.get_freeze_count() > 0, any(o is inherited for o in gc.get_objects())


def test_a_worker_never_walks_what_it_inherited_but_collects_its_own() -> None:
    """io/memory.freeze_inherited: the parent's objects are in the permanent generation of a
    worker's collector (not walked, their pages not written to), the collector still on."""
    with worker_pool(1, shared=_Inherited()) as pool:
        enabled, frozen, walked = pool.map(_collector_state, [0])[0]
    assert enabled and frozen
    assert not walked  # gc.get_objects() lists only what the collector walks
