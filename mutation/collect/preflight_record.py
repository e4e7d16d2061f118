"""The preflight record: what a run's preflight measured of each test, kept in the result cache so
that the next run's preflight runs only the tests a change can affect.

A test runs exactly as it ran before while everything it can read is unchanged: its file and the
conftests above it (`fingerprints.test_dependencies`), the run context (configuration, dependency
set, tools), every file of the work directory that holds no test and is no target (the support
files), and the target code it executed. Target code is compared by layout: a target file's text
outside its function definitions (its context, which must be unchanged in every target) and each
function definition's own text. A test whose recorded lines all lie in unchanged parts is reused:
its arcs move to their functions' current lines, its duration and place are kept, and the
preflight deselects it. Every other test runs, and new tests always do.

When no file but the targets changed and nothing that ran while collecting is in a changed part,
collecting the suite again would give the record's tests (`same_collection`): the preflight then
runs only the files of the tests to run, or nothing at all. Otherwise it collects the whole suite
and deselects the reused tests; which files hold tests is known only then, and if the support
files turn out not to be the record's (a file the record did not know holds no test), the reuse
was not valid and the preflight runs again in full (`pipeline`).
"""

import ast
from dataclasses import dataclass

from mutation.collect.fingerprints import digest, lines_of, module_context


@dataclass(frozen=True)
class Layout:
    """A target file's parts: the digest of its context, each function definition's (first, last,
    digest of its text, its header's length past `first`, digest of its header), and its number of lines."""

    context: str
    blocks: tuple
    lines: int


@dataclass(frozen=True)
class ReusedTest:
    duration: float
    arcs: dict  # work path -> [(from, to), ...] at this run's line numbers


def function_blocks(source_text):
    """(first, last, header's last) line of each function definition that is not inside another
    one, decorators included; the header runs to the line before the body's first statement. None
    for a file that does not parse (its context is then all of it)."""
    try:
        tree = ast.parse(source_text)
    except (SyntaxError, ValueError):
        return ()
    blocks = []
    pending = [tree]
    while pending:
        for child in ast.iter_child_nodes(pending.pop()):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = min([child.lineno, *(decorator.lineno for decorator in child.decorator_list)])
                header_last = max(child.lineno, child.body[0].lineno - 1)
                blocks.append((first, child.end_lineno, header_last))
            else:
                pending.append(child)
    return tuple(sorted(blocks))


def layout(source_text):
    lines = lines_of(source_text)
    blocks = function_blocks(source_text)
    return Layout(digest(module_context(source_text, [(first, last) for first, last, _ in blocks])),
                  tuple((first, last, digest("".join(lines[first - 1:last])), header - first,
                         digest("".join(lines[first - 1:header]))) for first, last, header in blocks), len(lines))


def line_map(old, new):
    """`{old line: new line}` for every line of `old` in an unchanged part of `new`; None unless the
    two contexts are the same. A changed function's lines are not in the map, but its header (the
    decorators and `def` lines, which run on import) is while that is unchanged."""
    if old.context != new.context or len(old.blocks) != len(new.blocks):
        return None
    starts = {block[0]: block for block in old.blocks}
    mapping, old_line, new_line, index = {}, 1, 1, 0
    while old_line <= old.lines:
        block = starts.get(old_line)
        if block is None:
            mapping[old_line] = new_line
            old_line, new_line = old_line + 1, new_line + 1
            continue
        first, last, whole, header, head = block
        new_first, new_last, new_whole, new_header, new_head = new.blocks[index]
        index += 1
        if new_first != new_line:
            return None  # a context line that reads like the placeholder: trust nothing
        same = last - first if whole == new_whole else header if (head, header) == (new_head, new_header) else -1
        mapping.update({first + offset: new_first + offset for offset in range(same + 1)})
        old_line, new_line = last + 1, new_last + 1
    return mapping


def moved_arcs(arcs, mapping):
    """`arcs` at the lines `mapping` gives (a negative number is a code object's entry or exit at
    the line of its minus); None if any line is in a changed part."""
    moved = []
    for pair in arcs:
        ends = tuple(_moved(line, mapping) for line in pair)
        if None in ends:
            return None
        moved.append(ends)
    return moved


def _moved(line, mapping):
    if line > 0:
        return mapping.get(line)
    if line < 0 and -line in mapping:
        return -mapping[-line]
    return None


def support_files(work_files, skip):
    """`{path: digest}` of the work directory's files (`fingerprints.work_files`) outside `skip`."""
    skipped = set(skip)
    return {path: file_digest for path, file_digest in work_files.items() if path not in skipped}


