"""Benchmark: plain `mutmut run` against the gate on the same mutants, side by side.

`bench.py --project DIR [--workers 2] [--json PATH]` copies the project twice into a scratch
directory outside it. In one copy plain `mutmut run` runs with a `[mutmut]` section naming the
files the gate mutates, the suite and the pytest arguments (mutmut's defaults for the rest); in the
other the gate runs (`python -m mutation run`, same workers). Both use the project's venv
(DIR/.venv). Prints both wall times and their ratio, each side's count per status, the agreement
table (mutmut's status against the gate's, per mutant name) and every mutant they disagree on
with the reason the gate gives. Without --project it benches this repository with its .venv;
`--from PATH` prints an earlier run's figures again, `--summary PATH...` one line for each.
Both runs are CPU-bound: run it under `flock /tmp/mutation.lock`.
"""

import argparse
import configparser
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mutation.collect.targets import resolve_targets
from mutation.options import SECTION, load_config

REPO = Path(__file__).resolve().parents[1]
# Left out of both copies: environments, caches and what earlier runs wrote (names at the top level).
SKIPPED_AT_TOP = {".venv", ".git", "mutants", ".mutation-gate", ".mutation-bench", "htmlcov", ".tox", ".nox",
                  ".ruff_cache", ".mypy_cache"}
SKIPPED_ANYWHERE = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis", ".coverage",
                                          ".coverage.*")
# Root files pytest reads; plain mutmut copies setup.cfg and pyproject.toml itself, not these.
PYTEST_ROOT_FILES = ("pytest.ini", ".pytest.ini", "tox.ini", "conftest.py")
MUTMUT_DEFAULT_COPIES = ("tests", "test")
# mutmut's status -> the gate's status with the same meaning; any other pair is a difference.
SAME_STATUS = {"killed": "killed", "survived": "survived", "no tests": "no_tests", "timeout": "timeout",
               "caught by type check": "type_check", "skipped": "excluded"}
ABSENT = "(absent)"
KILL_KINDS = ("assertion", "crash", "timeout")  # the killer a reason names: the strongest evidence first
CORNER = "mutmut \\ gate"


@dataclass(frozen=True)
class Side:
    """One side's run: wall time, exit code, status (or gate.json entry) per mutant name, its copy and log;
    for mutmut also its exit code per mutant."""

    seconds: float
    exit_code: int
    statuses: dict
    root: Path
    log: Path
    codes: dict = None


# --- the plain mutmut copy -------------------------------------------------------------------


def plain_layout(package_root, files):
    """(mutmut source_paths, the mutated files in the copy, the directory renamed to src or None).

    mutmut puts only `mutants/`, `mutants/src` and `mutants/source` on sys.path, so packages under
    any other directory (`backend/`) are moved to `src/` in the copy."""
    if package_root == "src":
        return ["src"], list(files), None
    if package_root == ".":
        return sorted({PurePosixPath(path).parts[0] for path in files}), list(files), None
    root = PurePosixPath(package_root)
    return ["src"], [str("src" / PurePosixPath(path).relative_to(root)) for path in files], package_root


def plain_settings(project_mutmut, *, source_paths, files, suite, pytest_args, also_copy):
    """The copy's `[mutmut]` section: the project's own keys, with the gate's files, suite and arguments."""
    settings = dict(project_mutmut)
    settings["source_paths"] = list(source_paths)
    settings["only_mutate"] = list(files)
    settings["pytest_add_cli_args_test_selection"] = [suite]
    settings["pytest_add_cli_args"] = [*ini_list(project_mutmut.get("pytest_add_cli_args", "")), *pytest_args]
    settings["also_copy"] = list(dict.fromkeys([*ini_list(project_mutmut.get("also_copy", "")), *also_copy]))
    return {key: value for key, value in settings.items() if value != []}


def ini_list(value):
    return [line.strip() for line in value.splitlines() if line.strip()]


