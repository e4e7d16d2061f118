"""What is left running after a fault: a PID that is still alive, the processes working inside a
project. Shared by the engine's tests and the end-to-end fault runs."""

import os
from pathlib import Path


def alive(pid):
    """Whether `pid` is a live process (a zombie waiting to be reaped has ended)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def processes_in(root):
    """Live processes whose working directory is inside `root`, but this one."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdecimal() or int(entry.name) == os.getpid():
            continue
        try:
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:
            continue  # ended, a zombie, or not ours to read
        if cwd == root or root in cwd.parents:
            found.append(int(entry.name))
    return found
