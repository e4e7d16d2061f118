"""What changed since a git revision: the lines of each file the working tree adds or modifies.

`git diff --unified=0 --no-renames BASE` compares the working tree (staged or not) with BASE;
untracked files that git does not ignore are wholly new, every line of them changed. A rename
is a deleted file and a new one. Lines are the new side's, 1-based; where lines were only
removed, the line before the gap is recorded in `removals` (0: at the top of the file), apart
from the changed lines, since no line of the new side holds the change: whoever reads the
changes decides which neighbour a removal belongs to. Paths are relative to the project root
(which may lie below the git top level); paths outside it are not reported.
"""

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mutation.errors import ConfigError

GIT_SECONDS = 60
HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
# Fixed against the user's git configuration: prefixes, colour, external diff drivers, textconv.
DIFF_OPTIONS = ("--unified=0", "--no-renames", "--no-color", "--no-ext-diff", "--no-textconv", "--no-relative",
                "--src-prefix=a/", "--dst-prefix=b/")
C_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


@dataclass(frozen=True)
class Changes:
    lines: dict  # every changed path that exists -> the lines added or modified (none: binary, mode, removals)
    removals: dict  # path -> frozenset of lines after which lines were removed (0: at the top)
    deleted: frozenset  # paths that no longer exist


def changed_paths(changes):
    """Every path the change touches, deleted ones included."""
    return set(changes.lines) | set(changes.removals) | set(changes.deleted)


def changed_lines(project_root, base, ignored=()):
    """The Changes of the working tree of `project_root` (untracked files included) against `base`.

    `ignored` are directories (relative to the project) whose files are left out, e.g. the
    gate's own work and report directories when git does not ignore them. Raises a ConfigError
    naming `--diff BASE` when git is missing, the project is not in a repository or BASE is not
    a revision.
    """
    root = Path(project_root)
    prefix = _git(root, base, "rev-parse", "--show-prefix").strip()
    _check_revision(root, base)
    diff = parse_unified_diff(_git(root, base, "diff", *DIFF_OPTIONS, base, "--", "."), prefix)
    lines = dict(diff.lines)
    untracked = _git(root, base, "ls-files", "--others", "--exclude-standard", "--full-name", "-z", "--", ".")
    for name in filter(None, untracked.split("\0")):
        path = _below(name, prefix)
        if path is not None:
            lines[path] = frozenset(range(1, _line_count(root / path) + 1))
    return Changes(_keep(lines, ignored), _keep(diff.removals, ignored),
                   frozenset(_keep(dict.fromkeys(diff.deleted), ignored)))


def _check_revision(root, base):
    # A BASE starting with `-` would be read as an option by every git command after this one.
    checked = None if base.startswith("-") else _run_git(root, base, "rev-parse", "--verify", f"{base}^{{commit}}")
    if checked is None or checked.returncode != 0:
        problem = f" (git: {_last(checked.stderr)})" if checked is not None else " (it starts with -)"
        raise ConfigError(f"--diff {base}: not a git revision in {root}{problem}")


def parse_unified_diff(text, prefix=""):
    """Changes from the text of `git diff` with prefixes a/ and b/; paths are made relative to
    `prefix` (a directory below the top level, ending in `/`) and those outside it dropped."""
    lines, removals, deleted = {}, {}, set()
    path, new_line, remaining = None, 0, 0
    for line in text.split("\n"):
        if remaining:
            # Inside a hunk: with no context lines, every new-side line is an added one.
            if line.startswith("+"):
                lines[path].add(new_line)
                new_line += 1
                remaining -= 1
            continue
        if line.startswith("diff --git "):
            path = _git_line_path(line[len("diff --git "):])
            lines.setdefault(path, set())
        elif line.startswith("deleted file mode"):
            deleted.add(path)
            lines.pop(path, None)
        elif line.startswith("+++ ") and line[4:].rstrip("\t") != "/dev/null":
            path = _strip_side(_unquote(line[4:].rstrip("\t")))
        elif (hunk := HUNK.match(line)) and path not in deleted:
            start, count = int(hunk.group(1)), int(hunk.group(2) or 1)
            if count:
                new_line, remaining = start, count
            else:
                removals.setdefault(path, set()).add(start)
    return Changes(_relative(lines, prefix), _relative(removals, prefix),
                   frozenset(_relative(dict.fromkeys(deleted), prefix)))


