"""The gate's settings: one table gives each `[mutation_gate]` key its default, its parser, its
help text and, for some, a `mutation-gate run` flag.

`load_config` reads the section of a project's setup.cfg into a `GateConfig`. Every problem is
one line naming the file, the key and what is wrong, and ends the run with exit code 1 before
anything is measured.
"""

import configparser
import dataclasses
import math
import os
import shlex
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mutation.collect.exclusions import read_exclusions
from mutation.collect.targets import target_modules
from mutation.errors import ConfigError
from mutation.model import KillMatrix, TestClass
from mutation.report.writers import FILE_FORMATS
from mutation.verdicts.baseline import DEFAULT_TOLERANCE, read_baseline
from mutation.verdicts.waivers import read_waivers

SECTION = "mutation_gate"


@dataclass(frozen=True)
class TargetSpec:
    """A module or package directory the gate judges and the minimum mutation score (percent) it must reach."""

    path: str
    min_score: float


REQUIRED = object()  # the default of a key that has none


@dataclass(frozen=True)
class Option:
    """One `[mutation_gate]` key. `parse(raw, context)` turns its text into its value."""

    key: str
    parse: object
    help: str
    default: object = REQUIRED
    default_text: str = ""  # how the README and --help write the default
    default_factory: object = None  # a default computed when the config is loaded
    flag: object = None  # the type of a `mutation-gate run --<key>` flag, which overrides the file; None: no flag

    @property
    def required(self):
        return self.default is REQUIRED and self.default_factory is None

    @property
    def flag_name(self):
        return "--" + self.key.replace("_", "-")


@dataclass(frozen=True)
class _Context:
    root: Path
    where: str
    key: str

    def error(self, problem):
        return ConfigError(f"{self.where} {self.key}: {problem}")


