"""Benchmark of the result cache and of `run --diff`: issue 15's "Measure", side by side in one run.

`bench_incremental.py [--project DIR] [--workers 2] [--json PATH] [--function FILE::NAME] [--test FILE]`
runs the gate (`python -m mutation run`) in copies of the project inside a fresh temporary
directory, never in the project itself:

1. a full run with an empty cache (copy A), then the same run again in A with no change: the
   rerun must take at most 5% of the full run's wall time and give every mutant the same status
   and every test the same class;
2. one function's body changed (a `pass` inserted as its first statement, after its docstring) in
   a copy of A with its cache (B), against a `--no-cache` run of the same changed code without the
   cache (C): B must take at most 10% of the full run, with exactly C's verdicts;
3. one test function changed the same way in a copy of A with its cache (D), against a `--no-cache`
   run of the same code (E): D must measure exactly the mutants the tests of that file cover
   (gate.json `run.cache.measured` against the mutants' `covered_by`), with E's verdicts;
4. A's copy made a git repository (F): the project committed as the base, the function of 2
   changed on a branch and committed, then `run --diff BASE` with A's cache: at most 10% of the
   full run (gate.json `run.diff.measured` is printed).

By default the changed function is one of the targets' functions with the most mutants among
those whose change re-measures at most 2% of all mutants (its own and those covered by the tests
that run it); the changed test file is the one whose tests cover the most mutants within the same
2%. `--function FILE::NAME` (NAME as gate.json's `function`: `name` or `Class.name`) and
`--test FILE` (paths relative to the project) choose them instead.

Without --project it benches this repository with its .venv (the copy's own `mutation/` runs);
another project runs with DIR/.venv/bin/python if there is one (else this interpreter) and this
checkout's gate first on PYTHONPATH. Each run's output goes to a log in the temporary directory
and its gate.json is kept beside it. Prints a table of every run's seconds, the ratios against
their bounds and the verdict differences; `--json PATH` writes the figures. Exit 0 when every
ratio is within its bound and every difference count is 0, else 1 with the reason on one line; a
gate run that exits with anything but 0, 2 or 3 (a verdict), or writes no finished gate.json,
ends the bench at once (exit 1, its log named). Every run is CPU-bound: run it under
`flock /tmp/mutation.lock`; on this repository it takes about three full runs' time.
"""

import argparse
import ast
import io
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # this checkout's gate, not the one the venv may have installed from another
if str(REPO / "scripts") not in sys.path:
    sys.path.append(str(REPO / "scripts"))  # scripts/bench.py, when this module is loaded from elsewhere (its tests)

from bench import copy_project, environment, gate_commit, project_python, timed, write_json  # noqa: E402
from mutation.options import load_config  # noqa: E402
from mutation.run_lock import LOCK_NAME  # noqa: E402

RERUN_BOUND = 0.05
CHANGE_BOUND = 0.10
# The default changes re-measure at most this share of all mutants (the bounds include fixed costs).
CHANGE_SHARE = 0.02
VERDICT_EXITS = (0, 2, 3)  # a finished run's verdict; any other exit code is a failed run
EDIT = "pass  # bench-incremental: a harmless edit of this body"
GIT = ("git", "-c", "user.name=bench-incremental", "-c", "user.email=bench-incremental@localhost",
       "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null")
SHOWN_DIFFERENCES = 10


class BenchFailure(Exception):
    """A run or a step that makes the figures meaningless: one line."""


# --- editing a copy: a harmless statement as a function body's first line --------------------


def find_function(tree, qualified):
    """The (async) function definition `name` or `Class.name` at the top of the module, or None."""
    *owner, name = qualified.split(".")
    if len(owner) > 1:
        return None
    body = tree.body
    if owner:
        classes = [node for node in body if isinstance(node, ast.ClassDef) and node.name == owner[0]]
        if not classes:
            return None
        body = classes[-1].body
    found = [node for node in body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name]
    return found[-1] if found else None


