# SPDX-License-Identifier: Apache-2.0
"""The manifest file as this process last saw it.

The parsed manifest is kept in memory. The file is looked at (one ``lstat``) at most once per :data:`RECHECK_MS`
and read again only when its identity (device, inode, size, mtime) changed, so a warm ``get`` costs no system
call and a new generation (refresh, rotation) is seen within a second. A manifest that cannot be used is treated
as absent, with one warning per source naming the problem.
"""

from __future__ import annotations

import errno
import os
import stat
# _thread, not threading: its locks are the same objects, without importing threading on the manifest path.
from _thread import allocate_lock

from ._manifest import ManifestError, parse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._clock import Clock
    from ._log import Log
    from ._manifest import Manifest

RECHECK_MS = 1000
MAX_BYTES = 64 * 1024 * 1024
"""Larger files are refused unread: they are not manifests an extension wrote (docs/manifest.md)."""

# O_NONBLOCK: if a FIFO replaces the file between the lstat and the open, the open must not block the handler.
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_Signature = tuple  # (st_dev, st_ino, st_size, st_mtime_ns)


class ManifestSource:
    def __init__(self, path: str, clock: Clock, log: Log) -> None:
        self.path = path
        self._clock = clock
        self._log = log
        self._lock = allocate_lock()
        self._snapshot: tuple[float, Manifest | None] | None = None  # (checked at, manifest), replaced whole
        self._signature: _Signature | None = None  # of the file the snapshot's manifest (or verdict) came from
        self._warned = False

    def current(self, force: bool = False) -> Manifest | None:
        """The manifest, or ``None`` when there is none that can be used. ``force`` looks at the file whatever
        the interval says (while waiting for a pending manifest)."""
        snapshot = self._snapshot
        if not force and snapshot is not None and self._clock.monotonic_ms() - snapshot[0] < RECHECK_MS:
            return snapshot[1]
        with self._lock:
            now = self._clock.monotonic_ms()
            snapshot = self._snapshot
            if not force and snapshot is not None and now - snapshot[0] < RECHECK_MS:
                return snapshot[1]  # another thread looked while this one waited for the lock
            manifest = self._refresh(snapshot[1] if snapshot is not None else None)
            self._snapshot = (now, manifest)
            return manifest

    def _refresh(self, held: Manifest | None) -> Manifest | None:
        try:
            status = os.stat(self.path, follow_symlinks=False)
        except (FileNotFoundError, NotADirectoryError):
            return self._forget(held)
        except OSError as e:
            return self._ignore(None, f"cannot be looked at ({_describe(e)}); check the directory's owner and mode")
        signature = _signature_of(status)
        if signature == self._signature:
            return held
        if stat.S_ISLNK(status.st_mode):
            return self._ignore(signature, "is a symbolic link, which readers never follow")
        if not stat.S_ISREG(status.st_mode):
            # Never opened: opening a FIFO would block the handler.
            return self._ignore(signature, "is not a regular file (a directory, FIFO or device)")
        return self._load(held)

    def _load(self, held: Manifest | None) -> Manifest | None:
        # The signature kept is the one of the descriptor read, so a file replaced between the lstat and the open
        # is read again at the next check rather than kept under the other file's identity.
        try:
            fd = os.open(self.path, _OPEN_FLAGS)
        except FileNotFoundError:
            return self._forget(held)
        except OSError as e:
            if e.errno == errno.ELOOP:
                return self._ignore(None, "is a symbolic link, which readers never follow")
            return self._ignore(None, f"cannot be read ({_describe(e)}); check its owner and mode (0600, the "
                                      "function's user)")
        try:
            status = os.fstat(fd)
            signature = _signature_of(status)
            if not stat.S_ISREG(status.st_mode):
                return self._ignore(signature, "is not a regular file (a directory, FIFO or device)")
            if status.st_size > MAX_BYTES:
                return self._ignore(signature, _too_large(status.st_size))
            data = _read_at_most(fd, MAX_BYTES + 1, status.st_size + 1)  # the file may have grown since the fstat
        except OSError as e:
            return self._ignore(None, f"cannot be read ({_describe(e)})")
        finally:
            os.close(fd)
        if len(data) > MAX_BYTES:
            return self._ignore(signature, _too_large(len(data)))
        try:
            manifest = parse(data)
        except ManifestError as e:
            return self._ignore(signature, str(e))
        self._signature = signature
        if self._log.enabled("debug"):
            self._log.debug(f"manifest {self.path} read: generation {manifest.generation}, {manifest.state}, "
                            f"{len(manifest.secrets)} secrets")
        return manifest

    def _forget(self, held: Manifest | None) -> None:
        if held is not None:
            self._log.debug(f"manifest {self.path} is gone")
        self._signature = None
        return None

    def _ignore(self, signature: _Signature | None, problem: str) -> None:
        """Treats the manifest as absent. With a signature, the same file is not read again at the next check;
        without one (the read failed), it is."""
        self._signature = signature
        if self._warned:
            self._log.debug(f"manifest {self.path} ignored: {problem}")
        else:
            self._warned = True
            self._log.warn(f"manifest {self.path} ignored: {problem}; calling Secrets Manager directly (this warning "
                           "is shown once per process)")
        return None


def _signature_of(status: os.stat_result) -> _Signature:
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def _read_at_most(fd: int, limit: int, first: int) -> bytes:
    """Up to ``limit`` bytes; the first read asks for ``first`` (os.read allocates what it is asked for)."""
    chunks = []
    total = 0
    size = first
    while total < limit:
        chunk = os.read(fd, min(size, limit - total))
        size = 1 << 20
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _too_large(size: int) -> str:
    return f"manifest is {size} bytes, more than a manifest can be ({MAX_BYTES}); remove it"


def _describe(error: OSError) -> str:
    """The error's symbolic name and the system's text for it: names the cause, never file content."""
    name = errno.errorcode.get(error.errno or 0, "error")
    return f"{name}: {error.strerror}" if error.strerror else name
