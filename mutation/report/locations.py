"""Where a test's code is, from its `gate.json` entry: the file and first line of its function.

The preflight records each test's `body` as `file:line` of its function (relative to pytest's
rootdir, like the test id), or the test id without parameters when its code could not be found;
a test with no body (recorded only by a kill) is placed at the file of its id, line unknown.
(`of_test`, not `test_location`: pytest would collect a `test_*` name imported into a test module.)
"""


def of_test(document, test):
    """`(path, line)` of `test`'s function; `line` is None when only its file is known."""
    body = document.get("tests", {}).get(test, {}).get("body", "")
    path, _, line = body.rpartition(":")
    if path and line.isdigit() and "::" not in path:
        return path, int(line)
    return (body or test).split("::", 1)[0].split("[", 1)[0], None