def function_spans(source):
    """`{qualified name: (first line, last line)}` of every top-level function and method (the def line on)."""
    spans = {}
    for node in ast.parse(source).body:
        members = [(node.name, child) for child in node.body] if isinstance(node, ast.ClassDef) else [(None, node)]
        for owner, child in members:
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                spans[f"{owner}.{child.name}" if owner else child.name] = (child.lineno, child.end_lineno)
    return spans


def insert_statement(source, qualified, statement=EDIT):
    """`source` with `statement` as the first line of function `qualified`'s body (after its docstring),
    indented like the body; ValueError when there is no such function or its body is on the def line."""
    function = find_function(ast.parse(source), qualified)
    if function is None:
        raise ValueError(f"no function {qualified}")
    lines = io.StringIO(source, newline="").readlines()  # the line ends ast counts (\n, \r\n, \r), kept
    first = function.body[0]
    if _is_docstring(first):
        where, like = first.end_lineno, first.lineno  # after the docstring's last line
    else:
        decorators = [decorator.lineno for decorator in getattr(first, "decorator_list", [])]
        where = min([first.lineno, *decorators]) - 1  # before the first statement (and its decorators)
        like = where + 1
    model = lines[like - 1]
    indent = model[:len(model) - len(model.lstrip(" \t"))]
    if len(indent) != first.col_offset or first.lineno == function.lineno:
        raise ValueError(f"{qualified}: its body starts on the def line")
    ending = model[len(model.rstrip("\r\n")):] or "\n"
    if where == len(lines) and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += ending
    edited = "".join([*lines[:where], f"{indent}{statement}{ending}", *lines[where:]])
    try:
        ast.parse(edited)
    except SyntaxError as error:
        raise ValueError(f"{qualified}: the edit is not valid Python ({error.msg}, line {error.lineno})") from None
    return edited


def _is_docstring(node):
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def first_test_function(source):
    """The qualified name of the file's first test function (`test*`, or `Test*.test*`) whose body can take
    an edit, or None."""
    for name in function_spans(source):
        owner, _, leaf = name.rpartition(".")
        if leaf.startswith("test") and (not owner or owner.startswith("Test")):
            try:
                insert_statement(source, name)
            except ValueError:
                continue
            return name
    return None


# --- reading gate.json ----------------------------------------------------------------------


def test_file(test_id):
    return test_id.split("::", 1)[0]


def verdict_differences(before, after):
    """Every mutant (by `mutmut_name`) whose status differs and every test whose class differs
    between two gate.json documents, one absent on a side included: dicts of kind, name, before, after."""
    found = []
    for kind, first, second in (
            ("mutant", _statuses(before), _statuses(after)),
            ("test", _classes(before), _classes(after))):
        for name in sorted(set(first) | set(second)):
            if first.get(name) != second.get(name):
                found.append({"kind": kind, "name": name, "before": first.get(name, "(absent)"),
                              "after": second.get(name, "(absent)")})
    return found


def _statuses(document):
    return {mutant["mutmut_name"]: mutant["status"] for mutant in document["mutants"]}


def _classes(document):
    return {test: entry.get("class") for test, entry in document["tests"].items()}


def covered_by_file(document, path):
    """The mutants (names) that a test of the file `path` covers, excluded ones left out (never measured)."""
    return {mutant["mutmut_name"] for mutant in document["mutants"]
            if mutant["status"] != "excluded" and any(test_file(test) == path for test in mutant["covered_by"])}


def affected_by_function(document, path, span, index=None):
    """The mutants a change of the function at `span` (first, last line) of `path` re-measures: its own and
    every mutant covered by a test that ran one of its lines (a covering test's code under test changed).
    `index`: `_Index(document)`, built once for many calls."""
    index = index or _Index(document)
    first, last = span
    running = [test for test, lines in index.lines.get(path, {}).items() if any(first <= line <= last for line in lines)]
    own = {name for name, (file, line) in index.places.items() if file == path and first <= line <= last}
    return own.union(*(index.covered.get(test, ()) for test in running))


