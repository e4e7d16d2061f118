"""The ratchet baseline: the figures a project has reached, committed in `mutation-baseline.json`
(`[mutation_gate] baseline`), which no later run may fall below.

The file, written by `mutation-gate baseline update` from a complete finished run only:

    {"version": 1,
     "targets": {"pkg/a.py": {"mutants": 40, "detected": 36, "mutation_score": 90.0}},
     "functions": {"pkg/a.py::f": {"file": "pkg/a.py", "function": "f", "survivors": ["return x - 1"]}}}

`mutants` is the mutation score's denominator and `detected` its numerator (killed and timeout);
a function's survivors are the mutated text of each mutant no test detects (survived, or run by
no test): with the file and function, the mutant's stable key (`model.MutantKey`), never the
engine's number, which shifts whenever the function changes, so a survivor that moved lines is the
same survivor.

A run regresses when a target loses more detected mutants than its tolerance (default
`max(2% of its mutants, 3)`), measured against its baseline score over today's mutants, or when a
function of the baseline has a survivor it did not have. An update refuses to lower a target's
figures, drop a target or add a survivor unless `allow_lower` is set.
"""

import json
from collections import Counter
from fractions import Fraction
from pathlib import Path

from mutation.atomic_files import write_atomically
from mutation.errors import ConfigError
from mutation.model import DETECTED, MutantKey, MutantStatus, VerdictStatus
from mutation.verdicts.scores import denominator

VERSION = 1
UNDETECTED = frozenset({MutantStatus.SURVIVED, MutantStatus.NO_TESTS})
DEFAULT_TOLERANCE = (2.0, 3)  # percent of a target's mutants, at least this many mutants
RAISE_HINT = "raise the baseline with `mutation-gate baseline update`"
TARGET_KEYS = ("mutants", "detected", "mutation_score")


# Reading and checking the file.

def read_baseline(path, written):
    """The baseline at `path` (`written`: how the configuration names it); a bad file is a one-line ConfigError."""
    try:
        baseline = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{written}: unreadable baseline: {error}") from None
    except ValueError as error:
        raise ConfigError(f"{written}: not valid JSON: {error}") from None
    problem = _problem(baseline)
    if problem:
        raise ConfigError(f"{written}: not a mutation baseline: {problem}; fix it, or delete it and run "
                          "`mutation-gate baseline update`")
    return baseline


def load_baseline(config):
    """The configured baseline, or None: no `baseline` key, or no file yet (no ratchet)."""
    relative = getattr(config, "baseline", None)
    if relative is None or not config.resolve(relative).is_file():
        return None
    return read_baseline(config.resolve(relative), relative)


def _problem(baseline):
    if not isinstance(baseline, dict):
        return "not a JSON object"
    if baseline.get("version") != VERSION:
        return f"version {baseline.get('version')!r}, expected {VERSION}"
    unknown = sorted(set(baseline) - {"version", "targets", "functions"})
    if unknown:
        return f"unknown key {unknown[0]!r}"
    if not isinstance(baseline.get("targets"), dict) or not isinstance(baseline.get("functions"), dict):
        return "targets and functions must be objects"
    return _targets_problem(baseline["targets"]) or _functions_problem(baseline["functions"])


def _targets_problem(targets):
    for path, figures in targets.items():
        if not isinstance(figures, dict) or not all(_count(figures.get(key)) for key in ("mutants", "detected")):
            return f"target {path}: mutants and detected must be whole numbers of at least 0"
        if figures["detected"] > figures["mutants"]:
            return f"target {path}: detected {figures['detected']} > mutants {figures['mutants']}"
    return None


def _functions_problem(functions):
    for name, entry in functions.items():
        if not isinstance(entry, dict) or not all(isinstance(entry.get(key), str) for key in ("file", "function")):
            return f"function {name}: file and function must be strings"
        survivors = entry.get("survivors")
        if not isinstance(survivors, list) or not all(isinstance(text, str) for text in survivors):
            return f"function {name}: survivors must be a list of mutated texts"
    return None


def _count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


# Making a baseline from a run.

def check_complete(document, source):
    """A ConfigError unless `document` is a complete finished run: every mutant measured, no --diff scope."""
    statuses = Counter(mutant["status"] for mutant in document["mutants"])
    if document["verdict"]["status"] == VerdictStatus.INCOMPLETE or statuses[MutantStatus.UNRESOLVED]:
        raise ConfigError(f"{source}: an incomplete run ({statuses[MutantStatus.UNRESOLVED]} mutants could not be "
                          "measured); a baseline is made from a complete run only")
    if "diff" in document["run"] or statuses[MutantStatus.NOT_MEASURED]:
        raise ConfigError(f"{source}: a --diff run ({statuses[MutantStatus.NOT_MEASURED]} mutants not measured); a "
                          "baseline is made from a complete run only")


def make_baseline(document):
    """The baseline of a complete, scored document."""
    targets = {target["path"]: _figures(target) for target in document["targets"]}
    functions = {}
    for name, keys in sorted(_survivor_keys(document).items()):
        file, function = name
        functions[f"{file}::{function}"] = {"file": file, "function": function,
                                            "survivors": sorted(key.mutated_text for key in keys.elements())}
    return {"version": VERSION, "targets": targets, "functions": functions}


def _figures(target):
    return {"mutants": denominator(target), "detected": target["killed"] + target["timeout"],
            "mutation_score": target["mutation_score"]}


