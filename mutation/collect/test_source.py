"""What a test's own source says: whether its body asserts anything at all.

A crash-only test whose body holds no assertion (no `assert`, no `raise AssertionError`, no
`assert*`/`fail` call, no `raises`/`warns` block) checks nothing by construction; one that asserts may only have met
mutants that change nothing for its own inputs (see `verdicts.per_test`). Read once per test
in the preflight, from the function's source.
"""

import ast
import functools
import inspect
import textwrap

ASSERTING_CALLS = frozenset({"raises", "warns", "fail", "approx", "deprecated_call"})


def asserts(function):
    """Whether the body of `function` holds an assertion; True when its source cannot be read."""
    try:
        return _code_asserts(inspect.unwrap(function).__code__)
    except (AttributeError, TypeError, ValueError):
        return True


@functools.cache
def _code_asserts(code):
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(code)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return True
    return any(_is_assertion(node) for node in ast.walk(tree))


def _is_assertion(node):
    if isinstance(node, ast.Assert):
        return True
    if isinstance(node, ast.Raise) and node.exc is not None:
        raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        return getattr(raised, "id", "") == "AssertionError"
    if not isinstance(node, ast.Call):
        return False
    function = node.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    return name.startswith("assert") or name in ASSERTING_CALLS