class _Index:
    """What `affected_by_function` reads of a document: each judged mutant's place, the mutants each test
    covers, and the target lines each test ran by file."""

    def __init__(self, document):
        self.places, self.covered, self.lines = {}, {}, {}
        for mutant in document["mutants"]:
            if mutant["status"] != "excluded":
                self.places[mutant["mutmut_name"]] = (mutant["file"], mutant["start_line"])
                for test in mutant["covered_by"]:
                    self.covered.setdefault(test, set()).add(mutant["mutmut_name"])
        for test, entry in document["tests"].items():
            for path, lines in entry["target_lines"].items():
                self.lines.setdefault(path, {})[test] = lines


@dataclass(frozen=True)
class Choice:
    """What a step changes: a file, the function edited in it, the mutants it has and is expected to re-measure."""

    path: str
    function: str
    own: int
    expected: int


def function_choices(document):
    """A Choice for every editable function with mutants, from gate.json's sources and mutants."""
    counts = {}
    for mutant in document["mutants"]:
        if mutant["status"] != "excluded":
            key = (mutant["file"], mutant["function"])
            counts[key] = counts.get(key, 0) + 1
    choices, index = [], _Index(document)
    for (path, name), own in sorted(counts.items()):
        source = document["files"].get(path, {}).get("source")
        span = function_spans(source).get(name) if source is not None else None
        if span is None or not _editable(source, name):
            continue
        choices.append(Choice(path, name, own, len(affected_by_function(document, path, span, index))))
    return choices


def test_choices(document, sources):
    """A Choice for every test file (`sources`: path -> text) with an editable test whose tests cover a mutant."""
    choices = []
    for path in sorted({test_file(test) for test in document["tests"]}):
        covered = len(covered_by_file(document, path))
        name = first_test_function(sources[path]) if covered and path in sources else None
        if name is not None:
            choices.append(Choice(path, name, covered, covered))
    return choices


def pick(choices, total, share=CHANGE_SHARE):
    """The choice with the most own mutants among those expected to re-measure at most `share` of `total`;
    without one, the one expected to re-measure the fewest."""
    if not choices:
        return None
    within = [choice for choice in choices if choice.expected <= share * total]
    if within:
        return max(within, key=lambda choice: (choice.own, -choice.expected))
    return min(choices, key=lambda choice: (choice.expected, -choice.own))


def _editable(source, name):
    try:
        insert_statement(source, name)
    except ValueError:
        return False
    return True


# --- the runs -------------------------------------------------------------------------------


@dataclass
class Run:
    label: str
    title: str
    seconds: float
    exit_code: int
    log: Path
    gate_json: Path
    document: dict = field(repr=False)

    @property
    def cache(self):
        return self.document["run"].get("cache", {})

    def figures(self):
        return {"title": self.title, "seconds": round(self.seconds, 2), "exit_code": self.exit_code,
                "log": str(self.log), "gate_json": str(self.gate_json), "cache": self.cache,
                "diff": self.document["run"].get("diff"), "verdict": self.document["verdict"].get("status")}


class Bench:
    def __init__(self, project, config, python, scratch, workers):
        self.project, self.config, self.python, self.scratch, self.workers = project, config, python, scratch, workers
        self.env = environment(Path(python).parent)
        if project != REPO:
            self.env["PYTHONPATH"] = str(REPO)  # this checkout's gate (the copy of this repository has its own)
        self.skipped = {PurePosixPath(path).parts[0] for path in (config.work_dir, config.report_dir)} | {LOCK_NAME}
        self.runs = {}

    def copy(self, source, label, with_cache):
        """A copy of `source` in scratch/<label>/<project name>, its cache carried along or removed."""
        destination = self.scratch / label / self.project.name
        copy_project(source, destination, self.skipped)
        cache = Path(self.config.cache)
        if with_cache and (source / cache).is_file():
            (destination / cache).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / cache, destination / cache)
        elif not with_cache:
            (destination / cache).unlink(missing_ok=True)
        return destination

    def gate(self, label, title, root, *flags):
        log = self.scratch / f"{label}.log"
        print(f"{title}: running in {root} (log {log}) ...", flush=True)
        command = [self.python, "-m", "mutation", "--config", str(root / "setup.cfg"), "run",
                   "--workers", str(self.workers), *flags]
        seconds, code = timed(command, root, self.env, log)
        report = root / self.config.report_dir / "gate.json"
        document = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else None
        if code not in VERDICT_EXITS or document is None or document.get("state") != "finished":
            state = "no gate.json" if document is None else f"gate.json {document.get('state')}"
            raise BenchFailure(f"run '{title}' failed: exit {code}, {state}; log {log}")
        kept = self.scratch / f"{label}.gate.json"
        shutil.copy2(report, kept)
        run = Run(label, title, seconds, code, log, kept, document)
        self.runs[label] = run
        print(f"{title}: {seconds:.1f} s, exit {code}, {run.cache.get('measured')} measured, "
              f"{run.cache.get('reused')} reused", flush=True)
        return run