def _number(raw, context):
    """A finite float: `inf`, `nan` and numbers too large for a float (`1e400`) are refused."""
    text = str(raw).strip()
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise context.error(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise context.error(f"{text!r} is not a finite number")
    return value


def _percent(raw, context):
    value = _number(raw, context)
    if not 0 <= value <= 100:
        raise context.error(f"{value:g} is outside 0-100")
    return value


def _positive_up_to(maximum):
    """A parser of numbers greater than 0 and at most `maximum` (time limits beyond it overflow the
    engine's timers)."""

    def parse(raw, context):
        value = _number(raw, context)
        if not value > 0:
            raise context.error(f"must be greater than 0, got {value:g}")
        if value > maximum:
            raise context.error(f"must be at most {maximum:g}, got {value:g}")
        return value

    return parse


def _whole_number(raw, context):
    try:
        value = int(raw)
    except ValueError:
        raise context.error(f"{raw.strip()!r} is not a whole number") from None
    if value < 1:
        raise context.error(f"must be at least 1, got {value}")
    return value


REJECTABLE = (TestClass.COVERING, TestClass.CRASH_ONLY, TestClass.NOT_COVERING)


def _test_classes(raw, context):
    classes = tuple(raw.replace(",", " ").split())
    for name in classes:
        if name not in REJECTABLE:
            raise context.error(f"{name!r} is not one of {', '.join(REJECTABLE)}")
    return classes


def _kill_matrix(raw, context):
    value = raw.strip()
    if value not in set(KillMatrix):
        raise context.error(f"{value!r} is not one of {', '.join(KillMatrix)}")
    return KillMatrix(value)


FLAKY_POLICIES = ("warn", "fail")


def _flaky(raw, context):
    value = raw.strip()
    if value not in FLAKY_POLICIES:
        raise context.error(f"{value!r} is not one of {', '.join(FLAKY_POLICIES)}")
    return value


def _owned_dir(raw, context):
    """A directory the gate writes (and may delete): inside the project, never the project itself."""
    relative = raw.strip()
    normalised = os.path.normpath(relative) if relative else ""
    if not relative or Path(relative).is_absolute() or ".." in Path(relative).parts or normalised == ".":
        raise context.error(f"{relative!r} must be a subdirectory of the project, e.g. .mutation-gate")
    return PurePosixPath(normalised).as_posix()


def _project_path(raw, context):
    """A path of the project as a normalised relative path: `./pkg/mod.py`, `pkg//mod.py` and an
    absolute path inside the project all give `pkg/mod.py`; a path outside the project is refused."""
    written = raw.strip()
    if not written:
        raise context.error("empty")
    path = Path(written)
    if path.is_absolute():
        path = _relative_to_root(path, context.root)
        if path is None:
            raise context.error(f"{written}: outside the project {context.root}")
    normalised = PurePosixPath(os.path.normpath(path.as_posix()))
    if normalised.parts[:1] == ("..",):
        raise context.error(f"{written}: outside the project {context.root}")
    return normalised.as_posix()


def _relative_to_root(path, root):
    for candidate in (path, path.resolve()):
        if candidate.is_relative_to(root):
            return candidate.relative_to(root)
    return None


def _suite(raw, context):
    relative = _project_path(raw, context)
    path = context.root / relative
    if not path.exists():
        raise context.error(f"{relative}: no such file or directory")
    if not path.is_dir() and path.suffix != ".py":
        raise context.error(f"{relative}: not a directory or a Python test file")
    return relative


def _existing_dir(raw, context):
    relative = _project_path(raw, context)
    if not (context.root / relative).is_dir():
        raise context.error(f"{relative}: no such directory")
    return relative


def _optional_file(raw, context, must_exist=True):
    """A project path of a file, or None when `raw` is empty; a directory is an error, and so is a
    missing file when `must_exist`."""
    if not raw.strip():
        return None
    relative = _project_path(raw, context)
    path = context.root / relative
    if path.is_dir():
        raise context.error(f"{relative}: is a directory, not a file")
    if must_exist and not path.is_file():
        raise context.error(f"{relative}: no such file")
    return relative


def _entries_file(read):
    """A parser of an optional TOML file whose entries `read(root, relative)` checks."""

    def parse(raw, context):
        relative = _optional_file(raw, context)
        if relative is not None:
            read(context.root, relative)
        return relative

    return parse


def _baseline_file(raw, context):
    """The ratchet baseline: a project path, checked when it exists (none yet: no ratchet); empty: no baseline."""
    relative = _optional_file(raw, context, must_exist=False)
    if relative is not None and (context.root / relative).is_file():
        read_baseline(context.root / relative, relative)
    return relative


def _tolerance(raw, context):
    """`P%, N`: max(P% of a target's mutants, N mutants); `P%` or `N` alone sets the other to 0."""
    percent, minimum = 0.0, 0
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if not parts or len(parts) > 2:
        raise context.error(f"{raw.strip()!r} is not `P%, N` (e.g. `2%, 3`: max(2% of a target's mutants, 3))")
    for part in parts:
        if part.endswith("%"):
            percent = _percent(part[:-1], context)
        else:
            minimum = _whole_number(part, context) if part != "0" else 0
    return (percent, minimum)


# Arguments that would take away the coverage the preflight measures (per test, with the gate's own rc).
GATE_COVERAGE_OPTIONS = ("--no-cov", "--cov-config", "--cov-context")
COVERAGE_PLUGINS = ("no:cov", "no:pytest_cov")


def _arguments(raw, context):
    """Split like a shell, so an argument may hold spaces: `-o "python_files=a.py b.py"`."""
    try:
        arguments = tuple(shlex.split(raw))
    except ValueError as error:
        raise context.error(f"cannot split into arguments: {str(error).lower()}") from None
    for argument in _coverage_overrides(arguments):
        raise context.error(f"{argument} takes away the per-test coverage the gate measures; remove it (the gate "
                            "sets its own coverage options)")
    return arguments


def _coverage_overrides(arguments):
    for index, argument in enumerate(arguments):
        if argument.split("=", 1)[0] in GATE_COVERAGE_OPTIONS:
            yield argument
        plugin = arguments[index + 1] if argument == "-p" and index + 1 < len(arguments) else argument[2:]
        if argument.startswith("-p") and plugin.removeprefix("=") in COVERAGE_PLUGINS:
            yield f"-p {plugin.removeprefix('=')}"


def _cache_file(raw, context):
    """The result cache's file: a path inside the project that is not a directory."""
    relative = _project_path(raw, context)
    if relative == "." or (context.root / relative).is_dir():
        raise context.error(f"{relative}: is a directory; name the cache file, e.g. .mutation-gate-cache/results.json")
    return relative


def _targets(raw, context):
    if not raw or not raw.strip():
        raise context.error("missing; list one 'path = minimum score' per line (a module or a package directory)")
    targets = []
    for line in raw.strip().splitlines():
        path, separator, threshold = line.partition("=")
        if not separator or not path.strip():
            raise context.error(f"{line.strip()!r} is not 'path = minimum score'")
        path = _target_path(path.strip(), context)
        targets.append(TargetSpec(path, _percent(threshold, dataclasses.replace(context, key=f"targets: {path}"))))
    paths = [target.path for target in targets]
    duplicates = sorted({path for path in paths if paths.count(path) > 1})
    if duplicates:
        raise context.error(f"{duplicates[0]} is listed twice")
    return tuple(targets)


def _target_path(written, context):
    """A target as a normalised relative path: a .py module, or a directory holding modules."""
    path = _project_path(written, context)
    full = context.root / path
    if full.is_dir():
        if path == "." or full.resolve() == context.root.resolve():
            raise context.error(f"{written}: the project root is not a package; name a package directory or a module")
        if not target_modules(context.root, path):
            raise context.error(f"{path}: no Python modules in this directory (test files do not count)")
    elif not full.is_file():
        raise context.error(f"{path}: no such file or directory")
    elif not path.endswith(".py"):
        raise context.error(f"{path}: not a Python module")
    return path


def _formats(raw, context):
    names = tuple(dict.fromkeys(raw.replace(",", " ").split()))
    for name in names:
        if name not in FILE_FORMATS:
            raise context.error(f"{name!r} is not one of {', '.join(FILE_FORMATS)}")
    return names


def _cpu_count():
    return os.cpu_count() or 1


OPTIONS = (
    Option("targets", _targets, "one `path = minimum mutation score` per line; a path is a module (`pkg/mod.py`) or "
           "a package directory (`pkg`: every module under it but test files, judged as one target)"),
    Option("suite", _suite, "the test directory (or file) to judge", "tests"),
    Option("package_root", _existing_dir, "where the importable packages live (`.` flat, `src`, `backend`, ...)", "."),
    Option("report_dir", _owned_dir, "where `gate.json` goes", "reports/mutation"),
    Option("report_formats", _formats, "the report files a run writes under report_dir, beside gate.json (README "
           "\"Reports\"); empty: none", ("stryker", "html", "junit", "sarif", "markdown", "badge"),
           default_text="stryker html junit sarif markdown badge"),
    Option("work_dir", _owned_dir, "the work directory, rebuilt on every run (the gate refuses to delete a "
           "directory it did not make)", ".mutation-gate"),
    Option("cache", _cache_file, "the result cache: each mutant's final outcome, reused by the next run while its "
           "code, its covering tests and the run context are unchanged (README \"Result cache\"); inside the "
           "project, outside work_dir and report_dir", ".mutation-gate-cache/results.json"),
    Option("workers", _whole_number, "parallel mutant workers", default_text="CPU count",
           default_factory=_cpu_count, flag=int),
    Option("min_assertion_score", _percent, "minimum assertion score (percent) for every target", 0.0),
    Option("test_timeout_factor", _positive_up_to(1000), "per-test time limit under mutation: this factor x the "
           "test's unmutated duration (at most 1000)", 10.0),
    Option("test_timeout_floor", _positive_up_to(86400), "the per-test time limit is never below this many seconds "
           "(at most 86400)", 2.0),
    Option("reject", _test_classes, "the test classes that fail the run", ("covering", "crash-only"),
           default_text="covering crash-only"),
    Option("kill_matrix", _kill_matrix, "`sampled`: a mutant's session stops at its first assertion kill (past "
           "crashes within a crash budget) and credit passes settle every test's class (fast); `full`: every "
           "covering test runs under every mutant, so each test's kill counts and unique kills are complete",
           KillMatrix.SAMPLED),
    Option("flaky", _flaky, "what a flaky mutant (a survivor or timeout that came out otherwise when re-run once) "
           "does to the verdict: `warn`: a note; `fail`: the run ends with exit 7. Either way it is never counted "
           "as detected", "warn"),
    Option("waivers", _entries_file(read_waivers), "TOML file of tests allowed through, each with a reason and an expiry date", None,
           default_text="none"),
    Option("exclusions", _entries_file(read_exclusions), "TOML file of equivalent mutants, each with a reason", None,
           default_text="none"),
    Option("baseline", _baseline_file, "the ratchet baseline `mutation-gate baseline update` writes: a run that "
           "falls below it ends with exit 6 (README \"Ratchet baseline\"); no file yet: no ratchet; empty: none",
           "mutation-baseline.json"),
    Option("baseline_tolerance", _tolerance, "how many detected mutants a target may lose against the baseline: "
           "`P%, N` is max(P% of the target's mutants, N)", DEFAULT_TOLERANCE, default_text="2%, 3"),
    Option("pytest_args", _arguments, "extra pytest arguments for every run, split like a shell (quote an argument "
           "that holds spaces)", (), default_text="none"),
)
KNOWN_KEYS = tuple(option.key for option in OPTIONS)


def _field(option):
    if option.default_factory is not None:
        return option.key, object, dataclasses.field(default_factory=option.default_factory)
    if option.required:
        return option.key, object
    return option.key, object, dataclasses.field(default=option.default)


GateConfig = dataclasses.make_dataclass(
    "GateConfig",
    [("project_root", Path), ("config_path", Path), *(_field(option) for option in OPTIONS)],
    frozen=True,
    namespace={"resolve": lambda self, relative: self.project_root / relative,
               "__doc__": "A validated `[mutation_gate]` section; the fields are the keys of OPTIONS.",
               "__module__": __name__},
)


def default_text(option):
    """The default as the README writes it."""
    if option.default_text:
        return option.default_text
    if option.required:
        return "(required)"
    return f"{option.default:g}" if isinstance(option.default, float) else str(option.default)


def load_config(config_path, **overrides):
    """Read and validate `[mutation_gate]` from `config_path`; `overrides` (flags) win over the file."""
    config_path = Path(config_path).resolve()
    if not config_path.is_file():
        raise ConfigError(f"{config_path}: no such configuration file")
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(config_path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as error:
        raise ConfigError(f"{config_path.name}: unreadable: {str(error).splitlines()[0]}") from None
    if not parser.has_section(SECTION):
        raise ConfigError(f"{config_path.name}: no [{SECTION}] section")
    section = parser[SECTION]
    where = f"{config_path.name} [{SECTION}]"
    unknown = sorted(set(section) - set(KNOWN_KEYS))
    if unknown:
        raise ConfigError(f"{where} {unknown[0]}: unknown key (known keys: {', '.join(KNOWN_KEYS)})")
    root = config_path.parent
    values = {}
    for option in OPTIONS:
        context = _Context(root, where, option.key)
        if overrides.get(option.key) is not None:
            values[option.key] = _check_flag(option, overrides[option.key])
        elif option.key in section or option.required:
            values[option.key] = option.parse(section.get(option.key), context)
        elif isinstance(option.default, str):
            # A default written as text is checked like the same text in the file (e.g. that tests/ exists).
            values[option.key] = option.parse(option.default, context)
    config = GateConfig(project_root=root, config_path=config_path, **values)
    _check_layout(config, where)
    return config


def _check_flag(option, value):
    # Flags arrive parsed by argparse; only their range is left to check.
    if option.parse is _whole_number and value < 1:
        raise ConfigError(f"{option.flag_name}: must be at least 1, got {value}")
    return value


def _check_layout(config, where):
    guarded = {_top(config.suite), _top(config.package_root), *(_top(target.path) for target in config.targets)}
    for key in ("work_dir", "report_dir", "cache"):
        if _top(getattr(config, key)) in guarded:
            raise ConfigError(f"{where} {key}: {getattr(config, key)} overlaps the project's code or suite")
    _check_owned_dirs(config, where)
    _check_cache_apart(config, where)
    package_root = (config.project_root / config.package_root).resolve()
    for target in config.targets:
        if not (config.project_root / target.path).resolve().is_relative_to(package_root):
            raise ConfigError(f"{where} targets: {target.path} is not under package_root {config.package_root}")


def _check_owned_dirs(config, where):
    """The work and report directories: writable directories (or creatable ones) apart from each
    other, the work directory never reached through a symbolic link (every run deletes it)."""
    for key in ("work_dir", "report_dir"):
        _check_writable_dir(config.project_root, getattr(config, key), f"{where} {key}", key == "work_dir")
    work, report = PurePosixPath(config.work_dir), PurePosixPath(config.report_dir)
    resolved_work, resolved_report = (config.resolve(path).resolve() for path in (work, report))
    if report.is_relative_to(work) or resolved_report.is_relative_to(resolved_work):
        raise ConfigError(f"{where} report_dir: {report} is inside work_dir {work}, which every run deletes")
    if work.is_relative_to(report) or resolved_work.is_relative_to(resolved_report):
        raise ConfigError(f"{where} work_dir: {work} is inside report_dir {report}; keep them apart")


def _check_cache_apart(config, where):
    """The cache outlives runs: never inside the work directory (deleted by every run) or the
    report directory (whose stale files a run removes)."""
    cache = PurePosixPath(config.cache)
    resolved = config.resolve(cache).resolve()
    for key in ("work_dir", "report_dir"):
        directory = PurePosixPath(getattr(config, key))
        if cache.is_relative_to(directory) or resolved.is_relative_to(config.resolve(directory).resolve()):
            raise ConfigError(f"{where} cache: {cache} is inside {key} {directory}; keep the cache apart")


def _check_writable_dir(root, relative, where, deleted):
    """Every part of `relative` that exists is a directory (`deleted`: and no symbolic link); the
    deepest one is writable, so the directory can be made."""
    deepest = root
    for part in PurePosixPath(relative).parts:
        current = deepest / part
        if not current.exists() and not current.is_symlink():
            break
        _check_dir_part(current, current.relative_to(root).as_posix(), where, deleted)
        deepest = current
    if not os.access(deepest, os.W_OK | os.X_OK):
        shown = deepest.relative_to(root).as_posix()
        raise ConfigError(f"{where}: {'the project directory' if shown == '.' else shown} is not writable")


def _check_dir_part(path, shown, where, deleted):
    if path.is_symlink() and deleted:
        raise ConfigError(f"{where}: {shown} is a symbolic link; every run deletes and rebuilds the work "
                          "directory, so name a real directory inside the project")
    if path.is_symlink() and not path.exists():
        raise ConfigError(f"{where}: {shown} is a broken symbolic link")
    if not path.is_dir():
        raise ConfigError(f"{where}: {shown} is a file, not a directory")


def _top(relative):
    parts = Path(relative).parts
    return parts[0] if parts else None
