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


def _large(size: int) -> bytes:
    return bytes(size)


def test_the_pool_does_not_wake_for_every_result_it_receives(monkeypatch: pytest.MonkeyPatch) -> None:
    """multiprocessing's Pool woke its worker handler again and again while a result waited in
    the pipe (some 30,000 times in a 10,000-record publish); this pool's handler wakes when a
    worker ends or the pool's state changes, a few times in all."""
    from multiprocessing.pool import Pool

    wakes = 0
    wait = Pool._wait_for_updates

    def counted(*args: object, **kwargs: object) -> None:
        nonlocal wakes
        wakes += 1
        wait(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Pool, "_wait_for_updates", staticmethod(counted))
    with worker_pool(2) as pool:
        sizes = [len(r) for r in pool.imap(_large, [4_000_000] * 40)]
    assert sizes == [4_000_000] * 40
    assert wakes < 10, f"the worker handler woke {wakes} times for 40 results"


def test_the_parent_is_frozen_while_its_workers_run_and_after_as_it_was() -> None:
    """io/memory.parent_frozen: the parent's collections, set off by the results it unpickles,
    do not walk what it holds (the whole catalogue, in a publish)."""
    import gc

    held = _Inherited()
    assert gc.get_freeze_count() == 0
    with worker_pool(1) as pool:
        assert pool.map(abs, [-1]) == [1]
        assert gc.get_freeze_count() > 0
        assert not any(o is held for o in gc.get_objects())
    assert gc.get_freeze_count() == 0
    assert any(o is held for o in gc.get_objects())  # walked again: collected as usual when it is garbage


def test_a_freeze_of_the_callers_own_is_left_as_it_was() -> None:
    import gc

    gc.freeze()
    try:
        with worker_pool(1) as pool:
            assert pool.map(abs, [-2]) == [2]
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_an_interrupt_while_the_pool_is_made_waits_for_it_and_ends_it() -> None:
    """Ctrl-C inside Pool() (after its first worker was forked) left a half-made pool, whose
    __del__ printed a traceback under `migrmeta publish` (CI, once). Held until the pool is
    made, the interrupt ends it whole: no traceback, no worker left."""
    script = textwrap.dedent("""
        import multiprocessing, os, signal
        from multiprocessing.pool import Pool
        from migrmeta.io.workers import worker_pool

        made = Pool._repopulate_pool

        def interrupted(self):
            made(self)
            os.kill(os.getpid(), signal.SIGINT)  # as Ctrl-C would, once a worker is forked

        Pool._repopulate_pool = interrupted
        try:
            with worker_pool(2) as pool:
                print("never reached")
        except KeyboardInterrupt:
            print("interrupted", len(multiprocessing.active_children()))
    """)
    done = subprocess.run([sys.executable, "-W", "error::ResourceWarning", "-c", script], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "interrupted 0", (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr


def _blocked(_: int) -> set[int]:
    return set(signal.pthread_sigmask(signal.SIG_BLOCK, []))


def test_a_worker_forked_while_interrupts_were_held_receives_them() -> None:
    with worker_pool(2) as pool:
        masks = pool.map(_blocked, range(4))
    assert all(signal.SIGINT not in mask and signal.SIGTERM not in mask for mask in masks)