def edit_function(root, choice):
    path = root / choice.path
    path.write_text(insert_statement(path.read_text(encoding="utf-8"), choice.function), encoding="utf-8")


def git(root, *arguments):
    completed = subprocess.run([*GIT, *arguments], cwd=root, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise BenchFailure(f"git {' '.join(arguments)} failed in {root}: {completed.stderr.strip()}")
    return completed.stdout.strip()


def make_repository(root, config, choice):
    """`root` as a git repository: everything committed as the base, then `choice` changed and committed on
    a branch; the base commit. The gate's directories, its cache and its lock file are left out."""
    git(root, "init", "-q")
    ignored = [config.work_dir, config.report_dir, config.cache, LOCK_NAME]
    with open(root / ".git" / "info" / "exclude", "a", encoding="utf-8") as exclude:
        exclude.write("".join(f"/{PurePosixPath(path).as_posix()}\n" for path in ignored))
    git(root, "add", "-A")
    git(root, "commit", "-q", "--no-verify", "-m", "bench-incremental: base")
    base = git(root, "rev-parse", "HEAD")
    git(root, "checkout", "-q", "-b", "bench-incremental")
    edit_function(root, choice)
    git(root, "commit", "-q", "--no-verify", "-a", "-m", f"bench-incremental: change {choice.function}")
    return base


def chosen_function(argument, document):
    choices = function_choices(document)
    if argument is None:
        choice = pick(choices, len(document["mutants"]))
        if choice is None:
            raise BenchFailure("no function with mutants whose body can take an edit")
        return choice
    path, separator, name = argument.partition("::")
    found = [choice for choice in choices if (choice.path, choice.function) == (path, name)]
    if not separator or not found:
        raise BenchFailure(f"--function {argument}: not a function with mutants (FILE::NAME, e.g. "
                           f"{choices[0].path}::{choices[0].function})" if choices else f"--function {argument}: "
                           "no function with mutants")
    return found[0]


def chosen_test(argument, document, root):
    paths = sorted({test_file(test) for test in document["tests"]})
    sources = {path: (root / path).read_text(encoding="utf-8") for path in paths if (root / path).is_file()}
    if argument is None:
        choice = pick(test_choices(document, sources), len(document["mutants"]))
        if choice is None:
            raise BenchFailure("no test file whose tests cover a mutant and whose test can take an edit")
        return choice
    path = PurePosixPath(argument).as_posix()
    name = first_test_function(sources[path]) if path in sources else None
    if name is None:
        raise BenchFailure(f"--test {argument}: not a test file of this run with a test function to edit")
    covered = len(covered_by_file(document, path))
    return Choice(path, name, covered, covered)


def argument_problem(project, function_argument, test_argument):
    """Why --function or --test cannot be used, before anything runs (None: they can)."""
    if function_argument is not None:
        path, separator, name = function_argument.partition("::")
        if not separator:
            return f"--function {function_argument}: expected FILE::NAME (e.g. pkg/module.py::Class.method)"
        source = _text(project / path)
        if source is None or not _editable(source, name):
            return f"--function {function_argument}: no function {name} in {path} whose body can take an edit"
    if test_argument is not None:
        source = _text(project / test_argument)
        if source is None or first_test_function(source) is None:
            return f"--test {test_argument}: not a Python file with a test function to edit"
    return None


def _text(path):
    try:
        source = path.read_text(encoding="utf-8")
        ast.parse(source)
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return None
    return source


def bench(project, config, python, scratch, workers, function_argument=None, test_argument=None):
    """Every run of the four measurements; the figures (see `summary`)."""
    runs = Bench(project, config, python, scratch, workers)
    full_root = runs.copy(project, "full", with_cache=False)
    full = runs.gate("full", "full run, empty cache", full_root)
    rerun = runs.gate("rerun", "rerun, no change", full_root)
    function = chosen_function(function_argument, full.document)
    test = chosen_test(test_argument, full.document, full_root)
    print(f"changed function: {function.path}::{function.function} ({function.own} mutants of its own, "
          f"{function.expected} expected to be re-measured)", flush=True)
    print(f"changed test: {test.path}::{test.function} (its file's tests cover {test.expected} mutants)", flush=True)

    changed_root = runs.copy(full_root, "function", with_cache=True)
    edit_function(changed_root, function)
    fresh_root = runs.copy(changed_root, "function-fresh", with_cache=False)
    changed = runs.gate("function", "function changed", changed_root)
    changed_fresh = runs.gate("function-fresh", "function changed, --no-cache", fresh_root, "--no-cache")

    test_root = runs.copy(full_root, "test", with_cache=True)
    edit_function(test_root, test)
    test_fresh_root = runs.copy(test_root, "test-fresh", with_cache=False)
    test_run = runs.gate("test", "test changed", test_root)
    test_fresh = runs.gate("test-fresh", "test changed, --no-cache", test_fresh_root, "--no-cache")

    diff_root = runs.copy(full_root, "diff", with_cache=True)
    base = make_repository(diff_root, config, function)
    diff = runs.gate("diff", "--diff on a one-function branch", diff_root, "--diff", base)

    covered = covered_by_file(test_run.document, test.path)
    return {
        "project": str(project),
        "gate_commit": gate_commit() or "unknown",
        "workers": workers,
        "scratch": str(scratch),
        "mutants": len(full.document["mutants"]),
        "changed_function": vars(function),
        "changed_test": vars(test),
        "runs": {label: run.figures() for label, run in runs.runs.items()},
        "ratios": [ratio("rerun / full", rerun, full, RERUN_BOUND),
                   ratio("function changed / full", changed, full, CHANGE_BOUND),
                   ratio("--diff / full", diff, full, CHANGE_BOUND),
                   ratio("test changed / full", test_run, full, None)],
        "differences": [compared("rerun vs full run", full, rerun),
                        compared("function changed vs its fresh full run", changed_fresh, changed),
                        compared("test changed vs its fresh full run", test_fresh, test_run)],
        "test_measured": {"file": test.path, "measured": test_run.cache.get("measured"), "covered": len(covered)},
        "diff": {"base": base, **{key: diff.document["run"].get("diff", {}).get(key)
                                  for key in ("measured", "widened")},
                 "not_measured": sum(1 for m in diff.document["mutants"] if m["status"] == "not_measured")},
    }


def ratio(name, run, full, bound):
    value = run.seconds / full.seconds if full.seconds else float("inf")
    return {"name": name, "value": round(value, 4), "bound": bound, "pass": bound is None or value <= bound}


def compared(name, first, second):
    found = verdict_differences(first.document, second.document)
    return {"name": name, "count": len(found), "mutants": sum(1 for d in found if d["kind"] == "mutant"),
            "tests": sum(1 for d in found if d["kind"] == "test"), "first": found[:SHOWN_DIFFERENCES]}


def failures(result):
    """Why the bench fails, one phrase per reason (empty: it passes)."""
    reasons = [f"{r['name']} {r['value']:.3f} > {r['bound']}" for r in result["ratios"] if not r["pass"]]
    reasons += [f"{d['name']}: {d['count']} verdict differences" for d in result["differences"] if d["count"]]
    measured = result["test_measured"]
    if measured["measured"] != measured["covered"]:
        reasons.append(f"test changed: {measured['measured']} mutants measured, {measured['covered']} covered by "
                       f"the tests of {measured['file']}")
    return reasons


def report(result, out=sys.stdout):
    say = lambda line="": print(line, file=out)  # noqa: E731
    say()
    say(f"gate at commit {result['gate_commit']}, project {result['project']}, {result['mutants']} mutants, "
        f"{result['workers']} workers")
    function, test = result["changed_function"], result["changed_test"]
    say(f"changed function: {function['path']}::{function['function']} ({function['own']} mutants of its own)")
    say(f"changed test:     {test['path']}::{test['function']}")
    say()
    width = max(len(run["title"]) for run in result["runs"].values())
    say(f"{'run':<{width}} {'seconds':>9} {'exit':>4} {'measured':>8} {'reused':>6}  log")
    for run in result["runs"].values():
        cache = run["cache"]
        say(f"{run['title']:<{width}} {run['seconds']:>9.1f} {run['exit_code']:>4} {cache.get('measured', '-'):>8} "
            f"{cache.get('reused', '-'):>6}  {run['log']}")
    say()
    say("ratios (wall time against the full run's)")
    for r in result["ratios"]:
        verdict = "(no bound)" if r["bound"] is None else f"<= {r['bound']:.2f}  {'PASS' if r['pass'] else 'FAIL'}"
        say(f"  {r['name']:<26} {r['value']:7.3f}  {verdict}")
    say()
    say("verdict differences (mutant status by mutmut_name, test class by test id)")
    for d in result["differences"]:
        say(f"  {d['name']:<42} {d['count']:5d}  ({d['mutants']} mutants, {d['tests']} tests)  "
            f"{'PASS' if not d['count'] else 'FAIL'}")
        for item in d["first"]:
            say(f"      {item['kind']} {item['name']}: {item['before']} -> {item['after']}")
    measured = result["test_measured"]
    same = measured["measured"] == measured["covered"]
    say()
    say(f"test changed: {measured['measured']} mutants measured, {measured['covered']} covered by the tests of "
        f"{measured['file']}  {'PASS' if same else 'FAIL'}")
    diff = result["diff"]
    say(f"--diff {diff['base'][:12]}: {diff['measured']} of {result['mutants']} mutants measured (run.diff), "
        f"{diff['not_measured']} not measured, widened: {', '.join(diff['widened'] or []) or 'no'}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, help="a project with a [mutation_gate] section (default: this repository)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", dest="json_path", help="also write the figures as JSON to this file ('-': stdout)")
    parser.add_argument("--function", help="the function to change, FILE::NAME (default: chosen from the full run)")
    parser.add_argument("--test", help="the test file to change (default: chosen from the full run)")
    arguments = parser.parse_args(argv)
    project = (arguments.project or REPO).resolve()
    python = project_python(arguments.project, project)
    config = load_config(project / "setup.cfg")
    problem = argument_problem(project, arguments.function, arguments.test)
    if problem:
        print(f"bench-incremental: {problem}")
        return 1
    scratch = Path(tempfile.mkdtemp(prefix=f"bench-incremental-{project.name}-"))
    print(f"project: {project}, {arguments.workers} workers, python {python}, copies in {scratch}", flush=True)
    try:
        result = bench(project, config, python, scratch, arguments.workers, arguments.function, arguments.test)
    except BenchFailure as failure:
        print(f"bench-incremental: {failure}")
        return 1
    reasons = failures(result)
    result["passed"], result["reasons"] = not reasons, reasons
    report(result)
    if arguments.json_path:
        write_json(result, arguments.json_path)
    print()
    print("bench-incremental: PASS" if not reasons else f"bench-incremental: FAIL: {'; '.join(reasons)}")
    return 0 if not reasons else 1


if __name__ == "__main__":
    sys.exit(main())
