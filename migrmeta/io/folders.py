"""Replacing a folder as a whole: atomic under SIGKILL at any instant, one writer at a time.

    files = replace_folder(Path("site"), write_everything, is_ours=looks_like_a_site)

`fill` writes the new content into a temporary folder beside the target; only when it has
returned is the new folder swapped in, in one step: `renameat2(RENAME_EXCHANGE)` exchanges
the two folders atomically (Linux 3.15+, on the usual local file systems), so the target
always names a complete folder, the old one or the new one, whenever the process is killed.
The old content is then deleted. Where the system cannot exchange (macOS, NFS, old kernels)
the old folder is renamed aside and the new one renamed in: a kill between those two
renames leaves the target missing for that instant, and the next run puts the old folder
back before anything else (the only window left; docs/reliability.md).

- One writer at a time: an exclusive lock (`fcntl.flock`) on `.<name>.lock` beside the
  target, held from the first temporary file to the last clean-up, then removed. A second
  run waits up to `wait` seconds (saying so through `waiting`), then gives up with a
  `PublishError` naming the process that holds it; nothing is written.
- No litter: the temporary folders are `.<name>.<8 characters>.tmp` (and `.old`) and hold
  the marker file `MARKER` (written with SIGINT and SIGTERM held, so an interrupt always
  finds the folder named and removes it); under the lock, such folders left by a killed run
  are removed, and so are empty ones of that name (killed before the marker was written).
- A folder that `is_ours` does not recognise is not replaced unless `force`.
- `MIGRMETA_TEST_KILL_AT=<step>` in the environment makes the process kill itself (SIGKILL)
  at that step (`STEPS`): the hook the tests use to show all of the above.
  `MIGRMETA_TEST_STOP_AT=<step>` makes it stop itself (SIGSTOP) there instead, so that a test
  can send it Ctrl-C or SIGTERM at that very step, and not whenever a loaded machine lets it.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from migrmeta.errors import PublishError, UsageError
from migrmeta.io.files import current_umask, exchange
from migrmeta.io.interrupts import interrupts_held

T = TypeVar("T")
MARKER = ".migrmeta-folder"  # in every folder this module writes, so its leftovers can be told apart
MARKER_TEXT = "written by migrmeta; replaced as a whole on the next run\n"
KILL_AT = "MIGRMETA_TEST_KILL_AT"
STOP_AT = "MIGRMETA_TEST_STOP_AT"
# where a run can be killed, in order: the temporary folder exists; its content is written;
# (fallback only) the old folder is aside; the folders are swapped; the old one is deleted
STEPS = ("created", "written", "aside", "swapped", "cleaned")
POLL = 0.1  # seconds between two tries of a held lock


def checkpoint(step: str) -> None:
    """The tests' hook: SIGKILL (or SIGSTOP) this process at `step` when MIGRMETA_TEST_KILL_AT
    (or MIGRMETA_TEST_STOP_AT) says so."""
    if os.environ.get(KILL_AT) == step:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get(STOP_AT) == step:
        os.kill(os.getpid(), signal.SIGSTOP)


def _leftover(name: str) -> re.Pattern[str]:
    return re.compile(rf"^\.{re.escape(name)}\.[a-z0-9_]{{8}}\.(tmp|old)$")


def check_folder_target(target: Path, what: str = "folder") -> None:
    """A usage error when a folder on the way to `target` is a file (-o afile/sub): said before
    any work, as for a target that is a file."""
    target = _resolve(target)
    blocking = next((p for p in (target.parent, *target.parent.parents) if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise UsageError(f"{target} cannot be a {what}: {blocking} is a file; nothing was written",
                         hint="give a folder's name (one that does not exist, or a folder)")


def check_apart_from_inputs(target: Path, inputs: Iterable[str | Path], what: str = "folder") -> None:
    """A usage error, even with --force, when the folder to be replaced is an input, holds one or
    lies inside one: replacing it would delete the records it is made from, or the next run would
    read it among them (as `check_output` refuses a file that is an input)."""
    target = Path(os.path.realpath(target))  # links and ".." followed: two spellings of one folder are one
    for given in inputs:
        if str(given) == "-":
            continue
        path = Path(os.path.realpath(given))
        if path == target or path.is_relative_to(target):
            raise UsageError(f"{target} holds the input {given}: replacing it with the {what} would delete it; "
                             "nothing was written", hint=f"give a {what} folder apart from the records, e.g. site/")
        if path.is_dir() and target.is_relative_to(path):
            raise UsageError(f"{target} is inside the input folder {given}: the next run would read the {what} as "
                             "records; nothing was written", hint=f"give a {what} folder outside {given}, e.g. site/")


def replace_folder(target: Path, fill: Callable[[Path], T], *, is_ours: Callable[[Path], bool],
                   force: bool = False, wait: float = 0.0, waiting: Callable[[str], None] | None = None,
                   what: str = "folder") -> T:
    """Write a new `target` with `fill(temporary)` and swap it in; see the module."""
    target = _resolve(target)
    check_folder_target(target, what)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(f"{target.parent} cannot be created ({exc.strerror}); nothing was written") from exc
    with _Lock(target, wait, waiting, what):
        _recover(target)
        _check_target(target, is_ours, force, what)
        temporary: Path | None = None
        try:
            with interrupts_held():  # an interrupt now lands inside `try`, once the folder has a name
                temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
                (temporary / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            checkpoint("created")
            result = fill(temporary)
            checkpoint("written")
            os.chmod(temporary, 0o777 & ~current_umask())  # mkdtemp makes it private
            _swap(temporary, target)
        finally:
            if temporary is not None:  # the new folder if it failed, else the old one
                shutil.rmtree(temporary, ignore_errors=True)
        checkpoint("cleaned")
        return result


def recover_folder(target: Path) -> None:
    """Put back a folder a killed run left aside, and remove its leftovers, if no other run is writing."""
    target = _resolve(target)
    if not target.parent.is_dir():
        return
    try:
        with _Lock(target, 0.0, None, "folder"):
            _recover(target)
    except PublishError:  # another run holds the lock: it recovers under it
        return


def _resolve(target: Path) -> Path:
    if target.is_symlink() and not target.exists():
        raise PublishError(f"{target} is a link to {os.readlink(target)}, which does not exist; nothing was written",
                           hint="remove the link, or give the folder it should point to")
    return target.resolve() if target.exists() else target.absolute()


def is_marked(folder: Path) -> bool:
    """Was this folder written by `replace_folder`?"""
    return (folder / MARKER).is_file()


def _check_target(target: Path, is_ours: Callable[[Path], bool], force: bool, what: str) -> None:
    if not target.exists():
        return
    if not target.is_dir():
        raise PublishError(f"{target} exists and is not a folder; nothing was written",
                           hint=f"choose another output folder for the {what}, or remove that file yourself")
    if not force and not (is_marked(target) or is_ours(target)):
        raise PublishError(f"{target} exists and is not a {what} written by migrmeta; nothing was written",
                           hint="choose another output folder, or replace it and everything in it with "
                                "{--force|force=True}")


def _swap(new: Path, target: Path) -> None:
    """Put `new` at `target`; afterwards `new` holds the old folder (or nothing)."""
    if not target.exists():
        os.rename(new, target)
        checkpoint("swapped")
        return
    if not is_marked(target):  # so that the old folder, once aside, is recognised as a leftover
        (target / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    if exchange(new, target):
        checkpoint("swapped")
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    (aside / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    os.rename(target, aside / target.name)
    checkpoint("aside")
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(aside / target.name, target)
        shutil.rmtree(aside, ignore_errors=True)
        raise
    checkpoint("swapped")
    shutil.rmtree(aside, ignore_errors=True)


def _recover(target: Path) -> None:
    """Under the lock: put back an old folder a killed run left aside, then remove leftovers."""
    pattern = _leftover(target.name)
    named = [p for p in target.parent.iterdir() if pattern.match(p.name) and p.is_dir() and not p.is_symlink()]
    for empty in (p for p in named if not any(p.iterdir())):  # killed between mkdir and the marker
        empty.rmdir()
    leftovers = sorted(p for p in named if p.exists() and is_marked(p))
    if not target.exists():
        for aside in (p for p in leftovers if p.name.endswith(".old")):
            if (aside / target.name).is_dir():
                os.rename(aside / target.name, target)
                break
    for leftover in leftovers:
        shutil.rmtree(leftover, ignore_errors=True)


class _Lock:
    """An exclusive lock on `.<name>.lock` beside the target, held while the folder is replaced.

    The holder removes the file before it lets go, so no lock file stays behind; a run that
    was waiting then holds a lock on a file that is gone, sees it (the path no longer names
    the file it locked) and takes the lock again on a new one. A file left by a killed run
    is simply locked and removed by the next.
    """

    def __init__(self, target: Path, wait: float, waiting: Callable[[str], None] | None, what: str) -> None:
        self.path = target.parent / f".{target.name}.lock"
        self.target, self.wait, self.waiting, self.what = target, wait, waiting, what
        self.handle = -1

    def __enter__(self) -> _Lock:
        deadline = time.monotonic() + self.wait
        said = False
        while True:
            self.handle = self._open()
            while not self._try():
                holder = self._holder()
                if time.monotonic() >= deadline:
                    os.close(self.handle)
                    waited = f"gave up after waiting {self.wait:g} s" if self.wait else "did not wait"
                    raise PublishError(
                        f"another migrmeta run ({holder}) is writing {self.target}; {waited}; nothing was written",
                        hint="run this again when it has finished, or wait longer with {--wait SECONDS|wait=SECONDS}",
                    )
                if not said and self.waiting is not None:
                    self.waiting(f"waiting for another migrmeta run ({holder}) to finish writing {self.target} "
                                 f"(at most {self.wait:g} s)")
                    said = True
                time.sleep(POLL)
            if self._still_there():
                break
            os.close(self.handle)  # the holder removed the file as it let go: lock the next one
        os.ftruncate(self.handle, 0)
        os.write(self.handle, f"{os.getpid()}\n".encode())
        return self

    def _open(self) -> int:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666 & ~current_umask())
        except OSError as exc:
            raise PublishError(f"{self.path} cannot be created ({exc.strerror}); nothing was written",
                               hint="check that you may write in that folder") from exc

    def _try(self) -> bool:
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _still_there(self) -> bool:
        try:
            on_disk = os.stat(self.path)
        except FileNotFoundError:
            return False
        held = os.fstat(self.handle)
        return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)

    def _holder(self) -> str:
        try:
            with open(self.path, encoding="utf-8") as held:
                pid = held.read().strip()
        except OSError:
            pid = ""
        return f"process {pid}" if pid.isdigit() else "another process"

    def __exit__(self, *exc: object) -> None:
        try:
            self.path.unlink(missing_ok=True)  # while still holding it: see the class
        finally:
            os.close(self.handle)


__all__ = ["KILL_AT", "MARKER", "STEPS", "check_folder_target", "checkpoint", "is_marked", "recover_folder",
           "replace_folder"]
