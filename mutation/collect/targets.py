"""Targets: each configured module or package plus the helper modules it imports from the project.

A module target judges that file; a package target (a directory) judges every module under it
except test files and test directories. A module inside a package target that is itself named
by a more specific target (a module, or a subpackage) belongs to that target alone.

A helper is any module under `package_root` that a target imports, directly or through
other helpers. A helper reached from several targets belongs to the first of them in the
configuration; a module that is itself part of a target is never another target's helper.

Every module of a target and every helper is read here, before anything runs: one that is not
UTF-8 or not valid Python is a configuration error naming its file and line.
"""

import ast
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mutation.errors import ConfigError

TEST_DIRS = ("tests", "test")


@dataclass(frozen=True)
class Target:
    """A judged module or package: its own modules first, then its helpers (paths relative to the project)."""

    path: str
    min_score: float
    files: tuple


def module_name(path, package_root):
    """The importable name of a module file, e.g. `backend/core/x.py` under `backend` -> `core.x`."""
    relative = PurePosixPath(path).relative_to(PurePosixPath(package_root)) if package_root != "." else PurePosixPath(path)
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def target_modules(root, path):
    """The modules a target names: the module itself, or every non-test module under a package directory."""
    if (root / path).is_file():
        return (path,)
    directory = root / path
    return tuple(sorted(
        (PurePosixPath(path) / module.relative_to(directory).as_posix()).as_posix()
        for module in directory.rglob("*.py")
        if not _is_test_or_hidden(module.relative_to(directory))
    ))


def _is_test_or_hidden(relative):
    folders, name = relative.parts[:-1], relative.name
    if any(folder in TEST_DIRS or folder.startswith((".", "__pycache__")) for folder in folders):
        return True
    return name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py")


def resolve_targets(config):
    """Expand the configured targets into `Target`s: their own modules, then their helper files."""
    root = config.project_root
    owned = _owned_modules(config.targets, root)
    in_targets = {path for modules in owned.values() for path in modules}
    claimed = set(in_targets)
    targets = []
    for spec in config.targets:
        own = owned[spec.path]
        if not own:
            raise ConfigError(f"{config.config_path.name} [mutation_gate] targets: {spec.path}: every module in it "
                              "is listed as a target of its own")
        helpers = [
            path for path in _imported_closure(own, root, config.package_root, in_targets - set(own), spec.path)
            if path not in claimed
        ]
        claimed.update(helpers)
        targets.append(Target(spec.path, spec.min_score, (*own, *sorted(helpers))))
    return targets


def _owned_modules(specs, root):
    """Each target's own modules; a module named by several targets goes to the most specific one."""
    candidates = {spec.path: target_modules(root, spec.path) for spec in specs}
    owner = {}
    for path, modules in candidates.items():
        for module in modules:
            # Both paths contain the module, so the longer one lies inside the other.
            if len(path) > len(owner.get(module, "")):
                owner[module] = path
    return {path: tuple(module for module in modules if owner[module] == path) for path, modules in candidates.items()}


def _imported_closure(start, root, package_root, other_targets, target):
    """Modules reachable from the modules `start` (of `target`) through imports, not walking into other targets."""
    seen = set(start)
    pending = sorted(start, reverse=True)  # read in order: the first unreadable module is the one named
    while pending:
        current = pending.pop()
        role = "" if current in start else f" (imported by the target {target})"
        for imported in _project_imports(current, root, package_root, role):
            if imported not in seen and imported not in other_targets:
                seen.add(imported)
                pending.append(imported)
    return seen - set(start)


def _project_imports(path, root, package_root, role=""):
    """Paths of the project modules that the module at `path` imports."""
    tree = parse_module(root, path, role)
    package = module_name(path, package_root)
    if not path.endswith("__init__.py"):
        package = package.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        for name in _imported_names(node, package):
            module_path = _module_path(name, root, package_root)
            if module_path is not None:
                found.add(module_path)
    return found


def parse_module(root, path, role=""):
    """The syntax tree of the module at `path`; ConfigError naming the file and line when it is not
    UTF-8 or not valid Python (`role` says why the gate reads it)."""
    data = (root / path).read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):  # Python reads it; the gate's later stages would not (exit 70)
        raise ConfigError(f"{path}:1: starts with a byte order mark{role}; save it as UTF-8 without one")
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: not UTF-8 (byte 0x{data[error.start]:02x}){role}; the gate reads "
                          "sources as UTF-8") from None
    try:
        return ast.parse(source, filename=path)
    except SyntaxError as error:
        where = f"{path}:{error.lineno}" if error.lineno else path
        raise ConfigError(f"{where}: not valid Python{role}: {error.msg}") from None
    except ValueError as error:  # Python 3.11: "source code string cannot contain null bytes"
        raise ConfigError(f"{path}: not valid Python{role}: {error}") from None


def _imported_names(node, package):
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        base = _absolute_base(node, package)
        return [base, *(f"{base}.{alias.name}" if base else alias.name for alias in node.names)]
    return []


def _absolute_base(node, package):
    if not node.level:
        return node.module or ""
    parts = package.split(".") if package else []
    parts = parts[: len(parts) - (node.level - 1)]
    if node.module:
        parts.append(node.module)
    return ".".join(parts)


def _module_path(name, root, package_root):
    if not name:
        return None
    base = Path(package_root) / Path(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if (root / candidate).is_file():
            return candidate.as_posix()
    return None
