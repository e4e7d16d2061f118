"""Making the mutants: mutmut 3.8.1's own generation, run in a process of its own in the work directory.

mutmut copies the sources (and `also_copy`) into `mutants/`, rewrites every mutable function of
the files it may mutate into a trampoline over the original and its mutants, and records the
mutant names in `mutants/<path>.meta`. Nothing is tested here: the fork server does that.

Generation needs only the sources, so it runs while the preflight runs the suite: `Generation`
starts it and `wait()` collects it; leaving the `with` block early stops it.
"""

import subprocess
import sys

from mutation.engine.processes import start_group, stop_group
from mutation.errors import IncompleteMeasurementError
from mutation.logs import last_message, tail


class Generation:
    """mutmut's generation of `mutants/` under `work_root`, in the background."""

    def __init__(self, work_root, workers, log_path):
        self.work_root, self.workers, self.log_path = work_root, workers, log_path
        self.process = None

    def __enter__(self):
        command = [sys.executable, "-m", "mutation.engine.generate", str(self.workers)]
        with open(self.log_path, "w", encoding="utf-8") as log:
            self.process = start_group(command, cwd=self.work_root, stdout=log, stderr=subprocess.STDOUT)
        return self

    def wait(self):
        """Fails closed when mutmut could not generate the mutants."""
        code = self.process.wait()
        if code != 0:
            raise IncompleteMeasurementError(
                f"mutmut could not generate the mutants (exit {code}): {last_message(self.log_path)} "
                f"(log: {self.log_path})",
                tail(self.log_path),
            )

    def __exit__(self, *exc_info):
        stop_group(self.process)  # still generating when the run ended early; else mutmut's leftover workers
        return False


def generate_mutants(work_root, workers, log_path):
    """Write `mutants/` under `work_root` and wait for it."""
    with Generation(work_root, workers, log_path) as generation:
        generation.wait()


def main(workers):
    from mutmut.__main__ import create_mutants
    from mutmut.utils.file_utils import copy_also_copy_files, copy_src_dir

    copy_src_dir()
    copy_also_copy_files()
    create_mutants(workers)
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))