def _relative(by_path, prefix):
    return {_below(path, prefix): frozenset(value or ()) for path, value in by_path.items()
            if _below(path, prefix) is not None}


def _git_line_path(names):
    """The path of `a/X b/X` (the two names are the same without renames), quoted or not."""
    if names.startswith('"'):
        end = _quoted_end(names)
        return _strip_side(_unquote(names[:end + 1]))
    return _strip_side(names[:(len(names) - 1) // 2])


def _quoted_end(text):
    index = 1
    while text[index] != '"':
        index += 2 if text[index] == "\\" else 1
    return index


def _unquote(name):
    """A name as git writes it: C-quoted (`"a/tab\\tname.py"`, octal bytes) when it holds odd characters."""
    if not name.startswith('"'):
        return name
    raw, index, body = bytearray(), 0, name[1:-1]
    while index < len(body):
        char = body[index]
        if char != "\\":
            raw += char.encode("utf-8", "surrogateescape")
            index += 1
        elif body[index + 1] in C_ESCAPES:
            raw.append(C_ESCAPES[body[index + 1]])
            index += 2
        else:
            raw.append(int(body[index + 1:index + 4], 8))
            index += 4
    return raw.decode("utf-8", "surrogateescape")


def _strip_side(name):
    return name[2:] if name[:2] in ("a/", "b/") else name


def _below(path, prefix):
    """`path` relative to the directory `prefix`, or None outside it."""
    if not prefix:
        return path
    return path[len(prefix):] if path.startswith(prefix) else None


def _keep(by_path, ignored):
    return {path: value for path, value in by_path.items()
            if not any(PurePosixPath(path).is_relative_to(PurePosixPath(directory)) for directory in ignored)}


def _line_count(path):
    try:
        data = path.read_bytes()
    except OSError:
        return 0  # gone since git listed it, or not a file (a socket): no lines
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


def _git(root, base, *arguments):
    """git's output; a ConfigError naming `--diff BASE` when it fails."""
    completed = _run_git(root, base, *arguments)
    if completed.returncode != 0:
        if "not a git repository" in completed.stderr:
            raise ConfigError(f"--diff {base}: {root} is not in a git repository (git: {_last(completed.stderr)})")
        raise ConfigError(f"--diff {base}: git {arguments[0]} failed in {root} (git: {_last(completed.stderr)})")
    return completed.stdout


def _run_git(root, base, *arguments):
    try:
        completed = subprocess.run(["git", "-c", "core.quotePath=false", *arguments], cwd=root, check=False,
                                   capture_output=True, timeout=GIT_SECONDS)
    except FileNotFoundError:
        raise ConfigError(f"--diff {base}: git is not installed (no `git` on PATH)") from None
    except subprocess.TimeoutExpired:
        raise ConfigError(f"--diff {base}: git {arguments[0]} took longer than {GIT_SECONDS} s in {root}") from None
    # Bytes, not text mode: universal newlines would split a line at a lone \r and shift the line
    # numbers after it, and a file or name that is not UTF-8 must not stop the run.
    return subprocess.CompletedProcess(completed.args, completed.returncode,
                                       completed.stdout.decode("utf-8", "surrogateescape"),
                                       completed.stderr.decode("utf-8", "replace"))


def _last(message):
    """git's own verdict in `message`: its `fatal:` or `error:` line (hints follow it), else its last line."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    verdicts = [line for line in lines if line.startswith(("fatal:", "error:"))]
    return (verdicts or lines or ["no message"])[-1]