def also_copied(copy_root, suite, source_paths):
    """What the suite needs in mutants/ that mutmut does not copy by default: the suite itself and
    pytest's root files (without them pytest would read the copy's own configuration, outside mutants/)."""
    top = PurePosixPath(suite).parts[0]
    wanted = [] if top in MUTMUT_DEFAULT_COPIES or top in source_paths else [suite]
    return wanted + [name for name in PYTEST_ROOT_FILES if (copy_root / name).is_file()]


def copy_project(source, destination, skipped_at_top=()):
    """A copy of the project without environments, caches and earlier runs' output (`skipped_at_top`: more of those)."""
    def ignore(directory, names):
        skipped = set(SKIPPED_ANYWHERE(directory, names))
        if Path(directory) == source:
            skipped |= (SKIPPED_AT_TOP | set(skipped_at_top)) & set(names)
        return skipped

    shutil.copytree(source, destination, ignore=ignore, symlinks=True)


def prepare_plain(config, files, copy_root, overrides=None):
    """Configure plain mutmut in `copy_root` (`overrides`: mutmut keys set on top, e.g. process_isolation);
    returns the mutated files' paths there and its [mutmut] settings."""
    source_paths, plain_files, moved = plain_layout(config.package_root, files)
    if moved:
        if (copy_root / "src").exists():
            raise SystemExit(f"cannot move {moved}/ to src/ for plain mutmut: src/ exists")
        (copy_root / moved).rename(copy_root / "src")
    if (copy_root / "pyproject.toml").is_file() and "[tool.mutmut]" in (copy_root / "pyproject.toml").read_text():
        raise SystemExit("pyproject.toml has [tool.mutmut], which mutmut reads instead of setup.cfg: not supported")
    parser = read_ini(copy_root / "setup.cfg")
    project_mutmut = dict(parser["mutmut"]) if parser.has_section("mutmut") else {}
    settings = plain_settings(project_mutmut, source_paths=source_paths, files=plain_files, suite=config.suite,
                              pytest_args=config.pytest_args,
                              also_copy=also_copied(copy_root, config.suite, source_paths))
    settings.update(overrides or {})
    parser.remove_section(SECTION)
    parser.remove_section("mutmut")
    parser.add_section("mutmut")
    for key, value in settings.items():
        parser["mutmut"][key] = "\n" + "\n".join(value) if isinstance(value, list) else value
    with open(copy_root / "setup.cfg", "w", encoding="utf-8") as handle:
        parser.write(handle)
    return plain_files, settings


def read_ini(path):
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return parser


def mutmut_exit_codes(copy_root, files):
    """mutmut's exit code of every mutant, from `mutants/<file>.meta`, by mutant name."""
    codes = {}
    for path in files:
        meta = copy_root / "mutants" / f"{path}.meta"
        if meta.is_file():
            codes.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return codes


def mutmut_statuses(codes):
    """What mutmut reports for each exit code ("killed" for 1 and for pytest's internal error, 3)."""
    from mutmut.stats import status_by_exit_code

    return {name: status_by_exit_code[code] for name, code in codes.items()}


def mutmut_tests(copy_root):
    """How many tests mutmut ran for each function (by mangled name), from mutants/mutmut-stats.json."""
    stats = copy_root / "mutants" / "mutmut-stats.json"
    if not stats.is_file():
        return {}
    data = json.loads(stats.read_text(encoding="utf-8"))
    return {name: len(tests) for name, tests in data.get("tests_by_mangled_function_name", {}).items()}


# --- running both sides --------------------------------------------------------------------


def project_python(project_argument, project):
    """The interpreter that runs the gate on `project`: this repository's .venv without --project,
    else the project's .venv when it has one, else this interpreter."""
    if project_argument is None:
        return str(REPO / ".venv" / "bin" / "python")
    own = project / ".venv" / "bin" / "python"
    return str(own) if own.exists() else sys.executable


