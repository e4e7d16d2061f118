"""What changed since a revision: `git diff` parsed into new-side lines, removals and deleted
files, in real repositories made here, and the one-line errors naming `--diff BASE`."""

import subprocess

import pytest

from mutation.collect.changes import Changes, changed_lines, changed_paths, parse_unified_diff
from mutation.errors import ConfigError

IDENTITY = ("-c", "user.name=Gate Tests", "-c", "user.email=gate@example.invalid", "-c", "commit.gpgsign=false",
            "-c", "init.defaultBranch=main")


def git(root, *arguments):
    completed = subprocess.run(["git", *IDENTITY, *arguments], cwd=root, check=False, capture_output=True, text=True,
                               timeout=30)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def write(root, relative, text):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def repository(root, files):
    """A repository in `root` with one commit holding `files` ({path: text})."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    for relative, text in files.items():
        write(root, relative, text)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def numbered(count, changed=()):
    return "".join(f"changed {n}\n" if n in changed else f"line {n}\n" for n in range(1, count + 1))


def only_lines(lines):
    return Changes({path: frozenset(found) for path, found in lines.items()}, {}, frozenset())


# --- in a repository


def test_modified_lines_of_the_working_tree_staged_or_not_are_the_new_sides(tmp_path):
    root = repository(tmp_path, {"pkg/a.py": numbered(10), "pkg/b.py": numbered(5), "pkg/same.py": numbered(3)})
    write(root, "pkg/a.py", numbered(10, changed={2, 7, 8}))
    write(root, "pkg/b.py", numbered(5) + "added 6\n")
    git(root, "add", "pkg/b.py")

    assert changed_lines(root, "HEAD") == only_lines({"pkg/a.py": {2, 7, 8}, "pkg/b.py": {6}})


def test_commits_after_the_base_count_as_well_as_the_working_tree(tmp_path):
    root = repository(tmp_path, {"a.py": numbered(4)})
    write(root, "a.py", numbered(4, changed={1}))
    git(root, "commit", "-q", "-am", "first")
    write(root, "a.py", numbered(4, changed={1, 4}))

    assert changed_lines(root, "HEAD~1") == only_lines({"a.py": {1, 4}})
    assert changed_lines(root, "HEAD") == only_lines({"a.py": {4}})


def test_removed_lines_are_recorded_after_the_line_before_them(tmp_path):
    root = repository(tmp_path, {"a.py": numbered(10)})
    write(root, "a.py", "".join(f"line {n}\n" for n in range(1, 11) if n not in (1, 5, 6, 10)))

    assert changed_lines(root, "HEAD") == Changes({"a.py": frozenset()}, {"a.py": frozenset({0, 3, 6})}, frozenset())


def test_new_files_added_or_untracked_are_changed_on_every_line_and_ignored_ones_are_not(tmp_path):
    root = repository(tmp_path, {".gitignore": "build/\n*.log\n", "a.py": numbered(2)})
    write(root, "staged.py", numbered(3))
    git(root, "add", "staged.py")
    write(root, "tests/test_new.py", "def test_new():\n    assert True")  # no newline at the end
    write(root, "empty.py", "")
    write(root, "build/out.py", numbered(4))
    write(root, "run.log", numbered(4))

    assert changed_lines(root, "HEAD") == only_lines({"staged.py": {1, 2, 3}, "tests/test_new.py": {1, 2},
                                                      "empty.py": set()})


def test_a_deleted_file_is_listed_as_deleted_with_no_lines(tmp_path):
    root = repository(tmp_path, {"a.py": numbered(3), "gone.py": numbered(3)})
    (root / "gone.py").unlink()

    changes = changed_lines(root, "HEAD")

    assert changes == Changes({}, {}, frozenset({"gone.py"}))
    assert changed_paths(changes) == {"gone.py"}


def test_a_rename_is_a_deleted_file_and_a_new_one(tmp_path):
    root = repository(tmp_path, {"pkg/old.py": numbered(3)})
    git(root, "mv", "pkg/old.py", "pkg/new.py")

    assert changed_lines(root, "HEAD") == Changes({"pkg/new.py": frozenset({1, 2, 3})}, {},
                                                  frozenset({"pkg/old.py"}))


def test_names_with_spaces_and_odd_characters_are_read_back(tmp_path):
    root = repository(tmp_path, {"my file.py": numbered(2), "tab\tname.py": numbered(2), "café.py": numbered(2),
                                 'q"uote.py': numbered(2)})
    for name in ("my file.py", "tab\tname.py", "café.py", 'q"uote.py'):
        write(root, name, numbered(2, changed={2}))

    assert changed_lines(root, "HEAD") == only_lines({"my file.py": {2}, "tab\tname.py": {2}, "café.py": {2},
                                                      'q"uote.py': {2}})


def test_a_last_line_without_a_newline_counts_once(tmp_path):
    root = repository(tmp_path, {"a.py": "one\ntwo"})
    write(root, "a.py", "one\ntwo\nthree")

    assert changed_lines(root, "HEAD") == only_lines({"a.py": {2, 3}})


def test_a_project_below_the_git_top_level_gets_paths_relative_to_itself_and_nothing_outside(tmp_path):
    top = repository(tmp_path, {"backend/pkg/a.py": numbered(3), "frontend/app.js": "x\n", "README": "r\n"})
    write(top, "backend/pkg/a.py", numbered(3, changed={3}))
    write(top, "frontend/app.js", "y\n")
    write(top, "backend/tests/test_a.py", "def test_a():\n    pass\n")
    write(top, "notes.txt", "untracked, outside\n")

    assert changed_lines(top / "backend", "HEAD") == only_lines({"pkg/a.py": {3}, "tests/test_a.py": {1, 2}})


def test_ignored_directories_are_left_out(tmp_path):
    root = repository(tmp_path, {"a.py": numbered(2), "reports/old.json": "{}\n"})
    write(root, "a.py", numbered(2, changed={1}))
    write(root, ".mutation-gate/work/src/a.py", numbered(2))
    (root / "reports/old.json").unlink()

    assert changed_lines(root, "HEAD", ignored=(".mutation-gate", "reports")) == only_lines({"a.py": {1}})


def test_a_base_that_is_not_a_revision_is_one_line_naming_it(tmp_path):
    root = repository(tmp_path, {"a.py": numbered(2)})

    with pytest.raises(ConfigError) as raised:
        changed_lines(root, "origin/mian")

    assert str(raised.value) == (f"--diff origin/mian: not a git revision in {root} "
                                 "(git: fatal: Needed a single revision)")


def test_a_base_that_looks_like_an_option_is_refused_before_git_reads_it(tmp_path):
    root = repository(tmp_path, {"a.py": numbered(2)})

    with pytest.raises(ConfigError) as raised:
        changed_lines(root, "--output=/tmp/x")

    assert str(raised.value) == f"--diff --output=/tmp/x: not a git revision in {root} (it starts with -)"


def test_a_project_outside_any_repository_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "project").mkdir()

    with pytest.raises(ConfigError) as raised:
        changed_lines(tmp_path / "project", "main")

    assert str(raised.value) == (f"--diff main: {tmp_path / 'project'} is not in a git repository "
                                 "(git: fatal: not a git repository (or any of the parent directories): .git)")


def test_no_git_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))

    with pytest.raises(ConfigError) as raised:
        changed_lines(tmp_path, "main")

    assert str(raised.value) == "--diff main: git is not installed (no `git` on PATH)"


# --- parsing


def test_parsing_hunks_counts_only_new_side_lines():
    text = ("diff --git a/a.py b/a.py\nindex 1..2 100644\n--- a/a.py\n+++ b/a.py\n"
            "@@ -2 +2 @@ def f():\n-    old\n+    new\n"
            "@@ -5,0 +6,2 @@\n+added\n+added\n"
            "@@ -9,2 +10,0 @@\n-gone\n-gone\n"
            "@@ -20,3 +19 @@\n-x\n-y\n-z\n+w\n")

    assert parse_unified_diff(text) == Changes({"a.py": frozenset({2, 6, 7, 19})}, {"a.py": frozenset({10})},
                                               frozenset())


def test_lines_that_look_like_headers_inside_hunks_are_content():
    # A removed `-- a comment` reads `--- a comment`; an added `++ x` reads `+++ x`.
    text = ("diff --git a/q.sql b/q.sql\n--- a/q.sql\n+++ b/q.sql\n"
            "@@ -3 +2,0 @@\n--- a comment\n"
            "@@ -7,0 +7,2 @@\n+++ x\n+diff --git a/other b/other\n")

    assert parse_unified_diff(text) == Changes({"q.sql": frozenset({7, 8})}, {"q.sql": frozenset({2})}, frozenset())


def test_parsing_new_deleted_binary_and_mode_only_files():
    text = ("diff --git a/new.py b/new.py\nnew file mode 100644\nindex 0..1\n--- /dev/null\n+++ b/new.py\n"
            "@@ -0,0 +1,2 @@\n+a\n+b\n"
            "diff --git a/old.py b/old.py\ndeleted file mode 100644\nindex 1..0\n--- a/old.py\n+++ /dev/null\n"
            "@@ -1,2 +0,0 @@\n-a\n-b\n"
            "diff --git a/logo.png b/logo.png\nindex 1..2 100644\nBinary files a/logo.png and b/logo.png differ\n"
            "diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n")

    changes = parse_unified_diff(text)

    assert changes == Changes({"new.py": frozenset({1, 2}), "logo.png": frozenset(), "run.sh": frozenset()}, {},
                              frozenset({"old.py"}))


def test_parsing_a_missing_newline_marker_and_quoted_names():
    text = ('diff --git "a/tab\\tname.py" "b/tab\\tname.py"\n--- "a/tab\\tname.py"\n+++ "b/tab\\tname.py"\n'
            "@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n"
            'diff --git "a/caf\\303\\251 \\"x\\".py" "b/caf\\303\\251 \\"x\\".py"\nnew file mode 100644\n'
            "diff --git a/my file.py b/my file.py\n--- a/my file.py\t\n+++ b/my file.py\t\n@@ -3,0 +4 @@\n+c\n")

    assert parse_unified_diff(text) == only_lines({"tab\tname.py": {1}, 'café "x".py': set(), "my file.py": {4}})


def test_parsing_below_a_prefix_keeps_what_is_inside_it_relative_to_it():
    text = ("diff --git a/backend/a.py b/backend/a.py\n--- a/backend/a.py\n+++ b/backend/a.py\n@@ -1 +1 @@\n-x\n+y\n"
            "diff --git a/backend-old/b.py b/backend-old/b.py\n--- a/backend-old/b.py\n+++ b/backend-old/b.py\n"
            "@@ -1 +1 @@\n-x\n+y\n")

    assert parse_unified_diff(text, "backend/") == only_lines({"a.py": {1}})


def test_parsing_nothing_is_no_change():
    assert parse_unified_diff("") == Changes({}, {}, frozenset())


def test_a_git_failure_names_git_s_fatal_line_rather_than_the_hints_after_it(tmp_path, monkeypatch):
    root = repository(tmp_path, {"a.py": numbered(2)})
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "git").write_text("#!/bin/sh\necho 'fatal: detected dubious ownership' >&2\necho 'hint: add it' >&2\n"
                              "exit 128\n", encoding="utf-8")
    (fake / "git").chmod(0o755)
    monkeypatch.setenv("PATH", str(fake))

    with pytest.raises(ConfigError) as raised:
        changed_lines(root, "main")

    assert str(raised.value) == f"--diff main: git rev-parse failed in {root} (git: fatal: detected dubious ownership)"
