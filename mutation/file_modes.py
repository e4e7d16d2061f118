"""The mode a new file gets: what every file the gate writes atomically is given before it is
moved into place (the gate's reports, its cache), so that none keeps mkstemp's 0600."""

import functools
import os


@functools.cache
def new_file_mode():
    """0666 masked by the umask: the mode `open()` gives a new file (a CI cache or artifact should
    be readable as any other file). The umask is read only by setting it, so it is read once and
    put straight back."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
