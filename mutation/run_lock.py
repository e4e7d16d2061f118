"""One gate run at a time per project: `.mutation-gate.lock` next to the configuration, holding the
running gate's PID under an exclusive `flock`.

A second run is refused at once, naming the first. The kernel drops the lock of a process that
dies, however it dies; a lock file left behind that way still names its PID, and the next run
takes it over with a note.
"""

import fcntl
import os
from pathlib import Path

from mutation.errors import ConfigError

LOCK_NAME = ".mutation-gate.lock"


class RunLock:
    """Held for the whole of a run; `note` says when a dead run's lock was taken over."""

    def __init__(self, project_root):
        self.path = Path(project_root) / LOCK_NAME
        self.note = ""
        self._fd = None

    def __enter__(self):
        fd = self._acquire()
        previous = _read_pid(fd)
        if previous is not None and previous != os.getpid():
            self.note = f"took over {self.path.name} left by run {previous}, which ended without releasing it"
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def _acquire(self):
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as error:
                raise ConfigError(f"{self.path}: cannot create the run lock: {error.strerror}") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_pid(fd)
                os.close(fd)
                raise ConfigError(f"{self.path}: another gate run (pid {holder if holder else 'unknown'}) is in "
                                  f"progress in this project; wait for it to end or stop it") from None
            if _still_at(fd, self.path):
                return fd
            os.close(fd)  # the holder removed the file as we opened it: lock the file that is there now

    def __exit__(self, *exc_info):
        if _still_at(self._fd, self.path):
            self.path.unlink()
        os.close(self._fd)
        return False


def _read_pid(fd):
    text = os.pread(fd, 64, 0).decode("ascii", errors="replace").strip()
    return int(text) if text.isdecimal() else None


def _still_at(fd, path):
    try:
        return os.stat(path).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False
