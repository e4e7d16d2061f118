"""Proof that shards merged are one run (issue 16): N shards one after another, merged, against one
unsharded run of the same code, mutant by mutant and test by test.

`prove_shards.py [--project DIR] [--shards 3] [--workers 2] [--by-count] [--json PATH]` works in
copies of the project inside a fresh temporary directory, never in the project itself:

1. copy A: one unsharded `run --no-cache` (every mutant measured);
2. copy B: the shards `run --shard K/N`, one after another, then `merge` of their documents. By
   default B starts from A's result cache with every result made stale (each entry's function
   fingerprint altered, as if every function had changed): the shards split by the recorded
   durations of the tests each mutant's last measurement ran, as a CI matrix restoring the last
   run's cache does, and still measure every mutant; `--by-count` runs them with `--no-cache` (no
   durations: a split by count).

Then it compares the merged gate.json with A's: every mutant's status and killers (`killed_by`, the
kills of its own session), every test's class, the rejected tests, the verdict and each target's
scores. Kills found by credit passes (`credited_by`) are counted apart: which tests a credit pass
tries depends on the mutants measured together, so they may differ without changing any class.
Prints each run's seconds, each shard's mutants and the differences; exit 0 when there are none and
every shard exited 0, else 1 with the reason on one line. Every run is CPU-bound: run it under
`flock /tmp/mutation.lock`; on this repository it takes about two full runs' time.
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
if str(REPO / "scripts") not in sys.path:
    sys.path.append(str(REPO / "scripts"))

from bench import copy_project, environment, gate_commit, project_python, timed, write_json  # noqa: E402
from mutation.options import load_config  # noqa: E402
from mutation.run_lock import LOCK_NAME  # noqa: E402

VERDICT_EXITS = (0, 2, 3)
SHOWN = 10


class ProofFailure(Exception):
    """A run that makes the comparison meaningless: one line."""


def session_kills(mutant):
    return sorted((kill["test"], kill["kind"]) for kill in mutant["killed_by"])


def credit_kills(mutant):
    return sorted((kill["test"], kill["kind"]) for kill in mutant.get("credited_by", ()))


def _by_id(document, value):
    return {mutant["id"]: value(mutant) for mutant in document["mutants"]}


def _scores(document):
    return {target["path"]: {key: value for key, value in target.items() if key not in ("path", "files")}
            for target in document["targets"]}


COMPARED = {
    "mutant status": lambda document: _by_id(document, lambda mutant: mutant["status"]),
    "mutant killers": lambda document: _by_id(document, session_kills),
    "test class": lambda document: {test: entry.get("class") for test, entry in document["tests"].items()},
    "rejected tests": lambda document: {"rejected": sorted(document["rejected_tests"])},
    "verdict": lambda document: {key: document["verdict"][key] for key in ("status", "exit_code")},
    "target scores": _scores,
}


def differences(single, merged):
    """{what: [(name, single's, merged's)]} of every compared part that differs."""
    found = {}
    for what, read in COMPARED.items():
        first, second = read(single), read(merged)
        found[what] = [(name, first.get(name, "(absent)"), second.get(name, "(absent)"))
                       for name in sorted(set(first) | set(second)) if first.get(name) != second.get(name)]
    return found


def credit_differences(single, merged):
    first, second = _by_id(single, credit_kills), _by_id(merged, credit_kills)
    return sum(1 for name in set(first) | set(second) if first.get(name) != second.get(name))


class Runs:
    def __init__(self, project, config, python, scratch, workers):
        self.project, self.config, self.python, self.scratch, self.workers = project, config, python, scratch, workers
        self.env = environment(Path(python).parent)
        if project != REPO:
            self.env["PYTHONPATH"] = str(REPO)
        self.skipped = {Path(path).parts[0] for path in (config.work_dir, config.report_dir)} | {LOCK_NAME}
        self.figures = {}

    def copy(self, label):
        destination = self.scratch / label / self.project.name
        copy_project(self.project, destination, self.skipped)
        (destination / self.config.cache).unlink(missing_ok=True)
        return destination

    def gate(self, label, root, *arguments, exits=VERDICT_EXITS):
        log = self.scratch / f"{label.replace(' ', '-').replace('/', '-of-')}.log"
        print(f"{label}: running in {root} (log {log}) ...", flush=True)
        command = [self.python, "-m", "mutation", "--config", str(root / "setup.cfg"), *arguments]
        seconds, code = timed(command, root, self.env, log)
        if code not in exits:
            raise ProofFailure(f"{label}: exit {code}; log {log}")
        self.figures[label] = {"seconds": round(seconds, 2), "exit_code": code, "log": str(log)}
        print(f"{label}: {seconds:.1f} s, exit {code}", flush=True)
        return seconds, code

    def document(self, root, name):
        path = root / self.config.report_dir / name
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ProofFailure(f"{path}: no readable document ({error})") from None
        if document.get("state") != "finished":
            raise ProofFailure(f"{path}: state {document.get('state')}, not finished")
        return document


def seed_cache(config, source_root, destination_root):
    """B's cache: A's with every result stale (no lookup matches its function fingerprint), so the
    shards split by its recorded durations and measure every mutant."""
    cache = json.loads((source_root / config.cache).read_text(encoding="utf-8"))
    for entry in cache["entries"].values():
        entry["function"] = "stale: " + entry["function"]
    cache["history"] = {}
    target = destination_root / config.cache
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(cache), encoding="utf-8")


def prove(project, config, python, scratch, workers, count, by_count):
    runs = Runs(project, config, python, scratch, workers)
    single_root = runs.copy("single")
    runs.gate("single", single_root, "run", "--workers", str(workers), "--no-cache")
    single = runs.document(single_root, "gate.json")

    sharded_root = runs.copy("sharded")
    if not by_count:
        seed_cache(config, single_root, sharded_root)
    flags = ["--no-cache"] if by_count else []
    shards = []
    for index in range(1, count + 1):
        runs.gate(f"shard {index}/{count}", sharded_root, "run", "--workers", str(workers), *flags,
                  "--shard", f"{index}/{count}", exits=(0,))
        shards.append(runs.document(sharded_root, f"shard-{index}-of-{count}.json"))
    paths = [str(sharded_root / config.report_dir / f"shard-{index}-of-{count}.json") for index in range(1, count + 1)]
    runs.gate("merge", sharded_root, "merge", *paths)
    merged = runs.document(sharded_root, "gate.json")

    found = differences(single, merged)
    shard_seconds = [runs.figures[f"shard {index}/{count}"]["seconds"] for index in range(1, count + 1)]
    return {
        "project": str(project), "gate_commit": gate_commit() or "unknown", "workers": workers, "scratch": str(scratch),
        "mutants": len(single["mutants"]), "tests": len(single["tests"]), "runs": runs.figures,
        "shards": [{"index": shard["run"]["shard"]["index"], "basis": shard["run"]["shard"]["basis"],
                    "split": shard["run"]["shard"]["split"], "mutants": len(shard["run"]["shard"]["mutants"]),
                    "seconds": seconds} for shard, seconds in zip(shards, shard_seconds)],
        "slowest_shard_over_single": round(max(shard_seconds) / runs.figures["single"]["seconds"], 3),
        "differences": {what: [list(item) for item in items] for what, items in found.items()},
        "credit_kill_differences": credit_differences(single, merged),
        "single_verdict": single["verdict"]["status"], "merged_verdict": merged["verdict"]["status"],
    }


def failure(result):
    splits = {shard["split"] for shard in result["shards"]}
    if len(splits) != 1:
        return f"the shards split on {len(splits)} different digests"
    for what, items in result["differences"].items():
        if items:
            return f"{len(items)} differences in {what}, e.g. {items[0]}"
    return None


def report(result, out=sys.stdout):
    say = lambda line="": print(line, file=out)  # noqa: E731
    say(f"gate at commit {result['gate_commit']}: {result['mutants']} mutants, {result['tests']} tests, "
        f"{result['workers']} workers")
    single = result["runs"]["single"]
    say(f"unsharded run      : {single['seconds']:8.1f} s  exit {single['exit_code']}  ({result['single_verdict']})")
    for shard in result["shards"]:
        say(f"shard {shard['index']}/{len(result['shards'])}          : {shard['seconds']:8.1f} s  "
            f"{shard['mutants']} mutants (split by {shard['basis']}, digest {shard['split']})")
    merge = result["runs"]["merge"]
    say(f"merge              : {merge['seconds']:8.1f} s  exit {merge['exit_code']}  ({result['merged_verdict']})")
    say(f"slowest shard / unsharded run: {result['slowest_shard_over_single']:.3f}")
    for what, items in result["differences"].items():
        say(f"{what:<15}: {len(items)} differences")
        for name, first, second in items[:SHOWN]:
            say(f"  {name}: {first} (unsharded) vs {second} (merged)")
    say(f"credit-pass kills: {result['credit_kill_differences']} mutants differ (not compared: see the docstring)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, help="a project with a [mutation_gate] section (default: this repository)")
    parser.add_argument("--shards", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--by-count", action="store_true", help="run the shards with --no-cache: a split by count")
    parser.add_argument("--json", dest="json_path", help="also write the figures as JSON to this file ('-': stdout)")
    arguments = parser.parse_args(argv)
    if arguments.shards < 2:
        print("prove-shards: --shards must be at least 2")
        return 1
    project = (arguments.project or REPO).resolve()
    python = project_python(arguments.project, project)
    config = load_config(project / "setup.cfg")
    scratch = Path(tempfile.mkdtemp(prefix=f"prove-shards-{project.name}-"))
    print(f"project: {project}, {arguments.shards} shards, {arguments.workers} workers, copies in {scratch}", flush=True)
    try:
        result = prove(project, config, python, scratch, arguments.workers, arguments.shards, arguments.by_count)
    except ProofFailure as error:
        print(f"prove-shards: {error}")
        return 1
    report(result)
    if arguments.json_path:
        write_json(result, arguments.json_path)
    problem = failure(result)
    if problem:
        print(f"prove-shards: {problem}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