def _survivor_keys(document):
    """Counter of survivor keys by (file, function), with an empty Counter for every function with a judged mutant."""
    found = {}
    for mutant in document["mutants"]:
        if mutant["status"] in UNDETECTED or mutant["status"] in DETECTED:
            keys = found.setdefault((mutant["file"], mutant["function"]), Counter())
            if mutant["status"] in UNDETECTED:
                keys[MutantKey(mutant["file"], mutant["function"], mutant["mutated_text"].strip())] += 1
    return found


# Comparing a run with the baseline.

def tolerance_of(mutants, tolerance=DEFAULT_TOLERANCE):
    """How many detected mutants a target of `mutants` may lose: max(percent of them, the minimum)."""
    percent, minimum = tolerance
    return max(Fraction(str(percent)) * mutants / 100, minimum)


def compare(document, baseline, tolerance=DEFAULT_TOLERANCE):
    """`{"regressions": [...], "improvements": [...]}`, one line each, of a scored document against `baseline`."""
    regressions, improvements = [], []
    for target in document["targets"]:
        figures = baseline["targets"].get(target["path"])
        if figures and figures["mutants"] and not target.get("not_measured"):
            _compare_target(target["path"], figures, _figures(target), tolerance, regressions, improvements)
    current = _survivor_keys(document)
    for entry in baseline["functions"].values():
        keys = current.get((entry["file"], entry["function"]))
        if keys is not None:
            _compare_function(entry, keys, regressions, improvements)
    return {"regressions": regressions, "improvements": improvements}


def _compare_target(path, before, now, tolerance, regressions, improvements):
    expected = Fraction(before["detected"], before["mutants"]) * now["mutants"]
    lost = expected - now["detected"]
    allowed = tolerance_of(now["mutants"], tolerance)
    shown = f"{_score(before)}% of {now['mutants']} mutants is {_mutants(expected)} detected"
    if lost > allowed:
        regressions.append(f"{path}: {_mutants(lost)} detected mutants lost against the baseline ({shown}, "
                           f"{now['detected']} now), more than the tolerance of {_mutants(allowed)}")
    elif lost < 0:
        improvements.append(f"{path}: {_mutants(-lost)} more detected mutants than the baseline ({shown}, "
                            f"{now['detected']} now)")


def _compare_function(entry, keys, regressions, improvements):
    name = f"{entry['file']}::{entry['function']}"
    before = Counter(MutantKey(entry["file"], entry["function"], text.strip()) for text in entry["survivors"])
    for key in sorted((keys - before).elements(), key=lambda key: key.mutated_text):
        regressions.append(f"{name}: a new survivor `{key.mutated_text}` (not in the baseline)")
    gone = sum((before - keys).values())
    if gone:
        improvements.append(f"{name}: {gone} survivors of the baseline are detected now")


def _score(figures):
    return f"{100 * figures['detected'] / figures['mutants']:.2f}"


def _mutants(amount):
    return f"{float(amount):g}" if amount.denominator != 1 else str(amount.numerator)


def baseline_entry(document, config):
    """The document's `baseline` entry, or None without a baseline file."""
    baseline = load_baseline(config)
    if baseline is None:
        return None
    tolerance = tuple(getattr(config, "baseline_tolerance", DEFAULT_TOLERANCE))
    return {"path": config.baseline, "tolerance": {"percent": tolerance[0], "minimum": tolerance[1]},
            **compare(document, baseline, tolerance)}


# Updating the file.

def lowered(old, new):
    """One line per figure `new` lowers against `old`: a target's figures, a dropped target, a new survivor."""
    problems = []
    for path, before in sorted(old["targets"].items()):
        now = new["targets"].get(path)
        if now is None:
            problems.append(f"{path}: the target is no longer measured")
            continue
        problems += [f"{path}: {key} {now[key]} < {before[key]}" for key in TARGET_KEYS
                     if before.get(key) is not None and (now[key] is None or now[key] < before[key])]
    for name, entry in sorted(new["functions"].items()):
        added = Counter(entry["survivors"]) - Counter(old["functions"].get(name, {}).get("survivors", []))
        problems += [f"{name}: a new survivor `{text}`" for text in sorted(added.elements())]
    return problems


def update(config, document, source, allow_lower=False):
    """Write the baseline of a complete `document` to the configured file; the lines to print."""
    if config.baseline is None:
        raise ConfigError(f"{config.config_path.name} [mutation_gate] baseline: empty; name the baseline file")
    check_complete(document, source)
    new = make_baseline(document)
    path = config.resolve(config.baseline)
    old = load_baseline(config)
    problems = lowered(old, new) if old is not None else []
    if problems and not allow_lower:
        raise ConfigError(f"{config.baseline}: the run would lower {len(problems)} figures, e.g. {problems[0]}; "
                          "pass --allow-lower to accept")
    write_baseline(new, path)
    survivors = sum(len(entry["survivors"]) for entry in new["functions"].values())
    lines = [f"{config.baseline}: {len(new['targets'])} targets, {survivors} survivors recorded"]
    return lines + [f"lowered: {problem}" for problem in problems]


def write_baseline(baseline, path):
    """Write atomically: a reader sees the old file or the new one, never half of one."""
    def write(out):
        json.dump(baseline, out, indent=1, sort_keys=True, ensure_ascii=False)
        out.write("\n")

    write_atomically(path, write, ".baseline-")
