"""The work directory where mutants are made and tested: a fresh, normalised copy of the project.

Whatever the project's layout (flat, `src/`, or packages under any directory), its packages
are copied to `<work>/src/`, which the engine puts first on `sys.path`; the suite and the root
files pytest reads keep their relative paths, and the project's configuration becomes the work
directory's setup.cfg without the gate's own section. A suite inside a package (`pkg/tests`)
travels with its package instead, and pytest's rootdir is chosen so that test ids stay the
project's own where the layout allows it. Every run starts from an empty work directory:
nothing of an earlier run is reused.
"""

import configparser
import dataclasses
import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mutation.errors import ConfigError
from mutation.options import SECTION

MARKER = ".mutation-gate-workdir"
SOURCE_DIR = "src"
# Files at the project root that pytest reads; they go wherever the suite goes.
ROOT_FILES = ("conftest.py", "pytest.ini", ".pytest.ini", "tox.ini", "pyproject.toml")
# What a suite file's directories hold that the file needs (the project root's conftest.py is a root file).
SUITE_FILE_COMPANIONS = ("conftest.py", "__init__.py")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", ".pytest_cache", "*.egg-info")


@dataclass(frozen=True)
class Workspace:
    root: Path
    project_root: Path
    package_root: str
    suite: str = ""  # the suite's path in the work directory
    rootdir: str = "."  # pytest's rootdir, relative to the work directory
    bytecode_dir: str = ""  # where the gate's sessions keep compiled modules between runs ("": Python's default)

    @property
    def gate_dir(self):
        """Where the gate keeps its own files: records, the test plan, coverage data, logs."""
        return self.root / "gate"

    def python_path(self):
        """PYTHONPATH for a pytest session over the work directory: its copy of the packages first."""
        return os.pathsep.join(filter(None, [str(self.root / SOURCE_DIR), os.environ.get("PYTHONPATH")]))

    def work_path(self, project_path):
        """`backend/core/x.py` -> `src/core/x.py` (relative to the work directory)."""
        relative = PurePosixPath(project_path)
        if self.package_root != ".":
            relative = relative.relative_to(PurePosixPath(self.package_root))
        return str(PurePosixPath(SOURCE_DIR) / relative)

    def project_path(self, work_path):
        relative = PurePosixPath(work_path).relative_to(SOURCE_DIR)
        if self.package_root == ".":
            return str(relative)
        return str(PurePosixPath(self.package_root) / relative)


def prepare_workspace(config, also_copy=()):
    """Create a fresh work directory for `config`; `also_copy` (a mutmut user's setting) are further
    paths of the project the suite needs, copied to the same place."""
    root = config.project_root / config.work_dir
    _empty_work_dir(config, root)
    workspace = _layout(config, root)
    (root / SOURCE_DIR).mkdir()
    workspace.gate_dir.mkdir()
    _copy_packages(config, workspace)
    if not suite_in_package(config):
        _copy_suite(config, root)
    _copy_root_files(config, root)
    _copy_also(config, root, also_copy)
    _write_setup_cfg(config, root)
    cache = config.resolve(config.cache)
    return dataclasses.replace(workspace, bytecode_dir=str(cache.with_name(cache.stem + ".pycache")))


def _empty_work_dir(config, root):
    """An empty work directory holding only the marker; what was there is deleted only if the gate made it."""
    if root.is_symlink():
        raise ConfigError(f"work_dir {config.work_dir} is a symbolic link; refusing to delete what it points to")
    if root.exists():
        if not (root / MARKER).is_file():
            raise ConfigError(
                f"work_dir {config.work_dir} exists but was not made by the gate; refusing to delete it"
            )
        shutil.rmtree(root)
    try:
        root.mkdir(parents=True)
        (root / MARKER).write_text("made by the mutation gate; deleted and rebuilt on every run\n")
    except OSError as error:
        raise ConfigError(f"work_dir {config.work_dir}: cannot be created: {error.strerror}") from None


def copied_along(workspace):
    """What must travel with the suite wherever the engine copies it: a suite file in a directory
    travels with that directory's top (the engine cannot copy a file into a directory it has not made)."""
    suite = PurePosixPath(workspace.suite)
    if (workspace.root / suite).is_file() and len(suite.parts) > 1 and suite.parts[0] != SOURCE_DIR:
        suite = PurePosixPath(suite.parts[0])
    return [suite.as_posix(), *ROOT_FILES]


def suite_in_package(config):
    """Whether the suite lives inside a package of the package root (`toolz/tests`, `src/pkg/test`)."""
    try:
        parts = PurePosixPath(config.suite).relative_to(PurePosixPath(config.package_root)).parts
    except ValueError:
        return False
    top = config.project_root / config.package_root / parts[0] if parts else None
    return len(parts) >= 2 and (top / "__init__.py").is_file()


def _layout(config, root):
    workspace = Workspace(root, config.project_root, config.package_root)
    if not suite_in_package(config):
        return Workspace(root, config.project_root, config.package_root, config.suite, ".")
    # Test ids are relative to pytest's rootdir: with the package copied to src/, the work
    # directory's src/ stands for a flat project's root, and its root for a src/ project's.
    rootdir = SOURCE_DIR if config.package_root == "." else "."
    return Workspace(root, config.project_root, config.package_root, workspace.work_path(config.suite), rootdir)


def _copy_packages(config, workspace):
    package_root = config.project_root / config.package_root
    skip = {Path(config.work_dir).parts[0], Path(config.report_dir).parts[0]}
    if not suite_in_package(config):
        skip.add(Path(config.suite).parts[0])
    for entry in sorted(package_root.iterdir()):
        if config.package_root == "." and entry.name in skip:
            continue
        if entry.is_dir() and (entry / "__init__.py").is_file():
            shutil.copytree(entry, workspace.root / SOURCE_DIR / entry.name, ignore=IGNORED)
        elif entry.suffix == ".py" and entry.name not in ("conftest.py", "setup.py"):
            shutil.copy2(entry, workspace.root / SOURCE_DIR / entry.name)


def _copy_suite(config, root):
    source = config.project_root / config.suite
    destination = root / config.suite
    if source.is_dir():
        shutil.copytree(source, destination, ignore=IGNORED)
        return
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, destination)
    # A suite file needs the conftest.py files (and package markers) of the directories above it,
    # up to the project root, whose conftest.py is a root file.
    for directory in PurePosixPath(config.suite).parents[:-1]:
        for name in SUITE_FILE_COMPANIONS:
            if (config.project_root / directory / name).is_file():
                shutil.copy2(config.project_root / directory / name, root / directory / name)


def _copy_root_files(config, root):
    for name in ROOT_FILES:
        source = config.project_root / name
        if source.is_file():
            shutil.copy2(source, root / name)


def _copy_also(config, root, paths):
    for relative in paths:
        source, destination = config.project_root / relative, root / relative
        if destination.exists():
            continue
        if source.is_dir():
            shutil.copytree(source, destination, ignore=IGNORED)
        elif source.is_file():
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
        else:
            raise ConfigError(f"mutmut's also_copy names {relative}, which is not in the project")


def _write_setup_cfg(config, root):
    """The project's configuration (pytest's and the engine's sections) without `[mutation_gate]`."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(config.config_path, encoding="utf-8")
    parser.remove_section(SECTION)
    with open(root / "setup.cfg", "w", encoding="utf-8") as handle:
        parser.write(handle)
