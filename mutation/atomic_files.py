"""How the gate writes a file others read (its reports, its cache, the baseline): atomically, so a
reader sees the old file or the new one and never half of one, and with the mode a new file gets,
so that none keeps mkstemp's 0600."""

import functools
import os
import tempfile
from pathlib import Path


@functools.cache
def new_file_mode():
    """0666 masked by the umask: the mode `open()` gives a new file (a CI cache or artifact should
    be readable as any other file). The umask is read only by setting it, so it is read once and
    put straight back."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomically(path, write, prefix):
    """Create `path`'s directory, call `write(stream)` on a temporary text file beside `path` (named
    `prefix`...`.json`), sync it and move it into place; on any failure the temporary file is
    removed and the error raised."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, new_file_mode())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
