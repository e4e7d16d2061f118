"""Which mutants a change since a revision asks a run to measure, and why; or why it asks for all.

A mutant is in scope when a line of its own function changed, not only its own span: the
code around a mutation decides what reaches it and what it feeds (a changed early return,
a renamed variable), so a result measured on the old function says nothing about the new
one. Lines removed from a function, or right at its edge, count too. A mutant is also in
scope when a test that covers it (this run's per-test coverage) is new or changed: its
function's lines changed (decorators included), or, when the function cannot be found in
its file, any line of that file. A change to a test file's code outside every test (a
fixture, a helper, a constant) reaches every test of that file, so it scopes what they
cover, without making them changed tests for the PR rule.

The scope follows lines, not data flow: a changed constant, import or called helper outside
the mutant's function reaches it only through the cache's check of what a result depended on.

A change to the configuration, to a conftest.py on the suite's path or to the dependency set
can change any result: it widens the run to every mutant, each such path with a one-line
reason. Paths are relative to the project root, as `changes.Changes` gives them.
"""

import ast
from dataclasses import dataclass
from pathlib import PurePosixPath

from mutation.collect.changes import changed_paths

# The files, at the project root, whose settings reach the gate, pytest or the engine.
CONFIG_FILES = ("setup.cfg", "pyproject.toml", "pytest.ini", ".pytest.ini", "tox.ini")
# Where a project states its dependencies, matched from the right (`ci/requirements.txt` too).
DEPENDENCY_FILES = ("requirements*.txt", "requirements/*.txt", "constraints*.txt", "requirements*.in",
                    "poetry.lock", "Pipfile", "Pipfile.lock", "uv.lock", "pdm.lock", "pylock*.toml",
                    "setup.py", "setup.cfg", "pyproject.toml")


@dataclass(frozen=True)
class ChangeScope:
    measured: frozenset  # engine names of the mutants to measure: every one when widened
    widened: tuple  # why the run measures every mutant, one line per path; empty when the change scopes it
    reasons: dict  # engine name -> why the change scopes it ('changed line 12', ...), widened or not
    in_changed_lines: frozenset  # engine names whose own span holds a changed line (the PR rule's mutants)
    changed_tests: dict  # test id -> how it is new or changed (its own function), for the PR rule


def scope_of_change(changes, mutants, covered_by, test_bodies, test_sources, suite, config_files=CONFIG_FILES,
                    dependency_files=DEPENDENCY_FILES):
    """The ChangeScope of `changes` over `mutants`.

    `covered_by` maps an engine name to the tests that cover it; `test_bodies` a test id to
    `file:line` of its function (`PreflightResult.bodies`, in the project's paths);
    `test_sources` a test file to its current text; `suite` is the suite's path.
    """
    widened = widening_reasons(changes, suite, config_files, dependency_files)
    changed_tests, sharing_tests = touched_tests(changes, test_bodies, test_sources)
    reasons, in_changed_lines = {}, set()
    for mutant in mutants:
        own = _first_line(changes.lines.get(mutant.file, ()), mutant.start_line, mutant.end_line)
        if own is not None:
            in_changed_lines.add(mutant.engine_name)
        tests = sorted(covered_by.get(mutant.engine_name, ()))
        why = (f"changed line {own}" if own is not None else None) or _function_change(changes, mutant) or (
            _test_change(tests, changed_tests) or _test_change(tests, sharing_tests))
        if why is not None:
            reasons[mutant.engine_name] = why
    measured = {mutant.engine_name for mutant in mutants} if widened else set(reasons)
    return ChangeScope(frozenset(measured), widened, reasons, frozenset(in_changed_lines), changed_tests)


def widening_reasons(changes, suite, config_files=CONFIG_FILES, dependency_files=DEPENDENCY_FILES):
    """One line for each changed path that can change any result; empty when none does."""
    reasons = []
    for path in sorted(changed_paths(changes)):
        if path in config_files:
            reasons.append(f"{path} changed (configuration)")
        elif any(PurePosixPath(path).match(pattern) for pattern in dependency_files):
            reasons.append(f"{path} changed (dependencies)")
        elif _conftest_of(path, suite):
            reasons.append(f"{path} changed (a conftest.py of the suite)")
    return tuple(reasons)


