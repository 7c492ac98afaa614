"""File-system helpers every layer shares: atomic writes, durable appends, locks, crash points.

* :func:`atomic_write` / :func:`atomic_path`: a reader sees the old file or the new one, never
  half of one, and after a crash the new one is on disk or not at all (temporary file in the same
  folder, fsync, ``os.replace``, fsync of the folder).
* :func:`append_line`: one fsynced line appended to a log, a line torn by a crash repaired first.
* :func:`file_lock`: an exclusive lock between processes (``filelock.FileLock``: an ``flock`` on a
  lock file that stays); wait for it (``timeout=None``), for a while, or fail at once (``0``).
* :func:`crashpoint`: the ``CCTNS_CRASH_AT`` hook of the crash-recovery tests.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from core.settings import setting

__all__ = [
    "Timeout",
    "append_line",
    "atomic_path",
    "atomic_write",
    "crashpoint",
    "file_lock",
    "fsync_path",
    "lock_is_held",
    "temporary_name",
]


def fsync_path(path: Path) -> None:
    """fsync a file (its content) or a folder (a rename or a new entry in it)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temporary_name(path: Path) -> Path:
    """``.<name>.tmp-<pid>`` beside ``path`` (cleanups look for ``.*.tmp-*``)."""
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


@contextlib.contextmanager
def atomic_path(path: Path, *, mode: int | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends without error, the file written
    there is fsynced and renamed onto ``path`` (and the folder fsynced); on error it is removed.

    ``mode`` (e.g. ``0o600``) is given to the file before anything is written to it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(path)
    tmp.unlink(missing_ok=True)
    if mode is not None:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
        os.chmod(tmp, mode)  # whatever the umask
    try:
        yield tmp
        fsync_path(tmp)  # the file's content
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_path(path.parent)


def atomic_write(path: Path, data: bytes | str, *, mode: int | None = None, encoding: str = "utf-8") -> None:
    """Write ``data`` to ``path`` atomically and durably (see :func:`atomic_path`)."""
    raw = data.encode(encoding) if isinstance(data, str) else data
    with atomic_path(path, mode=mode) as tmp, open(tmp, "wb") as fh:
        fh.write(raw)


def append_line(path: Path, line: str) -> None:
    """Append one line (a newline is added) to ``path``, fsynced; a last line torn by a crash is
    ended first, so the new line stands on its own."""
    with open(path, "a+b") as fh:
        if fh.tell() > 0:
            fh.seek(-1, os.SEEK_END)
            if fh.read(1) != b"\n":
                fh.write(b"\n")
        fh.write((line.rstrip("\n") + "\n").encode("utf-8"))
        fh.flush()
        os.fsync(fh.fileno())


@contextlib.contextmanager
def file_lock(
    path: Path, *, timeout: float | None = None, busy: Callable[[], BaseException] | None = None
) -> Iterator[FileLock]:
    """Hold an exclusive lock on ``path`` (created if need be, never removed) for the block.

    ``timeout=None`` waits as long as it takes; ``0`` fails at once if another process holds it;
    otherwise waits that many seconds. When it cannot be had, ``busy()`` is raised (default:
    ``filelock.Timeout``). The lock is an ``flock``: a killed holder frees it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path, timeout=-1 if timeout is None else timeout)
    try:
        lock.acquire()
    except Timeout:
        if busy is None:
            raise
        raise busy() from None
    try:
        yield lock
    finally:
        lock.release()


def lock_is_held(path: Path) -> bool:
    """Does another process hold the lock on ``path`` now? (A free lock is taken and released.)"""
    if not path.is_file():
        return False
    try:
        with file_lock(path, timeout=0):
            return False
    except Timeout:
        return True
    except OSError:
        return False


def crashpoint(name: str) -> None:
    """Die here with SIGKILL if ``$CCTNS_CRASH_AT`` names this point (crash-safety tests).

    ``CCTNS_CRASH_AT=publish:after_swap`` dies the first time the point is reached,
    ``CCTNS_CRASH_AT=after_lake_rename:2`` the second time (counted in this process's environment,
    which its children inherit).
    """
    want = setting("crash_at")
    if not want or not want.startswith(name):
        return
    rest = want[len(name) :]
    if rest and not rest.startswith(":"):
        return
    counter = f"_CCTNS_CRASH_SEEN_{name.replace(':', '_')}"
    seen = int(os.environ.get(counter, "0")) + 1
    os.environ[counter] = str(seen)
    if seen >= int(rest[1:] or 1):
        os.kill(os.getpid(), signal.SIGKILL)
