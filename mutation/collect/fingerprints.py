"""Content fingerprints (sha256 hex) of what a mutant's result depends on, for the result cache.

A result may be reused only while every input a fresh run would read is byte for byte the same.
The inputs are split so that one edit invalidates only the results it can change:

- the mutant's own function (`function_fingerprint`): the function's lines, and its module's
  context: the file's text outside every function mutmut mutates (imports, constants, class
  headers and bodies, decorated functions), each mutated function left as a placeholder. Text,
  not syntax: a moved line moves line numbers, which tracebacks and warnings show.
- each covering test (`test_dependencies` and `code_under_test`): the test's file, every
  conftest.py from its directory up to the top, and the target code the test ran in this run's
  preflight (each mutated function it executed a line of, and the context of every target
  file), so an edit of a function `g` that `f` calls re-runs `f`'s mutants.
- the run (`run_context`): the configuration keys that can change a result, the installed
  dependency set, the tool and Python versions, and every other file of the work directory
  (`support_files`): the suite's helpers and package markers, modules no target names, pytest's
  configuration files, what mutmut's `also_copy` brings.

Outside every fingerprint, by choice: a conftest.py that is not above a test (pytest gives a test
only the fixtures and per-test hooks of the conftests above it), and code a test reaches only
under a mutant, never in the preflight.
"""

import hashlib
import io
import json
import os
import sys
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

from mutation.collect.workspace import MARKER

# The gate's own files in the work directory and mutmut's copy of it, and what sessions leave there.
NOT_SUPPORT_DIRS = frozenset({"gate", "mutants"})
NOT_SUPPORT_PATTERNS = ("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis", "*.egg-info")
CONFTEST = "conftest.py"
PLACEHOLDER = "<mutated function>\n"
MISSING = "<missing>"

# The `[mutation_gate]` keys that can change a mutant's outcome: which suite is collected and from
# where (suite, package_root), how every session runs (pytest_args, the merged ones of the project's
# mutmut settings included), how long a test may run before it is a timeout kill (the two timeout
# keys), and whether every covering test runs under every mutant (kill_matrix). The others only
# choose what is mutated, judged or written (targets, min_assertion_score, reject, waivers,
# exclusions, report_dir, report_formats), or how fast (workers, work_dir).
RESULT_KEYS = ("suite", "package_root", "pytest_args", "kill_matrix", "test_timeout_factor", "test_timeout_floor")


def digest(*parts):
    """The sha256 of `parts` (texts), each length-prefixed so that no two lists of parts collide."""
    sha = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        sha.update(b"%d:" % len(data))
        sha.update(data)
    return sha.hexdigest()


def file_digest(path):
    """The sha256 of a file's bytes; `MISSING` for a file that is not there or cannot be read."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return MISSING


def lines_of(text):
    """The lines of `text` with their ends."""
    # The line ends libcst and coverage count (\n, \r\n, \r), kept; str.splitlines also splits at \f.
    return io.StringIO(text, newline="").readlines()


def function_source(source_text, mutant):
    """The exact text of the function `mutant` mutates (its `function_lines`)."""
    first, last = mutant.function_lines
    return "".join(lines_of(source_text)[first - 1:last])


def module_context(source_text, function_spans):
    """The file's text with each function of `function_spans` ((first, last) lines) as a placeholder."""
    ends = {}
    for first, last in function_spans:
        ends[first] = max(last, ends.get(first, last))
    lines = lines_of(source_text)
    kept = []
    number = 1
    while number <= len(lines):
        if number in ends:
            kept.append(PLACEHOLDER)
            number = ends[number] + 1
        else:
            kept.append(lines[number - 1])
            number += 1
    return "".join(kept)


@dataclass(frozen=True)
class FileParts:
    """One target file's fingerprints: its module context, and each mutated function's by its span."""

    context: str
    functions: dict


def file_parts(source_text, function_spans):
    """The FileParts of a file; `function_spans` are the `function_lines` of its mutants."""
    spans = sorted(set(map(tuple, function_spans)))
    lines = lines_of(source_text)
    return FileParts(digest(module_context(source_text, spans)),
                     {span: digest("".join(lines[span[0] - 1:span[1]])) for span in spans})


def function_fingerprint(mutant, parts):
    """What the mutant's own code is: its function and its module's context (`parts`: its file's FileParts)."""
    return digest(parts.context, parts.functions[tuple(mutant.function_lines)])


def executed_lines(coverage_by_file):
    """`{test: {file: lines}}`: the lines each test executed in the preflight, from FileCoverage by file."""
    executed = {}
    for path, file_coverage in coverage_by_file.items():
        for line, tests in file_coverage.tests_by_line.items():
            for test in tests:
                executed.setdefault(test, {}).setdefault(path, set()).add(line)
    return executed


