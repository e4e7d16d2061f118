"""The work directory where mutmut runs: a fresh, normalised copy of the project.

Whatever the project's layout (flat, `src/`, or packages under any directory), its packages
are copied to `<work>/src/`, which mutmut puts first on `sys.path`; the suite and the pytest
configuration keep their relative paths. The copied setup.cfg gets a `[mutmut]` section the
gate writes itself, so mutmut runs with the settings the gate relies on, whatever the
project's own `[mutmut]` says. Every run starts from an empty work directory: no cache.
"""

import configparser
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mutation.errors import ConfigError

MARKER = ".mutation-gate-workdir"
ROOT_FILES = ("conftest.py", "pytest.ini", "tox.ini", "pyproject.toml")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", ".pytest_cache", "*.egg-info")


@dataclass(frozen=True)
class Workspace:
    root: Path
    project_root: Path
    package_root: str

    @property
    def gate_dir(self):
        """Where the gate keeps its own files: records, selection, coverage data."""
        return self.root / "gate"

    @property
    def mutants_dir(self):
        return self.root / "mutants"

    def work_path(self, project_path):
        """`backend/core/x.py` -> `src/core/x.py` (relative to the work directory)."""
        relative = PurePosixPath(project_path)
        if self.package_root != ".":
            relative = relative.relative_to(PurePosixPath(self.package_root))
        return str(PurePosixPath("src") / relative)

    def project_path(self, work_path):
        relative = PurePosixPath(work_path).relative_to("src")
        if self.package_root == ".":
            return str(relative)
        return str(PurePosixPath(self.package_root) / relative)


def prepare_workspace(config, target_files, mutmut_settings):
    """Create a fresh work directory for `config`; `target_files` are the files to mutate."""
    root = config.project_root / config.work_dir
    if root.exists():
        if not (root / MARKER).is_file():
            raise ConfigError(
                f"work_dir {config.work_dir} exists but was not made by the gate; refusing to delete it"
            )
        shutil.rmtree(root)
    root.mkdir(parents=True)
    (root / MARKER).write_text("made by the mutation gate; deleted and rebuilt on every run\n")
    workspace = Workspace(root, config.project_root, config.package_root)
    (root / "src").mkdir()
    workspace.gate_dir.mkdir()
    _copy_packages(config, workspace)
    _copy_suite(config, root)
    _copy_root_files(config, root)
    write_mutmut_settings(config, workspace, target_files, mutmut_settings)
    return workspace


def write_mutmut_settings(config, workspace, target_files, mutmut_settings):
    """(Re)write the work directory's setup.cfg with the gate's `[mutmut]` section."""
    only_mutate = [workspace.work_path(path) for path in target_files]
    _write_setup_cfg(config, workspace.root, {**mutmut_settings, "only_mutate": only_mutate})


def _copy_packages(config, workspace):
    package_root = config.project_root / config.package_root
    skip = {Path(config.suite).parts[0], Path(config.work_dir).parts[0], Path(config.report_dir).parts[0]}
    for entry in sorted(package_root.iterdir()):
        if config.package_root == "." and entry.name in skip:
            continue
        if entry.is_dir() and (entry / "__init__.py").is_file():
            shutil.copytree(entry, workspace.root / "src" / entry.name, ignore=IGNORED)
        elif entry.suffix == ".py" and entry.name not in ("conftest.py", "setup.py"):
            shutil.copy2(entry, workspace.root / "src" / entry.name)


def _copy_suite(config, root):
    source = config.project_root / config.suite
    destination = root / config.suite
    if source.is_dir():
        shutil.copytree(source, destination, ignore=IGNORED)
    else:
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)


def _copy_root_files(config, root):
    for name in ROOT_FILES:
        source = config.project_root / name
        if source.is_file():
            shutil.copy2(source, root / name)
    pyproject = config.project_root / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"pyproject.toml: unreadable: {error}") from None
        if "mutmut" in data.get("tool", {}):
            raise ConfigError(
                "pyproject.toml [tool.mutmut]: makes mutmut ignore setup.cfg; move mutmut settings to setup.cfg [mutmut]"
            )


def _write_setup_cfg(config, root, mutmut_settings):
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(config.config_path)
    owned = set(mutmut_settings)
    if parser.has_section("mutmut"):
        overridden = sorted(owned & set(parser["mutmut"]))
        if overridden:
            raise ConfigError(
                f"{config.config_path.name} [mutmut] {overridden[0]}: set by the gate; remove it from [mutmut]"
            )
    else:
        parser.add_section("mutmut")
    for key, value in mutmut_settings.items():
        parser["mutmut"][key] = _ini_value(value)
    for section in ("mutation_gate",):
        parser.remove_section(section)
    with open(root / "setup.cfg", "w", encoding="utf-8") as handle:
        parser.write(handle)


def _ini_value(value):
    if isinstance(value, (list, tuple)):
        return "\n" + "\n".join(str(item) for item in value)
    return str(value)