def reusable(record, context, work_files, layouts, dependencies):
    """`{test: ReusedTest}` of the record's tests that may be reused.

    `context`: this run's context (its support part is not compared); `work_files`:
    `fingerprints.work_files` of the work directory; `layouts`: work path -> Layout of each target
    now; `dependencies(test)`: the test's `fingerprints.test_dependencies` now. Nothing is reused
    unless the record was made under the same context, with the same targets, support files
    unchanged (a file it does not know may be a new test file: `pipeline` checks that after the
    preflight) and the same contexts.
    """
    if not record or _without_support(record["context"]) != _without_support(context):
        return {}
    now = support_files(work_files, [*layouts, *record["test_files"]])
    if any(now.get(path) != file_digest for path, file_digest in record["support_files"].items()):
        return {}
    maps = line_maps(record, layouts)
    if maps is None:
        return {}
    reused = {}
    for test, entry in record["tests"].items():
        if entry["deps"] != dependencies(test):
            continue
        arcs = {path: moved_arcs(pairs, maps[path]) for path, pairs in entry["arcs"].items() if path in maps}
        if len(arcs) == len(entry["arcs"]) and None not in arcs.values():
            reused[test] = ReusedTest(float(entry["duration"]), arcs)
    return reused


def line_maps(record, layouts):
    """work path -> `line_map` from the record's layout to `layouts`; None if the targets are not
    the record's or a context changed."""
    if set(record["layouts"]) != set(layouts):
        return None
    maps = {path: line_map(_layout(record["layouts"][path]), layouts[path]) for path in layouts}
    return None if None in maps.values() else maps


def same_collection(record, work_files, conftests, layouts):
    """The arcs collecting the suite ran in the targets (moved), if collecting it now must give the
    record's tests: every file but the targets (test files, support files, conftests) as recorded,
    and none of that code in a changed part of a target. None otherwise."""
    if not record or conftests != record["conftests"]:
        return None
    if support_files(work_files, layouts) != {**record["support_files"], **record["test_files"]}:
        return None
    maps = line_maps(record, layouts)
    if maps is None:
        return None
    moved = {path: moved_arcs(pairs, maps[path]) for path, pairs in record["collection_arcs"].items()}
    return None if None in moved.values() else moved


def _layout(stored):
    context, blocks, lines = stored
    return Layout(context, tuple(tuple(block) for block in blocks), lines)


def make_record(context, tests, layouts, files, collection_arcs):
    """The record a finished run leaves. `tests`: test -> (dependencies, duration, {work path: arcs},
    body, asserts), in the preflight's order; `files`: the support files, test files and conftests
    (each path -> digest); `collection_arcs`: work path -> the arcs that ran outside every test."""
    return {
        "context": dict(context),
        "order": list(tests),
        "tests": {test: {"deps": deps, "duration": round(duration, 6), "arcs": _arcs(arcs), "body": body,
                         "asserts": asserts}
                  for test, (deps, duration, arcs, body, asserts) in sorted(tests.items())},
        "layouts": {path: [item.context, [list(block) for block in item.blocks], item.lines]
                    for path, item in sorted(layouts.items())},
        "support_files": dict(sorted(files["support_files"].items())),
        "test_files": dict(sorted(files["test_files"].items())),
        "conftests": dict(sorted(files["conftests"].items())),
        "collection_arcs": _arcs(collection_arcs),
    }


def _arcs(arcs):
    return {path: sorted(map(list, pairs)) for path, pairs in sorted(arcs.items()) if pairs}


def valid(record):
    """Whether `record` (from a cache file) has this module's shape; an empty one is valid (none kept)."""
    if record == {}:
        return True
    if not isinstance(record, dict) or not isinstance(record.get("context"), dict):
        return False
    tests, layouts, order = record.get("tests"), record.get("layouts"), record.get("order")
    return (isinstance(tests, dict) and all(_valid_test(entry) for entry in tests.values())
            and isinstance(order, list) and sorted(order) == sorted(tests)
            and isinstance(layouts, dict) and all(_valid_layout(item) for item in layouts.values())
            and all(_digests(record.get(part)) for part in ("support_files", "test_files", "conftests"))
            and _valid_arcs(record.get("collection_arcs")))


def _digests(paths):
    return isinstance(paths, dict) and all(isinstance(value, str) for value in paths.values())


def _valid_arcs(arcs):
    return isinstance(arcs, dict) and all(isinstance(pairs, list) and all(_valid_pair(pair) for pair in pairs)
                                          for pairs in arcs.values())


def _valid_test(entry):
    if not isinstance(entry, dict) or not isinstance(entry.get("deps"), str):
        return False
    duration, body = entry.get("duration"), entry.get("body")
    return (isinstance(duration, (int, float)) and not isinstance(duration, bool) and _valid_arcs(entry.get("arcs"))
            and (body is None or isinstance(body, str)) and isinstance(entry.get("asserts"), bool))


def _valid_pair(pair):
    return isinstance(pair, list) and len(pair) == 2 and all(type(line) is int for line in pair)


def _valid_layout(item):
    if not isinstance(item, list) or len(item) != 3:
        return False
    context, blocks, lines = item
    return (isinstance(context, str) and type(lines) is int and isinstance(blocks, list)
            and all(isinstance(block, list) and len(block) == 5 and all(type(block[at]) is int for at in (0, 1, 3))
                    and isinstance(block[2], str) and isinstance(block[4], str) for block in blocks))


def _without_support(context):
    return {part: value for part, value in context.items() if part != "support"}