def code_under_test(lines_by_file, parts_by_file):
    """The target code one test ran: the context of every target file (a module's constants and
    imports reach a test through any function that reads them) and each mutated function holding
    a line the test executed (`lines_by_file`: file -> lines)."""
    parts = []
    for path in sorted(parts_by_file):
        file_part, lines = parts_by_file[path], lines_by_file.get(path, ())
        ran = sorted(fingerprint for (first, last), fingerprint in file_part.functions.items()
                     if any(first <= line <= last for line in lines))
        parts += [path, file_part.context, *ran]
    return digest(*parts)


def test_dependencies(rootdir, test_id, top=None):
    """The test's file and every conftest.py from its directory up to `top` (default `rootdir`).

    Test ids name their file relative to `rootdir` (pytest's rootdir in the work directory); `top`
    is the work directory itself when the rootdir is below it. The whole file counts, not only the
    test's function: its module-level helpers, fixtures and imports are the test's too.
    """
    rootdir = Path(rootdir)
    top = Path(top) if top is not None else rootdir
    relative = test_id.split("::", 1)[0]
    path = rootdir / relative
    parts = [relative, file_digest(path)]
    for directory in _directories_up_to(path.parent, top):
        conftest = directory / CONFTEST
        if conftest.is_file():
            parts += [os.path.relpath(conftest, top), file_digest(conftest)]
    return digest(*parts)


def _directories_up_to(directory, top):
    """`directory` and each one above it up to `top`; only `directory` when `top` is not above it."""
    if directory != top and top not in directory.parents:
        return [directory]
    above = [directory, *directory.parents]
    return above[:above.index(top) + 1]


test_dependencies.__test__ = False  # a fingerprint, not a pytest test


def support_files(work_root, skip=()):
    """Every file of the work directory no other fingerprint owns, by path and content.

    `skip`: the paths (relative to `work_root`) that are fingerprinted apart: the target files and
    the test files. conftest.py files belong to the tests below them; the gate's own directories
    and what sessions leave behind belong to nobody. Taken right after the work directory is made,
    before the engine's settings are written into it.
    """
    return support_digest(work_files(work_root), skip)


def work_files(work_root):
    """`{relative path: file_digest}` of every file `support_files` may count, taken while the work
    directory is as copied (the test files are known only after the preflight: `support_digest`)."""
    return _walk(work_root, lambda name: name != CONFTEST)


def conftest_files(work_root):
    """`{relative path: file_digest}` of every conftest.py of the work directory."""
    return _walk(work_root, lambda name: name == CONFTEST)


def _walk(work_root, wanted):
    work_root = Path(work_root)
    paths = []
    for directory, subdirectories, files in os.walk(work_root):
        here = PurePosixPath(Path(directory).relative_to(work_root).as_posix())
        subdirectories[:] = [name for name in subdirectories if not _not_support(here, name)]
        paths += [(here / name).as_posix() for name in files if wanted(name) and not _not_support(here, name)]
    return {relative: file_digest(work_root / relative) for relative in sorted(set(paths))}


def support_digest(digests, skip=()):
    """The support fingerprint of `work_files(...)` without the paths of `skip`."""
    skipped = {PurePosixPath(path).as_posix() for path in skip}
    return digest(*(part for relative in sorted(set(digests) - skipped) for part in (relative, digests[relative])))


def _not_support(here, name):
    at_top = here == PurePosixPath(".")
    return ((at_top and (name in NOT_SUPPORT_DIRS or name == MARKER))
            or any(fnmatch(name, pattern) for pattern in NOT_SUPPORT_PATTERNS))


def dependency_set(distributions):
    """The installed dependency set from `(name, version)` pairs, in any order, names in any case."""
    return digest(*sorted({f"{str(name).lower().replace('_', '-')}=={version}" for name, version in distributions}))


def run_context(config, dependencies, tool_versions, support=""):
    """The fingerprints every result of a run shares, by part; a cache made under other parts is ignored.

    `dependencies`: `dependency_set(...)` (or the hash of a requirements file); `tool_versions`:
    name -> version (the gate, mutmut, pytest ...); the interpreter's version and platform are added.
    """
    settings = {key: getattr(config, key) for key in RESULT_KEYS}
    tools = {**tool_versions, "interpreter": f"{sys.implementation.name} {sys.version} {sys.platform}"}
    return {
        "configuration": digest(json.dumps(settings, sort_keys=True, default=str)),
        "dependencies": dependencies,
        "tools": digest(json.dumps(tools, sort_keys=True, default=str)),
        "support": support,
    }
