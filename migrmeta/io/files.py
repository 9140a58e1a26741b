"""Writing files atomically: a temporary file beside the target, flushed to disk, then a rename.

    write_output(Path("report.json"), text)              # a command's output: never replaces a file
    write_output(Path("report.json"), text, force=True)  # ... unless told to
    write_atomically(Path("ontology/countries.ttl"), text)  # a file whose job is to be regenerated

Every file a command writes goes through here, so every output gets the same guarantees:

- atomic: the data goes to a temporary file in the same folder, is flushed (fsync), and is
  renamed over the target; an interrupted or failed write (a full disk, a file size limit)
  leaves the previous file whole, removes the temporary file, and says which file;
- never over an existing file unless asked (`force`); the check and the rename are one
  step where the system allows it (`renameat2(RENAME_NOREPLACE)`, else a hard link), so a
  file created meanwhile is not replaced either;
- never over one of the command's own inputs (`inputs`), whatever `force` says: the output
  would replace what it was made from;
- never through or over a symbolic link, a FIFO, a device or a socket: migrmeta refuses and
  says so, rather than replace the link or the device node with a regular file;
- the usual permissions (0666 less the umask), not the private 0600 of a bare temporary file.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from migrmeta.errors import PublishError, UsageError
from migrmeta.messages import message

_NO_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
RENAME_NOREPLACE = 1  # linux/fs.h
RENAME_EXCHANGE = 2


def current_umask() -> int:
    """The process umask (read by setting and restoring it)."""
    current = os.umask(0)
    os.umask(current)
    return current


@functools.cache
def _libc_renameat2() -> Any:
    try:
        return ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # not Linux, or a libc older than glibc 2.28
        return None


def _renameat2(source: Path, target: Path, flags: int) -> bool:
    """rename(2) with flags; False when the system or the file system cannot do it (then do otherwise)."""
    function = _libc_renameat2()
    if function is None:
        return False
    at_cwd = -100
    if function(at_cwd, os.fsencode(source), at_cwd, os.fsencode(target), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):  # e.g. NFS, an old kernel
        return False
    raise OSError(code, os.strerror(code), str(target))


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (Linux's RENAME_EXCHANGE); False where unsupported."""
    return _renameat2(first, second, RENAME_EXCHANGE)


def rename_no_replace(source: Path, target: Path) -> None:
    """Rename `source` to `target` unless `target` exists (FileExistsError), as one step where possible."""
    if _renameat2(source, target, RENAME_NOREPLACE):
        return
    try:
        os.link(source, target)  # fails if the target exists: the same guarantee by other means
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target)) from None
        os.replace(source, target)
        return
    os.unlink(source)


def special_kind(path: Path) -> str | None:
    """What `path` is when it is not a regular file or absent: 'a symbolic link to X', 'a FIFO'..."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(mode):
        return f"a symbolic link (to {os.readlink(path)})"
    if stat.S_ISREG(mode):
        return None
    for test, kind in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "not a regular file"


def _is_input(path: Path, given: str | Path) -> bool:
    """Whether the output `path` is the input `given`, or an existing file inside an input
    folder (which the command reads: `validate records/ -o records/agencies.ttl`)."""
    try:
        if os.path.isdir(given):
            return path.exists() and path.resolve().is_relative_to(Path(given).resolve())
        return os.path.samefile(path, given)  # another spelling, a hard link: still the same file
    except (OSError, ValueError):  # either is absent (or not a path, such as - for stdin)
        return False


def check_output(path: Path, *, replace: bool, inputs: Iterable[str | Path] = ()) -> None:
    """Refuse an output that is one of `inputs` (even with `replace`), a link or a special file,
    or that exists when it may not be replaced."""
    for given in inputs:
        if _is_input(path, given):
            said = message("output.is_input", path=path) if str(given) == str(path) \
                else message("output.is_input_as", path=path, given=given)
            raise UsageError(said,
                             hint=message("output.is_input_hint"))
    kind = special_kind(path)
    if kind is not None:
        raise PublishError(f"{path} is {kind}; migrmeta writes only regular files and never through or over a "
                           "link or a device; nothing was written",
                           hint="give the path of a regular file (or leave out the output option to print)")
    if not replace and path.exists():
        raise PublishError(message("output.exists", path=path), hint=message("output.exists_hint"))


def _failed(path: Path, exc: OSError, existed: bool) -> PublishError:
    kept = f"the previous {path.name} is unchanged" if existed else "nothing was written"
    hint = ("free some space there (or raise the quota or the file size limit) and run this again"
            if exc.errno in _NO_SPACE else "check that the folder exists and that you may write there")
    return PublishError(f"{path} could not be written ({exc.strerror or exc}); {kept}", hint=hint)


def write_file(path: Path, data: bytes | str | Iterable[bytes], *, replace: bool, durable: bool = True,
               inputs: Iterable[str | Path] = ()) -> None:
    """Write `data` (text is UTF-8; or pieces of bytes, made as they are written, so a large
    file is never whole in memory) to `path` atomically; see the module for the guarantees.
    `durable` false: not synced to disk (a cache's file, which a crash may only cost)."""
    pieces = [data.encode("utf-8")] if isinstance(data, str) else [data] if isinstance(data, bytes) else data
    check_output(path, replace=replace, inputs=inputs)
    existed = path.exists()
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _failed(path, exc, existed) from exc
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            for piece in pieces:
                out.write(piece)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.chmod(temporary, 0o666 & ~current_umask())
        if replace:
            check_output(path, replace=True)  # nothing became a link or a device meanwhile
            os.replace(temporary, path)
        else:
            rename_no_replace(temporary, path)
        if durable:
            _sync_folder(folder)
    except FileExistsError as exc:
        raise PublishError(f"{path} was created by someone else while migrmeta wrote it; it was not replaced",
                           hint="give another file name, or replace it with {--force|force=True}") from exc
    except OSError as exc:
        raise _failed(path, exc, existed) from exc
    finally:
        temporary.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every system can open a folder)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def write_output(path: Path, data: bytes | str, *, force: bool = False, inputs: Iterable[str | Path] = ()) -> None:
    """A command's output file: written atomically, never over an existing file unless `force`,
    never over one of the command's `inputs`."""
    write_file(path, data, replace=force, inputs=inputs)


def write_new(path: Path, data: bytes) -> os.stat_result:
    """A file of a folder being filled, which is swapped in whole (io/folders.replace_folder):
    written in place, no temporary file; its status taken from the open file, not looked up
    again by name (a site's 63,000 files: 0.8 s of stat calls after they were written)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:  # a write may take less than asked (a signal, a file size limit near)
            view = view[os.write(fd, view):]
        return os.fstat(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes | str | Iterable[bytes], *, durable: bool = True) -> None:
    """A file whose job is to be regenerated (the country list, a cache's): replaced atomically."""
    write_file(path, data, replace=True, durable=durable)


__all__ = ["check_output", "current_umask", "exchange", "rename_no_replace", "special_kind", "write_atomically",
           "write_file", "write_new", "write_output"]
