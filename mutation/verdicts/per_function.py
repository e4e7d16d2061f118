"""Per-function verdicts, in the spirit of Descartes: which functions are really tested?

- `tested`: every mutant of the function is detected (killed or timeout);
- `partially tested`: some are, some are not;
- `pseudo-tested`: tests execute the function, yet every mutant survives;
- `not covered`: no test executes any of its mutants;
- `unmutated`: mutmut made no mutants of it (decorated, nested class, nothing to mutate).
Excluded (equivalent) mutants do not count.
"""

import ast

from mutation.model import DETECTED, JUDGED, FunctionClass


def classify_functions(document):
    """Verdict entries keyed `file::function`, for the functions of every file in the document."""
    by_function = {}
    for mutant in document["mutants"]:
        if mutant["status"] in JUDGED:
            by_function.setdefault((mutant["file"], mutant["function"]), []).append(mutant)
    verdicts = {}
    for (path, function), mutants in sorted(by_function.items()):
        detected = sum(1 for mutant in mutants if mutant["status"] in DETECTED)
        covered = any(mutant["covered_by"] for mutant in mutants)
        verdicts[f"{path}::{function}"] = {
            "file": path,
            "function": function,
            "class": _function_class(len(mutants), detected, covered),
            "mutants": len(mutants),
            "detected": detected,
        }
    for path, entry in document["files"].items():
        for function, line in defined_functions(entry["source"]):
            key = f"{path}::{function}"
            if key not in verdicts and not _has_excluded_mutants(document, path, function):
                verdicts[key] = {"file": path, "function": function, "class": FunctionClass.UNMUTATED, "mutants": 0,
                                 "detected": 0, "line": line}
    return dict(sorted(verdicts.items()))


def _function_class(total, detected, covered):
    if detected == total:
        return FunctionClass.TESTED
    if detected:
        return FunctionClass.PARTIALLY_TESTED
    if covered:
        return FunctionClass.PSEUDO_TESTED
    return FunctionClass.NOT_COVERED


def _has_excluded_mutants(document, path, function):
    return any(m["file"] == path and m["function"] == function for m in document["mutants"])


def defined_functions(source):
    """(qualified name, line) of module functions and methods of module classes, nested classes included."""
    found = []
    _collect(ast.parse(source).body, "", found)
    return found


def _collect(body, prefix, found):
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.append((f"{prefix}{node.name}", node.lineno))
        elif isinstance(node, ast.ClassDef):
            _collect(node.body, f"{prefix}{node.name}.", found)
