"""Whether a test's unexpected exception went through a place where the test expected one.

`with pytest.raises(ValueError):` or `self.assertRaises(ValueError, f)` that meets a TypeError
lets the TypeError through: the test errors instead of failing, yet what broke is the test's
own expectation about the exception, so the kill recorder counts it as an assertion. Found from
the exception's traceback: a frame of the function forms (`pytest.raises(E, f)`,
`assertRaises(E, f)`), or a line inside the body of a `with` over one of them in the source of
any frame it passed through.
"""

import ast
import functools
import linecache
import traceback

RAISES_CALLS = frozenset({"raises", "assertRaises", "assertRaisesRegex"})
# The frames the function forms run the callable in: (file name ending, function name).
CALLING_FRAMES = (("unittest/case.py", "handle"), ("_pytest/raises.py", "raises"), ("_pytest/python_api.py", "raises"))


def raised_where_expected(error):
    """Whether `error` passed through an expected-exception block or call on its way out."""
    for frame, line in traceback.walk_tb(error.__traceback__):
        code = frame.f_code
        if any(code.co_filename.endswith(ending) and code.co_name == name for ending, name in CALLING_FRAMES):
            return True
        if line in expecting_lines(code.co_filename):
            return True
    return False


@functools.cache
def expecting_lines(filename):
    """The lines of a source file inside the body of a `with` over an expected-exception context."""
    source = "".join(linecache.getlines(filename))
    # Parsing is what costs (each mutant's session starts with an empty cache, and a mutated
    # module holds every mutant of its functions): only a file that names one of the calls.
    if not any(f"{name}(" in source for name in RAISES_CALLS):
        return frozenset()
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return frozenset()
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(_expects(item.context_expr) for item in node.items):
            lines.update(range(node.body[0].lineno, node.end_lineno + 1))
    return frozenset(lines)


def _expects(expression):
    if not isinstance(expression, ast.Call):
        return False
    function = expression.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
    return name in RAISES_CALLS
