"""The gate's configuration: the `[mutation_gate]` section of a project's setup.cfg.

Every problem is reported as one line naming the file, the key and what is wrong, and ends
the run with exit code 1 before anything is measured.
"""

import configparser
import os
from dataclasses import dataclass, field
from pathlib import Path

from mutation.errors import ConfigError

SECTION = "mutation_gate"
REJECTABLE_CLASSES = ("covering", "crash-only", "not-covering")
KILL_MATRICES = ("sampled", "full")


@dataclass(frozen=True)
class TargetSpec:
    """A module the gate judges and the minimum mutation score (percent) it must reach."""

    path: str
    min_score: float


@dataclass(frozen=True)
class GateConfig:
    project_root: Path
    config_path: Path
    targets: tuple
    suite: str = "tests"
    package_root: str = "."
    report_dir: str = "reports/mutation"
    work_dir: str = ".mutation-gate"
    workers: int = 2
    min_assertion_score: float = 0.0
    test_timeout_factor: float = 10.0
    test_timeout_floor: float = 2.0
    reject: tuple = ("covering", "crash-only")
    kill_matrix: str = "sampled"
    waivers: str | None = None
    exclusions: str | None = None
    pytest_args: tuple = field(default_factory=tuple)

    def resolve(self, relative):
        return self.project_root / relative


KNOWN_KEYS = (
    "targets", "suite", "package_root", "report_dir", "work_dir", "workers", "min_assertion_score",
    "test_timeout_factor", "test_timeout_floor", "reject", "kill_matrix", "waivers", "exclusions", "pytest_args",
)


def load_config(config_path, workers=None):
    """Read and validate `[mutation_gate]` from `config_path`; `workers` overrides the file."""
    config_path = Path(config_path).resolve()
    if not config_path.is_file():
        raise ConfigError(f"{config_path}: no such configuration file")
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(config_path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as error:
        raise ConfigError(f"{config_path.name}: unreadable: {_first_line(error)}") from None
    if not parser.has_section(SECTION):
        raise ConfigError(f"{config_path.name}: no [{SECTION}] section")
    section = parser[SECTION]
    where = f"{config_path.name} [{SECTION}]"
    unknown = sorted(set(section) - set(KNOWN_KEYS))
    if unknown:
        raise ConfigError(f"{where} {unknown[0]}: unknown key (known keys: {', '.join(KNOWN_KEYS)})")
    root = config_path.parent
    config = GateConfig(
        project_root=root,
        config_path=config_path,
        targets=_parse_targets(section.get("targets"), root, where),
        suite=_existing_path(section.get("suite", "tests"), root, where, "suite"),
        package_root=_existing_path(section.get("package_root", "."), root, where, "package_root", directory=True),
        report_dir=_relative_dir(section.get("report_dir", "reports/mutation"), where, "report_dir"),
        work_dir=_relative_dir(section.get("work_dir", ".mutation-gate"), where, "work_dir"),
        workers=workers if workers is not None else _parse_int(section.get("workers"), where, "workers", os.cpu_count() or 1),
        min_assertion_score=_parse_percent(section.get("min_assertion_score", "0"), where, "min_assertion_score"),
        test_timeout_factor=_parse_positive(section.get("test_timeout_factor", "10"), where, "test_timeout_factor"),
        test_timeout_floor=_parse_positive(section.get("test_timeout_floor", "2"), where, "test_timeout_floor"),
        reject=_parse_reject(section.get("reject", "covering crash-only"), where),
        kill_matrix=_parse_choice(section.get("kill_matrix", "sampled"), where, "kill_matrix", KILL_MATRICES),
        waivers=_optional_file(section.get("waivers"), root, where, "waivers"),
        exclusions=_optional_file(section.get("exclusions"), root, where, "exclusions"),
        pytest_args=tuple(section.get("pytest_args", "").split()),
    )
    guarded = {_top(config.suite), _top(config.package_root), *(_top(target.path) for target in config.targets)}
    for key in ("work_dir", "report_dir"):
        if _top(getattr(config, key)) in guarded:
            raise ConfigError(f"{where} {key}: {getattr(config, key)} overlaps the project's code or suite")
    for target in config.targets:
        if not (root / target.path).resolve().is_relative_to((root / config.package_root).resolve()):
            raise ConfigError(f"{where} targets: {target.path} is not under package_root {config.package_root}")
    if workers is not None and workers < 1:
        raise ConfigError(f"--workers: must be at least 1, got {workers}")
    return config


def _parse_targets(raw, root, where):
    if not raw or not raw.strip():
        raise ConfigError(f"{where} targets: missing; list one 'path/to/module.py = minimum score' per line")
    targets = []
    for line in raw.strip().splitlines():
        path, separator, threshold = line.partition("=")
        path = path.strip()
        if not separator:
            raise ConfigError(f"{where} targets: {line.strip()!r} is not 'path = minimum score'")
        if not (root / path).is_file():
            raise ConfigError(f"{where} targets: {path}: no such file")
        if not path.endswith(".py"):
            raise ConfigError(f"{where} targets: {path}: not a Python module")
        targets.append(TargetSpec(path, _parse_percent(threshold, where, f"targets: {path}")))
    paths = [target.path for target in targets]
    duplicates = sorted({path for path in paths if paths.count(path) > 1})
    if duplicates:
        raise ConfigError(f"{where} targets: {duplicates[0]} is listed twice")
    return tuple(targets)


def _parse_percent(raw, where, key):
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"{where} {key}: {str(raw).strip()!r} is not a number") from None
    if not 0 <= value <= 100:
        raise ConfigError(f"{where} {key}: {value:g} is outside 0-100")
    return value