def environment(venv_bin):
    env = {key: value for key, value in os.environ.items()
           if key not in ("MUTANT_UNDER_TEST", "PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv_bin}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv_bin.parent)
    return env


def timed(command, cwd, env, log_path):
    started = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as log:
        code = subprocess.run(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT).returncode
    return time.monotonic() - started, code


def run_plain(config, files, copy_root, venv_bin, workers, overrides=None):
    plain_files, settings = prepare_plain(config, files, copy_root, overrides)
    log = copy_root.parent / "plain-mutmut.log"
    seconds, code = timed([str(venv_bin / "mutmut"), "run", "--max-children", str(workers)], copy_root,
                          environment(venv_bin), log)
    codes = mutmut_exit_codes(copy_root, plain_files)
    return Side(seconds, code, mutmut_statuses(codes), copy_root, log, codes), settings


def run_gate(config, copy_root, venv_bin, workers):
    log = copy_root.parent / "gate.log"
    seconds, code = timed([str(venv_bin / "python"), "-m", "mutation", "--config", str(copy_root / "setup.cfg"),
                           "run", "--workers", str(workers)], copy_root, environment(venv_bin), log)
    report = copy_root / config.report_dir / "gate.json"
    document = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else {"mutants": []}
    return Side(seconds, code, gate_mutants(document), copy_root, log), document


def gate_mutants(document):
    """The gate's mutants by engine name (`engine_name`, or `mutmut_name` in earlier reports)."""
    return {mutant.get("engine_name") or mutant["mutmut_name"]: mutant for mutant in document["mutants"]}


# --- comparing them ------------------------------------------------------------------------


def agreement(plain, gate):
    """Counter of (mutmut status, gate status) over every mutant name on either side."""
    return Counter((plain.get(name, ABSENT), gate.get(name, ABSENT)) for name in set(plain) | set(gate))


def gate_reason(mutant):
    """Why the gate gave `mutant` its status, from what gate.json records."""
    if mutant.get("reason"):
        return mutant["reason"]
    status, killers, covering = mutant["status"], mutant.get("killed_by", []), mutant.get("covered_by", [])
    if status == "no_tests":
        return "no test executes the mutated statement"
    if status in ("killed", "timeout") and killers:
        first = min(killers, key=lambda kill: KILL_KINDS.index(kill["kind"]) if kill["kind"] in KILL_KINDS else 3)
        more = f" (+{len(killers) - 1} more)" if len(killers) > 1 else ""
        return f"{first['kind']} in {first['test']}{more}"
    if status == "survived":
        ran = mutant.get("tests_run") or covering
        return f"the {len(ran)} tests run under it passed ({len(covering)} execute the mutated statement)"
    return status


def differences(plain, gate_by_name, mutmut_test_counts=None, mutmut_codes=None):
    """Every mutant whose two statuses differ in meaning: dicts of name, mutmut (its status and exit
    code), gate, the gate's reason, and how many tests mutmut ran for the mutant's function."""
    found = []
    for name in sorted(set(plain) | set(gate_by_name)):
        mine = plain.get(name, ABSENT)
        mutant = gate_by_name.get(name)
        theirs = mutant["status"] if mutant else ABSENT
        if SAME_STATUS.get(mine) == theirs:
            continue
        reason = gate_reason(mutant) if mutant else "the gate has no such mutant"
        found.append({"name": name, "mutmut": mine, "mutmut_exit": (mutmut_codes or {}).get(name), "gate": theirs,
                      "reason": reason, "mutmut_tests": (mutmut_test_counts or {}).get(name.partition("__mutmut_")[0])})
    return found


def table(counts):
    """The agreement table as lines: rows are mutmut's statuses, columns the gate's."""
    rows = sorted({row for row, _ in counts}, key=_order)
    columns = sorted({column for _, column in counts}, key=_order)
    width = max([len(CORNER), *map(len, rows)])
    cell = max([8, *(len(column) + 1 for column in columns)])
    lines = [f"{CORNER:<{width}}" + "".join(f"{column:>{cell}}" for column in columns) + f"{'total':>{cell}}"]
    for row in rows:
        values = [counts.get((row, column), 0) for column in columns]
        lines.append(f"{row:<{width}}" + "".join(f"{value or '.':>{cell}}" for value in values) + f"{sum(values):>{cell}}")
    return lines


def _order(status):
    known = ["killed", "timeout", "survived", "no tests", "no_tests", "unresolved", ABSENT]
    return (known.index(status) if status in known else len(known) - 1, status)


# --- the command ---------------------------------------------------------------------------


def summary(name, config, files, workers, plain, gate, document, settings, overrides=None):
    counts = agreement(plain.statuses, {n: m["status"] for n, m in gate.statuses.items()})
    return {
        "project": name,
        "gate_commit": gate_commit(),
        "workers": workers,
        "targets": [target.path for target in config.targets],
        "files": files,
        "mutmut_settings": settings,
        "mutmut_overrides": dict(overrides or {}),
        "plain": {"seconds": round(plain.seconds, 1), "exit_code": plain.exit_code,
                  "counts": dict(Counter(plain.statuses.values())), "log": str(plain.log)},
        "gate": {"seconds": round(gate.seconds, 1), "exit_code": gate.exit_code,
                 "counts": dict(Counter(m["status"] for m in gate.statuses.values())), "log": str(gate.log),
                 "verdict": document.get("verdict", {}).get("status"),
                 "phase_seconds": document.get("run", {}).get("phase_seconds", {})},
        "ratio": round(gate.seconds / plain.seconds, 2) if plain.seconds else None,
        "agreement": [{"mutmut": row, "gate": column, "count": count} for (row, column), count in sorted(counts.items())],
        "differences": differences(plain.statuses, gate.statuses, mutmut_tests(plain.root), plain.codes),
    }


def gate_commit():
    """This repository's commit (the gate is installed editable from it), `+dirty` with uncommitted gate changes."""
    def git(*args):
        return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + ("+dirty" if git("status", "--porcelain", "--", "mutation") else "")


def report(result, out=sys.stdout):
    plain, gate = result["plain"], result["gate"]
    say = lambda line="": print(line, file=out)  # noqa: E731
    say(f"gate at commit {result['gate_commit']}")
    say(f"plain mutmut run : {plain['seconds']:8.1f} s  exit {plain['exit_code']}  {_counts(plain['counts'])}")
    say(f"mutation gate    : {gate['seconds']:8.1f} s  exit {gate['exit_code']}  {_counts(gate['counts'])}"
        + (f"  ({gate['verdict']})" if gate["verdict"] else ""))
    if gate["phase_seconds"]:
        say("  gate phases    : " + ", ".join(f"{phase} {seconds:.1f}s" for phase, seconds in gate["phase_seconds"].items()))
    if result["ratio"] is not None:
        say(f"ratio gate/plain : {result['ratio']:8.2f}x")
    counts = {(cell["mutmut"], cell["gate"]): cell["count"] for cell in result["agreement"]}
    if counts:
        say()
        say("agreement (rows: mutmut's status, columns: the gate's; per mutant name)")
        for line in table(counts):
            say("  " + line)
    say()
    say(f"differences: {len(result['differences'])}")
    by_kind = Counter((d["mutmut"], d["gate"]) for d in result["differences"])
    for (mine, theirs), count in sorted(by_kind.items(), key=lambda item: -item[1]):
        say(f"  {count:5d}  mutmut {mine} -> gate {theirs}")
    for difference in result["differences"]:
        tests = "" if difference["mutmut_tests"] is None else f" [mutmut ran {difference['mutmut_tests']} tests]"
        code = difference.get("mutmut_exit")
        exit_note = f" (exit {code})" if code not in (None, 0, 1) else ""
        say(f"  {difference['name']}: mutmut {difference['mutmut']}{exit_note}, gate {difference['gate']}: "
            f"{difference['reason']}{tests}")


def summary_table(results):
    """One line per bench result: both times and exits, the ratio, and how many mutants agree."""
    lines = [f"{'project':<22} {'gate':<8} {'mutmut s':>9} {'exit':>4} {'gate s':>8} {'exit':>4} {'ratio':>6} "
             f"{'mutants':>7} {'agree':>6}  differences"]
    for result in results:
        total = sum(cell["count"] for cell in result["agreement"])
        kinds = Counter((d["mutmut"], d["gate"]) for d in result["differences"])
        ratio = f"{result['ratio']:.2f}x" if result["ratio"] is not None else "-"
        lines.append(
            f"{result['project']:<22} {result.get('gate_commit', '?'):<8} {result['plain']['seconds']:>9.1f} "
            f"{result['plain']['exit_code']:>4} {result['gate']['seconds']:>8.1f} {result['gate']['exit_code']:>4} "
            f"{ratio:>6} {total:>7} {total - len(result['differences']):>6}  "
            + (", ".join(f"{n} {mine}->{theirs}" for (mine, theirs), n in kinds.most_common()) or "none")
            + "".join(f"; mutmut {key}={value}" for key, value in result.get("mutmut_overrides", {}).items()))
    return lines


def _counts(counts):
    return ", ".join(f"{status} {count}" for status, count in sorted(counts.items(), key=lambda item: _order(item[0])))


def tail(path, lines=15):
    text = path.read_text(encoding="utf-8", errors="replace").replace("\r", "\n") if path.is_file() else ""
    return [line for line in text.splitlines() if line.strip()][-lines:]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, help="a project with a [mutation_gate] section (default: this repository)")
    parser.add_argument("--venv", type=Path, help="its venv (default: PROJECT/.venv, or this repository's .venv)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scratch", type=Path, help="where the two copies go (default: a new temporary directory)")
    parser.add_argument("--json", dest="json_path", help="also write the figures as JSON to this file ('-': stdout)")
    parser.add_argument("--mutmut", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="a [mutmut] key for plain mutmut, over its defaults (e.g. process_isolation=forkserver)")
    parser.add_argument("--from", dest="source", type=Path, help="print the figures of an earlier --json file, running nothing")
    parser.add_argument("--summary", nargs="+", type=Path, metavar="JSON", help="one line per earlier --json file")
    arguments = parser.parse_args(argv)
    if arguments.source:
        report(json.loads(arguments.source.read_text(encoding="utf-8")))
        return 0
    if arguments.summary:
        results = [json.loads(path.read_text(encoding="utf-8")) for path in arguments.summary]
        print("\n".join(summary_table(results)))
        return 0
    project = (arguments.project or REPO).resolve()
    venv = (arguments.venv or (project / ".venv" if arguments.project else Path(sys.prefix))).resolve()
    config = load_config(project / "setup.cfg")
    files = [path for target in resolve_targets(config) for path in target.files]
    scratch = fresh_scratch(arguments.scratch, project.name)
    print(f"project: {project} ({len(files)} files: {', '.join(files)}), {arguments.workers} workers, "
          f"venv {venv}, copies in {scratch}", flush=True)
    outputs = [PurePosixPath(path).parts[0] for path in (config.work_dir, config.report_dir)]
    copy_project(project, scratch / "plain", outputs)
    copy_project(project, scratch / "gate", outputs)
    overrides = dict(override.partition("=")[::2] for override in arguments.overrides)
    plain, settings = run_plain(config, files, scratch / "plain", venv / "bin", arguments.workers, overrides)
    print(f"plain mutmut run finished: {plain.seconds:.1f} s, exit {plain.exit_code}", flush=True)
    gate, document = run_gate(config, scratch / "gate", venv / "bin", arguments.workers)
    print(f"gate finished: {gate.seconds:.1f} s, exit {gate.exit_code}", flush=True)
    result = summary(project.name, config, files, arguments.workers, plain, gate, document, settings, overrides)
    for side in (plain, gate):
        if side.exit_code not in (0, 2, 3) or not side.statuses:
            print(f"--- tail of {side.log}:\n" + "\n".join(tail(side.log)))
    report(result)
    if arguments.json_path:
        write_json(result, arguments.json_path)
    return 0


def fresh_scratch(path, name):
    if path is None:
        return Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    if path.exists() and any(path.iterdir()):
        raise SystemExit(f"--scratch {path} is not empty")
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


def write_json(result, destination):
    text = json.dumps(result, indent=2) + "\n"
    if destination == "-":
        sys.stdout.write(text)
    else:
        Path(destination).write_text(text, encoding="utf-8")
        print(f"json: {destination}")


if __name__ == "__main__":
    sys.exit(main())
