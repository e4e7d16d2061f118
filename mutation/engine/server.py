"""Driving the fork server from the gate: start it, hand it batches of jobs, read each result.

One server serves a whole run (the main measurement, second chances and every credit pass).
Each result comes back as soon as its child ends, so progress can be shown while a batch runs.
A server that dies or sends what cannot be read fails the run closed.
"""

import json
import os
import subprocess
import sys
from dataclasses import dataclass

from mutation.engine.processes import kill_group, start_group, stop_group
from mutation.engine.protocol import MUTANT_ENV
from mutation.errors import IncompleteMeasurementError
from mutation.logs import last_message, tail

STOP_GRACE_SECONDS = 10.0  # the server kills its children and waits until they are gone (forkserver.GONE_SECONDS)


@dataclass(frozen=True)
class Job:
    """One mutant's session: its tests in order, a wall limit, and what the gate's plugin needs."""

    mutant: str
    tests: tuple
    wall_limit: float
    context: dict


@dataclass(frozen=True)
class JobResult:
    mutant: str
    exit_code: int | None
    seconds: float
    timed_out: bool
    error: str = ""


class EngineServer:
    def __init__(self, work_root, pytest_args, env, log_path):
        self.work_root = work_root
        self.pytest_args = list(pytest_args)
        self.env = {key: value for key, value in env.items() if key != MUTANT_ENV}
        self.log_path = log_path
        self.process = None
        self.tests = 0
        self.test_ids = frozenset()
        self._children = {}  # mutant -> the PID (and process group) of its running child

    def __enter__(self):
        jobs_read, self._jobs = os.pipe()
        self._results, results_write = os.pipe()
        command = [sys.executable, "-m", "mutation.engine.forkserver", str(jobs_read), str(results_write),
                   *self.pytest_args]
        with open(self.log_path, "w", encoding="utf-8") as log:
            self.process = start_group(command, cwd=self.work_root / "mutants", env=self.env, stdout=log,
                                       stderr=subprocess.STDOUT, pass_fds=(jobs_read, results_write))
        os.close(jobs_read)
        os.close(results_write)
        self._reader = os.fdopen(self._results, "r", encoding="utf-8")
        self._writer = os.fdopen(self._jobs, "w", encoding="utf-8")
        try:
            self._check_ready()
        except BaseException:
            self.__exit__(None, None, None)  # not entered: nothing else will stop the server
            raise
        return self

    def _check_ready(self):
        ready = self._receive()
        if not ready.get("ready"):
            errors = ready.get("errors", [])
            raise IncompleteMeasurementError(
                f"the suite cannot be collected on the mutated copy: {errors[0] if errors else 'no reason given'} "
                f"(log: {self.log_path})", [f"  {error}" for error in errors[1:10]],
            )
        self.tests = ready["tests"]
        self.test_ids = frozenset(ready.get("ids", ()))

    def run(self, jobs, workers, on_result=lambda result: None):
        """Run every job, at most `workers` at once; each JobResult by mutant."""
        message = {"workers": workers, "jobs": [
            {"mutant": job.mutant, "tests": list(job.tests), "wall_limit": job.wall_limit, "context": job.context}
            for job in jobs
        ]}
        self._writer.write(json.dumps(message) + "\n")
        self._writer.flush()
        results = {}
        while True:
            reply = self._receive()
            if reply.get("batch_done"):
                return results
            if "started" in reply:
                self._children[reply["started"]] = reply["pid"]
                continue
            self._children.pop(reply["mutant"], None)
            result = JobResult(reply["mutant"], reply["exit_code"], reply["seconds"], reply["timed_out"],
                               reply.get("error", ""))
            results[result.mutant] = result
            on_result(result)

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is None:
            self._ask_to_stop()
        stop_group(self.process, grace=STOP_GRACE_SECONDS)  # interrupted or failed: at once; else its leftovers
        for pid in self._children.values():
            kill_group(pid)  # the server kills them itself, unless it could not (killed at the end of its grace)
        self._reader.close()
        try:
            self._writer.close()
        except OSError:  # BrokenPipeError: the server is gone with what was left unsent
            pass
        return False

    def _ask_to_stop(self):
        try:
            self._writer.write(json.dumps({"stop": True}) + "\n")
            self._writer.close()
        except (BrokenPipeError, OSError, ValueError):  # ValueError: already closed
            return
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass

    def _receive(self):
        line = self._reader.readline()
        if not line:
            code = self.process.wait()
            raise IncompleteMeasurementError(
                f"the engine's fork server ended (exit {code}): {last_message(self.log_path)} (log: {self.log_path})",
                tail(self.log_path),
            )
        try:
            return json.loads(line)
        except ValueError:
            raise IncompleteMeasurementError(f"the engine's fork server sent an unreadable line: {line[:200]!r}") from None
