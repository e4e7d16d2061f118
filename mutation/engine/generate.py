"""Making the mutants: mutmut 3.8.1's own generation, run in a process of its own in the work directory.

mutmut copies the sources (and `also_copy`) into `mutants/`, rewrites every mutable function of
the files it may mutate into a trampoline over the original and its mutants, and records the
mutant names in `mutants/<path>.meta`. Nothing is tested here: the fork server does that.
"""

import subprocess
import sys

from mutation.errors import IncompleteMeasurementError
from mutation.logs import last_message, tail


def generate_mutants(work_root, workers, log_path):
    """Write `mutants/` under `work_root`; fails closed when mutmut cannot generate them."""
    command = [sys.executable, "-m", "mutation.engine.generate", str(workers)]
    with open(log_path, "w", encoding="utf-8") as log:
        code = subprocess.run(command, cwd=work_root, stdout=log, stderr=subprocess.STDOUT).returncode
    if code != 0:
        raise IncompleteMeasurementError(
            f"mutmut could not generate the mutants (exit {code}): {last_message(log_path)} (log: {log_path})",
            tail(log_path),
        )


def main(workers):
    from mutmut.__main__ import create_mutants
    from mutmut.utils.file_utils import copy_also_copy_files, copy_src_dir

    copy_src_dir()
    copy_also_copy_files()
    create_mutants(workers)
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))
