"""`mutation-gate init`: write a first `[mutation_gate]` section for the project it is run in.

It finds the project's top-level packages (a `src/` layout or a flat one) and its test
directory (`tests/`, `test/`, or one inside a package), and judges each package as one target
at DEFAULT_SCORE. A project's own mutmut settings are not copied: the gate reads them at every
run (see `engine.settings.project_settings`); the section says which ones it found, and mutmut's
test selection, when it names one path, is the suite.
"""

import configparser
from dataclasses import dataclass
from pathlib import Path

from mutation.engine.settings import project_settings
from mutation.errors import ConfigError
from mutation.options import SECTION, load_config

DEFAULT_SCORE = 80
TEST_DIRS = ("tests", "test")
# Directories that hold no code to judge, even with an __init__.py.
SKIPPED_DIRS = {
    "tests", "test", "testing", "docs", "doc", "examples", "example", "build", "dist", "site", "htmlcov",
    "benchmarks", "bench", "scripts", "tools", "venv", "env", "node_modules", "mutants", "reports",
}
# Top-level modules that are project tooling, not code.
SKIPPED_MODULES = {"setup.py", "conftest.py", "noxfile.py", "toxfile.py", "tasks.py", "fabfile.py", "dodo.py",
                   "manage.py"}
# The project's mutmut settings the gate applies to every run: (ProjectSettings field, mutmut key).
REUSED_MUTMUT_KEYS = (("pytest_args", "pytest_add_cli_args"), ("also_copy", "also_copy"),
                      ("do_not_mutate", "do_not_mutate"))


@dataclass(frozen=True)
class Layout:
    """What init found: where the packages live, the targets to judge, the suite (and other candidates)."""

    package_root: str
    targets: tuple
    suite: str
    other_suites: tuple = ()


def init_project(config_path, force=False):
    """Write `[mutation_gate]` into `config_path` (created if absent); returns the lines to print."""
    config_path = Path(config_path).resolve()
    root = config_path.parent
    if not root.is_dir():
        raise ConfigError(f"{root}: no such directory")
    existing = config_path.read_text(encoding="utf-8") if config_path.is_file() else None
    if _has_section(existing or "", config_path.name) and not force:
        raise ConfigError(f"{config_path.name} already has a [{SECTION}] section; edit it, or replace it with "
                          "`mutation-gate init --force`")
    mutmut = project_settings(root, config_path)
    layout = find_layout(root, mutmut.tests_dir)
    section = render_section(layout, mutmut)
    config_path.write_text(_with_section(existing or "", section), encoding="utf-8")
    try:
        load_config(config_path)
    except ConfigError:
        _restore(config_path, existing)
        raise
    return [f"wrote [{SECTION}] to {config_path.name}:", "", *section.splitlines(), "",
            *_checklist(layout, mutmut)]


def find_layout(root, mutmut_tests=()):
    """The project's package root, top-level packages (or modules) and test directory."""
    src = root / "src"
    package_root = "src" if src.is_dir() and _code_in(src, modules_too=True) else "."
    code = _code_in(root / package_root, modules_too=package_root == "src")
    if not code:
        # A project of single modules: its top-level modules are the code.
        code = _code_in(root, modules_too=True, packages=False)
    if not code:
        raise ConfigError(f"no Python package found in {root} (looked in src/ and the project root); "
                          f"write [{SECTION}] by hand")
    targets = tuple(name if package_root == "." else f"{package_root}/{name}" for name in code)
    suites = _suites(root, targets, mutmut_tests)
    if not suites:
        raise ConfigError("no test directory found (tests/ or test/ with test_*.py files, in the project or inside "
                          f"its packages); write [{SECTION}] by hand")
    return Layout(package_root, targets, suites[0], tuple(suites[1:]))


def _code_in(directory, modules_too, packages=True):
    """Names of the importable packages (and, if `modules_too`, modules) directly in `directory`."""
    found = []
    for entry in sorted(directory.iterdir()):
        if entry.name.startswith("."):
            continue
        if packages and entry.is_dir() and entry.name not in SKIPPED_DIRS and (entry / "__init__.py").is_file():
            found.append(entry.name)
        elif modules_too and entry.suffix == ".py" and entry.is_file() and not _is_tooling(entry.name):
            found.append(entry.name)
    return found