def _parse_positive(raw, where, key):
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{where} {key}: {raw.strip()!r} is not a number") from None
    if not value > 0:
        raise ConfigError(f"{where} {key}: must be greater than 0, got {value:g}")
    return value


def _parse_int(raw, where, key, default):
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{where} {key}: {raw.strip()!r} is not a whole number") from None
    if value < 1:
        raise ConfigError(f"{where} {key}: must be at least 1, got {value}")
    return value


def _parse_reject(raw, where):
    classes = tuple(raw.replace(",", " ").split())
    for name in classes:
        if name not in REJECTABLE_CLASSES:
            raise ConfigError(f"{where} reject: {name!r} is not one of {', '.join(REJECTABLE_CLASSES)}")
    return classes


def _parse_choice(raw, where, key, choices):
    value = raw.strip()
    if value not in choices:
        raise ConfigError(f"{where} {key}: {value!r} is not one of {', '.join(choices)}")
    return value


def _relative_dir(raw, where, key):
    """A directory the gate writes (and may delete): inside the project, never the project itself."""
    relative = raw.strip()
    parts = Path(relative).parts
    if not relative or Path(relative).is_absolute() or ".." in parts or relative in (".", "./"):
        raise ConfigError(f"{where} {key}: {relative!r} must be a subdirectory of the project, e.g. .mutation-gate")
    return relative


def _existing_path(raw, root, where, key, directory=False):
    relative = raw.strip()
    if not relative:
        raise ConfigError(f"{where} {key}: empty")
    path = root / relative
    if not path.exists() or (directory and not path.is_dir()):
        kind = "directory" if directory else "file or directory"
        raise ConfigError(f"{where} {key}: {relative}: no such {kind}")
    return relative


def _optional_file(raw, root, where, key):
    if raw is None or not raw.strip():
        return None
    relative = raw.strip()
    if not (root / relative).is_file():
        raise ConfigError(f"{where} {key}: {relative}: no such file")
    return relative


def _top(relative):
    parts = Path(relative).parts
    return parts[0] if parts else None


def _first_line(error):
    return str(error).splitlines()[0]