def _conftest_of(path, suite):
    """Whether `path` is a conftest.py pytest loads for the suite: above it or inside it."""
    conftest, suite = PurePosixPath(path), PurePosixPath(suite)
    return conftest.name == "conftest.py" and (suite.is_relative_to(conftest.parent)
                                               or conftest.parent.is_relative_to(suite))


def touched_tests(changes, test_bodies, test_sources):
    """`(changed, sharing)`: test id -> how it is new or changed, and, for the other tests, test id
    -> how code their file shares with them (outside every test) changed."""
    changed, sharing = {}, {}
    for path, bodies in _bodies_by_file(test_bodies).items():
        lines, removals = changes.lines.get(path, frozenset()), changes.removals.get(path, frozenset())
        if not lines and not removals:
            continue
        functions, statements = _spans(test_sources.get(path, ""))
        spans = {test: _span_starting(functions, line) for test, line in bodies.items()}
        shared = _shared_change(path, lines, statements, [span for span in spans.values() if span])
        for test, span in spans.items():
            if span is None:
                changed[test] = f"changed: {path} changed and its function is not found there"
            elif (how := _how_changed(span, lines, removals)) is not None:
                changed[test] = how
            elif shared is not None:
                sharing[test] = shared
    return changed, sharing


def _bodies_by_file(test_bodies):
    """`{file: {test: first line}}`; line 0 where the recorder could not read the function."""
    by_file = {}
    for test, body in test_bodies.items():
        path, _, line = body.rpartition(":")
        if not line.isdigit():
            path, line = body.split("::", 1)[0], "0"
        by_file.setdefault(path, {})[test] = int(line)
    return by_file


def function_spans(source):
    """`{qualified name: (first line, last line)}` of every function in `source`, decorators
    included (the first line is the one `code.co_firstlineno` names); {} when it does not parse."""
    return _spans(source)[0]


def _spans(source):
    """`(function spans, top-level statement spans)` of `source`, both empty when it does not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}, ()
    functions = {}
    _collect_functions(tree.body, "", functions)
    return functions, tuple(_statement_spans(tree.body))


def _collect_functions(body, prefix, functions):
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            name = f"{prefix}{node.name}"
            if not isinstance(node, ast.ClassDef):
                functions[name] = _node_span(node)
            _collect_functions(node.body, f"{name}.", functions)


def _statement_spans(body):
    """The spans of the statements of `body`, a class's own statements in place of the class, so
    that the blank lines between its methods belong to none (adding a test changes no shared code)."""
    for node in body:
        if isinstance(node, ast.ClassDef):
            yield _node_span(node)[0], node.lineno
            yield from _statement_spans(node.body)
        else:
            yield _node_span(node)


def _node_span(node):
    first = min([node.lineno, *(decorator.lineno for decorator in getattr(node, "decorator_list", ()))])
    return first, node.end_lineno


def _span_starting(spans, line):
    return next((span for span in spans.values() if span[0] == line), None)


def _how_changed(span, lines, removals):
    first, last = span
    if all(line in lines for line in range(first, last + 1)):
        return "is new"
    line = _first_line(lines, first, last)
    if line is not None:
        return f"changed at line {line}"
    # Lines removed after a line of the test: from inside it or from its end.
    removed_after = min((gap for gap in removals if first <= gap <= last), default=None)
    return None if removed_after is None else f"changed: lines removed after line {removed_after}"


def _shared_change(path, lines, statements, test_spans):
    """How code of `path` outside every test changed, if it did: a changed line within a statement
    (a fixture, a helper, a constant) and in no test's function."""
    shared = sorted(line for line in lines if not any(first <= line <= last for first, last in test_spans)
                    and any(first <= line <= last for first, last in statements))
    return f"shares code of {path} that changed at line {shared[0]}" if shared else None


def _function_change(changes, mutant):
    first, last = mutant.function_lines
    line = _first_line(changes.lines.get(mutant.file, ()), first, last)
    if line is not None:
        return f"function {mutant.function} changed at line {line}"
    # A removal at either edge counts: the removed lines may have been the function's own first or last.
    gap = min((gap for gap in changes.removals.get(mutant.file, ()) if first - 1 <= gap <= last), default=None)
    return None if gap is None else f"function {mutant.function} changed: lines removed after line {gap}"


def _test_change(tests, how_by_test):
    test = next((test for test in tests if test in how_by_test), None)
    return None if test is None else f"covering test {test} {how_by_test[test]}"


def _first_line(lines, first, last):
    return min((line for line in lines if first <= line <= last), default=None)