def _is_tooling(name):
    return name in SKIPPED_MODULES or name.startswith("test_") or name.endswith("_test.py")


def _suites(root, targets, mutmut_tests):
    """Candidate suites, best first: mutmut's own test selection, then tests/ or test/, then one in a package."""
    if len(mutmut_tests) == 1 and (root / mutmut_tests[0]).exists():
        return [mutmut_tests[0].rstrip("/")]
    places = [*TEST_DIRS, *(f"{target}/{name}" for target in targets if (root / target).is_dir() for name in TEST_DIRS)]
    return [place for place in places if _has_tests(root / place)]


def _has_tests(directory):
    return directory.is_dir() and any(
        path.name.startswith("test_") or path.name.endswith("_test.py") for path in directory.rglob("*.py")
    )


def render_section(layout, mutmut):
    """The `[mutation_gate]` section for `layout`, with a note of the reused mutmut settings."""
    lines = [f"[{SECTION}]", '# Written by `mutation-gate init`: see README "Pointing the gate at your project".',
             "targets ="]
    lines += [f"    {target} = {DEFAULT_SCORE}" for target in layout.targets]
    lines += [f"suite = {layout.suite}", f"package_root = {layout.package_root}"]
    reused = _reused_mutmut_keys(mutmut)
    if reused:
        lines.append(f"# {mutmut.where} is read at every run too: {', '.join(reused)}.")
    return "\n".join(lines) + "\n"


def _reused_mutmut_keys(mutmut):
    return [key for field, key in REUSED_MUTMUT_KEYS if getattr(mutmut, field)]


def _checklist(layout, mutmut):
    lines = [
        "Check before the first `mutation-gate run`:",
        f"- targets: each is judged as one target at {DEFAULT_SCORE}%; change the scores, or list a module "
        f"of a package on its own line (`{_example_module(layout)} = 90`) to judge it apart",
        f"- suite: {layout.suite} must pass as it is (`python -m pytest {layout.suite}`); the gate runs it unmutated "
        "first",
    ]
    if mutmut.tests_dir and layout.suite == mutmut.tests_dir[0].rstrip("/"):
        lines.append(f"  (taken from {mutmut.where} pytest_add_cli_args_test_selection)")
    if layout.other_suites:
        lines.append(f"  (also found: {', '.join(layout.other_suites)}; suite is one directory)")
    applied = list(_reused_mutmut_keys(mutmut))
    if applied:
        lines.append(f"- {mutmut.where}: {', '.join(applied)} apply to every run as they did under mutmut")
    lines += [
        "- the gate runs the suite from a copy of the project: if tests read the project's installed metadata, "
        "install it into this environment (`pip install -e .`)",
        "- add .mutation-gate/, .mutation-gate.lock and reports/mutation/ to .gitignore",
    ]
    return lines


def _example_module(layout):
    package = next((target for target in layout.targets if not target.endswith(".py")), "pkg")
    return f"{package}/module.py"


def _has_section(text, name):
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=name)
    except configparser.Error as error:
        raise ConfigError(f"{name}: unreadable: {str(error).splitlines()[0]}") from None
    return parser.has_section(SECTION)


def _with_section(text, section):
    """`text` with `section` in place of its `[mutation_gate]` section, or appended."""
    lines = text.splitlines(keepends=True)
    start = next((index for index, line in enumerate(lines) if _header(line) == SECTION), None)
    if start is None:
        separator = "" if not text else ("\n" if text.endswith("\n") else "\n\n")
        return text + separator + section
    end = next((index for index in range(start + 1, len(lines)) if _header(lines[index])), len(lines))
    following = lines[end:]
    return "".join(lines[:start]) + section + ("\n" if following else "") + "".join(following)


def _header(line):
    """The section name a line opens, as configparser reads it, or None."""
    if line[:1].isspace():
        return None
    match = configparser.ConfigParser.SECTCRE.match(line.strip())
    return match.group("header") if match else None


def _restore(config_path, text):
    """Put back the file as it was before init: `text`, or no file at all (None)."""
    if text is None:
        config_path.unlink()
    else:
        config_path.write_text(text, encoding="utf-8")
