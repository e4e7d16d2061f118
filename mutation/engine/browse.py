"""mutmut's own interactive browser over the mutants of the last run (`mutation-gate browse`).

After a run the gate has written its verdicts into mutmut's `.meta` files, so the browser shows
the gate's statuses."""

import subprocess
import sys
from pathlib import Path


def executable():
    candidate = Path(sys.executable).with_name("mutmut")
    return str(candidate) if candidate.exists() else "mutmut"


def browse(work_root):
    """Run `mutmut browse` in the work directory; returns its exit code."""
    return subprocess.run([executable(), "browse"], cwd=work_root).returncode
